"""Alembic migrations: up from empty, repeatable, and identical to the SQLAlchemy metadata."""

from __future__ import annotations

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from psycopg import sql
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL

from quant_pipelines.db.migrate import SchemaOutOfDate, head_revision, require_current, upgrade
from quant_pipelines.db.schema import SCHEMA, metadata


@pytest.fixture
def empty_url(template_url: URL):
    """A brand-new database with nothing in it."""
    name = "empty_migration_target"
    admin = template_url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield template_url.set(database=name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_upgrade_from_empty_twice(empty_url: URL) -> None:
    engine = create_engine(empty_url)
    with pytest.raises(SchemaOutOfDate, match="run `quant-pipelines db upgrade`"):
        require_current(engine)
    assert upgrade(engine) == (None, head_revision())
    assert upgrade(engine) == (head_revision(), head_revision())
    require_current(engine)
    tables = set(inspect(engine).get_table_names(schema=SCHEMA))
    assert tables == {
        "alembic_version", "filings", "politicians", "raw_documents", "run_failures", "tickers", "trades", "transactions",
        "members", "member_terms", "politician_members", "trade_issuers",
    }
    engine.dispose()


def test_migrations_match_the_metadata(empty_url: URL) -> None:
    engine = create_engine(empty_url)
    upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_schemas": True, "version_table_schema": SCHEMA,
                        "include_name": lambda name, kind, parent: kind != "schema" or name == SCHEMA}
        )
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []
