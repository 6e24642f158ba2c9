"""Ranges and backfills of the House assets: paper filings, year boundaries, the old index
schema, amendments linked across partitions in either order, and a few busy days."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from quant_pipelines.house.documents.scanned import READER_VERSION
from quant_pipelines_tests.house.runs import ledger, lines, materialize, metadata, pdf_requests
from quant_pipelines_tests.replica.house import HouseReplica
from quant_pipelines_tests.replica.house_documents import GeneratedFiling, GeneratedRow, random_filing


def test_three_day_range_with_paper_filings(house_env: HouseReplica, house_clerk, engine: Engine) -> None:
    result = materialize(house_clerk, "2026-05-05", "2026-05-07")
    assert result.success
    listed = {
        doc_id: spec
        for doc_id, spec in house_env.listing(2026).items()
        if date(2026, 5, 5) <= spec.filed <= date(2026, 5, 7)
    }
    book = ledger(engine)
    assert set(book) == set(listed)
    paper = {doc_id for doc_id in listed if doc_id[0] in "89"}
    assert "9115811" in paper and len(paper) >= 6
    for doc_id, row in book.items():
        if doc_id in paper:
            # Scans are read by OCR from the archive: accepted, or held for review with the reasons.
            assert row["status"] in ("parsed", "needs_review") and row["filing_type"] == "paper"
            assert row["parser_version"].startswith(f"{READER_VERSION}+rapidocr-") and row["raw_sha256"]
            assert row["status"] == "parsed" or row["reason"]
        else:
            assert row["status"] == "parsed"
    expected_rows = sum(len(spec.rows) for doc_id, spec in listed.items() if doc_id not in paper)
    assert len([line for line in lines(engine) if line["extraction"] == "text"]) == expected_rows
    assert all(line["filing_id"].split(":")[1] in paper for line in lines(engine) if line["extraction"] == "ocr")
    shown = metadata(result, "house_transactions")
    held = sum(book[doc_id]["status"] == "needs_review" for doc_id in paper)
    assert (shown["filings_read_by_ocr"], shown["filings_needs_review"]) == (len(paper), held)


def test_window_across_new_year_reads_both_indexes(site_with, house_clerk, engine: Engine) -> None:
    eve, day = date(2025, 12, 31), date(2026, 1, 2)
    generated = [
        random_filing("27400001", eve, "Nia", "Eve", "ZZ05", rows=3, seed=1),
        random_filing("27400002", day, "Ned", "Day", "ZZ06", rows=2, seed=2),
    ]
    site = site_with(generated)
    assert materialize(house_clerk, "2025-12-31", "2026-01-02").success
    index_requests = sorted(path for path in site.requests if path.endswith(".zip"))
    listed = {
        doc_id: spec
        for year in (2025, 2026)
        for doc_id, spec in site.listing(year).items()
        if eve <= spec.filed <= day
    }
    assert index_requests == [
        f"/public_disc/financial-pdfs/{year}FD.zip" for year in (2023, 2024, 2025, 2026)
    ]
    book = ledger(engine)
    assert {"27400001", "27400002"} < set(book) == set(listed)
    assert book["27400001"]["report_url"].endswith("/ptr-pdfs/2025/27400001.pdf")
    assert book["27400002"]["report_url"].endswith("/ptr-pdfs/2026/27400002.pdf")
    assert {row["status"] for row in book.values()} == {"parsed"}
    assert len(lines(engine)) == sum(len(spec.rows) for spec in listed.values())


def test_old_schema_year_and_late_listing(house_env: HouseReplica, house_clerk, engine: Engine) -> None:
    # 2013-11-06 has four amended PTRs (FilingType A, DisclosureType PTR) listed only in the
    # old-schema 2012 index; the replica's 2011 and 2013 indexes are empty.
    result = materialize(house_clerk, "2013-11-06")
    assert result.success
    book = ledger(engine)
    assert sorted(book) == ["2002800", "2002802", "2002803", "2002804"]
    for row in book.values():
        assert (row["status"], row["filing_type"], row["amends"]) == ("parsed", "amendment", None)
        assert row["amends_reason"].startswith("unlinked: no earlier parsed filing of this member lists")
        assert "/ptr-pdfs/2012/" in row["report_url"]
    years = metadata(result, "house_filings")["index_years"]
    assert "2011 (xml)" in years and "2013 (xml)" in years


MEMBER = dict(first="Avery", last="Linkletter", state_dst="ZZ04")


def _row(asset: str, ticker: str, traded: date, **values) -> GeneratedRow:
    return GeneratedRow(
        asset=asset,
        ticker=ticker,
        code="ST",
        type="S",
        date=traded,
        notified=traded,
        amount="$1,001 - $15,000",
        **values,
    )


@pytest.fixture
def amendment_site(site_with) -> HouseReplica:
    """A replica with one member's original PTRs and two amendments (one partial, one full)."""
    boeing, apple, bill = (
        _row("Boeing Company", "BA", date(2026, 1, 20)),
        _row("Apple Inc.", "AAPL", date(2026, 1, 21)),
        _row("US Treasury Bill", None, date(2026, 1, 22)),
    )
    filings = [
        GeneratedFiling("27200001", date(2026, 2, 2), rows=(boeing, apple), **MEMBER),
        GeneratedFiling("27200002", date(2026, 2, 3), rows=(bill,), **MEMBER),
        GeneratedFiling(
            "27200003",
            date(2026, 2, 10),
            rows=(
                _row(
                    "Boeing Company",
                    "BA",
                    date(2026, 1, 20),
                    row_id="2000990001",
                    filing_status="Amended",
                    comment="Amount corrected.",
                ),
            ),
            **MEMBER,
        ),
        GeneratedFiling(
            "27200004",
            date(2026, 2, 11),
            rows=(
                _row(
                    "US Treasury Bill", None, date(2026, 1, 22), row_id="2000990002", filing_status="Amended"
                ),
            ),
            **MEMBER,
        ),
    ]
    return site_with(filings)


SETTLED = ("status", "reason", "amends", "amends_reason", "detail", "filing_type")


WINDOWS = {"originals": ("2026-02-02", "2026-02-03"), "amendments": ("2026-02-10", "2026-02-11")}


@pytest.mark.parametrize(
    "order", [("originals", "amendments"), ("amendments", "originals")], ids="-then-".join
)
def test_amendments_link_whatever_the_order(amendment_site, house_clerk, engine: Engine, order) -> None:
    for window in order:
        assert materialize(house_clerk, *WINDOWS[window]).success
    book = {doc_id: {key: row[key] for key in SETTLED} for doc_id, row in ledger(engine).items()}
    assert book["27200001"]["status"] == "parsed"  # the partial amendment leaves its other row standing
    assert (book["27200003"]["amends"], book["27200003"]["filing_type"]) == ("27200001", "amendment")
    assert book["27200003"]["detail"]["replaces_rows"] == ["house:27200001#1"]
    assert book["27200003"]["amends_reason"].startswith("linked: 27200001 (filed 2026-02-02)")
    assert (book["27200002"]["status"], book["27200004"]["amends"]) == ("superseded", "27200002")
    assert book["27200002"]["reason"] == "superseded by amendment 27200004, which restates all its rows"
    # re-running the original's window keeps what the later amendment decided
    assert materialize(house_clerk, *WINDOWS["originals"]).success
    assert {doc_id: {key: row[key] for key in SETTLED} for doc_id, row in ledger(engine).items()} == book


def test_busy_days_at_scale(site_with, house_clerk, engine: Engine) -> None:
    days = [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)]
    generated = [
        random_filing(
            f"2730{day.day:02d}{number:02d}",
            day,
            f"Member{number}",
            "Volume",
            f"ZZ{number % 50:02d}",
            rows=4 + number % 25,
            seed=number,
        )
        for day in days
        for number in range(25)
    ]
    site = site_with(generated)
    result = materialize(house_clerk, "2026-03-02", "2026-03-04")
    assert result.success
    expected = {spec.doc_id for spec in site.listing(2026).values() if days[0] <= spec.filed <= days[-1]}
    assert set(pdf_requests(site)) == {f"/public_disc/ptr-pdfs/2026/{doc_id}.pdf" for doc_id in expected}
    assert set(pdf_requests(site).values()) == {1}
    book = ledger(engine)
    assert set(book) == expected and {row["status"] for row in book.values()} == {"parsed"}
    assert len(lines(engine)) == sum(len(site.listing(2026)[doc_id].rows) for doc_id in expected)
    assert metadata(result, "house_transactions")["status_parsed"] == len(expected)
