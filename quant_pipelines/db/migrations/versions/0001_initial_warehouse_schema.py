"""initial warehouse schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('filings',
    sa.Column('filing_id', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('source_id', sa.Text(), nullable=False),
    sa.Column('politician_id', sa.Text(), nullable=False),
    sa.Column('filer_name', sa.Text(), nullable=False),
    sa.Column('first_name', sa.Text(), nullable=False),
    sa.Column('last_name', sa.Text(), nullable=False),
    sa.Column('suffix', sa.Text(), nullable=True),
    sa.Column('state', sa.Text(), nullable=True),
    sa.Column('district', sa.Text(), nullable=True),
    sa.Column('filing_type', sa.Text(), nullable=False),
    sa.Column('amendment_number', sa.Integer(), nullable=True),
    sa.Column('amends', sa.Text(), nullable=True, comment='source_id of the filing this one amends'),
    sa.Column('amends_reason', sa.Text(), nullable=True, comment='how the amendment was linked, or why it could not be'),
    sa.Column('report_title', sa.Text(), nullable=True),
    sa.Column('filed_date', sa.Date(), nullable=False),
    sa.Column('report_url', sa.Text(), nullable=False),
    sa.Column('raw_sha256', sa.Text(), nullable=True),
    sa.Column('parser_version', sa.Text(), nullable=True),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('detail', postgresql.JSONB(astext_type=sa.Text()), nullable=True, comment='source-specific facts, e.g. the page images of a paper filing'),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('parsed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("filing_type IN ('original', 'amendment', 'paper', 'scanned')", name=op.f('ck_filings_filing_type')),
    sa.CheckConstraint("source IN ('senate', 'house')", name=op.f('ck_filings_source')),
    sa.CheckConstraint("status IN ('fetched', 'parsed', 'needs_ocr', 'parse_failed', 'blocked', 'superseded')", name=op.f('ck_filings_status')),
    sa.PrimaryKeyConstraint('filing_id', name=op.f('pk_filings')),
    sa.UniqueConstraint('source', 'source_id', name=op.f('uq_filings_source_source_id')),
    schema='quant',
    comment='The ledger: one row per report and what became of it.'
    )
    op.create_index(op.f('ix_filings_amends'), 'filings', ['amends'], unique=False, schema='quant')
    op.create_index(op.f('ix_filings_filed_date'), 'filings', ['filed_date'], unique=False, schema='quant')
    op.create_table('politicians',
    sa.Column('politician_id', sa.Text(), nullable=False),
    sa.Column('chamber', sa.Text(), nullable=False),
    sa.Column('name_key', sa.Text(), nullable=False),
    sa.Column('first_name', sa.Text(), nullable=False),
    sa.Column('last_name', sa.Text(), nullable=False),
    sa.Column('full_name', sa.Text(), nullable=False),
    sa.Column('suffix', sa.Text(), nullable=True),
    sa.Column('state', sa.Text(), nullable=True),
    sa.Column('district', sa.Text(), nullable=True),
    sa.Column('bioguide_id', sa.Text(), nullable=True),
    sa.Column('first_seen', sa.Date(), nullable=False),
    sa.Column('last_seen', sa.Date(), nullable=False),
    sa.CheckConstraint("chamber IN ('senate', 'house')", name=op.f('ck_politicians_chamber')),
    sa.PrimaryKeyConstraint('politician_id', name=op.f('pk_politicians')),
    schema='quant',
    comment='One row per member per chamber; natural key chamber + name_key + state.'
    )
    op.create_index('uq_politicians_natural_key', 'politicians', ['chamber', 'name_key', 'state'], unique=True, schema='quant', postgresql_nulls_not_distinct=True)
    op.create_table('raw_documents',
    sa.Column('sha256', sa.Text(), nullable=False),
    sa.Column('media_type', sa.Text(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name=op.f('ck_raw_documents_sha256_hex')),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_raw_documents')),
    schema='quant',
    comment='Every fetched document, content-addressed; never deleted.'
    )
    op.create_table('run_failures',
    sa.Column('run_id', sa.Text(), nullable=False),
    sa.Column('job_name', sa.Text(), nullable=False),
    sa.Column('partition_range', sa.Text(), nullable=True),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('failed_steps', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('run_id', name=op.f('pk_run_failures')),
    schema='quant',
    comment='Runs that failed, recorded by the run-failure sensor for operators and alerting.'
    )
    op.create_table('tickers',
    sa.Column('symbol', sa.Text(), nullable=False),
    sa.Column('asset_name', sa.Text(), nullable=True),
    sa.Column('asset_type', sa.Text(), nullable=True),
    sa.Column('first_seen', sa.Date(), nullable=False),
    sa.Column('last_seen', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('symbol', name=op.f('pk_tickers')),
    schema='quant',
    comment='Every symbol a trade references, with the asset name last seen for it.'
    )
    op.create_table('trades',
    sa.Column('politician_id', sa.Text(), nullable=False),
    sa.Column('chamber', sa.Text(), nullable=False),
    sa.Column('days_to_disclose', sa.Integer(), nullable=True),
    sa.Column('late', sa.Boolean(), nullable=True),
    sa.Column('superseded', sa.Boolean(), nullable=False),
    sa.Column('filing_id', sa.Text(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('filed_date', sa.Date(), nullable=False),
    sa.Column('transaction_date', sa.Date(), nullable=True),
    sa.Column('notification_date', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=False),
    sa.Column('ticker', sa.Text(), nullable=True),
    sa.Column('asset_name', sa.Text(), nullable=False),
    sa.Column('asset_type', sa.Text(), nullable=True),
    sa.Column('transaction_type', sa.Text(), nullable=False),
    sa.Column('amount_min', sa.BigInteger(), nullable=False),
    sa.Column('amount_max', sa.BigInteger(), nullable=True),
    sa.Column('amount_text', sa.Text(), nullable=False),
    sa.Column('option_type', sa.Text(), nullable=True),
    sa.Column('strike_price', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('expiry', sa.Date(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('cap_gains_over_200', sa.Boolean(), nullable=True),
    sa.Column('raw_sha256', sa.Text(), nullable=False),
    sa.Column('parser_version', sa.Text(), nullable=False),
    sa.CheckConstraint("chamber IN ('senate', 'house')", name=op.f('ck_trades_chamber')),
    sa.CheckConstraint("owner IN ('self', 'spouse', 'joint', 'child')", name=op.f('ck_trades_owner')),
    sa.CheckConstraint("transaction_type IN ('purchase', 'sale_full', 'sale_partial', 'exchange')", name=op.f('ck_trades_transaction_type')),
    sa.CheckConstraint('amount_max IS NULL OR amount_min <= amount_max', name=op.f('ck_trades_amount_order')),
    sa.PrimaryKeyConstraint('filing_id', 'row_number', name=op.f('pk_trades')),
    schema='quant',
    comment='One row per disclosed transaction, both chambers, one vocabulary.'
    )
    op.create_index(op.f('ix_trades_filed_date'), 'trades', ['filed_date'], unique=False, schema='quant')
    op.create_index(op.f('ix_trades_politician_id'), 'trades', ['politician_id'], unique=False, schema='quant')
    op.create_index(op.f('ix_trades_ticker'), 'trades', ['ticker'], unique=False, schema='quant')
    op.create_index(op.f('ix_trades_transaction_date'), 'trades', ['transaction_date'], unique=False, schema='quant')
    op.create_table('transactions',
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('owner_raw', sa.Text(), nullable=False),
    sa.Column('asset_type_raw', sa.Text(), nullable=True),
    sa.Column('transaction_type_raw', sa.Text(), nullable=False),
    sa.Column('filing_status', sa.Text(), nullable=True),
    sa.Column('details', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('filing_id', sa.Text(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('filed_date', sa.Date(), nullable=False),
    sa.Column('transaction_date', sa.Date(), nullable=True),
    sa.Column('notification_date', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=False),
    sa.Column('ticker', sa.Text(), nullable=True),
    sa.Column('asset_name', sa.Text(), nullable=False),
    sa.Column('asset_type', sa.Text(), nullable=True),
    sa.Column('transaction_type', sa.Text(), nullable=False),
    sa.Column('amount_min', sa.BigInteger(), nullable=False),
    sa.Column('amount_max', sa.BigInteger(), nullable=True),
    sa.Column('amount_text', sa.Text(), nullable=False),
    sa.Column('option_type', sa.Text(), nullable=True),
    sa.Column('strike_price', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('expiry', sa.Date(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('cap_gains_over_200', sa.Boolean(), nullable=True),
    sa.Column('raw_sha256', sa.Text(), nullable=False),
    sa.Column('parser_version', sa.Text(), nullable=False),
    sa.CheckConstraint("owner IN ('self', 'spouse', 'joint', 'child')", name=op.f('ck_transactions_owner')),
    sa.CheckConstraint("source IN ('senate', 'house')", name=op.f('ck_transactions_source')),
    sa.CheckConstraint("transaction_type IN ('purchase', 'sale_full', 'sale_partial', 'exchange')", name=op.f('ck_transactions_transaction_type')),
    sa.CheckConstraint('amount_max IS NULL OR amount_min <= amount_max', name=op.f('ck_transactions_amount_order')),
    sa.PrimaryKeyConstraint('filing_id', 'row_number', name=op.f('pk_transactions')),
    schema='quant',
    comment='Transaction lines as parsed from each archived document, before enrichment.'
    )
    op.create_index(op.f('ix_transactions_filed_date'), 'transactions', ['filed_date'], unique=False, schema='quant')


def downgrade() -> None:
    op.drop_index(op.f('ix_transactions_filed_date'), table_name='transactions', schema='quant')
    op.drop_table('transactions', schema='quant')
    op.drop_index(op.f('ix_trades_transaction_date'), table_name='trades', schema='quant')
    op.drop_index(op.f('ix_trades_ticker'), table_name='trades', schema='quant')
    op.drop_index(op.f('ix_trades_politician_id'), table_name='trades', schema='quant')
    op.drop_index(op.f('ix_trades_filed_date'), table_name='trades', schema='quant')
    op.drop_table('trades', schema='quant')
    op.drop_table('tickers', schema='quant')
    op.drop_table('run_failures', schema='quant')
    op.drop_table('raw_documents', schema='quant')
    op.drop_index('uq_politicians_natural_key', table_name='politicians', schema='quant', postgresql_nulls_not_distinct=True)
    op.drop_table('politicians', schema='quant')
    op.drop_index(op.f('ix_filings_filed_date'), table_name='filings', schema='quant')
    op.drop_index(op.f('ix_filings_amends'), table_name='filings', schema='quant')
    op.drop_table('filings', schema='quant')
