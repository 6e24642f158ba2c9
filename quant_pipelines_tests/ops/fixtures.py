"""Session fixtures for the operations tests: the production topology, on this machine.

A gRPC code server serves ``ops_defs`` (the real asset keys), and dagster-webserver loads it
through ``docker/workspace.yaml``, on the session's embedded PostgreSQL instance storage, as
the containers do. The read-only viewer is a second webserver under ``/viewer``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from quant_pipelines.ops.instance import dagster_environment
from quant_pipelines.settings import load_settings
from quant_pipelines_tests.services import PROJECT_ROOT, code_server, free_port, webserver

CONTAINER_WORKSPACE = PROJECT_ROOT / "docker" / "workspace.yaml"
OPS_DEFS = "quant_pipelines_tests.ops.defs"
VIEWER_PREFIX = "/viewer"


@dataclass(frozen=True)
class Stack:
    """Where the session's Dagster processes listen and log."""

    env: dict[str, str]
    logs: Path
    webserver: str

    def start_viewer(self):
        """A `--read-only` webserver under /viewer on a free port (a context manager)."""
        port = free_port()
        return port, webserver(
            CONTAINER_WORKSPACE, port, self.logs, self.env, "--read-only", "--path-prefix", VIEWER_PREFIX
        )


@pytest.fixture(scope="session")
def ops_stack(pg_state_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Code server + webserver on the embedded instance storage, stopped at the end of the session."""
    logs = tmp_path_factory.mktemp("ops-logs")
    code_port, web_port = free_port(), free_port()
    env = {
        **os.environ,
        **dagster_environment(load_settings(state_dir=pg_state_dir), environ={}),
        "QUANT_CODE_SERVER_HOST": "127.0.0.1",
        "QUANT_CODE_SERVER_PORT": str(code_port),
    }
    with code_server(OPS_DEFS, code_port, logs, env), webserver(CONTAINER_WORKSPACE, web_port, logs, env):
        yield Stack(env=env, logs=logs, webserver=f"http://127.0.0.1:{web_port}")
