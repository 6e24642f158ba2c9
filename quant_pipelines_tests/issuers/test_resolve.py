"""Issuer resolution on asset names read from real filings, against the SEC lists of the reference
fixtures. Expected answers were decided by reading the filings and the lists, not by running the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from quant_pipelines.issuers.documents.sec_tickers import TickerListUnreadable, read_company_tickers
from quant_pipelines.issuers.resolve import IssuerIndex


@pytest.fixture(scope="module")
def lists(fixtures_dir: Path) -> dict[str, IssuerIndex]:
    folder = fixtures_dir / "reference" / "sec"
    return {
        year: IssuerIndex(read_company_tickers((folder / name).read_bytes()), name)
        for year, name in (("2021", "company_tickers_2021.json"), ("2026", "company_tickers.json"))
    }


def test_lists_read_as_the_manifest_counts_them(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "reference" / "sec"
    current = read_company_tickers((folder / "company_tickers.json").read_bytes())
    assert len(current) == 10_338 and len({c.cik for c in current}) == 8_049
    assert (current[0].ticker, current[0].cik, current[0].title) == ("NVDA", 1045810, "NVIDIA CORP")
    old = read_company_tickers((folder / "company_tickers_2021.json").read_bytes())
    assert len(old) == 10_905  # 10,906 entries, ORCL (1341439) listed twice
    exchange = read_company_tickers((folder / "company_tickers_exchange.json").read_bytes())
    assert len(exchange) == 10_218
    assert next(c for c in exchange if c.ticker == "AAPL").exchange == "Nasdaq"


@pytest.mark.parametrize("content", [b"[1, 2]", b"{not json", b'{"0": {"ticker": "X"}}', b"{}"])
def test_a_broken_list_is_refused_with_one_line(content: bytes) -> None:
    with pytest.raises(TickerListUnreadable) as refused:
        read_company_tickers(content)
    assert "\n" not in str(refused.value)


# (list, asset name as filed, asset type) -> (ticker, CIK, method)
RESOLVED = [
    ("2026", "AT&amp;T Inc.", "stock", ("T", 732717, "exact_name")),  # Senate Stock Watcher, HTML entity kept
    ("2026", "HP Inc.", "stock", ("HPQ", 47217, "exact_name")),  # filed as HP (Helmerich & Payne)
    ("2026", "Target Corporation", "stock", ("TGT", 27419, "exact_name")),  # not Target Group Inc.
    ("2021", "Facebook, Inc.", "stock", ("FB", 1326801, "exact_name")),
    ("2026", "Meta Platforms, Inc. - Class A Common Stock", None, ("META", 1326801, "exact_name")),
    ("2021", "GOOGL - Alphabet Inc. A", "stock", ("GOOGL", 1652044, "name_ticker")),
    ("2021", "GOOG - Alphabet Inc. C", "stock", ("GOOG", 1652044, "name_ticker")),
    ("2026", "Berkshire Hathaway Inc. Class B", "stock", ("BRK-B", 1067983, "exact_name")),
    ("2021", "Unilever PLC", "stock", ("UL", 217410, "exact_name")),  # not Unilever N.V. (UN)
]


@pytest.mark.parametrize(("year", "name", "kind", "expected"), RESOLVED, ids=[case[1] for case in RESOLVED])
def test_listed_companies_resolve_to_ticker_and_cik(lists, year, name, kind, expected) -> None:
    resolution = lists[year].resolve(name, kind)
    assert (resolution.resolved_ticker, resolution.cik, resolution.method) == expected
    assert 0.8 <= resolution.confidence <= 1


NOT_RESOLVED = [
    # Municipal bond (Senate Stock Watcher; "(MUNI)" is not a ticker here), a listed issuer's bond
    # (Fetterman's child, ticker --), a Treasury bill (Greene 2025, [GS]), a private company.
    ("CARROLL CNTY GA SCH DIST GO 5% 04/01/27 AO (MUNI)", "municipal_security", "not_listed_type"),
    ("EXPEDIA GROUP INC NOTE", "corporate_bond", "not_listed_type"),
    ("US Treasury Bill", "government_security", "not_listed_type"),
    ("W.L. Gore &amp; Associates, Inc.", "non_public_stock", "not_listed_type"),
    ("W.L. Gore &amp; Associates, Inc.", None, "no_match"),
    # A fund the SEC company list does not carry (Boozman 2026, ticker --).
    ("SPYM - Tradr 2X Long SPY Monthly ETF", "etf", "no_match"),
    # Two CIKs are Unilever (PLC and N.V.) and the name says neither.
    ("The Unilever Group", "stock", "ambiguous"),
]


@pytest.mark.parametrize(("name", "kind", "method"), NOT_RESOLVED, ids=[case[0][:30] for case in NOT_RESOLVED])
def test_what_is_not_a_listed_company_gets_no_ticker(lists, name, kind, method) -> None:
    resolution = lists["2021"].resolve(name, kind)
    assert (resolution.resolved_ticker, resolution.cik, resolution.method) == (None, None, method)


def test_a_renamed_company_resolves_only_against_the_list_of_its_time(lists) -> None:
    # Facebook became Meta Platforms (FB -> META, same CIK) in 2022.
    assert lists["2026"].resolve("Facebook, Inc.", "stock").method == "no_match"
    assert lists["2021"].resolve("Meta Platforms, Inc.", "stock").method == "no_match"
