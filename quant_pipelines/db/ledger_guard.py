"""The ledger (``filings``) written by two kinds of step, kept consistent when runs overlap.

A ``*_filings`` step replaces its window of the ledger with rows built from a read made when
the step began; a ``*_transactions`` step upserts the parse outcome of the rows it read. Both
writes take the same lock (the one a window replace takes, per table) and each defers to the
state the other may have committed in between:

- a window write keeps the parse state in the table for every row whose archived documents
  (``raw_sha256``, and the page images a paper filing's ``detail["images"]`` records) it did
  not change: the filings step never parses, so whatever the table says about those documents
  is at least as new as what the step read; a filings step that archived more page images
  sends the filing back to be read (its parse state goes in as the step made it);
- an upsert of parse outcomes leaves a row alone whose document changed since it was read:
  that outcome belongs to a document the ledger no longer points at.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Table, select

from quant_pipelines.db import differences, windows
from quant_pipelines.db.schema import filings

# What a transactions step decides about a filing's document (the House parser also corrects its type).
PARSE_STATE = (
    "parser_version", "status", "reason", "detail", "parsed_at", "amends", "amends_reason", "filing_type"
)
_DOCUMENT = "raw_sha256"
_IMAGES = "images"  # the ``detail`` key listing a paper filing's archived page images


def write_window(conn: Connection, window: windows.Window, frame: pd.DataFrame) -> differences.WindowChanges:
    """differences.write_window, keeping the table's parse state of unchanged documents in the ledger."""
    if window.table is filings and not frame.empty:
        windows.lock_table(conn, filings)
        frame = _with_current_parse_state(conn, window, frame)
    return differences.write_window(conn, window, frame)


def upsert(conn: Connection, table: Table, frame: pd.DataFrame) -> int:
    """windows.upsert under the table's lock; ledger rows only where the document is unchanged."""
    windows.lock_table(conn, table)
    unchanged = _DOCUMENT if table is filings and _DOCUMENT in frame.columns else None
    return windows.upsert(conn, table, frame, only_if_same=unchanged)


def _with_current_parse_state(conn: Connection, window: windows.Window, frame: pd.DataFrame) -> pd.DataFrame:
    columns = [filings.c.filing_id, filings.c[_DOCUMENT], *(filings.c[name] for name in PARSE_STATE)]
    query = select(*columns).where(window.where(), filings.c[_DOCUMENT].is_not(None))
    current = {row.filing_id: row._mapping for row in conn.execute(query)}
    if not current:
        return frame
    frame = frame.copy()
    for column in PARSE_STATE:
        if column not in frame.columns:
            frame[column] = None
        frame[column] = frame[column].astype(object)
    for index, filing_id, document, detail in zip(frame.index, frame["filing_id"], frame[_DOCUMENT], frame["detail"]):
        now = current.get(filing_id)
        if now is not None and (now[_DOCUMENT], _images(now["detail"])) == (document, _images(detail)):
            for column in PARSE_STATE:
                frame.at[index, column] = now[column]
    return frame


def _images(detail: object) -> object:
    return detail.get(_IMAGES) if isinstance(detail, dict) else None
