"""What the partitioned assets share: daily windows, single-run backfills, the site steps' policies."""

import dagster as dg

from quant_pipelines.partitions import daily_partitions

# A range backfill is one run over the whole window, never one run per day.
DAILY = {"partitions_def": daily_partitions, "backfill_policy": dg.BackfillPolicy.single_run()}

# Steps that call a site: 3 retries, 300 s doubling with jitter (the Celery tasks' 3 x 5 min),
# and one step per site at a time across all runs (dagster.yaml: pools default_limit 1).
SITE_RETRY = dg.RetryPolicy(max_retries=3, delay=300, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS)


def site_step(pool: str) -> dict:
    """Asset arguments for a step that talks to a site."""
    return {"pool": pool, "retry_policy": SITE_RETRY}


def window_of(table: str, source: str) -> dict:
    """IO manager metadata: this asset owns ``table``'s rows of ``source`` filed in the run's window."""
    return {"partition_expr": "filed_date", "table": table, "window_scope": {"source": source}}
