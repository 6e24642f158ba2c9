"""members, member_terms, politician_members (congress-legislators; filers matched to members) and
trade_issuers (trades without a filed ticker resolved against the SEC ticker list)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('members',
    sa.Column('bioguide_id', sa.Text(), nullable=False),
    sa.Column('first_name', sa.Text(), nullable=False),
    sa.Column('middle_name', sa.Text(), nullable=True),
    sa.Column('last_name', sa.Text(), nullable=False),
    sa.Column('suffix', sa.Text(), nullable=True),
    sa.Column('nickname', sa.Text(), nullable=True),
    sa.Column('official_full', sa.Text(), nullable=True),
    sa.Column('birthday', sa.Date(), nullable=True),
    sa.Column('gender', sa.Text(), nullable=True),
    sa.Column('raw_sha256', sa.Text(), nullable=False, comment='the archived legislators file this row came from'),
    sa.PrimaryKeyConstraint('bioguide_id', name=op.f('pk_members')),
    schema='quant',
    comment='Members of Congress from the congress-legislators files, keyed by bioguide id.'
    )
    op.create_table('member_terms',
    sa.Column('bioguide_id', sa.Text(), nullable=False),
    sa.Column('chamber', sa.Text(), nullable=False),
    sa.Column('term_start', sa.Date(), nullable=False),
    sa.Column('term_end', sa.Date(), nullable=False),
    sa.Column('state', sa.Text(), nullable=False),
    sa.Column('district', sa.Integer(), nullable=True, comment='House only; 0 = at large'),
    sa.Column('senate_class', sa.Integer(), nullable=True),
    sa.Column('party', sa.Text(), nullable=True),
    sa.CheckConstraint("chamber IN ('senate', 'house')", name=op.f('ck_member_terms_chamber')),
    sa.PrimaryKeyConstraint('bioguide_id', 'chamber', 'term_start', name=op.f('pk_member_terms')),
    schema='quant',
    comment='Every term of every member: chamber, state, district, party, start and end.'
    )
    op.create_index(op.f('ix_member_terms_chamber_state_term_start'), 'member_terms', ['chamber', 'state', 'term_start'], unique=False, schema='quant')
    op.create_table('politician_members',
    sa.Column('politician_id', sa.Text(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False, comment='which evidence matched, or why no single member fits'),
    sa.Column('as_of', sa.Date(), nullable=False, comment="the filed date matched (the politician's newest)"),
    sa.Column('bioguide_id', sa.Text(), nullable=True),
    sa.Column('party', sa.Text(), nullable=True),
    sa.Column('state', sa.Text(), nullable=True),
    sa.Column('district', sa.Integer(), nullable=True),
    sa.Column('matched_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('matched', 'ambiguous', 'unmatched')", name=op.f('ck_politician_members_status')),
    sa.CheckConstraint("(status = 'matched') = (bioguide_id IS NOT NULL)", name=op.f('ck_politician_members_bioguide_when_matched')),
    sa.PrimaryKeyConstraint('politician_id', name=op.f('pk_politician_members')),
    schema='quant',
    comment='Each politician matched to one member as of their newest filing, or the reason not.'
    )
    op.create_index(op.f('ix_politician_members_bioguide_id'), 'politician_members', ['bioguide_id'], unique=False, schema='quant')
    op.create_index(op.f('ix_politicians_bioguide_id'), 'politicians', ['bioguide_id'], unique=False, schema='quant')
    op.create_table('trade_issuers',
    sa.Column('filing_id', sa.Text(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('resolution_method', sa.Text(), nullable=False, comment='name_ticker, exact_name, loose_name; or not_listed_type, no_match, ambiguous'),
    sa.Column('resolution_confidence', sa.Numeric(precision=4, scale=3), nullable=True),
    sa.Column('resolved_ticker', sa.Text(), nullable=True),
    sa.Column('cik', sa.BigInteger(), nullable=True),
    sa.Column('list_sha256', sa.Text(), nullable=False, comment='the archived SEC ticker list (raw_documents) used'),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(resolved_ticker IS NULL) = (cik IS NULL)', name=op.f('ck_trade_issuers_ticker_with_cik')),
    sa.PrimaryKeyConstraint('filing_id', 'row_number', name=op.f('pk_trade_issuers')),
    schema='quant',
    comment='Issuer of each trade filed without a ticker, resolved from its asset name; the filed ticker is never replaced.'
    )
    op.create_index(op.f('ix_trade_issuers_cik'), 'trade_issuers', ['cik'], unique=False, schema='quant')


def downgrade() -> None:
    op.drop_index(op.f('ix_trade_issuers_cik'), table_name='trade_issuers', schema='quant')
    op.drop_table('trade_issuers', schema='quant')
    op.drop_index(op.f('ix_politicians_bioguide_id'), table_name='politicians', schema='quant')
    op.drop_index(op.f('ix_politician_members_bioguide_id'), table_name='politician_members', schema='quant')
    op.drop_table('politician_members', schema='quant')
    op.drop_index(op.f('ix_member_terms_chamber_state_term_start'), table_name='member_terms', schema='quant')
    op.drop_table('member_terms', schema='quant')
    op.drop_table('members', schema='quant')
