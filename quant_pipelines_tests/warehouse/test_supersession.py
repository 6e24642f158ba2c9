"""trades.superseded follows the ledger, whatever order the windows were written in."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, select

from quant_pipelines.db import windows
from quant_pipelines.db.schema import filings, trades
from quant_pipelines.warehouse.supersession import SYNC_SUPERSEDED
from quant_pipelines_tests.warehouse.window_defs import ProbeConfig, synthetic_trades


def ledger(filing_id: str, filed: date, status: str = "parsed", detail: dict | None = None) -> dict:
    return {
        "filing_id": filing_id, "source": "house", "source_id": filing_id.split(":")[1],
        "politician_id": "house:probe-pat:CA", "filer_name": "Pat Probe", "first_name": "Pat",
        "last_name": "Probe", "filing_type": "original", "filed_date": filed,
        "report_url": "https://example.invalid", "status": status, "detail": detail,
    }


def flags(engine: Engine) -> dict[tuple[str, int], bool]:
    with engine.connect() as conn:
        rows = conn.execute(select(trades.c.filing_id, trades.c.row_number, trades.c.superseded))
        return {(filing_id, row): flag for filing_id, row, flag in rows}


def test_whole_and_row_level_amendments_flag_earlier_windows(engine: Engine) -> None:
    june1, june2, june3 = date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 3)
    with engine.begin() as conn:
        # Trades of three filings written first, all current.
        windows.replace_window(
            conn, windows.Window(trades, "filed_date", june1, date(2026, 6, 4)),
            synthetic_trades(june1, date(2026, 6, 4), ProbeConfig(rows_per_day=3)),
        )
        # Later: house:20260601 restated whole; two rows of house:20260602 replaced by an amendment.
        windows.upsert(conn, filings, pd.DataFrame([
            ledger("house:20260601", june1, status="superseded"),
            ledger("house:20260602", june2),
            ledger("house:20260603", june3, detail={"replaces_rows": ["house:20260602#1", "house:20260602#3"]}),
        ]))
        conn.execute(SYNC_SUPERSEDED)
    assert flags(engine) == {
        ("house:20260601", 1): True, ("house:20260601", 2): True, ("house:20260601", 3): True,
        ("house:20260602", 1): True, ("house:20260602", 2): False, ("house:20260602", 3): True,
        ("house:20260603", 1): False, ("house:20260603", 2): False, ("house:20260603", 3): False,
    }
    # The amendment is withdrawn from the ledger's view (re-parsed as unlinked): the flags follow.
    with engine.begin() as conn:
        windows.upsert(conn, filings, pd.DataFrame([ledger("house:20260603", june3, detail={"listed_as": "P"})]))
        conn.execute(SYNC_SUPERSEDED)
    assert sorted(key for key, flag in flags(engine).items() if flag) == [
        ("house:20260601", 1), ("house:20260601", 2), ("house:20260601", 3),
    ]
