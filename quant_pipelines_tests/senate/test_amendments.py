"""Amendment linking decisions, on the real Boozman trio and on small made-up groups."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from quant_pipelines.senate.documents import parse_ptr_page
from quant_pipelines.senate.documents.amendments import Member, link, resolve, row_keys

DAY = date(2026, 6, 16)
KEYS = (
    (date(2026, 5, 1), "self", "purchase", 1001, "AAPL"),
    (date(2026, 5, 2), "joint", "sale_full", 15001, "MSFT"),
)


def member(source_id: str, version: int = 0, filed: date = DAY, keys=KEYS) -> Member:
    return Member(source_id, "senate:boozman-john", DAY, version, filed, keys)


def boozman(fixtures_dir: Path, prefix: str, name: str, version: int) -> Member:
    page = parse_ptr_page((fixtures_dir / "senate" / "efd_2026" / name).read_bytes())
    return member(prefix, version, keys=row_keys(page.report.transactions))


def test_boozman_amendment_restates_a9754ff5_not_its_same_day_sibling(fixtures_dir: Path) -> None:
    group = [
        boozman(fixtures_dir, "727b4eb6", "ptr_727b4eb6_boozman_amendment1_18rows.html", 1),
        boozman(fixtures_dir, "a9754ff5", "ptr_a9754ff5_boozman_original_that_was_amended_18rows.html", 0),
        boozman(fixtures_dir, "2e076759", "ptr_2e076759_boozman_sameday_sibling_original_15rows.html", 0),
    ]
    links, superseded = resolve(group)
    assert links["727b4eb6"].amends == "a9754ff5"
    assert links["727b4eb6"].reason == (
        "restates a9754ff5 among 2 candidates: a9754ff5 shares 18/18 rows; 2e076759 shares 0/18 rows"
    )
    assert superseded == {"a9754ff5": "727b4eb6"}


def test_a_single_earlier_filing_is_linked_without_comparing() -> None:
    found = link(member("amend", 1, keys=None), [member("orig"), member("amend", 1, keys=None)])
    assert (found.amends, found.reason) == (
        "orig",
        "the only earlier filing by senate:boozman-john for 06/16/2026",
    )


def test_no_earlier_filing_leaves_it_unlinked_with_the_reason() -> None:
    later = member("orig", filed=date(2026, 6, 20))
    found = link(member("amend", 1), [later])
    assert found.amends is None and found.reason.startswith("no earlier filing by senate:boozman-john")


def test_equal_candidates_are_ambiguous_and_named() -> None:
    found = link(member("amend", 1), [member("one"), member("two")])
    assert found.amends is None
    assert (
        found.reason == "ambiguous: no candidate clearly restated: one shares 2/2 rows; two shares 2/2 rows"
    )


def test_a_candidate_that_cannot_be_compared_blocks_the_link() -> None:
    found = link(member("amend", 1), [member("one"), member("paper", keys=None)])
    assert found.amends is None and "rows of paper cannot be compared" in found.reason


def test_amendment_2_amends_amendment_1_and_the_chain_is_superseded() -> None:
    group = [member("orig"), member("a1", 1), member("a2", 2, filed=date(2026, 6, 30))]
    links, superseded = resolve(group)
    assert (links["a1"].amends, links["a2"].amends) == ("orig", "a1")
    assert superseded == {"orig": "a1", "a1": "a2"}
