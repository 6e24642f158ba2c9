"""Warehouse tables (schema ``quant``): the PTR tables in ``core``, members and issuers in ``reference``.

Importing this package registers every table on the one ``metadata`` that Alembic mirrors.
"""

from quant_pipelines.db.schema.core import (
    CHANGES,
    FILING_STATUSES,
    FILING_TYPES,
    ROW_STATUSES,
    SCHEMA,
    SOURCES,
    filings,
    metadata,
    politicians,
    raw_documents,
    run_failures,
    tickers,
    trade_changes,
    trades,
    transactions,
)
from quant_pipelines.db.schema.reference import (
    MATCH_STATUSES,
    member_terms,
    members,
    politician_members,
    trade_issuers,
)

__all__ = [
    "CHANGES",
    "FILING_STATUSES",
    "FILING_TYPES",
    "MATCH_STATUSES",
    "ROW_STATUSES",
    "SCHEMA",
    "SOURCES",
    "filings",
    "member_terms",
    "members",
    "metadata",
    "politician_members",
    "politicians",
    "raw_documents",
    "run_failures",
    "tickers",
    "trade_changes",
    "trade_issuers",
    "trades",
    "transactions",
]
