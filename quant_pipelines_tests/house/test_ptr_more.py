"""The PTR parser on every electronic PDF of ``ptr_pdfs_more`` (2016-2025 layouts, exact amounts).

Expected values (``ptr_more_expected.json``) were read by a person from each document; the
row counts were counted on the document's text per page. Pure parsing, no database.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from quant_pipelines.vocabulary import normalize
from quant_pipelines.house.documents.ptr import parse_ptr
from quant_pipelines.vocabulary.records import NeedsOcr, ParsedReport

EXPECTED = json.loads((Path(__file__).with_name("ptr_more_expected.json")).read_text())["documents"]


@pytest.fixture(scope="module")
def more_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "house" / "ptr_pdfs_more"


def _parse(more_dir: Path, file: str) -> ParsedReport:
    return parse_ptr((more_dir / file).read_bytes(), doc_id=file.split("_")[1])


def test_every_electronic_pdf_has_expected_values(more_dir: Path) -> None:
    electronic = {path.name for path in more_dir.glob("*.pdf") if not path.name.endswith("_scanned.pdf")}
    assert electronic == {document["file"] for document in EXPECTED}


@pytest.mark.parametrize("document", EXPECTED, ids=[document["file"] for document in EXPECTED])
def test_electronic_ptr_reads_fully_and_as_printed(more_dir: Path, document: dict) -> None:
    report = _parse(more_dir, document["file"])
    assert report.unreadable == () and report.mismatch is None
    assert (report.filer_name, report.filed_date) == (document["filer"], date.fromisoformat(document["signed"]))
    assert len(report.transactions) == document["rows"]
    assert [line.row_number for line in report.transactions] == list(range(1, document["rows"] + 1))
    for row in document["expected"]:
        line = report.transactions[row["row"] - 1]
        exact = Decimal(row["exact"]) if row["exact"] is not None else None
        assert (line.owner_raw, line.asset_name, line.ticker, line.asset_type_raw) == (
            row["owner"], row["asset"], row["ticker"], row["code"]
        ), row["row"]
        if row["owner"]:
            assert line.owner == normalize.owner(row["owner"])
        assert (line.transaction_type_raw, line.transaction_date, line.notification_date) == (
            row["type"], date.fromisoformat(row["date"]), date.fromisoformat(row["notified"])
        ), row["row"]
        assert (line.amount_text, line.amount_kind, line.amount_min, line.amount_max, line.amount_exact) == (
            row["amount"], row["kind"], row["min"], row["max"], exact
        ), row["row"]
        if "subholding" in row:
            assert line.details["subholding_of"] == row["subholding"]
        if "cap_gains" in row:
            assert line.cap_gains_over_200 is row["cap_gains"]
        if "description" in row:
            assert line.description == row["description"]


def test_options_terms_come_from_the_description(more_dir: Path) -> None:
    calls = _parse(more_dir, "2024_20024542_electronic.pdf").transactions
    assert [(line.option_type, line.strike_price, line.expiry) for line in calls] == [
        ("call", Decimal("200"), date(2025, 1, 17))
    ] * 2


def test_2017_vehicle_owner_in_lower_case_applies(more_dir: Path) -> None:
    """'Spouse Brokerage 1-8714 (owner: SP)': the vehicle is read, its location kept."""
    line = _parse(more_dir, "2017_20006851_layout2017.pdf").transactions[0]
    assert (line.details["vehicle"], line.details["vehicle_location"]) == ("Spouse Brokerage 1-8714", "US")


@pytest.mark.parametrize("file", ["2012_2000711_scanned.pdf", "2025_8221176_scanned.pdf"])
def test_scans_still_need_ocr(more_dir: Path, file: str) -> None:
    with pytest.raises(NeedsOcr):
        _parse(more_dir, file)
