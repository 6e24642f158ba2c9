"""Set-based writes: replace a date window of a table, upsert dimension rows, read a window.

All functions take an open SQLAlchemy connection inside the caller's transaction; they
never commit. Bulk rows travel through PostgreSQL ``COPY`` (CSV), not row-by-row INSERTs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from sqlalchemy import Boolean, Connection, Date, Integer, Table, Text, and_, case, func, select, tuple_
from sqlalchemy.dialects.postgresql import JSONB, insert

from quant_pipelines.db.schema import metadata
from quant_pipelines.partitions import window_label

# Rows a window is read in at a time: a window of years read at once held every row as Python
# objects before pandas packed them, about four times the frame's own size.
_READ_CHUNK = 20_000


class WindowWriteError(ValueError):
    """Rows that do not belong in the window or table they are written to."""


@dataclass(frozen=True)
class Window:
    """The rows of ``table`` whose ``column`` lies in [start, end), narrowed by ``scope``."""

    table: Table
    column: str
    start: date
    end: date
    scope: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise WindowWriteError(f"the window {self.start}..{self.end} of {self.table.name} covers no day")

    def where(self):
        column = self.table.c[self.column]
        terms = [column >= self.start, column < self.end]
        terms += [self.table.c[name] == value for name, value in sorted(self.scope.items())]
        return and_(*terms)


def table_named(name: str) -> Table:
    """The warehouse table called ``name`` (without schema)."""
    try:
        return metadata.tables[f"{metadata.schema}.{name}"]
    except KeyError:
        raise WindowWriteError(f"no warehouse table named {name!r}") from None


def replace_window(conn: Connection, window: Window, frame: pd.DataFrame) -> int:
    """Delete the window's rows and COPY ``frame`` in their place; return the rows written."""
    frame = _with_scope(frame, window)
    _check_inside(frame, window)
    # Writers of one table queue behind each other: two overlapping windows replaced at
    # once would each delete only what they can see and leave both inserts behind.
    lock_table(conn, window.table)
    conn.execute(window.table.delete().where(window.where()))
    return copy_rows(conn, window.table, frame)


def upsert(conn: Connection, table: Table, frame: pd.DataFrame, *, only_if_same: str | None = None) -> int:
    """Insert rows, merging with existing ones on the primary key by each column's merge rule.

    Existing rows the merge would leave as they are (audit columns aside) are not written. With
    ``only_if_same``, an existing row is updated only while that column still has the value the
    new row carries (a compare-and-set).
    """
    if frame.empty:
        return 0
    rows = _collapse_duplicates(_coerce(frame, table, json_as_text=False), table).to_dict("records")
    rows = [{key: (None if _missing(value) else value) for key, value in row.items()} for row in rows]
    statement = insert(table)
    merged = {
        column.name: _merge(column, table, statement.excluded)
        for column in table.columns
        if column.name in frame.columns and not column.primary_key
    }
    # Rows whose merged values equal the stored ones (audit columns aside) are not rewritten.
    compared = [name for name in merged if not table.c[name].info.get("audit")]
    if compared:
        differs = tuple_(*(table.c[name] for name in compared)).is_distinct_from(
            tuple_(*(merged[name] for name in compared))
        )
        if only_if_same:
            differs = and_(differs, table.c[only_if_same].is_not_distinct_from(statement.excluded[only_if_same]))
        statement = statement.on_conflict_do_update(
            index_elements=table.primary_key.columns, set_=merged, where=differs
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=table.primary_key.columns)
    conn.execute(statement, rows)
    return len(rows)


def read_window(conn: Connection, window: Window, columns: Sequence[str] = ()) -> pd.DataFrame:
    """The window's rows in primary-key order, with only ``columns`` when given."""
    try:
        chosen = [window.table.c[name] for name in columns] or [window.table]
    except KeyError as missing:
        raise WindowWriteError(f"{window.table.name} has no column {missing}") from None
    query = select(*chosen).where(window.where()).order_by(*window.table.primary_key.columns)
    streamed = conn.execution_options(stream_results=True, max_row_buffer=_READ_CHUNK)
    return concat_chunks(list(pd.read_sql(query, streamed, chunksize=_READ_CHUNK)))


def concat_chunks(chunks: list[pd.DataFrame]) -> pd.DataFrame:
    """One frame of ``chunks`` (the same columns), each column typed as if built in one piece.

    A column all NULL in one chunk came out as objects there; it is inferred again over all its rows.
    """
    chunks = [chunk for chunk in chunks if not chunk.empty] or chunks[:1]
    if len(chunks) == 1:
        return chunks[0]
    frame = pd.concat(chunks, ignore_index=True)
    mixed = [name for name in frame.columns if len({chunk[name].dtype for chunk in chunks}) > 1]
    return frame.assign(**{name: frame[name].infer_objects() for name in mixed}) if mixed else frame


def copy_rows(conn: Connection, table: Table, frame: pd.DataFrame) -> int:
    """Append ``frame`` to ``table`` with one COPY ... FROM STDIN (CSV written by Arrow).

    Every non-null value is quoted and nulls are bare empty fields, which is exactly how
    PostgreSQL's CSV format tells NULL from an empty string.
    """
    if frame.empty:
        return 0
    arrow = pa.Table.from_pandas(_coerce(frame, table, json_as_text=True), preserve_index=False)
    sink = pa.BufferOutputStream()
    pa_csv.write_csv(arrow, sink, pa_csv.WriteOptions(include_header=False, quoting_style="all_valid"))
    columns = ", ".join(conn.dialect.identifier_preparer.quote(name) for name in arrow.column_names)
    target = conn.dialect.identifier_preparer.format_table(table)
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY {target} ({columns}) FROM STDIN (FORMAT csv)") as copy:
            copy.write(memoryview(sink.getvalue()))
    return len(frame)


def _coerce(frame: pd.DataFrame, table: Table, *, json_as_text: bool) -> pd.DataFrame:
    """Order columns as in the table and give each the dtype the driver (or COPY) needs."""
    unknown = [name for name in frame.columns if name not in table.c]
    if unknown:
        raise WindowWriteError(f"{table.name} has no column(s) {', '.join(map(str, unknown))}")
    out = {}
    for column in table.columns:
        if column.name not in frame.columns:
            continue
        values = frame[column.name]
        if isinstance(column.type, Integer):
            values = pd.to_numeric(values).astype("Int64")
        elif isinstance(column.type, Boolean):
            values = values.astype("boolean")
        elif isinstance(column.type, JSONB) and json_as_text:
            values = values.map(lambda v: None if _missing(v) else json.dumps(v, sort_keys=True))
        elif isinstance(column.type, Date) and pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.date
        elif isinstance(column.type, Text):
            values = values.astype("string")
        out[column.name] = values
    return pd.DataFrame(out, index=frame.index)


def _with_scope(frame: pd.DataFrame, window: Window) -> pd.DataFrame:
    missing = {name: value for name, value in window.scope.items() if name not in frame.columns}
    return frame.assign(**missing) if missing else frame


def _check_inside(frame: pd.DataFrame, window: Window) -> None:
    if frame.empty:
        return
    if window.column not in frame.columns:
        raise WindowWriteError(f"rows for {window.table.name} lack the partition column {window.column!r}")
    days = pd.to_datetime(frame[window.column]).dt.date
    outside = frame[(days < window.start) | (days >= window.end) | days.isna()]
    if not outside.empty:
        raise WindowWriteError(
            f"{len(outside)} row(s) for {window.table.name} have {window.column} outside the window "
            f"{window_label(window.start, window.end)}, e.g. {outside[window.column].iloc[0]!r}"
        )
    for name, value in window.scope.items():
        if (frame[name] != value).any():
            raise WindowWriteError(f"rows for {window.table.name} must all have {name} = {value!r}")


def lock_table(conn: Connection, table: Table) -> None:
    """Wait for, then hold until the transaction ends, the lock every writer of ``table`` takes."""
    conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(table.fullname))))


def _merge(column, table: Table, excluded):
    rule = column.info.get("merge")
    if rule == "least":
        return func.least(table.c[column.name], excluded[column.name])
    if rule == "greatest":
        return func.greatest(table.c[column.name], excluded[column.name])
    if rule == "latest":
        newer = excluded["last_seen"] >= table.c["last_seen"]
        return case((newer, excluded[column.name]), else_=table.c[column.name])
    return excluded[column.name]


def _collapse_duplicates(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """One row per key, combined by the merge rules, so ON CONFLICT never meets a key twice."""
    keys = [column.name for column in table.primary_key.columns]
    if not frame.duplicated(keys).any():
        return frame
    if "last_seen" in frame.columns:
        frame = frame.sort_values("last_seen", kind="stable")
    rules = {
        column.name: {"least": "min", "greatest": "max"}.get(column.info.get("merge"), "last")
        for column in table.columns
        if column.name in frame.columns and column.name not in keys
    }
    return frame.groupby(keys, as_index=False, sort=False, dropna=False).agg(rules)


def _missing(value) -> bool:
    return value is None or (not isinstance(value, (dict, list, str, bytes)) and pd.isna(value))
