"""trades.superseded, derived in SQL from the ledger after every trades write."""

from sqlalchemy import Text, cast, func, select, update

from quant_pipelines.db.schema import filings, trades

# The authority on trades.superseded, run after every trades write: a trade is superseded when
# its whole filing is (an amendment restated it) or when an amendment lists the row among those
# it replaces (House amendments usually restate only the corrected rows: ledger detail
# "replaces_rows" = ["house:<DocID>#<row>", ...]). Amendments may be filed in later windows, so
# the statement covers the whole table; rows already right are not touched.
_REPLACED = (
    select(func.jsonb_array_elements_text(filings.c.detail["replaces_rows"]).label("row_key"))
    .where(filings.c.detail.has_key("replaces_rows"))
    .subquery()
)
_DESIRED = (
    select(
        trades.c.filing_id,
        trades.c.row_number,
        ((filings.c.status == "superseded") | _REPLACED.c.row_key.is_not(None)).label("superseded"),
    )
    .join(filings, filings.c.filing_id == trades.c.filing_id)
    .outerjoin(
        _REPLACED,
        _REPLACED.c.row_key == trades.c.filing_id + "#" + cast(trades.c.row_number, Text),
    )
    .subquery()
)
SYNC_SUPERSEDED = (
    update(trades)
    .where(trades.c.filing_id == _DESIRED.c.filing_id, trades.c.row_number == _DESIRED.c.row_number)
    .where(trades.c.superseded.is_distinct_from(_DESIRED.c.superseded))
    .values(superseded=_DESIRED.c.superseded)
)
