"""Helpers for the House asset tests: run the assets in-process, read back what they wrote."""

from __future__ import annotations

from typing import Any

import dagster as dg
from sqlalchemy import Engine, select

from quant_pipelines.house.assets import house_filings, house_transactions
from quant_pipelines.db.schema import filings, transactions
from quant_pipelines.house.resource import HouseClerkResource
from quant_pipelines.warehouse.io_manager import PostgresWindowIOManager, WarehouseResource
from quant_pipelines_tests.replica.house import HouseReplica

RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def materialize(
    house_clerk: HouseClerkResource, first: str, last: str | None = None, *, only: str | None = None
) -> dg.ExecuteInProcessResult:
    """One run of both House assets (or ``only`` one) over ``first``..``last`` (a single-run
    backfill when they differ)."""
    warehouse = WarehouseResource()
    resources = {
        "warehouse": warehouse,
        "io_manager": PostgresWindowIOManager(warehouse=warehouse),
        "house_clerk": house_clerk,
    }
    window = {"partition_key": first} if last is None else {"tags": {RANGE_START: first, RANGE_END: last}}
    selection = [only] if only else None
    return dg.materialize(
        [house_filings, house_transactions], resources=resources, selection=selection, **window
    )


def ledger(engine: Engine) -> dict[str, dict[str, Any]]:
    with engine.connect() as conn:
        return {
            row.source_id: dict(row._mapping)
            for row in conn.execute(select(filings).where(filings.c.source == "house"))
        }


def lines(engine: Engine) -> list[dict[str, Any]]:
    query = select(transactions).order_by(transactions.c.filing_id, transactions.c.row_number)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def metadata(result: dg.ExecuteInProcessResult, asset: str) -> dict[str, Any]:
    event = next(
        e for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == asset
    )
    return {key: getattr(value, "value", value) for key, value in event.materialization.metadata.items()}


def pdf_requests(replica: HouseReplica) -> dict[str, int]:
    return {path: count for path, count in replica.requests.items() if path.endswith(".pdf")}
