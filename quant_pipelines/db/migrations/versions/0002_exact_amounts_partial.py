"""exact amounts, unreadable rows kept in transactions, partially_parsed filings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

- ``transactions`` and ``trades`` gain ``amount_kind`` (band | over | exact) and
  ``amount_exact`` (the dollar figure with cents); rows already stored get their kind from
  their band (an open band is ``over``).
- ``transactions`` keeps rows a parser could not read: ``row_status`` (read | unreadable),
  ``raw_text`` and ``unreadable_reason``; the cells a read row must have become nullable,
  a CHECK still requires them on read rows.
- ``filings.status`` may be ``partially_parsed``.
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

SCHEMA = 'quant'
OLD_STATUSES = "'fetched', 'parsed', 'needs_ocr', 'parse_failed', 'blocked', 'superseded'"
NEW_STATUSES = "'fetched', 'parsed', 'partially_parsed', 'needs_ocr', 'parse_failed', 'blocked', 'superseded'"
READ_ROW_CELLS = ('owner', 'owner_raw', 'asset_name', 'transaction_type', 'transaction_type_raw', 'amount_min', 'amount_text')


def _amount_columns(table: str) -> None:
    op.add_column(table, sa.Column('amount_kind', sa.Text(), nullable=True, comment='band, over (open-ended band) or exact (a dollar figure)'), schema=SCHEMA)
    op.add_column(table, sa.Column('amount_exact', sa.Numeric(precision=14, scale=2), nullable=True, comment='the exact dollar figure with cents, when one is printed'), schema=SCHEMA)
    op.execute(f"UPDATE {SCHEMA}.{table} SET amount_kind = CASE WHEN amount_max IS NULL THEN 'over' ELSE 'band' END")
    op.create_check_constraint(op.f(f'ck_{table}_amount_kind'), table, "amount_kind IN ('band', 'over', 'exact')", schema=SCHEMA)
    op.create_check_constraint(op.f(f'ck_{table}_amount_exact_kind'), table, "(amount_kind = 'exact') = (amount_exact IS NOT NULL)", schema=SCHEMA)


def upgrade() -> None:
    op.drop_constraint(op.f('ck_filings_status'), 'filings', schema=SCHEMA, type_='check')
    op.create_check_constraint(op.f('ck_filings_status'), 'filings', f"status IN ({NEW_STATUSES})", schema=SCHEMA)
    for table in ('transactions', 'trades'):
        _amount_columns(table)
    op.add_column('transactions', sa.Column('row_status', sa.Text(), server_default=sa.text("'read'"), nullable=False), schema=SCHEMA)
    op.add_column('transactions', sa.Column('raw_text', sa.Text(), nullable=True, comment="an unreadable row's text as printed"), schema=SCHEMA)
    op.add_column('transactions', sa.Column('unreadable_reason', sa.Text(), nullable=True, comment='why the row could not be read'), schema=SCHEMA)
    for column in READ_ROW_CELLS:
        op.alter_column('transactions', column, existing_type=sa.BigInteger() if column == 'amount_min' else sa.Text(), nullable=True, schema=SCHEMA)
    op.create_check_constraint(op.f('ck_transactions_row_status'), 'transactions', "row_status IN ('read', 'unreadable')", schema=SCHEMA)
    op.create_check_constraint(
        op.f('ck_transactions_read_row_complete'), 'transactions',
        "row_status = 'unreadable' OR (" + " AND ".join(f"{column} IS NOT NULL" for column in READ_ROW_CELLS) + ")",
        schema=SCHEMA,
    )
    op.create_check_constraint(
        op.f('ck_transactions_unreadable_row_explained'), 'transactions',
        "row_status = 'read' OR (raw_text IS NOT NULL AND unreadable_reason IS NOT NULL)", schema=SCHEMA,
    )


def downgrade() -> None:
    op.execute(f"DELETE FROM {SCHEMA}.transactions WHERE row_status = 'unreadable'")
    for name in ('unreadable_row_explained', 'read_row_complete', 'row_status'):
        op.drop_constraint(op.f(f'ck_transactions_{name}'), 'transactions', schema=SCHEMA, type_='check')
    for column in READ_ROW_CELLS:
        op.alter_column('transactions', column, existing_type=sa.BigInteger() if column == 'amount_min' else sa.Text(), nullable=False, schema=SCHEMA)
    for column in ('unreadable_reason', 'raw_text', 'row_status'):
        op.drop_column('transactions', column, schema=SCHEMA)
    for table in ('trades', 'transactions'):
        for name in ('amount_exact_kind', 'amount_kind'):
            op.drop_constraint(op.f(f'ck_{table}_{name}'), table, schema=SCHEMA, type_='check')
        op.drop_column(table, 'amount_exact', schema=SCHEMA)
        op.drop_column(table, 'amount_kind', schema=SCHEMA)
    op.execute(f"UPDATE {SCHEMA}.filings SET status = 'parse_failed' WHERE status = 'partially_parsed'")
    op.drop_constraint(op.f('ck_filings_status'), 'filings', schema=SCHEMA, type_='check')
    op.create_check_constraint(op.f('ck_filings_status'), 'filings', f"status IN ({OLD_STATUSES})", schema=SCHEMA)
