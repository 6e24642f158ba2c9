"""A running Dagster deployment for end-to-end tests and benchmarks.

dagster-webserver and dagster-daemon load the project's code (``workspace.yaml``) on
PostgreSQL instance storage, with an environment that points the pipeline at a warehouse
and at the site replicas. :class:`Deployment` starts both, waits until the daemons are
healthy, lets a test kill and restart the daemon, and stops everything it started.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL

from quant_pipelines.ops.instance import DAGSTER_YAML, EVENT_SETTINGS
from quant_pipelines.ops.trigger import ASSET_SELECTIONS, launch_run, run_params
from quant_pipelines.ops.webserver_api import WebserverClient
from quant_pipelines.partitions import DateRange
from quant_pipelines_tests.services import BIN, PROJECT_ROOT, free_port, service, webserver

WORKSPACE = PROJECT_ROOT / "workspace.yaml"
REPOSITORY = {"repositoryLocationName": "quant_pipelines", "repositoryName": "__repository__"}
JOB = "congress_ptrs"
FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}

DAEMON_HEALTH = "{ instance { daemonHealth { allDaemonStatuses { daemonType healthy } } } }"
RUN_STATUSES = """query R($ids: [String!]) { runsOrError(filter: {runIds: $ids}) {
  ... on Runs { results { runId status } } } }"""


def clone_database(template: URL, name: str) -> URL:
    """A new database on the template's server, copied from the template database."""
    admin = template.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template.database))
        )
    return template.set(database=name)


def dagster_home(directory: Path) -> Path:
    """A DAGSTER_HOME holding the project's dagster.yaml (linked, so there is one copy)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "dagster.yaml").symlink_to(DAGSTER_YAML)
    return directory


class Deployment:
    """Webserver + daemon on ``env``; use as a context manager."""

    def __init__(self, env: Mapping[str, str], logs: Path, workspace: Path = WORKSPACE) -> None:
        # The event settings every deployment of the project runs with (docker/Dockerfile, the CLI).
        self.env, self.logs, self.workspace = {**EVENT_SETTINGS, **env}, logs, workspace
        self.url = ""
        self.client: WebserverClient | None = None
        self._stack = ExitStack()
        self._daemon = None
        self._crashed_groups: list[int] = []

    def __enter__(self) -> Deployment:
        port = free_port()
        self._stack.enter_context(webserver(self.workspace, port, self.logs, self.env))
        self.url = f"http://127.0.0.1:{port}"
        self.client = WebserverClient(self.url)
        self.start_daemon()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop_daemon()
        self._stack.close()
        for group in self._crashed_groups:  # what a killed daemon left running (its code server)
            try:
                os.killpg(group, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def start_daemon(self) -> None:
        """Start dagster-daemon and wait until it reports healthy."""
        command = [str(BIN / "dagster-daemon"), "run", "-w", str(self.workspace)]
        self._daemon = service("daemon", command, self.logs, lambda: True, self.env)
        self._process = self._daemon.__enter__()
        wait_for_daemons(self.client)

    def stop_daemon(self) -> None:
        if self._daemon is not None:
            self._daemon.__exit__(None, None, None)
            self._daemon = None

    def kill_daemon(self) -> None:
        """SIGKILL the daemon process alone, as a crash would; its children are reaped at exit."""
        self._process.kill()
        self._process.wait(timeout=10)
        self._crashed_groups.append(self._process.pid)  # started in a session of its own
        self._daemon = None

    def launch(self, chamber: str, start: str, end: str | None = None, *, run_config: Mapping[str, Any] | None = None,
               tags: Mapping[str, str] | None = None) -> str:
        """Queue one run of ``congress_ptrs`` for a chamber's assets over [start, end]; return its id."""
        window = DateRange(date.fromisoformat(start), date.fromisoformat(end or start))
        selector = {**REPOSITORY, "jobName": JOB}
        return launch_run(self.client, run_params(selector, ASSET_SELECTIONS[chamber], window, run_config, tags))

    def statuses(self, run_ids: Sequence[str]) -> dict[str, str]:
        runs = self.client.execute(RUN_STATUSES, ids=list(run_ids))["runsOrError"]["results"]
        return {run["runId"]: run["status"] for run in runs}

    def wait(self, run_ids: Sequence[str], timeout: float) -> dict[str, str]:
        """Wait until every run has finished; return their statuses."""
        deadline = time.monotonic() + timeout
        while True:
            statuses = self.statuses(run_ids)
            if set(statuses.values()) <= FINISHED and len(statuses) == len(run_ids):
                return statuses
            if time.monotonic() > deadline:
                raise AssertionError(f"runs still unfinished after {timeout:.0f}s: {statuses}")
            time.sleep(1)


def wait_for_daemons(client: WebserverClient, timeout: float = 120) -> None:
    """Wait until the scheduler, backfill and run-queue daemons report healthy."""
    deadline = time.monotonic() + timeout
    needed = {"SCHEDULER", "BACKFILL", "QUEUED_RUN_COORDINATOR"}
    while True:
        statuses = client.execute(DAEMON_HEALTH)["instance"]["daemonHealth"]["allDaemonStatuses"]
        if needed <= {status["daemonType"] for status in statuses if status["healthy"]}:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"daemons not healthy: {statuses}")
        time.sleep(1)
