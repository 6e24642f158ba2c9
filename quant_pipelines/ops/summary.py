"""What the warehouse holds for a range of filed dates, as plain-text tables for the terminal."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from quant_pipelines.db.schema import filings, politicians, tickers, trades, transactions
from quant_pipelines.partitions import DateRange


def window_summary(engine: Engine, window: DateRange) -> str:
    """Filings by source and status, row counts and a preview of the newest trades."""
    def in_window(table):
        return table.c.filed_date.between(window.start, window.end)

    with engine.connect() as conn:
        ledger = pd.read_sql(
            select(filings.c.source, filings.c.status, func.count().label("filings"))
            .where(in_window(filings))
            .group_by(filings.c.source, filings.c.status)
            .order_by(filings.c.source, filings.c.status),
            conn,
        )
        def count(table, where=True):
            return conn.scalar(select(func.count()).select_from(table).where(where))

        counts = {
            "parsed transaction lines": count(transactions, in_window(transactions)),
            "trades": count(trades, in_window(trades)),
            "politicians (all time)": count(politicians),
            "tickers (all time)": count(tickers),
        }
        preview = pd.read_sql(
            select(
                trades.c.filed_date,
                trades.c.chamber,
                trades.c.politician_id,
                trades.c.ticker,
                func.left(trades.c.asset_name, 32).label("asset"),
                trades.c.transaction_type,
                trades.c.amount_text,
            )
            .where(in_window(trades))
            .order_by(trades.c.filed_date.desc(), trades.c.filing_id, trades.c.row_number)
            .limit(10),
            conn,
        )
    lines = [f"Loaded for filed dates {window}:", ""]
    lines.append(ledger.to_markdown(index=False, tablefmt="simple") if not ledger.empty else "no filings in this range")
    lines.append("")
    lines += [f"{name:>26}: {value}" for name, value in counts.items()]
    if not preview.empty:
        lines += ["", "Newest trades:", preview.fillna("").to_markdown(index=False, tablefmt="simple")]
    return "\n".join(lines)
