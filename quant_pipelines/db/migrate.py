"""Apply the Alembic migrations under ``db/migrations`` (``quant-pipelines db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, select

from quant_pipelines.db.schema import SCHEMA

_MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_KEY = "quant_pipelines.migrations"


class SchemaOutOfDate(RuntimeError):
    """The warehouse schema is behind the code; the message says how to fix it."""


def alembic_config() -> Config:
    """Alembic configuration pointing at the packaged migration scripts."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Migrate to the newest revision; safe to run twice and from concurrent processes.

    Returns the revision before and after.
    """
    config = alembic_config()
    with engine.begin() as conn:
        # One migrator at a time; the others wait, then find nothing left to do.
        conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(_LOCK_KEY))))
        before = _current(conn)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        return before, _current(conn)


def head_revision() -> str:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def require_current(engine: Engine) -> None:
    """Raise :class:`SchemaOutOfDate` unless the warehouse is at the newest revision."""
    with engine.connect() as conn:
        current = _current(conn)
    if current != head_revision():
        raise SchemaOutOfDate(
            f"the warehouse schema is at revision {current or 'none'}, the code needs "
            f"{head_revision()}: run `quant-pipelines db upgrade`"
        )


def _current(conn) -> str | None:
    context = MigrationContext.configure(conn, opts={"version_table_schema": SCHEMA})
    return context.get_current_revision()
