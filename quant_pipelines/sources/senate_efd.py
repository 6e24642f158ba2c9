"""Pure parsers for Senate eFD report view pages (the listing is in ``senate_efd_listing``).

Bytes in, pydantic records out, no I/O. A page in a layout the parser does not know
raises :class:`ParseError` (ledger ``parse_failed``); a paper filing raises
:class:`NeedsOcr`. See SITE_NOTES §1.3-1.5 for every quirk handled here.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, time

from lxml import etree
from pydantic import BaseModel, ConfigDict

from quant_pipelines.sources import normalize
from quant_pipelines.sources.normalize import collapse
from quant_pipelines.sources.records import NeedsOcr, ParsedReport, ParseError
from quant_pipelines.sources.senate_efd_rows import RawRow, transaction

PARSER_VERSION = "senate-efd/1"
COLUMNS = (
    "#",
    "Transaction Date",
    "Owner",
    "Ticker",
    "Asset Name",
    "Asset Type",
    "Type",
    "Amount",
    "Comment",
)

TITLE = re.compile(r"^Periodic Transaction Report for (\d{2})/(\d{2})/(\d{4})(?: \(Amendment(?: (\d+))?\))?$")
_FILED = re.compile(r"^Filed (\d{2})/(\d{2})/(\d{4}) @ (\d{1,2}):(\d{2}) ([AP])M$")
_SUMMARY_TOTAL = re.compile(r"^\((\d+) transactions? total\)$")
_SUMMARY_OWNER = re.compile(r"^(\d+) (Self|Joint|Spouse|Dependent Child)$")
_FILER = re.compile(r"^(?:The Honorable )?(?P<name>.*?)\s*(?:\((?P<key>[^()]*)\))?$")


class Record(BaseModel):
    """Frozen records that refuse unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class PtrPage(Record):
    """An electronic PTR page: the parsed report plus the header facts the ledger needs."""

    report: ParsedReport
    report_for: date
    filed_at: datetime
    filer_key: str | None


def report_for(title: str | None) -> date | None:
    """The 'for MM/DD/YYYY' date of a PTR title (listing or page heading)."""
    match = TITLE.match(collapse(title))
    return _day(match) if match else None


def parse_ptr_page(content: bytes) -> PtrPage:
    """Parse ``/search/view/ptr/<uuid>/``; raises ParseError, or NeedsOcr for a paper page."""
    doc = _document(content)
    _refuse_other_pages(doc)
    title = collapse(_text(_first(doc, "h1", "mb-2", "report heading")))
    heading = TITLE.match(title)
    if heading is None:
        raise ParseError(f"unexpected report heading {title!r}")
    filed = _FILED.match(collapse(_text(_first(doc, "strong", "noWrap", "'Filed' line"))))
    if filed is None:
        raise ParseError("the 'Filed MM/DD/YYYY @ H:MM AM' line is missing or malformed")
    filer = _FILER.match(collapse(_text(_first(doc, "h2", "filedReport", "filer heading"))))
    lines = tuple(transaction(row) for row in _raw_rows(_transactions_table(doc)))
    _check_summary(doc, lines)
    hour = int(filed[4]) % 12 + (12 if filed[6] == "P" else 0)
    try:
        filed_at = datetime.combine(_day(filed), time(hour, int(filed[5])))
        report_for = _day(heading)
    except ValueError as exc:
        raise ParseError(f"impossible date in the report header: {exc}") from None
    report = ParsedReport(
        filer_name=filer["name"],
        filed_date=filed_at.date(),
        amendment_number=int(heading[4]) if heading[4] else None,
        transactions=lines,
    )
    return PtrPage(
        report=report,
        report_for=report_for,
        filed_at=filed_at,
        filer_key=filer["key"],
    )


def paper_image_urls(content: bytes) -> tuple[str, ...]:
    """The page images of ``/search/view/paper/<uuid>/`` in order; ParseError when there are none."""
    doc = _document(content)
    urls = tuple(img.get("src", "").strip() for img in doc.iter("img") if _has_class(img, "filingImage"))
    if not urls or not all(urls):
        raise ParseError("paper filing page has no filing images")
    return urls


def _day(match: re.Match) -> date:
    """A date from a match whose first three groups are MM, DD, YYYY."""
    return date(int(match[3]), int(match[1]), int(match[2]))


def _document(content: bytes) -> etree._Element:
    if not content or content.isspace():
        raise ParseError("empty document")
    try:
        # A parser per call: lxml parsers must not be shared between threads.
        doc = etree.fromstring(content, etree.HTMLParser(remove_comments=True, remove_pis=True))
    except (etree.LxmlError, ValueError) as exc:
        raise ParseError(f"not an HTML document: {exc}") from None
    if doc is None:
        raise ParseError("not an HTML document")
    return doc


def _refuse_other_pages(doc: etree._Element) -> None:
    if any(_has_class(img, "filingImage") for img in doc.iter("img")):
        raise NeedsOcr("paper filing: the report is a set of scanned page images")
    if any(form.get("id") == "agreement_form" for form in doc.iter("form")):
        raise ParseError("the document is the eFD agreement page, not a report")


def _transactions_table(doc: etree._Element) -> etree._Element:
    for table in doc.iter("table"):
        headers = tuple(collapse(_text(th)) for th in table.iter("th"))
        if headers == COLUMNS:
            return table
        if headers:
            raise ParseError(f"unexpected transaction columns {headers}")
    raise ParseError("no transactions table (truncated or unknown page)")


def _raw_rows(table: etree._Element) -> list[RawRow]:
    rows = []
    for tr in table.iter("tr"):
        cells = tr.findall("td")
        if not cells and tr.find("th") is not None:
            continue
        if len(cells) != len(COLUMNS):
            raise ParseError(
                f"transaction row {len(rows) + 1} has {len(cells)} cells, "
                f"expected {len(COLUMNS)} (truncated page?)"
            )
        number, day, owner, ticker, name, kind, action, amount, comment = cells
        rows.append(
            RawRow(
                number=collapse(_text(number)),
                transaction_date=collapse(_text(day)),
                owner=collapse(_text(owner)),
                ticker_lines=_lines(ticker),
                name_lines=_lines(name, skip_muted=True),
                sub_lines=tuple(
                    line for div in name.iter("div") if _has_class(div, "text-muted") for line in _lines(div)
                ),
                asset_type=collapse(_text(kind)),
                transaction_type=collapse(_text(action)),
                amount=collapse(_text(amount)),
                comment=collapse(_text(comment)),
            )
        )
    return rows


def _check_summary(doc: etree._Element, lines: tuple) -> None:
    """The '(N transactions total)' / 'X Self' list must agree with the rows (catches truncation)."""
    items = [collapse(_text(li)) for li in doc.iter("li") if _has_class(li, "list-inline-item")]
    totals = [int(m[1]) for m in map(_SUMMARY_TOTAL.match, items) if m]
    if not totals:
        raise ParseError("the '(N transactions total)' summary is missing (truncated page?)")
    if totals[0] != len(lines):
        raise ParseError(f"the summary lists {totals[0]} transactions but the table has {len(lines)}")
    numbers = [line.row_number for line in lines]
    if len(set(numbers)) != len(numbers):
        raise ParseError(f"row numbers repeat: {sorted(numbers)}")
    owners = Counter(line.owner for line in lines)
    for match in filter(None, map(_SUMMARY_OWNER.match, items)):
        if owners[normalize.owner(match[2])] != int(match[1]):
            raise ParseError(
                f"the summary lists {match[0]!r} but the table has {owners[normalize.owner(match[2])]}"
            )


def _first(doc: etree._Element, tag: str, css_class: str, what: str) -> etree._Element:
    for element in doc.iter(tag):
        if _has_class(element, css_class):
            return element
    raise ParseError(f"the {what} ({tag}.{css_class}) is missing")


def _has_class(element: etree._Element, css_class: str) -> bool:
    return css_class in (element.get("class") or "").split()


def _text(element: etree._Element) -> str:
    if len(element) == 0:  # most cells: one text node, no children
        return element.text or ""
    return "".join(element.itertext())


def _lines(element: etree._Element, *, skip_muted: bool = False) -> tuple[str, ...]:
    """The element's text split at <br> and block boundaries, collapsed, blanks dropped."""
    if next(element.iter("br", "div"), None) is None:  # one line: most cells
        line = collapse(_text(element))
        return (line,) if line else ()
    parts: list[list[str]] = [[]]

    def visit(node: etree._Element) -> None:
        if node.text:
            parts[-1].append(node.text)
        for child in node:
            tag = child.tag
            if tag == "br":
                parts.append([])
            elif tag == "div":
                parts.append([])
                if not (skip_muted and _has_class(child, "text-muted")):
                    visit(child)
                parts.append([])
            elif isinstance(tag, str):
                visit(child)
            if child.tail:
                parts[-1].append(child.tail)

    visit(element)
    return tuple(line for line in (collapse("".join(part)) for part in parts) if line)
