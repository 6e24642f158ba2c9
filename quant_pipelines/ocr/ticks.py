"""Which tick boxes of a page hold a mark: by the share of the box the mark inks, and a doubtful
mark by its likeness to the page's sure ones.

A box's ink share depends on the box as much as on the mark: the same typed x fills 1.9% of a
row's box and 1.7% of a taller row's (8220660, 8219444: hundreds of rows held back as "doubtful
mark"). A doubtful share is therefore settled by the mark itself: one piece of ink of the size
and shape of the page's sure ticks (its typed x, or the filer's pen) is a tick. Specks, what is
left of a box's outline, and a neighbour's stroke reaching in are smaller, flatter or in pieces,
and stay doubtful; so does every doubtful mark on a page with too few sure ticks to compare with.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from quant_pipelines.ocr.cells import Cell

MIN_SURE = 3  # sure ticks a page needs before its doubtful marks are compared with them
_AREA = (0.75, 1.5)  # a doubtful mark's ink, as a share of the sure ticks' median
_SIZE = (0.67, 1.5)  # its width and height, likewise


@dataclass(frozen=True)
class Mark:
    """The ink left in a tick box once its outline is erased: share of the box, pixels, extent, pieces."""

    share: float
    area: int
    width: int
    height: int
    pieces: int


def mark(found: Cell) -> Mark:
    """Measure the mark in a tick box (a :class:`Cell` cleaned as a tick cell)."""
    ys, xs = np.nonzero(found.ink)
    if xs.size == 0:
        return Mark(0.0, 0, 0, 0, 0)
    pieces = cv2.connectedComponents(found.ink, connectivity=8)[0] - 1
    return Mark(found.share, int(xs.size), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1), pieces)


def classify(rows: list[dict[str, Mark]], *, ticked: float, empty: float) -> list[tuple[frozenset[str], frozenset[str]]]:
    """Each row's (ticked, doubtful) boxes: a share of at least ``ticked`` is a tick, one above
    ``empty`` is doubtful unless it is a mark like the page's sure ticks (:func:`_like`).

    ``rows`` are the page's transaction rows only (no header, account bar or notes box), so the
    sure ticks are the filer's marks.
    """
    sure = [found for row in rows for found in row.values() if found.share >= ticked]
    reference = _median(sure) if len(sure) >= MIN_SURE else None
    out = []
    for row in rows:
        marked = {name for name, found in row.items() if found.share >= ticked}
        doubtful = {name for name, found in row.items() if empty < found.share < ticked}
        alike = {name for name in doubtful if reference is not None and _like(row[name], reference)}
        out.append((frozenset(marked | alike), frozenset(doubtful - alike)))
    return out


def _median(marks: list[Mark]) -> tuple[int, int, int]:
    """The median ink, width and height of ``marks`` (whole pixels)."""
    def middle(values: list[int]) -> int:
        return int(np.median(values))

    return (
        middle([found.area for found in marks]),
        middle([found.width for found in marks]),
        middle([found.height for found in marks]),
    )


def _like(found: Mark, reference: tuple[int, int, int]) -> bool:
    """True when ``found`` is one piece of ink about as large, wide and tall as ``reference`` (ink, width, height)."""

    def within(value: int, of: int, bounds: tuple[float, float]) -> bool:
        return bounds[0] * of <= value <= bounds[1] * of

    area, width, height = reference
    return (
        found.pieces == 1
        and within(found.area, area, _AREA)
        and within(found.width, width, _SIZE)
        and within(found.height, height, _SIZE)
    )
