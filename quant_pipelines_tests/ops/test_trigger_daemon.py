"""A triggered range runs to completion as ONE run, dequeued and executed by a real dagster-daemon.

On its own instance (a fresh embedded PostgreSQL), so the daemon does not pick up the
backfills and queued runs the other operations tests leave on the session instance.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from dagster import DagsterInstance, RunsFilter

from quant_pipelines.db import embedded_postgres
from quant_pipelines.ops import cli, trigger
from quant_pipelines.ops.instance import dagster_environment
from quant_pipelines.partitions import RANGE_END_TAG, RANGE_START_TAG
from quant_pipelines.settings import load_settings
from quant_pipelines_tests.ops.fixtures import CONTAINER_WORKSPACE, OPS_DEFS
from quant_pipelines_tests.services import BIN, code_server, free_port, service, webserver

COMPLETION_SECONDS = 120


@pytest.fixture
def daemon_stack(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """Code server, webserver and dagster-daemon on an instance of their own."""
    code_port, web_port = free_port(), free_port()
    try:
        env = {
            **os.environ,
            **dagster_environment(load_settings(state_dir=tmp_path / "state"), environ={}),
            "QUANT_CODE_SERVER_HOST": "127.0.0.1",
            "QUANT_CODE_SERVER_PORT": str(code_port),
        }
        daemon = [str(BIN / "dagster-daemon"), "run", "-w", str(CONTAINER_WORKSPACE)]
        with (
            code_server(OPS_DEFS, code_port, tmp_path, env),
            webserver(CONTAINER_WORKSPACE, web_port, tmp_path, env),
            service("daemon", daemon, tmp_path, lambda: True, env),
        ):
            yield f"http://127.0.0.1:{web_port}", env
    finally:
        embedded_postgres.stop(tmp_path / "state")


@pytest.mark.e2e
def test_a_triggered_range_completes_as_one_run(
    capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, daemon_stack: tuple[str, dict[str, str]]
) -> None:
    url, env = daemon_stack
    assert cli.main(["trigger", "--start", "2025-03-01", "--end", "2025-03-03", "--assets", "all", "--url", url]) == 0
    run_id = capsys.readouterr().out.split()[2].rstrip(":")

    deadline = time.monotonic() + COMPLETION_SECONDS
    while True:
        assert cli.main(["status", run_id, "--url", url]) == 0
        line = capsys.readouterr().out.strip()
        if not any(state in line for state in ("QUEUED", "STARTING", "STARTED")) or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert line == f"run {run_id}: SUCCESS {trigger.ASSET_JOB} 2025-03-01..2025-03-03"
    assert cli.main(["active", "--url", url]) == 0
    assert capsys.readouterr().out == "nothing is queued or running\n"
    assert cli.main(["cancel", run_id, "--url", url]) == 1
    assert capsys.readouterr().err == f"error: run {run_id} already ended (SUCCESS): nothing to cancel\n"

    for name in ("DAGSTER_HOME", "DAGSTER_PG_URL"):
        monkeypatch.setenv(name, env[name])
    with DagsterInstance.get() as instance:
        runs = instance.get_runs(RunsFilter(tags={trigger.TRIGGER_TAG: "quant-pipelines trigger"}))
    assert [run.run_id for run in runs] == [run_id]
    assert runs[0].tags[RANGE_START_TAG] == "2025-03-01"
    assert runs[0].tags[RANGE_END_TAG] == "2025-03-03"
    assert len(runs[0].asset_selection or ()) == 7
