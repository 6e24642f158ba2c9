"""Alembic environment: runs on the connection handed over by ``quant_pipelines.db.migrate``."""

from alembic import context
from sqlalchemy import text

from quant_pipelines.db.schema import SCHEMA, metadata

connection = context.config.attributes["connection"]
connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA}"'))
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table_schema=SCHEMA,
    include_schemas=True,
)
with context.begin_transaction():
    context.run_migrations()
