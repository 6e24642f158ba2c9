"""Launch, inspect and cancel partition-range runs and backfills through the webserver's GraphQL API.

The operators' replacement for the Celery system's trigger/status/active/cancel endpoints:
every request goes to the webserver (through the authenticating proxy in production), so
the UI shows what the command did and who can do it is decided in one place.

A range is launched as the one run a single-run backfill would make (the UI's "Pass partition
ranges to single run"): the run queue starts it within a second. A backfill is submitted by
the daemon's backfill loop, which Dagster runs every 30 s, so it starts up to 30 s later; it
is there for whoever wants the range on the UI's Backfills page.
"""

from __future__ import annotations

import re
from typing import Any

from quant_pipelines.ops import run_ids
from quant_pipelines.ops.webserver_api import WebserverClient, WebserverError
from quant_pipelines.partitions import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG, DateRange, range_tags

WAREHOUSE_ASSETS = ("trades", "politicians", "tickers")
# What `--assets` launches: each chamber's own assets plus the warehouse tables built from them.
ASSET_SELECTIONS: dict[str, tuple[str, ...]] = {
    "senate": ("senate_filings", "senate_transactions", *WAREHOUSE_ASSETS),
    "house": ("house_filings", "house_transactions", *WAREHOUSE_ASSETS),
    "all": ("senate_filings", "senate_transactions", "house_filings", "house_transactions", *WAREHOUSE_ASSETS),
}
TRIGGER_TAG = "quant/triggered_by"
TRIGGERED = {TRIGGER_TAG: "quant-pipelines trigger"}
# The job the UI's Materialize and every asset backfill launch: any selection of the assets.
ASSET_JOB = "__ASSET_JOB"

_BACKFILL_ID = re.compile(r"^[a-z]{8}$")  # dagster's make_new_backfill_id
_ACTIVE_BACKFILL = ["REQUESTED", "CANCELING", "FAILING"]
_ACTIVE_RUN = ["QUEUED", "NOT_STARTED", "STARTING", "STARTED", "CANCELING"]

_ERRORS = "__typename ... on Error { message }"
_BACKFILL_FIELDS = """
    id status title numPartitions
    assetSelection { path }
    assetBackfillData { rootTargetedPartitions { ranges { start end } partitionKeys } }
"""
LAUNCH = f"""mutation Launch($params: LaunchBackfillParams!) {{
  launchPartitionBackfill(backfillParams: $params) {{ {_ERRORS} ... on LaunchBackfillSuccess {{ backfillId }} }}
}}"""
ASSET_JOBS = """query Jobs($keys: [AssetKeyInput!]) {
  assetNodes(assetKeys: $keys) { assetKey { path } jobNames repository { name location { name } } }
}"""
LAUNCH_RUN = f"""mutation LaunchRun($params: ExecutionParams!) {{
  launchRun(executionParams: $params) {{ {_ERRORS} ... on LaunchRunSuccess {{ run {{ runId }} }}
    ... on PipelineConfigValidationInvalid {{ errors {{ message }} }} }}
}}"""
BACKFILL = f"""query Backfill($id: String!) {{
  partitionBackfillOrError(backfillId: $id) {{ {_ERRORS}
    ... on PartitionBackfill {{ {_BACKFILL_FIELDS} error {{ message }} runs(limit: 20) {{ runId status }} }} }}
}}"""
RUN = f"""query Run($id: ID!) {{
  runOrError(runId: $id) {{ {_ERRORS} ... on Run {{ runId status jobName tags {{ key value }} }} }}
}}"""
ACTIVE = f"""query Active($backfillStatuses: [BulkActionStatus!], $runStatuses: [RunStatus!]) {{
  partitionBackfillsOrError(filters: {{statuses: $backfillStatuses}}, limit: 100) {{ {_ERRORS}
    ... on PartitionBackfills {{ results {{ {_BACKFILL_FIELDS} }} }} }}
  runsOrError(filter: {{statuses: $runStatuses}}, limit: 100) {{ {_ERRORS}
    ... on Runs {{ results {{ runId status jobName tags {{ key value }} }} }} }}
}}"""
CANCEL_BACKFILL = f"""mutation Cancel($id: String!) {{
  cancelPartitionBackfill(backfillId: $id) {{ {_ERRORS} ... on CancelBackfillSuccess {{ backfillId }} }}
}}"""

class TriggerUsageError(ValueError):
    """A command-line value `trigger`/`status`/`cancel` cannot use; the message is one line."""


def check_id(value: str) -> str:
    """Accept a backfill id (8 lowercase letters) or a run id (a UUID in any case, or its first characters)."""
    text = value.strip()
    if _BACKFILL_ID.match(text):
        return text
    if run_ids.RUN_PREFIX.match(text.lower()):
        return text.lower()
    raise TriggerUsageError(
        f"{value!r} is neither a backfill id (8 lowercase letters) nor a run id (a UUID or its first 4+ characters)"
    )


def backfill_params(assets: str, window: DateRange) -> dict[str, Any]:
    """One partition-range backfill of the named selection (one run, by the single-run policy)."""
    keys = ASSET_SELECTIONS[assets]
    selection = {"range": {"start": window.start.isoformat(), "end": window.end.isoformat()}}
    return {
        "partitionsByAssets": [{"assetKey": {"path": [key]}, "partitions": selection} for key in keys],
        "title": f"{assets} {window}",
        "tags": _tag_list(TRIGGERED),
    }


def launch(client: WebserverClient, assets: str, window: DateRange) -> str:
    """Launch the backfill and return its id."""
    result = _payload(
        client.execute(LAUNCH, params=backfill_params(assets, window)),
        "launchPartitionBackfill", "LaunchBackfillSuccess",
    )
    return result["backfillId"]


def run_params(
    selector: dict[str, str], keys: tuple[str, ...], window: DateRange, run_config: dict[str, Any] | None = None,
    tags: dict[str, str] | None = None,
) -> dict[str, Any]:
    """launchRun's parameters: one run of ``keys`` over the window (a range, or one partition for one day)."""
    partitions = (
        {PARTITION_TAG: window.start.isoformat()} if window.days == 1
        else range_tags(window.start.isoformat(), window.end.isoformat())
    )
    return {
        "selector": {**selector, "assetSelection": [{"path": [key]} for key in keys]},
        "runConfigData": dict(run_config or {}),
        "executionMetadata": {"tags": _tag_list({**partitions, **(tags or {})})},
    }


def launch_run(client: WebserverClient, params: dict[str, Any]) -> str:
    """Queue one run with launchRun's ``params`` and return its id."""
    return _payload(client.execute(LAUNCH_RUN, params=params), "launchRun", "LaunchRunSuccess")["run"]["runId"]


def launch_range_run(client: WebserverClient, assets: str, window: DateRange) -> str:
    """Queue the one run a single-run backfill of the selection would make, and return its id."""
    keys = ASSET_SELECTIONS[assets]
    return launch_run(client, run_params(asset_job(client, keys), keys, window, tags=TRIGGERED))


def asset_job(client: WebserverClient, keys: tuple[str, ...]) -> dict[str, str]:
    """The selector of the asset job holding every key, from the code location the webserver serves them from."""
    nodes = client.execute(ASSET_JOBS, keys=[{"path": [key]} for key in keys])["assetNodes"]
    missing = sorted(set(keys) - {"/".join(node["assetKey"]["path"]) for node in nodes})
    if missing:
        raise WebserverError(f"the webserver at {client.url} serves no asset {', '.join(missing)}")
    places = {(node["repository"]["location"]["name"], node["repository"]["name"]) for node in nodes}
    if len(places) != 1 or not all(ASSET_JOB in node["jobNames"] for node in nodes):
        raise WebserverError(f"the webserver at {client.url} does not serve {', '.join(keys)} from one code location")
    ((location, repository),) = places
    return {"repositoryLocationName": location, "repositoryName": repository, "jobName": ASSET_JOB}


def describe(client: WebserverClient, identifier: str) -> list[str]:
    """Status lines for a backfill (with its runs) or a single run."""
    backfill = _backfill(client, identifier)
    if backfill is not None:
        lines = [_backfill_line(backfill)]
        if backfill["error"]:
            lines.append(f"  error: {_one_line(backfill['error']['message'])}")
        lines += [f"  run {run['runId']}: {run['status']}" for run in backfill["runs"]]
        return lines if backfill["runs"] else [*lines, "  no runs yet (the daemon launches them)"]
    run_id = run_ids.resolve(client, identifier)
    run_ids.status(client, run_id)  # an unknown run in our words
    return [_run_line(_payload(client.execute(RUN, id=run_id), "runOrError", "Run"))]


def active(client: WebserverClient) -> list[str]:
    """Backfills and runs that are queued, in progress or being canceled."""
    data = client.execute(ACTIVE, backfillStatuses=_ACTIVE_BACKFILL, runStatuses=_ACTIVE_RUN)
    backfills = _payload(data, "partitionBackfillsOrError", "PartitionBackfills")["results"]
    runs = _payload(data, "runsOrError", "Runs")["results"]
    lines = [_backfill_line(backfill) for backfill in backfills]
    lines += [_run_line(run) for run in runs]
    return lines or ["nothing is queued or running"]


def cancel(client: WebserverClient, identifier: str, *, force: bool = False) -> str:
    """Cancel a backfill (its runs are terminated by the daemon) or stop one run and wait for its end."""
    backfill = _backfill(client, identifier)
    if backfill is not None:
        if backfill["status"] not in _ACTIVE_BACKFILL:
            raise WebserverError(f"backfill {identifier} is {backfill['status']}: nothing to cancel")
        _payload(client.execute(CANCEL_BACKFILL, id=identifier), "cancelPartitionBackfill", "CancelBackfillSuccess")
        return f"backfill {identifier}: canceling (the daemon terminates its unfinished runs)"
    return run_ids.cancel(client, run_ids.resolve(client, identifier), force=force)


def _backfill(client: WebserverClient, identifier: str) -> dict[str, Any] | None:
    """The backfill named by ``identifier``; None when it is a run id (the UI's short run id may be letters only)."""
    if not _BACKFILL_ID.match(identifier):
        return None
    value = client.execute(BACKFILL, id=identifier)["partitionBackfillOrError"]
    if value["__typename"] == "BackfillNotFoundError":
        if run_ids.RUN_PREFIX.match(identifier):
            return None
        raise WebserverError(f"no backfill {identifier} on {client.url}")
    return _payload({"backfill": value}, "backfill", "PartitionBackfill")


def _payload(data: dict[str, Any], field: str, *accepted: str) -> dict[str, Any]:
    """The field's object, or a one-line WebserverError when GraphQL answered with an error type."""
    value = data[field]
    if value["__typename"] not in accepted:
        message = value.get("message") or "; ".join(error["message"] for error in value.get("errors") or [])
        raise WebserverError(f"{_one_line(message or 'no message')} ({value['__typename']})")
    return value


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": key, "value": value} for key, value in tags.items()]


def _backfill_line(backfill: dict[str, Any]) -> str:
    keys = ", ".join("/".join(key["path"]) for key in backfill["assetSelection"] or [])
    return f"backfill {backfill['id']}: {backfill['status']} {_partitions(backfill)} [{keys}]"


def _partitions(backfill: dict[str, Any]) -> str:
    targeted = (backfill.get("assetBackfillData") or {}).get("rootTargetedPartitions") or {}
    ranges = [f"{r['start']}..{r['end']}" for r in targeted.get("ranges") or []]
    spans = ranges + list(targeted.get("partitionKeys") or [])
    return f"{', '.join(spans) or 'no partitions'} ({backfill['numPartitions']} partitions)"


def _run_line(run: dict[str, Any]) -> str:
    tags = {tag["key"]: tag["value"] for tag in run["tags"]}
    start = tags.get(RANGE_START_TAG) or tags.get(PARTITION_TAG)
    end = tags.get(RANGE_END_TAG, start)
    span = f" {start}..{end}" if start else ""
    backfill = f" (backfill {tags['dagster/backfill']})" if "dagster/backfill" in tags else ""
    return f"run {run['runId']}: {run['status']} {run['jobName']}{span}{backfill}"


def _one_line(message: str) -> str:
    return " ".join(message.strip().splitlines()[0].split()) if message.strip() else "no message"
