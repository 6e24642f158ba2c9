"""Hostile documents served by the House replica, through the assets: each ends as a clear
failure or a ledger status with its reason, and nothing half-written (the parsers' own
refusals are in test_index.py and test_ptr_generated.py, from the same generators)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import Engine

from quant_pipelines.house.assets import house_filings
from quant_pipelines.house.client import INDEX_PATH, PTR_PATH, HouseClerkClient
from quant_pipelines.house.fetch import list_window
from quant_pipelines.house.resource import HouseClerkResource
from quant_pipelines.sites.http import PoliteHttpClient
from quant_pipelines.warehouse.resource import WarehouseResource
from quant_pipelines_tests.hostile import archives, cases, pdfs, xml
from quant_pipelines_tests.house.runs import ledger, lines, materialize
from quant_pipelines_tests.replica.house import HouseReplica
from quant_pipelines_tests.replica.house_documents import GeneratedFiling, random_filing

DAY = date(2026, 6, 13)  # no captured House filing that day
NEXT_YEAR = date.today().year + 1


def _hostile_day() -> list[GeneratedFiling]:
    """One good PTR, then one for each hostile PDF, one oversized."""
    names = ["good", *(case_id for case_id, *_ in pdfs.CASES), "oversized"]
    return [
        random_filing(f"2099{number:04d}", DAY, name.title(), "Sample", "ZZ01", rows=3, seed=number)
        for number, name in enumerate(names)
    ]


def test_hostile_pdfs_are_parse_failed_with_their_reason_and_an_oversized_one_is_refused(
    site_with: Callable[..., HouseReplica], engine: Engine, house_pdfs: dict[str, Path]
) -> None:
    filings = _hostile_day()
    site = site_with(filings)
    pelosi = house_pdfs["20034836"].read_bytes()
    for filing, (_, make, _) in zip(filings[1:], pdfs.CASES):
        site.replace(PTR_PATH.format(year=2026, doc_id=filing.doc_id), make(pelosi))
    site.replace(PTR_PATH.format(year=2026, doc_id=filings[-1].doc_id), b"%PDF-1.7\n" + b"0" * 2**20)
    clerk = HouseClerkResource(max_retries=0, max_response_bytes=2**20)
    assert materialize(clerk, DAY.isoformat()).success

    book = ledger(engine)
    assert book[filings[0].doc_id]["status"] == "parsed"
    for filing, (case_id, _, reason) in zip(filings[1:], pdfs.CASES):
        row = book[filing.doc_id]
        assert row["status"] == "parse_failed", case_id
        assert re.search(reason, row["reason"]), (case_id, row["reason"])
    oversized = book[filings[-1].doc_id]
    assert (oversized["status"], oversized["raw_sha256"]) == ("blocked", None)
    assert "larger than the 1048576-byte cap" in oversized["reason"]
    assert {line["filing_id"] for line in lines(engine)} == {f"house:{filings[0].doc_id}"}


@pytest.mark.parametrize(("archive", "problem"), cases(archives.CASES[:3]))
def test_a_hostile_index_fails_the_listing_and_records_nothing(
    site_with: Callable[..., HouseReplica], engine: Engine, archive, problem: str
) -> None:
    site_with().replace(INDEX_PATH.format(year=2026), archive())
    # Called directly: in a run, the site step's 5-minute retry policy would wait first.
    context = dg.build_asset_context(partition_key="2026-06-12")
    expected = f"House Clerk listing unavailable, nothing recorded: the 2026 index could not be read: .*{problem}"
    with pytest.raises(dg.Failure, match=expected):
        house_filings(context, house_clerk=HouseClerkResource(max_retries=0), warehouse=WarehouseResource())
    assert ledger(engine) == {} and lines(engine) == []


def test_a_hostile_xml_index_is_read_from_its_txt_copy(
    site_with: Callable[..., HouseReplica], engine: Engine, fixtures_dir: Path
) -> None:
    site = site_with()
    txt = (fixtures_dir / "house" / "index" / "2026FD.txt").read_bytes()
    site.replace(
        INDEX_PATH.format(year=2026), archives.zipped({"2026FD.xml": xml.EXTERNAL_ENTITY, "2026FD.txt": txt})
    )
    result = materialize(HouseClerkResource(max_retries=0), "2026-06-12")
    assert result.success
    notes = next(
        event.materialization.metadata["index_notes"].value
        for event in result.get_asset_materialization_events()
        if event.asset_key.path[-1] == "house_filings"
    )
    assert "2026: read the TXT copy because 2026FD.xml: XML refused" in notes
    assert {row["status"] for row in ledger(engine).values()} == {"parsed"} and len(ledger(engine)) == 3


def test_a_404_for_a_published_years_index_fails_the_listing_naming_the_url(
    site_with: Callable[..., HouseReplica], engine: Engine
) -> None:
    site = site_with()
    site.fail(404, times=1, path=INDEX_PATH.format(year=2025))  # a transient 404 (or an outage page)
    context = dg.build_asset_context(partition_key="2026-06-12")
    with pytest.raises(dg.Failure) as failure:
        house_filings(context, house_clerk=HouseClerkResource(max_retries=0), warehouse=WarehouseResource())
    assert re.fullmatch(
        r"House Clerk listing unavailable, nothing recorded: the 2025 index is missing "
        rf"\({re.escape(site.base_url + INDEX_PATH.format(year=2025))}: HTTP 404 Not Found\), "
        r"though the site has one for every year since 2008",
        failure.value.description,
    )
    assert failure.value.allow_retries  # the step's retry policy asks again
    assert ledger(engine) == {}


def test_a_404_for_a_year_after_today_is_only_noted(site_with: Callable[..., HouseReplica]) -> None:
    site = site_with()
    client = HouseClerkClient(PoliteHttpClient(user_agent="tests", requests_per_second=500, max_retries=0), site.base_url)
    try:
        # A window of next year (as a clock ahead of the site's would ask for).
        listing = list_window(client, date(NEXT_YEAR, 1, 1), date(NEXT_YEAR, 1, 2))
    finally:
        client.close()
    assert listing.notes == [f"no index published for {NEXT_YEAR}"]
    assert sorted(listing.sources) == [NEXT_YEAR - 2, NEXT_YEAR - 1]
