"""Shared fixtures: the real captures in ../shared/fixtures and a real embedded PostgreSQL.

One pgserver cluster runs per test session in a temporary state dir. The schema is
migrated once into a template database; every test that asks for ``warehouse`` gets a
fresh database cloned from it, so tests never see each other's rows.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL

from quant_pipelines.db import embedded_postgres
from quant_pipelines.db.migrate import upgrade
from quant_pipelines.settings import WAREHOUSE_DRIVER
from quant_pipelines_tests.deployment import clone_database
from quant_pipelines_tests.faults import fault_stack, faults, reference  # noqa: F401  (fixtures of the fault scenarios)
from quant_pipelines_tests.ops.fixtures import ops_stack  # noqa: F401  (session fixture of the operations tests)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = PROJECT_ROOT.parent / "shared" / "fixtures"
TEMPLATE_DATABASE = "quant_template"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """../shared/fixtures beside the project (tests read it in place, never copy it)."""
    if not (FIXTURES / "MANIFEST.md").exists():
        pytest.fail(f"the shared fixtures are missing: expected {FIXTURES}/MANIFEST.md")
    return FIXTURES


@pytest.fixture(scope="session")
def pg_state_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A state dir whose embedded PostgreSQL runs for the whole session, then stops."""
    state_dir = tmp_path_factory.mktemp("state")
    yield state_dir
    embedded_postgres.stop(state_dir)


@pytest.fixture(scope="session")
def template_url(pg_state_dir: Path) -> URL:
    """A database migrated to the newest revision, cloned by every test that needs one."""
    template = embedded_postgres.server_url(pg_state_dir, TEMPLATE_DATABASE, WAREHOUSE_DRIVER)
    engine = create_engine(template)
    upgrade(engine)
    engine.dispose()
    return template


@pytest.fixture
def warehouse_url(template_url: URL) -> Iterator[URL]:
    """URL of a new database cloned from the migrated template, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield clone_database(template_url, name)
    admin = template_url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def warehouse_env(monkeypatch: pytest.MonkeyPatch, warehouse_url: URL, pg_state_dir: Path) -> URL:
    """Point the project's settings at the test database (what an operator's env would do)."""
    monkeypatch.setenv("QUANT_DATABASE_URL", warehouse_url.render_as_string(hide_password=False))
    monkeypatch.setenv("QUANT_STATE_DIR", str(pg_state_dir))
    return warehouse_url


@pytest.fixture
def untouched_url() -> Iterator[str]:
    """A URL whose socket listens but must never see a connection (checked after the test)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.setblocking(False)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
        with pytest.raises(BlockingIOError):
            listener.accept()  # a connection attempt would be waiting here


@pytest.fixture
def engine(warehouse_url: URL) -> Iterator[Engine]:
    """An engine on the test's own migrated database."""
    engine = create_engine(warehouse_url)
    yield engine
    engine.dispose()
