"""Difference writes and the trades change feed against a real embedded PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import Engine, select, text

from quant_pipelines.db import differences, windows
from quant_pipelines.db.schema import filings, tickers, trade_changes, trades, transactions
from quant_pipelines.warehouse.supersession import SYNC_SUPERSEDED
from quant_pipelines_tests.warehouse import window_defs
from quant_pipelines_tests.warehouse.test_io_manager import rows_per_day, run_probe
from quant_pipelines_tests.warehouse.test_supersession import ledger
from quant_pipelines_tests.warehouse.window_defs import ProbeConfig, synthetic_trades

JUNE1, JUNE4 = date(2026, 6, 1), date(2026, 6, 4)
WINDOW = windows.Window(trades, "filed_date", JUNE1, JUNE4)


def versions(engine: Engine, table_name: str = "trades") -> dict[tuple, str]:
    """Each row's xmin (the transaction that wrote its current version), by primary key."""
    table = windows.table_named(table_name)
    keys = [column for column in table.primary_key.columns]
    with engine.connect() as conn:
        rows = conn.execute(select(*keys, text("xmin::text")).select_from(table)).all()
    return {tuple(row[:-1]): row[-1] for row in rows}


def feed(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                trade_changes.c.run_id, trade_changes.c.window_start, trade_changes.c.window_end,
                trade_changes.c.change, trade_changes.c.filing_id, trade_changes.c.row_number,
                trade_changes.c.columns,
            ).order_by(trade_changes.c.change_id)
        )
        return [tuple(row) for row in rows]


def write(engine: Engine, frame: pd.DataFrame, run_id: str, window: windows.Window = WINDOW):
    with engine.begin() as conn:
        differences.label_transaction(conn, run_id, window)
        return differences.write_window(conn, window, frame)


def test_identical_rows_are_left_untouched(engine: Engine) -> None:
    frame = synthetic_trades(JUNE1, JUNE4, ProbeConfig())
    assert write(engine, frame, "run-1") == differences.WindowChanges(inserted=9)
    before = versions(engine)
    assert write(engine, frame.sample(frac=1, random_state=3), "run-2") == differences.WindowChanges(unchanged=9)
    assert versions(engine) == before
    assert [row[3] for row in feed(engine)] == ["insert"] * 9
    assert {row[0] for row in feed(engine)} == {"run-1"}


def test_changed_rows_updated_vanished_deleted_new_inserted(engine: Engine) -> None:
    frame = synthetic_trades(JUNE1, JUNE4, ProbeConfig())
    write(engine, frame, "run-1")
    before = versions(engine)
    second = frame[~((frame.filing_id == "house:20260602") & (frame.row_number == 3))].copy()
    changed = (second.filing_id == "house:20260601") & (second.row_number == 2)
    second.loc[changed, ["amount_min", "amount_text"]] = [2002, "$2,002 - $15,000"]
    added = {**second.iloc[0].to_dict(), "filing_id": "house:20260603", "row_number": 4}
    second = pd.concat([second, pd.DataFrame([added])], ignore_index=True)

    changes = write(engine, second, "run-2")

    assert changes == differences.WindowChanges(inserted=1, updated=1, deleted=1, unchanged=7)
    after = versions(engine)
    touched = {key for key in before if after.get(key) != before[key]}
    assert touched == {("house:20260601", 2), ("house:20260602", 3)}
    assert ("house:20260603", 4) in after and ("house:20260602", 3) not in after
    with engine.connect() as conn:
        row = conn.execute(select(trades.c.amount_min, trades.c.amount_text).where(
            trades.c.filing_id == "house:20260601", trades.c.row_number == 2)).one()
    assert tuple(row) == (2002, "$2,002 - $15,000")
    assert feed(engine)[9:] == [
        ("run-2", JUNE1, JUNE4, "delete", "house:20260602", 3, None),
        ("run-2", JUNE1, JUNE4, "update", "house:20260601", 2, ["amount_min", "amount_text"]),
        ("run-2", JUNE1, JUNE4, "insert", "house:20260603", 4, None),
    ]


def test_rows_outside_the_window_are_never_touched(engine: Engine) -> None:
    write(engine, synthetic_trades(JUNE1, JUNE4, ProbeConfig()), "run-1")
    before = versions(engine)
    june2 = windows.Window(trades, "filed_date", date(2026, 6, 2), date(2026, 6, 3))
    assert write(engine, synthetic_trades(date(2026, 6, 2), date(2026, 6, 3), ProbeConfig(rows_per_day=0)),
                 "run-2", june2) == differences.WindowChanges(deleted=3)
    after = versions(engine)
    assert {key for key in before if key not in after} == {("house:20260602", n) for n in (1, 2, 3)}
    assert all(after[key] == before[key] for key in after)


def test_audit_columns_alone_do_not_make_a_row_changed(engine: Engine) -> None:
    window = windows.Window(filings, "filed_date", JUNE1, JUNE4, {"source": "house"})
    first = pd.DataFrame([ledger("house:20260601", JUNE1), ledger("house:20260602", date(2026, 6, 2))])
    first["parsed_at"] = datetime(2026, 6, 5, tzinfo=UTC)
    write(engine, first, "run-1", window)
    before = versions(engine, "filings")

    reparsed = first.assign(parsed_at=datetime(2026, 6, 9, tzinfo=UTC))
    assert write(engine, reparsed, "run-2", window) == differences.WindowChanges(unchanged=2)
    assert versions(engine, "filings") == before

    reparsed.loc[1, "status"] = "parse_failed"
    assert write(engine, reparsed, "run-3", window) == differences.WindowChanges(updated=1, unchanged=1)
    with engine.connect() as conn:
        stored = dict(conn.execute(select(filings.c.filing_id, filings.c.parsed_at)).all())
    assert stored == {"house:20260601": datetime(2026, 6, 5, tzinfo=UTC), "house:20260602": datetime(2026, 6, 9, tzinfo=UTC)}


def test_exact_amounts_and_unreadable_rows_take_part_in_the_comparison(engine: Engine) -> None:
    window = windows.Window(transactions, "filed_date", JUNE1, JUNE4, {"source": "house"})
    shared = {"filing_id": "house:20260601", "source": "house", "filed_date": JUNE1,
              "raw_sha256": "0" * 64, "parser_version": "probe/1"}
    read = {**shared, "row_number": 1, "row_status": "read", "owner": "self", "owner_raw": "SP",
            "asset_name": "Probe asset", "transaction_type": "purchase", "transaction_type_raw": "P",
            "amount_min": 497, "amount_max": 498, "amount_text": "$497.08", "amount_kind": "exact",
            "amount_exact": Decimal("497.08")}
    unreadable = {**shared, "row_number": 2, "row_status": "unreadable", "raw_text": "SP Probe ?? $1,001",
                  "unreadable_reason": "no transaction type", "details": {"page": "1"}}
    first = pd.DataFrame([read, unreadable])
    write(engine, first, "run-1", window)
    before = versions(engine, "transactions")
    assert write(engine, first, "run-2", window) == differences.WindowChanges(unchanged=2)
    assert versions(engine, "transactions") == before

    second = first.copy()
    second.loc[0, "amount_exact"] = Decimal("497.09")
    second.loc[1, "unreadable_reason"] = "no amount"
    assert write(engine, second, "run-3", window) == differences.WindowChanges(updated=2)
    with engine.connect() as conn:
        stored = conn.execute(
            select(transactions.c.amount_exact, transactions.c.unreadable_reason).order_by(transactions.c.row_number)
        ).all()
    assert [tuple(row) for row in stored] == [(Decimal("497.09"), None), (None, "no amount")]


def test_an_exact_amount_restated_is_an_update_in_the_feed(engine: Engine) -> None:
    frame = synthetic_trades(JUNE1, date(2026, 6, 2), ProbeConfig(rows_per_day=1)).assign(amount_kind="band")
    write(engine, frame, "run-1")
    exact = frame.assign(amount_kind="exact", amount_exact=Decimal("1001.50"), amount_max=1002)
    assert write(engine, exact, "run-2") == differences.WindowChanges(updated=1)
    assert feed(engine)[1:] == [
        ("run-2", JUNE1, JUNE4, "update", "house:20260601", 1, ["amount_exact", "amount_kind", "amount_max"]),
    ]


def test_an_upsert_leaves_rows_the_merge_would_not_change(engine: Engine) -> None:
    seen = pd.DataFrame([{"symbol": "AAPL", "asset_name": "Apple", "asset_type": "stock",
                          "first_seen": JUNE1, "last_seen": date(2026, 6, 3)}])
    with engine.begin() as conn:
        windows.upsert(conn, tickers, seen)
    before = versions(engine, "tickers")
    with engine.begin() as conn:  # an older sighting: least/greatest keep the stored dates
        windows.upsert(conn, tickers, seen.assign(last_seen=date(2026, 6, 2)))
    assert versions(engine, "tickers") == before


def test_superseded_by_a_followup_shows_as_an_update_in_the_feed(engine: Engine) -> None:
    write(engine, synthetic_trades(JUNE1, date(2026, 6, 2), ProbeConfig(rows_per_day=2)), "run-1")
    with engine.begin() as conn:
        differences.label_transaction(conn, "run-2")
        windows.upsert(conn, filings, pd.DataFrame([ledger("house:20260601", JUNE1, status="superseded")]))
        conn.execute(SYNC_SUPERSEDED)
    assert sorted(feed(engine)[2:]) == [
        ("run-2", None, None, "update", "house:20260601", 1, ["superseded"]),
        ("run-2", None, None, "update", "house:20260601", 2, ["superseded"]),
    ]


def test_rows_sharing_a_key_are_refused_whole(engine: Engine) -> None:
    frame = synthetic_trades(JUNE1, JUNE4, ProbeConfig())
    twice = pd.concat([frame, frame.iloc[[4]]], ignore_index=True)
    with pytest.raises(windows.WindowWriteError, match="2 row\\(s\\) for trades share a key, e.g. filing_id='house:20260602', row_number=2"):
        write(engine, twice, "run-1")
    assert versions(engine) == {}


@pytest.mark.usefixtures("warehouse_env")
def test_metadata_counts_each_windows_changes(engine: Engine) -> None:
    run_probe("2026-06-01", "2026-06-03")
    result = run_probe("2026-06-01", "2026-06-03", rows_per_day=2)
    written = result.asset_materializations_for_node("window_probe")[0].metadata
    counts = {name: written[name].value for name in ("rows_inserted", "rows_updated", "rows_deleted", "rows_unchanged")}
    assert counts == {"rows_inserted": 0, "rows_updated": 0, "rows_deleted": 3, "rows_unchanged": 6}
    assert written["changes"].value == "0 new trades, 0 updated, 3 deleted, 6 unchanged"


@pytest.mark.usefixtures("warehouse_env")
def test_concurrent_overlapping_windows_leave_one_writers_rows_per_day(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window_defs, "overlap_barrier", threading.Barrier(2))
    results: dict[str, bool] = {}

    def run(first: str, last: str, rows: int) -> None:
        results[first] = run_probe(first, last, rows_per_day=rows, amount_scale=rows).success

    threads = [
        threading.Thread(target=run, args=("2026-06-10", "2026-06-12", 4)),
        threading.Thread(target=run, args=("2026-06-11", "2026-06-13", 2)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert results == {"2026-06-10": True, "2026-06-11": True}
    days = rows_per_day(engine)
    assert (days["2026-06-10"], days["2026-06-13"]) == (4, 2)
    assert days["2026-06-11"] == days["2026-06-12"] and days["2026-06-11"] in (2, 4)
    with engine.connect() as conn:
        stored = pd.read_sql(select(trades.c.filed_date, trades.c.amount_min), conn)
    # Every row of a day comes from the writer that wrote that many rows for it.
    for day, rows in stored.groupby("filed_date"):
        assert set(rows["amount_min"]) == {1001 * len(rows)}, day
