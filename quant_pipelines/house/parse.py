"""What ``house_transactions`` does: parse the window's archived PDFs and settle the ledger.

Only archived documents are read (the network is never touched). Each filing ends as
``parsed``, ``partially_parsed`` (some rows unreadable, or the rows do not add up to the
document's own count: per-row reasons in ``detail``), ``parse_failed`` (no readable
structure, with the reason) or, for a scan with no text layer, whatever the OCR reader
makes of it (``parsed`` or ``needs_review``, see ``house/scanned.py``); blocked
filings have nothing archived and keep their status. Amendments are then linked for
every member of the window (see ``house/documents/amendments.py``); ledger rows of
other partitions that the links change come back too, to be upserted in the same
transaction. A filing whose document and parser version are unchanged keeps its stored lines
(``warehouse/unchanged.py``) unless the run asks to ``reparse``; its amendment links are
settled again like every other filing's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, select

from quant_pipelines.db import raw_documents
from quant_pipelines.db.schema import filings as filings_table
from quant_pipelines.db.schema import transactions as transactions_table
from quant_pipelines.house import scanned
from quant_pipelines.house.documents.amendments import (
    FilingFacts,
    Link,
    RowFacts,
    asset_key,
    link_amendments,
)
from quant_pipelines.house.documents.ptr import PARSER_VERSION, parse_ptr
from quant_pipelines.house.documents.scanned import READER_VERSION
from quant_pipelines.vocabulary.records import NeedsOcr, ParsedReport
from quant_pipelines.warehouse.ledger import LISTED_AS, LineFrames, frame_rows, transaction_rows
from quant_pipelines.warehouse.unchanged import parser_versions, stored_lines

_SETTLED = ("status", "reason", "amends", "amends_reason", "detail")
# Statuses whose read rows amendment linking compares.
_READ = ("parsed", "partially_parsed", "superseded")


@dataclass
class ParsedWindow:
    """Transaction rows of the window and the ledger rows to upsert (window and beyond)."""

    transactions: pd.DataFrame
    ledger: list[dict[str, Any]]
    unchanged: int = 0  # filings whose stored lines were kept (same document, same parser)


def parse_window(
    engine: Engine, ledger: pd.DataFrame, *, parsed_at: datetime, reparse: bool = False
) -> ParsedWindow:
    """Parse the archived documents of the window's ledger rows and link the amendments.

    Each report becomes its transaction rows at once; only the few facts amendment linking
    compares are kept, so a window of years never holds every parsed report at the same time.
    Filings parsed before from the same document by the same parser keep their stored
    lines, unless ``reparse``.
    """
    rows = frame_rows(ledger)
    lines = LineFrames()
    facts: dict[str, list[RowFacts]] = {}
    with engine.connect() as conn:
        versions = parser_versions(rows, PARSER_VERSION, ocr_reader=READER_VERSION, ocr_version=scanned.parser_version)
        kept = {} if reparse else stored_lines(conn, rows, versions)
        for row in rows:
            if not row["raw_sha256"]:
                continue
            if row["filing_id"] in kept:
                stored = kept[row["filing_id"]]
                _unlink(row)
                lines.extend(dict(line._mapping) for line in stored)
                facts[row["filing_id"]] = [_row_facts(line) for line in stored if line.row_status == "read"]
                continue
            content = raw_documents.load(conn, row["raw_sha256"])
            report = _parse(row, content, parsed_at)
            if report is not None:
                lines.extend(transaction_rows(row, report, parser_version=PARSER_VERSION))
                facts[row["filing_id"]] = [_row_facts(line) for line in report.transactions]
            elif row["status"] == "needs_ocr":
                lines.extend(scanned.read_filing(row, content))
        beyond = _link(conn, rows, facts)
    return ParsedWindow(lines.frame(), rows + beyond, len(kept))


def _unlink(row: dict[str, Any]) -> None:
    """Back to the document's own outcome, as a fresh parse leaves it: links are settled again."""
    detail = {key: value for key, value in (row["detail"] or {}).items() if key != "replaces_rows"}
    row.update(amends=None, amends_reason=None, detail=detail or None)
    if row["status"] == "superseded":
        row.update(status="parsed", reason=None)


def _parse(row: dict[str, Any], content: bytes, parsed_at: datetime) -> ParsedReport | None:
    # Start from what the index said: a re-parse must not inherit an earlier parse's verdicts.
    detail = {key: value for key, value in (row["detail"] or {}).items() if key == LISTED_AS}
    row.update(
        parser_version=PARSER_VERSION,
        parsed_at=parsed_at,
        amends=None,
        amends_reason=None,
        filing_type=detail.get(LISTED_AS, row["filing_type"]),
        detail=detail or None,
    )
    try:
        report = parse_ptr(content, doc_id=row["source_id"])
    except NeedsOcr as exc:
        row.update(status="needs_ocr", reason=str(exc))
        return None
    except ValueError as exc:  # ParseError, or a value the records refuse
        row.update(status="parse_failed", reason=str(exc).splitlines()[0])
        return None
    row.update(status="parsed", reason=None)
    if any(_amended(line) for line in report.transactions):
        row["filing_type"] = "amendment"
    if report.filed_date is not None:
        row["detail"] = {**(row["detail"] or {}), "signed_date": report.filed_date.isoformat()}
    if not report.complete:
        _partial(row, report)
    return report


def _partial(row: dict[str, Any], report: ParsedReport) -> None:
    """Record a filing some of whose rows could not be read, with each row's reason."""
    problems = [f"row {line.row_number} (page {line.page}): {line.reason}" for line in report.unreadable]
    total = len(report.transactions) + len(report.unreadable)
    summary = [f"{len(report.unreadable)} of {total} rows unreadable"] if report.unreadable else []
    reason = "; ".join(summary + problems[:1] + ([report.mismatch] if report.mismatch else []))
    detail = {**(row["detail"] or {})}
    if report.unreadable:
        detail["unreadable_rows"] = [
            {"row": line.row_number, "page": line.page, "reason": line.reason} for line in report.unreadable
        ]
    if report.mismatch:
        detail["reconciliation"] = report.mismatch
    row.update(status="partially_parsed", reason=reason, detail=detail)


def _link(
    conn: Connection, rows: list[dict[str, Any]], facts: dict[str, list[RowFacts]]
) -> list[dict[str, Any]]:
    """Link amendments of the window's members; return the changed ledger rows outside the window."""
    inside = {row["filing_id"] for row in rows}
    members = {row["politician_id"] for row in rows}
    query = select(filings_table).where(
        filings_table.c.source == "house", filings_table.c.politician_id.in_(sorted(members))
    )
    beyond = [dict(row._mapping) for row in conn.execute(query) if row.filing_id not in inside]
    amending = {row["politician_id"] for row in rows + beyond if row["filing_type"] == "amendment"}
    involved = [row for row in beyond if row["politician_id"] in amending]
    lines = _stored_rows(
        conn, [row["filing_id"] for row in involved if row["status"] in _READ]
    )
    lines.update(facts)
    changed = []
    for member in sorted(amending):
        mine = [row for row in rows + involved if row["politician_id"] == member]
        links, superseded = link_amendments(_facts(row, lines.get(row["filing_id"], [])) for row in mine)
        for row in mine:
            before = [row[key] for key in _SETTLED]
            _settle(row, links.get(row["source_id"]), superseded.get(row["source_id"]))
            if row["filing_id"] not in inside and before != [row[key] for key in _SETTLED]:
                changed.append(row)
    return changed


def _stored_rows(conn: Connection, filing_ids: list[str]) -> dict[str, list[RowFacts]]:
    if not filing_ids:
        return {}
    t = transactions_table.c
    query = select(
        t.filing_id, t.row_number, t.ticker, t.asset_name, t.transaction_date, t.filing_status
    ).where(t.filing_id.in_(filing_ids), t.row_status == "read")
    found: dict[str, list[RowFacts]] = {}
    for line in conn.execute(query.order_by(t.filing_id, t.row_number)):
        found.setdefault(line.filing_id, []).append(_row_facts(line))
    return found


def _row_facts(line: Any) -> RowFacts:
    """A parsed line (a Transaction or a stored ``transactions`` row) as linking sees it."""
    return RowFacts(
        line.row_number, asset_key(line.ticker, line.asset_name), line.transaction_date, _amended(line)
    )


def _amended(line: Any) -> bool:
    return (line.filing_status or "").lower() == "amended"


def _facts(row: dict[str, Any], lines: list[RowFacts]) -> FilingFacts:
    return FilingFacts(
        source_id=row["source_id"],
        filed_date=row["filed_date"],
        parsed=row["status"] in _READ,
        index_amendment=row["filing_type"] == "amendment",
        rows=tuple(lines),
    )


def _settle(row: dict[str, Any], link: Link | None, superseded_by: str | None) -> None:
    if link is not None:
        detail = {key: value for key, value in (row["detail"] or {}).items() if key != "replaces_rows"}
        if link.replaces_rows:
            detail["replaces_rows"] = [f"house:{link.amends}#{number}" for number in link.replaces_rows]
        row.update(amends=link.amends, amends_reason=link.reason, detail=detail or None)
    if row["status"] in ("parsed", "superseded"):
        row["status"] = "superseded" if superseded_by else "parsed"
        row["reason"] = (
            f"superseded by amendment {superseded_by}, which restates all its rows" if superseded_by else None
        )
