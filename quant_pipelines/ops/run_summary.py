"""What one run changed, read from its own events: a line per chamber (even at 0) and per check.

    run 07b278d6-...: SUCCESS
      senate: 32 filings; documents fetched 32, already archived 0
      house: 43 filings; documents fetched 43, already archived 0, yearly index not modified 0
      trades: 212 new, 3 updated, 0 deleted, 1,040 unchanged (`quant-pipelines changes --since <run id>` lists them)
      check trades/unreadable_filings_share: passed
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

CHAMBERS = (("senate", "senate_filings"), ("house", "house_filings"))
_PAGE = 500


def run_report(instance: Any, run_id: str) -> list[str]:
    """Lines for the operator: the run's status, each chamber's documents and each check's result."""
    from dagster import DagsterEventType

    run = instance.get_run_by_id(run_id)
    span = _span(instance, run_id)
    metadata = {
        asset: found
        for asset in (*(asset for _, asset in CHAMBERS), "trades")
        if span and (found := _first_materialization(instance, run_id, asset, span)) is not None
    }
    checks: dict[str, str] = {}
    for record in _pages(lambda cursor: instance.get_records_for_run(
        run_id, cursor=cursor, of_type=DagsterEventType.ASSET_CHECK_EVALUATION, limit=_PAGE
    )):
        data = record.event_log_entry.dagster_event.event_specific_data
        checks[f"{data.asset_key.to_user_string()}/{data.check_name}"] = (
            "passed" if data.passed else f"FAILED ({data.severity.value})"
        )
    lines = [f"run {run_id}: {run.status.value if run else 'unknown'}"]
    for chamber, asset in CHAMBERS:
        lines.append(f"  {chamber}: {_chamber(metadata.get(asset))}")
    if "trades" in metadata:
        lines.append(f"  trades: {_trades(metadata['trades'], run_id)}")
    lines += [f"  check {name}: {result}" for name, result in sorted(checks.items())]
    return lines


def _span(instance: Any, run_id: str) -> tuple[int, int] | None:
    """The storage ids of the run's first and last events."""
    first = instance.get_records_for_run(run_id, limit=1).records
    last = instance.get_records_for_run(run_id, limit=1, ascending=False).records
    return (first[0].storage_id, last[0].storage_id) if first and last else None


def _first_materialization(instance: Any, run_id: str, asset: str, span: tuple[int, int]) -> dict[str, Any] | None:
    """The metadata of the run's first materialization of ``asset`` (every partition of a window
    carries the same). Looked up by asset within the run's events, not by reading them all: a run
    over years has one per partition and asset, 38,000 events that took 14 s to read."""
    from dagster import AssetKey, AssetRecordsFilter

    within = AssetRecordsFilter(asset_key=AssetKey(asset), after_storage_id=span[0] - 1, before_storage_id=span[1] + 1)
    for record in _pages(lambda cursor: instance.fetch_materializations(within, limit=_PAGE, cursor=cursor,
                                                                        ascending=True)):
        if record.run_id == run_id:  # another run may have materialized it meanwhile
            return {name: value.value for name, value in record.asset_materialization.metadata.items()}
    return None


def _pages(fetch: Callable[[str | None], Any]) -> Iterator[Any]:
    """The records of a paged Dagster query, a page at a time."""
    cursor = None
    while True:
        page = fetch(cursor)
        yield from page.records
        if not page.has_more:
            return
        cursor = page.cursor


def _trades(metadata: dict[str, Any], run_id: str) -> str:
    counts = [metadata.get(f"rows_{what}", 0) for what in ("inserted", "updated", "deleted", "unchanged")]
    text = "{:,} new, {:,} updated, {:,} deleted, {:,} unchanged".format(*counts)
    if any(counts[:3]):
        text += f" (`quant-pipelines changes --since {run_id}` lists them)"
    return text


def _chamber(metadata: dict[str, Any] | None) -> str:
    if metadata is None:
        return "not selected in this run"
    filings = metadata.get("filings", metadata.get("filings_listed", 0))
    text = (
        f"{filings} filings; documents fetched {metadata.get('documents_fetched', 0)}, "
        f"already archived {metadata.get('documents_already_archived', 0)}"
    )
    if "index_not_modified" in metadata:
        text += f", yearly index not modified {metadata['index_not_modified']}"
    return text
