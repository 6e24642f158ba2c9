"""Two real runs over overlapping windows (the weekly catch-up over a daily run): whatever the
order their steps commit in, the ledger ends consistent with the parsed lines."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import Engine, select

from quant_pipelines.senate.assets import senate_filings, senate_transactions
from quant_pipelines.db.schema import filings, transactions
from quant_pipelines_tests.replica.senate import SenateReplica
from quant_pipelines_tests.replica.senate.generator import generate
from quant_pipelines_tests.senate.support import pointed_at, senate_run_resources

pytestmark = pytest.mark.browser

DAY = date(2026, 5, 13)
BEFORE = DAY - timedelta(days=1)


def _state(engine: Engine) -> tuple[dict[str, str], set[str]]:
    """Ledger status per filing of DAY, and the filings that have lines."""
    with engine.connect() as conn:
        statuses = dict(conn.execute(select(filings.c.filing_id, filings.c.status).where(filings.c.filed_date == DAY)).all())
        lined = set(conn.execute(select(transactions.c.filing_id).distinct()).scalars())
    return statuses, lined


def test_a_range_run_reading_the_ledger_before_a_daily_run_parses_does_not_undo_the_parse(
    fixtures_dir: Path, warehouse_env, engine: Engine
) -> None:
    generated = [
        f for f in generate(seed=21, start=BEFORE, end=DAY + timedelta(days=1), per_day=3)
        if f.kind == "ptr" and f.amendment is None
    ]
    assert {f.filed for f in generated} == {BEFORE, DAY}
    day_range = {"dagster/asset_partition_range_start": BEFORE.isoformat(),
                 "dagster/asset_partition_range_end": DAY.isoformat()}
    with SenateReplica(fixtures_dir, generated=generated) as site, pointed_at(site):
        # The day's reports are archived, not yet parsed.
        assert dg.materialize([senate_filings], partition_key=DAY.isoformat(), resources=senate_run_resources()).success
        fetched, _ = _state(engine)
        assert fetched and set(fetched.values()) == {"fetched"}

        release = threading.Event()
        site.faults.hold = release
        fetched_before = sum(site.document_hits().values())
        with ThreadPoolExecutor(1) as pool:
            # Run A (two days, the ledger step): reads the ledger, then waits on the day before's first report.
            run_a = pool.submit(dg.materialize, [senate_filings], resources=senate_run_resources(), tags=day_range)
            deadline = time.monotonic() + 120
            while sum(site.document_hits().values()) == fetched_before and time.monotonic() < deadline:
                time.sleep(0.05)
            assert sum(site.document_hits().values()) > fetched_before, "run A never reached its first report"
            # Run B (the day) parses the archived reports and commits while A is still in its step.
            run_b = dg.materialize([senate_filings, senate_transactions], selection=[senate_transactions],
                                   partition_key=DAY.isoformat(), resources=senate_run_resources())
            assert run_b.success
            parsed, lined = _state(engine)
            release.set()
            assert run_a.result(timeout=300).success

    assert "fetched" not in parsed.values() and {fid for fid, s in parsed.items() if s == "parsed"} <= lined
    after, lined_after = _state(engine)
    assert after == parsed  # A's window replace kept what B decided about the same documents
    assert lined_after == lined
