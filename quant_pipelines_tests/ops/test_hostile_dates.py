"""Bad date ranges through every entry point: the materialize command, GraphQL, a run's own range
tags and the settings that bound them.

The `trigger` command's refusals are tested with its other mistakes (test_trigger_cli.py),
parse_date_range's in test_settings_and_dates.py; the ranges come from hostile/dates.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from quant_pipelines.db.schema import filings
from quant_pipelines.house.assets import house_filings
from quant_pipelines.house.resource import HouseClerkResource
from quant_pipelines.ops import cli, trigger
from quant_pipelines.ops.webserver_api import WebserverClient
from quant_pipelines.senate.assets import senate_filings
from quant_pipelines.senate.resource import SenateEfdBrowser
from quant_pipelines_tests.hostile import cases, dates
from quant_pipelines_tests.materialize import materialize, run_resources
from quant_pipelines_tests.ops.fixtures import Stack

TODAY = datetime.now(UTC).date()
BACKFILLS = "{ partitionBackfillsOrError(limit: 1000) { ... on PartitionBackfills { results { id } } } }"
BACKFILL = """query ($id: String!) { partitionBackfillOrError(backfillId: $id) { ... on PartitionBackfill {
  numPartitions assetBackfillData { rootTargetedPartitions { ranges { start end } } } } } }"""


@pytest.mark.parametrize(("start", "end", "expected"), cases(dates.bad_ranges(TODAY)))
def test_materialize_refuses_a_bad_range_before_touching_anything(
    capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    start: str, end: str | None, expected: str,
) -> None:
    state = tmp_path / "state"
    monkeypatch.setenv("QUANT_STATE_DIR", str(state))
    monkeypatch.setenv("QUANT_DATABASE_URL", "postgresql://nobody:secret@127.0.0.1:9/never")
    argv = ["materialize", "--start", start, *(["--end", end] if end else [])]
    assert cli.main(argv) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"error: {expected}\n")
    assert not state.exists()  # no database started, no log written


def _launch(client: WebserverClient, start: str, end: str) -> dict:
    """What `trigger` would send for [start, end], sent to the webserver directly."""
    selection = {"range": {"start": start, "end": end}}
    params = {
        "partitionsByAssets": [
            {"assetKey": {"path": [key]}, "partitions": selection} for key in trigger.ASSET_SELECTIONS["all"]
        ],
        "title": "a range `trigger` refuses",
    }
    return client.execute(trigger.LAUNCH, params=params)["launchPartitionBackfill"]


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("start", "end"),
    [("2025-02-30", "2025-03-02"), ("03/01/2025", "2025-03-02"), ("2011-12-30", "2012-01-02")],
    ids=["not-a-day", "not-iso", "before-2012"],
)
def test_graphql_refuses_a_backfill_of_days_that_are_not_partitions(ops_stack: Stack, start: str, end: str) -> None:
    client = WebserverClient(ops_stack.webserver)
    before = client.execute(BACKFILLS)["partitionBackfillsOrError"]["results"]
    answer = _launch(client, start, end)
    assert answer["__typename"] != "LaunchBackfillSuccess" and answer["message"]
    assert client.execute(BACKFILLS)["partitionBackfillsOrError"]["results"] == before


@pytest.mark.e2e
def test_graphql_launches_nothing_for_a_reversed_range_and_stops_a_range_at_yesterday(ops_stack: Stack) -> None:
    """Dagster's own API accepts these two (only `trigger` refuses them): it writes nothing wrong."""
    client = WebserverClient(ops_stack.webserver)
    reversed_range = client.execute(BACKFILL, id=_launch(client, "2025-03-05", "2025-03-01")["backfillId"])
    assert reversed_range["partitionBackfillOrError"]["numPartitions"] == 0
    future = client.execute(BACKFILL, id=_launch(client, "2025-03-01", "2099-12-31")["backfillId"])
    ranges = future["partitionBackfillOrError"]["assetBackfillData"]["rootTargetedPartitions"]["ranges"]
    assert ranges == [{"start": "2025-03-01", "end": str(TODAY - timedelta(days=1))}]


def test_a_run_over_a_reversed_range_fails_before_asking_either_site(
    warehouse_env, engine: Engine, monkeypatch: pytest.MonkeyPatch, untouched_url: str
) -> None:
    """A run launched with range tags the wrong way round (by hand, through GraphQL's launchRun)."""
    monkeypatch.setenv("SENATE_EFD_BASE_URL", untouched_url)
    monkeypatch.setenv("HOUSE_CLERK_BASE_URL", untouched_url)
    resources = run_resources(senate_efd=SenateEfdBrowser(), house_clerk=HouseClerkResource())
    result = materialize([senate_filings, house_filings], resources, "2026-06-05", "2026-06-01", raise_on_error=False)
    assert not result.success
    for step in ("senate_filings", "house_filings"):
        failure = result.failure_data_for_node(step).user_failure_data
        assert failure.description == "the run's partition range 2026-06-05..2026-06-01 is reversed: it covers no day"
    with engine.connect() as conn:
        assert conn.execute(select(filings)).all() == []
