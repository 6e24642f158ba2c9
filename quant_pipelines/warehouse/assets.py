"""trades, politicians and tickers: both chambers' parsed lines in one vocabulary."""

import dagster as dg
import pandas as pd

from quant_pipelines.db.schema import trades, transactions
from quant_pipelines.db.windows import Window
from quant_pipelines.partitions import DAILY, PARTITION_COLUMN, run_window
from quant_pipelines.steps import database_step, preview
from quant_pipelines.warehouse import checks
from quant_pipelines.warehouse.enrich import LEDGER_COLUMNS, build_trades, politician_rows, ticker_rows
from quant_pipelines.warehouse.io_manager import WindowOutput
from quant_pipelines.warehouse.resource import WarehouseResource
from quant_pipelines.warehouse.supersession import SYNC_SUPERSEDED

# What building trades and politicians reads of the windows (not the raw cells, the JSON details
# or the ledger's reasons): a window of years then loads a fraction of the bytes.
LINE_COLUMNS = (
    "source", "row_status", "review_reason",
    *(column.name for column in trades.columns if column.name in transactions.c),
)
UPSTREAM = {
    "senate_filings": LEDGER_COLUMNS,
    "house_filings": LEDGER_COLUMNS,
    "senate_transactions": LINE_COLUMNS,
    "house_transactions": LINE_COLUMNS,
}


@dg.multi_asset(
    outs={
        "trades": dg.AssetOut(
            description="One row per disclosed transaction, both chambers, one vocabulary, with provenance.",
            metadata={"partition_expr": PARTITION_COLUMN},
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
    warn_share, error_share = warehouse.unreadable_shares
    window = Window(trades, PARTITION_COLUMN, *run_window(context))
    with warehouse.engine.connect() as conn:
        yield from checks.evaluate(conn, window, warn_share=warn_share, error_share=error_share)


def _concat(*frames: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([frame for frame in frames if not frame.empty] or [frames[0]], ignore_index=True)


def _trade_metadata(built: pd.DataFrame, ledger: pd.DataFrame) -> dict:
    by_status = ledger.groupby(["source", "status"]).size() if not ledger.empty else pd.Series(dtype=int)
    known = built["late"].dropna()
    columns = [PARTITION_COLUMN, "chamber", "politician_id", "ticker", "transaction_type", "amount_text", "late"]
    return {
        "trades": len(built),
        "trades_by_chamber": dg.MetadataValue.json(built.groupby("chamber").size().to_dict()),
        "filings_by_status": dg.MetadataValue.json({f"{s}/{t}": int(n) for (s, t), n in by_status.items()}),
        "late_share": round(float(known.mean()), 4) if len(known) else 0.0,
        "superseded_trades": int(built["superseded"].sum()),
        "preview": preview(built, columns),
    }
