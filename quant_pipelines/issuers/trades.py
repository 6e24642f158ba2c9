"""The warehouse side of issuer resolution: every trade filed without a ticker resolved against the
archived SEC list fetched nearest its transaction date, written to ``trade_issuers``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, select

from quant_pipelines.db import raw_documents as archive
from quant_pipelines.db.schema import raw_documents, trade_issuers, trades
from quant_pipelines.db.windows import copy_rows
from quant_pipelines.issuers.documents.sec_tickers import TickerListUnreadable, read_company_tickers
from quant_pipelines.issuers.resolve import IssuerIndex


@dataclass(frozen=True)
class ArchivedList:
    """One archived SEC list, indexed, with the day it was fetched."""

    sha256: str
    fetched_on: date
    index: IssuerIndex


def archive_list(engine: Engine, content: bytes, url: str, media_type: str, fetched_at: datetime) -> str:
    """Check the fetched list reads (TickerListUnreadable otherwise), archive it, return its sha256."""
    read_company_tickers(content)
    with engine.begin() as conn:
        return archive.store(conn, content, media_type=media_type or "application/json", source_url=url,
                             fetched_at=fetched_at)


def archived_lists(conn: Connection, url: str) -> list[ArchivedList]:
    """Every readable list archived from ``url``, oldest first (one per content)."""
    rows = conn.execute(
        select(raw_documents.c.sha256, raw_documents.c.fetched_at, raw_documents.c.content)
        .where(raw_documents.c.source_url == url)
        .order_by(raw_documents.c.fetched_at)
    )
    lists = []
    for sha256, fetched_at, content in rows:
        try:
            companies = read_company_tickers(bytes(content))
        except TickerListUnreadable:
            continue
        lists.append(ArchivedList(sha256, fetched_at.date(), IssuerIndex(companies, sha256)))
    return lists


def resolve_trades(conn: Connection, lists: list[ArchivedList], resolved_at: datetime) -> Counter[str]:
    """Replace ``trade_issuers`` with a resolution of every ticker-less trade; count the methods."""
    rows = conn.execute(
        select(trades.c.filing_id, trades.c.row_number, trades.c.asset_name, trades.c.asset_type,
               trades.c.transaction_date, trades.c.filed_date).where(trades.c.ticker.is_(None))
    ).all()
    out, methods = [], Counter()
    for row in rows:
        day = row.transaction_date or row.filed_date
        chosen = min(lists, key=lambda item: abs((item.fetched_on - day).days))
        resolution = chosen.index.resolve(row.asset_name, row.asset_type)
        methods[resolution.method] += 1
        out.append({
            "filing_id": row.filing_id, "row_number": row.row_number,
            "resolution_method": resolution.method, "resolution_confidence": resolution.confidence,
            "resolved_ticker": resolution.resolved_ticker, "cik": resolution.cik,
            "list_sha256": chosen.sha256, "resolved_at": resolved_at,
        })
    conn.execute(trade_issuers.delete())
    copy_rows(conn, trade_issuers, pd.DataFrame(out, columns=[column.name for column in trade_issuers.c]))
    return methods
