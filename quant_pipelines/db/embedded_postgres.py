"""The default database: a PostgreSQL server from the ``pgserver`` wheel under the state dir.

Nothing to install. The server listens on a unix socket only, outlives the process that
started it (so the webserver, the daemon and every run share it) and is reused by the
next caller. As root, pgserver runs postgres as its own unprivileged ``pgserver`` user.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from sqlalchemy.engine import URL, make_url

WAREHOUSE_DATABASE = "quant"
DAGSTER_DATABASE = "dagster"


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be started; the message is one line."""


def data_dir(state_dir: Path) -> Path:
    """Where the embedded cluster keeps its files."""
    return state_dir / "pgdata"


def server_url(state_dir: Path, database: str, drivername: str) -> URL:
    """Start (or reuse) the embedded server, make sure ``database`` exists, return its URL."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); its fallback is fine.
        warnings.simplefilter("ignore")
        import pgserver

        pgdata = data_dir(state_dir)
        pgdata.mkdir(parents=True, exist_ok=True)
        try:
            server = pgserver.get_server(pgdata, cleanup_mode=None)
        except Exception as exc:  # pgserver raises bare subprocess/OS errors
            raise EmbeddedPostgresError(
                f"could not start the embedded PostgreSQL server in {pgdata}: {exc}; "
                f"see {pgdata / 'log'}"
            ) from exc
    _create_database(server.get_uri(), database)
    return make_url(server.get_uri(database)).set(drivername=drivername)


def stop(state_dir: Path) -> None:
    """Stop the embedded server if it is running (tests and `quant-pipelines db stop`)."""
    import psutil

    pid_file = data_dir(state_dir) / "postmaster.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text().splitlines()[0])
    try:
        process = psutil.Process(pid)
        process.terminate()  # SIGTERM = PostgreSQL "smart" shutdown
        process.wait(timeout=30)
    except psutil.NoSuchProcess:
        pass


def _create_database(admin_uri: str, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        if exists:
            return
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        except psycopg.errors.DuplicateDatabase:
            pass  # another process created it between our check and our CREATE
