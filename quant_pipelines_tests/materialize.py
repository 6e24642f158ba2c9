"""The one way tests materialize assets in process: a partition or a single-run range, on a real
warehouse through the project's own IO manager, and what the run reported."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dagster as dg

from quant_pipelines.definitions import defs
from quant_pipelines.issuers.resource import SecResource
from quant_pipelines.members.resource import LegislatorsResource
from quant_pipelines.partitions import range_tags
from quant_pipelines.warehouse.io_manager import PostgresWindowIOManager
from quant_pipelines.warehouse.resource import WarehouseResource

# Every asset of the project, as the definitions declare them.
ALL_ASSETS = list(defs.assets or [])


def run_resources(**sites: dg.ConfigurableResource) -> dict[str, Any]:
    """The warehouse, its IO manager and the given site resources (``senate_efd``, ``house_clerk``;
    ``legislators_site`` and ``sec`` are always there, set up only when their steps run)."""
    warehouse = WarehouseResource()
    io_manager = PostgresWindowIOManager(warehouse=warehouse)
    return {"warehouse": warehouse, "io_manager": io_manager, "legislators_site": LegislatorsResource(),
            "sec": SecResource(), **sites}


def materialize(
    assets: Sequence[Any],
    resources: dict[str, Any],
    first: str,
    last: str | None = None,
    *,
    selection: Sequence[str] | None = None,
    run_config: dict | None = None,
    raise_on_error: bool = True,
) -> dg.ExecuteInProcessResult:
    """One run of ``assets`` over the partition ``first`` or, with ``last``, the range first..last."""
    window = {"partition_key": first} if last is None else {"tags": range_tags(first, last)}
    return dg.materialize(
        list(assets),
        resources=resources,
        selection=list(selection) if selection else None,
        run_config=run_config,
        raise_on_error=raise_on_error,
        **window,
    )


def metadata(result: dg.ExecuteInProcessResult, asset: str) -> dict[str, Any]:
    """The metadata values of ``asset``'s materialization in ``result``."""
    event = next(
        e for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == asset
    )
    return {key: getattr(value, "value", value) for key, value in event.materialization.metadata.items()}
