"""A house_filings step killed mid-window (SIGKILL: no ledger row written) and run again:
the PDFs it had archived are found by their URL and never downloaded a second time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date

from sqlalchemy import Engine, func, select

from quant_pipelines.db.schema import raw_documents
from quant_pipelines.house.resource import HouseClerkResource
from quant_pipelines_tests.house.runs import ledger, materialize, pdf_requests
from quant_pipelines_tests.replica.house import HouseReplica
from quant_pipelines_tests.replica.house_documents import random_filing

DAY = date(2026, 6, 13)  # no captured House filing that day
FILINGS = 12
# The killed run: House assets in a process of their own, slowly enough to be killed midway.
_CHILD = (
    "from quant_pipelines.house.resource import HouseClerkResource\n"
    "from quant_pipelines_tests.house.runs import materialize\n"
    f"materialize(HouseClerkResource(max_retries=0), {DAY.isoformat()!r}, only='house_filings')\n"
)


def _archived(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(raw_documents)).scalar_one()


def test_a_run_killed_mid_window_is_resumed_without_downloading_any_pdf_twice(
    site_with: Callable[..., HouseReplica], engine: Engine
) -> None:
    filings = [random_filing(f"2098{n:04d}", DAY, f"Pat{n}", "Sample", "ZZ01", rows=2, seed=n) for n in range(FILINGS)]
    site = site_with(filings)
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD], env={**os.environ, "QUANT_REQUESTS_PER_SECOND": "3"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while _archived(engine) < 3 and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        child.kill()
    finally:
        child.wait()
    archived = _archived(engine)
    assert 3 <= archived < FILINGS, archived  # killed midway: some PDFs archived, none in the ledger
    assert ledger(engine) == {}

    assert materialize(HouseClerkResource(max_retries=0), DAY.isoformat()).success
    assert sorted(pdf_requests(site).values()) == [1] * FILINGS  # the killed run's and the rest, once each
    book = ledger(engine)
    assert len(book) == FILINGS and {row["status"] for row in book.values()} == {"parsed"}
    assert _archived(engine) == FILINGS
