"""`quant-pipelines trigger/status/active/cancel` against a real dagster-webserver over GraphQL.

Every mistake in what was asked is one ``error:`` line and exit 2 before any request: the
URL then points at a listening socket and the tests check nobody connected to it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import requests
from dagster_graphql import DagsterGraphQLClient

from quant_pipelines.ops import cli, trigger
from quant_pipelines.ops.webserver_api import WebserverClient, WebserverError
from quant_pipelines.partitions import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG, DateRange
from quant_pipelines_tests.ops.fixtures import Stack
from quant_pipelines_tests.services import free_port

CLI = str(Path(sys.executable).parent / "quant-pipelines")
TOMORROW = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()


def run_main(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse's own errors
        code = int(exc.code)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "environment", "expected"),
    [
        (["trigger", "--start", "2025/03/01"], {}, "start date '2025/03/01' is not a date in YYYY-MM-DD form"),
        (["trigger", "--start", "2025-02-30"], {}, "start date '2025-02-30' is not a calendar date"),
        (["trigger", "--start", "2025-03-05", "--end", "2025-03-01"], {}, "start date 2025-03-05 is after end date"),
        (["trigger", "--start", "2025-03-01", "--end", TOMORROW], {}, "is in the future or not over yet"),
        (["trigger", "--start", "2011-12-31"], {}, "is before the first partition 2012-01-01"),
        (["trigger", "--start", "2025-03-01", "--end", "2025-03-08"], {"QUANT_TRIGGER_MAX_DAYS": "7"},
         "covers 8 days, more than the allowed 7"),
        (["trigger", "--start", "2025-03-01"], {"QUANT_TRIGGER_MAX_DAYS": "0"},
         "QUANT_TRIGGER_MAX_DAYS: Input should be greater than or equal to 1"),
        (["trigger", "--start", "2025-03-01", "--assets", "senat"], {}, "argument --assets: invalid choice: 'senat'"),
        (["trigger", "--end", "2025-03-01"], {}, "the following arguments are required: --start"),
        (["trigger", "--start", "2025-03-01", "--token", "too-short"], {},
         "--token: must be 32 to 128 characters"),
        (["trigger", "--start", "2025-03-01", "--token", "a" * 40 + "/+="], {},  # the proxy accepts none of /+=
         "--token: must be 32 to 128 characters of A-Z a-z 0-9 _ -"),
        (["trigger", "--start", "2025-03-01", "--token", ""], {}, "--token is empty"),
        (["trigger", "--start", "2025-03-01", "--url", "localhost:3000"], {}, "--url: must be an http(s) URL"),
        (["active", "--url", "http://localhost:3000/graphql"], {},
         "--url 'http://localhost:3000/graphql' ends in /graphql: give the webserver (or proxy) root, e.g. http://localhost:3000"),
        (["trigger", "--start", "2025-03-01"], {"QUANT_API_TOKEN": "too-short"}, "QUANT_API_TOKEN: must be 32 to 128"),
        (["materialize", "--start", "2025-03-01", "--select", "nonexistent"], {},
         "--select 'nonexistent' is not an asset: use all, senate, house, * or comma-separated names from "
         "senate_filings, senate_transactions, house_filings, house_transactions, trades, politicians, tickers"),
        (["materialize", "--start", "2025-03-01", "--select", ""], {}, "--select is empty: use all, senate, house"),
        (["materialize", "--start", "2025-03-01", "--select", "senate,senat"], {}, "--select 'senate', 'senat' is not"),
        (["status", "12z45"], {}, "'12z45' is neither a backfill id (8 lowercase letters) nor a run id"),
        (["cancel", "ABCDEFGH"], {}, "'ABCDEFGH' is neither a backfill id"),
        (["cancel", "9070fc05-5bd7"], {"QUANT_WEBSERVER_URL": "http://localhost:3000/graphql"},
         "QUANT_WEBSERVER_URL 'http://localhost:3000/graphql' ends in /graphql"),
        (["active"], {"QUANT_WEBSERVER_URL": "localhost:3000"}, "QUANT_WEBSERVER_URL: must be an http(s) URL"),
        (["trigger", "--start", "2025-03-01", "--url", "http://dagster.example.org"], {"QUANT_API_TOKEN": "t" * 40},
         "refusing to send the API token over plain http to dagster.example.org: use the proxy's https:// URL"),
        (["active", "--url", "http://10.1.2.3:8080"], {"QUANT_API_TOKEN": "t" * 40},
         "refusing to send the API token over plain http to 10.1.2.3"),
    ],
)
def test_a_mistake_is_one_line_exit_2_and_no_request(
    capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, untouched_url: str,
    argv: list[str], environment: dict[str, str], expected: str,
) -> None:
    monkeypatch.delenv("QUANT_API_TOKEN", raising=False)
    monkeypatch.setenv("QUANT_WEBSERVER_URL", untouched_url)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    code, out, err = run_main(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("error: ")
    assert expected in err
    assert "too-short" not in err and "t" * 40 not in err  # a token is never echoed


def test_an_unreachable_webserver_is_one_line_exit_1() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    done = subprocess.run(
        [CLI, "trigger", "--start", "2025-03-01", "--url", url],
        capture_output=True, text=True, timeout=60, env={**os.environ, "QUANT_API_TOKEN": ""},
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"error: cannot reach the Dagster webserver at {url}/graphql: connection refused or host unknown"
    ]


def _graphql(url: str, query: str, **variables: object) -> dict:
    answer = requests.post(f"{url}/graphql", json={"query": query, "variables": variables}, timeout=30)
    answer.raise_for_status()
    return answer.json()["data"]


BACKFILL_QUERY = """query ($id: String!) { partitionBackfillOrError(backfillId: $id) { ... on PartitionBackfill {
  status isAssetBackfill title numPartitions assetSelection { path } tags { key value }
  assetBackfillData { rootTargetedPartitions { ranges { start end } } } } } }"""


@pytest.mark.e2e
@pytest.mark.parametrize("assets", sorted(trigger.ASSET_SELECTIONS))
def test_trigger_backfill_launches_one_partition_range_backfill(
    capsys: pytest.CaptureFixture, ops_stack: Stack, assets: str
) -> None:
    code, out, err = run_main(
        capsys, "trigger", "--start", "2025-03-01", "--end", "2025-03-05", "--assets", assets, "--backfill",
        "--url", ops_stack.webserver,
    )
    assert (code, err) == (0, "")
    backfill_id = out.split()[2].rstrip(":")
    assert out.splitlines()[0] == (
        f"launched backfill {backfill_id}: {assets} for 2025-03-01..2025-03-05 (5 days); "
        "the daemon submits its run within 30 s"
    )

    backfill = _graphql(ops_stack.webserver, BACKFILL_QUERY, id=backfill_id)["partitionBackfillOrError"]
    assert backfill["isAssetBackfill"] and backfill["status"] == "REQUESTED"
    assert {"/".join(key["path"]) for key in backfill["assetSelection"]} == set(trigger.ASSET_SELECTIONS[assets])
    assert backfill["assetBackfillData"]["rootTargetedPartitions"]["ranges"] == [
        {"start": "2025-03-01", "end": "2025-03-05"}
    ]
    assert backfill["numPartitions"] == 5
    assert backfill["title"] == f"{assets} 2025-03-01..2025-03-05"
    assert {"key": trigger.TRIGGER_TAG, "value": "quant-pipelines trigger"} in backfill["tags"]


RUN_QUERY = """query ($id: ID!) { runOrError(runId: $id) { ... on Run {
  status jobName assetSelection { path } tags { key value } } } }"""


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("assets", "end", "partitions"),
    [
        ("all", "2025-03-05", {RANGE_START_TAG: "2025-03-01", RANGE_END_TAG: "2025-03-05"}),
        ("senate", "2025-03-05", {RANGE_START_TAG: "2025-03-01", RANGE_END_TAG: "2025-03-05"}),
        ("house", "2025-03-01", {PARTITION_TAG: "2025-03-01"}),
    ],
)
def test_trigger_queues_the_one_run_a_single_run_backfill_would_make(
    capsys: pytest.CaptureFixture, ops_stack: Stack, assets: str, end: str, partitions: dict[str, str]
) -> None:
    url = ops_stack.webserver
    code, out, err = run_main(capsys, "trigger", "--start", "2025-03-01", "--end", end, "--assets", assets, "--url", url)
    assert (code, err) == (0, "")
    run_id = out.split()[2].rstrip(":")
    days = 5 if end == "2025-03-05" else 1
    assert out.splitlines() == [
        f"launched run {run_id}: {assets} for 2025-03-01..{end} ({days} days)",
        f"follow it with `quant-pipelines status {run_id[:8]}` or {url}/runs/{run_id}",
    ]
    run = _graphql(url, RUN_QUERY, id=run_id)["runOrError"]
    # No daemon runs in this session, so the QueuedRunCoordinator keeps the run queued.
    assert (run["status"], run["jobName"]) == ("QUEUED", trigger.ASSET_JOB)
    assert {"/".join(key["path"]) for key in run["assetSelection"]} == set(trigger.ASSET_SELECTIONS[assets])
    tags = {tag["key"]: tag["value"] for tag in run["tags"]}
    assert tags[trigger.TRIGGER_TAG] == "quant-pipelines trigger"
    assert {key: value for key, value in tags.items() if key in (PARTITION_TAG, RANGE_START_TAG, RANGE_END_TAG)} == partitions
    assert run_main(capsys, "cancel", run_id, "--url", url)[0] == 0


@pytest.mark.e2e
def test_a_launch_the_webserver_cannot_run_is_one_line(ops_stack: Stack) -> None:
    client = WebserverClient(ops_stack.webserver)
    with pytest.raises(WebserverError) as missing:
        trigger.asset_job(client, ("senate_filings", "no_such_asset"))
    assert str(missing.value) == f"the webserver at {client.url} serves no asset no_such_asset"
    keys = trigger.ASSET_SELECTIONS["senate"]
    window = DateRange(date(2025, 3, 1), date(2025, 3, 2))
    params = trigger.run_params(trigger.asset_job(client, keys), keys, window, run_config={"nonsense": {}})
    with pytest.raises(WebserverError) as refused:
        trigger.launch_run(client, params)
    message = str(refused.value)
    assert message.endswith("(RunConfigValidationInvalid)") and "nonsense" in message and "\n" not in message


@pytest.mark.e2e
def test_status_active_and_cancel_of_a_backfill(capsys: pytest.CaptureFixture, ops_stack: Stack) -> None:
    url = ["--url", ops_stack.webserver]
    _, out, _ = run_main(
        capsys, "trigger", "--start", "2025-04-01", "--end", "2025-04-02", "--assets", "house", "--backfill", *url
    )
    backfill_id = out.split()[2].rstrip(":")
    house = "house_filings, house_transactions, trades, politicians, tickers"
    line = f"backfill {backfill_id}: REQUESTED 2025-04-01..2025-04-02 (2 partitions) [{house}]"

    assert run_main(capsys, "status", backfill_id, *url) == (
        0, f"{line}\n  no runs yet (the daemon launches them)\n", ""
    )
    code, out, _ = run_main(capsys, "active", *url)
    assert code == 0 and line in out.splitlines()

    code, out, _ = run_main(capsys, "cancel", backfill_id, *url)
    assert (code, out) == (0, f"backfill {backfill_id}: canceling (the daemon terminates its unfinished runs)\n")
    code, out, _ = run_main(capsys, "status", backfill_id, *url)
    assert out.startswith(f"backfill {backfill_id}: CANCELING 2025-04-01..2025-04-02")


@pytest.mark.e2e
@pytest.mark.filterwarnings("ignore:Using variable_values:DeprecationWarning")  # inside DagsterGraphQLClient
def test_status_active_and_cancel_of_a_queued_run(capsys: pytest.CaptureFixture, ops_stack: Stack) -> None:
    host, port = ops_stack.webserver.removeprefix("http://").split(":")
    run_id = DagsterGraphQLClient(host, port_number=int(port)).submit_job_execution(
        "__ASSET_JOB", tags={"dagster/partition": "2025-04-10"}, asset_selection=[["senate_filings"]]
    )
    url = ["--url", ops_stack.webserver]
    # No daemon runs in this session, so the QueuedRunCoordinator keeps the run queued.
    line = f"run {run_id}: QUEUED __ASSET_JOB 2025-04-10..2025-04-10"
    assert run_main(capsys, "status", run_id[:8], *url) == (0, f"{line}\n", "")
    assert line in run_main(capsys, "active", *url)[1].splitlines()
    assert run_main(capsys, "cancel", run_id.upper(), *url) == (
        0, f"run {run_id}: CANCELED (it was QUEUED); its pool slots are free\n", ""
    )
    assert run_main(capsys, "status", run_id, *url)[1].startswith(f"run {run_id}: CANCELED")


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["status", "zzzzzzzz"], "error: no backfill zzzzzzzz on {url}/graphql\n"),
        (["cancel", "zzzzzzzz"], "error: no backfill zzzzzzzz on {url}/graphql\n"),
        (["status", "00000000-0000-4000-8000-000000000000"],
         "error: no run 00000000-0000-4000-8000-000000000000 on {url}/graphql\n"),
        (["cancel", "00000000-0000-4000-8000-000000000000"],
         "error: no run 00000000-0000-4000-8000-000000000000 on {url}/graphql\n"),
        (["status", "0000ffff"], "error: no run id starting with 0000ffff among the newest 1000 runs on {url}/graphql\n"),
    ],
)
def test_unknown_ids_are_one_line_exit_1(
    capsys: pytest.CaptureFixture, ops_stack: Stack, argv: list[str], expected: str
) -> None:
    assert run_main(capsys, *argv, "--url", ops_stack.webserver) == (1, "", expected.format(url=ops_stack.webserver))
