"""Stopping `quant-pipelines materialize` mid-window must not wedge the next run (real CLI, replicas,
embedded PostgreSQL, Chromium): the run ends CANCELED, its browser and driver are gone, its pool
slots are free, and the next materialize completes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from dagster import DagsterInstance
from sqlalchemy.engine import URL

from quant_pipelines.instance import dagster_environment
from quant_pipelines.settings import load_settings
from quant_pipelines_tests.ops_fixtures import Stack
from quant_pipelines_tests.replica.house import HouseReplica
from quant_pipelines_tests.replica.senate import SenateReplica

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
CLI = str(Path(sys.executable).parent / "quant-pipelines")
BROWSER_NAMES = ("chromedriver", "chromium", "chrome")


def browsers_of(process: psutil.Popen, timeout: float = 180) -> list[psutil.Process]:
    """Wait until the CLI's run has started chromedriver and Chromium; return those processes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in _descendants(process) if p.name().startswith(BROWSER_NAMES)]
        if any(p.name() == "chromedriver" for p in found) and any(p.name() != "chromedriver" for p in found):
            return found
        assert process.poll() is None, "the CLI ended before its run opened a browser"
        time.sleep(0.2)
    raise AssertionError("the run never started Chromium")


def _descendants(process: psutil.Popen) -> list[psutil.Process]:
    try:
        return process.children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def still_running(process: psutil.Process) -> bool:
    """Alive and not a zombie (this container's init does not reap orphans)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def start_materialize(env: dict[str, str], out_path: Path) -> psutil.Popen:
    """A slow (3 requests/s) 60-day materialize of the Senate assets, its output going to ``out_path``."""
    with out_path.open("w") as out:
        return psutil.Popen(
            [CLI, "materialize", "--start", "2026-04-01", "--end", "2026-05-30", "--select", "senate"],
            env={**env, "QUANT_REQUESTS_PER_SECOND": "3"}, stdout=out, stderr=subprocess.STDOUT,
        )


def assert_canceled_and_freed(run_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run is CANCELED in the instance and holds no slot of either site's pool."""
    for name, value in dagster_environment(load_settings(), environ={}).items():
        monkeypatch.setenv(name, value)
    with DagsterInstance.get() as instance:
        assert instance.get_run_by_id(run_id).status.value == "CANCELED"
        for pool in ("senate_site", "house_site"):
            assert run_id not in instance.event_log_storage.get_concurrency_info(pool).active_run_ids


@pytest.mark.parametrize(("sent", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_materialize_is_canceled_cleaned_up_and_the_next_one_runs(
    fixtures_dir: Path, warehouse_env: URL, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    sent: signal.Signals, exit_code: int,
) -> None:
    out_path = tmp_path / "stdout.txt"
    with SenateReplica(fixtures_dir) as senate, HouseReplica(fixtures_dir) as house:
        env = {**os.environ, "SENATE_EFD_BASE_URL": senate.base_url, "HOUSE_CLERK_BASE_URL": house.base_url}
        cli = start_materialize(env, out_path)
        try:
            browsers = browsers_of(cli)
            cli.send_signal(sent)
            assert cli.wait(timeout=120) == exit_code
        finally:
            if cli.is_running():
                cli.kill()
        text = out_path.read_text()
        stopped = re.search(rf"^stopped run (\S+) \({sent.name}\): CANCELED, browser closed, pool slots freed$", text, re.M)
        assert stopped, text
        assert "Traceback" not in text
        assert not [p for p in browsers if still_running(p)]
        assert_canceled_and_freed(stopped[1], monkeypatch)
        if sent != signal.SIGINT:
            return
        following = subprocess.run(
            [CLI, "materialize", "--start", "2026-06-03", "--end", "2026-06-04"],
            env={**env, "QUANT_REQUESTS_PER_SECOND": "50"}, capture_output=True, text=True, timeout=300,
        )
    assert following.returncode == 0, following.stdout[-2000:] + following.stderr[-2000:]
    assert "Loaded for filed dates 2026-06-03 .. 2026-06-04:" in following.stdout


def test_cancel_stops_a_running_materialize_and_says_what_it_did(
    fixtures_dir: Path, warehouse_env: URL, ops_stack: Stack, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    out_path = tmp_path / "stdout.txt"
    with SenateReplica(fixtures_dir) as senate, HouseReplica(fixtures_dir) as house:
        env = {**os.environ, "SENATE_EFD_BASE_URL": senate.base_url, "HOUSE_CLERK_BASE_URL": house.base_url}
        cli = start_materialize(env, out_path)
        try:
            browsers = browsers_of(cli)
            started = re.search(r"^run (\S+) started; stop it with Ctrl-C or `quant-pipelines cancel \1`$",
                                out_path.read_text(), re.M)
            assert started, out_path.read_text()
            run_id = started[1]
            done = subprocess.run(  # the short id the UI shows
                [CLI, "cancel", run_id[:8], "--url", ops_stack.webserver],
                capture_output=True, text=True, timeout=120, env=env,
            )
            assert cli.wait(timeout=120) == 1
        finally:
            if cli.is_running():
                cli.kill()
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"run {run_id}: CANCELED (it was STARTED); its pool slots are free\n"
    assert f"stopped run {run_id} (a cancel request): CANCELED, browser closed, pool slots freed" in out_path.read_text()
    assert not [p for p in browsers if still_running(p)]
    assert_canceled_and_freed(run_id, monkeypatch)
