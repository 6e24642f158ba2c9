"""The Senate eFD report-data listing on the real captures, generated rows and broken input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from quant_pipelines.senate.documents import report_for
from quant_pipelines.senate.documents.listing import parse_report_data, search_row
from quant_pipelines.vocabulary.records import ParseError
from quant_pipelines_tests.hostile import cases, listings
from quant_pipelines_tests.replica.senate.generator import generate
from quant_pipelines_tests.senate.test_efd_parser import BASE, efd


def test_june_2026_listing(fixtures_dir: Path) -> None:
    listing = parse_report_data(
        efd(fixtures_dir, "report_data_response_ptr_senators_2026-06-01_onward.json"), BASE
    )
    assert listing.records_total == 13 and len(listing.filings) == 13 and listing.skipped == ()
    by_id = {f.source_id[:8]: f for f in listing.filings}
    mcconnell = by_id["36b2e868"]
    assert (mcconnell.first_name, mcconnell.last_name, mcconnell.suffix) == (
        "A. Mitchell",
        "McConnell",
        "Jr.",
    )
    assert (by_id["7caf1b69"].last_name, by_id["7caf1b69"].suffix) == ("Moran", None)
    # McCormick's report is "for" 06/27 but was received 06/26: the partition is the received day.
    assert by_id["ff0b0573"].filed_date == date(2026, 6, 26)
    assert report_for(by_id["ff0b0573"].report_title) == date(2026, 6, 27)
    amendment = by_id["727b4eb6"]
    assert (amendment.filing_type, amendment.amendment_number) == ("amendment", 1)
    assert amendment.report_title == "Periodic Transaction Report for 06/16/2026 (Amendment 1)"
    assert amendment.report_url == f"{BASE}/search/view/ptr/727b4eb6-d8c7-4792-aa5b-c651c2d72f9c/"
    paper = by_id["a0d25e8f"]
    assert (paper.filing_type, paper.first_name, paper.last_name) == ("paper", "RICHARD", "BLUMENTHAL")
    assert sorted(f.filing_type for f in listing.filings).count("original") == 11


def test_2012_listing_keeps_uppercase_paper_ids(fixtures_dir: Path) -> None:
    listing = parse_report_data(efd(fixtures_dir, "report_data_response_ptr_earliest_since_2012.json"), BASE)
    assert listing.records_total == 2383 and len(listing.filings) == 10
    assert {f.filing_type for f in listing.filings} == {"paper"}
    first = listing.filings[0]
    assert (first.source_id, first.filed_date) == ("CDFDAF62-18EA-4298-B0C5-62085A6EC3CD", date(2012, 7, 25))


def test_listing_rows_of_other_report_kinds_are_skipped_with_a_reason() -> None:
    annual = [
        "Thomas R",
        "Carper",
        "Carper, Thomas R. (Senator)",
        '<a href="/search/view/annual/0a1b2c3d-0000-4000-8000-000000000000/" target="_blank">'
        "Annual Report for CY 2018</a>",
        "05/15/2019",
    ]
    reason = search_row(annual, BASE)
    assert isinstance(reason, str) and "annual" in reason


@pytest.mark.parametrize(("content", "message"), cases(listings.CASES))
def test_malformed_listing_raises(content: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_report_data(content, BASE)


def test_listing_rows_of_generated_filings_parse_back(fixtures_dir: Path) -> None:
    for filing in generate(seed=5, start=date(2025, 1, 1), end=date(2025, 2, 1), per_day=3):
        parsed = search_row(filing.listing_row(), BASE)
        assert (parsed.source_id, parsed.filed_date, parsed.amendment_number) == (
            filing.uuid,
            filing.filed,
            filing.amendment,
        )
        assert parsed.filing_type == (
            "paper" if filing.kind == "paper" else "amendment" if filing.amendment else "original"
        )


def test_report_data_json_round_trip() -> None:
    payload = {"draw": 3, "recordsTotal": 0, "recordsFiltered": 0, "data": [], "result": "ok"}
    assert parse_report_data(json.dumps(payload).encode(), BASE).filings == ()
