"""Reference tables: congress-legislators members and terms, filers matched to them, trade issuers."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    Numeric,
    PrimaryKeyConstraint,
    Table,
    Text,
)

from quant_pipelines.db.schema.core import SOURCES, metadata, one_of, politicians

MATCH_STATUSES = ("matched", "ambiguous", "unmatched")

members = Table(
    "members",
    metadata,
    Column("bioguide_id", Text, primary_key=True),
    Column("first_name", Text, nullable=False),
    Column("middle_name", Text),
    Column("last_name", Text, nullable=False),
    Column("suffix", Text),
    Column("nickname", Text),
    Column("official_full", Text),
    Column("birthday", Date),
    Column("gender", Text),
    Column(
        "raw_sha256",
        Text,
        nullable=False,
        comment="the archived legislators file this row came from",
    ),
    comment="Members of Congress from the congress-legislators files, keyed by bioguide id.",
)

member_terms = Table(
    "member_terms",
    metadata,
    Column("bioguide_id", Text, nullable=False),
    Column("chamber", Text, nullable=False),
    Column("term_start", Date, nullable=False),
    Column("term_end", Date, nullable=False),
    Column("state", Text, nullable=False),
    Column("district", Integer, comment="House only; 0 = at large"),
    Column("senate_class", Integer),
    Column("party", Text),
    PrimaryKeyConstraint("bioguide_id", "chamber", "term_start"),
    one_of("chamber", SOURCES),
    Index(None, "chamber", "state", "term_start"),
    comment="Every term of every member: chamber, state, district, party, start and end.",
)

politician_members = Table(
    "politician_members",
    metadata,
    Column("politician_id", Text, primary_key=True),
    Column("status", Text, nullable=False),
    Column(
        "reason",
        Text,
        nullable=False,
        comment="which evidence matched, or why no single member fits",
    ),
    Column(
        "as_of",
        Date,
        nullable=False,
        comment="the filed date matched (the politician's newest)",
    ),
    Column("bioguide_id", Text),
    Column("party", Text),
    Column("state", Text),
    Column("district", Integer),
    Column("matched_at", DateTime(timezone=True), nullable=False),
    one_of("status", MATCH_STATUSES),
    CheckConstraint(
        "(status = 'matched') = (bioguide_id IS NOT NULL)", name="bioguide_when_matched"
    ),
    Index(None, "bioguide_id"),
    comment="Each politician matched to one member as of their newest filing, or the reason not.",
)
# Trades join members through their politician's bioguide id (set by the member matching).
Index("ix_politicians_bioguide_id", politicians.c.bioguide_id)

trade_issuers = Table(
    "trade_issuers",
    metadata,
    Column("filing_id", Text, nullable=False),
    Column("row_number", Integer, nullable=False),
    Column(
        "resolution_method",
        Text,
        nullable=False,
        comment="name_ticker, exact_name, loose_name; or not_listed_type, no_match, ambiguous",
    ),
    Column("resolution_confidence", Numeric(4, 3)),
    Column("resolved_ticker", Text),
    Column("cik", BigInteger),
    Column(
        "list_sha256",
        Text,
        nullable=False,
        comment="the archived SEC ticker list (raw_documents) used",
    ),
    Column("resolved_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("filing_id", "row_number"),
    CheckConstraint(
        "(resolved_ticker IS NULL) = (cik IS NULL)", name="ticker_with_cik"
    ),
    Index(None, "cik"),
    comment="Issuer of each trade filed without a ticker, resolved from its asset name; "
    "the filed ticker is never replaced.",
)
