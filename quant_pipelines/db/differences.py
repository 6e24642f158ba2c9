"""Difference writes: bring a window of a table to the given rows by touching only what differs.

The window's rows are staged with COPY in a temporary table, then compared on the primary
key with the table's rows in the window: rows gone from the window are deleted, rows whose
values differ are updated, new rows are inserted, identical rows are left alone (no new
tuple, no trigger, no change-feed row). Audit columns (``info={"audit": True}``, e.g.
``parsed_at``) are written with a changed row but never make a row count as changed.
The comparison covers whichever of the table's columns the rows carry, so columns added
to a table later take part without changes here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Column, Connection, MetaData, Table, and_, exists, func, literal, select, text, tuple_

from quant_pipelines.db.windows import (
    Window,
    WindowWriteError,
    _check_inside,
    lock_table,
    _with_scope,
    copy_rows,
)


@dataclass(frozen=True)
class WindowChanges:
    """What a difference write did to its window."""

    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def as_metadata(self) -> dict[str, int]:
        """The four counts, named for asset materialization metadata."""
        return {
            "rows_inserted": self.inserted,
            "rows_updated": self.updated,
            "rows_deleted": self.deleted,
            "rows_unchanged": self.unchanged,
        }

    def summary(self, what: str) -> str:
        """One line for the UI, e.g. ``12 new trades, 1 updated, 0 deleted, 340 unchanged``."""
        return f"{self.inserted} new {what}, {self.updated} updated, {self.deleted} deleted, {self.unchanged} unchanged"


def compared_columns(table: Table, names: set[str]) -> list[Column]:
    """The columns among ``names`` whose values decide whether a row changed (no keys, no audit)."""
    return [
        column
        for column in table.columns
        if column.name in names and not column.primary_key and not column.info.get("audit")
    ]


def write_window(conn: Connection, window: Window, frame: pd.DataFrame) -> WindowChanges:
    """Make the window's rows equal ``frame``'s, writing only the rows that differ.

    Runs inside the caller's transaction under the table's advisory lock, like ``replace_window``.
    """
    frame = _with_scope(frame, window)
    _check_inside(frame, window)
    table = window.table
    keys = [column.name for column in table.primary_key.columns]
    if frame.empty:  # no rows, whatever columns: the window is to be emptied
        frame = pd.DataFrame({name: [] for name in keys})
    _check_keys(frame, table, keys)
    lock_table(conn, table)
    stage = _stage(conn, table, list(frame.columns))
    copy_rows(conn, stage, frame)
    # Temporary tables are never auto-analyzed: without statistics a large window gets poor join plans.
    conn.execute(text(f"ANALYZE {conn.dialect.identifier_preparer.quote(stage.name)}"))

    def same_key(other: Table):
        return and_(*(table.c[name] == other.c[name] for name in keys))

    deleted = conn.execute(
        table.delete().where(window.where(), ~exists().where(same_key(stage)))
    ).rowcount
    compared = compared_columns(table, set(frame.columns))
    updated = 0
    if compared:
        differs = tuple_(*(table.c[c.name] for c in compared)).is_distinct_from(
            tuple_(*(stage.c[c.name] for c in compared))
        )
        written = {name: stage.c[name] for name in frame.columns if name not in keys}
        updated = conn.execute(
            table.update().where(same_key(stage), window.where(), differs).values(written)
        ).rowcount
    # A key already used outside the window is not skipped: the INSERT fails on it, as a
    # replaced window's COPY would.
    fresh = select(*stage.c).where(~exists().where(same_key(stage), window.where()))
    # Counted through a CTE: the driver reports no row count for INSERT ... SELECT built by SQLAlchemy.
    insert = table.insert().from_select(list(stage.c.keys()), fresh).returning(literal(1)).cte("inserted")
    inserted = conn.scalar(select(func.count()).select_from(insert))
    conn.execute(text(f"DROP TABLE {conn.dialect.identifier_preparer.quote(stage.name)}"))
    return WindowChanges(inserted, updated, deleted, len(frame) - inserted - updated)


def label_transaction(conn: Connection, run_id: str | None, window: Window | None = None) -> None:
    """Name the run (and window) writing in this transaction, for the change-feed triggers.

    Transaction-local settings ``quant.run_id``, ``quant.window_start`` and ``quant.window_end``.
    """
    values = {
        "quant.run_id": run_id or "",
        "quant.window_start": str(window.start) if window else "",
        "quant.window_end": str(window.end) if window else "",
    }
    conn.execute(select(*(func.set_config(name, value, True) for name, value in values.items())))


def _check_keys(frame: pd.DataFrame, table: Table, keys: list[str]) -> None:
    unknown = [str(name) for name in frame.columns if name not in table.c]
    if unknown:
        raise WindowWriteError(f"{table.name} has no column(s) {', '.join(unknown)}")
    missing = [name for name in keys if name not in frame.columns]
    if missing:
        raise WindowWriteError(f"rows for {table.name} lack the key column(s) {', '.join(missing)}")
    if frame.empty:
        return
    repeated = frame[frame.duplicated(keys, keep=False)]
    if not repeated.empty:
        example = ", ".join(f"{name}={repeated[name].tolist()[0]!r}" for name in keys)
        raise WindowWriteError(f"{len(repeated)} row(s) for {table.name} share a key, e.g. {example}")


def _stage(conn: Connection, table: Table, names: list[str]) -> Table:
    """An empty temporary table with ``names``' columns typed as in ``table`` (dropped at commit)."""
    stage = Table(
        f"stage_{table.name}",
        MetaData(),
        *(Column(column.name, column.type) for column in table.columns if column.name in names),
        prefixes=["TEMPORARY"],
        postgresql_on_commit="DROP",
    )
    conn.execute(text(f"DROP TABLE IF EXISTS pg_temp.{conn.dialect.identifier_preparer.quote(stage.name)}"))
    stage.create(conn)
    return stage
