"""The OCR reader on scanned House PTRs against rows written by reading the rendered pages by eye.

Each gold file (``ocr_gold/<DocID>.json``) lists every transaction row a person sees, and marks
the rows a person cannot complete from the page (``reviewable``): the reader must hold those
back, never accept them with invented values.
"""

from __future__ import annotations

import json
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from quant_pipelines.sources.house_clerk.scanned import parser_version, read_scanned
from quant_pipelines.sources.house_clerk.scanned_rows import Reading, RowRead, check, parse_date
from quant_pipelines.sources.records import ParseError

GOLD = sorted((Path(__file__).parent / "ocr_gold").glob("*.json"))
FIELDS = ("owner", "transaction_type", "transaction_date", "notification_date", "amount_min", "amount_max")


def _similar(a: str, b: str) -> float:
    def norm(text: str) -> str:
        return " ".join(text.lower().replace(".", " ").replace(",", " ").split())

    return SequenceMatcher(None, norm(a), norm(b)).ratio()


def _agreement(gold: dict, report) -> tuple[int, int, list[str]]:
    """(fields agreeing, fields expected, wrong accepted rows) of one document's accepted rows."""
    agree, total, wrong = 0, 0, []
    found_rows = list(report.rows)
    for number, expected in enumerate(gold["rows"]):
        if expected["reviewable"]:
            continue
        total += len(FIELDS) + 1
        found = found_rows[number] if number < len(found_rows) else None
        if found is None or not found.accepted:
            continue
        agree += _similar(found.asset_name, expected["asset_name"]) >= 0.9
        agree += sum(getattr(found, name) == _want(expected, name) for name in FIELDS)
    for number, found in enumerate(found_rows):
        expected = gold["rows"][number] if number < len(gold["rows"]) else None
        if found.accepted and (
            expected is None or expected["reviewable"]
            or _similar(found.asset_name, expected["asset_name"]) < 0.9
            or any(getattr(found, name) != _want(expected, name) for name in FIELDS)
        ):
            wrong.append(found.asset_name)
    return agree, total, wrong


def _want(expected: dict, name: str):
    value = expected[name]
    return date.fromisoformat(value) if value and name.endswith("_date") else value


def _read(gold_path: Path, fixtures_dir: Path):
    gold = json.loads(gold_path.read_text())
    return gold, read_scanned((fixtures_dir / gold["file"]).read_bytes(), filed=date.fromisoformat(gold["filed"]))


@pytest.mark.parametrize("gold_path", GOLD, ids=[path.stem for path in GOLD])
def test_no_accepted_row_is_wrong(gold_path: Path, fixtures_dir: Path) -> None:
    """Every accepted row matches the gold; rows a person cannot complete are never accepted."""
    gold, report = _read(gold_path, fixtures_dir)
    assert _agreement(gold, report)[2] == []


def test_typed_form_with_drawn_marks_agrees_fully(fixtures_dir: Path) -> None:
    """2001391: five typed rows, X marks drawn by hand, blank notification column, 2012 amount bands."""
    gold, report = _read(Path(__file__).parent / "ocr_gold" / "2001391.json", fixtures_dir)
    agree, total, wrong = _agreement(gold, report)
    assert (agree, total, wrong) == (35, 35, [])
    assert len(report.rows) == 5 and all(0.9 <= row.confidence <= 1.0 for row in report.rows)


def _row(**changes) -> RowRead:
    values = dict(
        page=1, owner=Reading("SP", 0.99), asset=Reading("Apple Inc", 0.99), traded=Reading("01/02/24", 0.99),
        notified=Reading("01/05/24", 0.99), ticked=frozenset({"P", "B"}), doubtful=frozenset(),
    )
    return RowRead(**{**values, **changes})


def test_row_checks_accept_a_complete_row_and_hold_back_each_defect() -> None:
    row = check(_row(), date(2024, 1, 20))
    assert row.accepted and (row.owner, row.transaction_type, row.amount_min, row.amount_max) == (
        "spouse", "purchase", 15_001, 50_000)
    defects = {
        "2 transaction type boxes ticked": _row(ticked=frozenset({"P", "S", "B"})),
        "2 amount boxes ticked": _row(ticked=frozenset({"P", "B", "C"})),
        "doubtful mark in C": _row(doubtful=frozenset({"C"})),
        "asset name missing": _row(asset=Reading("", 1.0)),
        "notification date before transaction date": _row(notified=Reading("01/01/24", 0.99)),
        "after the filing date": _row(notified=Reading("02/05/24", 0.99)),
        "low OCR confidence": _row(asset=Reading("Appel Inc", 0.93)),
        "not SP/DC/JT": _row(owner=Reading("0C", 0.99)),
        "is not a date": _row(traded=Reading("13/45/24", 0.99)),
    }
    for reason, raw in defects.items():
        checked = check(raw, date(2024, 1, 20))
        assert not checked.accepted and any(reason in problem for problem in checked.problems), (reason, checked)


def test_partial_transaction_column_makes_a_partial_sale() -> None:
    assert check(_row(ticked=frozenset({"S", "PT", "A"})), None).transaction_type == "sale_partial"
    assert not check(_row(ticked=frozenset({"P", "PT", "A"})), None).accepted


def test_dates_as_printed() -> None:
    assert parse_date("4/17/2026") == date(2026, 4, 17)
    assert parse_date("O2/27/l3") == date(2013, 2, 27)
    assert parse_date("02/30/13") is None and parse_date("Page 1") is None


def test_not_a_pdf_is_a_one_line_parse_error() -> None:
    with pytest.raises(ParseError, match="not a readable PDF"):
        read_scanned(b"<html>nope</html>")


def test_parser_version_names_engine_and_models() -> None:
    version = parser_version()
    assert version.startswith("house-scanned/1+rapidocr-") and "onnxruntime-" in version and "PP-OCR" in version
