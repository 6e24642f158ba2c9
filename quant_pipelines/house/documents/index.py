"""The Clerk's yearly financial-disclosure index, ``{YEAR}FD.zip`` holding ``{YEAR}FD.xml`` and ``.txt``.

Two schemas exist. From about 2015 every report has a ``FilingType`` and ``P`` marks a
PTR. Up to about 2014 the rows also carry ``FilingYear`` and ``DisclosureType``; a PTR is
``DisclosureType PTR`` with ``FilingType O`` (original) or ``A`` (amendment). The schema
is told by the presence of ``DisclosureType``, not by the year. The XML is read with
defusedxml (no DTDs, hence no entity expansion or external entities); the tab-separated
TXT copy is the fallback when the XML is missing or unusable.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from xml.etree.ElementTree import ParseError as XmlSyntaxError

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

from quant_pipelines.house.documents.safezip import UnsafeArchive, read_members
from quant_pipelines.vocabulary.normalize import collapse
from quant_pipelines.vocabulary.records import Filing

REPORT_TITLE = "Periodic Transaction Report"
# First year the Clerk publishes an index for.
FIRST_INDEX_YEAR = 2008
# A yearly index lists PTRs filed up to two calendar years after its Year (2012FD has
# PTRs filed in 2014, 2015FD some filed in 2017), so a window needs the indexes of its
# own years and of the two years before.
INDEX_LOOKBACK_YEARS = 2

_DOC_ID = re.compile(r"^\d{3,12}$")
_YEAR = re.compile(r"^\d{4}$")
_STATE_DISTRICT = re.compile(r"^(?P<state>[A-Z]{2})(?P<district>\d{1,2})?$")


class IndexUnreadable(ValueError):
    """A yearly index that cannot be read at all; the message is one line."""


@dataclass(frozen=True)
class IndexEntry:
    """One ``<Member>`` of the index, values as published (collapsed whitespace)."""

    doc_id: str
    year: int
    filing_type: str
    filing_date: date | None
    last: str
    first: str
    prefix: str = ""
    suffix: str = ""
    state_dst: str = ""
    disclosure_type: str | None = None

    @property
    def is_ptr(self) -> bool:
        if self.disclosure_type is not None:
            return self.disclosure_type.upper() == "PTR"
        return self.filing_type.upper() == "P"

    @property
    def is_amendment(self) -> bool:
        """Only the old schema marks amended PTRs in the index (FilingType A)."""
        return self.disclosure_type is not None and self.filing_type.upper() == "A"


@dataclass(frozen=True)
class YearIndex:
    """A parsed yearly index, which copy it came from and the rows it had to skip."""

    year: int
    entries: tuple[IndexEntry, ...]
    source: str
    fallback_reason: str | None = None
    skipped: tuple[str, ...] = field(default_factory=tuple)


def index_years(start: date, end: date) -> list[int]:
    """The index years to read for filings dated in [start, end)."""
    last = max(start, end - timedelta(days=1)).year
    return list(range(max(FIRST_INDEX_YEAR, start.year - INDEX_LOOKBACK_YEARS), last + 1))


def read_index(content: bytes, year: int) -> YearIndex:
    """Parse ``{year}FD.zip``: the XML member, else the TXT member; IndexUnreadable when neither works."""
    copies = {"xml": (f"{year}FD.xml", _xml_rows), "txt": (f"{year}FD.txt", _txt_rows)}
    try:
        members = read_members(content, [name for name, _ in copies.values()])
    except UnsafeArchive as exc:
        raise IndexUnreadable(f"{year}FD.zip refused: {exc}") from None
    problems = []
    for source, (name, parse) in copies.items():
        if name.lower() not in members:
            problems.append(f"{name} is missing")
            continue
        try:
            rows = parse(members[name.lower()])
        except IndexUnreadable as exc:
            problems.append(f"{name}: {exc}")
            continue
        entries, skipped = _entries(rows)
        return YearIndex(year, entries, source, "; ".join(problems) or None, skipped)
    raise IndexUnreadable(f"{year}FD.zip unusable: {'; '.join(problems)}")


def ptr_filings(
    index: YearIndex, start: date, end: date, report_url: Callable[[int, str], str]
) -> list[Filing]:
    """The PTRs of ``index`` filed in [start, end), as ledger filings; ``report_url(year, doc_id)``
    says where each PDF is published."""
    return [
        _filing(entry, report_url)
        for entry in index.entries
        if entry.is_ptr and entry.filing_date is not None and start <= entry.filing_date < end
    ]


def _filing(entry: IndexEntry, report_url: Callable[[int, str], str]) -> Filing:
    match = _STATE_DISTRICT.match(entry.state_dst.upper())
    paper = entry.doc_id[0] in "89"
    kind = "amendment" if entry.is_amendment else "paper" if paper else "original"
    return Filing(
        source="house",
        source_id=entry.doc_id,
        first_name=entry.first,
        last_name=entry.last,
        suffix=entry.suffix or None,
        state=match["state"] if match else None,
        district=match["district"] if match else None,
        filing_type=kind,
        report_title=REPORT_TITLE,
        filed_date=entry.filing_date,
        report_url=report_url(entry.year, entry.doc_id),
    )


def _xml_rows(data: bytes) -> list[dict[str, str]]:
    try:
        root = SafeElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise IndexUnreadable(f"XML refused ({type(exc).__name__}: {exc})") from None
    except XmlSyntaxError as exc:
        raise IndexUnreadable(f"malformed XML ({exc})") from None
    if root.tag != "FinancialDisclosure":
        raise IndexUnreadable(f"root element is <{root.tag}>, not <FinancialDisclosure>")
    return [{child.tag: child.text or "" for child in member} for member in root.iter("Member")]


def _txt_rows(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    try:
        header = [name.replace(" ", "") for name in next(reader, [])]
        if "DocID" not in header or "FilingDate" not in header:
            raise IndexUnreadable(f"no DocID/FilingDate columns in the header {header[:12]!r}")
        return [dict(zip(header, row)) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:  # e.g. a field over csv.field_size_limit() (131,072 characters)
        raise IndexUnreadable(f"TXT line {reader.line_num} unreadable ({exc})") from None


def _entries(rows: list[dict[str, str]]) -> tuple[tuple[IndexEntry, ...], tuple[str, ...]]:
    entries, skipped = [], []
    for number, raw in enumerate(rows, 1):
        values = {key: collapse(value) for key, value in raw.items()}
        doc_id, year = values.get("DocID", ""), values.get("Year", "")
        if not _DOC_ID.match(doc_id) or not _YEAR.match(year):
            skipped.append(f"row {number}: DocID {doc_id!r} / Year {year!r} unusable")
            continue
        try:
            filed = (
                datetime.strptime(values["FilingDate"], "%m/%d/%Y").date()
                if values.get("FilingDate")
                else None
            )
        except ValueError:
            skipped.append(
                f"row {number} (DocID {doc_id}): FilingDate {values['FilingDate']!r} is not M/D/YYYY"
            )
            continue
        entries.append(
            IndexEntry(
                doc_id=doc_id,
                year=int(year),
                filing_type=values.get("FilingType", ""),
                filing_date=filed,
                last=values.get("Last", ""),
                first=values.get("First", ""),
                prefix=values.get("Prefix", ""),
                suffix=values.get("Suffix", ""),
                state_dst=values.get("StateDst", ""),
                disclosure_type=values.get("DisclosureType"),
            )
        )
    return tuple(entries), tuple(skipped)
