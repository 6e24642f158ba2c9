"""Read an archived House PTR with no text layer by OCR and settle its ledger row.

Called by ``house/parse.py`` where the text-layer parser raises ``NeedsOcr``; reads only
the archived bytes. Accepted rows become transaction lines with ``extraction = 'ocr'`` and
their confidence; rows that fail a check are kept with ``review_reason`` (never becoming
trades) and the filing gets status ``needs_review`` with the reasons.
"""

from __future__ import annotations

from typing import Any

from quant_pipelines.house.documents.scanned import READER_VERSION, ScannedReport, parser_version, read_scanned
from quant_pipelines.ocr.rows import OcrRow
from quant_pipelines.vocabulary.records import ParseError

_REASONS_SHOWN = 5


def read_filing(row: dict[str, Any], content: bytes) -> list[dict[str, Any]]:
    """OCR the filing's archived PDF, update its ledger ``row`` and return its transaction lines."""
    version = parser_version()
    row["parser_version"] = version
    try:
        report = read_scanned(content, filed=row["filed_date"])
    except ParseError as exc:
        row.update(status="parse_failed", reason=str(exc).splitlines()[0])
        return []
    row.update(_verdict(report))
    row["detail"] = {**(row["detail"] or {}), "ocr_pages": report.pages, "ocr_rows": len(report.rows)}
    return [_line(row, number, found, version) for number, found in enumerate(report.rows, start=1)]


def read_by_ocr(ledger_row: dict[str, Any]) -> bool:
    """True when the ledger row's filing was read by the OCR reader."""
    return str(ledger_row.get("parser_version") or "").startswith(READER_VERSION)


def _verdict(report: ScannedReport) -> dict[str, Any]:
    problems = [f"page {found.page} row {i}: {'; '.join(found.problems)}" for i, found in enumerate(report.rows, 1)
                if found.problems]
    reasons = list(report.notes) + problems
    if report.rows and not reasons:
        return {"status": "parsed", "reason": None}
    if not report.rows:
        reasons.insert(0, f"OCR found no transaction row on {report.pages} page(s)")
    shown = "; ".join(reasons[:_REASONS_SHOWN])
    more = f" (+{len(reasons) - _REASONS_SHOWN} more)" if len(reasons) > _REASONS_SHOWN else ""
    return {"status": "needs_review", "reason": shown + more}


def _line(row: dict[str, Any], number: int, found: OcrRow, version: str) -> dict[str, Any]:
    details = {"page": str(found.page)}
    if found.account:
        details["account"] = found.account
    return {
        "filing_id": row["filing_id"],
        "source": row["source"],
        "filed_date": row["filed_date"],
        "raw_sha256": row["raw_sha256"],
        "parser_version": version,
        "row_number": number,
        "transaction_date": found.transaction_date,
        "notification_date": found.notification_date,
        "owner": found.owner,
        "owner_raw": found.owner_raw,
        "ticker": None,
        "asset_name": found.asset_name or None,
        "asset_type": None,
        "asset_type_raw": None,
        "transaction_type": found.transaction_type,
        "transaction_type_raw": found.transaction_type_raw,
        "amount_min": found.amount_min,
        "amount_max": found.amount_max,
        "amount_text": found.amount_text,
        "amount_kind": _amount_kind(found),
        "amount_exact": None,  # the paper form has bands only
        "option_type": None,
        "strike_price": None,
        "expiry": None,
        "comment": None,
        "description": None,
        "cap_gains_over_200": found.cap_gains_over_200,
        "filing_status": None,
        "details": details,
        "row_status": "read",
        "extraction": "ocr",
        "extraction_confidence": found.confidence,
        "review_reason": "; ".join(found.problems) or None,
    }


def _amount_kind(found: OcrRow) -> str | None:
    """``band``, ``over`` for an open-ended box, or None when no single box was read."""
    if found.amount_min is None:
        return None
    return "band" if found.amount_max is not None else "over"
