"""The job and the schedules that replace Celery beat's nightly scrape and weekly catch-up."""

from datetime import date, datetime, timedelta

import dagster as dg

from quant_pipelines.partitions import range_tags

CATCH_UP_DAYS = 7
# A scheduled run that is still going after this long is hanging (a site holding a step); run
# monitoring (dagster.yaml run_monitoring) fails it so the next tick is not stuck behind it. A
# daily run takes minutes, the weekly catch-up well under an hour at the polite request rate.
DAILY_MAX_RUNTIME_SECONDS = 4 * 3600
WEEKLY_MAX_RUNTIME_SECONDS = 12 * 3600
MAX_RUNTIME_TAG = "dagster/max_runtime"

# Every daily asset, run as one job; a crashed run worker is retried as a whole (dagster.yaml
# run_retries). The unpartitioned members and issuers groups have their own job (members/jobs.py).
ptr_job = dg.define_asset_job(
    "congress_ptrs",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("members", "issuers"),
    description="Both chambers' filings, parsed transactions and the warehouse tables.",
    tags={"dagster/max_retries": "2"},
)


def _yesterday(context: dg.ScheduleEvaluationContext) -> date:
    scheduled: datetime = context.scheduled_execution_time
    return scheduled.date() - timedelta(days=1)


@dg.schedule(
    job=ptr_job,
    cron_schedule="0 2 * * *",  # 02:00 UTC daily, as the Celery beat "scrape-daily" entry
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def daily_disclosures(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Yesterday's filings (the newest complete partition)."""
    day = _yesterday(context).isoformat()
    return dg.RunRequest(
        run_key=f"daily-{day}", partition_key=day, tags={MAX_RUNTIME_TAG: str(DAILY_MAX_RUNTIME_SECONDS)}
    )


@dg.schedule(
    job=ptr_job,
    cron_schedule="0 3 * * 0",  # 03:00 UTC on Sundays, as the Celery beat "scrape-weekly" entry
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def weekly_catch_up(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """The last seven partitions again, as ONE run, to pick up late-listed and amended filings."""
    end = _yesterday(context)
    start = end - timedelta(days=CATCH_UP_DAYS - 1)
    return dg.RunRequest(
        run_key=f"weekly-{start}-{end}",
        tags={**range_tags(start.isoformat(), end.isoformat()), MAX_RUNTIME_TAG: str(WEEKLY_MAX_RUNTIME_SECONDS)},
    )
