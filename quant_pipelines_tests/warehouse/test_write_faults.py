"""Faults in the warehouse under a real deployment: a run killed mid-write and the warehouse
restarted mid-run leave every table consistent, and the retry converges on what a clean run
writes (the deployment and helpers: quant_pipelines_tests/faults.py)."""

from __future__ import annotations

import time

import psutil
import pytest
from dagster import DagsterEventType
from sqlalchemy import Connection, Engine, insert, text

from quant_pipelines.db.schema import trades
from quant_pipelines_tests.faults import (
    QUICK_CLIENTS,
    RUN_SECONDS,
    Faults,
    assert_same,
    instance_of,
    retry_of,
    snapshot,
)
from quant_pipelines_tests.services import restart_tcp_postgres

pytestmark = pytest.mark.e2e


def hold_key(engine: Engine, filing_id: str, row_number: int) -> Connection:
    """Insert (uncommitted) a trade with this key, so the run's insert into trades waits on it."""
    conn = engine.connect()
    conn.begin()
    conn.execute(insert(trades).values(
        filing_id=filing_id, row_number=row_number, politician_id="house:blocker:ZZ", chamber="house",
        filed_date="2026-01-01", owner="self", asset_name="blocker", transaction_type="purchase",
        amount_min=1, amount_text="$1", raw_sha256="0" * 64, parser_version="test", superseded=False,
    ))
    return conn


def waiting_insert(engine: Engine, timeout: float = RUN_SECONDS) -> int:
    """The client port of the run's window write into trades, once its INSERT waits on the held key."""
    query = text(
        "SELECT client_port FROM pg_stat_activity"
        " WHERE query LIKE '%INSERT INTO quant.trades %' AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            port = conn.execute(query).scalar()
        if port:
            return port
        time.sleep(0.2)
    raise AssertionError("no INSERT into quant.trades waited on the held key")


def process_on_port(client_port: int, server_port: int) -> psutil.Process:
    """The local process whose TCP connection to the warehouse uses ``client_port``."""
    for connection in psutil.net_connections(kind="tcp"):
        if connection.laddr.port == client_port and connection.raddr and connection.raddr.port == server_port:
            return psutil.Process(connection.pid)
    raise AssertionError(f"no process holds 127.0.0.1:{client_port}")


def run_worker_of(step: psutil.Process) -> psutil.Process:
    """The run worker above a step process: the code server's child (a step is its child when
    spawned, its grandchild when forked from the run's forkserver)."""
    chain = [step, *step.parents()]
    for process, parent in zip(chain, chain[1:]):
        if "api grpc" in " ".join(parent.cmdline()):
            return process
    raise AssertionError(f"no code server above process {step.pid}: {step.cmdline()}")


def test_kill_9_mid_warehouse_write_leaves_every_table_as_it_was_and_the_retry_converges(
    faults: Faults, reference
) -> None:
    expected = reference("house", "2026-06-12", "2026-06-12")
    first_key = expected["trades"].iloc[0]
    blocker = hold_key(faults.engine, first_key["filing_id"], int(first_key["row_number"]))
    run_id = faults.deployment.launch("house", "2026-06-12", run_config=QUICK_CLIENTS)
    writer = process_on_port(waiting_insert(faults.engine), faults.port)
    # The INSERT is in flight: what other sessions see now is the committed state before the write.
    before = snapshot(faults.engine)
    upstream = ("filings", "transactions", "raw_documents")
    assert_same({name: before[name] for name in upstream}, {name: expected[name] for name in upstream})
    assert before["trades"].empty
    run_worker = run_worker_of(writer)
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
    waiting_insert(faults.engine)
    restart_tcp_postgres(faults.pg_root)  # cuts the run's session and ours
    blocker.invalidate()
    assert faults.deployment.wait([run_id], RUN_SECONDS) == {run_id: "SUCCESS"}
    with instance_of(faults) as instance:
        retried = instance.get_records_for_run(run_id, of_type=DagsterEventType.STEP_UP_FOR_RETRY).records
    assert [record.event_log_entry.step_key for record in retried] == ["warehouse_tables"]
    assert_same(snapshot(faults.engine), expected)
