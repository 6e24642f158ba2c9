"""Stand-ins with the real asset keys and graph shape, for the operations tests.

`quant-pipelines trigger` names assets by key (``trigger.ASSET_SELECTIONS``); serving these
from a real code server lets the tests launch exactly what production launches, without
calling the sites. Each asset only reports the window its run covered.
"""

import dagster as dg

from quant_pipelines.partitions import daily_partitions

SINGLE_RUN = dg.BackfillPolicy.single_run()


def _window(context: dg.AssetExecutionContext) -> dict[str, str]:
    window = context.partition_time_window
    return {"window": f"{window.start.date()}...{window.end.date()}"}


def _chamber(chamber: str) -> list[dg.AssetsDefinition]:
    @dg.asset(name=f"{chamber}_filings", partitions_def=daily_partitions, backfill_policy=SINGLE_RUN)
    def filings(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        """Stand-in for the chamber's listing and archive step."""
        return dg.MaterializeResult(metadata=_window(context))

    @dg.asset(
        name=f"{chamber}_transactions",
        deps=[filings],
        partitions_def=daily_partitions,
        backfill_policy=SINGLE_RUN,
    )
    def transactions(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        """Stand-in for the chamber's parse step."""
        return dg.MaterializeResult(metadata=_window(context))

    return [filings, transactions]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(name, deps=["senate_transactions", "house_transactions"])
        for name in ("trades", "politicians", "tickers")
    ],
    partitions_def=daily_partitions,
    backfill_policy=SINGLE_RUN,
)
def warehouse(context: dg.AssetExecutionContext):
    """Stand-in for the multi-asset building trades, politicians and tickers."""
    for key in context.selected_asset_keys:
        yield dg.MaterializeResult(asset_key=key, metadata=_window(context))


defs = dg.Definitions(assets=[*_chamber("senate"), *_chamber("house"), warehouse])
