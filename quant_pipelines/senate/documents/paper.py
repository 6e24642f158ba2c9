"""Read a Senate paper PTR page image: the form "PERIODIC DISCLOSURE OF FINANCIAL TRANSACTIONS".

Pure: GIF bytes in, checked rows out; no database, no network. The form is portrait, scanned at
400 dpi: a narrow row-number column, the asset column (the widest; the owner is written in it as
``(S)``, ``(DC)`` or ``(J)``), the Purchase / Sale / Exchange tick columns, the transaction date,
then 11 amount columns. Rows come after the tallest band (the column captions); the form's two
printed example rows are told by the letters E X A M P L E filling their amount boxes. A row with
text and no tick or date is an account header. A page is the form by its grid (the column layout
above; continuation sheets may lack the title). A page without it is skipped (the cover letter,
attachments) unless its top carries the form's title: then the grid was not read, a review note.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

import numpy as np
from PIL import Image, UnidentifiedImageError

from quant_pipelines.ocr import engine as ocr_engine
from quant_pipelines.ocr.cells import Cell, grid_cell
from quant_pipelines.ocr.grid import MAX_PAGE_PIXELS, Grid, deskew, find_grid
from quant_pipelines.ocr.rows import MIN_CONFIDENCE, OcrRow, Reading, RowRead, check, distrust_degraded
from quant_pipelines.ocr.texts import read_texts
from quant_pipelines.ocr.ticks import Mark, classify, mark
from quant_pipelines.ocr.words import WORDS_VERSION

# 2: cells keep print that fills a short row (ocr/cells.py); a page mostly read at low confidence
# trusts none of its rows (ocr/rows.py); 3: a column rule that leans on a sheared scan is found,
# and a table's outer border that the scan cut off (ocr/grid.py); 4: doubtful names and dates are
# confirmed by re-reads as on House scans, names settled by their words (ocr/texts.py); 5: a thin
# upright alone on its rows at a cell's side is a dashed rule's piece, not print (ocr/cells.py);
# 6: a doubtful mark like the page's sure ticks is a tick (ocr/ticks.py); a missed rule's dashes
# inside a cell are neither a line of print nor a mark (ocr/cells.py)
# 7: a doubtful name the three other sizes agree on in letters takes their reading, a name read
# two ways takes the sure spelling in words (ocr/confirm.py), and an owner read 5P is SP, 0C is
# DC, a speck beside a code no part of it (ocr/rows.py)
READER_VERSION = "senate-paper/7"
TICKED = 0.008  # a typed X at 400 dpi fills 1.2-1.8% of its box; empty boxes stay under 0.2%
EMPTY = 0.004
_TYPES = ("P", "S", "EX")
# The Senate's amount columns left to right, as the letters of the same bands in ocr.rows.AMOUNTS
# (its 7th column, "Over $1,000,000***" for a spouse or child, is the House form's K).
_AMOUNT_LETTERS = ("A", "B", "C", "D", "E", "F", "K", "G", "H", "I", "J")
_EXAMPLE_MARKS = 5  # amount boxes holding a mark: the printed example rows (E X A M P L E)
_TITLE = re.compile(r"PERIODIC\s*DISCLOSURE|FINANCIAL\s*TRANSACTIONS", re.IGNORECASE)
_TITLE_BAND = 0.2  # the title sits in the top fifth of the page
_OWNER = re.compile(r"^[(\[{]\s*(S|SP|DC|J|JT)\s*[)\]}]\s*(.*)$", re.IGNORECASE)
_SENATE_OWNERS = {"S": "SP", "SP": "SP", "DC": "DC", "J": "JT", "JT": "JT"}
_DIGITS = re.compile(r"\d")
_LETTERS = re.compile(r"[A-Za-z]{3}")


class PageError(Exception):
    """The bytes are not a readable page image (the one-line reason is the message)."""


@dataclass(frozen=True)
class PaperPage:
    """One page image: ``form`` (rows read), ``skipped`` (not the PTR form) or ``unread`` (see ``note``)."""

    page: int
    kind: str
    rows: tuple[OcrRow, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class _Columns:
    asset: int
    ticks: dict[str, int]
    traded: int


def parser_version() -> str:
    """The reader's version with the OCR engine and model versions."""
    return f"{READER_VERSION}+{ocr_engine.engine_version()}+{WORDS_VERSION}"


def decode(content: bytes) -> np.ndarray:
    """The page as a grey image; :class:`PageError` when the bytes are not a whole image."""
    if not content:
        raise PageError("empty page image")
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > MAX_PAGE_PIXELS:
                raise PageError(f"page image of {image.width}x{image.height} pixels is too large")
            image.load()
            return np.array(image.convert("L"))
    except Image.DecompressionBombError as exc:  # PIL's own limit, past ours, before decoding
        raise PageError(f"page image is too large ({str(exc).split(',')[0]})") from None
    except UnidentifiedImageError:
        raise PageError(f"not an image ({len(content):,} bytes of an unknown format)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise PageError(f"not a readable page image ({str(exc).splitlines()[0] or type(exc).__name__})") from None


def read_image(content: bytes, *, page: int, filed: date | None = None) -> PaperPage:
    """Decode and read one page image; a bad image is an ``unread`` page with the reason."""
    try:
        image = decode(content)
    except PageError as exc:
        return PaperPage(page, "unread", note=f"page {page}: {exc}")
    return read_page(image, page=page, filed=filed)


def read_page(image: np.ndarray, *, page: int, filed: date | None = None) -> PaperPage:
    """The checked transaction rows of one grey page image, or why it has none."""
    upright = deskew(image)
    grid = find_grid(upright)
    columns = _columns(grid) if grid is not None else None
    if grid is None or columns is None:
        if _titled(upright):
            return PaperPage(page, "unread", note=f"page {page}: PTR form title found but its grid could not be read")
        return PaperPage(page, "skipped", note=f"page {page}: not the PTR form (cover letter or other page)")
    return PaperPage(page, "form", tuple(_rows(grid, columns, page, filed)))


def _titled(image: np.ndarray) -> bool:
    """True when the top of the page carries the form's title."""
    top = image[: int(image.shape[0] * _TITLE_BAND)]
    small = top[::2, ::2]
    return any(_TITLE.search(word.text) for word in ocr_engine.detect(small))


def _columns(grid: Grid) -> _Columns | None:
    """Number, asset, three tick columns, the date, 11 amount columns; None for another layout."""
    asset = grid.asset_column()
    if len(grid.columns) != asset + 1 + len(_TYPES) + 1 + len(_AMOUNT_LETTERS):
        return None
    widths = [x1 - x0 for x0, x1 in grid.columns]
    traded = asset + 1 + len(_TYPES)
    if widths[traded] < 2 * max(widths[asset + 1 : traded]):
        return None
    ticks = {name: asset + 1 + i for i, name in enumerate(_TYPES)}
    ticks.update({letter: traded + 1 + i for i, letter in enumerate(_AMOUNT_LETTERS)})
    return _Columns(asset, ticks, traded)


def _rows(grid: Grid, columns: _Columns, page: int, filed: date | None) -> list[OcrRow]:
    heights = [b - a for a, b in grid.rows]
    header = heights.index(max(heights))
    bands = [band for band in grid.rows[header + 1 :] if band[1] - band[0] < 1.5 * grid.row_height]
    cells = [_cells(grid, columns, band) for band in bands]
    # The printed example rows (E X A M P L E across the amount boxes) are not the filer's marks.
    cells = [(ticks, found) for ticks, found in cells if not _example(ticks)]
    texts = read_texts([found for _, found in cells], ("asset", "traded"))
    marks = classify([ticks for ticks, _ in cells], ticked=TICKED, empty=EMPTY)
    rows: list[OcrRow] = []
    account: str | None = None
    for (ticked, doubtful), read in zip(marks, texts):
        asset, traded = read["asset"], read["traded"]
        dated = len(_DIGITS.findall(traded.text)) >= 3
        if not ticked and not dated:
            if _LETTERS.search(asset.text) and asset.confidence >= MIN_CONFIDENCE:
                account = _account(asset.text)
            continue
        owner, name = Reading("", 1.0), asset
        if match := _OWNER.match(asset.text):
            owner = Reading(_SENATE_OWNERS[match.group(1).upper()], asset.confidence, asset.weakest)
            name = Reading(match.group(2), asset.confidence, asset.weakest)
        raw = RowRead(page, owner, name, traded, Reading("", 1.0), ticked, doubtful, account=account)
        rows.append(check(raw, filed))
    return distrust_degraded(rows)


def _account(text: str) -> str:
    """An account header without its owner code and closing colon."""
    if match := _OWNER.match(text):
        text = match.group(2)
    return text.strip().rstrip(":").strip()


def _example(ticks: dict[str, Mark]) -> bool:
    """True for a printed example row: a mark in most amount boxes."""
    return sum(ticks[letter].share >= TICKED for letter in _AMOUNT_LETTERS) >= _EXAMPLE_MARKS


def _cells(grid: Grid, columns: _Columns, band: tuple[int, int]) -> tuple[dict[str, Mark], dict[str, Cell]]:
    def at(column: int, text: bool) -> Cell:
        return grid_cell(grid, column, band, text=text)

    ticks = {name: mark(at(column, False)) for name, column in columns.ticks.items()}
    return ticks, {"asset": at(columns.asset, True), "traded": at(columns.traded, True)}
