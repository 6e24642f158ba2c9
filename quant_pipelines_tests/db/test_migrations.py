"""Alembic migrations: up from empty, repeatable, and identical to the SQLAlchemy metadata."""

from __future__ import annotations

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from psycopg import sql
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.engine import URL

from quant_pipelines.db.migrate import SchemaOutOfDate, alembic_config, head_revision, require_current, upgrade
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
        "alembic_version", "filings", "politicians", "raw_documents", "run_failures", "tickers", "trade_changes",
        "trades", "transactions", "members", "member_terms", "politician_members", "trade_issuers",
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


_OLD_LINE = (
    "INSERT INTO quant.transactions (filing_id, row_number, source, filed_date, owner, owner_raw, asset_name,"
    " transaction_type, transaction_type_raw, amount_min, amount_max, amount_text, raw_sha256, parser_version)"
    " VALUES ('house:1', :row, 'house', '2026-01-02', 'self', '', 'Apple Inc.', 'purchase', 'P', :low, :high,"
    " :printed, 'aa', 'house-clerk/1')"
)


def test_0002_gives_stored_lines_their_amount_kind_and_goes_back(empty_url: URL) -> None:
    engine = create_engine(empty_url)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(text(_OLD_LINE), {"row": 1, "low": 1001, "high": 15000, "printed": "$1,001 - $15,000"})
        conn.execute(text(_OLD_LINE), {"row": 2, "low": 50000001, "high": None, "printed": "Over $50,000,000"})
        command.upgrade(config, "0002")
        kinds = conn.execute(text("SELECT row_number, amount_kind, row_status FROM quant.transactions ORDER BY 1"))
        assert kinds.all() == [(1, "band", "read"), (2, "over", "read")]
        conn.execute(text(
            "INSERT INTO quant.transactions (filing_id, row_number, source, filed_date, raw_sha256, parser_version,"
            " row_status, raw_text, unreadable_reason) VALUES ('house:1', 3, 'house', '2026-01-02', 'aa',"
            " 'house-clerk/2', 'unreadable', 'P 01/02/2026 ???', 'unrecognised amount')"
        ))
        command.downgrade(config, "0001")
        assert conn.execute(text("SELECT count(*) FROM quant.transactions")).scalar_one() == 2
        command.upgrade(config, "0002")
    engine.dispose()


def test_a_read_line_without_its_cells_is_refused(empty_url: URL) -> None:
    engine = create_engine(empty_url)
    upgrade(engine)
    with pytest.raises(IntegrityError, match="ck_transactions_read_row_complete"), engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO quant.transactions (filing_id, row_number, source, filed_date, raw_sha256, parser_version)"
            " VALUES ('house:1', 1, 'house', '2026-01-02', 'aa', 'house-clerk/2')"
        ))
    engine.dispose()


_HELD_OCR_ROW = (
    "INSERT INTO quant.transactions (filing_id, row_number, source, filed_date, raw_sha256, parser_version,"
    " owner, owner_raw, extraction, extraction_confidence, review_reason) VALUES ('house:2', 1, 'house',"
    " '2026-01-02', 'bb', 'house-scanned/1', 'self', '', 'ocr', 0.4, 'asset name missing')"
)


def test_0003_keeps_an_ocr_row_held_for_review_and_goes_back(empty_url: URL) -> None:
    engine = create_engine(empty_url)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
        conn.execute(text(_OLD_LINE), {"row": 1, "low": 1001, "high": 15000, "printed": "$1,001 - $15,000"})
        command.upgrade(config, "0003")
        assert conn.execute(text("SELECT extraction FROM quant.transactions")).scalar_one() == "text"
        conn.execute(text(_HELD_OCR_ROW))
        conn.execute(text("UPDATE quant.filings SET status = 'needs_review'"))  # the status is allowed
        command.downgrade(config, "0002")
        assert conn.execute(text("SELECT filing_id FROM quant.transactions")).scalars().all() == ["house:1"]
        command.upgrade(config, "0003")
    engine.dispose()
