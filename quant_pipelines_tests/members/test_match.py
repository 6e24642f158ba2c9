"""Filers matched to members, on the filers of the captured House indexes and Senate listings.

Expected bioguide ids were decided by reading the reference legislators files (name, state,
district and term dates; reference/MANIFEST.md §1.3 lists several), not by running the matcher.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from quant_pipelines.members.match import AMBIGUOUS, MATCHED, UNMATCHED, Filer, MemberIndex
from quant_pipelines_tests.members.filers import fixture_filers, reference_legislators

# (chamber, first, last, state, district, filed) as the filing gives them -> bioguide id.
MEMBERS = [
    (("senate", "A. Mitchell", "McConnell", None, None, date(2026, 6, 30)), "M000355"),
    (("senate", "THOMAS R", "CARPER", None, None, date(2012, 8, 2)), "C000174"),
    (("senate", "John R", "Curtis", None, None, date(2026, 6, 30)), "C001114"),
    (("senate", "David H", "McCormick", None, None, date(2026, 6, 26)), "M001243"),
    (("senate", "JOHN", "HOEVEN", None, None, date(2012, 8, 24)), "H001061"),
    (("house", "Nancy", "Pelosi", "CA", "12", date(2021, 1, 21)), "P000197"),
    (("house", "Cindy", "Axne", "IA", "03", date(2021, 10, 8)), "A000378"),
    (("house", "Donald Sternoff Honorable", "Beyer", "VA", "08", date(2021, 1, 31)), "B001292"),
    (("house", "Nicholas", "Begich", "AK", "00", date(2026, 6, 12)), "B001323"),
    (("house", "Marjorie Taylor", "Greene", "GA", "14", date(2025, 4, 11)), "G000596"),
    # First name only the seat confirms: the member is "Ro", the filing "Rohit".
    (("house", "Rohit", "Khanna", "CA", "17", date(2021, 2, 16)), "K000389"),
    (("house", "Elizabeth", "Fletcher", "TX", "07", date(2026, 5, 1)), "F000468"),
    # Old district after redistricting: GA06 until 2025, GA07 since; TX32 until 2019, TX17 since 2021.
    (("house", "Richard Dean Dr", "McCormick", "GA", "06", date(2026, 4, 7)), "M001218"),
    (("house", "Pete", "Sessions", "TX", "32", date(2021, 5, 3)), "S000250"),
    # Surnames filed longer or shorter than the member file has them.
    (("house", "April McClain", "Delaney", "MD", "06", date(2026, 1, 5)), "M001232"),
    (("house", "Ashley", "Hinson Arenholz", "IA", "01", date(2021, 4, 5)), "H001091"),
    # House reports filed months after moving to the Senate (Cassidy 2015-01-03, Marshall 2021-01-03).
    (("house", "William M.", "Cassidy", "LA", "06", date(2015, 8, 20)), "C001075"),
    (("house", "Roger W.", "Marshall", "KS", "01", date(2021, 9, 28)), "M001198"),
]

# Filers who are not members: staff with an office code, staff filing under their member's
# seat, and a namesake years before the member of that name served.
NOT_MEMBERS = [
    (("house", "SARAH L.", "ABERNATHY", "BU", "00", date(2012, 8, 1)), "office code"),
    (("house", "JONATHAN", "BLYTH", "FL", "22", date(2012, 7, 26)), "no member of that surname"),
    (("house", "MARK A.", "WALKER", "IN", "05", date(2012, 10, 11)), "W000819"),
    (("house", "GREGORY", "HILL", "TX", "10", date(2013, 8, 15)), "other times or seats"),
]


@pytest.fixture(scope="module")
def index(fixtures_dir: Path) -> MemberIndex:
    read = reference_legislators(fixtures_dir)
    return MemberIndex([m for part in read for m in part.members], [t for part in read for t in part.terms])


def _filer(chamber: str, first: str, last: str, state: str | None, district: str | None, filed: date) -> Filer:
    return Filer(f"{chamber}:{last}", chamber, first, last, filed, state=state, district=district)


@pytest.mark.parametrize(("filed", "bioguide"), MEMBERS, ids=[case[0][2] for case in MEMBERS])
def test_members_are_matched_with_their_term_as_of_the_filed_date(index, filed, bioguide) -> None:
    match = index.match(_filer(*filed))
    assert (match.status, match.bioguide_id) == (MATCHED, bioguide), match.reason
    assert match.party in ("Democrat", "Republican")


def test_party_state_and_district_are_those_of_the_term_covering_the_filed_date(index) -> None:
    # McCormick (GA): GA 6 from 2023-01-03, GA 7 from 2025-01-03, Republican.
    match = index.match(_filer("house", "Rich", "McCormick", "GA", None, date(2024, 5, 1)))
    assert (match.bioguide_id, match.party, match.state, match.district) == ("M001218", "Republican", "GA", 6)
    later = index.match(_filer("house", "Rich", "McCormick", "GA", None, date(2025, 5, 1)))
    assert later.district == 7
    # Hinson: IA 1 in the 117th Congress, IA 2 from 2023.
    assert index.match(_filer("house", "Ashley", "Hinson", "IA", "02", date(2023, 6, 1))).district == 2


@pytest.mark.parametrize(("filed", "why"), NOT_MEMBERS, ids=[case[0][2] for case in NOT_MEMBERS])
def test_non_members_are_unmatched_with_the_reason(index, filed, why) -> None:
    match = index.match(_filer(*filed))
    assert (match.status, match.bioguide_id) == (UNMATCHED, None)
    assert why in match.reason


def test_two_senators_of_one_surname_need_the_given_name(index) -> None:
    # Tim Scott (SC) and Rick Scott (FL) both sat in 2021: the surname alone fits two members.
    assert index.match(_filer("senate", "Tim", "Scott", None, None, date(2021, 6, 1))).bioguide_id == "S001184"
    assert index.match(_filer("senate", "Rick", "Scott", None, None, date(2021, 6, 1))).bioguide_id == "S001217"
    match = index.match(_filer("senate", "", "Scott", None, None, date(2021, 6, 1)))
    assert match.status == UNMATCHED and match.bioguide_id is None


def test_a_filing_outside_every_term_is_not_matched(index) -> None:
    # Khanna's first term began 2017-01-03.
    match = index.match(_filer("house", "Ro", "Khanna", "CA", "17", date(2015, 6, 1)))
    assert match.status == UNMATCHED and "other times or seats" in match.reason


def test_every_fixture_filer_is_one_member_or_none_never_two(index, fixtures_dir: Path) -> None:
    members_of: dict[str, set[str]] = defaultdict(set)
    statuses = set()
    for filer in fixture_filers(fixtures_dir):
        match = index.match(filer)
        statuses.add(match.status)
        assert match.reason
        if match.status == MATCHED:
            members_of[filer.politician_id].add(match.bioguide_id)
    assert AMBIGUOUS not in statuses
    assert {politician: ids for politician, ids in members_of.items() if len(ids) > 1} == {}
    # Every hand-checked member above who files in the fixtures is among the matched.
    filed = {politician for politician in members_of}
    for politician in ("senate:mcconnell-mitchell", "senate:carper-thomas", "house:pelosi-nancy:CA",
                       "house:axne-cindy:IA", "house:khanna-rohit:CA", "house:sessions-pete:TX"):
        assert politician in filed, politician
