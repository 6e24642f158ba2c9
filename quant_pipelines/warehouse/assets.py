"""trades, politicians and tickers: both chambers' parsed lines in one vocabulary."""

import dagster as dg
import pandas as pd
from sqlalchemy import Text, cast, func, select, update

from quant_pipelines.warehouse import checks
from quant_pipelines.steps import DAILY, database_step, run_window
from quant_pipelines.db.schema import filings, trades, transactions
from quant_pipelines.db.windows import Window
from quant_pipelines.warehouse.enrich import LEDGER_COLUMNS, build_trades, politician_rows, ticker_rows
from quant_pipelines.warehouse.io_manager import WarehouseResource, WindowOutput
from quant_pipelines.settings import load_settings

# What building trades and politicians reads of the windows (not the raw cells, the JSON details
# or the ledger's reasons): a window of years then loads a fraction of the bytes.
LINE_COLUMNS = ("source", *(column.name for column in trades.columns if column.name in transactions.c))
UPSTREAM = {
    "senate_filings": LEDGER_COLUMNS,
    "house_filings": LEDGER_COLUMNS,
    "senate_transactions": LINE_COLUMNS,
    "house_transactions": LINE_COLUMNS,
}

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


@dg.multi_asset(
    outs={
        "trades": dg.AssetOut(
            description="One row per disclosed transaction, both chambers, one vocabulary, with provenance.",
            metadata={"partition_expr": "filed_date"},
        ),
        "politicians": dg.AssetOut(description="Members the trades reference (upserted)."),
        "tickers": dg.AssetOut(description="Symbols the trades reference, with the asset name last seen (upserted)."),
    },
    ins={name: dg.AssetIn(name, metadata={"columns": list(columns)}) for name, columns in UPSTREAM.items()},
    check_specs=checks.trade_check_specs(),
    group_name="warehouse",
    **DAILY,
    **database_step(),
)
def warehouse_tables(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    senate_filings: pd.DataFrame,
    house_filings: pd.DataFrame,
    senate_transactions: pd.DataFrame,
    house_transactions: pd.DataFrame,
):
    """Builds the window's trades and upserts the politicians and tickers they reference."""
    ledger = _concat(senate_filings, house_filings)
    built = build_trades(_concat(senate_transactions, house_transactions), ledger)
    # Dimensions first, so every trade written finds its politician.
    yield dg.Output(politician_rows(built, ledger), "politicians")
    yield dg.Output(ticker_rows(built), "tickers")
    yield dg.Output(
        WindowOutput(rows=built, followups=(SYNC_SUPERSEDED,)), "trades", metadata=_trade_metadata(built, ledger)
    )
    settings = load_settings()
    window = Window(trades, "filed_date", *run_window(context))
    with warehouse.engine.connect() as conn:
        yield from checks.evaluate(
            conn, window, warn_share=settings.unreadable_warn_share, error_share=settings.unreadable_error_share
        )


def _concat(*frames: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([frame for frame in frames if not frame.empty] or [frames[0]], ignore_index=True)


def _trade_metadata(built: pd.DataFrame, ledger: pd.DataFrame) -> dict:
    by_status = ledger.groupby(["source", "status"]).size() if not ledger.empty else pd.Series(dtype=int)
    known = built["late"].dropna()
    columns = ["filed_date", "chamber", "politician_id", "ticker", "transaction_type", "amount_text", "late"]
    preview = built.head(10)[columns]
    return {
        "trades": len(built),
        "trades_by_chamber": dg.MetadataValue.json(built.groupby("chamber").size().to_dict()),
        "filings_by_status": dg.MetadataValue.json({f"{s}/{t}": int(n) for (s, t), n in by_status.items()}),
        "late_share": round(float(known.mean()), 4) if len(known) else 0.0,
        "superseded_trades": int(built["superseded"].sum()),
        "preview": dg.MetadataValue.md(preview.to_markdown(index=False) if len(preview) else "no trades"),
    }
