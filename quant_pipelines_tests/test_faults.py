"""Faults injected into a real deployment: a run killed mid-write, the warehouse restarted
mid-run, flaky and refusing sites, a crashed daemon.

dagster-webserver and dagster-daemon run the project's code on PostgreSQL instance storage;
the warehouse is a PostgreSQL of its own on TCP (so the test can restart it and tell which
process holds a connection). Each scenario launches runs through GraphQL, as operators
do, and compares the warehouse with what a clean in-process run gives.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pandas as pd
import psutil
import pytest
from dagster import DagsterEventType, DagsterInstance
from sqlalchemy import Connection, Engine, create_engine, insert, select, text
from sqlalchemy.engine import URL

from quant_pipelines.db import embedded_postgres
from quant_pipelines.db.migrate import upgrade
from quant_pipelines.db.schema import (
    filings,
    politicians,
    raw_documents,
    run_failures,
    tickers,
    trades,
    transactions,
)
from quant_pipelines.house.resource import HouseClerkResource
from quant_pipelines.ops.instance import INSTANCE_DRIVER
from quant_pipelines.ops.trigger import ASSET_SELECTIONS
from quant_pipelines.senate.resource import SenateEfdBrowser
from quant_pipelines.warehouse import checks
from quant_pipelines_tests.deployment import Deployment, dagster_home
from quant_pipelines_tests.materialize import ALL_ASSETS, materialize, run_resources
from quant_pipelines_tests.replica.house import HouseReplica
from quant_pipelines_tests.replica.senate import SenateReplica
from quant_pipelines_tests.services import restart_tcp_postgres, tcp_postgres

pytestmark = pytest.mark.e2e

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
IN_PROCESS = {"execution": {"config": {"in_process": {}}}}
NO_STEP_RETRIES = {"execution": {"config": {"multiprocess": {"retries": {"disabled": {}}}}}}


@dataclass
class Faults:
    deployment: Deployment
    engine: Engine
    senate: SenateReplica
    house: HouseReplica
    pg_root: Path
    port: int
    state: Path


@pytest.fixture(scope="module")
def faults(fixtures_dir: Path, pg_state_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Faults]:
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


@pytest.fixture(autouse=True)
def clean(faults: Faults) -> None:
    """Every scenario starts from an empty warehouse, an empty HTTP cache and faultless sites."""
    with faults.engine.begin() as conn:
        conn.execute(text(
            "TRUNCATE quant.filings, quant.transactions, quant.trades, quant.politicians, quant.tickers, "
            "quant.raw_documents, quant.run_failures"
        ))
    shutil.rmtree(faults.state / "http-cache", ignore_errors=True)
    faults.senate.reset()
    faults.house.reset()


@pytest.fixture
def reference(faults: Faults, warehouse_url: URL, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
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
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(actual[name], frame, obj=name)


def hold_key(engine: Engine, filing_id: str, row_number: int) -> Connection:
    """Insert (uncommitted) a trade with this key, so the run's COPY into trades waits on it."""
    conn = engine.connect()
    conn.begin()
    conn.execute(insert(trades).values(
        filing_id=filing_id, row_number=row_number, politician_id="house:blocker:ZZ", chamber="house",
        filed_date="2026-01-01", owner="self", asset_name="blocker", transaction_type="purchase",
        amount_min=1, amount_text="$1", raw_sha256="0" * 64, parser_version="test", superseded=False,
    ))
    return conn


def waiting_copy(engine: Engine, timeout: float = RUN_SECONDS) -> int:
    """The client port of the run's COPY into trades, once it waits on the held key."""
    query = text(
        "SELECT client_port FROM pg_stat_activity WHERE query LIKE 'COPY quant.trades%' AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            port = conn.execute(query).scalar()
        if port:
            return port
        time.sleep(0.2)
    raise AssertionError("no COPY into quant.trades waited on the held key")


def process_on_port(client_port: int, server_port: int) -> psutil.Process:
    """The local process whose TCP connection to the warehouse uses ``client_port``."""
    for connection in psutil.net_connections(kind="tcp"):
        if connection.laddr.port == client_port and connection.raddr and connection.raddr.port == server_port:
            return psutil.Process(connection.pid)
    raise AssertionError(f"no process holds 127.0.0.1:{client_port}")


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
    with engine.connect() as conn:
        return {row.filing_id: dict(row._mapping) for row in conn.execute(select(filings))}


def test_kill_9_mid_warehouse_write_leaves_every_table_as_it_was_and_the_retry_converges(
    faults: Faults, reference
) -> None:
    expected = reference("house", "2026-06-12", "2026-06-12")
    first_key = expected["trades"].iloc[0]
    blocker = hold_key(faults.engine, first_key["filing_id"], int(first_key["row_number"]))
    run_id = faults.deployment.launch("house", "2026-06-12", run_config=QUICK_CLIENTS)
    writer = process_on_port(waiting_copy(faults.engine), faults.port)
    # The COPY is in flight: what other sessions see now is the committed state before the write.
    before = snapshot(faults.engine)
    upstream = ("filings", "transactions", "raw_documents")
    assert_same({name: before[name] for name in upstream}, {name: expected[name] for name in upstream})
    assert before["trades"].empty
    run_worker = writer.parent()
    for process in [*run_worker.children(recursive=True), run_worker]:
        process.kill()
    blocker.rollback()
    blocker.close()
    assert_same(snapshot(faults.engine), before)

    retry = retry_of(faults, run_id)
    assert faults.deployment.wait([run_id, retry], RUN_SECONDS) == {run_id: "FAILURE", retry: "SUCCESS"}
    assert_same(snapshot(faults.engine), expected)


def test_warehouse_restarted_mid_write_is_survived_by_the_step_retry(faults: Faults, reference) -> None:
    expected = reference("house", "2026-06-23", "2026-06-23")
    first_key = expected["trades"].iloc[0]
    blocker = hold_key(faults.engine, first_key["filing_id"], int(first_key["row_number"]))
    run_id = faults.deployment.launch("house", "2026-06-23", run_config=QUICK_CLIENTS)
    waiting_copy(faults.engine)
    restart_tcp_postgres(faults.pg_root)  # cuts the run's session and ours
    blocker.invalidate()
    assert faults.deployment.wait([run_id], RUN_SECONDS) == {run_id: "SUCCESS"}
    with instance_of(faults) as instance:
        retried = instance.get_records_for_run(run_id, of_type=DagsterEventType.STEP_UP_FOR_RETRY).records
    assert [record.event_log_entry.step_key for record in retried] == ["warehouse_tables"]
    assert_same(snapshot(faults.engine), expected)


def test_503_bursts_and_an_expired_session_are_survived(faults: Faults, reference) -> None:
    expected = reference("all", "2026-06-12", "2026-06-16")
    faults.senate.expire_sessions_after(6)
    faults.senate.fail_next(2, after=9)
    faults.house.fail(503, times=2, path="/public_disc/financial-pdfs/")
    faults.house.fail(503, times=2, path="/public_disc/ptr-pdfs/")
    run_id = faults.deployment.launch("all", "2026-06-12", "2026-06-16", run_config=QUICK_CLIENTS)
    assert faults.deployment.wait([run_id], RUN_SECONDS) == {run_id: "SUCCESS"}
    # The gate at the start, then again after the expiry: the burst hits that second form
    # submission (503) and the agreement page it retries from (503); the gate is passed once more.
    assert faults.senate.hits("/search/home/", "POST") == 3
    assert faults.senate.faults.fail_next == 0  # the burst was served and retried through
    assert_same(snapshot(faults.engine), expected)


def test_documents_refused_after_the_listing_end_as_blocked_filings_and_a_failed_check(faults: Faults) -> None:
    faults.senate.refuse_reports()
    faults.house.fail(403, times=10**6, path="/public_disc/ptr-pdfs/")
    run_id = faults.deployment.launch("all", "2026-06-12", "2026-06-16", run_config=QUICK_CLIENTS)
    assert faults.deployment.wait([run_id], RUN_SECONDS) == {run_id: "SUCCESS"}

    book = ledger(faults.engine)
    assert {row["source"] for row in book.values()} == {"senate", "house"}
    assert {row["status"] for row in book.values()} == {"blocked"}
    assert all("HTTP 403" in row["reason"] for row in book.values()), [row["reason"] for row in book.values()]
    assert snapshot(faults.engine)["transactions"].empty
    # One refusal per site is enough: the rest of the window is recorded as not requested.
    assert len(faults.senate.document_hits()) == 1
    assert len([path for path in faults.house.requests if path.endswith(".pdf")]) == 1

    with instance_of(faults) as instance:
        records = instance.get_records_for_run(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION).records
    evaluations = {
        r.event_log_entry.dagster_event.event_specific_data.check_name: r.event_log_entry.dagster_event.event_specific_data
        for r in records
    }
    unreadable = evaluations[checks.UNREADABLE_FILINGS_SHARE]
    assert not unreadable.passed and unreadable.severity == dg.AssetCheckSeverity.ERROR
    assert unreadable.metadata["share"].value == 1.0


def test_a_refused_listing_fails_the_step_writes_nothing_and_is_recorded(faults: Faults) -> None:
    faults.house.block(403)
    run_config = {**QUICK_CLIENTS, **NO_STEP_RETRIES}
    run_id = faults.deployment.launch("house", "2026-06-12", "2026-06-13", run_config=run_config)
    assert faults.deployment.wait([run_id], RUN_SECONDS) == {run_id: "FAILURE"}
    assert all(frame.empty for frame in snapshot(faults.engine).values())

    deadline = time.monotonic() + 90  # the run-failure sensor ticks every 30 s
    recorded = []
    while not recorded and time.monotonic() < deadline:
        with faults.engine.connect() as conn:
            recorded = [dict(row._mapping) for row in conn.execute(select(run_failures))]
        time.sleep(1)
    assert len(recorded) == 1, "the run-failure sensor recorded nothing"
    failure = recorded[0]
    assert (failure["run_id"], failure["partition_range"], failure["failed_steps"]) == (
        run_id, "2026-06-12..2026-06-13", "house_filings",
    )
    assert "house_filings: House Clerk listing unavailable, nothing recorded" in failure["message"]
    assert "HTTP 403" in failure["message"]


def test_runs_queued_when_the_daemon_dies_all_complete_after_its_restart(faults: Faults) -> None:
    days = [f"2026-06-{day:02d}" for day in (8, 9, 10, 11, 12, 15)]
    run_ids = [faults.deployment.launch("house", day, run_config={**QUICK_CLIENTS, **IN_PROCESS}) for day in days]
    deadline = time.monotonic() + RUN_SECONDS
    while True:  # some runs going, some waiting, none half-launched
        statuses = set(faults.deployment.statuses(run_ids).values())
        if statuses & {"STARTED", "SUCCESS"} and "QUEUED" in statuses and "STARTING" not in statuses:
            break
        assert time.monotonic() < deadline, statuses
        time.sleep(0.1)
    faults.deployment.kill_daemon()
    at_kill = faults.deployment.statuses(run_ids)
    queued = [run_id for run_id, status in at_kill.items() if status == "QUEUED"]
    assert queued
    time.sleep(3)
    assert {faults.deployment.statuses(queued)[run_id] for run_id in queued} == {"QUEUED"}  # nobody dequeues

    faults.deployment.start_daemon()
    finished = faults.deployment.wait(run_ids, RUN_SECONDS)
    for run_id, status in finished.items():
        if status != "SUCCESS":
            # Only a launch the crash cut short (the daemon dequeued it in the instant before the
            # kill) may fail, after run_monitoring's start timeout; run retries then run it again.
            assert at_kill[run_id] == "STARTING", (run_id, at_kill[run_id], status)
            retry = retry_of(faults, run_id)
            assert faults.deployment.wait([retry], RUN_SECONDS) == {retry: "SUCCESS"}
    assert all(finished[run_id] == "SUCCESS" for run_id in queued)  # no queued run lost
    with instance_of(faults) as instance:
        starts = {run_id: len(instance.get_records_for_run(run_id, of_type=DagsterEventType.RUN_START).records)
                  for run_id in run_ids if finished[run_id] == "SUCCESS"}
    assert set(starts.values()) == {1}  # each ran once, none twice
    listed = {str(filing.filed) for filing in faults.house.listing(2026).values()} & set(days)
    assert {str(row["filed_date"]) for row in ledger(faults.engine).values()} == listed
