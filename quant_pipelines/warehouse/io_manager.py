"""The Postgres IO manager that writes partition windows.

The IO manager writes each partitioned asset's rows for the run's whole time window (one
day, or a range in a single-run backfill) in ONE transaction: rows new to the window are
inserted, changed rows updated, vanished rows deleted, identical rows left alone
(``db/differences.py``); rows for other tables the asset returned alongside are upserted.
Re-running a partition or range therefore gives the same table, and a failure leaves it
untouched. The transaction names its run and window for the trades change feed.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import dagster as dg
import pandas as pd
import psycopg
from sqlalchemy import Executable
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

from quant_pipelines.db import differences, ledger_guard, windows
from quant_pipelines.partitions import window_days, window_label
from quant_pipelines.warehouse.resource import WarehouseResource


@dataclass(frozen=True)
class WindowOutput:
    """An asset's rows for its window, plus what must change with them in the same transaction.

    ``upserts`` are rows for other tables (merged by primary key); ``followups`` are
    statements run last, e.g. re-deriving a flag that depends on rows of other windows.
    """

    rows: pd.DataFrame
    upserts: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    followups: tuple[Executable, ...] = ()


class PostgresWindowIOManager(dg.ConfigurableIOManager):
    """Stores DataFrames in ``quant.<asset name>`` (or metadata ``table``).

    Partitioned assets with metadata ``partition_expr`` (a date column) replace their
    time window, narrowed by metadata ``window_scope`` (column -> value) when several
    assets share a table. Assets without ``partition_expr`` upsert on the primary key.
    An input with metadata ``columns`` loads only those columns of the upstream window.
    """

    warehouse: WarehouseResource

    def handle_output(self, context: dg.OutputContext, obj: pd.DataFrame | WindowOutput | None) -> None:
        if obj is None:
            return
        output = obj if isinstance(obj, WindowOutput) else WindowOutput(obj)
        with _retry_only_transient(f"writing {context.asset_key.to_user_string()}"):
            target = _target(context, context.definition_metadata)
            window = target if isinstance(target, windows.Window) else None
            with self.warehouse.engine.begin() as conn:
                differences.label_transaction(conn, context.run_id, window)
                if window is not None:
                    # Write only what differs, so backfills and re-runs are idempotent and cheap.
                    changes = ledger_guard.write_window(conn, window, output.rows)
                    written = changes.inserted + changes.updated
                else:
                    written = windows.upsert(conn, target, output.rows)
                upserted = {
                    name: ledger_guard.upsert(conn, windows.table_named(name), frame)
                    for name, frame in output.upserts.items()
                }
                followed = sum(max(conn.execute(statement).rowcount, 0) for statement in output.followups)
        table = window.table if window is not None else target
        metadata = {"table": table.fullname, "rows_written": written}
        if window is not None:
            metadata["window"] = window_label(window.start, window.end)
            metadata.update(changes.as_metadata())
            metadata["changes"] = changes.summary(table.name)
        if output.followups:
            metadata["rows_changed_by_followups"] = followed
        metadata.update({f"rows_upserted_{name}": count for name, count in upserted.items()})
        context.add_output_metadata(metadata)

    def load_input(self, context: dg.InputContext) -> pd.DataFrame:
        upstream = context.upstream_output
        if upstream is None:
            raise dg.Failure(f"{context.name}: no upstream asset to load")
        with _retry_only_transient(f"reading {context.upstream_output.asset_key.to_user_string()}"):
            target = _target(context, upstream.definition_metadata)
            columns = (context.definition_metadata or {}).get("columns") or ()
            with self.warehouse.engine.connect() as conn:
                if isinstance(target, windows.Window):
                    return windows.read_window(conn, target, columns)
                return pd.read_sql(target.select(), conn)


@contextmanager
def _retry_only_transient(doing: str) -> Iterator[None]:
    """Let a lost connection (server restart, failover, network) reach the step's retry policy;
    turn an error a retry cannot fix (a constraint, bad rows, bad SQL) into a final failure."""
    try:
        yield
    except (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError):
        raise
    # COPY runs on the driver's own cursor, so its errors arrive unwrapped by SQLAlchemy.
    except (SQLAlchemyError, psycopg.Error, windows.WindowWriteError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise dg.Failure(description=f"{doing}: {reason}", allow_retries=False) from exc


def _target(
    context: dg.OutputContext | dg.InputContext, metadata: Mapping[str, object]
) -> windows.Window | windows.Table:
    asset_key = context.asset_key
    table = windows.table_named(str(metadata.get("table") or asset_key.path[-1]))
    column = metadata.get("partition_expr")
    if column is None:
        return table
    if not context.has_asset_partitions:
        raise dg.Failure(f"{asset_key.to_user_string()} declares partition_expr but is not partitioned")
    start, end = window_days(context.asset_partitions_time_window)
    return windows.Window(
        table=table, column=str(column), start=start, end=end, scope=dict(metadata.get("window_scope") or {})
    )
