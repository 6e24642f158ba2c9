"""trade_changes: the change feed of trades, written by statement triggers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# One function for the three statement triggers: each sees only its own transition tables.
# The writer names its run and window with set_config('quant.run_id' / 'quant.window_start' /
# 'quant.window_end', ..., true); unset (or reset at the end of a transaction) they read ''.
RECORD_CHANGES = """
CREATE FUNCTION quant.record_trade_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    run text := NULLIF(current_setting('quant.run_id', true), '');
    first_day date := NULLIF(current_setting('quant.window_start', true), '')::date;
    end_day date := NULLIF(current_setting('quant.window_end', true), '')::date;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO quant.trade_changes (run_id, window_start, window_end, change, filing_id, row_number)
        SELECT run, first_day, end_day, 'insert', n.filing_id, n.row_number FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO quant.trade_changes (run_id, window_start, window_end, change, filing_id, row_number)
        SELECT run, first_day, end_day, 'delete', o.filing_id, o.row_number FROM old_rows o;
    ELSE
        INSERT INTO quant.trade_changes (run_id, window_start, window_end, change, filing_id, row_number, columns)
        SELECT run, first_day, end_day, 'update', n.filing_id, n.row_number,
               ARRAY(SELECT e.key FROM jsonb_each(to_jsonb(n)) AS e
                     WHERE e.value IS DISTINCT FROM to_jsonb(o) -> e.key ORDER BY e.key)
        FROM new_rows n JOIN old_rows o USING (filing_id, row_number)
        WHERE to_jsonb(n) IS DISTINCT FROM to_jsonb(o);
    END IF;
    RETURN NULL;
END
$$
"""
TRIGGERS = {
    'trade_inserts': 'AFTER INSERT ON quant.trades REFERENCING NEW TABLE AS new_rows',
    'trade_updates': 'AFTER UPDATE ON quant.trades REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows',
    'trade_deletes': 'AFTER DELETE ON quant.trades REFERENCING OLD TABLE AS old_rows',
}


def upgrade() -> None:
    op.create_table('trade_changes',
    sa.Column('change_id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('run_id', sa.Text(), nullable=True, comment='the Dagster run that wrote the change (NULL: written outside a run)'),
    sa.Column('window_start', sa.Date(), nullable=True),
    sa.Column('window_end', sa.Date(), nullable=True, comment='exclusive'),
    sa.Column('change', sa.Text(), nullable=False),
    sa.Column('filing_id', sa.Text(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('columns', postgresql.ARRAY(sa.Text()), nullable=True, comment='for an update, the columns whose value changed'),
    sa.CheckConstraint("change IN ('insert', 'update', 'delete')", name=op.f('ck_trade_changes_change')),
    sa.PrimaryKeyConstraint('change_id', name=op.f('pk_trade_changes')),
    schema='quant',
    comment='The change feed: every trade inserted, updated or deleted, recorded by triggers on trades.'
    )
    op.create_index(op.f('ix_trade_changes_changed_at'), 'trade_changes', ['changed_at'], unique=False, schema='quant')
    op.create_index(op.f('ix_trade_changes_run_id'), 'trade_changes', ['run_id'], unique=False, schema='quant')
    op.execute(RECORD_CHANGES)
    for name, when in TRIGGERS.items():
        op.execute(f'CREATE TRIGGER {name} {when} FOR EACH STATEMENT EXECUTE FUNCTION quant.record_trade_changes()')


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f'DROP TRIGGER {name} ON quant.trades')
    op.execute('DROP FUNCTION quant.record_trade_changes()')
    op.drop_index(op.f('ix_trade_changes_run_id'), table_name='trade_changes', schema='quant')
    op.drop_index(op.f('ix_trade_changes_changed_at'), table_name='trade_changes', schema='quant')
    op.drop_table('trade_changes', schema='quant')
