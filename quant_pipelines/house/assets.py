"""House Clerk assets: ``house_filings`` (index + archived PDFs) and ``house_transactions`` (parsed lines)."""

from datetime import UTC, datetime

import dagster as dg
import pandas as pd

from quant_pipelines.house.fetch import collect
from quant_pipelines.house.parse import parse_window
from quant_pipelines.house.scanned import read_by_ocr
from quant_pipelines.house.resource import HouseClerkResource
from quant_pipelines.partitions import DAILY, run_window
from quant_pipelines.steps import (
    ParseConfig,
    database_step,
    filings_metadata,
    site_failures,
    site_step,
    transactions_metadata,
    window_of,
)
from quant_pipelines.warehouse.io_manager import WindowOutput
from quant_pipelines.warehouse.ledger import ledger_frame
from quant_pipelines.warehouse.resource import WarehouseResource

HOUSE = {**DAILY, "group_name": "house", "kinds": {"python", "postgres"}}


@dg.asset(metadata=window_of("filings", "house"), **HOUSE, **site_step("house_site"))
def house_filings(
    context: dg.AssetExecutionContext, house_clerk: HouseClerkResource, warehouse: WarehouseResource
) -> dg.Output[pd.DataFrame]:
    """House PTRs filed in the window, from the Clerk's yearly FD index, each PDF archived by sha256."""
    start, end = run_window(context)
    with site_failures("House Clerk", start, end, context.log) as progress:
        collected = collect(house_clerk.client, warehouse.engine, start, end, progress)
    frame = ledger_frame(collected.rows)
    extra = collected.site_metadata(house_clerk.client.stats.as_dict())
    metadata = filings_metadata(
        frame, fetched=collected.fetched, reused=collected.reused, seconds=collected.seconds, extra=extra
    )
    return dg.Output(frame, metadata=metadata)


@dg.asset(metadata=window_of("transactions", "house"), **HOUSE, **database_step())
def house_transactions(
    context: dg.AssetExecutionContext,
    config: ParseConfig,
    warehouse: WarehouseResource,
    house_filings: pd.DataFrame,
) -> dg.Output[WindowOutput]:
    """Transaction lines parsed from the window's archived House PTR PDFs; ledger and amendments settled."""
    parsed = parse_window(warehouse.engine, house_filings, parsed_at=datetime.now(UTC), reparse=config.reparse)
    lines, ledger = parsed.transactions, ledger_frame(parsed.ledger)
    window_ids = set(house_filings["filing_id"])
    window = [row for row in parsed.ledger if row["filing_id"] in window_ids]
    metadata = transactions_metadata(lines, [row["status"] for row in window], ledger, len(parsed.ledger) - len(window_ids))
    metadata["filings_read_by_ocr"] = sum(read_by_ocr(row) for row in window)
    metadata["filings_needs_review"] = sum(row["status"] == "needs_review" for row in window)
    metadata["filings_unchanged"] = parsed.unchanged
    return dg.Output(WindowOutput(rows=lines, upserts={"filings": ledger}), metadata=metadata)
