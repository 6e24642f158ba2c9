"""Find the ruled transaction grid on a scanned page: orientation, deskew, row bands and columns.

Pure image work with OpenCV on a grey page: the page is turned so that its ruled rows run
along the long side, deskewed by the angle that makes the row lines sharpest, and the grid
is read from the long straight lines alone (tick boxes and letters are too short to count).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

INK = 160  # grey level below which a pixel is ink (the scans are 1-bit)
# A page scan larger than this is no page scan: a letter page at 600 dpi is 34 M pixels, the
# Senate's 400 dpi form 15 M, the House's 200 dpi scans 4 M. Both readers refuse larger images
# unread, before decoding them (a 2 KB PDF can declare a 200-inch page: 1.6 G pixels at 200 dpi).
MAX_PAGE_PIXELS = 40_000_000
_MAX_SKEW = 2.0
_SKEW_STEP = 0.1
_BAR_RUN = 8
_GAP = 9
_LOOSE_GAP = 15
_MIN_ROW = 15
_GAMMA = (255 * (np.arange(256) / 255) ** 2).astype(np.uint8)
_PAPER, _BLACK = 224, 32
_BILEVEL = 0.3  # a page whose marks are at least this share black is a bilevel scan
_MIN_BODY = 3  # a table body has at least this many ruled rows (two bands are a header box)
_HEADER_ROWS = 3  # a column header is at least this many rows tall
# A scan can be sheared as well as turned: once the rows are level, a column rule may still lean
# (8218261: 7 px over the 1,000 px of the body) and fill no single pixel column. Such a rule is
# found within this many pixels, row by row, over most of the body; a scanner's edge beside the
# table (8220570) runs down less than half of it.
_LEAN = 9
_LEANING = 0.6
_OPEN_END = 30  # px of row rules past the last column rule that make a column (the narrowest is ~40)
# A column whose caption line holds two captions with this much blank between them is two columns
# whose rule was printed too faintly to be found, in the body and the header alike (8220660:
# 'MM/DD/YY' twice, 'Capital Gains' beside 'Partial Transaction'); words of one caption are closer.
_CAPTION_GUTTER = 12
_DASH = 5  # px: a dashed rule's pieces are at least this tall and at most _THIN_DASH wide
_THIN_DASH = 3
_DASHED = 0.1  # share of the table's height (header and body) a dashed rule's pieces cover
_WORD_JOIN = 7  # px: letters this close are one word
_WORD = 10  # px: a caption word (letters joined) is at least this wide; a dash joined is narrower


@dataclass(frozen=True)
class Grid:
    """A page turned upright, with every ruled band of its table and the x-ranges of its columns.

    The columns are measured on the longest run of equal rows (the body); the bands include
    the header and group rows, which the reader tells apart by their content. ``image`` is
    :func:`darken`-ed, for rules and tick marks; ``original`` is the page as scanned, for print.
    """

    image: np.ndarray
    rows: tuple[tuple[int, int], ...]
    columns: tuple[tuple[int, int], ...]
    row_height: int
    original: np.ndarray

    def asset_column(self) -> int:
        """Index of the widest column (the asset name)."""
        widths = [x1 - x0 for x0, x1 in self.columns]
        return widths.index(max(widths))


def landscape(image: np.ndarray) -> np.ndarray:
    """Turn a portrait scan of the landscape form a quarter turn (the 180-degree case is settled later)."""
    if image.shape[0] > image.shape[1]:
        return cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)
    return image


def deskew(image: np.ndarray) -> np.ndarray:
    """Rotate by the small angle (within 2 degrees) that makes the horizontal rulings sharpest."""
    small = cv2.resize(image, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    ink = (small < INK).astype(np.float32)
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)
    best, best_angle = -1.0, 0.0
    for angle in np.arange(-_MAX_SKEW, _MAX_SKEW + 1e-9, _SKEW_STEP):
        turned = cv2.warpAffine(ink, cv2.getRotationMatrix2D(centre, angle, 1.0), ink.shape[::-1])
        sharpness = float(np.var(turned.sum(axis=1)))
        if sharpness > best:
            best, best_angle = sharpness, float(angle)
    if abs(best_angle) < 1e-6:
        return image
    matrix = cv2.getRotationMatrix2D((image.shape[1] / 2, image.shape[0] / 2), best_angle, 1.0)
    return cv2.warpAffine(image, matrix, image.shape[::-1], flags=cv2.INTER_LINEAR, borderValue=255)


@dataclass(frozen=True)
class _Table:
    """What the row rules of a page say: its bands, the span of its body (the rows the columns are
    measured on) and the column rules found down that body, which every search on it shares."""

    image: np.ndarray
    original: np.ndarray
    ink: np.ndarray
    horizontal: np.ndarray
    lines: list[int]
    bands: list[tuple[int, int]]
    top: int
    bottom: int
    row_height: int
    body_rules: list[int]


def find_grid(image: np.ndarray, *, loose: bool = False, dashed: bool = False) -> Grid | None:
    """The body rows and columns of the largest ruled table on an upright, deskewed page, or None.

    ``loose`` bridges wider gaps and accepts fainter rules (for scans whose thin rules broke up);
    it is a second try, since it can also take a line of print for a rule. ``dashed`` adds the
    column rules of the column header (the tallest band above the body), solid where the body's
    are broken dashes.
    """
    table = _table(image, loose)
    return _ruled(table, dashed) if table is not None else None


def _table(image: np.ndarray, loose: bool) -> _Table | None:
    original, image = image, darken(image)
    ink = (image < INK).astype(np.uint8)
    height, width = ink.shape
    # Thin rulings drop out in 1-bit scans: close the gaps of a dashed line before keeping long runs.
    joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (_LOOSE_GAP if loose else _GAP, 1)))
    horizontal = cv2.morphologyEx(joined, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (width // 30, 1)))
    lengths = horizontal.sum(axis=1)
    if lengths.max() < width // 3:
        return None
    threshold = (0.25 if loose else 0.4) * lengths.max()
    lines = _centres(np.flatnonzero(lengths >= threshold))
    lines = _spaced(lines, lengths, threshold)
    bands = list(zip(lines, lines[1:]))
    if len(bands) < 2:
        return None
    row_height, body = _body(bands)
    if len(body) >= _MIN_BODY:
        top, bottom = body[0][0], body[-1][1]
    elif (short := _short_table(bands)) is not None:
        top, bottom, row_height = short
    else:
        return None
    rules = _column_rules(ink[top : bottom + 1], row_height)
    return _Table(image, original, ink, horizontal, lines, bands, top, bottom, row_height, rules)


def _ruled(table: _Table, dashed: bool, captioned: bool = False) -> Grid | None:
    """The table's grid with its column rules (those of the header too when ``dashed``, and those its
    captions call for when ``captioned``: :func:`_caption_rules`), or None with fewer than 8 columns."""
    ink, top, bottom = table.ink, table.top, table.bottom
    xs = table.body_rules
    if dashed:
        above = [band for band in table.bands if band[1] <= top]
        if not above:
            return None
        head = max(above, key=lambda band: band[1] - band[0])
        header = _column_rules(ink[head[0] : head[1] + 1], table.row_height)
        xs = sorted(xs + [x for x in header if all(abs(x - other) > _LEAN for other in xs)])
        if captioned:
            xs = sorted(xs + _caption_rules(table, head, xs))
    xs = _open_ends(xs, table.horizontal, [y for y in table.lines if top <= y <= bottom])
    columns = tuple((a, b) for a, b in zip(xs, xs[1:]) if b - a >= 6)
    if len(columns) < 8:
        return None
    return Grid(table.image, tuple(table.bands), columns, table.row_height, table.original)


def _caption_rules(table: _Table, head: tuple[int, int], xs: list[int]) -> list[int]:
    """The rules the column captions call for: inside a column, a blank gutter of at least
    :data:`_CAPTION_GUTTER` between the caption words printed from the header band ``head`` down to
    the body is a rule, put on the dashed pieces that run down through it if any, else in its middle."""
    top = head[0]
    dashes = _thin_uprights(table.ink[top : table.bottom + 1]).sum(axis=0)
    least = _DASHED * (table.bottom - top)  # a dashed rule's pieces cover at least this many rows
    printed = _caption_print(table.ink[top + 3 : table.top - 2], dashes >= least)
    found = []
    for a, b in zip(xs, xs[1:]):
        inked = np.flatnonzero(printed[a + 3 : b - 2]) + a + 3
        for left, right in zip(inked, inked[1:]):
            if right - left <= _CAPTION_GUTTER:
                continue
            window = dashes[left + 1 : right]
            peak = int(np.argmax(window))
            found.append(int(left) + 1 + peak if window[peak] >= least else int((left + right) // 2))
    return found


def _caption_print(ink: np.ndarray, dashed: np.ndarray) -> np.ndarray:
    """Which x of a header strip holds caption words: its ruled lines (across, down most of it, and
    the ``dashed`` columns) taken out, and specks or a rule's remains narrower than a word."""
    height, width = ink.shape
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(width // 30, 1), 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(int(0.6 * height), 1))))
    printed = ink & (1 - cv2.dilate(across | down, np.ones((3, 3), np.uint8)))
    printed[:, cv2.dilate(dashed.astype(np.uint8)[None, :], np.ones((1, 5), np.uint8))[0] > 0] = 0
    words = cv2.dilate(printed, np.ones((1, _WORD_JOIN), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(words, connectivity=8)
    kept = np.zeros(count, dtype=np.uint8)
    kept[1:] = (stats[1:, cv2.CC_STAT_WIDTH] >= _WORD) & (stats[1:, cv2.CC_STAT_HEIGHT] >= _DASH)
    return (kept[labels] & printed).any(axis=0)


def _thin_uprights(ink: np.ndarray) -> np.ndarray:
    """The pieces of ink at least :data:`_DASH` tall and at most :data:`_THIN_DASH` wide (a dashed rule's)."""
    upright = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, _DASH)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(upright, connectivity=8)
    thin = np.zeros(count, dtype=np.uint8)
    thin[1:] = stats[1:, cv2.CC_STAT_WIDTH] <= _THIN_DASH
    return thin[labels]


def upright(image: np.ndarray) -> np.ndarray:
    """The page turned to landscape and deskewed."""
    return deskew(landscape(image))


def darken(image: np.ndarray) -> np.ndarray:
    """A greyscale scan with its mid-greys darkened (gamma 2), so that thin grey rules and pen strokes count as ink.

    A bilevel scan (its ink mostly black, grey only at the edges where rendering resampled
    it) is returned as it is: darkening would only thicken its print and printed boxes.
    """
    marked = np.count_nonzero(image < _PAPER)
    if marked == 0 or np.count_nonzero(image < _BLACK) >= _BILEVEL * marked:
        return image
    return cv2.LUT(image, _GAMMA)


class GridSearch:
    """The grid searches on one :func:`upright` page; searches that differ only in how they find
    columns (``dashed``) share the page's row analysis, which is most of a search's time."""

    def __init__(self, page: np.ndarray) -> None:
        self.page = page
        self._tables: dict[tuple[bool, bool], _Table | None] = {}

    def grid(self, *, loose: bool = False, dashed: bool = False, captioned: bool = False) -> Grid | None:
        """The page's grid (see :func:`find_grid`; ``captioned`` with ``dashed`` also splits a column whose
        header holds two captions, :func:`_caption_rules`); a page whose asset column lies right of centre is upside down.

        So is a page with no grid found as it lies: a short table is found only with its header above its rows.
        """
        grid = self._grid(False, loose, dashed, captioned)
        if grid is not None:
            x0, x1 = grid.columns[grid.asset_column()]
            left, right = grid.columns[0][0], grid.columns[-1][1]
            if (x0 + x1) / 2 <= (left + right) / 2:
                return grid
        return self._grid(True, loose, dashed, captioned)

    def _grid(self, turned: bool, loose: bool, dashed: bool, captioned: bool) -> Grid | None:
        if (turned, loose) not in self._tables:
            page = cv2.rotate(self.page, cv2.ROTATE_180) if turned else self.page
            self._tables[turned, loose] = _table(page, loose)
        table = self._tables[turned, loose]
        return _ruled(table, dashed, captioned) if table is not None else None


def _body(bands: list[tuple[int, int]]) -> tuple[int, list[tuple[int, int]]]:
    """The row height and the longest run of bands of about that height (the table's body).

    The most common band height comes first; when its bands run on for fewer than
    :data:`_MIN_BODY` rows (header boxes or lines of print outnumber the rows of a page with
    few rows) the next most common height is tried.
    """
    heights = [b - a for a, b in bands]
    counts = {height: sum(1 for other in heights if abs(other - height) <= 2) for height in heights}
    run: list[tuple[int, int]] = []
    for height in sorted(counts, key=lambda h: -counts[h]):
        runs: list[list[tuple[int, int]]] = [[]]
        for a, b in bands:
            if 0.7 * height <= b - a <= 1.45 * height:
                runs[-1].append((a, b))
            elif runs[-1]:
                runs.append([])
        run = max(runs, key=len)
        if len(run) >= _MIN_BODY:
            return height, run
    return 0, run


def _short_table(bands: list[tuple[int, int]]) -> tuple[int, int, int] | None:
    """A table of one or two rows under its column header (the last sheet of a filing): the span to
    measure its columns on (header and rows, whose column rules the header carries) and the row height.

    The header is the tallest band, at least :data:`_HEADER_ROWS` rows tall; the rows are the
    bands after it (an account bar and a row), each at most a third of its height.
    """
    heights = [b - a for a, b in bands]
    header = heights.index(max(heights))
    rows = heights[header + 1 :]
    if not 1 <= len(rows) < _MIN_BODY or max(rows) * _HEADER_ROWS > heights[header]:
        return None
    return bands[header][0], bands[-1][1], rows[-1]


def _spaced(lines: list[int], lengths: np.ndarray, threshold: float) -> list[int]:
    """Of two lines closer than a row, keep the stronger (a box edge or a line of print hugs a rule);
    below a thick rule (ruled all the way between) keep its lower edge."""
    kept: list[int] = []
    for y in lines:
        if kept and y - kept[-1] < _MIN_ROW:
            if (lengths[kept[-1] : y + 1] >= threshold).all() or lengths[y] > lengths[kept[-1]]:
                kept[-1] = y
            continue
        kept.append(y)
    return kept


def _centres(positions: np.ndarray) -> list[int]:
    """Centres of runs of neighbouring positions (a ruled line is a few pixels thick).

    A long run is a filled bar (a black account header): both of its edges are lines.
    """
    if positions.size == 0:
        return []
    runs = np.split(positions, np.flatnonzero(np.diff(positions) > 3) + 1)
    centres: list[int] = []
    for run in runs:
        centres += [int(run[0]), int(run[-1])] if run.size > _BAR_RUN else [int(run.mean())]
    return centres


def _open_ends(xs: list[int], horizontal: np.ndarray, lines: list[int]) -> list[int]:
    """The column rules, with the table's end added where the row rules run on past the last rule
    (a scan that cut off the table's outer border: 9114526's K column is open on the right)."""
    if not xs or not lines:
        return xs
    reach = np.stack([horizontal[max(y - 2, 0) : y + 3].max(axis=0) for y in lines]).sum(axis=0)
    ruled = np.flatnonzero(reach >= 0.5 * len(lines))
    if ruled.size == 0:
        return xs
    left, right = int(ruled[0]), int(ruled[-1])
    return [left] * (xs[0] - left >= _OPEN_END) + xs + [right] * (right - xs[-1] >= _OPEN_END)


def _column_rules(ink: np.ndarray, row_height: int) -> list[int]:
    """The x of every column rule running down most of a strip of the table (leaning ones too)."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(int(1.5 * row_height), 24)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
    spans = vertical.sum(axis=0)
    leaning = cv2.dilate(vertical, np.ones((1, _LEAN), np.uint8)).sum(axis=0)
    height = ink.shape[0] - 1
    return _rules(np.flatnonzero((spans >= 0.4 * height) | (leaning >= _LEANING * height)), spans)


def _rules(positions: np.ndarray, ink: np.ndarray) -> list[int]:
    """The x of each column rule: in each run of neighbouring positions, the one with the most ink."""
    if positions.size == 0:
        return []
    runs = np.split(positions, np.flatnonzero(np.diff(positions) > 1) + 1)
    return [int(run[np.argmax(ink[run])]) for run in runs]
