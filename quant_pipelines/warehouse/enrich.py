"""Parsed transaction lines + their ledger rows -> trades, politicians and tickers (pure pandas).

STOCK Act timing: a transaction must be reported within 30 days of the filer's
notification of it and in no case later than 45 days after the transaction. The Senate
prints no notification date, so only the 45-day bound applies there.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from quant_pipelines.db.schema import politicians, tickers, trades
from quant_pipelines.vocabulary.normalize import name_key
from quant_pipelines.vocabulary.normalize import ticker as clean_ticker
from quant_pipelines.warehouse.ledger import frame

NOTIFICATION_LIMIT = timedelta(days=30)
TRANSACTION_LIMIT = timedelta(days=45)
_LEDGER_COLUMNS = ["filing_id", "politician_id", "status"]
# Every ledger column the functions below read (the warehouse step loads only these).
LEDGER_COLUMNS = (
    "filing_id", "source", "politician_id", "status", "filed_date",
    "filer_name", "first_name", "last_name", "suffix", "state", "district",
)


def build_trades(lines: pd.DataFrame, ledger: pd.DataFrame) -> pd.DataFrame:
    """One trade per read line, with politician, timing, lateness and supersession.

    Unreadable rows and OCR rows held back for review (``review_reason`` set) stay in
    ``transactions`` only, never a trade.
    """
    lines = lines[lines["row_status"].ne("unreadable") & lines["review_reason"].isna()]
    if lines.empty:
        return frame([], trades)
    joined = lines.merge(ledger[_LEDGER_COLUMNS], on="filing_id", how="left", validate="many_to_one")
    orphans = joined["politician_id"].isna()
    if orphans.any():
        missing = ", ".join(sorted(joined.loc[orphans, "filing_id"].unique())[:5])
        raise ValueError(f"{int(orphans.sum())} parsed line(s) have no ledger row: {missing}")
    filed = pd.to_datetime(joined["filed_date"])
    traded = pd.to_datetime(joined["transaction_date"])
    notified = pd.to_datetime(joined["notification_date"])
    days = (filed - traded).dt.days
    late = (filed > traded + TRANSACTION_LIMIT) | (filed > notified + NOTIFICATION_LIMIT)
    out = joined.assign(
        chamber=joined["source"],
        ticker=joined["ticker"].map(clean_ticker),
        days_to_disclose=days.astype("Int64"),
        # Unknown when the line has no transaction date to measure from.
        late=late.astype("boolean").where(traded.notna(), pd.NA),
        superseded=joined["status"].eq("superseded"),
    )
    columns = [column.name for column in trades.columns]
    return out[columns].sort_values(["filing_id", "row_number"], ignore_index=True)


def politician_rows(trades_frame: pd.DataFrame, ledger: pd.DataFrame) -> pd.DataFrame:
    """One row per politician the trades reference, seen between their first and last filed dates."""
    if trades_frame.empty:
        return frame([], politicians)
    referenced = ledger[ledger["politician_id"].isin(trades_frame["politician_id"])]
    seen = referenced.groupby("politician_id")["filed_date"].agg(first_seen="min", last_seen="max")
    # Names, state and district as on the newest filing (whole rows, never mixed).
    latest = referenced.sort_values(["filed_date", "filing_id"]).drop_duplicates("politician_id", keep="last")
    rows = latest.set_index("politician_id").join(seen).reset_index()
    rows["chamber"] = rows["source"]
    rows["name_key"] = [name_key(first, last) for first, last in zip(rows["first_name"], rows["last_name"])]
    rows["full_name"] = rows["filer_name"]
    # bioguide_id is left out: the member matching (members/matching.py) owns it, and an upsert
    # leaves a column it is not given as it was.
    columns = [column.name for column in politicians.columns if column.name != "bioguide_id"]
    return rows[columns].sort_values("politician_id", ignore_index=True)


def ticker_rows(trades_frame: pd.DataFrame) -> pd.DataFrame:
    """One row per symbol, with the newest trade's asset name and (newest known) asset type."""
    with_symbol = trades_frame[trades_frame["ticker"].notna()]
    if with_symbol.empty:
        return frame([], tickers)
    ordered = with_symbol.sort_values(["filed_date", "filing_id", "row_number"])
    grouped = ordered.groupby("ticker")
    rows = pd.DataFrame(
        {
            "asset_name": grouped["asset_name"].last(),
            "asset_type": grouped["asset_type"].last(),
            "first_seen": grouped["filed_date"].min(),
            "last_seen": grouped["filed_date"].max(),
        }
    ).rename_axis("symbol")
    return rows.reset_index()[[column.name for column in tickers.columns]]
