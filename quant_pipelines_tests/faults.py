"""Fixtures and helpers of the fault scenarios (warehouse/test_write_faults.py, ops/test_site_faults.py,
ops/test_daemon_faults.py): faults injected into a real deployment.

dagster-webserver and dagster-daemon run the project's code on PostgreSQL instance storage;
the warehouse is a PostgreSQL of its own on TCP (so a test can restart it and tell which
process holds a connection). Each scenario launches runs through GraphQL, as operators
do, and compares the warehouse with what a clean in-process run gives.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from dagster import DagsterInstance
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import URL

from quant_pipelines.db import embedded_postgres
from quant_pipelines.db.migrate import upgrade
from quant_pipelines.db.schema import filings, politicians, raw_documents, tickers, trades, transactions
from quant_pipelines.house.resource import HouseClerkResource
from quant_pipelines.ops.instance import INSTANCE_DRIVER
from quant_pipelines.ops.trigger import ASSET_SELECTIONS
from quant_pipelines.senate.resource import SenateEfdBrowser
from quant_pipelines_tests.deployment import Deployment, dagster_home
from quant_pipelines_tests.materialize import ALL_ASSETS, materialize, run_resources
from quant_pipelines_tests.replica.house import HouseReplica
from quant_pipelines_tests.replica.senate import SenateReplica
from quant_pipelines_tests.services import tcp_postgres

TABLES = [filings, transactions, trades, politicians, tickers]
# Timestamps of fetching and parsing differ between two runs; everything else must not.
AUDIT = {"fetched_at", "parsed_at"}
RUN_SECONDS = 240
# Short in-client waits, through run config (the resources' own fields); step policies stay as defined.
QUICK_CLIENTS = {
    "resources": {
        "house_clerk": {"config": {"max_retries": 2, "backoff_seconds": 0.05, "max_backoff_seconds": 0.2}},
        "senate_efd": {"config": {"backoff_seconds": 0.05}},
    }
}


@dataclass
class Faults:
    """A deployment on a TCP warehouse, with both site replicas to inject faults into."""

    deployment: Deployment
    engine: Engine
    senate: SenateReplica
    house: HouseReplica
    pg_root: Path
    port: int
    state: Path

    def clean(self) -> None:
        """An empty warehouse, an empty HTTP cache and faultless sites."""
        with self.engine.begin() as conn:
            conn.execute(text(
                "TRUNCATE quant.filings, quant.transactions, quant.trades, quant.politicians, quant.tickers, "
                "quant.raw_documents, quant.run_failures"
            ))
        shutil.rmtree(self.state / "http-cache", ignore_errors=True)
        self.senate.reset()
        self.house.reset()


@pytest.fixture(scope="module")
def fault_stack(
    fixtures_dir: Path, pg_state_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Faults]:
    """One deployment per test module, stopped after its last scenario."""
    root = tmp_path_factory.mktemp("warehouse-pg")
    password = uuid.uuid4().hex
    with tcp_postgres(root, "quant", password) as port:
        url = URL.create("postgresql+psycopg", "quant", password, "127.0.0.1", port, "postgres")
        engine = create_engine(url, pool_pre_ping=True)
        upgrade(engine)
        instance = embedded_postgres.server_url(pg_state_dir, f"dagster_faults_{uuid.uuid4().hex[:8]}", INSTANCE_DRIVER)
        state = tmp_path_factory.mktemp("faults-state")
        with SenateReplica(fixtures_dir) as senate_site, HouseReplica(fixtures_dir) as house_site:
            env = {
                **os.environ,
                "DAGSTER_HOME": str(dagster_home(tmp_path_factory.mktemp("dagster") / "home")),
                "DAGSTER_PG_URL": instance.render_as_string(hide_password=False),
                "QUANT_DATABASE_URL": url.render_as_string(hide_password=False),
                "QUANT_STATE_DIR": str(state),
                "SENATE_EFD_BASE_URL": senate_site.base_url,
                "HOUSE_CLERK_BASE_URL": house_site.base_url,
                "QUANT_REQUESTS_PER_SECOND": "200",
            }
            with Deployment(env, tmp_path_factory.mktemp("faults-logs")) as deployment:
                yield Faults(deployment, engine, senate_site, house_site, root, port, state)
        engine.dispose()


@pytest.fixture
def faults(fault_stack: Faults) -> Faults:
    """The module's deployment; every scenario starts from a clean warehouse and faultless sites."""
    fault_stack.clean()
    return fault_stack


@pytest.fixture
def reference(
    faults: Faults, warehouse_url: URL, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[[str, str, str], dict[str, pd.DataFrame]]:
    """What a clean in-process run of a chamber's assets writes for a window (on a database of its own)."""

    def build(chamber: str, start: str, end: str) -> dict[str, pd.DataFrame]:
        monkeypatch.setenv("QUANT_DATABASE_URL", warehouse_url.render_as_string(hide_password=False))
        monkeypatch.setenv("QUANT_STATE_DIR", str(tmp_path))
        monkeypatch.setenv("SENATE_EFD_BASE_URL", faults.senate.base_url)
        monkeypatch.setenv("HOUSE_CLERK_BASE_URL", faults.house.base_url)
        monkeypatch.setenv("QUANT_REQUESTS_PER_SECOND", "200")
        resources = run_resources(house_clerk=HouseClerkResource(), senate_efd=SenateEfdBrowser())
        result = materialize(ALL_ASSETS, resources, start, end, selection=ASSET_SELECTIONS[chamber])
        assert result.success
        engine = create_engine(warehouse_url)
        tables = snapshot(engine)
        engine.dispose()
        faults.senate.reset()
        faults.house.reset()
        return tables

    return build


def snapshot(engine: Engine) -> dict[str, pd.DataFrame]:
    """Every warehouse table in key order, audit timestamps left out."""
    with engine.connect() as conn:
        tables = {
            table.name: pd.read_sql(
                select(*[c for c in table.columns if c.name not in AUDIT]).order_by(*table.primary_key.columns), conn
            )
            for table in TABLES
        }
        tables["raw_documents"] = pd.read_sql(select(raw_documents.c.sha256).order_by(raw_documents.c.sha256), conn)
    return tables


def assert_same(actual: dict[str, pd.DataFrame], expected: dict[str, pd.DataFrame]) -> None:
    """Every table of ``expected`` equal in ``actual``."""
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(actual[name], frame, obj=name)


def retry_of(faults: Faults, run_id: str, timeout: float = RUN_SECONDS) -> str:
    """The run the daemon launched to retry ``run_id`` (dagster.yaml run_retries)."""
    with instance_of(faults) as instance:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            children = [run for run in instance.get_runs() if run.parent_run_id == run_id]
            if children:
                return children[0].run_id
            time.sleep(1)
    raise AssertionError(f"run {run_id} was not retried")


@contextmanager
def instance_of(faults: Faults) -> Iterator[DagsterInstance]:
    """The deployment's instance, as seen from this process."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("DAGSTER_HOME", "DAGSTER_PG_URL"):
            patch.setenv(name, faults.deployment.env[name])
        with DagsterInstance.get() as instance:
            yield instance


def ledger(engine: Engine) -> dict[str, dict]:
    """The ledger rows by filing id."""
    with engine.connect() as conn:
        return {row.filing_id: dict(row._mapping) for row in conn.execute(select(filings))}
