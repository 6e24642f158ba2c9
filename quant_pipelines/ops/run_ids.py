"""Run ids as people type them (any case, the UI's short id) and cancelling a run until it has ended.

A run that `quant-pipelines materialize` executes cannot be terminated by the webserver (no run
launcher started it): the webserver marks it CANCELING and the materialize process, which
watches for that, stops it. `cancel` waits for the end either way, then frees the run's pool
slots, so the next run's steps are not blocked behind it.
"""

from __future__ import annotations

import re
import time

from quant_pipelines.ops.webserver_api import WebserverClient, WebserverError

RUN_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
RUN_PREFIX = re.compile(r"^[0-9a-f][0-9a-f-]{3,35}$")
FINISHED = ("SUCCESS", "FAILURE", "CANCELED")
CANCEL_WAIT_SECONDS = 60.0
RECENT_RUNS = 1000

_RECENT = """query Recent($limit: Int) { runsOrError(limit: $limit) {
  __typename ... on Runs { results { runId } } ... on Error { message } } }"""
_STATUS = """query Status($id: ID!) { runOrError(runId: $id) {
  __typename ... on Run { runId status } ... on Error { message } } }"""
_TERMINATE = """mutation Terminate($id: String!, $policy: TerminateRunPolicy) {
  terminateRun(runId: $id, terminatePolicy: $policy) { __typename
    ... on TerminateRunFailure { message } ... on Error { message } } }"""
_FREE = "mutation Free($id: String!) { freeConcurrencySlotsForRun(runId: $id) }"


def resolve(client: WebserverClient, identifier: str) -> str:
    """The full run id for a full id or a unique prefix of one (the UI shows the first 8 characters)."""
    if RUN_ID.match(identifier):
        return identifier
    data = client.execute(_RECENT, limit=RECENT_RUNS)["runsOrError"]
    if data["__typename"] != "Runs":
        raise WebserverError(f"cannot list runs on {client.url}: {data.get('message', data['__typename'])}")
    matches = [run["runId"] for run in data["results"] if run["runId"].startswith(identifier)]
    if not matches:
        raise WebserverError(f"no run id starting with {identifier} among the newest {RECENT_RUNS} runs on {client.url}")
    if len(matches) > 1:
        raise WebserverError(f"{identifier} starts {len(matches)} run ids ({', '.join(matches[:3])} ...): give more of it")
    return matches[0]


def status(client: WebserverClient, run_id: str) -> str:
    """The run's status; an unknown run is a one-line WebserverError in our words."""
    data = client.execute(_STATUS, id=run_id)["runOrError"]
    if data["__typename"] == "RunNotFoundError":
        raise WebserverError(f"no run {run_id} on {client.url}")
    if data["__typename"] != "Run":
        raise WebserverError(f"run {run_id}: {data.get('message', data['__typename'])}")
    return data["status"]


def cancel(client: WebserverClient, run_id: str, *, force: bool = False, wait: float = CANCEL_WAIT_SECONDS) -> str:
    """Stop a queued or running run, wait until it has ended, free its pool slots; one line."""
    before = status(client, run_id)
    if before in FINISHED:
        raise WebserverError(f"run {run_id} already ended ({before}): nothing to cancel")
    policy = "MARK_AS_CANCELED_IMMEDIATELY" if force else "SAFE_TERMINATE"
    answer = client.execute(_TERMINATE, id=run_id, policy=policy)["terminateRun"]
    if answer["__typename"] not in ("TerminateRunSuccess", "TerminateRunFailure"):
        raise WebserverError(f"run {run_id} could not be canceled: {answer.get('message', answer['__typename'])}")
    after = _wait_for_end(client, run_id, wait)
    if after not in FINISHED:
        raise WebserverError(
            f"run {run_id} is {after}: asked to stop, not ended after {wait:.0f} s; "
            f"`quant-pipelines cancel --force {run_id}` marks it canceled and frees its pool slots"
        )
    client.execute(_FREE, id=run_id)
    return f"run {run_id}: {after} (it was {before}); its pool slots are free"


def _wait_for_end(client: WebserverClient, run_id: str, wait: float) -> str:
    deadline = time.monotonic() + wait
    current = status(client, run_id)
    while current not in FINISHED and time.monotonic() < deadline:
        time.sleep(1)
        current = status(client, run_id)
    return current
