"""Filings a re-run need not parse again: the same archived bytes, read by the same parser.

A transactions step reads every archived document of its window. When a ledger row's
document (``raw_sha256``) and ``parser_version`` are those the stored lines were made
from, and its outcome is settled, parsing again would give the same lines (parsers are
pure functions of the bytes): the step takes the stored lines instead, so a re-run costs
a read of the table, not a parse of the archive. A new parser version, a changed document
or the run config ``reparse: true`` sends the filing through the parser again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Row, select

from quant_pipelines.db.schema import transactions

# Outcomes a parser settles (``fetched``, ``blocked`` and ``needs_ocr`` still wait for a reader).
SETTLED = ("parsed", "partially_parsed", "parse_failed", "needs_review", "superseded")


def parser_versions(
    rows: Iterable[Mapping[str, Any]], version: str, *, ocr_reader: str, ocr_version: Callable[[], str]
) -> set[str]:
    """The parser versions this code writes: ``version``, and the OCR reader's when a row was read by it.

    ``ocr_version`` loads the OCR engine, so it is asked only when a row's ``parser_version``
    starts with ``ocr_reader`` (only then could the OCR reader's stored lines be kept).
    """
    versions = {version}
    if any(str(row["parser_version"] or "").startswith(ocr_reader) for row in rows):
        versions.add(ocr_version())
    return versions


def stored_lines(
    conn: Connection, ledger_rows: Iterable[Mapping[str, Any]], versions: Collection[str]
) -> dict[str, list[Row]]:
    """The stored ``transactions`` rows of every ledger row that need not be parsed again.

    Keyed by filing id, in row order; a filing whose stored lines came from another
    document or parser version is left out (it is parsed again).
    """
    candidates = {
        row["filing_id"]: row
        for row in ledger_rows
        if row["raw_sha256"] and row["status"] in SETTLED and row["parser_version"] in versions
    }
    if not candidates:
        return {}
    found: dict[str, list[Row]] = {filing_id: [] for filing_id in candidates}
    t = transactions.c
    query = select(transactions).where(t.filing_id.in_(sorted(candidates))).order_by(t.filing_id, t.row_number)
    for line in conn.execute(query):
        found[line.filing_id].append(line)
    return {
        filing_id: lines
        for filing_id, lines in found.items()
        if all(
            line.raw_sha256 == candidates[filing_id]["raw_sha256"] and line.parser_version in versions
            for line in lines
        )
    }
