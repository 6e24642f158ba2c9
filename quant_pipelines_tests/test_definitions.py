"""The single Definitions object: everything resolves, with the agreed policies, and loading it
touches nothing (no database, no browser, no site)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest
import yaml

from quant_pipelines.definitions import defs
from quant_pipelines.executor import run_days
from quant_pipelines.members.assets import MATCH_CHECK
from quant_pipelines.ops.cli import IN_PROCESS, run_config
from quant_pipelines.ops.selection import asset_selection
from quant_pipelines.partitions import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG, daily_partitions, range_tags
from quant_pipelines.schedules import daily_disclosures, weekly_catch_up
from quant_pipelines.warehouse import checks

ROOT = Path(__file__).resolve().parents[1]

ASSETS = {"senate_filings", "senate_transactions", "house_filings", "house_transactions", "trades", "politicians", "tickers"}
MEMBER_ASSETS = {"members", "member_terms", "politician_members", "trade_issuers"}
SITE_POOLS = {"senate_filings": "senate_site", "house_filings": "house_site", "members": "legislators_site",
              "member_terms": "legislators_site",
              "trade_issuers": "sec_site"}


def test_every_asset_is_daily_single_run_site_steps_pooled_and_every_step_retried() -> None:
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    assert {key.to_user_string() for key in graph.get_all_asset_keys()} == ASSETS | MEMBER_ASSETS
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        name = key.to_user_string()
        if name in MEMBER_ASSETS:  # unpartitioned, in their own job
            assert node.partitions_def is None, name
        else:
            assert node.partitions_def == daily_partitions, name
            assert node.backfill_policy == dg.BackfillPolicy.single_run(), name
        assert node.description, f"{name} has no description"
        op = node.assets_def.op
        policy = op.retry_policy
        shape = (policy.max_retries, policy.delay, policy.backoff, policy.jitter)
        if name in SITE_POOLS:
            assert op.pool == SITE_POOLS[name]
            assert shape == (3, 300, dg.Backoff.EXPONENTIAL, dg.Jitter.PLUS_MINUS), name
        else:
            # Database-only steps: a short policy that rides out a server restart or failover.
            assert op.pool is None, name
            assert shape == (3, 10, dg.Backoff.EXPONENTIAL, dg.Jitter.PLUS_MINUS), name


def test_checks_schedules_sensors_and_job_resolve() -> None:
    graph = defs.resolve_asset_graph()
    check_names = {key.name for key in graph.asset_check_keys if key.asset_key == dg.AssetKey("trades")}
    assert check_names == {
        checks.TRADE_KEYS_UNIQUE, checks.AMOUNT_MIN_NOT_ABOVE_MAX, checks.TRANSACTION_NOT_AFTER_FILING,
        checks.TRADES_HAVE_POLITICIANS, checks.UNREADABLE_FILINGS_SHARE,
    }
    schedules = {schedule.name: schedule for schedule in defs.schedules}
    assert {name: (s.cron_schedule, s.execution_timezone, s.default_status) for name, s in schedules.items()} == {
        "daily_disclosures": ("0 2 * * *", "UTC", dg.DefaultScheduleStatus.RUNNING),
        "weekly_catch_up": ("0 3 * * 0", "UTC", dg.DefaultScheduleStatus.RUNNING),
        "daily_members": ("0 4 * * *", "UTC", dg.DefaultScheduleStatus.RUNNING),
    }
    sensors = {sensor.name: sensor.default_status for sensor in defs.sensors}
    assert sensors == {
        "record_run_failures": dg.DefaultSensorStatus.RUNNING,
        "health_check": dg.DefaultSensorStatus.RUNNING,
    }
    job = defs.resolve_job_def("congress_ptrs")
    assert job.tags["dagster/max_retries"] == "2"
    assert {key.to_user_string() for key in job.asset_layer.asset_graph.get_all_asset_keys()} >= ASSETS
    assert {key.name for key in graph.asset_check_keys if key.asset_key == dg.AssetKey("politician_members")} == {
        MATCH_CHECK
    }
    assert {key.to_user_string() for key in defs.resolve_job_def("congress_ptrs").asset_layer.executable_asset_keys} == ASSETS
    members = defs.resolve_job_def("congress_members")
    assert {key.to_user_string() for key in members.asset_layer.executable_asset_keys} == MEMBER_ASSETS


def test_runs_size_their_executor_to_the_window_unless_asked_otherwise() -> None:
    for job in (defs.resolve_job_def("congress_ptrs"), defs.resolve_implicit_global_asset_job_def()):
        default = job.executor_def.config_schema.as_field().default_value
        assert default == {"auto": {}}
        chosen = dg.validate_run_config(job, {})["execution"]["multi_or_in_process_executor"]
        assert chosen == {"auto": {"max_days_in_process": 7}}
        # `quant-pipelines materialize` still runs every step in one process; the stock spawn stays selectable.
        for config in (json.loads(IN_PROCESS), {"execution": {"config": {"multiprocess": {}}}}):
            chosen = dg.validate_run_config(job, config)["execution"]["multi_or_in_process_executor"]
            assert list(chosen) == list(config["execution"]["config"])
            assert "start_method" not in chosen.get("multiprocess", {})


@pytest.mark.parametrize(
    ("tags", "days"),
    [
        ({}, 1),
        ({PARTITION_TAG: "2026-06-12"}, 1),
        (range_tags("2026-06-01", "2026-06-07"), 7),
        (range_tags("2026-06-01", "2026-06-08"), 8),
        (range_tags("2012-01-01", "2026-11-27"), 5445),
        (range_tags("2026-06-05", "2026-06-01"), 1),  # reversed: the assets refuse it, the executor need not
        ({RANGE_START_TAG: "not-a-day", RANGE_END_TAG: "2026-06-01"}, 1),
    ],
)
def test_run_days_from_the_run_tags(tags: dict[str, str], days: int) -> None:
    assert run_days(tags) == days


@pytest.mark.parametrize(
    ("words", "steps"),
    [
        ("all", {"senate_transactions", "house_transactions"}),
        ("house", {"house_transactions"}),
        ("senate", {"senate_transactions"}),
        ("senate_filings", set()),
    ],
)
def test_materialize_reparse_reaches_the_selected_parse_steps(words: str, steps: set[str]) -> None:
    """--reparse reaches both parse steps' config, in the whole selection or in a part of it."""
    job = defs.resolve_implicit_global_asset_job_def()
    config = json.loads(run_config(asset_selection(words), reparse=True))
    assert set(config.get("ops", {})) == steps
    validated = dg.validate_run_config(job, config)["ops"]
    assert all(validated[step]["config"] == {"reparse": True} for step in steps)


def test_scheduled_runs_carry_a_max_runtime_that_run_monitoring_enforces() -> None:
    """A hanging site step cannot hold a scheduled run (and its site pool) for ever."""
    when = datetime(2026, 6, 14, 3, 0, tzinfo=UTC)
    for schedule, limit in ((daily_disclosures, 4 * 3600), (weekly_catch_up, 12 * 3600)):
        request = schedule(dg.build_schedule_context(scheduled_execution_time=when))
        assert request.tags["dagster/max_runtime"] == str(limit), schedule.name
    for instance in ("dagster.yaml", "docker/dagster.yaml"):
        config = yaml.safe_load((ROOT / instance).read_text())
        assert config["run_monitoring"]["enabled"] is True, instance


def test_loading_the_definitions_touches_nothing(tmp_path: Path) -> None:
    """Unreachable database, no browser, no sites: `dagster definitions validate` still passes."""
    env = {
        **os.environ,
        "QUANT_DATABASE_URL": "postgresql://nobody:secret@127.0.0.1:9/nowhere",
        "SENATE_EFD_BASE_URL": "http://127.0.0.1:9",
        "HOUSE_CLERK_BASE_URL": "http://127.0.0.1:9",
        "LEGISLATORS_BASE_URL": "http://127.0.0.1:9",
        "SEC_BASE_URL": "http://127.0.0.1:9",
        "CHROMIUM_BINARY": "/nonexistent/chromium",
        "CHROMEDRIVER_PATH": "/nonexistent/chromedriver",
    }
    env["DAGSTER_HOME"] = str(tmp_path)  # an instance with default (local) storage
    command = [str(Path(sys.executable).parent / "dagster"), "definitions", "validate", "-m", "quant_pipelines.definitions"]
    done = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
