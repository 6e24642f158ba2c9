"""Score the OCR reader against the gold rows (written by eye) in ``ocr_gold/``; used by the tests and bench/ocr.py.

A gold row the reader did not accept counts as disagreement on every field (coverage is part of
agreement); ``wrong_accepted`` counts accepted rows that differ from the gold in any field, or
that a person marked as not completable (``reviewable``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

GOLD_DIR = Path(__file__).with_name("ocr_gold")
_LOOKAHEAD = 4
_SAME_ROW = 0.6
FIELDS = ("owner", "asset_name", "transaction_type", "transaction_date", "notification_date", "amount")


@dataclass
class Score:
    """Field agreement over the gold rows and the honesty counts of one or more documents."""

    agree: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    expected_rows: int = 0
    accepted_rows: int = 0
    wrong_accepted: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        """Fold another document's score into this one."""
        for name in FIELDS:
            self.agree[name] += other.agree[name]
        self.expected_rows += other.expected_rows
        self.accepted_rows += other.accepted_rows
        self.wrong_accepted += other.wrong_accepted


def gold_files() -> list[Path]:
    """Every gold document, by DocID."""
    return sorted(GOLD_DIR.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    """One gold document."""
    return json.loads(path.read_text())


def similar(a: str, b: str) -> float:
    """Similarity of two asset names after case, punctuation and spacing are normalised."""

    def norm(text: str) -> str:
        return " ".join(text.lower().replace(".", " ").replace(",", " ").split())

    return SequenceMatcher(None, norm(a), norm(b)).ratio()


def _agrees(found: Any, expected: dict[str, Any], name: str) -> bool:
    if name == "asset_name":
        return similar(found.asset_name, expected["asset_name"]) >= 0.9
    if name == "amount":
        return (found.amount_min, found.amount_max) == (expected["amount_min"], expected["amount_max"])
    value = expected[name]
    if name.endswith("_date"):
        value = date.fromisoformat(value) if value else None
    return getattr(found, name) == value


def align(gold: dict[str, Any], rows: list[Any]) -> dict[int, int]:
    """Reader row index -> gold row index, in order: a missed or extra row does not shift the rest.

    Each reader row takes the best-named gold row on its page among the next few not yet taken.
    """
    pairs: dict[int, int] = {}
    start = 0
    for index, found in enumerate(rows):
        window = [
            j for j in range(start, min(start + _LOOKAHEAD, len(gold["rows"])))
            if gold["rows"][j]["page"] == found.page
        ]
        if not window:
            continue
        best = max(window, key=lambda j: (similar(found.asset_name, gold["rows"][j]["asset_name"]), -j))
        if similar(found.asset_name, gold["rows"][best]["asset_name"]) >= _SAME_ROW or not found.asset_name:
            pairs[index] = best if found.asset_name else window[0]
            start = pairs[index] + 1
    return pairs


def score(gold: dict[str, Any], rows: list[Any]) -> Score:
    """Compare the reader's rows with the gold rows of one document."""
    result = Score()
    pairs = align(gold, rows)
    matched = {j: rows[i] for i, j in pairs.items()}
    for number, expected in enumerate(gold["rows"]):
        found = matched.get(number)
        if not expected["reviewable"]:
            result.expected_rows += 1
            if found is not None and found.accepted:
                for name in FIELDS:
                    result.agree[name] += _agrees(found, expected, name)
    for index, found in enumerate(rows):
        if not found.accepted:
            continue
        result.accepted_rows += 1
        expected = gold["rows"][pairs[index]] if index in pairs else None
        if expected is None or expected["reviewable"] or not all(_agrees(found, expected, n) for n in FIELDS):
            result.wrong_accepted.append(f"{gold['file']}#{index + 1} {found.asset_name!r}")
    return result
