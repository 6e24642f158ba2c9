"""Hostile answers served by the eFD replica, through the assets: a listing that is not what the
endpoint promises fails the step with nothing recorded; pages no parser may read rows from
end as parse_failed with their reason (the parsers' own refusals are in test_efd_parser.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import Engine, select

from quant_pipelines.db.schema import filings, raw_documents, transactions
from quant_pipelines.senate.assets import senate_filings, senate_transactions
from quant_pipelines.senate.client import REPORT_DATA
from quant_pipelines.senate.documents.listing import parse_report_data
from quant_pipelines.senate.resource import SenateEfdBrowser
from quant_pipelines.vocabulary.records import ParseError
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


@pytest.mark.timeout(10)  # generous: refused in microseconds; the old pattern took minutes
def test_a_link_cell_of_repeated_anchors_is_refused_at_once() -> None:
    with pytest.raises(ParseError, match="more than the 4096 allowed"):
        parse_report_data(listings.REPEATED_ANCHORS, "https://efdsearch.senate.gov")


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


def test_a_listing_that_repeats_itself_forever_is_paged_twice_and_says_why(
    senate_site: SenateReplica, senate_resources: dict, engine: Engine
) -> None:
    filing = next(entry for entry in senate_site.entries if entry.submitted.date() == DAY)
    endless = {"draw": 1, "recordsTotal": 10**9, "recordsFiltered": 10**9, "data": [list(filing.row)], "result": "ok"}
    senate_site.set_listing(json.dumps(endless).encode())
    result = dg.materialize([senate_filings], partition_key=DAY.isoformat(), resources=senate_resources)
    assert result.success
    assert senate_site.hits(REPORT_DATA, "POST") == 2  # the second page added nothing new
    notes = result.asset_materializations_for_node("senate_filings")[0].metadata["listing_rows_skipped"].value
    assert notes == ["listing page 2 added no report not already listed (the site repeats itself); "
                     "stopped at 2 of 1,000,000,000 rows"]
    assert {row["source_id"]: row["status"] for row in ledger(engine).values()} == {filing.uuid: "fetched"}


def test_an_oversized_report_is_blocked_with_its_reason_and_nothing_archived(
    fixtures_dir: Path, warehouse_env, engine: Engine
) -> None:
    day = date(2026, 6, 16)
    generated = [f for f in generate(seed=5, start=day, end=day + timedelta(days=1), per_day=6) if f.kind == "ptr"]
    with SenateReplica(fixtures_dir, generated=generated) as site, pointed_at(site):
        listed = [entry for entry in site.entries if entry.submitted.date() == day]
        announced, packed = listed[0], listed[1]
        site.set_page(announced.uuid, b"<html>" + b" " * (2 * 2**20) + b"</html>")  # Content-Length says 2 MiB
        site.set_page(packed.uuid, b"<html>" + b" " * (64 * 2**20) + b"</html>", gzipped=True)  # 64 KiB on the wire
        resources = {**senate_run_resources(), "senate_efd": SenateEfdBrowser(backoff_seconds=0.01,
                                                                             max_document_bytes=2**20)}
        assert dg.materialize([senate_filings], partition_key=day.isoformat(), resources=resources).success
    book = {row["source_id"]: row for row in ledger(engine).values()}
    assert set(book) == {entry.uuid for entry in listed}
    for entry in (announced, packed):
        assert (book[entry.uuid]["status"], book[entry.uuid]["raw_sha256"]) == ("blocked", None)
        assert "larger than the 1048576-byte cap" in book[entry.uuid]["reason"]
    assert {book[entry.uuid]["status"] for entry in listed[2:]} == {"fetched"}
    with engine.connect() as conn:
        archived = {row.source_url for row in conn.execute(select(raw_documents.c.source_url))}
    assert archived == {book[entry.uuid]["report_url"] for entry in listed[2:]}
