"""Hostile answers served by the eFD replica, through the assets: a listing that is not what the
endpoint promises fails the step with nothing recorded; pages no parser may read rows from
end as parse_failed with their reason (the parsers' own refusals are in test_efd_parser.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import Engine, select

from quant_pipelines.db.schema import filings, transactions
from quant_pipelines.senate.assets import senate_filings, senate_transactions
from quant_pipelines_tests.hostile import listings, pages
from quant_pipelines_tests.replica.senate import SenateReplica
from quant_pipelines_tests.replica.senate.generator import generate
from quant_pipelines_tests.senate.support import pointed_at, senate_run_resources

pytestmark = pytest.mark.browser

DAY = date(2026, 6, 9)


@pytest.fixture(scope="module")
def senate_site(fixtures_dir: Path) -> Iterator[SenateReplica]:
    """The eFD replica listing one generated PTR per hostile page case on one day."""
    generated = [f for f in generate(seed=3, start=DAY, end=date(2026, 6, 10), per_day=30) if f.kind == "ptr"]
    filings = [f for f in generated if f.amendment is None][: len(pages.CASES)]
    with SenateReplica(fixtures_dir, generated=filings) as site, pointed_at(site):
        for filing, (_, page) in zip(filings, pages.CASES):
            site.set_page(filing.uuid, page)
        yield site


@pytest.fixture
def senate_resources(senate_site: SenateReplica, warehouse_env) -> dict:
    senate_site.reset()
    return senate_run_resources()


def test_hostile_report_pages_are_parse_failed_and_give_no_lines(
    senate_site: SenateReplica, senate_resources: dict, engine: Engine
) -> None:
    assert dg.materialize([senate_filings, senate_transactions], partition_key=DAY.isoformat(),
                          resources=senate_resources).success
    book = ledger(engine)
    assert len(book) == len(pages.CASES)
    assert {row["status"] for row in book.values()} == {"parse_failed"}
    assert all(row["reason"] for row in book.values())
    with engine.connect() as conn:
        assert conn.execute(select(transactions)).all() == []


@pytest.mark.parametrize("case_id", ["html-error-page", "deeply-nested", "row-of-numbers", "count-a-string"])
def test_a_hostile_listing_fails_the_step_and_records_nothing(
    senate_site: SenateReplica, senate_resources: dict, engine: Engine, case_id: str
) -> None:
    body, problem = next((body, problem) for cid, body, problem in listings.CASES if cid == case_id)
    senate_site.set_listing(body)
    context = dg.build_asset_context(partition_key=DAY.isoformat())
    with pytest.raises(dg.Failure, match=f"listing of 2026-06-09..2026-06-09 is unreadable, nothing recorded: .*{problem}"):
        senate_filings(context, senate_efd=senate_resources["senate_efd"], warehouse=senate_resources["warehouse"])
    assert ledger(engine) == {}


def ledger(engine: Engine) -> dict[str, dict]:
    with engine.connect() as conn:
        return {row.filing_id: dict(row._mapping) for row in conn.execute(select(filings))}
