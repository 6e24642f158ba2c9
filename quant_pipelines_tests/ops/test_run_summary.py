"""The run report finds the run's own materialization of each asset and every check result, page by page."""

import dagster as dg
import pytest

from quant_pipelines.ops import run_summary


class ListedConfig(dg.Config):
    filings: int = 7


@dg.asset(name="house_filings")
def _house_filings(config: ListedConfig) -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"filings": config.filings, "documents_fetched": 5,
                                          "documents_already_archived": 2, "index_not_modified": 1})


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


def test_another_runs_materializations_within_the_span_are_passed_over(monkeypatch: pytest.MonkeyPatch) -> None:
    instance = dg.DagsterInstance.ephemeral()
    earlier = dg.materialize([_house_filings], instance=instance).run_id
    nine = {"ops": {"house_filings": {"config": {"filings": 9}}}}
    later = dg.materialize([_house_filings], instance=instance, run_config=nine).run_id
    # A span over both runs, as when two runs write at the same time: the earlier run's
    # materialization comes first and must not be taken for the later run's.
    span = (run_summary._span(instance, earlier)[0], run_summary._span(instance, later)[1])
    monkeypatch.setattr(run_summary, "_PAGE", 1)
    found = [
        record.run_id
        for record in run_summary._pages(lambda cursor: instance.fetch_materializations(
            dg.AssetKey("house_filings"), limit=1, cursor=cursor, ascending=True))
    ]
    assert found == [earlier, later]
    assert run_summary._first_materialization(instance, later, "house_filings", span)["filings"] == 9
    assert run_summary._first_materialization(instance, earlier, "house_filings", span)["filings"] == 7
    assert run_summary._first_materialization(instance, earlier, "trades", span) is None
