"""The shared vocabularies: what both chambers print, mapped onto one set of values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from quant_pipelines.vocabulary import normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Self", "self"), ("", "self"), (None, "self"), ("SP", "spouse"), ("Spouse", "spouse"), ("JT", "joint"),
     ("Joint", "joint"), ("Child", "child"), ("DC", "child"), ("Dependent Child", "child")],
)
def test_owner(raw, expected) -> None:
    assert normalize.owner(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Purchase", "purchase"), ("P", "purchase"), ("Sale (Full)", "sale_full"), ("S", "sale_full"),
     ("Sale (Partial)", "sale_partial"), ("S (partial)", "sale_partial"), ("Exchange", "exchange"), ("E", "exchange")],
)
def test_transaction_type(raw, expected) -> None:
    assert normalize.transaction_type(raw) == expected


@pytest.mark.parametrize(
    "function", [normalize.owner, normalize.transaction_type, normalize.amount_band, normalize.amount]
)
@pytest.mark.parametrize("raw", ["Trust", "Gift", "$1,001 -", "lots"])
def test_unknown_values_raise_with_the_text(function, raw) -> None:
    with pytest.raises(ValueError, match="unknown|unrecognised"):
        function(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$1,001 - $15,000", (1001, 15000)),
        ("$5,000,001 - $25,000,000", (5000001, 25000000)),
        ("Over $50,000,000", (50000001, None)),
        ("Spouse/DC Over $1,000,000", (1000001, None)),
        ("$1,000,000 +", (1000001, None)),
        ("$15,001-$50,000", (15001, 50000)),
    ],
)
def test_amount_bands(raw, expected) -> None:
    assert tuple(normalize.amount_band(raw)) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$1,001 - $15,000", ("band", 1001, 15000, None)),
        ("Spouse/DC Over $1,000,000", ("over", 1000001, None, None)),
        ("$497.08", ("exact", 497, 498, Decimal("497.08"))),
        ("$800.00", ("exact", 800, 800, Decimal("800.00"))),
        ("$ 25,380.79", ("exact", 25380, 25381, Decimal("25380.79"))),
        ("$1250000.50", ("exact", 1250000, 1250001, Decimal("1250000.50"))),
    ],
)
def test_amounts_say_their_kind(raw, expected) -> None:
    assert tuple(normalize.amount(raw)) == expected


@pytest.mark.parametrize("raw", ["$497.0", "$1,001", "$12,34.56", "497.08", "about $500.00"])
def test_not_an_exact_amount(raw) -> None:
    with pytest.raises(ValueError, match="unrecognised"):
        normalize.amount(raw)


def test_an_inverted_band_is_refused() -> None:
    with pytest.raises(ValueError, match="minimum above its maximum"):
        normalize.amount_band("$15,000 - $1,001")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Stock", "stock"), ("[ST]", "stock"), ("OP", "stock_option"), ("Corporate Bond", "corporate_bond"),
     ("GS", "government_security"), ("Non-Public Stock", "non_public_stock"), ("", None), ("[ZZ]", "other")],
)
def test_asset_types(raw, expected) -> None:
    assert normalize.asset_type(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("KHC", "KHC"), ("--", None), (" brk.b ", "BRK.B"), ("$aapl", "AAPL"), ("(gOOg)".strip("()"), "GOOG"),
     ("SPYM - Tradr 2X", None), ("912828XG0", None), (None, None)],
)
def test_tickers(raw, expected) -> None:
    assert normalize.ticker(raw) == expected


def test_one_person_is_one_key_across_spellings() -> None:
    keys = {
        normalize.politician_id("senate", first, last, None)
        for first, last in [("A. Mitchell", "McConnell, Jr."), ("Mitchell", "McConnell"), ("MITCHELL ", "MCCONNELL")]
    }
    assert keys == {"senate:mcconnell-mitchell"}
    assert normalize.politician_id("house", "Nancy", "Pelosi", "ca") == "house:pelosi-nancy:CA"
    assert normalize.collapse("F\x00\x00\x00 S\xa0: New ") == "F S : New"
