"""30 daily partitions as ONE run vs 30 separate partition runs, through the daemon, and one daily
partition as the schedule launches it.

    .venv/bin/python bench/runs.py [--start 2025-03-01] [--days 30] [--rounds 1]

A real dagster-webserver and dagster-daemon (instance storage on the embedded PostgreSQL)
run the project's code against the replicas, which serve the same history as the backfill
benchmark (replica/history.py) with the politeness delay off. The range is launched as
`quant-pipelines trigger` does (launchRun of the one run a single-run backfill makes, range
tags) and as `trigger --backfill` does (GraphQL launchPartitionBackfill: the backfill daemon,
which Dagster runs every 30 s, submits that run on its next pass); the separate runs are 30
launchRun requests, one per day, queued by
the QueuedRunCoordinator (dagster.yaml: 4 runs at a time, one step per site at a time);
the daily rows launch the range's last day alone, as the daily schedule does. Wall time runs
from the launch request to the end time Dagster records for the mode's last run (the data is
in); a backfill's own bookkeeping (the backfill daemon marks it complete on its next 30 s tick)
is reported beside it. Each mode starts from an empty warehouse and HTTP cache; rounds
alternate the order.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from common import ROOT, machine_info, outside_environ, render, report
from sqlalchemy import create_engine, text

from quant_pipelines.db import embedded_postgres
from quant_pipelines.db.migrate import upgrade
from quant_pipelines.executor import FORKSERVER
from quant_pipelines.ops.instance import dagster_environment
from quant_pipelines.ops.trigger import launch, launch_range_run
from quant_pipelines.partitions import DateRange
from quant_pipelines.settings import WAREHOUSE_DRIVER, load_settings
from quant_pipelines_tests.deployment import Deployment
from quant_pipelines_tests.replica.history import full_history
from quant_pipelines_tests.replica.house import HouseReplica
from quant_pipelines_tests.replica.senate import SenateReplica

FIXTURES = ROOT.parent / "shared" / "fixtures"
TIMEOUT = 3600
BACKFILL = """query B($id: String!) { partitionBackfillOrError(backfillId: $id) {
  ... on PartitionBackfill { status runs(limit: 100) { runId } } } }"""
RUN_TIMES = """query T($ids: [String!]) { runsOrError(filter: {runIds: $ids}) {
  ... on Runs { results { runId status endTime } } } }"""
TABLES = "quant.filings, quant.transactions, quant.trades, quant.politicians, quant.tickers, quant.raw_documents"


def last_end(deployment: Deployment, run_ids: list[str]) -> float:
    """The latest end time (epoch seconds) Dagster recorded for the runs; all must have succeeded."""
    runs = deployment.client.execute(RUN_TIMES, ids=run_ids)["runsOrError"]["results"]
    if {run["status"] for run in runs} != {"SUCCESS"} or len(runs) != len(run_ids):
        raise SystemExit(f"some runs failed: {[(run['runId'], run['status']) for run in runs]}")
    return max(run["endTime"] for run in runs)


def one_backfill(deployment: Deployment, window: DateRange) -> tuple[float, int, float | None]:
    began = time.time()
    backfill_id = launch(deployment.client, "all", window)
    while time.time() - began < TIMEOUT:
        backfill = deployment.client.execute(BACKFILL, id=backfill_id)["partitionBackfillOrError"]
        if backfill["status"] not in ("REQUESTED", "CANCELING", "FAILING"):
            if backfill["status"] != "COMPLETED_SUCCESS":
                raise SystemExit(f"backfill {backfill_id} ended {backfill['status']}")
            marked = time.time() - began
            run_ids = [run["runId"] for run in backfill["runs"]]
            return last_end(deployment, run_ids) - began, len(run_ids), marked
        time.sleep(0.5)
    raise SystemExit(f"backfill {backfill_id} did not finish in {TIMEOUT} s")


def one_run(deployment: Deployment, window: DateRange) -> tuple[float, int, float | None]:
    began = time.time()
    run_id = launch_range_run(deployment.client, "all", window)
    deployment.wait([run_id], TIMEOUT)
    return last_end(deployment, [run_id]) - began, 1, None


def separate_runs(
    deployment: Deployment, days: list[str], run_config: dict | None = None
) -> tuple[float, int, float | None]:
    began = time.time()
    run_ids = [deployment.launch("all", day, run_config=run_config) for day in days]
    deployment.wait(run_ids, TIMEOUT)
    return last_end(deployment, run_ids) - began, len(run_ids), None


# Run configs of the earlier defaults: steps forked from a preloaded server (last release), and
# Dagster's stock multiprocess start (spawn: each step a fresh Python importing everything).
FORKED = {"execution": {"config": {"multiprocess": {"start_method": FORKSERVER}}}}
SPAWN = {"execution": {"config": {"multiprocess": {}}}}
SINGLE = "one run over the range (trigger)"
MODES = {
    SINGLE: one_run,
    "one single-run backfill of the range (trigger --backfill)": one_backfill,
    "one run per partition": lambda deployment, window: separate_runs(deployment, window.partition_keys()),
    "one run per partition, steps spawned (stock default)": lambda deployment, window: separate_runs(
        deployment, window.partition_keys(), SPAWN
    ),
    # What the daily schedule does: one partition, launched through the daemon's run queue.
    "one daily partition": lambda deployment, window: separate_runs(deployment, window.partition_keys()[-1:]),
    "one daily partition, steps forked (last release)": lambda deployment, window: separate_runs(
        deployment, window.partition_keys()[-1:], FORKED
    ),
    "one daily partition, steps spawned (stock default)": lambda deployment, window: separate_runs(
        deployment, window.partition_keys()[-1:], SPAWN
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=date.fromisoformat, default=date(2025, 3, 1))
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    window = DateRange(args.start, args.start + timedelta(days=args.days - 1))
    history = full_history(window.start, window.end + timedelta(days=1))
    state = Path(tempfile.mkdtemp(prefix="quant-runs-"))
    timings: dict[str, list[tuple[float, int, float | None]]] = {mode: [] for mode in MODES}
    try:
        warehouse = embedded_postgres.server_url(state, "quant", WAREHOUSE_DRIVER)
        engine = create_engine(warehouse)
        upgrade(engine)
        with SenateReplica(FIXTURES, generated=history.senate) as senate, HouseReplica(
            FIXTURES, history.house
        ) as house:
            env = {
                **outside_environ(),
                **dagster_environment(load_settings(state_dir=state), environ={}),
                "QUANT_DATABASE_URL": warehouse.render_as_string(hide_password=False),
                "QUANT_STATE_DIR": str(state),
                "SENATE_EFD_BASE_URL": senate.base_url,
                "HOUSE_CLERK_BASE_URL": house.base_url,
                "QUANT_REQUESTS_PER_SECOND": "1000",
            }
            with Deployment(env, state) as deployment:
                for round_number in range(args.rounds):
                    order = list(MODES) if round_number % 2 == 0 else list(reversed(MODES))
                    for mode in order:
                        with engine.begin() as conn:
                            conn.execute(text(f"TRUNCATE {TABLES}"))
                        shutil.rmtree(state / "http-cache", ignore_errors=True)
                        timings[mode].append(MODES[mode](deployment, window))
                        print(mode, timings[mode][-1], flush=True)
            info = machine_info(engine)
            engine.dispose()
    finally:
        embedded_postgres.stop(state)
        shutil.rmtree(state, ignore_errors=True)
    single = min(seconds for seconds, _, _ in timings[SINGLE])
    rows = []
    for mode, runs in timings.items():
        best = min(runs)
        seconds, count, marked = best
        partitions = 1 if mode.startswith("one daily partition") else args.days
        rows.append([mode, count, seconds, seconds / partitions, seconds / single if partitions > 1 else "",
                     marked if marked is not None else ""])
    table = render(["mode", "runs", "wall s", "s per partition", "x the single run",
                    "backfill marked complete s"], rows)
    report("runs", f"Runs: {args.days} partitions as one run vs one run each", info, table, notes=[
        f"Partitions {window} (both chambers, about {len(history.senate)} Senate and {len(history.house)} generated "
        f"House filings), through dagster-daemon with the project's dagster.yaml; best of {args.rounds} round(s), "
        "wall time from the launch request to the last run's end; each mode starts from an empty warehouse.",
        "The default executor (quant_pipelines/executor.py, auto) runs every step in the run worker for a "
        "window of up to 7 days and forks steps from a server that preloaded quant_pipelines.definitions for "
        "a longer one; \"steps forked\" forces the latter for one day, \"steps spawned\" launches with the "
        "stock multiprocess config, each step a fresh Python importing Dagster, pandas and Selenium. "
        "dagster.yaml dequeues queued runs every second; a backfill's run waits for the backfill daemon's next "
        "pass (every 30 s in Dagster, not configurable), and the bench launches each mode right after the "
        "previous one ended, so that wait is near its 30 s worst case. Targets: one run per partition at least "
        "10x the single run's wall time; one daily partition at most 15 s.",
    ])


if __name__ == "__main__":
    main()
