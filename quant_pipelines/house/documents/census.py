"""Count a PTR's transaction rows from its text alone, independently of the row parser.

Every row of every PTR layout prints its transaction type followed by two dates (the
transaction and the notification date), whatever the column positions, letter case or
date padding. The census finds that pattern on each visual line; the parser must end
with exactly one row (read or unreadable) per anchor found here, or the filing is not
counted as fully parsed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from quant_pipelines.house.documents.pdf_text import Run

_DATE = r"\d{1,2}/\d{1,2}/\d{4}"
_ANCHOR = re.compile(rf"(?<!\S)(?:[PSE]|S\s*\(partial\))\s+{_DATE}\s*{_DATE}", re.IGNORECASE)


def census(lines: Iterable[list[Run]]) -> Counter[int]:
    """Transaction anchors per line number (lines numbered from 0 in reading order)."""
    found: Counter[int] = Counter()
    for number, runs in enumerate(lines):
        if count := anchors_on(runs):
            found[number] = count
    return found


def anchors_on(runs: list[Run]) -> int:
    """Transaction anchors on one visual line."""
    text = runs[0].text if len(runs) == 1 else " ".join(run.text for run in runs)
    return len(_ANCHOR.findall(text)) if "/" in text else 0


def disagreement(anchors: Counter[int], rows: Counter[int]) -> str | None:
    """Why the parser's rows per line differ from the census, or None when they agree."""
    if anchors == rows:
        return None
    missing, extra = (anchors - rows).total(), (rows - anchors).total()
    parts = [
        f"the text holds {anchors.total()} transaction anchor(s), the parser made {rows.total()} row(s)"
    ]
    if missing:
        parts.append(f"{missing} anchor(s) without a row")
    if extra:
        parts.append(f"{extra} row(s) without an anchor")
    return "; ".join(parts)
