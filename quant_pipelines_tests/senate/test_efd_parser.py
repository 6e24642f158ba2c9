"""Senate eFD report pages on the real captures, field by field, and on broken input."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from quant_pipelines.senate.documents import paper_image_urls, parse_ptr_page
from quant_pipelines.vocabulary.records import NeedsOcr, ParseError
from quant_pipelines_tests.hostile import cases, pages
from quant_pipelines_tests.replica.senate.generator import Templates, generate

BASE = "https://efdsearch.senate.gov"


def efd(fixtures_dir: Path, name: str) -> bytes:
    return (fixtures_dir / "senate" / "efd_2026" / name).read_bytes()


# Hand-read from the HTML of the page govfolio has no transcription for (the Boozman
# pages with govfolio transcriptions are checked cell by cell in test_ground_truth).
# Every row is Joint / Stock / Purchase / comment "--"; the rest differs:
# # | transaction date | ticker | asset name | amount
SIBLING_2E076759 = """
15 | 05/27/2026 | SCHP | Schwab U.S. TIPS ETF | $1,001 - $15,000
14 | 05/15/2026 | PLTR | Palantir Technologies Inc. - Class A Common Stock | $1,001 - $15,000
13 | 05/27/2026 | JMBS | Janus Henderson Mortgage-Backed Securities ETF | $1,001 - $15,000
12 | 05/27/2026 | IEF | iShares 7-10 Year Treasury Bond ETF | $1,001 - $15,000
11 | 05/27/2026 | TLH | iShares 10-20 Year Treasury Bond ETF | $1,001 - $15,000
10 | 05/27/2026 | CMBS | iShares CMBS ETF | $1,001 - $15,000
9 | 05/27/2026 | MBB | iShares MBS ETF | $1,001 - $15,000
8 | 05/27/2026 | AGZ | iShares Agency Bond ETF | $1,001 - $15,000
7 | 05/27/2026 | GBIL | Goldman Sachs Access Treasury 0-1 Year ETF | $1,001 - $15,000
6 | 05/27/2026 | GIGB | Goldman Sachs Access Investment Grade Corporate Bond ETF | $1,001 - $15,000
5 | 05/13/2026 | GIGB | Goldman Sachs Access Investment Grade Corporate Bond ETF | $1,001 - $15,000
4 | 05/27/2026 | XFIV | BondBloxx Bloomberg Five Year Target Duration US Treasury ETF | $1,001 - $15,000
3 | 05/13/2026 | XFIV | BondBloxx Bloomberg Five Year Target Duration US Treasury ETF | $50,001 - $100,000
2 | 05/27/2026 | XTWO | BondBloxx Bloomberg Two Year Target Duration US Treasury ETF | $1,001 - $15,000
1 | 05/15/2026 | ALB | Albemarle Corporation Common Stock | $1,001 - $15,000
"""


def test_sibling_original_2e076759_row_by_row(fixtures_dir: Path) -> None:
    page = parse_ptr_page(efd(fixtures_dir, "ptr_2e076759_boozman_sameday_sibling_original_15rows.html"))
    assert (page.report_for, page.filed_at, page.filer_key) == (
        date(2026, 6, 16),
        datetime(2026, 6, 16, 9, 46),
        "Boozman, John",
    )
    assert (page.report.filer_name, page.report.amendment_number) == ("John Boozman", None)
    seen = [
        f"{t.row_number} | {t.transaction_date:%m/%d/%Y} | {t.ticker} | {t.asset_name} | {t.amount_text}"
        for t in page.report.transactions
    ]
    assert seen == SIBLING_2E076759.strip().splitlines()
    lines = page.report.transactions
    assert {(t.owner_raw, t.asset_type_raw, t.transaction_type_raw) for t in lines} == {
        ("Joint", "Stock", "Purchase")
    }
    assert {(t.owner, t.asset_type, t.transaction_type) for t in lines} == {("joint", "stock", "purchase")}
    assert [(t.amount_min, t.amount_max) for t in lines][12] == (50001, 100000)
    assert all(t.comment is None and not t.details for t in lines)


def test_child_corporate_bond_4b69867f(fixtures_dir: Path) -> None:
    page = parse_ptr_page(efd(fixtures_dir, "ptr_4b69867f_fetterman_child_corporate_bond.html"))
    assert (page.report_for, page.filed_at, page.report.filer_name) == (
        date(2026, 6, 12),
        datetime(2026, 6, 12, 13, 23),
        "John Fetterman",
    )
    (line,) = page.report.transactions
    assert line.model_dump() == {
        "row_number": 1,
        "transaction_date": date(2026, 5, 6),
        "notification_date": None,
        "owner": "child",
        "owner_raw": "Child",
        "ticker": None,
        "asset_name": "EXPEDIA GROUP INC NOTE",
        "asset_type": "corporate_bond",
        "asset_type_raw": "Corporate Bond",
        "transaction_type": "purchase",
        "transaction_type_raw": "Purchase",
        "amount_min": 1001,
        "amount_max": 15000,
        "amount_text": "$1,001 - $15,000",
        "amount_kind": "band",
        "amount_exact": None,
        "option_type": None,
        "strike_price": None,
        "expiry": None,
        "comment": None,
        "description": None,
        "cap_gains_over_200": None,
        "filing_status": None,
        "details": {"rate_coupon": "5.5%", "matures": "2036-04-15"},
    }


def test_whitehouse_sale_partial_4aa0094d(fixtures_dir: Path) -> None:
    page = parse_ptr_page(efd(fixtures_dir, "ptr_4aa0094d_whitehouse_sale_partial_3rows.html"))
    assert (page.report_for, page.filed_at) == (date(2026, 6, 2), datetime(2026, 6, 2, 12, 56))
    seen = [
        (
            t.row_number,
            t.transaction_date,
            t.owner,
            t.ticker,
            t.asset_name,
            t.transaction_type,
            t.amount_min,
            t.amount_max,
        )
        for t in page.report.transactions
    ]
    assert seen == [
        (
            3,
            date(2026, 5, 7),
            "self",
            "ORCL",
            "Oracle Corporation Common Stock",
            "sale_partial",
            15001,
            50000,
        ),
        (
            2,
            date(2026, 5, 8),
            "self",
            "NVDA",
            "NVIDIA Corporation - Common Stock",
            "sale_partial",
            100001,
            250000,
        ),
        (
            1,
            date(2026, 5, 8),
            "spouse",
            "NVDA",
            "NVIDIA Corporation - Common Stock",
            "sale_partial",
            100001,
            250000,
        ),
    ]


def test_ticker_only_inside_the_asset_name_a9754ff5(fixtures_dir: Path) -> None:
    original = parse_ptr_page(efd(fixtures_dir, "ptr_a9754ff5_boozman_original_that_was_amended_18rows.html"))
    amendment = parse_ptr_page(efd(fixtures_dir, "ptr_727b4eb6_boozman_amendment1_18rows.html"))
    by_number = {t.row_number: t for t in original.report.transactions}
    for number, symbol in ((11, "SPYM"), (4, "FTGC"), (1, "ACN")):
        line = by_number[number]
        assert line.ticker == symbol and line.asset_name.startswith(f"{symbol} - ")
        assert line.details == {"ticker_source": "asset_name"}
    # The amendment moved those symbols into the Ticker cell: the same tickers, row for row.
    assert [t.ticker for t in original.report.transactions] == [
        t.ticker for t in amendment.report.transactions
    ]
    assert amendment.report.amendment_number == 1 and amendment.filed_at == datetime(2026, 6, 16, 10, 27)
    assert "iShares Core S&P 500 ETF" in {
        t.asset_name for t in amendment.report.transactions
    }  # &amp; decoded


def test_paper_view_page(fixtures_dir: Path) -> None:
    content = efd(fixtures_dir, "paper_a0d25e8f_blumenthal_view.html")
    urls = paper_image_urls(content)
    assert urls == tuple(
        f"https://efd-media-public.senate.gov/media/2026/2/000/000/{n:09d}.gif" for n in range(112, 119)
    )
    with pytest.raises(NeedsOcr):
        parse_ptr_page(content)


def _edited(fixtures_dir: Path, old: str, new: str) -> bytes:
    page = efd(fixtures_dir, "ptr_4b69867f_fetterman_child_corporate_bond.html").decode()
    assert old in page
    return page.replace(old, new, 1).encode()


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("<td>Child</td>", "<td>Trust</td>", "unknown owner 'Trust'"),
        ("<td>$1,001 - $15,000</td>", "<td>Unknown</td>", "unrecognised amount 'Unknown'"),
        ("<td>Purchase</td>", "<td>Gift</td>", "unknown transaction type 'Gift'"),
        ("<em>Rate/Coupon:</em>", "<em>Coupon Frequency:</em>", "unknown asset detail line"),
        ('<th scope="col">Asset Type</th>', '<th scope="col">Kind</th>', "unexpected transaction columns"),
        (
            "(1 transaction total)",
            "(2 transactions total)",
            "summary lists 2 transactions but the table has 1",
        ),
        ("1 Dependent Child", "0 Dependent Child", "summary lists '0 Dependent Child'"),
        ("for 06/12/2026", "for the week", "unexpected report heading"),
        ("Filed  06/12/2026 @ 1:23 PM", "Filed sometime", "line is missing or malformed"),
        ("05/06/2026", "2026/05/06", "unrecognised date"),
    ],
)
def test_unknown_layouts_raise_parse_error(fixtures_dir: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(ParseError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_ptr_page(_edited(fixtures_dir, old, new))


@pytest.mark.parametrize("fraction", [0.3, 0.5, 0.75, 0.9, 0.97])
def test_truncated_page_is_a_parse_error_never_fewer_rows(fixtures_dir: Path, fraction: float) -> None:
    content = efd(fixtures_dir, "ptr_727b4eb6_boozman_amendment1_18rows.html")
    with pytest.raises(ParseError, match="truncated|summary|missing"):
        parse_ptr_page(content[: int(len(content) * fraction)])


def test_a_page_cut_between_rows_is_caught_by_the_summary(fixtures_dir: Path) -> None:
    content = efd(fixtures_dir, "ptr_727b4eb6_boozman_amendment1_18rows.html")
    cut = content.index(b"</tr>", len(content) // 2) + len(b"</tr>")
    with pytest.raises(ParseError, match="summary lists 18 transactions but the table has"):
        parse_ptr_page(content[:cut])


@pytest.mark.parametrize("content", cases(pages.CASES))
def test_malformed_html_raises(content: bytes) -> None:
    with pytest.raises(ParseError):
        parse_ptr_page(content)


def test_agreement_page_is_not_a_report(fixtures_dir: Path) -> None:
    with pytest.raises(ParseError, match="agreement page"):
        parse_ptr_page(efd(fixtures_dir, "home_agreement_page.html"))


def test_generated_pages_cover_every_row_shape(fixtures_dir: Path) -> None:
    """Exchanges, options, non-public stock, both maturity layouts, blank types, Over $50,000,000."""
    templates = Templates(fixtures_dir / "senate" / "efd_2026")
    filings = [
        f
        for f in generate(seed=11, start=date(2025, 1, 1), end=date(2025, 3, 1), per_day=4)
        if f.kind == "ptr"
    ]
    checked = set()
    for filing in filings:
        page = parse_ptr_page(templates.render(filing))
        assert (page.report_for, page.report.amendment_number) == (filing.report_for, filing.amendment)
        assert len(page.report.transactions) == len(filing.rows)
        for row, line in zip(filing.rows, page.report.transactions, strict=True):
            for name, expected in row.expect.items():
                got = getattr(line, name)
                assert (str(got) if isinstance(got, Decimal) else got) == expected, (filing.uuid, name)
            checked.add((line.transaction_type, line.asset_type, line.amount_max is None, bool(line.details)))
    assert ("exchange", "stock", False, True) in checked
    assert any(kind == "stock_option" for _, kind, _, _ in checked)
    assert any(kind is None for _, kind, _, _ in checked)
    assert any(open_ended for _, _, open_ended, _ in checked)

def test_an_exact_amount_cell_is_read_as_exact(fixtures_dir: Path) -> None:
    """The Senate pages print bands; should one carry an exact figure, it keeps its cents."""
    name = "ptr_2e076759_boozman_sameday_sibling_original_15rows.html"
    content = efd(fixtures_dir, name).replace(b"<td>$50,001 - $100,000</td>", b"<td>$50,412.37</td>")
    lines = {line.row_number: line for line in parse_ptr_page(content).report.transactions}
    edited = lines[3]  # the one row of this page in the $50,001 - $100,000 band (see SIBLING_2E076759)
    assert (edited.amount_kind, edited.amount_exact, edited.amount_min, edited.amount_max, edited.amount_text) == (
        "exact", Decimal("50412.37"), 50412, 50413, "$50,412.37"
    )
    assert {line.amount_kind for number, line in lines.items() if number != 3} == {"band"}
