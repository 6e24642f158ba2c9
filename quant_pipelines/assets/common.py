"""What the partitioned assets share: daily windows, single-run backfills, the retry policies."""

import warnings
from datetime import date

import dagster as dg

from quant_pipelines.partitions import daily_partitions

# Single-run backfills are what this project is built on; Dagster marks the parameter beta and
# says so once per asset at every import. Known and accepted: keep the run logs clean.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)
# A range backfill is one run over the whole window, never one run per day.
DAILY = {"partitions_def": daily_partitions, "backfill_policy": dg.BackfillPolicy.single_run()}

# Steps that call a site: 3 retries, 300 s doubling with jitter (the Celery tasks' 3 x 5 min),
# and one step per site at a time across all runs (dagster.yaml: pools default_limit 1).
SITE_RETRY = dg.RetryPolicy(max_retries=3, delay=300, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS)

# Steps that only read and write the warehouse: a database restart or failover takes seconds,
# so 3 retries after about 10, 30 and 70 s (+-10 s) ride it out. Errors a retry cannot fix (a
# constraint, bad rows) are raised by the IO manager as failures that skip this policy.
DATABASE_RETRY = dg.RetryPolicy(
    max_retries=3, delay=10, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)


def site_step(pool: str) -> dict:
    """Asset arguments for a step that talks to a site."""
    return {"pool": pool, "retry_policy": SITE_RETRY}


def database_step() -> dict:
    """Asset arguments for a step that touches only the warehouse."""
    return {"retry_policy": DATABASE_RETRY}


def window_of(table: str, source: str) -> dict:
    """IO manager metadata: this asset owns ``table``'s rows of ``source`` filed in the run's window."""
    return {"partition_expr": "filed_date", "table": table, "window_scope": {"source": source}}


def run_window(context: dg.AssetExecutionContext) -> tuple[date, date]:
    """[start, end) of the run's partition window (one day, or a range in a single-run backfill).

    A run launched with a reversed range (its start tag after its end tag) has an empty
    window: it fails here, before any site is asked, instead of succeeding with nothing done.
    """
    span = context.partition_time_window
    start, end = span.start.date(), span.end.date()
    if end <= start:
        raise dg.Failure(
            f"the run's partition range {context.partition_key_range.start}..{context.partition_key_range.end} "
            "is reversed: it covers no day",
            allow_retries=False,
        )
    return start, end
