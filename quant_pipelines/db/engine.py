"""The warehouse engine: QUANT_DATABASE_URL, or the embedded server, checked live.

Kept free of Dagster and pandas so the command line stays light while a run it started
holds the memory.
"""

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from quant_pipelines.db import embedded_postgres
from quant_pipelines.settings import WAREHOUSE_DRIVER, Settings


class WarehouseUnavailable(RuntimeError):
    """The warehouse cannot be reached; the message is one line and hides any password."""


def warehouse_engine(settings: Settings, *, pool_size: int = 5, max_overflow: int = 10) -> Engine:
    """An engine on QUANT_DATABASE_URL, or on the embedded server when it is unset; checked live."""
    url = settings.database_url or embedded_postgres.server_url(
        settings.state_dir, embedded_postgres.WAREHOUSE_DATABASE, WAREHOUSE_DRIVER
    )
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10, "application_name": "quant_pipelines"},
    )
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise WarehouseUnavailable(f"cannot connect to the warehouse at {where}: {reason}") from None
    return engine
