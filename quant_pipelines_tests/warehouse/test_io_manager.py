"""The Postgres IO manager against a real embedded PostgreSQL: windows, idempotency, atomicity."""

from __future__ import annotations

import threading
from datetime import date

import dagster as dg
import pandas as pd
import pytest
from sqlalchemy import Engine, select

from quant_pipelines.db import windows
from quant_pipelines.db.schema import tickers, trades
from quant_pipelines.partitions import RANGE_END_TAG, RANGE_START_TAG, daily_partitions
from quant_pipelines_tests.warehouse import window_defs
from quant_pipelines_tests.warehouse.window_defs import (
    resources,
    window_probe,
    window_probe_days,
    window_probe_with_retries,
)

RANGE_TAGS = RANGE_START_TAG, RANGE_END_TAG


def run_probe(first: str, last: str, *, raise_on_error: bool = True, **config) -> dg.ExecuteInProcessResult:
    """Materialize the probe (and its reader) for [first, last] as one single-run backfill."""
    return dg.materialize(
        [window_probe, window_probe_days],
        resources=resources,
        tags=dict(zip(RANGE_TAGS, (first, last))),
        run_config={"ops": {"window_probe": {"config": config}}},
        raise_on_error=raise_on_error,
    )


def snapshot(engine: Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(select(trades).order_by(trades.c.filing_id, trades.c.row_number), conn)


def rows_per_day(engine: Engine) -> dict[str, int]:
    frame = snapshot(engine)
    return {str(day): int(count) for day, count in frame.groupby("filed_date").size().items()}


@pytest.mark.usefixtures("warehouse_env")
def test_range_is_written_once_and_read_back_by_window(engine: Engine) -> None:
    result = run_probe("2026-06-01", "2026-06-03")
    assert rows_per_day(engine) == {"2026-06-01": 3, "2026-06-02": 3, "2026-06-03": 3}
    written = result.asset_materializations_for_node("window_probe")[0].metadata
    assert written["rows_written"].value == 9
    assert written["window"].value == "2026-06-01..2026-06-03"
    seen = result.asset_materializations_for_node("window_probe_days")[0].metadata
    assert seen["rows"].value == 9
    assert seen["days"].value == "2026-06-01,2026-06-02,2026-06-03"


@pytest.mark.usefixtures("warehouse_env")
def test_same_window_twice_gives_identical_tables(engine: Engine) -> None:
    run_probe("2026-06-01", "2026-06-03")
    first = snapshot(engine)
    run_probe("2026-06-01", "2026-06-03")
    pd.testing.assert_frame_equal(first, snapshot(engine))
    assert len(first) == 9


@pytest.mark.usefixtures("warehouse_env")
def test_changed_input_replaces_only_its_window(engine: Engine) -> None:
    run_probe("2026-06-01", "2026-06-05")
    before = snapshot(engine)
    run_probe("2026-06-03", "2026-06-03", rows_per_day=1, amount_scale=10)
    after = snapshot(engine)

    untouched = before[before["filed_date"] != date(2026, 6, 3)]
    pd.testing.assert_frame_equal(
        untouched.reset_index(drop=True),
        after[after["filed_date"] != date(2026, 6, 3)].reset_index(drop=True),
    )
    replaced = after[after["filed_date"] == date(2026, 6, 3)]
    assert replaced["amount_min"].tolist() == [10010]
    assert len(after) == 4 * 3 + 1


@pytest.mark.usefixtures("warehouse_env")
def test_failure_mid_write_leaves_the_table_exactly_as_before(engine: Engine) -> None:
    run_probe("2026-06-01", "2026-06-03")
    before = snapshot(engine)
    # Row 5 of 9 violates CHECK amount_order during COPY, after the window's DELETE ran.
    result = run_probe("2026-06-01", "2026-06-03", amount_scale=2, broken_row_at=4, raise_on_error=False)
    assert not result.success
    failure = result.failure_data_for_node("window_probe").error
    assert "amount_order" in str(failure)
    pd.testing.assert_frame_equal(before, snapshot(engine))


@pytest.mark.usefixtures("warehouse_env")
def test_a_write_no_retry_can_fix_fails_at_once_under_the_database_policy(engine: Engine) -> None:
    result = dg.materialize(
        [window_probe_with_retries],
        resources=resources,
        tags=dict(zip(RANGE_TAGS, ("2026-06-01", "2026-06-03"))),
        run_config={"ops": {"window_probe_with_retries": {"config": {"broken_row_at": 4}}}},
        raise_on_error=False,
    )
    assert not result.success
    assert not [event for event in result.all_events if event.event_type_value == "STEP_UP_FOR_RETRY"]
    failure = result.failure_data_for_node("window_probe_with_retries")
    assert failure.user_failure_data.description.startswith("writing window_probe_with_retries: ")
    assert "amount_order" in failure.user_failure_data.description
    assert snapshot(engine).empty


def test_a_window_that_covers_no_day_is_refused() -> None:
    with pytest.raises(windows.WindowWriteError, match="the window 2026-06-05..2026-06-02 of trades covers no day"):
        windows.Window(trades, "filed_date", date(2026, 6, 5), date(2026, 6, 2))


@pytest.mark.usefixtures("warehouse_env")
def test_concurrent_writes_of_two_windows(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(window_defs, "overlap_barrier", threading.Barrier(2))
    results: dict[str, bool] = {}

    def run(day: str) -> None:
        results[day] = run_probe(day, day, rows_per_day=4).success

    threads = [threading.Thread(target=run, args=(day,)) for day in ("2026-06-10", "2026-06-11")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert results == {"2026-06-10": True, "2026-06-11": True}
    assert rows_per_day(engine) == {"2026-06-10": 4, "2026-06-11": 4}


@pytest.mark.usefixtures("warehouse_env")
def test_rows_outside_the_window_are_refused(engine: Engine) -> None:
    frame = window_defs.synthetic_trades(date(2026, 6, 1), date(2026, 6, 3), window_defs.ProbeConfig())
    window = windows.Window(trades, "filed_date", date(2026, 6, 1), date(2026, 6, 2))
    with engine.begin() as conn, pytest.raises(windows.WindowWriteError, match="outside the window"):
        windows.replace_window(conn, window, frame)
    assert snapshot(engine).empty


def test_dimension_upsert_merges_by_rule_and_is_idempotent(engine: Engine) -> None:
    seen = [
        {"symbol": "AAPL", "asset_name": "Apple", "asset_type": "stock", "first_seen": date(2026, 6, 5), "last_seen": date(2026, 6, 5)},
        {"symbol": "AAPL", "asset_name": "Apple Inc.", "asset_type": "stock", "first_seen": date(2026, 6, 9), "last_seen": date(2026, 6, 9)},
        {"symbol": "MSFT", "asset_name": "Microsoft", "asset_type": "stock", "first_seen": date(2026, 6, 1), "last_seen": date(2026, 6, 1)},
    ]
    older = [{"symbol": "AAPL", "asset_name": "APPLE (old)", "asset_type": "stock", "first_seen": date(2026, 1, 2), "last_seen": date(2026, 1, 2)}]
    for batch in (seen, older, seen):
        with engine.begin() as conn:
            windows.upsert(conn, tickers, pd.DataFrame(batch))
    with engine.connect() as conn:
        rows = conn.execute(select(tickers).order_by(tickers.c.symbol)).mappings().all()
    assert [dict(row) for row in rows] == [
        {"symbol": "AAPL", "asset_name": "Apple Inc.", "asset_type": "stock", "first_seen": date(2026, 1, 2), "last_seen": date(2026, 6, 9)},
        {"symbol": "MSFT", "asset_name": "Microsoft", "asset_type": "stock", "first_seen": date(2026, 6, 1), "last_seen": date(2026, 6, 1)},
    ]


@pytest.mark.usefixtures("warehouse_env")
def test_copy_round_trips_nulls_empty_strings_and_awkward_text(engine: Engine) -> None:
    awkward = [None, "", "\\N", 'He said "sell", then,\nleft', "naïve – ünïcode ✓", "back\\slash\ttab", "NULL"]
    frame = window_defs.synthetic_trades(date(2026, 6, 1), date(2026, 6, 2), window_defs.ProbeConfig(rows_per_day=len(awkward)))
    frame["comment"] = awkward
    frame["ticker"] = [None, "BRK.B", None, "A", None, "X", None]
    window = windows.Window(trades, "filed_date", date(2026, 6, 1), date(2026, 6, 2))
    with engine.begin() as conn:
        windows.replace_window(conn, window, frame)
    with engine.connect() as conn:
        stored = conn.execute(select(trades.c.comment, trades.c.ticker).order_by(trades.c.row_number)).all()
    assert [comment for comment, _ in stored] == awkward
    assert [ticker for _, ticker in stored] == [None, "BRK.B", None, "A", None, "X", None]


@dg.asset(
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    ins={"window_probe": dg.AssetIn(metadata={"columns": ["filing_id", "row_number", "filed_date"]})},
)
def narrow_reader(window_probe: pd.DataFrame) -> dg.MaterializeResult:
    """Reads three columns of the probe's window."""
    return dg.MaterializeResult(metadata={"columns": ",".join(window_probe.columns), "rows": len(window_probe)})


@pytest.mark.usefixtures("warehouse_env")
def test_an_input_can_load_only_the_columns_it_names(engine: Engine) -> None:
    result = dg.materialize(
        [window_probe, narrow_reader], resources=resources, tags=dict(zip(RANGE_TAGS, ("2026-06-01", "2026-06-02")))
    )
    seen = result.asset_materializations_for_node("narrow_reader")[0].metadata
    assert (seen["columns"].value, seen["rows"].value) == ("filing_id,row_number,filed_date", 6)


@pytest.mark.usefixtures("warehouse_env")
def test_a_window_read_in_chunks_equals_one_read(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    frame = window_defs.synthetic_trades(date(2026, 6, 1), date(2026, 6, 3), window_defs.ProbeConfig(rows_per_day=3))
    # NULL in every row of the first chunks only: those chunks alone would read as objects.
    frame["extraction_confidence"] = [None, None, None, None, 0.91, 0.5]
    frame["comment"] = [None, None, None, None, "sold", None]
    window = windows.Window(trades, "filed_date", date(2026, 6, 1), date(2026, 6, 3))
    with engine.begin() as conn:
        windows.replace_window(conn, window, frame)
    with engine.connect() as conn:
        whole = pd.read_sql(select(trades).order_by(trades.c.filing_id, trades.c.row_number), conn)
        monkeypatch.setattr(windows, "_READ_CHUNK", 2)
        chunked = windows.read_window(conn, window)
    assert whole["extraction_confidence"].dtype == "float64"
    pd.testing.assert_frame_equal(chunked, whole)
