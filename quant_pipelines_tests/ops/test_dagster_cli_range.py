"""`dagster asset materialize --partition-range` on the real instance storage: one run, every day."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dagster import DagsterInstance, RunsFilter
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import URL

from quant_pipelines.db.schema import trades
from quant_pipelines.ops.instance import dagster_environment
from quant_pipelines.partitions import RANGE_END_TAG, RANGE_START_TAG
from quant_pipelines.settings import load_settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_partition_range_is_one_run_that_writes_every_day(
    warehouse_env: URL, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    began = datetime.now(UTC)  # the session's instance storage is shared: look at our run only
    instance_env = dagster_environment(load_settings(), environ={})
    env = {**os.environ, **instance_env}
    dagster = str(Path(sys.executable).parent / "dagster")
    command = [
        dagster, "asset", "materialize", "-m", "quant_pipelines_tests.warehouse.window_defs",
        "--select", "window_probe", "--partition-range", "2026-05-01...2026-05-03",
    ]
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]

    with engine.connect() as conn:
        per_day = dict(conn.execute(select(trades.c.filed_date, func.count()).group_by(trades.c.filed_date)).all())
    assert {str(day): count for day, count in per_day.items()} == {
        "2026-05-01": 3, "2026-05-02": 3, "2026-05-03": 3,
    }

    for name, value in instance_env.items():
        monkeypatch.setenv(name, value)
    with DagsterInstance.get() as instance:
        runs = instance.get_runs(RunsFilter(tags={RANGE_START_TAG: "2026-05-01"}, created_after=began))
        assert len(runs) == 1
        assert runs[0].tags[RANGE_END_TAG] == "2026-05-03"
        assert runs[0].is_success
