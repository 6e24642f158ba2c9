"""The single Definitions object: every source's assets (with their checks), the job, schedules,
sensors and resources. Each source lives in its own package, one hop from here."""

import dagster as dg

from quant_pipelines.executor import window_sized_executor
from quant_pipelines.house import assets as house_assets
from quant_pipelines.house.resource import HouseClerkResource
from quant_pipelines.issuers import assets as issuers_assets
from quant_pipelines.issuers.resource import SecResource
from quant_pipelines.members import assets as members_assets
from quant_pipelines.members.jobs import daily_members, members_job
from quant_pipelines.members.resource import LegislatorsResource
from quant_pipelines.schedules import daily_disclosures, ptr_job, weekly_catch_up
from quant_pipelines.senate import assets as senate_assets
from quant_pipelines.senate.resource import SenateEfdBrowser
from quant_pipelines.sensors import health_check, record_run_failures
from quant_pipelines.warehouse import assets as warehouse_assets
from quant_pipelines.warehouse.io_manager import PostgresWindowIOManager
from quant_pipelines.warehouse.resource import WarehouseResource

warehouse_resource = WarehouseResource()

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([senate_assets, house_assets, warehouse_assets, members_assets, issuers_assets]),
    jobs=[ptr_job, members_job],
    schedules=[daily_disclosures, weekly_catch_up, daily_members],
    sensors=[record_run_failures, health_check],
    executor=window_sized_executor,
    resources={
        "warehouse": warehouse_resource,
        "io_manager": PostgresWindowIOManager(warehouse=warehouse_resource),
        "senate_efd": SenateEfdBrowser(),
        "house_clerk": HouseClerkResource(),
        "legislators_site": LegislatorsResource(),
        "sec": SecResource(),
    },
)
