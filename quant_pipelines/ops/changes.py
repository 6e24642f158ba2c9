"""``quant-pipelines changes``: trades new, changed or deleted since a time or a run, for bots and people.

Reads ``quant.trade_changes`` (the feed the triggers on ``trades`` write in each writer's
transaction) and folds it to one line per trade: ``new`` when the trade was first inserted
in the period, ``deleted`` when it no longer exists, ``changed`` otherwise (with every
column that changed), joined with the trade as it is now, its politician and filing URL.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from quant_pipelines.db.engine import warehouse_engine
from quant_pipelines.db.migrate import require_current
from quant_pipelines.db.schema import filings, politicians, trade_changes, trades
from quant_pipelines.ops.cli_help import add_command
from quant_pipelines.settings import load_settings

# The trade's own columns printed with each line, as the trade is now (empty once deleted).
TRADE_FIELDS = (
    "chamber", "ticker", "asset_name", "transaction_type", "transaction_date", "filed_date", "amount_min",
    "amount_max", "amount_text", "amount_kind", "amount_exact", "superseded",
)
FIELDS = (
    "change", "changed_columns", "changed_at", "run_id", "filing_id", "row_number", "politician",
    *TRADE_FIELDS, "filing_url",
)
_LOOKS_LIKE_A_TIME = re.compile(r"^\d{4}-")


class ChangesUsageError(ValueError):
    """--since names neither a valid timestamp nor a run the feed knows."""


def since_timestamp(value: str) -> datetime | None:
    """``value`` as an aware timestamp (dates are midnight UTC), or None when it is not one."""
    if not _LOOKS_LIKE_A_TIME.match(value):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ChangesUsageError(
            f"--since {value!r} is not a timestamp (YYYY-MM-DD[THH:MM[:SS]][+HH:MM]) nor a run id"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def changed_trades(conn: Connection, since: str) -> list[dict[str, Any]]:
    """One row per trade changed since ``since`` (a timestamp, or a run id: that run's changes on)."""
    moment = since_timestamp(since)
    if moment is not None:
        start = trade_changes.c.changed_at >= moment
    else:
        first = conn.scalar(select(func.min(trade_changes.c.change_id)).where(trade_changes.c.run_id == since))
        if first is None:
            raise ChangesUsageError(f"--since {since!r}: no run with that id changed any trade")
        start = trade_changes.c.change_id >= first
    order = trade_changes.c.change_id
    folded = (
        select(
            trade_changes.c.filing_id,
            trade_changes.c.row_number,
            func.array_agg(aggregate_order_by(trade_changes.c.change, order)).label("kinds"),
            func.max(trade_changes.c.changed_at).label("changed_at"),
            func.array_agg(aggregate_order_by(trade_changes.c.run_id, order.desc()))[1].label("run_id"),
            func.array_agg(literal_column("DISTINCT c")).label("columns"),
        )
        .select_from(trade_changes.outerjoin(func.unnest(trade_changes.c.columns).alias("c"), literal_column("true")))
        .where(start)
        .group_by(trade_changes.c.filing_id, trade_changes.c.row_number)
        .subquery()
    )
    key = and_(trades.c.filing_id == folded.c.filing_id, trades.c.row_number == folded.c.row_number)
    query = (
        select(folded, trades, politicians.c.full_name, filings.c.report_url)
        .select_from(
            folded.outerjoin(trades, key)
            .outerjoin(filings, filings.c.filing_id == folded.c.filing_id)
            .outerjoin(
                politicians,
                politicians.c.politician_id == func.coalesce(trades.c.politician_id, filings.c.politician_id),
            )
        )
        .order_by(folded.c.changed_at, folded.c.filing_id, folded.c.row_number)
    )
    return [row for row in map(_line, conn.execute(query).mappings()) if row is not None]


def _line(row: Any) -> dict[str, Any] | None:
    kinds = row["kinds"]
    exists = row["chamber"] is not None
    if not exists and kinds[0] == "insert":
        return None  # inserted and deleted again within the period: nothing to tell
    change = "deleted" if not exists else "new" if kinds[0] == "insert" else "changed"
    columns = sorted(name for name in row["columns"] if name) if change == "changed" else []
    return {
        **{name: row[name] for name in TRADE_FIELDS},
        "change": change,
        "changed_columns": ";".join(columns),
        "changed_at": row["changed_at"],
        "run_id": row["run_id"],
        "filing_id": row["filing_id"],
        "row_number": row["row_number"],
        "politician": row["full_name"],
        "filing_url": row["report_url"],
    }


def render(lines: Sequence[dict[str, Any]], fmt: str) -> str:
    """The lines as CSV (header first) or as a JSON array, values as text the way ISO puts them."""
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, (date, datetime)) else value

    ordered = [{name: plain(line.get(name)) for name in FIELDS} for line in lines]
    if fmt == "json":
        return json.dumps(ordered, indent=2, default=str)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(ordered)
    return out.getvalue().rstrip("\n")


def changes_command(args: argparse.Namespace) -> int:
    """Print the trades new, changed or deleted since --since, as CSV or JSON."""
    since_timestamp(args.since)  # a malformed timestamp is refused before connecting
    engine: Engine = warehouse_engine(load_settings())
    try:
        require_current(engine)
        with engine.connect() as conn:
            lines = changed_trades(conn, args.since)
    finally:
        engine.dispose()
    print(render(lines, args.format))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``changes`` subcommand."""
    feed = add_command(
        commands, "changes", "print the trades new, changed or deleted since a time or a run",
        "quant-pipelines changes --since 2026-06-01 --format json",
    )
    feed.add_argument(
        "--since", required=True, help="a timestamp (YYYY-MM-DD[THH:MM[:SS]], UTC unless an offset is given) "
        "or a run id (that run's changes and every later one)",
    )
    feed.add_argument("--format", choices=("csv", "json"), default="csv", help="output format (default: csv)")
    feed.set_defaults(handler=changes_command)

