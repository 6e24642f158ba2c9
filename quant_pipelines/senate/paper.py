"""Read an archived Senate paper filing by OCR and settle its ledger row (the parse step's part).

Called by ``senate/parse.py`` for a paper filing (``needs_ocr`` from its view page). Reads only
the archive: each page image listed on the view page is found by the sha256 the fetch step
recorded in ``detail["images"]``, else by its listed URL; nothing is requested from the site.
Accepted rows become transaction lines with ``extraction = 'ocr'`` and their confidence; rows
that fail a check keep their ``review_reason``; a page not archived or not readable, a row held
for review, or no form page at all makes the filing ``needs_review`` with the reasons.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from quant_pipelines.db import raw_documents
from quant_pipelines.ocr.engine import release_memory
from quant_pipelines.senate.documents.paper import PaperPage, parser_version, read_image
from quant_pipelines.senate.documents.report import Outcome
from quant_pipelines.warehouse.ledger import ocr_row

_REASONS_SHOWN = 5


def read_filing(conn: Connection, row: dict[str, Any], outcome: Outcome) -> tuple[Outcome, list[dict[str, Any]]]:
    """OCR the filing's archived page images: its new outcome (status, reason, detail) and its lines."""
    version = parser_version()
    urls = list((outcome.detail or {}).get("image_urls") or [])
    pages = [_read(conn, row, page, url, len(urls)) for page, url in enumerate(urls, start=1)]
    release_memory()
    found = [found for page in pages for found in page.rows]
    notes = [page.note for page in pages if page.kind == "unread" and page.note]
    problems = [f"page {r.page} row {i}: {'; '.join(r.problems)}" for i, r in enumerate(found, 1) if r.problems]
    reasons = notes + problems
    if not any(page.kind == "form" for page in pages):
        reasons.insert(0, f"no PTR form page read among {len(urls)} page image(s)")
    elif not found:
        reasons.insert(0, "OCR found no transaction row on the form page(s)")
    status, reason = "parsed", None
    if reasons:
        more = f" (+{len(reasons) - _REASONS_SHOWN} more)" if len(reasons) > _REASONS_SHOWN else ""
        status, reason = "needs_review", "; ".join(reasons[:_REASONS_SHOWN]) + more
    detail = {
        **(outcome.detail or {}),
        "ocr_pages": [page.page for page in pages if page.kind == "form"],
        "ocr_skipped": [page.note for page in pages if page.kind == "skipped"],
        "ocr_rows": len(found),
    }
    lines = [ocr_row(row, number, r, parser_version=version) for number, r in enumerate(found, start=1)]
    return Outcome(status, reason, detail=detail, parser_version=version), lines


def _read(conn: Connection, row: dict[str, Any], page: int, url: str, total: int) -> PaperPage:
    """One page image from the archive: by the sha256 the fetch recorded, else by its listed URL."""
    recorded = next((e for e in (row["detail"] or {}).get("images") or [] if e.get("url") == url), {})
    digest = recorded.get("sha256")
    if digest is None and (found := raw_documents.by_source_url(conn, [url]).get(url)):
        digest = found[0]
    if digest is None:
        return PaperPage(page, "unread", note=f"page image {page} of {total} {recorded.get('missing', 'not archived')}")
    try:
        content = raw_documents.load(conn, digest)
    except KeyError:
        return PaperPage(page, "unread", note=f"page image {page} of {total} not archived")
    return read_image(content, page=page, filed=row["filed_date"])
