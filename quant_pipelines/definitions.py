"""The single Definitions object: assets, checks, schedules, sensors and resources."""

import dagster as dg

from quant_pipelines.resources.warehouse import PostgresWindowIOManager, WarehouseResource

warehouse = WarehouseResource()

defs = dg.Definitions(
    assets=[],
    resources={
        "warehouse": warehouse,
        "io_manager": PostgresWindowIOManager(warehouse=warehouse),
    },
)
