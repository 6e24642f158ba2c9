"""The run report reads the run's own events a page at a time and misses none of them."""

from __future__ import annotations

import dagster as dg
import pytest

from quant_pipelines.ops import run_summary


@dg.asset(name="house_filings")
def _house_filings() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"filings": 7, "documents_fetched": 5, "documents_already_archived": 2,
                                          "index_not_modified": 1})


CHECKS = [dg.AssetCheckSpec(name, asset="trades") for name in ("unreadable_filings_share", "no_orphans")]


@dg.asset(name="trades", deps=[_house_filings], check_specs=CHECKS)
def _trades():
    yield dg.MaterializeResult(metadata={"rows_inserted": 1200, "rows_updated": 3, "rows_deleted": 0,
                                         "rows_unchanged": 40})
    yield dg.AssetCheckResult(check_name="unreadable_filings_share", passed=True)
    yield dg.AssetCheckResult(check_name="no_orphans", passed=False, severity=dg.AssetCheckSeverity.WARN)


@pytest.mark.parametrize("page", [1, 2, 500])
def test_the_report_names_every_chamber_and_check_whatever_the_page_size(
    page: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = dg.DagsterInstance.ephemeral()
    run_id = dg.materialize([_house_filings, _trades], instance=instance).run_id
    monkeypatch.setattr(run_summary, "_PAGE", page)  # 4 events: 1, 2 and 500 per page all page through them
    assert run_summary.run_report(instance, run_id) == [
        f"run {run_id}: SUCCESS",
        "  senate: not selected in this run",
        "  house: 7 filings; documents fetched 5, already archived 2, yearly index not modified 1",
        "  trades: 1,200 new, 3 updated, 0 deleted, 40 unchanged "
        f"(`quant-pipelines changes --since {run_id}` lists them)",
        "  check trades/no_orphans: FAILED (WARN)",
        "  check trades/unreadable_filings_share: passed",
    ]
