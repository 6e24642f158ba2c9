"""`quant-pipelines changes`: the trades feed folded per trade, as CSV or JSON; bad --since is one line."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import Engine

from quant_pipelines.db import differences, windows
from quant_pipelines.db.schema import filings, politicians, trades
from quant_pipelines.ops import cli
from quant_pipelines.warehouse.supersession import SYNC_SUPERSEDED
from quant_pipelines_tests.warehouse.test_supersession import ledger
from quant_pipelines_tests.warehouse.window_defs import ProbeConfig, synthetic_trades

JUNE1, JUNE3 = date(2026, 6, 1), date(2026, 6, 3)
WINDOW = windows.Window(trades, "filed_date", JUNE1, JUNE3)
PAT = {
    "politician_id": "house:probe-pat:CA", "chamber": "house", "name_key": "probe-pat", "first_name": "Pat",
    "last_name": "Probe", "full_name": "Pat Probe", "state": "CA", "first_seen": JUNE1, "last_seen": JUNE1,
}


def run(engine: Engine, run_id: str, frame: pd.DataFrame, superseded: str | None = None) -> None:
    with engine.begin() as conn:
        differences.label_transaction(conn, run_id, WINDOW)
        differences.write_window(conn, WINDOW, frame)
        if superseded:
            windows.upsert(conn, filings, pd.DataFrame([ledger(superseded, JUNE1, status="superseded")]))
            conn.execute(SYNC_SUPERSEDED)


@pytest.fixture
def two_runs(warehouse_env, engine: Engine) -> None:
    """run-1 loads two filings of three trades; run-2 restates one amount, drops a row, adds one
    (an exact amount), and supersedes the second filing."""
    with engine.begin() as conn:
        windows.upsert(conn, politicians, pd.DataFrame([PAT]))
        windows.upsert(conn, filings, pd.DataFrame([ledger("house:20260601", JUNE1), ledger("house:20260602", JUNE1)]))
    first = synthetic_trades(JUNE1, JUNE3, ProbeConfig())
    run(engine, "run-1", first)
    second = first[~((first.filing_id == "house:20260601") & (first.row_number == 3))].copy()
    second.loc[(second.filing_id == "house:20260601") & (second.row_number == 2), "amount_min"] = 2002
    extra = {**second.iloc[-1].to_dict(), "row_number": 4, "ticker": "NEW", "amount_kind": "exact",
             "amount_exact": Decimal("1001.50"), "amount_max": 1002}
    run(engine, "run-2", pd.concat([second, pd.DataFrame([extra])], ignore_index=True), "house:20260602")


def changes(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    try:
        code = cli.main(["changes", *args])
    except SystemExit as exit:  # argparse's own refusals
        code = exit.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.usefixtures("two_runs")
def test_since_a_run_lists_that_runs_changes_folded_per_trade(capsys: pytest.CaptureFixture) -> None:
    code, out, err = changes(capsys, "--since", "run-2", "--format", "json")
    assert (code, err) == (0, "")
    lines = json.loads(out)
    summary = {(line["filing_id"], line["row_number"]): (line["change"], line["changed_columns"]) for line in lines}
    assert summary == {
        ("house:20260601", 2): ("changed", "amount_min"),
        ("house:20260601", 3): ("deleted", ""),
        ("house:20260602", 1): ("changed", "superseded"),
        ("house:20260602", 2): ("changed", "superseded"),
        ("house:20260602", 3): ("changed", "superseded"),
        ("house:20260602", 4): ("new", ""),
    }
    new = next(line for line in lines if line["change"] == "new")
    assert (new["politician"], new["ticker"], new["filed_date"], new["amount_min"], new["superseded"]) == (
        "Pat Probe", "NEW", "2026-06-02", 1001, True,
    )
    assert (new["amount_max"], new["amount_kind"], new["amount_exact"]) == (1002, "exact", "1001.50")
    assert (new["filing_url"], new["run_id"], new["chamber"]) == ("https://example.invalid", "run-2", "house")
    gone = next(line for line in lines if line["change"] == "deleted")
    assert (gone["politician"], gone["ticker"], gone["filing_url"]) == ("Pat Probe", None, "https://example.invalid")


@pytest.mark.usefixtures("two_runs")
def test_since_a_time_before_both_runs_every_trade_is_new(capsys: pytest.CaptureFixture) -> None:
    code, out, _ = changes(capsys, "--since", "2000-01-01")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [(row["filing_id"], row["row_number"], row["change"]) for row in rows] == sorted(
        [("house:20260601", "1", "new"), ("house:20260601", "2", "new"), ("house:20260602", "1", "new"),
         ("house:20260602", "2", "new"), ("house:20260602", "3", "new"), ("house:20260602", "4", "new")],
    )
    assert {row["amount_min"] for row in rows if row["row_number"] == "2" and row["filing_id"].endswith("601")} == {"2002"}


@pytest.mark.usefixtures("two_runs")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-13-01"], "error: --since '2026-13-01' is not a timestamp"),
        (["--since", "no-such-run"], "error: --since 'no-such-run': no run with that id changed any trade"),
        (["--since", "run-2", "--format", "xml"], "error: argument --format: invalid choice: 'xml'"),
        ([], "error: the following arguments are required: --since"),
    ],
)
def test_bad_arguments_give_one_error_line(capsys: pytest.CaptureFixture, args: list[str], message: str) -> None:
    code, out, err = changes(capsys, *args)
    assert (code, out) == (2, "")
    assert err.startswith(message) and err.count("\n") == 1
