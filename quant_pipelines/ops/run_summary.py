"""What one run changed, read from its own events: a line per chamber (even at 0) and per check.

    run 07b278d6-...: SUCCESS
      senate: 32 filings; documents fetched 32, already archived 0
      house: 43 filings; documents fetched 43, already archived 0, yearly index not modified 0
      trades: 212 new, 3 updated, 0 deleted, 1,040 unchanged (`quant-pipelines changes --since <run id>` lists them)
      check trades/unreadable_filings_share: passed
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

CHAMBERS = (("senate", "senate_filings"), ("house", "house_filings"))
_PAGE = 500


def run_report(instance: Any, run_id: str) -> list[str]:
    """Lines for the operator: the run's status, each chamber's documents and each check's result."""
    from dagster import DagsterEventType

    run = instance.get_run_by_id(run_id)
    metadata: dict[str, dict[str, Any]] = {}
    checks: dict[str, str] = {}
    kinds = {DagsterEventType.ASSET_MATERIALIZATION, DagsterEventType.ASSET_CHECK_EVALUATION}
    for record in _records(instance, run_id, kinds):
        event = record.event_log_entry.dagster_event
        data = event.event_specific_data
        if event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
            key = data.materialization.asset_key.to_user_string()
            metadata.setdefault(key, {name: value.value for name, value in data.materialization.metadata.items()})
        else:
            name = f"{data.asset_key.to_user_string()}/{data.check_name}"
            checks[name] = "passed" if data.passed else f"FAILED ({data.severity.value})"
    lines = [f"run {run_id}: {run.status.value if run else 'unknown'}"]
    for chamber, asset in CHAMBERS:
        lines.append(f"  {chamber}: {_chamber(metadata.get(asset))}")
    if "trades" in metadata:
        lines.append(f"  trades: {_trades(metadata['trades'], run_id)}")
    lines += [f"  check {name}: {result}" for name, result in sorted(checks.items())]
    return lines


def _records(instance: Any, run_id: str, kinds: set) -> Iterator[Any]:
    """The run's events of ``kinds``, a page at a time: a run over years has one per partition
    and asset (tens of thousands), which read at once held some 600 MB."""
    cursor = None
    while True:
        page = instance.get_records_for_run(run_id, cursor=cursor, of_type=kinds, limit=_PAGE)
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
