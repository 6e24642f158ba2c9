"""The single Definitions object: assets (with their checks), jobs, schedules, sensors, resources."""

import dagster as dg

from quant_pipelines.house import assets as house

from quant_pipelines.senate import assets as senate

from quant_pipelines.warehouse import assets as warehouse
from quant_pipelines.senate.resource import SenateEfdBrowser
from quant_pipelines.house.resource import HouseClerkResource
from quant_pipelines.warehouse.io_manager import PostgresWindowIOManager, WarehouseResource
from quant_pipelines.schedules import daily_disclosures, health_check, ptr_job, record_run_failures, weekly_catch_up

warehouse_resource = WarehouseResource()

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([senate, house, warehouse]),
    jobs=[ptr_job],
    schedules=[daily_disclosures, weekly_catch_up],
    sensors=[record_run_failures, health_check],
    resources={
        "warehouse": warehouse_resource,
        "io_manager": PostgresWindowIOManager(warehouse=warehouse_resource),
        "senate_efd": SenateEfdBrowser(),
        "house_clerk": HouseClerkResource(),
    },
)
