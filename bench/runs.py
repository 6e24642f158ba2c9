"""30 daily partitions as ONE single-run backfill vs 30 separate partition runs, through the daemon.

    .venv/bin/python bench/runs.py [--start 2025-03-01] [--days 30] [--rounds 1]

A real dagster-webserver and dagster-daemon (instance storage on the embedded PostgreSQL)
run the project's code against the replicas, which serve the same history as the backfill
benchmark (replica/history.py) with the politeness delay off. The backfill is launched
as `quant-pipelines trigger` does (GraphQL launchPartitionBackfill, one run by the
single-run policy); the separate runs are 30 launchRun requests, one per day, queued by
the QueuedRunCoordinator (dagster.yaml: 4 runs at a time, one step per site at a time);
the daily rows launch the range's last day alone, as the daily schedule does.
Each mode starts from an empty warehouse and HTTP cache; rounds alternate the order.
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
from quant_pipelines.ops.instance import dagster_environment
from quant_pipelines.ops.trigger import launch
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
TABLES = "quant.filings, quant.transactions, quant.trades, quant.politicians, quant.tickers, quant.raw_documents"


def one_backfill(deployment: Deployment, window: DateRange) -> tuple[float, int]:
    began = time.perf_counter()
    backfill_id = launch(deployment.client, "all", window)
    while time.perf_counter() - began < TIMEOUT:
        backfill = deployment.client.execute(BACKFILL, id=backfill_id)["partitionBackfillOrError"]
        if backfill["status"] not in ("REQUESTED", "CANCELING", "FAILING"):
            if backfill["status"] != "COMPLETED_SUCCESS":
                raise SystemExit(f"backfill {backfill_id} ended {backfill['status']}")
            return time.perf_counter() - began, len(backfill["runs"])
        time.sleep(1)
    raise SystemExit(f"backfill {backfill_id} did not finish in {TIMEOUT} s")


def separate_runs(deployment: Deployment, days: list[str], run_config: dict | None = None) -> tuple[float, int]:
    began = time.perf_counter()
    run_ids = [deployment.launch("all", day, run_config=run_config) for day in days]
    statuses = deployment.wait(run_ids, TIMEOUT)
    if set(statuses.values()) != {"SUCCESS"}:
        raise SystemExit(f"some runs failed: {statuses}")
    return time.perf_counter() - began, len(run_ids)


# Run config that restores Dagster's stock multiprocess start (spawn: each step imports everything).
SPAWN = {"execution": {"config": {"multiprocess": {}}}}
MODES = {
    "one single-run backfill of the range": one_backfill,
    "one run per partition": lambda deployment, window: separate_runs(deployment, window.partition_keys()),
    "one run per partition, steps spawned (the old default)": lambda deployment, window: separate_runs(
        deployment, window.partition_keys(), SPAWN
    ),
    # What the daily schedule does: one partition, launched through the daemon's run queue.
    "one daily partition": lambda deployment, window: separate_runs(deployment, window.partition_keys()[-1:]),
    "one daily partition, steps spawned (the old default)": lambda deployment, window: separate_runs(
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
    timings: dict[str, list[tuple[float, int]]] = {mode: [] for mode in MODES}
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
    single = min(seconds for seconds, _ in timings[next(iter(MODES))])
    rows = []
    for mode, runs in timings.items():
        best, count = min(s for s, _ in runs), runs[0][1]
        partitions = args.days if count > 1 or mode == next(iter(MODES)) else 1
        rows.append([mode, count, best, best / partitions, best / single if partitions > 1 else ""])
    table = render(["mode", "runs", "wall s", "s per partition", "x the single run"], rows)
    report("runs", f"Runs: {args.days} partitions as one run vs one run each", info, table, notes=[
        f"Partitions {window} (both chambers, about {len(history.senate)} Senate and {len(history.house)} generated "
        f"House filings), through dagster-daemon with the project's dagster.yaml; best of {args.rounds} round(s), "
        "wall time from the launch request to the last run's end; each mode starts from an empty warehouse.",
        "Steps run in processes forked from a server that preloaded quant_pipelines.definitions "
        "(quant_pipelines/executor.py: forkserver); \"steps spawned\" rows launch with the stock multiprocess "
        "config instead, each step a fresh Python importing Dagster, pandas and Selenium. Targets: one run per "
        "partition at least 10x the single run's wall time; one daily partition at most 15 s.",
    ])


if __name__ == "__main__":
    main()
