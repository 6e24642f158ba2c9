"""A probe asset for the IO manager tests: it writes synthetic trades for its time window.

Loaded by the tests in-process and by `dagster asset materialize -m quant_pipelines_tests.warehouse.window_defs`.
"""

import threading
from datetime import date, timedelta

import dagster as dg
import pandas as pd

from quant_pipelines.partitions import daily_partitions
from quant_pipelines.steps import database_step
from quant_pipelines.warehouse.io_manager import PostgresWindowIOManager
from quant_pipelines.warehouse.resource import WarehouseResource

# Tests that need two runs to overlap in time set this barrier before starting them.
overlap_barrier: threading.Barrier | None = None


class ProbeConfig(dg.Config):
    """How the probe shapes its rows, so tests can change a window's content."""

    rows_per_day: int = 3
    amount_scale: int = 1
    broken_row_at: int = -1  # index of a row made to violate a CHECK constraint (-1: none)


def synthetic_trades(start: date, end: date, config: ProbeConfig) -> pd.DataFrame:
    """Deterministic trade rows for filed dates in [start, end)."""
    rows = []
    day = start
    while day < end:
        for n in range(1, config.rows_per_day + 1):
            low = 1001 * config.amount_scale
            rows.append(
                {
                    "filing_id": f"house:{day:%Y%m%d}",
                    "row_number": n,
                    "politician_id": "house:probe-pat:CA",
                    "chamber": "house",
                    "filed_date": day,
                    "transaction_date": day - timedelta(days=n),
                    "owner": "self",
                    "ticker": f"T{n}",
                    "asset_name": f"Probe asset {n}",
                    "transaction_type": "purchase",
                    "amount_min": low,
                    "amount_max": 15000 * config.amount_scale,
                    "amount_text": f"${low:,} - ${15000 * config.amount_scale:,}",
                    "raw_sha256": "0" * 64,
                    "parser_version": "probe/1",
                    "superseded": False,
                }
            )
        day += timedelta(days=1)
    frame = pd.DataFrame(rows)
    if 0 <= config.broken_row_at < len(frame):
        frame.loc[config.broken_row_at, "amount_max"] = 1  # below amount_min: CHECK amount_order fails
    return frame


PROBE = {
    "partitions_def": daily_partitions,
    "backfill_policy": dg.BackfillPolicy.single_run(),
    "metadata": {"partition_expr": "filed_date", "table": "trades"},
}


@dg.asset(**PROBE)
def window_probe(context: dg.AssetExecutionContext, config: ProbeConfig) -> pd.DataFrame:
    """Synthetic trades for the run's whole partition window."""
    window = context.partition_time_window
    frame = synthetic_trades(window.start.date(), window.end.date(), config)
    if overlap_barrier is not None:
        overlap_barrier.wait(timeout=30)
    return frame


@dg.asset(**PROBE, **database_step())
def window_probe_with_retries(context: dg.AssetExecutionContext, config: ProbeConfig) -> pd.DataFrame:
    """The probe under the retry policy of the pipeline's database steps."""
    window = context.partition_time_window
    return synthetic_trades(window.start.date(), window.end.date(), config)


@dg.asset(partitions_def=daily_partitions, backfill_policy=dg.BackfillPolicy.single_run())
def window_probe_days(window_probe: pd.DataFrame) -> dg.MaterializeResult:
    """Reads the probe's window back through the IO manager and reports what it saw."""
    days = sorted({str(day) for day in window_probe["filed_date"]})
    return dg.MaterializeResult(metadata={"rows": len(window_probe), "days": ",".join(days)})


warehouse = WarehouseResource()
resources = {"io_manager": PostgresWindowIOManager(warehouse=warehouse)}
defs = dg.Definitions(assets=[window_probe, window_probe_with_retries, window_probe_days], resources=resources)
