"""The README's main command path: `quant-pipelines materialize` over 3 days against both replicas
is one `dagster asset materialize -m quant_pipelines.definitions --partition-range` run on the
PostgreSQL instance storage, writes every day, and prints what was loaded."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dagster import DagsterInstance, RunsFilter
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import URL

from quant_pipelines.db.schema import filings, trade_changes, trades
from quant_pipelines.ops.instance import dagster_environment
from quant_pipelines.partitions import RANGE_END_TAG, RANGE_START_TAG
from quant_pipelines.settings import load_settings
from quant_pipelines_tests.replica.house import HouseReplica
from quant_pipelines_tests.replica.senate import SenateReplica

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
CLI = str(Path(sys.executable).parent / "quant-pipelines")


def test_materialize_a_range_in_one_run_and_print_the_summary(
    fixtures_dir: Path, warehouse_env: URL, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    began = datetime.now(UTC)  # the session's instance storage is shared: look at our run only
    with SenateReplica(fixtures_dir) as senate, HouseReplica(fixtures_dir) as house:
        env = {
            **os.environ,
            "SENATE_EFD_BASE_URL": senate.base_url,
            "HOUSE_CLERK_BASE_URL": house.base_url,
            "QUANT_REQUESTS_PER_SECOND": "50",
        }
        done = subprocess.run(
            [CLI, "materialize", "--start", "2026-06-10", "--end", "2026-06-12"],
            env=env, capture_output=True, text=True, timeout=600,
        )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "materializing * for 2026-06-10..2026-06-12 in one run" in done.stdout
    assert "Loaded for filed dates 2026-06-10..2026-06-12:" in done.stdout
    assert "Newest trades:" in done.stdout
    assert "Warning" not in done.stdout + done.stderr

    with engine.connect() as conn:
        ledger = set(conn.execute(select(filings.c.filed_date, filings.c.source).distinct()).all())
        trade_days = set(conn.execute(select(trades.c.filed_date).distinct()).scalars())
        trade_count = conn.scalar(select(func.count()).select_from(trades))
    assert {(str(day), source) for day, source in ledger} == {
        ("2026-06-10", "house"), ("2026-06-11", "house"), ("2026-06-11", "senate"),
        ("2026-06-12", "house"), ("2026-06-12", "senate"),
    }
    assert {str(day) for day in trade_days} == {"2026-06-10", "2026-06-11", "2026-06-12"}
    assert f"trades: {trade_count}\n" in done.stdout
    with engine.connect() as conn:
        per_source = dict(conn.execute(select(filings.c.source, func.count()).group_by(filings.c.source)).all())
    # Progress and the end summary: a line per chamber with what was fetched (a fresh warehouse:
    # every listed document is fetched), the run id, and every check's result.
    run_id = re.search(r"^run (\S+) started; stop it with Ctrl-C", done.stdout, re.M)[1]
    for chamber in ("senate", "house"):
        listed = per_source[chamber]
        assert f"[{chamber}_filings] {listed} documents listed for 2026-06-10..2026-06-12\n" in done.stdout
        assert f"[{chamber}_filings] {listed}/{listed} documents, fetched {listed}, already archived 0, failed 0;" in done.stdout
        assert f"\n  {chamber}: {listed} filings; documents fetched {listed}, already archived 0" in done.stdout
    assert f"\nrun {run_id}: SUCCESS\n" in done.stdout
    assert "  check trades/unreadable_filings_share: passed\n" in done.stdout
    with engine.connect() as conn:  # the trades line says what the change feed recorded for this run
        feed = dict(
            conn.execute(
                select(trade_changes.c.change, func.count())
                .where(trade_changes.c.run_id == run_id)
                .group_by(trade_changes.c.change)
            ).all()
        )
    assert feed.get("insert", 0) > 0
    printed = re.search(r"^  trades: ([\d,]+) new, ([\d,]+) updated, ([\d,]+) deleted, ([\d,]+) unchanged", done.stdout, re.M)
    assert [int(n.replace(",", "")) for n in printed.groups()[:3]] == [feed.get(k, 0) for k in ("insert", "update", "delete")]
    assert f"(`quant-pipelines changes --since {run_id}` lists them)" in done.stdout

    for name, value in dagster_environment(load_settings(), environ={}).items():
        monkeypatch.setenv(name, value)
    with DagsterInstance.get() as instance:
        runs = instance.get_runs(RunsFilter(tags={RANGE_START_TAG: "2026-06-10"}, created_after=began))
    assert len(runs) == 1 and runs[0].is_success and runs[0].run_id == run_id
    assert runs[0].tags[RANGE_END_TAG] == "2026-06-12"
