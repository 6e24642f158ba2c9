"""What a new user types, checked with the real commands: the replicas' env file as the README
uses it, and `quant-pipelines dev` handing its arguments to `dagster dev`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from quant_pipelines import __version__
from quant_pipelines.db import embedded_postgres
from quant_pipelines.ops import cli
from quant_pipelines.ops.instance import INSTANCE_DRIVER
from quant_pipelines.ops.run_control import rotate_logs
from quant_pipelines_tests.services import PROJECT_ROOT, free_port, http_ok, service

CLI = str(Path(sys.executable).parent / "quant-pipelines")


def test_the_replica_env_file_exports_the_sites_and_a_local_rate_to_child_processes(tmp_path: Path) -> None:
    env_file = tmp_path / "replicas.env"
    command = [sys.executable, "-m", "quant_pipelines_tests.replica", "--env-file", str(env_file)]
    with service("replicas", command, tmp_path, env_file.exists):
        shown = subprocess.run(  # what the README does: `. FILE`, then a child process reads the variables
            ["bash", "-c", f". {env_file} && {sys.executable} -c "
             "'import os; print(*(os.environ[n] for n in (\"SENATE_EFD_BASE_URL\", \"HOUSE_CLERK_BASE_URL\", "
             "\"QUANT_REQUESTS_PER_SECOND\")))'"],
            capture_output=True, text=True, timeout=60, cwd=PROJECT_ROOT,
            env={k: v for k, v in os.environ.items() if k not in ("SENATE_EFD_BASE_URL", "HOUSE_CLERK_BASE_URL")},
        )
    assert shown.returncode == 0, shown.stderr
    senate, house, rate = shown.stdout.split()
    assert senate.startswith("http://127.0.0.1:") and house.startswith("http://127.0.0.1:") and senate != house
    assert rate == "50"


@pytest.mark.parametrize(
    ("argv", "passed"),
    [(["dev", "-p", "3115"], ["-p", "3115"]), (["dev", "--", "-p", "3115"], ["-p", "3115"]),
     (["dev", "-h", "0.0.0.0"], ["-h", "0.0.0.0"]), (["dev"], [])],
)
def test_dev_hands_everything_after_it_to_dagster_dev(argv: list[str], passed: list[str]) -> None:
    assert cli._parse(argv).dagster_args == passed


@pytest.mark.e2e
def test_dev_starts_the_ui_on_the_port_given_after_it(warehouse_env: URL, pg_state_dir: Path, tmp_path: Path) -> None:
    port = free_port()
    # An instance of its own, so the daemon `dagster dev` starts sees no other test's queued runs;
    # the sites point at a closed port, so the health sensor contacts nothing.
    instance_url = embedded_postgres.server_url(pg_state_dir, "dagster_dev_walk", INSTANCE_DRIVER)
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "dagster.yaml").symlink_to(PROJECT_ROOT / "dagster.yaml")
    closed = f"http://127.0.0.1:{free_port()}"
    env = {
        **os.environ, "DAGSTER_HOME": str(tmp_path / "home"),
        "DAGSTER_PG_URL": instance_url.render_as_string(hide_password=False),
        "SENATE_EFD_BASE_URL": closed, "HOUSE_CLERK_BASE_URL": closed,
    }
    command = [CLI, "dev", "-p", str(port), "-h", "127.0.0.1"]
    with service(f"dev-{port}", command, tmp_path, http_ok(f"http://127.0.0.1:{port}/server_info"), env):
        pass  # the UI answered on the port given after `dev`


def test_every_subcommand_has_a_description_and_an_example_and_the_top_help_the_rules(
    capsys: pytest.CaptureFixture,
) -> None:
    def help_of(*argv: str) -> str:
        with pytest.raises(SystemExit) as done:
            cli.main([*argv, "--help"])
        assert done.value.code == 0
        return capsys.readouterr().out

    top = help_of()
    assert "dates:\n  YYYY-MM-DD filed (disclosure) dates, UTC; a range START..END includes both ends" in top
    assert "exit codes:\n  0 done   1 failed (site, database, run)   2 mistake in what was asked" in top
    for command in ("db", "materialize", "env", "dev", "trigger", "status", "cancel", "active", "health"):
        text = help_of(command)
        assert f"\nexample:\n  quant-pipelines {command}" in text or "\nexample:\n  eval" in text, command
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out == f"quant-pipelines {__version__}\n"


def test_only_the_newest_materialize_logs_are_kept(tmp_path: Path) -> None:
    for number in range(35):
        log = tmp_path / f"materialize-{number:02d}.log"
        log.write_text("")
        os.utime(log, (1_700_000_000 + number, 1_700_000_000 + number))
    (tmp_path / "replicas.log").write_text("")  # not ours to rotate
    rotate_logs(tmp_path, keep=30)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        *(f"materialize-{number:02d}.log" for number in range(5, 35)), "replicas.log"
    ]
