"""Generated House PTR PDFs laid out like the Clerk's 2025/2026 template, and scanned stand-ins.

The layout copies the real template's columns (ID 25, Owner 65, Asset 104, Type 261,
dates 325 and 381, Amount 445), its drawing order (a cell's lines top to bottom, cell
after cell), its small-caps labels and headings (NUL in the text layer), the table
header repeated on every page and rows that run over a page break.
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass

from quant_pipelines_tests.replica.house_documents import GeneratedFiling, GeneratedRow
from quant_pipelines_tests.replica.pdf_writer import Page, render


@dataclass(frozen=True)
class _Columns:
    id: float = 25.3
    owner: float = 65.0
    asset: float = 104.0
    type: float = 260.8
    date: float = 325.3
    notified: float = 380.8
    amount: float = 445.2
    gains: float = 525.0


# The table sizes its columns to the content: a filled ID column pushes the others right (20033759).
_COLUMNS, _COLUMNS_WITH_ID = (
    _Columns(),
    _Columns(owner=80.8, asset=119.8, type=266.8, date=331.6, notified=386.4, amount=450.3, gains=526.7),
)
_LINE, _LABEL_LINE, _BOTTOM, _FIRST_ROW, _NEXT_PAGE_HEADER = 10.3, 12.7, 72.0, 459.0, 705.8
_FOOTNOTE = "* For the complete list of asset type abbreviations, please visit https://fd.house.gov/reference/asset-type-codes.aspx."
_CERTIFY = (
    "I CERTIFY that the statements I have made on the attached Periodic Transaction Report are true, "
    "complete, and correct to the best of",
    "my knowledge and belief. Further, I CERTIFY that I have disclosed all transactions as required by the "
    "STOCK Act.",
)
_LABELS = (
    ("filing_status", "Filing Status"),
    ("subholding_of", "Subholding Of"),
    ("location", "Location"),
    ("description", "Description"),
    ("comment", "Comments"),
)


def render_filing(filing: GeneratedFiling) -> bytes:
    """The PDF the Clerk's site would serve for ``filing``."""
    if filing.paper:
        return _scanned(filing)
    layout = _Layout(_COLUMNS_WITH_ID if any(row.row_id for row in filing.rows) else _COLUMNS)
    layout.head(filing)
    for row in filing.rows:
        layout.row(row)
    layout.trailer(filing)
    return render(layout.pages, title=f"PTR {filing.doc_id}")


def _scanned(filing: GeneratedFiling) -> bytes:
    rng = random.Random(filing.doc_id)
    width, height = 85, 110
    pixels = bytes(255 if (y % 9) else rng.randint(0, 120) for y in range(height) for _ in range(width))
    page = Page()
    page.gray_image(width, height, pixels)
    return render([page], title=f"PTR {filing.doc_id} (scan)")


def _wrap_amount(amount: str) -> list[str]:
    if len(amount) <= 16:
        return [amount]
    if " - " in amount:
        low, high = amount.split(" - ", 1)
        return [f"{low} -", high]
    head, tail = amount.rsplit(" ", 1)
    return [head, tail]


class _Layout:
    def __init__(self, columns: _Columns) -> None:
        self.columns = columns
        self.pages: list[Page] = []
        self.y = 0.0

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def head(self, filing: GeneratedFiling) -> None:
        self.pages.append(Page())
        page = self.page
        page.text(486.1, 711.8, ("F1", 8, f"Filing ID #{filing.doc_id}"))
        page.text(118.1, 685.5, ("SC", 16, "Periodic Transaction Report"))
        page.text(
            69.6,
            647.1,
            (
                "F1",
                7,
                "Clerk of the House of Representatives \u2022 Legislative Resource Center \u2022 "
                "B81 Cannon Building \u2022 Washington, DC 20515",
            ),
        )
        page.text(22.2, 612.0, ("SC", 11, "Filer Information"))
        for y, text in (
            (594.0, f"Name: {filing.filer}"),
            (578.1, "Status: Member"),
            (562.3, f"State/District: {filing.state_dst}"),
        ):
            page.text(21.9, y, ("F1", 8, text))
        page.text(21.8, 526.5, ("SC", 11, "Transactions"))
        self._table_header(503.2)
        self.y = _FIRST_ROW

    def _table_header(self, y: float) -> None:
        c = self.columns
        cells = (
            (c.id, y, "ID"),
            (c.owner, y, "Owner"),
            (c.asset, y, "Asset"),
            (c.type, y, "Transaction"),
            (c.type, y - 11.25, "Type"),
            (c.date, y, "Date"),
            (c.notified, y, "Notification"),
            (c.notified, y - 11.25, "Date"),
            (c.amount, y, "Amount"),
            (c.gains, y, "Cap."),
            (c.gains, y - 11.25, "Gains >"),
            (c.gains, y - 22.5, "$200?"),
        )
        for x, line_y, text in cells:
            self.page.text(x, line_y, ("F1B", 8, text))

    def _next_line(self, height: float) -> float:
        """The baseline for the next line, on a new page (under a new table header) when full."""
        if self.y - height < _BOTTOM:
            self.pages.append(Page())
            self._table_header(_NEXT_PAGE_HEADER)
            self.y = _NEXT_PAGE_HEADER - 36.0
        else:
            self.y -= height
        return self.y

    def row(self, row: GeneratedRow) -> None:
        assets = textwrap.wrap(row.asset_text, 32)
        amounts = _wrap_amount(row.amount)
        c = self.columns
        cells = [
            [(c.id, row.row_id or "")],
            [(c.owner, row.owner)],
            [(c.asset, line) for line in assets],
            [(c.type, row.type)],
            [(c.date, row.date.strftime("%m/%d/%Y"))],
            [(c.notified, row.notified.strftime("%m/%d/%Y"))],
            [(c.amount, line) for line in amounts],
        ]
        slots = []  # (page, baseline) of each line of the row's cells; a page break may fall between them
        for index in range(max(len(assets), len(amounts))):
            baseline = self._next_line(_LINE if index else 0.0)
            slots.append((self.page, baseline))
        for cell in cells:
            for (page, baseline), (x, text) in zip(slots, cell):
                if text:
                    page.text(x, baseline, ("F1", 8, text))
        self.y -= 8.0
        for key, label in _LABELS:
            value = getattr(row, key)
            for number, line in enumerate(textwrap.wrap(value, 95) if value else []):
                pieces = (("SC", 8, label), ("F1", 8, f": {line}")) if number == 0 else (("F1", 8, line),)
                self._put(self.columns.asset, _LABEL_LINE, *pieces)
        self.y -= 14.0

    def _put(self, x: float, height: float, *pieces: tuple[str, float, str]) -> None:
        """Draw a line ``height`` below the previous one (the page may change first)."""
        y = self._next_line(height)
        self.page.text(x, y, *pieces)

    def trailer(self, filing: GeneratedFiling) -> None:
        self._put(25.8, 8.0, ("F1", 6, _FOOTNOTE))
        if filing.vehicles:
            self._put(22.1, 28.0, ("SC", 11, "Investment Vehicle Details"))
            for name, owner, location in filing.vehicles:
                self._put(43.9, 18.0, ("F1", 8, f"{name} (Owner: {owner})" if owner else name))
                if location:
                    self._put(43.9, _LINE, ("SC", 8, "Location"), ("F1", 8, f": {location}"))
        self._put(22.1, 28.0, ("SC", 11, "Initial Public Offerings"))
        self._put(39.5, 18.0, ("F1", 8, "Yes No"))
        self._put(22.2, 28.0, ("SC", 11, "Certification and Signature"))
        for line in _CERTIFY:
            self._put(39.3, 12.3, ("F1", 7, line))
        signed = filing.filed.strftime("%m/%d/%Y")
        self._put(22.0, 17.0, ("F1", 8, f"Digitally Signed: {filing.filer} , {signed}"))
