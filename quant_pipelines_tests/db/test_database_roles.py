"""docker/postgres-init run as the official image runs it, against a real PostgreSQL: one role
per service, each able to do its job and nothing more, with names and passwords quoted safely."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pgserver
import psycopg
import pytest
from psycopg import sql
from sqlalchemy import create_engine
from sqlalchemy.engine import URL

from quant_pipelines.db.migrate import upgrade
from quant_pipelines_tests.services import PROJECT_ROOT, tcp_postgres

INIT = PROJECT_ROOT / "docker" / "postgres-init" / "10-warehouse-database.sh"
SUPERUSER = "Postgres Admin"
DAGSTER_DB = 'Dagster "storage"'  # names that must be quoted to be used at all
PASSWORDS = {"quant_dagster": "d'ag\"ster$1", "quant_warehouse": "w'are;house", "quant_analyst": "an'alyst--"}


def _connect(port: int, role: str, dbname: str) -> psycopg.Connection:
    return psycopg.connect(host="127.0.0.1", port=port, user=role, password=PASSWORDS[role], dbname=dbname,
                           autocommit=True)


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> int:
    root = tmp_path_factory.mktemp("roles-pg")
    with tcp_postgres(root, SUPERUSER, "super-secret") as port:
        with psycopg.connect(host="127.0.0.1", port=port, user=SUPERUSER, password="super-secret",
                             dbname="postgres", autocommit=True) as conn:
            # The image creates POSTGRES_DB before its hooks run.
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DAGSTER_DB)))
        psql_dir = Path(pgserver.__file__).parent / "pginstall" / "bin"
        env = {**os.environ, "PATH": f"{psql_dir}:{os.environ['PATH']}", "PGHOST": "127.0.0.1", "PGPORT": str(port),
               "PGPASSWORD": "super-secret", "POSTGRES_USER": SUPERUSER, "POSTGRES_DB": DAGSTER_DB,
               "QUANT_DAGSTER_PASSWORD": PASSWORDS["quant_dagster"],
               "QUANT_WAREHOUSE_PASSWORD": PASSWORDS["quant_warehouse"],
               "QUANT_ANALYST_PASSWORD": PASSWORDS["quant_analyst"]}
        done = subprocess.run(["sh", str(INIT)], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        # What compose's migrate service does, as the warehouse role.
        url = URL.create("postgresql+psycopg", "quant_warehouse", PASSWORDS["quant_warehouse"], "127.0.0.1", port,
                         "quant")
        engine = create_engine(url)
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        yield port


def test_the_warehouse_role_writes_the_warehouse_only(initialised: int) -> None:
    with _connect(initialised, "quant_warehouse", "quant") as conn:
        conn.execute("INSERT INTO quant.tickers (symbol, asset_name, first_seen, last_seen) "
                     "VALUES ('ZZZ', 'Test', '2026-01-01', '2026-01-01')")
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        _connect(initialised, "quant_warehouse", DAGSTER_DB)


def test_the_analyst_reads_the_warehouse_and_nothing_else(initialised: int) -> None:
    with _connect(initialised, "quant_analyst", "quant") as conn:
        assert conn.execute("SELECT count(*) FROM quant.filings").fetchone() == (0,)
        for statement in ("INSERT INTO quant.tickers (symbol, first_seen, last_seen) VALUES ('X', now(), now())",
                          "CREATE TABLE quant.mine (x int)", "CREATE TABLE public.mine (x int)",
                          "DELETE FROM quant.filings"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        _connect(initialised, "quant_analyst", DAGSTER_DB)


def test_the_dagster_role_owns_dagster_storage_only(initialised: int) -> None:
    with _connect(initialised, "quant_dagster", DAGSTER_DB) as conn:
        conn.execute("CREATE TABLE runs_probe (id int)")
        conn.execute("DROP TABLE runs_probe")
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        _connect(initialised, "quant_dagster", "quant")
