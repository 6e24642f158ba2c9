"""Trades, politicians and tickers built from parsed lines and the ledger (pure pandas)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from quant_pipelines.warehouse.enrich import build_trades, politician_rows, ticker_rows
from quant_pipelines.warehouse.ledger import LineFrames, ledger_frame, transactions_frame


def ledger_row(filing_id: str, filed: date, *, status: str = "parsed", source: str = "house", first: str = "Nancy",
               last: str = "Pelosi", state: str | None = "CA", district: str | None = "11") -> dict:
    politician = f"{source}:{last.lower()}-{first.lower()}" + (f":{state}" if state else "")
    return {
        "filing_id": filing_id, "source": source, "source_id": filing_id.split(":")[1],
        "politician_id": politician, "filer_name": f"{first} {last}", "first_name": first, "last_name": last,
        "state": state, "district": district, "filing_type": "original", "filed_date": filed,
        "report_url": "https://example.invalid/r", "status": status,
    }


def line(filing_id: str, row: int, filed: date, traded: date | None, notified: date | None = None, *,
         source: str = "house", ticker: str | None = "AAPL", asset: str = "Apple Inc.") -> dict:
    return {
        "filing_id": filing_id, "row_number": row, "source": source, "filed_date": filed,
        "transaction_date": traded, "notification_date": notified, "owner": "spouse", "owner_raw": "SP",
        "ticker": ticker, "asset_name": asset, "asset_type": "stock", "asset_type_raw": "ST",
        "transaction_type": "purchase", "transaction_type_raw": "P", "amount_min": 1001, "amount_max": 15000,
        "amount_text": "$1,001 - $15,000", "raw_sha256": "a" * 64, "parser_version": "house-clerk/1",
    }


FILED = date(2026, 6, 30)


def test_stock_act_timing_and_supersession() -> None:
    ledger = ledger_frame([
        ledger_row("house:1", FILED),
        ledger_row("senate:x", FILED, source="senate", first="John", last="Boozman", state=None, district=None,
                   status="superseded"),
    ])
    lines = transactions_frame([
        line("house:1", 1, FILED, date(2026, 6, 20), date(2026, 6, 25)),   # 10 days, notified 5 days before
        line("house:1", 2, FILED, date(2026, 4, 1), date(2026, 6, 20)),    # 90 days after the trade: late
        line("house:1", 3, FILED, date(2026, 6, 1), date(2026, 5, 20)),    # notified 41 days before: late
        line("house:1", 4, FILED, None, None, ticker="--"),                # no date: lateness unknown
        line("senate:x", 1, FILED, date(2026, 5, 16), source="senate"),    # 45 days exactly: on time
        line("senate:x", 2, FILED, date(2026, 5, 15), source="senate"),    # 46 days: late
    ])
    trades = build_trades(lines, ledger)
    assert trades["days_to_disclose"].tolist() == [10, 90, 29, pd.NA, 45, 46]
    assert trades["late"].tolist() == [False, True, True, pd.NA, False, True]
    assert trades["superseded"].tolist() == [False] * 4 + [True] * 2
    assert trades["chamber"].tolist() == ["house"] * 4 + ["senate"] * 2
    assert trades["politician_id"].tolist() == ["house:pelosi-nancy:CA"] * 4 + ["senate:boozman-john"] * 2
    assert pd.isna(trades.loc[3, "ticker"])
    assert trades[["raw_sha256", "parser_version"]].notna().all().all()


def test_a_line_without_a_ledger_row_is_an_error_not_a_silent_drop() -> None:
    with pytest.raises(ValueError, match="1 parsed line\\(s\\) have no ledger row: house:9"):
        build_trades(transactions_frame([line("house:9", 1, FILED, FILED)]), ledger_frame([]))


def test_politicians_take_the_newest_filing_and_the_seen_span() -> None:
    ledger = ledger_frame([
        ledger_row("house:1", date(2026, 6, 1), district="11"),
        ledger_row("house:2", date(2026, 6, 9), district="12", first="NANCY"),
        ledger_row("house:3", date(2026, 6, 5), first="Lloyd", last="Smucker", state="PA"),
    ])
    trades = build_trades(
        transactions_frame([line("house:1", 1, date(2026, 6, 1), None), line("house:2", 1, date(2026, 6, 9), None)]),
        ledger,
    )
    rows = politician_rows(trades, ledger)
    assert rows[["politician_id", "name_key", "first_name", "district", "first_seen", "last_seen"]].to_dict("records") == [
        {"politician_id": "house:pelosi-nancy:CA", "name_key": "pelosi-nancy", "first_name": "NANCY",
         "district": "12", "first_seen": date(2026, 6, 1), "last_seen": date(2026, 6, 9)},
    ]


def test_tickers_keep_the_newest_asset_name() -> None:
    ledger = ledger_frame([ledger_row("house:1", date(2026, 6, 1)), ledger_row("house:2", date(2026, 6, 3))])
    trades = build_trades(
        transactions_frame([
            line("house:1", 1, date(2026, 6, 1), None, asset="Apple"),
            line("house:2", 1, date(2026, 6, 3), None, asset="Apple Inc. - Common Stock"),
            line("house:2", 2, date(2026, 6, 3), None, ticker=None, asset="Private LLC"),
        ]),
        ledger,
    )
    assert ticker_rows(trades).to_dict("records") == [
        {"symbol": "AAPL", "asset_name": "Apple Inc. - Common Stock", "asset_type": "stock",
         "first_seen": date(2026, 6, 1), "last_seen": date(2026, 6, 3)},
    ]


def test_empty_windows_give_empty_frames_with_every_column() -> None:
    trades = build_trades(transactions_frame([]), ledger_frame([]))
    assert trades.empty and "superseded" in trades.columns
    assert politician_rows(trades, ledger_frame([])).empty
    assert ticker_rows(trades).empty


def test_lines_gathered_in_chunks_equal_one_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    text = [line("house:1", n, FILED, date(2026, 6, n), ticker=None) for n in range(1, 4)]
    # Rows of the last chunk carry values the first chunks lack entirely (None or no key).
    ocr = [
        {**line("house:2", n, FILED, date(2026, 6, 9)), "extraction": "ocr", "extraction_confidence": 0.8 + n / 100,
         "review_reason": "low OCR confidence" if n == 2 else None, "details": {"page": "1"}}
        for n in (1, 2)
    ]
    monkeypatch.setattr(LineFrames, "CHUNK", 2)
    gathered = LineFrames()
    for rows in (text[:1], text[1:], [], (row for row in ocr)):  # a generator is packed as it goes
        gathered.extend(rows)
    pd.testing.assert_frame_equal(gathered.frame(), transactions_frame(text + ocr))
    assert LineFrames().frame().columns.equals(transactions_frame([]).columns)
