"""Helpers for the House asset tests: run the assets in-process, read back what they wrote."""

from __future__ import annotations

from typing import Any

import dagster as dg
from sqlalchemy import Engine, select

from quant_pipelines.db.schema import filings, transactions
from quant_pipelines.house.assets import house_filings, house_transactions
from quant_pipelines.house.resource import HouseClerkResource
from quant_pipelines_tests import materialize as runs
from quant_pipelines_tests.materialize import metadata
from quant_pipelines_tests.replica.house import HouseReplica

__all__ = ["ledger", "lines", "materialize", "metadata", "pdf_requests"]


def materialize(
    house_clerk: HouseClerkResource,
    first: str,
    last: str | None = None,
    *,
    only: str | None = None,
    run_config: dict | None = None,
) -> dg.ExecuteInProcessResult:
    """One run of both House assets (or ``only`` one) over ``first``..``last`` (a single-run
    backfill when they differ)."""
    resources = runs.run_resources(house_clerk=house_clerk)
    selection = [only] if only else None
    return runs.materialize(
        [house_filings, house_transactions], resources, first, last, selection=selection, run_config=run_config
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


def pdf_requests(replica: HouseReplica) -> dict[str, int]:
    return {path: count for path, count in replica.requests.items() if path.endswith(".pdf")}
