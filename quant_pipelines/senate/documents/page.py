"""Pure parsers for Senate eFD report view pages (the listing is in ``listing``).

Bytes in, pydantic records out, no I/O. A page in a layout the parser does not know
raises :class:`ParseError` (ledger ``parse_failed``); a paper filing raises
:class:`NeedsOcr`. See SITE_NOTES §1.3-1.5 for every quirk handled here.
"""

from __future__ import annotations

from datetime import date

from lxml import etree

from quant_pipelines.senate.documents.cells import TITLE, PageCells, PtrPage, RawRow, assemble, day_of
from quant_pipelines.vocabulary.normalize import collapse
from quant_pipelines.vocabulary.records import NeedsOcr, ParseError

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


def report_for(title: str | None) -> date | None:
    """The 'for MM/DD/YYYY' date of a PTR title (listing or page heading)."""
    match = TITLE.match(collapse(title))
    return day_of(match) if match else None


def parse_ptr_page(content: bytes) -> PtrPage:
    """Parse ``/search/view/ptr/<uuid>/``; raises ParseError, or NeedsOcr for a paper page."""
    marks = _Landmarks(_document(content))
    if marks.images:
        raise NeedsOcr("paper filing: the report is a set of scanned page images")
    if marks.gate:
        raise ParseError("the document is the eFD agreement page, not a report")
    return assemble(
        PageCells(
            heading=marks.text("h1", "report heading"),
            filed=marks.text("strong", "'Filed' line"),
            filer=marks.text("h2", "filer heading"),
            rows=_raw_rows(_transactions_table(marks.tables)),
            summary=marks.summary,
        )
    )


def paper_image_urls(content: bytes) -> tuple[str, ...]:
    """The page images of ``/search/view/paper/<uuid>/`` in order; ParseError when there are none."""
    doc = _document(content)
    urls = tuple(img.get("src", "").strip() for img in doc.iter("img") if _has_class(img, "filingImage"))
    if not urls or not all(urls):
        raise ParseError("paper filing page has no filing images")
    return urls


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


class _Landmarks:
    """What a report page is found by, collected in one walk over the document."""

    # tag -> the class that marks the one wanted (the first of them counts)
    _HEADERS = {"h1": "mb-2", "h2": "filedReport", "strong": "noWrap"}

    def __init__(self, doc: etree._Element) -> None:
        self.headers: dict[str, etree._Element] = {}
        self.tables: list[etree._Element] = []
        self.summary: list[str] = []
        self.images = self.gate = False
        for element in doc.iter("h1", "h2", "strong", "img", "form", "table", "li"):
            tag, classes = element.tag, (element.get("class") or "").split()
            if tag in self._HEADERS:
                if tag not in self.headers and self._HEADERS[tag] in classes:
                    self.headers[tag] = element
            elif tag == "table":
                self.tables.append(element)
            elif tag == "li":
                if "list-inline-item" in classes:
                    self.summary.append(collapse(_text(element)))
            elif tag == "img":
                self.images = self.images or "filingImage" in classes
            else:
                self.gate = self.gate or element.get("id") == "agreement_form"

    def text(self, tag: str, what: str) -> str:
        if tag not in self.headers:
            raise ParseError(f"the {what} ({tag}.{self._HEADERS[tag]}) is missing")
        return collapse(_text(self.headers[tag]))


def _transactions_table(tables: list[etree._Element]) -> etree._Element:
    for table in tables:
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
