"""Health probes, the health sensor and `quant-pipelines health`, against real parts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from dagster._daemon.types import DaemonHeartbeat
from sqlalchemy.engine import URL

from quant_pipelines.ops import health
from quant_pipelines.ops.instance import DAGSTER_YAML, INSTANCE_DRIVER
from quant_pipelines.db import embedded_postgres
from quant_pipelines.sensors import Unhealthy, health_check
from quant_pipelines.settings import load_settings
from quant_pipelines_tests.replica.house import HouseReplica
from quant_pipelines_tests.replica.senate import SenateReplica
from quant_pipelines_tests.services import free_port

pytestmark = pytest.mark.browser
CLI = str(Path(sys.executable).parent / "quant-pipelines")


@pytest.fixture
def sites(fixtures_dir: Path, warehouse_env: URL, monkeypatch: pytest.MonkeyPatch):
    with SenateReplica(fixtures_dir) as senate, HouseReplica(fixtures_dir) as house:
        monkeypatch.setenv("SENATE_EFD_BASE_URL", senate.base_url)
        monkeypatch.setenv("HOUSE_CLERK_BASE_URL", house.base_url)
        yield senate, house


def test_sensor_reports_healthy_parts_without_launching_anything(sites) -> None:
    senate, house = sites
    result = health_check(dg.build_sensor_context())
    assert isinstance(result, dg.SkipReason)
    assert result.skip_message.startswith("healthy: database ok")
    assert "chromium ok: Chromium" in result.skip_message
    # One polite GET of each root, nothing else: no listing, no document.
    assert sum(senate.counts.values()) == 1 and sum(house.requests.values()) == 1


def test_sensor_fails_its_tick_with_the_reason_when_a_site_blocks_us(sites) -> None:
    _, house = sites
    house.block(403)
    with pytest.raises(Unhealthy, match=r"house_site FAILING: http://127\.0\.0\.1:\d+ refuses us \(HTTP 403\)"):
        health_check(dg.build_sensor_context())


@pytest.mark.parametrize(
    ("status", "expected"), [(503, "is failing (HTTP 503)"), (None, "is unreachable (connection refused)")]
)
def test_site_probe_names_what_is_wrong(sites, status: int | None, expected: str) -> None:
    _, house = sites
    if status is None:
        url = f"http://127.0.0.1:{free_port()}"
    else:
        house.fail(status, times=1)
        url = house.base_url
    probe = health.site("house_site", url, load_settings())
    assert not probe.healthy
    assert expected in probe.detail


def test_cli_reports_json_and_exits_1_while_the_daemon_is_down(sites, tmp_path: Path) -> None:
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path), "QUANT_STATE_DIR": os.environ["QUANT_STATE_DIR"]}
    (tmp_path / "dagster.yaml").symlink_to(Path(__file__).resolve().parents[2] / "dagster.yaml")
    done = subprocess.run([CLI, "health", "--json"], env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    states = {probe["name"]: probe["healthy"] for probe in report["probes"]}
    assert states == {"database": True, "chromium": True, "senate_site": True, "house_site": True, "daemon": False}
    assert report["healthy"] is False
    assert "dagster-daemon run" in next(p["detail"] for p in report["probes"] if p["name"] == "daemon")


def test_a_site_answering_404_on_its_probe_page_is_failing(sites, monkeypatch: pytest.MonkeyPatch) -> None:
    senate, _ = sites
    monkeypatch.setenv("HOUSE_CLERK_BASE_URL", senate.base_url)  # a wrong site: it has no /FinancialDisclosure
    probe = health.site("house_site", load_settings().house_clerk_base_url, load_settings())
    assert not probe.healthy
    assert probe.detail == f"{senate.base_url}/FinancialDisclosure answered HTTP 404: is {senate.base_url} the right site?"


def test_health_in_a_directory_without_state_creates_nothing_and_says_where_it_looked(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUANT_", "DAGSTER_"))}
    done = subprocess.run([CLI, "health", "--json"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=180)
    assert done.returncode == 1, done.stderr
    probes = {probe["name"]: probe for probe in json.loads(done.stdout)["probes"]}
    for name in ("database", "daemon"):
        assert not probes[name]["healthy"]
        assert probes[name]["detail"].startswith(f"no embedded PostgreSQL in {tmp_path}/.quant/pgdata (QUANT_STATE_DIR=")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def heartbeat_instance(pg_state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dg.DagsterInstance]:
    """An instance of its own (its own database on the session's server) whose heartbeats a test writes."""
    url = embedded_postgres.server_url(pg_state_dir, "dagster_heartbeats", INSTANCE_DRIVER)
    monkeypatch.setenv("DAGSTER_PG_URL", url.render_as_string(hide_password=False))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    monkeypatch.setenv("QUANT_STATE_DIR", str(pg_state_dir))
    (tmp_path / "dagster.yaml").symlink_to(DAGSTER_YAML)
    with dg.DagsterInstance.get() as instance:
        instance.wipe_daemon_heartbeats()
        yield instance


@pytest.mark.parametrize(("age_seconds", "healthy"), [(5, True), (22 * 60, False)])
def test_daemon_probe_wants_a_heartbeat_younger_than_the_limit(
    heartbeat_instance: dg.DagsterInstance, age_seconds: int, healthy: bool
) -> None:
    required = heartbeat_instance.get_required_daemon_types()
    for name in required:
        heartbeat_instance.add_daemon_heartbeat(DaemonHeartbeat(time.time() - age_seconds, name, "test", None))
    probe = health.daemon(load_settings())
    assert probe.healthy is healthy, probe.detail
    if not healthy:
        assert probe.detail.startswith("no heartbeat within 120 s (")
        assert f"{sorted(required)[0]} last 22 min ago" in probe.detail
