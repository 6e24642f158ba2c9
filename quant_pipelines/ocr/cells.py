"""Read one cell of a deskewed grid: how much mark is in a tick cell, and the text lines of a text cell.

Ruled lines (cell borders, the printed tick boxes) are erased first, so what is measured is
only what the filer put there: an X, a typed "x", characters.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from quant_pipelines.ocr.grid import INK, Grid

_INSET = 1
_MIN_LINE_HEIGHT = 6
_EDGE_RUN = 0.5  # a run of ink at a text cell's edge, pieces under this share of its tallest, is no line
_PAD = 4
_MIN_SPECK = 10
_MARGIN = 5
# A rule's remains hug the crop's side; an I that begins a name sits a few pixels in (and was
# dropped when any thin upright within 5 px of the side counted: 'NTERNATIONAL PAPER').
_SIDE = 2
_THIN = 4  # px: at most this wide, an upright may be what is left of a rule
_PRINT_SLACK = 2
_SNAP = 5
# A vertical rule crosses nearly the whole (short, deskewed) row: a column beside it counts as part
# of the rule only when inked over 85% of the row (horizontal rules wander over a wide cell: 50%).
# Measured on the gold pages against 50%: no accepted row changes, one ghost row fewer (8219068)
# and a few confidences move. A '1' flush against the rule is kept by ``_inner``'s nearest line.
_UPRIGHT_RULED = 0.85


@dataclass(frozen=True)
class Cell:
    """A cell's pixels (grey, lines erased), its ink, and the page row its first pixel row is."""

    pixels: np.ndarray
    ink: np.ndarray
    top: int = 0

    @property
    def share(self) -> float:
        """Share of the cell's area that is ink."""
        return float(self.ink.mean()) if self.ink.size else 0.0


def cell(image: np.ndarray, x0: int, x1: int, y0: int, y1: int, *, text: bool = False) -> Cell:
    """The cell between the ruled lines x0..x1, y0..y1, with its borders and box outlines erased.

    A tick cell is cleaned hard (box outlines and specks go); a ``text`` cell gently, so that
    small print keeps its dots and thin strokes.
    """
    y0, y1 = _inner(image, x0, x1, y0, after=True), _inner(image, x0, x1, y1, after=False)
    x0, x1 = (_inner(image.T, y0, y1, x, after=after, ruled=_UPRIGHT_RULED) for x, after in ((x0, True), (x1, False)))
    crop = image[y0 + _INSET : y1 - _INSET + 1, x0 + _INSET : x1 - _INSET + 1]
    if crop.size == 0:
        return Cell(crop, np.zeros(crop.shape, dtype=np.uint8), y0 + _INSET)
    ink = (crop < INK).astype(np.uint8)
    height, width = ink.shape
    # Text cells keep any stroke shorter than nearly the whole cell (tall letters of small print).
    # Past the crop's edge there is no ink: OpenCV's default border counts the outside as ink, so
    # a stroke from the crop's top to its bottom would match a longer kernel and be erased as a
    # rule; bold print filling a row 16 px high (an X filling its tick cell) keeps its strokes.
    share, least = (0.9, 20) if text else (0.6, 18)
    border = {"borderType": cv2.BORDER_CONSTANT, "borderValue": 0}
    across = cv2.getStructuringElement(cv2.MORPH_RECT, (max(int(width * 0.6), least), 1))
    down = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(int(height * share), least)))
    ruled = cv2.morphologyEx(ink, cv2.MORPH_OPEN, across, **border)
    ruled |= cv2.morphologyEx(ink, cv2.MORPH_OPEN, down, **border)
    fringe = 1 if text else 3  # printed lines are ragged: erase their fringe too
    ruled = cv2.dilate(ruled, np.ones((fringe, fringe), np.uint8))
    ink = ink & (1 - ruled)
    if text:
        ink = _drop_slivers(ink)
    else:  # a tick's measure must not count specks or what is left of a box
        ink = _drop_edge_pieces(ink)
    pixels = np.where(ink > 0, crop, 255).astype(np.uint8)
    return Cell(pixels, ink, y0 + _INSET)


def grid_cell(grid: Grid, column: int, band: tuple[int, int], *, text: bool) -> Cell:
    """The cell of ``column`` in the row ``band``: print from the page as scanned, tick marks from the darkened page."""
    x0, x1 = grid.columns[column]
    return cell(grid.original if text else grid.image, x0, x1, band[0], band[1], text=text)


def _inner(image: np.ndarray, x0: int, x1: int, y: int, *, after: bool, ruled: float = 0.5) -> int:
    """The first row inside the cell next to the rule near ``y`` (rules are not quite straight, some are thick).

    ``after``: the cell lies below the rule (else above it); ``ruled``: the share of the cell's
    span a row of ink must cover to be part of the rule. Called on the transposed page it does
    the same for a vertical rule.
    """
    top = max(y - _SNAP, 0)
    strip = (image[top : y + _SNAP + 1, x0 + 2 : x1 - 1] < INK).sum(axis=1)
    if strip.size == 0:
        return y
    lines = strip >= ruled * max(x1 - x0 - 3, 1)
    if not lines.any():
        return y
    fullest = np.flatnonzero(strip == strip.max())  # print flush against the rule can cover as much
    start = end = int(fullest[np.argmin(np.abs(fullest - (y - top)))])  # the one nearest the grid's line
    while start > 0 and lines[start - 1]:
        start -= 1
    while end < len(strip) - 1 and lines[end + 1]:
        end += 1
    return top + (end + 1 if after else start - 1)


def _drop_slivers(ink: np.ndarray) -> np.ndarray:
    """Remove thin upright slivers at the sides or spanning the cell: a ruled line's remains, not print.

    A thin upright as tall as the cell's wider marks is print (an I, a 1, a parenthesis), also at
    the side where a name begins flush against the rule, if other print stands beside it; alone
    on its rows it is a piece of a dashed rule (8220660: read as a line '1' above the date).
    Inside the cell only one taller than the print is a rule's remains (in a row the print
    fills, letters span nearly the whole cell).
    """
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    height, width = ink.shape
    wide = stats[1:][stats[1:, cv2.CC_STAT_WIDTH] > _THIN, cv2.CC_STAT_HEIGHT]
    print_height = int(wide.max()) if wide.size else 0
    keep = np.ones(count, dtype=np.uint8)
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        side = x <= _SIDE or x + w >= width - _SIDE
        letter = print_height > 0 and 0.6 * print_height <= h <= print_height + _PRINT_SLACK and w >= 2
        spanning = h >= 0.8 * height and h > print_height + _PRINT_SLACK
        upright = w <= _THIN and ((side and (not letter or _alone(stats, label))) or spanning)
        rim = y <= _MARGIN or y + h >= height - _MARGIN
        keep[label] = not (upright or (rim and _flat(stats[label])))
    keep[0] = 0
    return keep[labels]


def _alone(stats: np.ndarray, label: int) -> bool:
    """True when no other piece of ink in the cell shares a row with piece ``label``."""
    tops, heights = stats[1:, cv2.CC_STAT_TOP], stats[1:, cv2.CC_STAT_HEIGHT]
    y, h = stats[label, cv2.CC_STAT_TOP], stats[label, cv2.CC_STAT_HEIGHT]
    return int(((tops < y + h) & (y < tops + heights)).sum()) == 1


def _drop_edge_pieces(ink: np.ndarray) -> np.ndarray:
    """Remove specks, thin pieces touching the crop's edge and flat dashes (what is left of a ruled
    line, a dashed one too; no stroke of an x or a tick is that flat)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    height, width = ink.shape
    keep = np.zeros(count, dtype=np.uint8)
    for label in range(1, count):
        x, y, w, h, area = stats[label]
        edge = x == 0 or y == 0 or x + w == width or y + h == height
        keep[label] = area >= _MIN_SPECK and not (edge and min(w, h) <= 3) and not _flat(stats[label])
    return keep[labels]


def _flat(stats: np.ndarray) -> bool:
    """True for a piece of ink (its connected-component stats) a few pixels high and long: a dash of a rule."""
    _, _, w, h, _ = stats
    return bool(h <= 4 and w >= 3 * h)


def text_blocks(found: Cell) -> list[tuple[int, int]]:
    """Row ranges (top, bottom) of the runs of inked rows in a text cell.

    A run at the cell's top or bottom edge whose pieces are all under half as tall as the cell's
    tallest is what a rule missed there left, with the foot of the print above it (8220660: read
    as '---' before a date), not a line of print; print the crop cut through keeps its height.
    """
    rows = np.flatnonzero(found.ink.sum(axis=1) > 0)
    if rows.size == 0:
        return []
    runs = np.split(rows, np.flatnonzero(np.diff(rows) > 2) + 1)
    blocks = [(int(run[0]), int(run[-1]) + 1) for run in runs if run[-1] - run[0] + 1 >= _MIN_LINE_HEIGHT]
    height = found.ink.shape[0]
    at_edge = [(top, bottom) for top, bottom in blocks if top == 0 or bottom == height]
    if len(blocks) < 2 or not at_edge:
        return blocks
    tallest = _tallest_piece(found.ink)
    dropped = {block for block in at_edge if _tallest_piece(found.ink[block[0]:block[1]]) < _EDGE_RUN * tallest}
    return [block for block in blocks if block not in dropped]


def _tallest_piece(ink: np.ndarray) -> int:
    """The height of the tallest connected piece of ink."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return int(stats[1:, cv2.CC_STAT_HEIGHT].max()) if count > 1 else 0


def text_lines(found: Cell, line_height: float | None = None, scale: float = 2.0) -> list[np.ndarray]:
    """The cell's text lines, top to bottom, each cropped to its ink with a white margin and enlarged ``scale`` times.

    A block about twice ``line_height`` tall (two lines with no blank row between, e.g. an
    underscore touching the next line) is cut where the ink is thinnest.
    """
    lines = []
    for top, bottom in text_blocks(found):
        for a, b in _split(found.ink[top:bottom], line_height):
            band = found.ink[top + a : top + b]
            cols = np.flatnonzero(band.sum(axis=0) > 0)
            if cols.size == 0:
                continue
            piece = found.pixels[top + a : top + b, cols[0] : cols[-1] + 1]
            piece = cv2.resize(piece, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)  # small print reads better
            lines.append(cv2.copyMakeBorder(piece, _PAD, _PAD, _PAD, _PAD, cv2.BORDER_CONSTANT, value=255))
    return lines


def _split(block: np.ndarray, line_height: float | None) -> list[tuple[int, int]]:
    height = block.shape[0]
    parts = round(height / line_height) if line_height else 1
    if parts < 2:
        return [(0, height)]
    profile = block.sum(axis=1)
    cuts = [0]
    for k in range(1, parts):
        centre = int(k * height / parts)
        window = max(int(line_height / 3), 1)
        lo, hi = max(centre - window, cuts[-1] + 1), min(centre + window, height - 1)
        cuts.append(lo + int(np.argmin(profile[lo:hi])) if hi > lo else centre)
    cuts.append(height)
    return list(zip(cuts, cuts[1:]))


def inverted(found: Cell) -> Cell:
    """A white-on-black cell (an account bar) as black on white."""
    pixels = (255 - found.pixels).astype(np.uint8)
    return Cell(pixels, (pixels < INK).astype(np.uint8), found.top)
