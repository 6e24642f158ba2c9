"""Asset checks on the ``trades`` window, emitted by the asset right after it writes.

Each check is one SQL query over the window just written (and the ledger of the same
window), so a range backfill checks its whole range once instead of loading every
partition again.
"""

from __future__ import annotations

import dagster as dg
from sqlalchemy import Connection, exists, func, not_, select

from quant_pipelines.db.schema import filings, politicians, trades, transactions
from quant_pipelines.db.windows import Window

TRADE_KEYS_UNIQUE = "trade_keys_unique"
AMOUNT_MIN_NOT_ABOVE_MAX = "amount_min_not_above_max"
TRANSACTION_NOT_AFTER_FILING = "transaction_not_after_filing"
TRADES_HAVE_POLITICIANS = "trades_have_politicians"
UNREADABLE_FILINGS_SHARE = "unreadable_filings_share"

# A partially parsed filing, or a scan with rows held for review, counts: some of its rows are not trades.
UNREADABLE_STATUSES = ("parse_failed", "blocked", "needs_ocr", "partially_parsed", "needs_review")
# A transaction counted twice: same politician, day, asset, side, owner and band in two current filings.
TRADE_KEY = ("politician_id", "transaction_date", "ticker", "asset_name", "transaction_type", "owner", "amount_min")

_DESCRIPTIONS = {
    TRADE_KEYS_UNIQUE: "No transaction appears in two current (not superseded) filings; a repeat usually "
    "means an amendment that could not be linked to its original.",
    AMOUNT_MIN_NOT_ABOVE_MAX: "Every amount band has amount_min <= amount_max.",
    TRANSACTION_NOT_AFTER_FILING: "No transaction is dated after the day its report was filed.",
    TRADES_HAVE_POLITICIANS: "Every trade's politician_id exists in politicians.",
    UNREADABLE_FILINGS_SHARE: "Share of filings that could not be read in full (parse_failed, blocked, needs_ocr, "
    "partially_parsed, needs_review) "
    "stays under QUANT_UNREADABLE_WARN_SHARE (warn) and QUANT_UNREADABLE_ERROR_SHARE (error).",
}


def trade_check_specs() -> list[dg.AssetCheckSpec]:
    """The specs the ``trades`` asset declares, so the UI lists the checks before the first run."""
    return [dg.AssetCheckSpec(name, asset="trades", description=text) for name, text in _DESCRIPTIONS.items()]


def evaluate(conn: Connection, window: Window, *, warn_share: float, error_share: float) -> list[dg.AssetCheckResult]:
    """Run every check on the trades window (and its ledger) as it is now in the database."""
    in_window = window.where()
    return [
        _examples_check(conn, TRADE_KEYS_UNIQUE, _repeated_keys(in_window), dg.AssetCheckSeverity.WARN),
        _examples_check(
            conn, AMOUNT_MIN_NOT_ABOVE_MAX,
            _trade_ids().where(in_window, trades.c.amount_min > trades.c.amount_max),
        ),
        _examples_check(
            conn, TRANSACTION_NOT_AFTER_FILING,
            _trade_ids().where(in_window, trades.c.transaction_date > trades.c.filed_date),
            dg.AssetCheckSeverity.WARN,
        ),
        _examples_check(
            conn, TRADES_HAVE_POLITICIANS,
            _trade_ids().where(
                in_window,
                not_(exists().where(politicians.c.politician_id == trades.c.politician_id)),
            ),
        ),
        _unreadable_share(conn, window, warn_share, error_share),
    ]


def _trade_ids():
    return select(trades.c.filing_id, trades.c.row_number).order_by(trades.c.filing_id, trades.c.row_number)


def _repeated_keys(in_window):
    # Window functions treat NULL tickers/dates as equal, unlike IN over tuples.
    key = [trades.c[name] for name in TRADE_KEY]
    keyed = (
        select(
            trades.c.filing_id,
            trades.c.row_number,
            (
                func.min(trades.c.filing_id).over(partition_by=key)
                != func.max(trades.c.filing_id).over(partition_by=key)
            ).label("repeated"),
        )
        .where(in_window, trades.c.superseded.is_(False))
        .subquery()
    )
    return (
        select(keyed.c.filing_id, keyed.c.row_number)
        .where(keyed.c.repeated)
        .order_by(keyed.c.filing_id, keyed.c.row_number)
    )


def _examples_check(
    conn: Connection,
    name: str,
    offenders,
    severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR,
) -> dg.AssetCheckResult:
    rows = conn.execute(offenders).all()
    examples = ", ".join(f"{filing_id}#{row}" for filing_id, row in rows[:10])
    return dg.AssetCheckResult(
        check_name=name,
        asset_key="trades",
        passed=not rows,
        severity=severity,
        metadata={"offending_trades": len(rows), "examples": examples or "none"},
    )


def _unreadable_share(conn: Connection, window: Window, warn: float, error: float) -> dg.AssetCheckResult:
    ledger_window = Window(filings, window.column, window.start, window.end)
    counts = dict(
        conn.execute(
            select(filings.c.status, func.count()).where(ledger_window.where()).group_by(filings.c.status)
        ).all()
    )
    rows_window = Window(transactions, window.column, window.start, window.end)
    unreadable_rows = conn.execute(
        select(func.count()).where(rows_window.where(), transactions.c.row_status == "unreadable")
    ).scalar_one()
    total = sum(counts.values())
    unreadable = sum(counts.get(status, 0) for status in UNREADABLE_STATUSES)
    share = unreadable / total if total else 0.0
    severity = dg.AssetCheckSeverity.ERROR if share > error else dg.AssetCheckSeverity.WARN
    return dg.AssetCheckResult(
        check_name=UNREADABLE_FILINGS_SHARE,
        asset_key="trades",
        passed=share <= warn,
        severity=severity,
        metadata={
            "filings": total,
            "unreadable": unreadable,
            "share": round(share, 4),
            "unreadable_rows": unreadable_rows,
            "warn_above": warn,
            "error_above": error,
            **{f"status_{status}": count for status, count in sorted(counts.items())},
        },
    )
