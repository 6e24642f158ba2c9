"""Read a scanned (image-only) House PTR: the paper form's grid and typed continuation sheets.

Pure: PDF bytes in, checked rows out; no database, no network. Each page is rendered at the
scan's 200 dpi, turned upright and deskewed (``grid.py``); the columns are told apart by
their place in the ruled grid (owner, asset = the widest, the tick columns, the two date
columns, then the amount columns A-K, or A-J on the 2012 form). Tick columns are read by ink
after the printed boxes are erased, a doubtful mark by its likeness to the page's sure ticks
(``ocr/ticks.py``); only the owner, asset and date cells are OCR'd, in one
batch per page. The column header row is found by its ``MM/DD/YY`` date caption; rows above it,
the form's example row, black account bars and rows with nothing ticked are not transactions.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Collection
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from quant_pipelines.ocr import engine as ocr_engine
from quant_pipelines.ocr.cells import Cell, grid_cell, inverted, text_blocks
from quant_pipelines.ocr.grid import INK, MAX_PAGE_PIXELS, Grid, GridSearch, upright
from quant_pipelines.ocr.rows import (
    MIN_CONFIDENCE,
    OcrRow,
    Reading,
    RowRead,
    check,
    distrust_degraded,
    parse_date,
)
from quant_pipelines.ocr.texts import read_texts
from quant_pipelines.ocr.ticks import Mark, classify, mark
from quant_pipelines.ocr.words import WORDS_VERSION
from quant_pipelines.vocabulary.records import ParseError

# 2: doubtful cells confirmed by re-reads at other scales (ocr/confirm.py); 3: greyscale scans
# faint rules darkened, the table body found when header boxes outnumber its rows (ocr/grid.py);
# 4: a name read two ways on a page is held back (ocr/confirm.py); 5: print filling a short row
# keeps its upright strokes, a 1 flush against a rule and an I near the cell's side stay
# (ocr/cells.py), a page mostly read at low confidence trusts none of its rows (ocr/rows.py), and
# a table of one or two rows under its header is found, upside down too (ocr/grid.py); 6: an
# asset name whose re-reads differ is settled by the read spelled in words (ocr/words.py); 7: a
# column rule that leans on a sheared scan is found, a scanner's edge is not, an outer border the
# scan cut off is put back, dashed body rules are taken from the header (ocr/grid.py), and ten
# amount columns are the 2012 form only (a later sheet with a rule missed is not read a letter off);
# 8: a name read surely elsewhere on the page counts as a read when re-reads differ (ocr/confirm.py);
# 9: a column whose captions are two, its rule too faint to find anywhere, is split between them
# (ocr/grid.py), and a thin upright alone on its rows at a cell's side is a dashed rule's piece,
# not print (ocr/cells.py); 10: a doubtful mark in a tick box, one piece the size and shape of the
# page's sure ticks, is a tick (ocr/ticks.py), and a band holding two rows whose rule between was
# missed (two dates in its date cell) is cut in two; a missed rule's dashes inside a cell are
# neither a line of print nor a mark (ocr/cells.py); 11: a doubtful name the three other sizes agree
# on in letters takes their reading, a name read two ways takes the sure spelling in words
# (ocr/confirm.py), and an owner read 5P is SP, 0C is DC, a speck beside a code no part of it
# (ocr/rows.py)
READER_VERSION = "house-scanned/11"
DPI = 200
TICKED = 0.018
EMPTY = 0.013
_BAR = 0.45
# (loose, dashed, captioned) grid searches, in order (ocr/grid.py)
_ATTEMPTS = ((False, False, False), (True, False, False), (True, True, False), (True, True, True))
# The 2012 form's ten amount columns (A-J): K came in about 2015 (9106201, March 2015, is still A-J).
# A later filing's page that shows ten is a sheet with a column rule missed, not that form.
LAST_A_TO_J = 2016
_TALLEST = 2.6  # a band taller than this many rows is a notes box, not a transaction row
_MERGED = (1.5, _TALLEST)  # a band this many rows tall may be two rows whose rule between was missed
# Tick columns between the asset and the dates: EX = Exchange, PS = Partial Sale (form),
# CG = Capital Gains over $200 and PT = Partial Transaction (continuation sheets).
_TYPE_COLUMNS = {3: ("P", "S", "EX"), 4: ("P", "S", "PS", "EX"), 5: ("P", "S", "EX", "CG", "PT")}
_CAPTION = re.compile(r"MM|YY", re.IGNORECASE)
_DIGITS = re.compile(r"\d")
_LETTERS = re.compile(r"[A-Za-z]{3}")
_OWNER_PREFIX = re.compile(r"^(SP|DC|JT)\s+(.*)$")
_FIELDS = ("owner", "asset", "traded", "notified", "gains")  # the text cells a row may have


@dataclass(frozen=True)
class Layout:
    """Which grid column holds what."""

    owner: int | None
    asset: int
    ticks: dict[str, int]
    gains: int | None
    traded: int
    notified: int
    form_2012: bool


@dataclass(frozen=True)
class ScannedReport:
    """Every transaction row found, checked, and notes on pages that could not be read."""

    rows: tuple[OcrRow, ...]
    pages: int
    notes: tuple[str, ...]


def parser_version() -> str:
    """The reader's version with the OCR engine and model versions."""
    return f"{READER_VERSION}+{ocr_engine.engine_version()}+{WORDS_VERSION}"


def read_scanned(
    content: bytes, *, filed: date | None = None, pages: Collection[int] | None = None
) -> ScannedReport:
    """Read every page (or only the 1-based ``pages``) of a scanned PTR PDF; ``filed`` bounds the dates.

    A page too large for a page scan, or holding an image that is, is not rendered: a note says
    so (:func:`_too_large`). Raises :class:`ParseError` when the bytes are not a PDF.
    """
    try:
        document = pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        raise ParseError(f"not a readable PDF: {exc}") from exc
    rows: list[OcrRow] = []
    notes: list[str] = []
    # Pages are rendered here, one at a time (pdfium is not thread-safe), and read on the
    # engine's workers, a page each; no more than one page waits rendered ahead of them.
    pending: deque[Future[tuple[list[OcrRow], str | None]]] = deque()
    with document, ThreadPoolExecutor(max_workers=ocr_engine.WORKERS) as pool:
        count = len(document)
        for index in range(count):
            if pages is not None and index + 1 not in pages:
                continue
            page = document[index]
            refused = _too_large(page)
            if refused is None:
                image = np.array(page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L"))
                pending.append(pool.submit(read_page, image, page=index + 1, filed=filed))
            else:  # in page order with the notes of the pages read
                pending.append(skipped := Future())
                skipped.set_result(([], f"page {index + 1}: {refused}"))
            while len(pending) > ocr_engine.WORKERS or (pending and pending[0].done()):
                _collect(pending.popleft().result(), rows, notes)
        while pending:
            _collect(pending.popleft().result(), rows, notes)
    return ScannedReport(tuple(rows), count, tuple(notes))


def _too_large(page: pdfium.PdfPage) -> str | None:
    """Why a page is not rendered: its size at :data:`DPI`, or an image on it, is more than
    :data:`MAX_PAGE_PIXELS` (what pdfium would allocate to draw it); None for a page scan."""
    width, height = page.get_size()
    if (width * DPI / 72) * (height * DPI / 72) > MAX_PAGE_PIXELS:
        return f"{width / 72:,.0f} x {height / 72:,.0f} inches, too large for a page scan (not read)"
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        info = image.get_metadata()
        if info.width * info.height > MAX_PAGE_PIXELS:
            return f"an image of {info.width:,} x {info.height:,} pixels, too large for a page scan (not read)"
    return None


def _collect(read: tuple[list[OcrRow], str | None], rows: list[OcrRow], notes: list[str]) -> None:
    found, note = read
    rows += found
    if note:
        notes.append(note)


def read_page(image: np.ndarray, *, page: int, filed: date | None = None) -> tuple[list[OcrRow], str | None]:
    """The checked transaction rows of one page image, or a note saying why the page has none."""
    grid, layout = page_layout(image, filed)
    if grid is None:
        return [], f"page {page}: no ruled transaction grid found"
    if layout is None:
        return [], f"page {page}: grid of {len(grid.columns)} columns is not a PTR layout"
    cells = [_row_cells(grid, layout, band) for band in grid.rows]
    texts = read_texts([found for _, found in cells], _FIELDS)
    header = _header(grid, texts)
    if header is None:
        return [], f"page {page}: no MM/DD/YY column header found"
    body: list[tuple[dict[str, Reading], dict[str, Mark], bool]] = []  # (texts, tick marks, account bar)
    for band, (ticks, _), read in _unmerged(grid, layout, list(zip(grid.rows, cells, texts))[header + 1 :]):
        if band[1] - band[0] > _TALLEST * grid.row_height or not _ruled_through(grid, band):
            continue
        bar = _is_bar(grid, layout, band)
        if bar or not read["asset"].text.lower().startswith("example"):
            body.append((read, ticks, bar))
    marks = iter(classify([ticks for _, ticks, bar in body if not bar], ticked=TICKED, empty=EMPTY))
    rows: list[OcrRow] = []
    account: str | None = None
    for read, _, bar in body:
        if bar:
            account = read["asset"].text or account
            continue
        ticked, doubtful = next(marks)
        dated = any(len(_DIGITS.findall(read[name].text)) >= 4 for name in ("traded", "notified"))
        if not ticked and not dated:
            if _LETTERS.search(read["asset"].text) and read["asset"].confidence >= MIN_CONFIDENCE:
                account = read["asset"].text
            continue
        owner, asset = read["owner"], read["asset"]
        if layout.owner is None and (match := _OWNER_PREFIX.match(asset.text)):
            owner = Reading(match.group(1), asset.confidence, asset.weakest)
            asset = replace(asset, text=match.group(2))
        raw = RowRead(
            page, owner, asset, read["traded"], read["notified"], ticked, doubtful,
            account=account, amount_letters_2012=layout.form_2012,
            cap_gains=_gains(read["gains"].text) if layout.gains is not None else None,
        )
        rows.append(check(raw, filed))
    return distrust_degraded(rows), None


_Read = tuple[tuple[int, int], tuple[dict[str, Mark], dict[str, Cell]], dict[str, Reading]]  # band, cells, readings


def _unmerged(grid: Grid, layout: Layout, rows: list[_Read]) -> list[_Read]:
    """``rows`` with each band that holds two rows (the rule between them missed) cut in two and read again.

    Such a band's transaction date cell reads two dates, one per line ('03/24/23 03/24/23'), and
    its asset cell holds two lines or more; it is cut between the dates' lines (:func:`_cut`).
    """
    halves: dict[int, list[tuple[int, int]]] = {}
    for index, (band, (_, found), read) in enumerate(rows):
        if (cut := _cut(grid, band, found, read["traded"])) is not None:
            halves[index] = [(band[0], cut), (cut, band[1])]
    if not halves:
        return rows
    bands = [half for pair in halves.values() for half in pair]
    cells = [_row_cells(grid, layout, band) for band in bands]
    split = iter(zip(bands, cells, read_texts([found for _, found in cells], _FIELDS)))
    out: list[_Read] = []
    for index, row in enumerate(rows):
        out += [next(split), next(split)] if index in halves else [row]
    return out


def _cut(grid: Grid, band: tuple[int, int], cells: dict[str, Cell], traded: Reading) -> int | None:
    """The page row between a two-row band's two transaction dates, or None if the band is one row.

    A band with one asset line is one row, whatever its date cell holds. The cut is the row of the
    most ink across the table between the dates' lines (what there is of the missed rule: its
    dashes fall on the cells' edges, where they are erased), else the middle.
    """
    if not _MERGED[0] * grid.row_height <= band[1] - band[0] <= _MERGED[1] * grid.row_height:
        return None
    dates = traded.text.split()
    if len(dates) != 2 or not all(parse_date(text) for text in dates):
        return None
    found = cells["traded"]
    lines = text_blocks(found)
    if len(lines) != 2 or len(text_blocks(cells["asset"])) < 2:
        return None
    top, bottom = found.top + lines[0][1], found.top + lines[1][0]
    across = (grid.image[top:bottom, grid.columns[0][0] : grid.columns[-1][1]] < INK).sum(axis=1)
    extra = across - np.median(across)  # the column rules cross every row alike
    return top + int(np.argmax(extra)) if extra.max() > 0 else (top + bottom) // 2


def page_layout(image: np.ndarray, filed: date | None = None) -> tuple[Grid | None, Layout | None]:
    """A page's grid turned upright and which of its columns hold what (None: no grid, or not a PTR's).

    The grid is looked for strictly first, then with broken row rules bridged, then with dashed
    column rules taken from the header, then with columns split where their captions are two; the
    first grid that is a PTR layout is kept, else the last grid found.
    """
    search = GridSearch(upright(image))
    grid = layout = None
    for loose, dashed, captioned in _ATTEMPTS:
        found = search.grid(loose=loose, dashed=dashed, captioned=captioned)
        if found is not None:
            grid, layout = found, _layout(found, filed)
            if layout is not None:
                break
    return grid, layout


def _header(grid: Grid, texts: list[dict[str, Reading]]) -> int | None:
    """The column header band: the one captioned MM/DD/YY, else the tallest band above the first dated row."""
    captioned = [i for i, row in enumerate(texts) if _CAPTION.search(row["traded"].text)]
    if captioned:
        return captioned[-1]
    dated = [i for i, row in enumerate(texts) if parse_date(row["traded"].text)]
    if not dated or dated[0] == 0:
        return None
    heights = [b - a for a, b in grid.rows[: dated[0]]]
    return heights.index(max(heights))


def _layout(grid: Grid, filed: date | None) -> Layout | None:
    widths = [x1 - x0 for x0, x1 in grid.columns]
    asset = grid.asset_column()
    rest = range(asset + 1, len(widths) - 1)
    if not rest:
        return None
    traded = max(rest, key=lambda i: min(widths[i], widths[i + 1]))
    types = _TYPE_COLUMNS.get(traded - asset - 1)
    amounts = len(widths) - traded - 2
    if types is None or amounts not in (10, 11):
        return None
    if amounts == 10 and (len(types) != 3 or (filed is not None and filed.year > LAST_A_TO_J)):
        return None  # only the 2012 form has ten amount columns: a column rule was missed
    ticks = {name: asset + 1 + i for i, name in enumerate(types)}
    ticks.update({"ABCDEFGHIJK"[i]: traded + 2 + i for i in range(amounts)})
    gains = ticks.pop("CG", None)  # an x, or the words Yes / No: read as text
    return Layout(asset - 1 if asset > 0 else None, asset, ticks, gains, traded, traded + 1, amounts == 10)


def _row_cells(grid: Grid, layout: Layout, band: tuple[int, int]) -> tuple[dict[str, Mark], dict[str, Cell]]:
    def at(column: int, text: bool = True) -> Cell:
        return grid_cell(grid, column, band, text=text)

    ticks = {name: mark(at(column, False)) for name, column in layout.ticks.items()}
    texts = {"asset": at(layout.asset), "traded": at(layout.traded), "notified": at(layout.notified)}
    if layout.owner is not None:
        texts["owner"] = at(layout.owner)
    if layout.gains is not None:
        texts["gains"] = at(layout.gains)
    if _is_bar(grid, layout, band) and texts["asset"].share > _BAR:
        texts["asset"] = inverted(texts["asset"])
    return ticks, texts


def _gains(text: str) -> bool | None:
    """The Capital Gains cell: ticked or Yes is True, blank or No is False, anything else unknown."""
    word = text.strip().lower()
    return {"": False, "x": True, "yes": True, "no": False}.get(word)


def _ruled_through(grid: Grid, band: tuple[int, int]) -> bool:
    """True when most column lines cross the band (a notes box under the grid has none)."""
    y0, y1 = band[0] + 2, band[1] - 2
    if y1 <= y0:
        return False
    crossed = 0
    for x0, _ in grid.columns[1:]:
        strip = grid.image[y0:y1, max(x0 - 3, 0) : x0 + 4] < INK
        crossed += strip.any(axis=1).mean() >= 0.6
    return crossed >= 0.7 * (len(grid.columns) - 1)


def _is_bar(grid: Grid, layout: Layout, band: tuple[int, int]) -> bool:
    """A black account bar or a thick rule: the tick columns of the band are mostly solid ink."""
    columns = sorted(layout.ticks.values())
    x0, x1 = grid.columns[columns[0]][0], grid.columns[columns[-1]][1]
    return float((grid.image[band[0] : band[1], x0:x1] < INK).mean()) > _BAR
