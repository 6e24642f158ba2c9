"""The single Definitions object: assets, checks, schedules, sensors and resources."""

import dagster as dg

from quant_pipelines.assets.senate import senate_assets
from quant_pipelines.resources.browser import SenateEfdBrowser
from quant_pipelines.resources.warehouse import PostgresWindowIOManager, WarehouseResource

warehouse = WarehouseResource()

defs = dg.Definitions(
    assets=[*senate_assets],
    resources={
        "warehouse": warehouse,
        "io_manager": PostgresWindowIOManager(warehouse=warehouse),
        "senate_efd": SenateEfdBrowser(),
    },
)
