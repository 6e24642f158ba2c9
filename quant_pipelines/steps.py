"""What every partitioned step shares: retry policies and pools, where its rows go, how a site's
errors become Dagster failures (here and nowhere else), and one style of materialization metadata.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

import dagster as dg
import pandas as pd
from pydantic import Field
from selenium.common.exceptions import WebDriverException

from quant_pipelines.partitions import PARTITION_COLUMN, window_label
from quant_pipelines.sites.chromium import BrowserUnavailable
from quant_pipelines.sites.http import FetchFailed
from quant_pipelines.sites.net_errors import network_problem
from quant_pipelines.sites.politeness import ListingUnavailable, SiteBlocked
from quant_pipelines.sites.progress import Progress
from quant_pipelines.vocabulary.records import ParseError

# Steps that call a site: 3 retries, 300 s doubling with jitter (the Celery tasks' 3 x 5 min),
# and one step per site at a time across all runs (dagster.yaml: pools default_limit 1).
SITE_RETRY = dg.RetryPolicy(max_retries=3, delay=300, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS)

# Steps that only read and write the warehouse: a database restart or failover takes seconds,
# so 3 retries after about 10, 30 and 70 s (+-10 s) ride it out. Errors a retry cannot fix (a
# constraint, bad rows) are raised by the IO manager as failures that skip this policy.
DATABASE_RETRY = dg.RetryPolicy(
    max_retries=3, delay=10, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)

PREVIEW_ROWS = 10
FILINGS_PREVIEW = ["source_id", "filer_name", "filed_date", "status", "report_url"]


class ParseConfig(dg.Config):
    """Run config of a transactions step."""

    reparse: bool = Field(
        default=False,
        description="parse every archived document again, also those whose document and parser version "
        "are unchanged (by default their stored lines are kept: the same parser gives the same lines)",
    )


def site_step(pool: str) -> dict:
    """Asset arguments for a step that talks to a site."""
    return {"pool": pool, "retry_policy": SITE_RETRY}


def database_step() -> dict:
    """Asset arguments for a step that touches only the warehouse."""
    return {"retry_policy": DATABASE_RETRY}


def window_of(table: str, source: str) -> dict:
    """IO manager metadata: this asset owns ``table``'s rows of ``source`` filed in the run's window."""
    return {"partition_expr": PARTITION_COLUMN, "table": table, "window_scope": {"source": source}}


@contextmanager
def site_failures(
    site: str, start: date, end: date, log: logging.Logger | logging.LoggerAdapter
) -> Iterator[Progress]:
    """Turn what a site step can meet into a Dagster failure saying what happened.

    Yields the step's document progress, reported to ``log`` (the run's log) every ~10 s.
    A site that cannot be reached is named for what happened (DNS, connection refused,
    timeout); only a real refusal is called one. Refusals, outages and unreadable listings are
    retried by the step's policy; a missing browser is not (a retry cannot install it).
    """
    window = window_label(start, end)
    try:
        yield Progress(log)
    except SiteBlocked as exc:
        problem = network_problem(str(exc))
        if problem:
            raise dg.Failure(
                f"{site} could not be reached for the listing of {window} ({problem}), nothing recorded: {exc}"
            ) from None
        raise dg.Failure(f"{site} refused the listing of {window}, nothing recorded: {exc}") from None
    except ListingUnavailable as exc:
        problem = network_problem(str(exc))
        kind = f" (could not reach the site: {problem})" if problem else ""
        raise dg.Failure(f"{site} listing unavailable{kind}, nothing recorded: {exc}") from None
    except ParseError as exc:
        raise dg.Failure(f"{site} listing of {window} is unreadable, nothing recorded: {exc}") from None
    except BrowserUnavailable as exc:
        raise dg.Failure(str(exc), allow_retries=False) from None
    except WebDriverException as exc:
        raise dg.Failure(f"Chromium failed: {(exc.msg or str(exc)).splitlines()[0]}") from None


@contextmanager
def reference_failures(what: str, unreadable: type[Exception], outcome: str) -> Iterator[None]:
    """The same for an unpartitioned step fetching a reference file (``what``): a refusal or
    outage is retried by the step's policy, an ``unreadable`` file is not (it would read no better).
    """
    try:
        yield
    except (SiteBlocked, FetchFailed) as exc:
        raise dg.Failure(f"{what} unavailable, {outcome}: {exc}") from None
    except unreadable as exc:
        raise dg.Failure(f"{what} unreadable, {outcome}: {exc}", allow_retries=False) from None


def filings_metadata(
    frame: pd.DataFrame, *, fetched: int, reused: int, seconds: float, extra: Mapping[str, Any]
) -> dict[str, Any]:
    """What the UI shows for a ``*_filings`` materialization (both sources alike)."""
    return {
        "filings": len(frame),
        **status_counts(frame["status"] if not frame.empty else []),
        "documents_fetched": fetched,
        "documents_already_archived": reused,
        "seconds": round(seconds, 2),
        "documents_per_second": round(fetched / seconds, 2) if seconds else 0.0,
        **extra,
        "preview": preview(frame, FILINGS_PREVIEW),
    }


def transactions_metadata(
    lines: pd.DataFrame, window_statuses: Iterable[str], ledger: pd.DataFrame, outside_updates: int
) -> dict[str, Any]:
    """What the UI shows for a ``*_transactions`` materialization (both sources alike)."""
    partial = ledger[ledger["status"].eq("partially_parsed")] if not ledger.empty else ledger
    return {
        "transactions": len(lines),
        "unreadable_rows": int(lines["row_status"].eq("unreadable").sum()) if not lines.empty else 0,
        **status_counts(window_statuses),
        "amendments_linked": int(ledger["amends"].notna().sum()) if not ledger.empty else 0,
        "earlier_filings_updated": outside_updates,
        "preview": preview(lines, ["filing_id", "row_number", "ticker", "transaction_type", "amount_text"]),
        "partially_parsed": preview(partial, ["source_id", "filer_name", "reason"]),
    }


def status_counts(statuses: Iterable[str]) -> dict[str, int]:
    """``status_<status>``: filings of the window by ledger status."""
    return {f"status_{status}": count for status, count in sorted(Counter(statuses).items())}


def preview(frame: pd.DataFrame, columns: list[str]) -> dg.MetadataValue:
    """The first rows of ``frame`` as a Markdown table."""
    text = frame[columns].head(PREVIEW_ROWS).to_markdown(index=False) if not frame.empty else "(no rows)"
    return dg.MetadataValue.md(text)
