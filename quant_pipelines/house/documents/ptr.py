"""Parse a House Clerk electronic PTR PDF (the layouts of 2016-2026) into a :class:`ParsedReport`.

Pure: bytes in, records out. The document is read top to bottom in three parts: the
filer block, the transactions table (its header repeats on every page; a row may run
over a page break) and, after the asset-code footnote, the trailer sections (investment
vehicles with their owners, IPO question, certification and signature).

A row that cannot be read is kept as an :class:`UnreadableRow` (its text and the reason)
and never costs the other rows; the rows are reconciled with an independent count of
the document's transaction anchors (``census.py``), so no row is lost in silence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from quant_pipelines.house.documents.census import anchors_on, disagreement
from quant_pipelines.house.documents.labels import label
from quant_pipelines.house.documents.pdf_text import PdfText, Run
from quant_pipelines.house.documents.rows import RowDraft
from quant_pipelines.house.documents.trailer import Trailer
from quant_pipelines.vocabulary.normalize import collapse
from quant_pipelines.vocabulary.records import ParsedReport, ParseError, UnreadableRow

PARSER_VERSION = "house-clerk/2"

_FILING_ID = re.compile(r"^Filing I[Dd] #\s*(?P<id>\d+)$")
_FILER = re.compile(r"^(?P<key>name|state/district)\s*:\s*(?P<value>.+)$", re.IGNORECASE)
_HEADER = "id owner asset transaction"
_HEADER_WORDS = frozenset({"type", "date notification", "date", "amount cap.", "gains >", "$200?"})
_HEADER_BAND = 30.0
_FOOTNOTE = re.compile(r"^\* For the complete list of asset type abbreviations.*?\.aspx\.?\s*(?P<rest>.*)$")
# Type, transaction date, notification date, amount (maybe only its first half) and the
# 2020-2021 template's cap-gains glyphs. Extractors differ on spaces between the dates;
# layouts up to 2017 print the day and month without a leading zero (06/8/2016).
_ANCHOR = re.compile(
    r"(?:^|(?<=\s))(?P<type>S \((?i:partial)\)|[PSE])\s+(?P<date>\d{1,2}/\d{1,2}/\d{4})\s*"
    r"(?P<notified>\d{1,2}/\d{1,2}/\d{4})\s*(?P<amount>.*?)\s*(?:(?<=\s)(?P<mark>gfedcb?))?$"
)
_TYPE_COLUMN_SLACK = 15.0
# Layouts without asset codes (up to 2017) print no footnote: the trailer's first heading ends the table.
_TABLE_END = re.compile(
    r"^(?:asset class details|investment vehicle details|initial public offerings|certification and signature)$",
    re.IGNORECASE,
)
_ROW_ID = re.compile(r"(?P<id>\d{6,12})(?:\s+|$)")
_OWNER = re.compile(r"(?P<owner>SP|JT|DC)(?:\s+|$)")
_MARK_TAIL = re.compile(r"(?:^|\s+)(?P<mark>gfedcb?)$")
_MONEY_TAIL = re.compile(r"\s+(?P<money>\$[\d,]+)$")


def parse_ptr(content: bytes, *, doc_id: str | None = None) -> ParsedReport:
    """Parse one PTR PDF; ``doc_id`` (the index DocID) is checked against the printed Filing ID.

    Raises :class:`NeedsOcr` for a PDF without a text layer and :class:`ParseError` for
    anything that is not a readable PTR in a known layout.
    """
    with PdfText(content) as layer:
        reader = _Reader(layer)
        for number, line in enumerate(line for lines in layer.pages() for line in lines):
            reader.line(number, line)
    return reader.report(doc_id)


@dataclass(frozen=True)
class _Columns:
    owner: float
    asset: float
    type: float
    amount: float


class _Reader:
    def __init__(self, layer: PdfText) -> None:
        self.layer = layer
        self.anchors: Counter[int] = Counter()  # the census, line by line as the pages are read
        self.section = "head"
        self.filer: dict[str, str] = {}
        self.filing_ids: set[str] = set()
        self.columns: _Columns | None = None
        self.header_at: tuple[int, float] = (0, 0.0)
        self.rows: list[RowDraft] = []
        self.trailer = Trailer()

    def line(self, number: int, runs: list[Run]) -> None:
        if count := anchors_on(runs):
            self.anchors[number] = count
        runs = [run for run in runs if not self._filing_id(run)]
        if not runs:
            return
        if runs[0].text.lower().startswith(_HEADER):
            self._header(runs)
        elif self.section == "head":
            for run in runs:
                if match := _FILER.match(run.text):
                    self.filer[match["key"].lower()] = collapse(match["value"])
        elif self.section == "table":
            self._table(number, runs)
        else:
            for run in runs:
                self.trailer.feed(run.text)

    def report(self, doc_id: str | None) -> ParsedReport:
        if doc_id is not None and self.filing_ids and doc_id not in self.filing_ids:
            raise ParseError(f"the PDF is Filing ID #{min(self.filing_ids)}, not DocID {doc_id}")
        if self.columns is None:
            raise ParseError("no transactions table: the header 'ID Owner Asset Transaction ...' is missing")
        if not self.rows:
            raise ParseError("the transactions table has no rows")
        if not self.filer.get("name"):
            raise ParseError("no filer name: the 'Name:' line is missing")
        transactions, unreadable = [], []
        for row in self.rows:
            try:
                transactions.append(row.transaction(self.trailer.vehicles))
            except ValueError as exc:
                unreadable.append(
                    UnreadableRow(row_number=row.number, page=row.page, raw_text=row.raw_text(), reason=str(exc))
                )
        return ParsedReport(
            filer_name=self.filer["name"],
            filed_date=self.trailer.signed,
            transactions=tuple(transactions),
            unreadable=tuple(unreadable),
            mismatch=disagreement(self.anchors, Counter(row.line for row in self.rows)),
        )

    def _filing_id(self, run: Run) -> bool:
        if match := _FILING_ID.match(run.text):
            self.filing_ids.add(match["id"])
            return True
        return False

    def _header(self, runs: list[Run]) -> None:
        if self.section == "trailer":
            return
        first, lowered = runs[0], runs[0].text.lower()
        amount = next((run.left for run in runs if run.text.lower().startswith("amount")), None)
        if amount is None:
            raise ParseError(f"page {first.page}: table header without an Amount column")
        self.columns = _Columns(
            owner=self.layer.x_at(first, lowered.index("owner")),
            asset=self.layer.x_at(first, lowered.index("asset")),
            type=self.layer.x_at(first, lowered.index("transaction")),
            amount=amount,
        )
        self.header_at = (first.page, first.baseline)
        self.section = "table"

    def _table(self, number: int, runs: list[Run]) -> None:
        first = runs[0]
        page, baseline = self.header_at
        if first.page == page and baseline - first.baseline < _HEADER_BAND:
            runs = [run for run in runs if run.text.lower() not in _HEADER_WORDS]
            if not runs:
                return
        if match := _FOOTNOTE.match(first.text):
            self.section = "trailer"
            for text in [match["rest"], *(run.text for run in runs[1:])]:
                self.trailer.feed(text)
            return
        if _TABLE_END.match(first.text):
            self.section = "trailer"
            for run in runs:
                self.trailer.feed(run.text)
            return
        whole = runs
        if anchor := self._anchor(runs):
            index, match = anchor
            self._start_row(number, runs[index], match, runs[:index])
            runs = runs[index + 1 :]
        elif number in self.anchors:
            # The census sees a row here that the parser cannot read: keep it, unreadable.
            self.rows.append(RowDraft.unreadable_at(len(self.rows) + 1, first.page, number))
            runs = []
        for run in runs:
            self._continue(run)
        if self.rows:
            self.rows[-1].raw.append(whole)

    def _anchor(self, runs: list[Run]) -> tuple[int, re.Match[str]] | None:
        assert self.columns is not None
        for index, run in enumerate(runs):
            position = 0
            while match := _ANCHOR.search(run.text, position):
                x = self.layer.x_at(run, match.start("type"))
                if abs(x - self.columns.type) < _TYPE_COLUMN_SLACK:
                    return index, match
                position = match.start() + 1
        return None

    def _start_row(self, number: int, run: Run, match: re.Match[str], before: list[Run]) -> None:
        row = RowDraft(
            number=len(self.rows) + 1,
            page=run.page,
            line=number,
            type_raw=collapse(match["type"]),
            date_raw=match["date"],
            notified_raw=match["notified"],
            amount=match["amount"],
        )
        if match["mark"]:
            row.marks.append(match["mark"])
        self.rows.append(row)
        pieces = [(piece, piece.text) for piece in before] + [(run, run.text[: match.start("type")])]
        for piece, text in pieces:
            self._lead_cells(row, piece, text)

    def _lead_cells(self, row: RowDraft, run: Run, text: str) -> None:
        """The ID, owner and first asset line, told apart by the column they start in."""
        assert self.columns is not None
        offset = len(text) - len(text.lstrip())
        text = text.strip()
        at_start = not row.asset_lines
        if at_start and row.row_id is None and not row.owner_raw and (match := _ROW_ID.match(text)):
            if self.layer.x_at(run, offset) < self.columns.owner - 2:
                row.row_id, offset, text = match["id"], offset + match.end(), text[match.end() :]
        if at_start and not row.owner_raw and (match := _OWNER.match(text)):
            if self.layer.x_at(run, offset) < self.columns.asset - 4:
                row.owner_raw, text = match["owner"], text[match.end() :]
        if text:
            row.asset_lines.append(text)

    def _continue(self, run: Run) -> None:
        assert self.columns is not None
        if not self.rows:
            # No anchor on the line (the census would have said): a header line, not a row.
            return
        row, text = self.rows[-1], run.text
        if row.problem is not None:
            return
        if match := _MARK_TAIL.search(text):
            row.marks.append(match["mark"])
            text = text[: match.start()]
        if not text:
            return
        if found := label(text):
            row.add_label(*found)
            return
        if row.amount_problem():
            if run.left >= self.columns.amount - 6:
                row.extend_amount(text)
                return
            if match := _MONEY_TAIL.search(text):
                row.extend_amount(match["money"])
                text = text[: match.start()]
        if row.last_label is not None:
            row.continue_label(text)
        else:
            row.asset_lines.append(text)
