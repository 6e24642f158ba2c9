"""Warehouse tables (schema ``quant``) as SQLAlchemy Core metadata; Alembic migrations mirror it.

Keys are natural and deterministic (``senate:<uuid>``, ``house:pelosi-nancy:CA``), so
re-running a partition writes byte-identical rows instead of new surrogate ids.
Dimension columns carry ``info={"merge": ...}`` telling the upsert how to combine an
existing row with a new one: ``least``/``greatest`` keep the extreme, ``latest`` takes
the new value when the new row's ``last_seen`` is not older. Columns with ``info={"audit": True}``
record when a row was last fetched or parsed: writes never count a row as changed for them alone.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Identity,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from quant_pipelines.vocabulary.normalize import AMOUNT_KINDS, OWNERS, TRANSACTION_TYPES

SCHEMA = "quant"
# None is stored as SQL NULL, as COPY stores it: a JSON 'null' would differ from it on every compare.
_JSON = JSONB(none_as_null=True)

FILING_STATUSES = (
    "fetched", "parsed", "partially_parsed", "needs_ocr", "needs_review", "parse_failed", "blocked", "superseded",
)
ROW_STATUSES = ("read", "unreadable")
EXTRACTIONS = ("text", "ocr")
FILING_TYPES = ("original", "amendment", "paper", "scanned")
SOURCES = ("senate", "house")

metadata = MetaData(
    schema=SCHEMA,
    naming_convention={
        "pk": "pk_%(table_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    },
)


def one_of(column: str, values: tuple[str, ...], name: str | None = None) -> CheckConstraint:
    """A CHECK that ``column`` holds one of ``values``."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name or column)


def _seen_columns() -> list[Column]:
    return [
        Column("first_seen", Date, nullable=False, info={"merge": "least"}),
        Column("last_seen", Date, nullable=False, info={"merge": "greatest"}),
    ]


raw_documents = Table(
    "raw_documents",
    metadata,
    Column("sha256", Text, primary_key=True),
    Column("media_type", Text, nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("source_url", Text, nullable=False),
    Column("fetched_at", DateTime(timezone=True), nullable=False, info={"audit": True}),
    CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),
    comment="Every fetched document, content-addressed; never deleted.",
)

filings = Table(
    "filings",
    metadata,
    Column("filing_id", Text, primary_key=True),
    Column("source", Text, nullable=False),
    Column("source_id", Text, nullable=False),
    Column("politician_id", Text, nullable=False),
    Column("filer_name", Text, nullable=False),
    Column("first_name", Text, nullable=False),
    Column("last_name", Text, nullable=False),
    Column("suffix", Text),
    Column("state", Text),
    Column("district", Text),
    Column("filing_type", Text, nullable=False),
    Column("amendment_number", Integer),
    Column("amends", Text, comment="source_id of the filing this one amends"),
    Column("amends_reason", Text, comment="how the amendment was linked, or why it could not be"),
    Column("report_title", Text),
    Column("filed_date", Date, nullable=False),
    Column("report_url", Text, nullable=False),
    Column("raw_sha256", Text),
    Column("parser_version", Text),
    Column("status", Text, nullable=False),
    Column("reason", Text),
    Column("detail", _JSON, comment="source-specific facts, e.g. the page images of a paper filing"),
    Column("fetched_at", DateTime(timezone=True), info={"audit": True}),
    Column("parsed_at", DateTime(timezone=True), info={"audit": True}),
    UniqueConstraint("source", "source_id"),
    one_of("source", SOURCES),
    one_of("filing_type", FILING_TYPES),
    one_of("status", FILING_STATUSES),
    Index(None, "filed_date"),
    Index(None, "amends"),
    comment="The ledger: one row per report and what became of it.",
)


def _transaction_columns(*, unreadable_rows: bool = False) -> list[Column]:
    """Columns shared by the parsed lines (``transactions``) and the warehouse ``trades``.

    ``transactions`` also keeps the rows a parser could not read and the OCR rows held back for
    review (``unreadable_rows``): there the cells a read row must have may be NULL, and a CHECK
    asks for them on read rows that are not held for review only.
    """
    optional = unreadable_rows
    return [
        Column("filing_id", Text, nullable=False),
        Column("row_number", Integer, nullable=False),
        Column("filed_date", Date, nullable=False),
        Column("transaction_date", Date),
        Column("notification_date", Date),
        Column("owner", Text, nullable=optional),
        Column("ticker", Text),
        Column("asset_name", Text, nullable=optional),
        Column("asset_type", Text),
        Column("transaction_type", Text, nullable=optional),
        Column("amount_min", BigInteger, nullable=optional),
        Column("amount_max", BigInteger),
        Column("amount_text", Text, nullable=optional),
        Column("amount_kind", Text, comment="band, over (open-ended band) or exact (a dollar figure)"),
        Column("amount_exact", Numeric(14, 2), comment="the exact dollar figure with cents, when one is printed"),
        Column("option_type", Text),
        Column("strike_price", Numeric(18, 4)),
        Column("expiry", Date),
        Column("comment", Text),
        Column("description", Text),
        Column("cap_gains_over_200", Boolean),
        Column("raw_sha256", Text, nullable=False),
        Column("parser_version", Text, nullable=False),
        Column("extraction", Text, nullable=False, server_default="text"),
        Column("extraction_confidence", Float),  # lowest OCR confidence of its fields
        one_of("owner", OWNERS),
        one_of("extraction", EXTRACTIONS),
        one_of("transaction_type", TRANSACTION_TYPES),
        CheckConstraint("amount_max IS NULL OR amount_min <= amount_max", name="amount_order"),
        one_of("amount_kind", AMOUNT_KINDS),
        CheckConstraint("(amount_kind = 'exact') = (amount_exact IS NOT NULL)", name="amount_exact_kind"),
        Index(None, "filed_date"),
    ]


transactions = Table(
    "transactions",
    metadata,
    Column("source", Text, nullable=False),
    Column("owner_raw", Text),
    Column("asset_type_raw", Text),
    Column("transaction_type_raw", Text),
    Column("filing_status", Text),
    Column("details", _JSON),
    Column("row_status", Text, nullable=False, server_default=text("'read'")),
    Column("raw_text", Text, comment="an unreadable row's text as printed"),
    Column("unreadable_reason", Text, comment="why the row could not be read"),
    Column("review_reason", Text, comment="why an OCR row is held back from trades (NULL = accepted)"),
    *_transaction_columns(unreadable_rows=True),
    PrimaryKeyConstraint("filing_id", "row_number"),
    one_of("source", SOURCES),
    one_of("row_status", ROW_STATUSES),
    CheckConstraint(
        "row_status = 'unreadable' OR review_reason IS NOT NULL OR (owner IS NOT NULL AND owner_raw IS NOT NULL"
        " AND asset_name IS NOT NULL AND transaction_type IS NOT NULL AND transaction_type_raw IS NOT NULL AND amount_min IS NOT NULL"
        " AND amount_text IS NOT NULL)",
        name="read_row_complete",
    ),
    CheckConstraint(
        "row_status = 'read' OR (raw_text IS NOT NULL AND unreadable_reason IS NOT NULL)",
        name="unreadable_row_explained",
    ),
    comment="Transaction lines as parsed from each archived document, before enrichment.",
)

trades = Table(
    "trades",
    metadata,
    Column("politician_id", Text, nullable=False),
    Column("chamber", Text, nullable=False),
    Column("days_to_disclose", Integer),
    Column("late", Boolean),
    Column("superseded", Boolean, nullable=False),
    *_transaction_columns(),
    PrimaryKeyConstraint("filing_id", "row_number"),
    one_of("chamber", SOURCES),
    Index(None, "politician_id"),
    Index(None, "ticker"),
    Index(None, "transaction_date"),
    comment="One row per disclosed transaction, both chambers, one vocabulary.",
)

politicians = Table(
    "politicians",
    metadata,
    Column("politician_id", Text, primary_key=True),
    Column("chamber", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    Column("first_name", Text, nullable=False, info={"merge": "latest"}),
    Column("last_name", Text, nullable=False, info={"merge": "latest"}),
    Column("full_name", Text, nullable=False, info={"merge": "latest"}),
    Column("suffix", Text, info={"merge": "latest"}),
    Column("state", Text),
    Column("district", Text, info={"merge": "latest"}),
    Column("bioguide_id", Text, info={"merge": "latest"}),
    *_seen_columns(),
    one_of("chamber", SOURCES),
    comment="One row per member per chamber; natural key chamber + name_key + state.",
)
Index(
    "uq_politicians_natural_key",
    politicians.c.chamber,
    politicians.c.name_key,
    politicians.c.state,
    unique=True,
    postgresql_nulls_not_distinct=True,
)

tickers = Table(
    "tickers",
    metadata,
    Column("symbol", Text, primary_key=True),
    Column("asset_name", Text, info={"merge": "latest"}),
    Column("asset_type", Text, info={"merge": "latest"}),
    *_seen_columns(),
    comment="Every symbol a trade references, with the asset name last seen for it.",
)

CHANGES = ("insert", "update", "delete")

trade_changes = Table(
    "trade_changes",
    metadata,
    Column("change_id", BigInteger, Identity(), primary_key=True),
    Column("changed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("run_id", Text, comment="the Dagster run that wrote the change (NULL: written outside a run)"),
    Column("window_start", Date),
    Column("window_end", Date, comment="exclusive"),
    Column("change", Text, nullable=False),
    Column("filing_id", Text, nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("columns", ARRAY(Text), comment="for an update, the columns whose value changed"),
    one_of("change", CHANGES),
    Index(None, "changed_at"),
    Index(None, "run_id"),
    comment="The change feed: every trade inserted, updated or deleted, recorded by triggers on trades.",
)

run_failures = Table(
    "run_failures",
    metadata,
    Column("run_id", Text, primary_key=True),
    Column("job_name", Text, nullable=False),
    Column("partition_range", Text),
    Column("failed_at", DateTime(timezone=True), nullable=False),
    Column("message", Text, nullable=False),
    Column("failed_steps", Text),
    comment="Runs that failed, recorded by the run-failure sensor for operators and alerting.",
)
