"""ocr extraction: needs_review status, extraction and its confidence on transactions and trades

Rows read by OCR that fail their checks stay in ``transactions`` (with ``review_reason``) with the fields that could not be read left NULL, so those columns become
nullable there; ``trades`` only ever receives accepted rows and keeps them NOT NULL.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None

_OLD = "status IN ('fetched', 'parsed', 'needs_ocr', 'parse_failed', 'blocked', 'superseded')"
_NEW = "status IN ('fetched', 'parsed', 'needs_ocr', 'needs_review', 'parse_failed', 'blocked', 'superseded')"
_UNREAD = ('owner', 'owner_raw', 'asset_name', 'transaction_type', 'transaction_type_raw', 'amount_min', 'amount_text')


def upgrade() -> None:
    op.drop_constraint(op.f('ck_filings_status'), 'filings', schema='quant', type_='check')
    op.create_check_constraint(op.f('ck_filings_status'), 'filings', _NEW, schema='quant')
    for table in ('transactions', 'trades'):
        op.add_column(table, sa.Column('extraction', sa.Text(), server_default='text', nullable=False), schema='quant')
        op.add_column(table, sa.Column('extraction_confidence', sa.Float(), nullable=True), schema='quant')
        op.create_check_constraint(
            op.f(f'ck_{table}_extraction'), table, "extraction IN ('text', 'ocr')", schema='quant'
        )
    op.add_column('transactions', sa.Column(
        'review_reason', sa.Text(), nullable=True, comment='why an OCR row is held back from trades (NULL = accepted)'
    ), schema='quant')
    for column in _UNREAD:
        op.alter_column('transactions', column, nullable=True, schema='quant')


def downgrade() -> None:
    op.execute("DELETE FROM quant.transactions WHERE review_reason IS NOT NULL")
    for column in _UNREAD:
        op.alter_column('transactions', column, nullable=False, schema='quant')
    op.drop_column('transactions', 'review_reason', schema='quant')
    for table in ('transactions', 'trades'):
        op.drop_constraint(op.f(f'ck_{table}_extraction'), table, schema='quant', type_='check')
        op.drop_column(table, 'extraction_confidence', schema='quant')
        op.drop_column(table, 'extraction', schema='quant')
    op.execute("UPDATE quant.filings SET status = 'needs_ocr' WHERE status = 'needs_review'")
    op.drop_constraint(op.f('ck_filings_status'), 'filings', schema='quant', type_='check')
    op.create_check_constraint(op.f('ck_filings_status'), 'filings', _OLD, schema='quant')
