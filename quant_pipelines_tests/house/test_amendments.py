"""The amendment-linking rule, on its own (the asset tests run it through the warehouse)."""

from __future__ import annotations

import random
from datetime import date

from quant_pipelines.house.documents.amendments import FilingFacts, RowFacts, asset_key, link_amendments

BA = asset_key("BA", "Boeing Company")
AAPL = asset_key("AAPL", "Apple Inc.")
BILL = asset_key(None, "US Treasury Bill")


def _filing(
    source_id: str,
    filed: date,
    *rows: tuple[str, date, bool],
    parsed: bool = True,
    index_amendment: bool = False,
) -> FilingFacts:
    return FilingFacts(
        source_id,
        filed,
        parsed,
        index_amendment,
        tuple(
            RowFacts(number, asset, traded, amended)
            for number, (asset, traded, amended) in enumerate(rows, 1)
        ),
    )


DEC_9 = date(2025, 12, 9)
ORIGINAL = _filing("20033001", date(2025, 12, 20), (AAPL, date(2025, 12, 1), False), (BA, DEC_9, False))
PARTIAL = _filing("20033759", date(2026, 1, 7), (BA, DEC_9, True))


def test_asset_key_prefers_the_ticker() -> None:
    assert asset_key("brk.b", "berkshire Hathaway") == "BRK.B"
    assert asset_key(None, "US Treasury Bill") == asset_key(None, "us treasury-bill") == "ustreasurybill"


def test_partial_amendment_links_without_superseding() -> None:
    links, superseded = link_amendments([ORIGINAL, PARTIAL])
    link = links["20033759"]
    assert (link.amends, link.replaces_rows, link.restates_all) == ("20033001", (2,), False)
    assert link.reason.startswith("linked: 20033001 (filed 2025-12-20)")
    assert superseded == {}
    assert "20033001" not in links


def test_full_restatement_supersedes() -> None:
    restated = _filing("20033800", date(2026, 1, 9), (AAPL, date(2025, 12, 1), True), (BA, DEC_9, True))
    links, superseded = link_amendments([restated, ORIGINAL])
    assert links["20033800"].restates_all and links["20033800"].replaces_rows == (1, 2)
    assert superseded == {"20033001": "20033800"}


def test_unlinked_names_the_row_nobody_lists() -> None:
    links, superseded = link_amendments([PARTIAL])
    assert links["20033759"].amends is None
    assert (
        links["20033759"].reason
        == "unlinked: no earlier parsed filing of this member lists BA traded 2025-12-09"
    )
    assert superseded == {}


def test_no_single_filing_lists_every_amended_row() -> None:
    other = _filing("20033002", date(2025, 12, 22), (BILL, date(2025, 12, 2), False))
    both = _filing("20033801", date(2026, 1, 9), (BA, DEC_9, True), (BILL, date(2025, 12, 2), True))
    links, _ = link_amendments([ORIGINAL, other, both])
    assert (
        links["20033801"].reason
        == "unlinked: no single earlier filing of this member lists all 2 amended rows"
    )


def test_latest_matching_filing_is_amended() -> None:
    first_fix = _filing("20033500", date(2026, 1, 2), (BA, DEC_9, True))
    links, _ = link_amendments([ORIGINAL, first_fix, PARTIAL])
    assert links["20033500"].amends == "20033001"
    assert links["20033759"].amends == "20033500"
    assert "2 earlier filings match, the latest is taken" in links["20033759"].reason


def test_later_and_unparsed_filings_are_not_candidates() -> None:
    later = _filing("20033999", date(2026, 2, 1), (BA, DEC_9, False))
    unparsed = _filing("20033002", date(2025, 12, 22), parsed=False)
    links, _ = link_amendments([later, unparsed, PARTIAL])
    assert links["20033759"].amends is None


def test_same_day_original_counts_same_day_amendment_does_not() -> None:
    same_day = _filing("20033760", date(2026, 1, 7), (BA, DEC_9, False))
    assert link_amendments([same_day, PARTIAL])[0]["20033759"].amends == "20033760"
    other_fix = _filing("20033761", date(2026, 1, 7), (BA, DEC_9, True))
    links, _ = link_amendments([other_fix, PARTIAL])
    assert links["20033759"].amends is None and links["20033761"].amends is None


def test_index_amendment_uses_all_rows_and_needs_a_parse() -> None:
    old_style = _filing("2101234", date(2026, 1, 7), (AAPL, date(2025, 12, 1), False), index_amendment=True)
    assert link_amendments([ORIGINAL, old_style])[0]["2101234"].amends == "20033001"
    unread = _filing("2101235", date(2026, 1, 7), parsed=False, index_amendment=True)
    assert (
        link_amendments([ORIGINAL, unread])[0]["2101235"].reason
        == "unlinked: the amendment's document is not parsed"
    )


def test_outcome_does_not_depend_on_input_order() -> None:
    filings = [
        ORIGINAL,
        PARTIAL,
        _filing("20033500", date(2026, 1, 2), (BA, DEC_9, True)),
        _filing("20033800", date(2026, 1, 9), (AAPL, date(2025, 12, 1), True), (BA, DEC_9, True)),
    ]
    expected = link_amendments(filings)
    for seed in range(5):
        shuffled = filings[:]
        random.Random(seed).shuffle(shuffled)
        assert link_amendments(shuffled) == expected
