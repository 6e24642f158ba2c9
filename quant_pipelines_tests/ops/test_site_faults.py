"""Flaky and refusing sites under a real deployment: bursts of 503 and an expired session are
retried through; refused documents end as blocked filings and a failed check; a refused listing
fails the step, writes nothing and is recorded by the run-failure sensor (the deployment and
helpers: quant_pipelines_tests/faults.py)."""

from __future__ import annotations

import time

import dagster as dg
import pytest
from dagster import DagsterEventType
from sqlalchemy import select

from quant_pipelines.db.schema import run_failures
from quant_pipelines.warehouse import checks
from quant_pipelines_tests.faults import (
    QUICK_CLIENTS,
    RUN_SECONDS,
    Faults,
    assert_same,
    instance_of,
    ledger,
    snapshot,
)

pytestmark = pytest.mark.e2e

NO_STEP_RETRIES = {"execution": {"config": {"multiprocess": {"retries": {"disabled": {}}}}}}


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
