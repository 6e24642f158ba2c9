"""The single Definitions object: assets, checks, schedules, sensors and resources."""

import dagster as dg

from quant_pipelines.assets.house import house_filings, house_transactions
from quant_pipelines.resources.house_clerk import HouseClerkResource
from quant_pipelines.resources.warehouse import PostgresWindowIOManager, WarehouseResource

warehouse = WarehouseResource()

defs = dg.Definitions(
    assets=[house_filings, house_transactions],
    resources={
        "warehouse": warehouse,
        "io_manager": PostgresWindowIOManager(warehouse=warehouse),
        "house_clerk": HouseClerkResource(),
    },
)
