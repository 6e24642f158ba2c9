"""House Clerk assets: ``house_filings`` (index + archived PDFs) and ``house_transactions`` (parsed lines)."""

from collections import Counter
from datetime import UTC, datetime

import dagster as dg
import pandas as pd

from quant_pipelines.assets.common import DAILY, database_step, run_window, site_step, window_of
from quant_pipelines.house.fetch import ListingUnavailable, collect
from quant_pipelines.net_errors import network_problem
from quant_pipelines.progress import Progress
from quant_pipelines.house.parse import parse_window
from quant_pipelines.ledger import ledger_frame, transactions_frame
from quant_pipelines.resources.house_clerk import HouseClerkResource
from quant_pipelines.resources.warehouse import WarehouseResource, WindowOutput

HOUSE = {**DAILY, "group_name": "house", "kinds": {"python", "postgres"}}


@dg.asset(metadata=window_of("filings", "house"), **HOUSE, **site_step("house_site"))
def house_filings(
    context: dg.AssetExecutionContext, house_clerk: HouseClerkResource, warehouse: WarehouseResource
) -> dg.Output[pd.DataFrame]:
    """House PTRs filed in the window, from the Clerk's yearly FD index, each PDF archived by sha256."""
    start, end = run_window(context)
    house_clerk.client.log = context.log  # retries are announced in the run's log
    progress = Progress(context.log)
    try:
        collected = collect(house_clerk.client, warehouse.engine, house_clerk.base_url, start, end, progress)
    except ListingUnavailable as exc:
        problem = network_problem(str(exc))
        kind = f" (could not reach the site: {problem})" if problem else ""
        raise dg.Failure(description=f"House Clerk listing unavailable{kind}, nothing recorded: {exc}") from exc
    frame = ledger_frame(collected.rows)
    metadata = collected.metadata(house_clerk.client.stats.as_dict())
    metadata["preview"] = dg.MetadataValue.md(
        _preview(frame, ["source_id", "filer_name", "filed_date", "status", "report_url"])
    )
    return dg.Output(frame, metadata=metadata)


@dg.asset(metadata=window_of("transactions", "house"), **HOUSE, **database_step())
def house_transactions(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, house_filings: pd.DataFrame
) -> dg.Output[WindowOutput]:
    """Transaction lines parsed from the window's archived House PTR PDFs; ledger and amendments settled."""
    parsed = parse_window(warehouse.engine, house_filings, parsed_at=datetime.now(UTC))
    lines, ledger = transactions_frame(parsed.transactions), ledger_frame(parsed.ledger)
    window_ids = set(house_filings["filing_id"])
    statuses = Counter(row["status"] for row in parsed.ledger if row["filing_id"] in window_ids)
    metadata = {
        "transactions": len(lines),
        **{f"filings_{status}": count for status, count in sorted(statuses.items())},
        "amendments_linked": int(ledger["amends"].notna().sum()),
        "ledger_rows_updated_outside_window": len(parsed.ledger) - len(window_ids),
        "preview": dg.MetadataValue.md(
            _preview(lines, ["filing_id", "row_number", "ticker", "transaction_type", "amount_text"])
        ),
    }
    return dg.Output(WindowOutput(rows=lines, upserts={"filings": ledger}), metadata=metadata)


def _preview(frame: pd.DataFrame, columns: list[str]) -> str:
    return frame[columns].head(10).to_markdown(index=False) if not frame.empty else "(no rows)"
