"""Real servers for the operations tests: code server, webservers, nginx, a TCP PostgreSQL.

Each runs as a subprocess logging to a file, is awaited until it answers, and is always
stopped by the context manager that started it (the fixtures' teardown), even on failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import requests

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
STARTUP_SECONDS = 120


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_ok(url: str) -> Callable[[], bool]:
    """A readiness probe: the URL answers 200."""
    def probe() -> bool:
        try:
            return requests.get(url, timeout=2).status_code == 200
        except requests.RequestException:
            return False
    return probe


def port_open(port: int) -> Callable[[], bool]:
    """A readiness probe: something accepts TCP connections on 127.0.0.1:port."""
    def probe() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False
    return probe


@contextmanager
def service(
    name: str, command: list[str], log_dir: Path, ready: Callable[[], bool], env: Mapping[str, str] | None = None
) -> Iterator[subprocess.Popen]:
    """Run ``command`` until the block ends; fail with the log tail if it never becomes ready."""
    log_path = log_dir / f"{name}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=dict(env or os.environ), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not ready():
            if process.poll() is not None or time.monotonic() > deadline:
                tail = "\n".join(log_path.read_text().splitlines()[-30:])
                raise RuntimeError(f"{name} did not start (exit {process.poll()}):\n{tail}")
            time.sleep(0.25)
        yield process
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def code_server(module: str, port: int, log_dir: Path, env: Mapping[str, str]):
    """`dagster code-server start` serving ``module`` on 127.0.0.1:port (as the compose service)."""
    command = [str(BIN / "dagster"), "code-server", "start", "-h", "127.0.0.1", "-p", str(port), "-m", module]
    return service(f"code-server-{port}", command, log_dir, port_open(port), env)


def webserver(workspace: Path, port: int, log_dir: Path, env: Mapping[str, str], *extra: str):
    """`dagster-webserver` on 127.0.0.1:port, ready once /server_info answers."""
    prefix = extra[extra.index("--path-prefix") + 1] if "--path-prefix" in extra else ""
    command = [str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), "-w", str(workspace), *extra]
    ready = http_ok(f"http://127.0.0.1:{port}{prefix}/server_info")
    return service(f"webserver-{port}", command, log_dir, ready, env)


def envsubst(template: Path, variables: Mapping[str, str]) -> str:
    """Render a template as the official nginx image's entrypoint does (20-envsubst-on-templates.sh).

    It runs ``envsubst`` with the names of the variables defined in the container, so every
    other ``$name`` (nginx's own variables) is left alone.
    """
    shell_format = " ".join(f"${{{name}}}" for name in variables)
    done = subprocess.run(
        ["envsubst", shell_format], input=template.read_text(), capture_output=True, text=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **variables}, check=True,
    )
    return done.stdout


@contextmanager
def tcp_postgres(root: Path, user: str, password: str) -> Iterator[int]:
    """A throwaway PostgreSQL on 127.0.0.1 with password (scram) authentication, like compose's.

    Built from pgserver's binaries; as root they run as pgserver's unprivileged user.
    """
    import pgserver
    from pgserver.utils import ensure_prefix_permissions, ensure_user_exists

    pgdata, pwfile = root / "pgdata", root / "pwfile"
    pgdata.mkdir()
    pwfile.write_text(f"{password}\n")
    if os.geteuid() == 0:
        ensure_user_exists("pgserver")
        ensure_prefix_permissions(pgdata)
        for path in (pgdata, pwfile):
            shutil.chown(path, "pgserver")
    pgserver.initdb(
        ["-U", user, f"--pwfile={pwfile}", "--auth=scram-sha-256", "--encoding=utf8"], pgdata=pgdata, **_as_user()
    )
    port = free_port()
    _pg_ctl(root, "-o", f"-h 127.0.0.1 -p {port} -k ''", "start")
    try:
        yield port
    finally:
        _pg_ctl(root, "-m", "fast", "stop")


def restart_tcp_postgres(root: Path) -> None:
    """Restart the server :func:`tcp_postgres` runs under ``root`` (fast shutdown: every session is cut)."""
    _pg_ctl(root, "-m", "fast", "restart")


def _pg_ctl(root: Path, *args: str) -> None:
    import pgserver

    pgdata = root / "pgdata"
    pgserver.pg_ctl(["-w", "-l", str(pgdata / "server.log"), *args], pgdata=pgdata, timeout=60, **_as_user())


def _as_user() -> dict[str, str]:
    return {"user": "pgserver"} if os.geteuid() == 0 else {}
