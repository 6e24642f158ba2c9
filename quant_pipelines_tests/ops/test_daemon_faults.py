"""A crashed daemon under a real deployment: runs queued when it dies all complete after its
restart, each once (the deployment and helpers: quant_pipelines_tests/faults.py)."""

from __future__ import annotations

import time

import pytest
from dagster import DagsterEventType

from quant_pipelines_tests.faults import QUICK_CLIENTS, RUN_SECONDS, Faults, instance_of, ledger, retry_of

pytestmark = pytest.mark.e2e

IN_PROCESS = {"execution": {"config": {"in_process": {}}}}


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
