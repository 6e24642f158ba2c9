"""The congress-legislators reader on the reference files, and on broken ones (one-line reasons).

Counts come from reference/MANIFEST.md; the member details were read off the YAML text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from quant_pipelines.members.documents.legislators import LegislatorsUnreadable, read_legislators

FOLDER = Path("reference") / "congress-legislators"


@pytest.fixture(scope="module")
def current(fixtures_dir: Path):
    return read_legislators((fixtures_dir / FOLDER / "legislators-current.yaml").read_bytes())


def test_current_file_counts_as_the_manifest_says(current) -> None:
    assert len(current.members) == 537
    assert len(current.terms) == 2792
    by_chamber_of_last_term = {}
    for term in current.terms:
        by_chamber_of_last_term[term.bioguide_id] = term.chamber
    assert sorted(by_chamber_of_last_term.values()).count("senate") == 100


def test_a_member_and_their_terms(current) -> None:
    cantwell = next(m for m in current.members if m.bioguide_id == "C000127")
    assert (cantwell.first_name, cantwell.last_name, cantwell.official_full) == ("Maria", "Cantwell", "Maria Cantwell")
    assert (cantwell.birthday, cantwell.gender) == (date(1958, 10, 13), "F")
    terms = [t for t in current.terms if t.bioguide_id == "C000127"]
    first = terms[0]
    assert (first.chamber, first.state, first.district, first.party) == ("house", "WA", 1, "Democrat")
    assert (first.term_start, first.term_end) == (date(1993, 1, 5), date(1995, 1, 3))
    assert (terms[1].chamber, terms[1].senate_class, terms[1].district) == ("senate", 1, None)


def test_names_with_suffix_middle_and_accents(current) -> None:
    beyer = next(m for m in current.members if m.bioguide_id == "B001292")
    assert (beyer.first_name, beyer.middle_name, beyer.suffix) == ("Donald", "S.", "Jr.")
    begich = next(m for m in current.members if m.bioguide_id == "B001323")
    assert (begich.first_name, begich.suffix, begich.nickname) == ("Nicholas", "III", None)


def test_historical_file_reads_with_its_comment_header(fixtures_dir: Path) -> None:
    content = (fixtures_dir / FOLDER / "legislators-historical-2011plus.reconstructed.yaml").read_bytes()
    historical = read_legislators(content)
    assert len(historical.members) == 600
    assert len(historical.terms) == 3740
    carper = next(m for m in historical.members if m.bioguide_id == "C000174")
    assert (carper.first_name, carper.last_name) == ("Thomas", "Carper")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"- id: [unclosed", "not YAML"),
        (b"{}", "not a list of legislators"),
        (b"- id: {bioguide: X1}\n  name: {first: A, last: B}\n  terms: []\n", "no valid bioguide id"),
        (b"- id: {bioguide: A000001}\n  name: {first: A, last: B}\n  terms: []\n", "A000001 has no terms"),
        (
            b"- id: {bioguide: A000001}\n  name: {first: A, last: B}\n"
            b"  terms: [{type: gov, start: '2001-01-03', end: '2003-01-03', state: WA}]\n",
            "not sen or rep",
        ),
        (
            b"- id: {bioguide: A000001}\n  name: {first: A, last: B}\n"
            b"  terms: [{type: rep, start: 'soon', end: '2003-01-03', state: WA, district: 1}]\n",
            "start is not a YYYY-MM-DD date",
        ),
        (b"- !!python/object:os.system {}\n", "not YAML"),
    ],
)
def test_a_broken_file_is_refused_with_one_line(content: bytes, reason: str) -> None:
    with pytest.raises(LegislatorsUnreadable, match=reason) as refused:
        read_legislators(content)
    assert "\n" not in str(refused.value)
