"""Senate eFD assets: the filings ledger with archived report pages, and the parsed lines."""

from datetime import UTC, datetime

import dagster as dg
import pandas as pd

from quant_pipelines.partitions import DAILY, run_window, window_label
from quant_pipelines.senate.fetch import collect_filings
from quant_pipelines.senate.parse import parse_window
from quant_pipelines.senate.resource import SenateEfdBrowser
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

SENATE = {**DAILY, "group_name": "senate"}


@dg.asset(metadata=window_of("filings", "senate"), kinds={"selenium", "postgres"}, **SENATE, **site_step("senate_site"))
def senate_filings(
    context: dg.AssetExecutionContext, senate_efd: SenateEfdBrowser, warehouse: WarehouseResource
) -> dg.Output[pd.DataFrame]:
    """Senate PTRs filed in the window: one ledger row each, every report page archived once."""
    start, end = run_window(context)
    with (
        site_failures("Senate eFD", start, end, context.log) as progress,
        senate_efd.session(context.log) as efd,
    ):
        collected = collect_filings(efd, warehouse.engine, start, end, progress)
    if collected.blocked:
        context.log.warning("Senate eFD blocked part of %s: %s", window_label(start, end), collected.blocked)
    frame = ledger_frame(collected.rows)
    extra = {
        "listing_requests": collected.listing_pages,
        "blocked": collected.blocked or "",
        "listing_rows_skipped": dg.MetadataValue.json(collected.skipped),
    }
    metadata = filings_metadata(
        frame, fetched=collected.fetched, reused=collected.reused, seconds=collected.seconds, extra=extra
    )
    return dg.Output(frame, metadata=metadata)


@dg.asset(metadata=window_of("transactions", "senate"), kinds={"postgres"}, **SENATE, **database_step())
def senate_transactions(
    context: dg.AssetExecutionContext,
    config: ParseConfig,
    senate_filings: pd.DataFrame,
    warehouse: WarehouseResource,
) -> dg.Output[WindowOutput]:
    """Transaction lines parsed from the window's archived Senate pages; amendments linked."""
    result = parse_window(warehouse.engine, senate_filings, datetime.now(UTC), reparse=config.reparse)
    metadata = transactions_metadata(
        result.transactions, result.statuses.elements(), result.ledger, result.outside_updates
    )
    metadata["filings_unchanged"] = result.unchanged
    return dg.Output(WindowOutput(rows=result.transactions, upserts={"filings": result.ledger}), metadata=metadata)
