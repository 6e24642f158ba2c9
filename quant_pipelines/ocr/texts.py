"""Read the text cells of a page's rows: every line in one batch through the engine, then the
doubtful asset names and dates confirmed by re-reads (``ocr/confirm.py``); both readers, House
and Senate, read their cells this way.
"""

from __future__ import annotations

import numpy as np

from quant_pipelines.ocr import engine
from quant_pipelines.ocr.cells import Cell, text_blocks, text_lines
from quant_pipelines.ocr.confirm import confirm
from quant_pipelines.ocr.rows import Reading

# Fields confirmed by re-reads: asset names (settled by their words), then dates (all reads agree).
_CONFIRMED = ((("asset",), True), (("traded", "notified"), False))


def read_texts(cells: list[dict[str, Cell]], fields: tuple[str, ...]) -> list[dict[str, Reading]]:
    """Each row's reading of every one of ``fields`` (an empty reading where the row has no such cell or it is blank).

    A line's height is the median height of the print outside the asset column (dates and
    codes are one line each), so that two lines touching in a cell are cut apart.
    """
    heights = [b - a for row in cells for name, found in row.items() if name != "asset" for a, b in text_blocks(found)]
    line_height = float(np.median(heights)) if heights else None
    crops: list[np.ndarray] = []
    spans: list[tuple[int, str, int, int]] = []
    for index, row in enumerate(cells):
        for name, found in row.items():
            lines = text_lines(found, line_height)
            spans.append((index, name, len(crops), len(crops) + len(lines)))
            crops += lines
    results = engine.recognize(crops)
    readings = [dict.fromkeys(fields, Reading("", 1.0)) for _ in cells]
    for index, name, start, end in spans:
        parts = [results[i] for i in range(start, end) if results[i][0].strip()]
        if parts:
            text = " ".join(part[0].strip() for part in parts)
            readings[index][name] = Reading(text, min(part[1] for part in parts), min(part[2] for part in parts))
    for names, is_name in _CONFIRMED:
        keys = [(index, name) for index, row in enumerate(cells) for name in names if name in row]
        second = confirm([(readings[i][name], cells[i][name]) for i, name in keys], line_height, names=is_name)
        for (index, name), reading in zip(keys, second):
            readings[index][name] = reading
    return readings
