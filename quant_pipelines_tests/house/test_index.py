"""The yearly FD index reader: all four captured years, both schemas, TXT fallback, hostile input."""

from __future__ import annotations

import tracemalloc
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from quant_pipelines.house.documents.index import IndexUnreadable, index_years, ptr_filings, read_index
from quant_pipelines_tests.hostile import archives, cases
from quant_pipelines_tests.hostile import xml as hostile_xml
from quant_pipelines_tests.hostile.archives import zipped

CAPTURED = {
    2012: ("2012FD.xml", "2012FD.txt"),
    2015: ("2015FD.xml", "2015FD.txt"),
    2021: ("2021FD_snapshot-2021-12-09_LF-normalized.xml", None),
    2026: ("2026FD.xml", "2026FD.txt"),
}
# Counts of the captures (SITE_NOTES §2.1): members, PTRs, PTR FilingType letters.
EXPECTED = {
    2012: (5347, 813, {"O": 788, "A": 25}),
    2015: (2297, 728, {"P": 728}),
    2021: (1576, 634, {"P": 634}),
    2026: (1302, 274, {"P": 274}),
}
BASE = "https://disclosures-clerk.house.gov"


def ptr_url(year: int, doc_id: str) -> str:
    """Where the live site publishes a PTR PDF."""
    return f"{BASE}/public_disc/ptr-pdfs/{year}/{doc_id}.pdf"


def _captured(fixtures_dir: Path, year: int, *, xml: bool = True, txt: bool = True) -> dict[str, bytes]:
    xml_name, txt_name = CAPTURED[year]
    folder = fixtures_dir / "house" / "index"
    members = {}
    if xml:
        members[f"{year}FD.xml"] = (folder / xml_name).read_bytes()
    if txt and txt_name:
        members[f"{year}FD.txt"] = (folder / txt_name).read_bytes()
    return members


@pytest.mark.parametrize("year", sorted(CAPTURED))
def test_captured_years(year: int, fixtures_dir: Path) -> None:
    index = read_index(zipped(_captured(fixtures_dir, year)), year)
    members, ptrs, types = EXPECTED[year]
    assert (index.source, index.fallback_reason, index.skipped) == ("xml", None, ())
    assert len(index.entries) == members
    ptr_entries = [entry for entry in index.entries if entry.is_ptr]
    assert len(ptr_entries) == ptrs
    assert Counter(entry.filing_type for entry in ptr_entries) == types
    assert {entry.year for entry in index.entries} == {year}


@pytest.mark.parametrize("year", [2012, 2015, 2026])
def test_txt_copy_reads_the_same_as_the_xml(year: int, fixtures_dir: Path) -> None:
    from_xml = read_index(zipped(_captured(fixtures_dir, year, txt=False)), year)
    from_txt = read_index(zipped(_captured(fixtures_dir, year, xml=False)), year)
    assert from_txt.source == "txt" and from_txt.fallback_reason == f"{year}FD.xml is missing"
    assert from_txt.entries == from_xml.entries


def test_old_schema_ptrs_and_amendments(fixtures_dir: Path) -> None:
    index = read_index(zipped(_captured(fixtures_dir, 2012)), 2012)
    annual_original = next(
        entry for entry in index.entries if entry.disclosure_type == "FD" and entry.filing_type == "O"
    )
    assert not annual_original.is_ptr
    filings = ptr_filings(index, date(2012, 1, 1), date(2015, 1, 1), ptr_url)
    assert len(filings) == 813
    assert Counter(filing.filing_type for filing in filings) == {"original": 788, "amendment": 25}
    # 20 of the 2012 index's PTRs were filed in 2013-2014: their PDFs still live under 2012/
    late = [filing for filing in filings if filing.filed_date.year > 2012]
    assert len(late) == 20 and all("/ptr-pdfs/2012/" in filing.report_url for filing in late)


def test_window_selection_and_filing_fields(fixtures_dir: Path) -> None:
    index = read_index(zipped(_captured(fixtures_dir, 2026)), 2026)
    may_6 = ptr_filings(index, date(2026, 5, 6), date(2026, 5, 7), ptr_url)
    assert [filing.source_id for filing in may_6] == [
        "20034487",
        "20034486",
        "9115809",
        "9115811",
        "9115812",
        "9115813",
        "9115814",
        "9115815",
    ]
    harshbarger = next(filing for filing in may_6 if filing.source_id == "9115811")
    assert (harshbarger.first_name, harshbarger.last_name, harshbarger.state, harshbarger.district) == (
        "Diana",
        "Harshbarger",
        "TN",
        "01",
    )
    assert harshbarger.filing_type == "paper"
    assert harshbarger.report_url == f"{BASE}/public_disc/ptr-pdfs/2026/9115811.pdf"
    begich = ptr_filings(index, date(2026, 6, 12), date(2026, 6, 13), ptr_url)[0]
    assert (begich.source_id, begich.suffix, begich.filing_type, begich.district) == (
        "20020055",
        "III",
        "original",
        "00",
    )
    assert len(ptr_filings(index, date(2026, 1, 1), date(2027, 1, 1), ptr_url)) == 274


def test_index_years_cover_late_listings() -> None:
    assert index_years(date(2026, 6, 23), date(2026, 6, 24)) == [2024, 2025, 2026]
    assert index_years(date(2025, 12, 31), date(2026, 1, 2)) == [2023, 2024, 2025, 2026]
    assert index_years(date(2012, 1, 1), date(2012, 1, 2)) == [2010, 2011, 2012]


def test_unusable_rows_are_skipped_with_a_reason() -> None:
    header = "Prefix\tLast\tFirst\tSuffix\tFilingType\tStateDst\tYear\tFilingDate\tDocID\r\n"
    rows = (
        "Hon.\tDoe\tJane\t\tP\tZZ01\t2026\t6/1/2026\t20099999\r\n"
        "Hon.\tRoe\tJohn\t\tP\tZZ02\t2026\t6/1/2026\t../../etc/passwd\r\n"
        "Hon.\tPoe\tJim\t\tP\tZZ03\t2026\t31/31/2026\t20099998\r\n"
    )
    index = read_index(zipped({"2026FD.txt": (header + rows).encode()}), 2026)
    assert [entry.doc_id for entry in index.entries] == ["20099999"]
    assert len(index.skipped) == 2
    assert "'../../etc/passwd'" in index.skipped[0] and "31/31/2026" in index.skipped[1]


_TXT = (
    b"Prefix\tLast\tFirst\tSuffix\tFilingType\tStateDst\tYear\tFilingDate\tDocID\r\n"
    b"Hon.\tDoe\tJane\t\tP\tZZ01\t2026\t6/1/2026\t20099999\r\n"
)


@pytest.mark.parametrize(("xml", "problem"), cases(hostile_xml.CASES))
def test_hostile_or_broken_xml_falls_back_to_the_txt_copy(xml: bytes, problem: str) -> None:
    index = read_index(zipped({"2026FD.xml": xml, "2026FD.txt": _TXT}), 2026)
    assert index.source == "txt"
    assert problem in index.fallback_reason
    assert [entry.doc_id for entry in index.entries] == ["20099999"]


def test_hostile_xml_without_a_txt_copy_is_unreadable() -> None:
    with pytest.raises(IndexUnreadable, match=r"2026FD.xml: XML refused .*2026FD.txt is missing"):
        read_index(zipped({"2026FD.xml": hostile_xml.EXTERNAL_ENTITY}), 2026)


@pytest.mark.parametrize(("archive", "problem"), cases(archives.CASES))
def test_hostile_archives_are_refused(archive, problem: str) -> None:
    with pytest.raises(IndexUnreadable, match=problem):
        read_index(archive(), 2026)


@pytest.mark.parametrize("compression", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA], ids=["bzip2", "lzma"])
def test_a_bzip2_or_lzma_bomb_is_refused_before_any_inflating(compression: int) -> None:
    bomb = archives.packed_bomb(compression)
    assert len(bomb) < 2**14  # 96 MiB of member in a few KiB
    tracemalloc.start()
    try:
        with pytest.raises(IndexUnreadable, match="not stored or deflated"):
            read_index(bomb, 2026)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 2**20, f"{peak} bytes allocated while refusing"


def test_a_txt_field_over_the_csv_limit_is_unreadable_with_its_line() -> None:
    txt = b"Prefix\tLast\tFirst\tSuffix\tFilingType\tStateDst\tYear\tFilingDate\tDocID\r\n"
    txt += b"Hon.\t" + b"x" * 200_000 + b"\tPat\t\tP\tZZ01\t2026\t6/12/2026\t20099999\r\n"
    with pytest.raises(IndexUnreadable, match=r"2026FD.txt: TXT line 2 unreadable \(field larger than field limit"):
        read_index(zipped({"2026FD.txt": txt}), 2026)
