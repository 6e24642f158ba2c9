"""ocr extraction: needs_review status, extraction and its confidence on transactions and trades

Rows read by OCR that fail their checks stay in ``transactions`` with ``review_reason`` and
the fields that could not be read left NULL (those cells are nullable since 0002): the CHECK
that asks a read row for its cells lets such rows through. ``trades`` only ever receives
accepted rows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

SCHEMA = 'quant'
OLD_STATUSES = "'fetched', 'parsed', 'partially_parsed', 'needs_ocr', 'parse_failed', 'blocked', 'superseded'"
NEW_STATUSES = (
    "'fetched', 'parsed', 'partially_parsed', 'needs_ocr', 'needs_review', 'parse_failed', 'blocked', 'superseded'"
)
READ_ROW_CELLS = ('owner', 'owner_raw', 'asset_name', 'transaction_type', 'transaction_type_raw', 'amount_min', 'amount_text')
_COMPLETE = " AND ".join(f"{column} IS NOT NULL" for column in READ_ROW_CELLS)


def _read_row_complete(condition: str) -> None:
    op.drop_constraint(op.f('ck_transactions_read_row_complete'), 'transactions', schema=SCHEMA, type_='check')
    op.create_check_constraint(op.f('ck_transactions_read_row_complete'), 'transactions', condition, schema=SCHEMA)


def _statuses(statuses: str) -> None:
    op.drop_constraint(op.f('ck_filings_status'), 'filings', schema=SCHEMA, type_='check')
    op.create_check_constraint(op.f('ck_filings_status'), 'filings', f"status IN ({statuses})", schema=SCHEMA)


def upgrade() -> None:
    _statuses(NEW_STATUSES)
    for table in ('transactions', 'trades'):
        op.add_column(table, sa.Column('extraction', sa.Text(), server_default='text', nullable=False), schema=SCHEMA)
        op.add_column(table, sa.Column('extraction_confidence', sa.Float(), nullable=True), schema=SCHEMA)
        op.create_check_constraint(
            op.f(f'ck_{table}_extraction'), table, "extraction IN ('text', 'ocr')", schema=SCHEMA
        )
    op.add_column('transactions', sa.Column(
        'review_reason', sa.Text(), nullable=True, comment='why an OCR row is held back from trades (NULL = accepted)'
    ), schema=SCHEMA)
    _read_row_complete(f"row_status = 'unreadable' OR review_reason IS NOT NULL OR ({_COMPLETE})")


def downgrade() -> None:
    op.execute(f"DELETE FROM {SCHEMA}.transactions WHERE review_reason IS NOT NULL")
    _read_row_complete(f"row_status = 'unreadable' OR ({_COMPLETE})")
    op.drop_column('transactions', 'review_reason', schema=SCHEMA)
    for table in ('transactions', 'trades'):
        op.drop_constraint(op.f(f'ck_{table}_extraction'), table, schema=SCHEMA, type_='check')
        op.drop_column(table, 'extraction_confidence', schema=SCHEMA)
        op.drop_column(table, 'extraction', schema=SCHEMA)
    op.execute(f"UPDATE {SCHEMA}.filings SET status = 'needs_ocr' WHERE status = 'needs_review'")
    _statuses(OLD_STATUSES)
