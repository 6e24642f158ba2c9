"""A second opinion on a doubtful cell: read it again at other sizes and keep it only if every read agrees.

The recogniser's per-character confidence is a weak signal on small or noisy print: a correct
name often has one character at 0.5, and a misread can score as high. What a misread rarely
does is survive a change of scale: the crop enlarged 1.5x and 3x (instead of 2x) goes through
a differently sized input, and a doubtful character read the same way all three times is taken
as read. A cell whose reads differ keeps its low confidence and goes to review.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from quant_pipelines.ocr import engine
from quant_pipelines.ocr.cells import Cell, text_lines
from quant_pipelines.ocr.rows import MIN_WEAKEST, Reading

SCALES = (1.5, 2.5, 3.0)
# Below this the weakest character is not vouched for by agreement (a letter read as another
# the same way at every size, e.g. 'I' dropped from 'IHS', scores below it on the gold set).
FLOOR = 0.4
NEAR = 0.85  # similarity at which two names on a page are one name, one of them misread
CONFIRMED = 0.9  # the weakest-character confidence given to a reading every size agrees on
_PUNCTUATION = re.compile(r"[\s.,]+")


def _norm(text: str) -> str:
    return _PUNCTUATION.sub(" ", text).strip().upper()


def confirm(readings: list[tuple[Reading, Cell]], line_height: float | None, *, distinct: bool = False) -> list[Reading]:
    """Each reading, with its weakest confidence raised to :data:`CONFIRMED` when re-reads at every other scale agree.

    Only readings with a mean at least 0.9 and a weakest character in [``FLOOR``, ``MIN_WEAKEST``)
    are re-read (in one batch per scale); the rest come back unchanged. ``distinct`` (asset
    names): a reading a letter or two away from another, surely read one in the list is not
    confirmed: the same name misread the same way at every size ('Unian Pac Conp' beside
    'Union Pac Corp') is the one misread agreement lets through.
    """
    doubtful = [i for i, (reading, _) in enumerate(readings)
                if reading.text and reading.confidence >= 0.9 and FLOOR <= reading.weakest < MIN_WEAKEST]
    agreed = set(doubtful)
    for scale in SCALES:
        crops: list = []
        spans: list[tuple[int, int, int]] = []
        for i in doubtful:
            lines = text_lines(readings[i][1], line_height, scale=scale)
            spans.append((i, len(crops), len(crops) + len(lines)))
            crops += lines
        results = engine.recognize(crops)
        for i, start, end in spans:
            text = " ".join(results[k][0].strip() for k in range(start, end) if results[k][0].strip())
            if _norm(text) != _norm(readings[i][0].text):
                agreed.discard(i)
        doubtful = [i for i in doubtful if i in agreed]
    if distinct:
        sure = [_norm(reading.text) for reading, _ in readings if reading.text and reading.weakest >= MIN_WEAKEST]
        agreed = {i for i in agreed if not any(NEAR <= SequenceMatcher(None, _norm(readings[i][0].text), other).ratio() < 1
                                               for other in sure)}
    return [
        Reading(reading.text, reading.confidence, CONFIRMED) if i in agreed else reading
        for i, (reading, _) in enumerate(readings)
    ]
