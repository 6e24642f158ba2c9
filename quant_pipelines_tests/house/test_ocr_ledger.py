"""A scanned House filing read by OCR: its ledger verdict, its transaction lines, and which become trades."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium

from quant_pipelines.warehouse.enrich import build_trades
from quant_pipelines.house.scanned import read_by_ocr, read_filing
from quant_pipelines.house.documents.scanned import READER_VERSION
from quant_pipelines.warehouse.ledger import ledger_frame, transactions_frame

HARSHBARGER = "house/ptr_pdfs/2026_9115811_harshbarger_scanned_paper_no_text_layer.pdf"
SPEIER_2013 = "house/ptr_pdfs_more/2013_2002029_scanned.pdf"


def _ledger_row(doc_id: str, filed: date) -> dict:
    return {
        "filing_id": f"house:{doc_id}", "source": "house", "source_id": doc_id, "politician_id": "house:x-y:TN",
        "filer_name": "Y X", "first_name": "Y", "last_name": "X", "state": "TN", "district": "1",
        "filing_type": "paper", "filed_date": filed, "report_url": "https://example.invalid/r",
        "raw_sha256": "b" * 64, "status": "needs_ocr", "reason": "no text layer", "detail": None,
        "parser_version": None,
    }


def test_a_readable_scan_is_parsed_and_its_rows_become_ocr_trades(fixtures_dir: Path) -> None:
    row = _ledger_row("9115811", date(2026, 5, 6))
    lines = read_filing(row, (fixtures_dir / HARSHBARGER).read_bytes())
    assert (row["status"], row["reason"]) == ("parsed", None) and read_by_ocr(row)
    assert row["parser_version"].startswith(f"{READER_VERSION}+rapidocr-")
    assert len(lines) == 1 and lines[0]["extraction"] == "ocr" and lines[0]["review_reason"] is None
    assert 0.9 <= lines[0]["extraction_confidence"] <= 1.0
    trades = build_trades(transactions_frame(lines), ledger_frame([row]))
    assert trades[["extraction", "transaction_type", "amount_min"]].values.tolist() == [["ocr", "purchase", 15001]]


def test_a_scan_with_a_row_held_back_needs_review_and_keeps_both_rows(fixtures_dir: Path) -> None:
    """Speier 2013 (a greyscale scan, faint rules): Conceptus sold, band C; an X in E on the next row, no asset."""
    row = _ledger_row("2002029", date(2013, 6, 28))
    lines = read_filing(row, (fixtures_dir / SPEIER_2013).read_bytes())
    assert row["status"] == "needs_review" and row["reason"].startswith("page 1 row 2: asset name missing")
    read, held = lines
    assert (read["asset_name"], read["transaction_type"], read["transaction_date"], read["amount_min"]) == (
        "Conceptus, Inc. (Stock)", "sale_full", date(2013, 6, 5), 50001)
    assert read["review_reason"] is None
    assert held["review_reason"].startswith("asset name missing") and held["amount_min"] == 250001  # the E box, kept for review


def test_a_scan_with_no_grid_needs_review_with_the_reason() -> None:
    blank = pdfium.PdfDocument.new()
    blank.new_page(612, 792)
    content = io.BytesIO()
    blank.save(content)
    row = _ledger_row("1", date(2024, 1, 20))
    assert read_filing(row, content.getvalue()) == []
    assert row["status"] == "needs_review"
    assert row["reason"] == "OCR found no transaction row on 1 page(s); page 1: no ruled transaction grid found"


def test_rows_held_for_review_stay_out_of_trades() -> None:
    row = _ledger_row("1", date(2024, 1, 20))
    kept = {
        "filing_id": "house:1", "source": "house", "filed_date": date(2024, 1, 20), "raw_sha256": "b" * 64,
        "parser_version": "house-scanned/1", "transaction_date": date(2024, 1, 2), "owner": "self",
        "owner_raw": "", "asset_name": "Apple Inc", "transaction_type": "purchase", "transaction_type_raw": "P",
        "amount_min": 1001, "amount_max": 15000, "amount_text": "$1,001 - $15,000", "extraction": "ocr",
        "extraction_confidence": 0.97, "review_reason": None,
    }
    held = {**kept, "asset_name": None, "transaction_type": None, "amount_min": None, "amount_text": None,
            "extraction_confidence": 0.4, "review_reason": "asset name missing; 0 amount boxes ticked"}
    trades = build_trades(transactions_frame([{**kept, "row_number": 1}, {**held, "row_number": 2}]), ledger_frame([row]))
    assert trades["row_number"].tolist() == [1] and trades["extraction_confidence"].tolist() == [0.97]
