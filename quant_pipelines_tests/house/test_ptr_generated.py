"""The PTR parser on generated 2025/2026-template PDFs (compared with their spec) and on bad bytes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from quant_pipelines.house.documents.pdf_text import PdfText
from quant_pipelines.house.documents.ptr import parse_ptr
from quant_pipelines.vocabulary import normalize
from quant_pipelines.vocabulary.records import ParseError
from quant_pipelines_tests.hostile import cases, pdfs
from quant_pipelines_tests.replica.house_documents import GeneratedFiling, GeneratedRow, random_filing
from quant_pipelines_tests.replica.house_layout import render_filing

DAY = date(2026, 3, 2)


def _assert_matches(filing: GeneratedFiling) -> None:
    report = parse_ptr(render_filing(filing), doc_id=filing.doc_id)
    assert report.filer_name == filing.filer
    assert report.filed_date == filing.filed
    assert len(report.transactions) == len(filing.rows)
    vehicle_owners = {name: owner for name, owner, _ in filing.vehicles}
    for number, (line, row) in enumerate(zip(report.transactions, filing.rows), 1):
        owner = row.owner or vehicle_owners.get(row.subholding_of or "") or ""
        band = normalize.amount_band(row.amount)
        assert line.row_number == number
        assert (line.owner_raw, line.owner) == (row.owner, normalize.owner(owner))
        assert (line.asset_name, line.ticker, line.asset_type_raw) == (row.asset, row.ticker, row.code)
        assert line.details["asset_text"] == row.asset_text
        assert line.details.get("filing_row_id") == row.row_id
        assert (line.transaction_type_raw, line.transaction_date, line.notification_date) == (
            row.type,
            row.date,
            row.notified,
        )
        assert (line.amount_text, line.amount_min, line.amount_max) == (
            row.amount,
            band.minimum,
            band.maximum,
        )
        assert (line.filing_status, line.description, line.comment) == (
            row.filing_status,
            row.description,
            row.comment,
        )
        assert (line.details.get("subholding_of"), line.details.get("location")) == (
            row.subholding_of,
            row.location,
        )
        assert line.cap_gains_over_200 is None


@pytest.mark.parametrize("seed", range(8))
def test_generated_filings_parse_back_to_their_spec(seed: int) -> None:
    rows = 1 + seed * 9  # up to 64 rows: several pages, rows cut by page breaks
    _assert_matches(random_filing(f"2700000{seed}", DAY, "Alex", "Example", "ZZ01", rows=rows, seed=seed))


def _row(**values) -> GeneratedRow:
    base = dict(
        asset="Apple Inc. - Common Stock",
        ticker="AAPL",
        code="ST",
        type="P",
        date=date(2026, 2, 3),
        notified=date(2026, 2, 4),
        amount="$1,001 - $15,000",
    )
    return GeneratedRow(**{**base, **values})


def test_owner_codes_and_tickers_come_from_their_own_cells() -> None:
    rows = (
        _row(asset="SP Plus Corporation", ticker="SP"),  # blank owner; the asset starts with "SP "
        _row(asset="Vanguard 500 Index Fund (Admiral Shares)", ticker=None, code="MF"),
        _row(
            owner="DC", asset="JT Holdings Inc.", ticker=None, code="OT", amount="Spouse/DC Over $1,000,000"
        ),
        _row(owner="JT", row_id="2000152831", filing_status="Amended", type="S (partial)"),
        _row(owner="SP", type="E", amount="Over $50,000,000", comment="Exchanged in a merger."),
    )
    filing = GeneratedFiling("27100001", DAY, "Pat", "Sample", "ZZ00", rows)
    _assert_matches(filing)
    report = parse_ptr(render_filing(filing))
    assert [line.owner for line in report.transactions] == ["self", "self", "child", "joint", "spouse"]
    assert (report.transactions[2].amount_min, report.transactions[2].amount_max) == (1_000_001, None)
    assert (report.transactions[4].amount_min, report.transactions[4].amount_max) == (50_000_001, None)


def test_long_cells_wrap_and_options_are_read() -> None:
    rows = (
        _row(
            asset="The Extraordinarily Long Named Holding Company of America - Class B Common Stock",
            ticker="LONG",
        ),
        _row(
            asset="Tesla, Inc. - Common Stock",
            ticker="TSLA",
            code="OP",
            owner="SP",
            description=" ".join(
                ["Sold 10 put options with a strike price of $1,250.50 and an expiration date of 12/19/2026."]
                * 3
            ),
        ),
    )
    _assert_matches(GeneratedFiling("27100002", DAY, "Pat", "Sample", "ZZ00", rows))
    option = parse_ptr(
        render_filing(GeneratedFiling("27100002", DAY, "Pat", "Sample", "ZZ00", rows))
    ).transactions[1]
    assert (option.option_type, option.strike_price, option.expiry) == (
        "put",
        Decimal("1250.50"),
        date(2026, 12, 19),
    )


def test_vehicle_owner_applies_to_rows_without_one() -> None:
    rows = (_row(subholding_of="Spouse IRA"), _row(subholding_of="Spouse IRA", owner="JT"), _row())
    filing = GeneratedFiling(
        "27100003", DAY, "Pat", "Sample", "ZZ00", rows, vehicles=(("Spouse IRA", "SP", "US"),)
    )
    report = parse_ptr(render_filing(filing))
    assert [(line.owner, line.details["owner_source"]) for line in report.transactions] == [
        ("spouse", "vehicle"),
        ("joint", "row"),
        ("self", "default_self"),
    ]


def test_scanned_stand_in_has_no_text_layer() -> None:
    from quant_pipelines.vocabulary.records import NeedsOcr

    with pytest.raises(NeedsOcr):
        parse_ptr(render_filing(GeneratedFiling("9100001", DAY, "Pat", "Sample", "ZZ00")))


@pytest.fixture
def pelosi(house_pdfs: dict[str, Path]) -> bytes:
    return house_pdfs["20034836"].read_bytes()


@pytest.mark.parametrize(("make", "reason"), cases(pdfs.CASES))
def test_bad_documents_fail_with_a_reason(pelosi: bytes, make, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse_ptr(make(pelosi))


def test_document_for_another_doc_id_is_refused(pelosi: bytes) -> None:
    with pytest.raises(ParseError, match="Filing ID #20034836, not DocID 20000001"):
        parse_ptr(pelosi, doc_id="20000001")


def test_an_unreadable_row_never_costs_the_others() -> None:
    rows = (
        _row(),
        _row(amount="$15,001 - $1,001", asset="Broken Band Inc.", ticker="BRK"),
        _row(amount="$497.08", asset="AT&T Inc.", ticker="T"),
        _row(type="S(partial)", asset="Glued Type Corp.", ticker="GLU"),  # the census sees it, the parser cannot
        _row(amount="$1,250,000.00"),
    )
    report = parse_ptr(render_filing(GeneratedFiling("27100004", DAY, "Pat", "Sample", "ZZ00", rows)))
    assert [line.row_number for line in report.transactions] == [1, 3, 5]
    assert [(row.row_number, row.page) for row in report.unreadable] == [(2, 1), (4, 1)]
    band, glued = report.unreadable
    assert "minimum above its maximum" in band.reason
    assert band.raw_text.splitlines()[0].startswith("Broken Band Inc. (BRK) [ST] P 02/03/2026")
    assert "$15,001 - $1,001" in band.raw_text
    assert glued.reason == "the row's type/date/amount cells are unreadable"
    assert "Glued Type Corp. (GLU) [ST] S(partial) 02/03/2026" in glued.raw_text
    assert report.mismatch is None and not report.complete
    exact = report.transactions[1]
    assert (exact.amount_kind, exact.amount_exact, exact.amount_min, exact.amount_max, exact.amount_text) == (
        "exact", Decimal("497.08"), 497, 498, "$497.08"
    )
    big = report.transactions[2]
    assert (big.amount_kind, big.amount_exact, big.amount_min, big.amount_max) == (
        "exact", Decimal("1250000.00"), 1_250_000, 1_250_000
    )
    assert report.transactions[0].amount_kind == "band"


def test_each_page_is_closed_before_the_next_is_read() -> None:
    document = render_filing(
        GeneratedFiling("27100005", DAY, "Pat", "Sample", "ZZ00", tuple(_row() for _ in range(60)))
    )
    with PdfText(document) as layer:
        assert layer.page_count > 1
        pages = layer.pages()
        first = next(line[0] for line in next(pages))
        assert layer.x_at(first, 0) == first.left
        next(pages)
        with pytest.raises(ValueError, match="page 1 is not the page being read"):
            layer.x_at(first, 0)
