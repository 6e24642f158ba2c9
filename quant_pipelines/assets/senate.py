"""Senate eFD assets: the filings ledger with archived report pages, and the parsed lines."""

from datetime import UTC, datetime

import dagster as dg
import pandas as pd
from selenium.common.exceptions import WebDriverException

from quant_pipelines import ledger
from quant_pipelines.assets.common import DAILY, database_step, run_window, site_step, window_of
from quant_pipelines.net_errors import network_problem
from quant_pipelines.partitions import window_label
from quant_pipelines.progress import Progress
from quant_pipelines.resources.browser import BrowserUnavailable, SenateEfdBrowser
from quant_pipelines.resources.politeness import SiteBlocked
from quant_pipelines.resources.warehouse import WarehouseResource, WindowOutput
from quant_pipelines.senate.fetch import Collected, collect_filings
from quant_pipelines.senate.parse import WindowResult, parse_window
from quant_pipelines.sources.records import ParseError

SENATE = {**DAILY, "group_name": "senate"}


@dg.asset(metadata=window_of("filings", "senate"), kinds={"selenium", "postgres"}, **SENATE, **site_step("senate_site"))
def senate_filings(
    context: dg.AssetExecutionContext, senate_efd: SenateEfdBrowser, warehouse: WarehouseResource
) -> pd.DataFrame:
    """Senate PTRs filed in the window: one ledger row each, every report page archived once."""
    start, end = run_window(context)
    window = window_label(start, end)
    try:
        with senate_efd.session(context.log) as efd:
            collected = collect_filings(efd, warehouse.engine, start, end, Progress(context.log))
    except SiteBlocked as exc:
        problem = network_problem(str(exc))
        if problem:
            raise dg.Failure(
                f"Senate eFD could not be reached for the listing of {window} ({problem}), nothing recorded: {exc}"
            ) from None
        raise dg.Failure(f"Senate eFD refused the listing of {window}, nothing recorded: {exc}") from None
    except ParseError as exc:
        raise dg.Failure(
            f"Senate eFD listing of {window} is unreadable, nothing recorded: {exc}"
        ) from None
    except BrowserUnavailable as exc:
        raise dg.Failure(str(exc), allow_retries=False) from None
    except WebDriverException as exc:
        raise dg.Failure(f"Chromium failed: {(exc.msg or str(exc)).splitlines()[0]}") from None
    if collected.blocked:
        context.log.warning("Senate eFD blocked part of %s: %s", window, collected.blocked)
    context.add_output_metadata(filings_metadata(collected))
    return ledger.ledger_frame(collected.rows)


@dg.asset(metadata=window_of("transactions", "senate"), kinds={"postgres"}, **SENATE, **database_step())
def senate_transactions(
    context: dg.AssetExecutionContext, senate_filings: pd.DataFrame, warehouse: WarehouseResource
) -> WindowOutput:
    """Transaction lines parsed from the window's archived Senate pages; amendments linked."""
    result = parse_window(warehouse.engine, senate_filings, datetime.now(UTC))
    context.add_output_metadata(transactions_metadata(result))
    return WindowOutput(rows=result.transactions, upserts={"filings": result.ledger})


def filings_metadata(collected: Collected) -> dict[str, object]:
    """What the UI shows for a senate_filings materialization."""
    frame = ledger.ledger_frame(collected.rows)
    preview = frame[["source_id", "filer_name", "filed_date", "status", "report_url"]].head(10)
    return {
        "filings": len(collected.rows),
        **{f"status_{status}": count for status, count in sorted(collected.statuses.items())},
        "listing_requests": collected.listing_pages,
        "documents_fetched": collected.fetched,
        "documents_already_archived": collected.reused,
        "seconds": round(collected.seconds, 2),
        "pages_per_second": round(collected.fetched / collected.seconds, 2) if collected.seconds else 0.0,
        "blocked": collected.blocked or "",
        "listing_rows_skipped": dg.MetadataValue.json(collected.skipped),
        "preview": dg.MetadataValue.md(preview.to_markdown(index=False)),
    }


def transactions_metadata(result: WindowResult) -> dict[str, object]:
    """What the UI shows for a senate_transactions materialization."""
    return {
        "transactions": len(result.transactions),
        **{f"status_{status}": count for status, count in sorted(result.statuses.items())},
        "earlier_filings_updated": result.outside_updates,
        "amendments_linked": int(result.ledger["amends"].notna().sum()),
    }


senate_assets = [senate_filings, senate_transactions]
