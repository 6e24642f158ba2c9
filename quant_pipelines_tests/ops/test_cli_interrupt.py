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

from quant_pipelines.db import embedded_postgres
from quant_pipelines.ops import pools
from quant_pipelines.ops.instance import DAGSTER_YAML, INSTANCE_DRIVER, dagster_environment
from quant_pipelines.settings import load_settings
from quant_pipelines_tests.ops.fixtures import Stack
from quant_pipelines_tests.replica.house import HouseReplica
from quant_pipelines_tests.replica.senate import SenateReplica

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
CLI = str(Path(sys.executable).parent / "quant-pipelines")
BROWSER_NAMES = ("chromedriver", "chromium", "chrome")


def browsers_of(process: psutil.Popen, timeout: float = 180) -> list[psutil.Process]:
    """Wait until the CLI's run has started chromedriver and Chromium; return those processes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        named = [(p, name) for p in _descendants(process) if (name := _name(p)).startswith(BROWSER_NAMES)]
        if any(name == "chromedriver" for _, name in named) and any(name != "chromedriver" for _, name in named):
            return [p for p, _ in named]
        assert process.poll() is None, "the CLI ended before its run opened a browser"
        time.sleep(0.2)
    raise AssertionError("the run never started Chromium")


def _name(process: psutil.Process) -> str:
    """The process's name, or "" when it ended since it was listed (a short-lived helper process)."""
    try:
        return process.name()
    except psutil.NoSuchProcess:
        return ""


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


def start_materialize(
    env: dict[str, str], out_path: Path, start: str = "2026-04-01", end: str = "2026-05-30", rate: str = "3"
) -> psutil.Popen:
    """A materialize of the Senate assets (60 days at 3 requests/s by default), its output going to ``out_path``."""
    with out_path.open("w") as out:
        return psutil.Popen(
            [CLI, "materialize", "--start", start, "--end", end, "--select", "senate"],
            env={**env, "QUANT_REQUESTS_PER_SECOND": rate}, stdout=out, stderr=subprocess.STDOUT,
        )


def wait_for_line(path: Path, pattern: str, process: psutil.Popen, timeout: float = 180) -> re.Match:
    """The first line of ``path`` matching ``pattern``, once the process has written it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(pattern, path.read_text(), re.M)
        if found:
            return found
        assert process.poll() is None, path.read_text()
        time.sleep(0.2)
    raise AssertionError(f"no line like {pattern!r} in:\n{path.read_text()}")


def assert_canceled_and_freed(run_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run is CANCELED in the instance and holds no slot of either site's pool."""
    for name, value in dagster_environment(load_settings(), environ={}).items():
        monkeypatch.setenv(name, value)
    with DagsterInstance.get() as instance:
        assert instance.get_run_by_id(run_id).status.value == "CANCELED"
        for pool in ("senate_site", "house_site"):
            assert run_id not in instance.event_log_storage.get_concurrency_info(pool).active_run_ids


@pytest.mark.parametrize(("sent", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_materialize_is_canceled_cleaned_up_and_the_waiting_one_runs(
    fixtures_dir: Path, warehouse_env: URL, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    sent: signal.Signals, exit_code: int,
) -> None:
    first_out, second_out = tmp_path / "first.txt", tmp_path / "second.txt"
    with SenateReplica(fixtures_dir) as senate, HouseReplica(fixtures_dir) as house:
        env = {**os.environ, "SENATE_EFD_BASE_URL": senate.base_url, "HOUSE_CLERK_BASE_URL": house.base_url}
        first = start_materialize(env, first_out, rate="0.5")
        second = None
        try:
            browsers = browsers_of(first)
            first_id = wait_for_line(first_out, r"^run (\S+) started;", first)[1]
            if sent == signal.SIGINT:  # a second run waits for the senate_site pool and says who holds it
                second = start_materialize(env, second_out, "2026-06-03", "2026-06-04", rate="50")
                wait_for_line(
                    second_out, rf"^waiting: pool senate_site \(one step at a time\) is held by run {first_id} "
                    rf"\(STARTED\); this run goes on when that one ends, or stop that one: "
                    rf"quant-pipelines cancel {first_id}$", second,
                )
            first.send_signal(sent)
            assert first.wait(timeout=120) == exit_code
            if second is not None:
                assert second.wait(timeout=300) == 0, second_out.read_text()
        finally:
            for process in (first, second):
                if process is not None and process.is_running():
                    process.kill()
    text = first_out.read_text()
    assert f"stopped run {first_id} ({sent.name}): CANCELED, browser closed, pool slots freed\n" in text
    assert "Traceback" not in text
    assert not [p for p in browsers if still_running(p)]
    assert_canceled_and_freed(first_id, monkeypatch)
    if second is not None:
        assert "Loaded for filed dates 2026-06-03..2026-06-04:" in second_out.read_text()


def test_cancel_stops_a_running_materialize_and_says_what_it_did(
    fixtures_dir: Path, warehouse_env: URL, ops_stack: Stack, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    out_path = tmp_path / "stdout.txt"
    with SenateReplica(fixtures_dir) as senate, HouseReplica(fixtures_dir) as house:
        env = {**os.environ, "SENATE_EFD_BASE_URL": senate.base_url, "HOUSE_CLERK_BASE_URL": house.base_url}
        cli = start_materialize(env, out_path)
        try:
            browsers = browsers_of(cli)
            started = wait_for_line(
                out_path, r"^run (\S+) started; stop it with Ctrl-C or `quant-pipelines cancel \1`$", cli
            )
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


def test_a_slot_left_by_a_run_that_is_gone_is_freed_when_a_step_waits_for_it(
    pg_state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A killed worker's claim (its run deleted or ended) must not block the pool for ever."""
    url = embedded_postgres.server_url(pg_state_dir, "dagster_stale_slot", INSTANCE_DRIVER)
    monkeypatch.setenv("DAGSTER_PG_URL", url.render_as_string(hide_password=False))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    (tmp_path / "dagster.yaml").symlink_to(DAGSTER_YAML)
    gone = "00000000-0000-4000-8000-00000000dead"
    with DagsterInstance.get() as instance:
        storage = instance.event_log_storage
        storage.initialize_concurrency_limit_to_default("senate_site")  # as a step's first claim does
        assert storage.claim_concurrency_slot("senate_site", gone, "senate_filings").is_claimed
        assert pools.explain_blocked(instance, "senate_site", own_run_id=None) == [
            f"pool senate_site: run {gone} had ended (deleted) without freeing its slot: freed it"
        ]
        assert storage.get_concurrency_info("senate_site").claimed_slots == []
