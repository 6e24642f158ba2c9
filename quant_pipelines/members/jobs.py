"""The members job and its schedule: after the daily PTR job (02:00 UTC), refresh the legislators
files and the SEC ticker list (a 304 when unchanged), match every politician again and resolve
the issuers of trades filed without a ticker."""

import dagster as dg

from quant_pipelines.issuers.assets import GROUP as ISSUERS
from quant_pipelines.members.assets import GROUP

members_job = dg.define_asset_job(
    "congress_members",
    selection=dg.AssetSelection.groups(GROUP, ISSUERS),
    description="The congress-legislators members and terms, every politician matched to them, and the "
    "issuers of trades filed without a ticker.",
    tags={"dagster/max_retries": "2"},
)


@dg.schedule(
    job=members_job,
    cron_schedule="0 4 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def daily_members(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Members refreshed and politicians matched, two hours after the daily PTR run."""
    return dg.RunRequest(run_key=f"members-{context.scheduled_execution_time.date()}")
