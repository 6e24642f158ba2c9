"""The warehouse as a Dagster resource: its engine, and the settings the warehouse assets act on."""

from __future__ import annotations

import dagster as dg
from pydantic import PrivateAttr
from sqlalchemy import Engine

from quant_pipelines.db.engine import WarehouseUnavailable, warehouse_engine
from quant_pipelines.db.migrate import require_current
from quant_pipelines.settings import Settings, load_settings


class WarehouseResource(dg.ConfigurableResource):
    """SQLAlchemy engine on the warehouse (pool 5 + overflow 10), disposed when the step ends."""

    pool_size: int = 5
    max_overflow: int = 10
    _engine: Engine | None = PrivateAttr(default=None)
    _settings: Settings | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        try:
            self._settings = load_settings()
            self._engine = warehouse_engine(
                self._settings, pool_size=self.pool_size, max_overflow=self.max_overflow
            )
            require_current(self._engine)
        except Exception as exc:
            if self._engine is not None:
                self._engine.dispose()
            # An unreachable server may come back (step retries help); bad settings will not.
            raise dg.Failure(
                description=str(exc), allow_retries=isinstance(exc, WarehouseUnavailable)
            ) from exc

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("WarehouseResource used outside of a run (setup_for_execution not called)")
        return self._engine

    @property
    def unreadable_shares(self) -> tuple[float, float]:
        """Shares of unreadable filings per window that warn and fail the check (QUANT_UNREADABLE_*)."""
        if self._settings is None:
            raise RuntimeError("WarehouseResource used outside of a run (setup_for_execution not called)")
        return self._settings.unreadable_warn_share, self._settings.unreadable_error_share
