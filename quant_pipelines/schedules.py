"""Schedules that replace Celery beat, and the sensors that replace its health and failure tasks."""

from datetime import UTC, date, datetime, timedelta

import dagster as dg
from sqlalchemy.dialects.postgresql import insert

from quant_pipelines import health
from quant_pipelines.db.schema import run_failures
from quant_pipelines.resources.warehouse import WarehouseResource
from quant_pipelines.settings import load_settings

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
CATCH_UP_DAYS = 7
HEALTH_INTERVAL_SECONDS = 15 * 60

# Every asset, run as one job; a crashed run worker is retried as a whole (dagster.yaml run_retries).
ptr_job = dg.define_asset_job(
    "congress_ptrs",
    selection=dg.AssetSelection.all(),
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
    return dg.RunRequest(run_key=f"daily-{day}", partition_key=day)


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
        tags={RANGE_START_TAG: start.isoformat(), RANGE_END_TAG: end.isoformat()},
    )


def _ended_at(context: dg.RunFailureSensorContext) -> datetime:
    record = context.instance.get_run_record_by_id(context.dagster_run.run_id)
    ended = record.end_time if record and record.end_time else datetime.now(UTC).timestamp()
    return datetime.fromtimestamp(ended, UTC)


@dg.run_failure_sensor(monitor_all_code_locations=False, default_status=dg.DefaultSensorStatus.RUNNING)
def record_run_failures(context: dg.RunFailureSensorContext, warehouse: WarehouseResource) -> None:
    """Records every failed run (job, partitions, error, failed steps) in quant.run_failures."""
    run = context.dagster_run
    tags = run.tags
    if RANGE_START_TAG in tags:
        partitions = f"{tags[RANGE_START_TAG]}..{tags.get(RANGE_END_TAG, tags[RANGE_START_TAG])}"
    else:
        partitions = tags.get("dagster/partition")
    reasons = {event.step_key: _reason(event) for event in context.get_step_failure_events() if event.step_key}
    summary = context.failure_event.message or "run failed"
    row = {
        "run_id": run.run_id,
        "job_name": run.job_name,
        "partition_range": partitions,
        "failed_at": _ended_at(context),
        "message": "\n".join([summary, *(f"{step}: {reason}" for step, reason in sorted(reasons.items()))]),
        "failed_steps": ", ".join(sorted(reasons)) or None,
    }
    with warehouse.engine.begin() as conn:
        conn.execute(insert(run_failures).values(row).on_conflict_do_nothing(index_elements=["run_id"]))
    context.log.info(f"recorded failure of run {run.run_id} ({partitions or 'unpartitioned'})")


def _reason(event: dg.DagsterEvent) -> str:
    """Why a step failed, in the words of the asset's own Failure when it raised one.

    Under a retry policy the error itself only says the retries ran out (or were disabled);
    the description the asset gave travels beside it.
    """
    data = event.step_failure_data
    described = data.user_failure_data.description if data.user_failure_data else None
    error = data.error.cause if data.error and data.error.cause and not described else data.error
    text = described or (error.message if error else "") or "step failed"
    return text.strip().splitlines()[0]


class Unhealthy(RuntimeError):
    """A part the pipeline needs is failing; the sensor tick shows the message in the UI."""


@dg.sensor(minimum_interval_seconds=HEALTH_INTERVAL_SECONDS, default_status=dg.DefaultSensorStatus.RUNNING)
def health_check(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    """Every 15 minutes: database, Chromium start-up, both sites (one GET each). Never launches a run;
    a failing part fails the tick, which the UI shows in red with the reason."""
    probes = health.pipeline_probes(load_settings())
    line = health.summary(probes)
    if not all(probe.healthy for probe in probes):
        raise Unhealthy(line)
    return dg.SkipReason(f"healthy: {line}")
