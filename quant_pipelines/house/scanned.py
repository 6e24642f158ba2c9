"""Read an archived House PTR with no text layer by OCR and settle its ledger row.

Called by ``house/parse.py`` where the text-layer parser raises ``NeedsOcr``; reads only
the archived bytes. Accepted rows become transaction lines with ``extraction = 'ocr'`` and
their confidence; rows that fail a check are kept with ``review_reason`` (never becoming
trades) and the filing gets status ``needs_review`` with the reasons.
"""

from __future__ import annotations

from typing import Any

from quant_pipelines.house.documents.scanned import READER_VERSION, ScannedReport, parser_version, read_scanned
from quant_pipelines.ocr.engine import release_memory
from quant_pipelines.vocabulary.records import ParseError
from quant_pipelines.warehouse.ledger import ocr_row

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
    finally:
        release_memory()
    row.update(_verdict(report))
    row["detail"] = {**(row["detail"] or {}), "ocr_pages": report.pages, "ocr_rows": len(report.rows)}
    return [ocr_row(row, number, found, parser_version=version) for number, found in enumerate(report.rows, start=1)]


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
