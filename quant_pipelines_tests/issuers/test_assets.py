"""trade_issuers in real Dagster runs: the SEC list fetched politely from a replica and archived,
ticker-less trades of a real PostgreSQL resolved, filed tickers left alone."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import Engine, insert, select

from quant_pipelines.db.schema import trade_issuers, trades
from quant_pipelines.issuers.assets import trade_issuers as issuers_asset
from quant_pipelines.issuers.resource import SecResource
from quant_pipelines_tests.materialize import metadata, run_resources
from quant_pipelines_tests.replica.legislators import StaticSite, sec_site

# Rows as filed (asset name, Senate asset type, ticker cell): Fetterman's child's bond
# (ticker --), Boozman's fund with its symbol in the name (ticker --), Senate Stock Watcher
# rows whose ticker cell was -- (a company name; a bare symbol), and Pelosi's filed INTC option.
ROWS = [
    ("senate:4b69867f", 1, "EXPEDIA GROUP INC NOTE", "corporate_bond", None, date(2026, 5, 6)),
    ("senate:a9754ff5", 3, "SPYM - Tradr 2X Long SPY Monthly ETF", "stock", None, date(2026, 5, 20)),
    ("senate:f29730b1", 1, "The Boeing Company", "stock", None, date(2020, 4, 29)),
    ("senate:b7e581e7", 2, "msft", "stock", None, date(2020, 11, 11)),
    ("house:20034836", 1, "Intel Corporation - Common Stock (INTC) [OP]", "stock_option", "INTC", date(2026, 6, 2)),
]


@pytest.fixture
def sec_env(fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch, warehouse_env, tmp_path: Path) -> Iterator[StaticSite]:
    with sec_site(fixtures_dir) as site:
        monkeypatch.setenv("SEC_BASE_URL", site.base_url)
        monkeypatch.setenv("QUANT_STATE_DIR", str(tmp_path / "state"))
        monkeypatch.setenv("QUANT_REQUESTS_PER_SECOND", "500")
        monkeypatch.setenv("QUANT_USER_AGENT", "quant-pipelines tests (ops@example.org)")
        yield site


@pytest.fixture
def traded(engine: Engine) -> None:
    common = {"owner": "self", "transaction_type": "purchase", "amount_min": 1001, "amount_max": 15000,
              "amount_text": "$1,001 - $15,000", "raw_sha256": "0" * 64, "parser_version": "test/1",
              "superseded": False, "filed_date": date(2026, 6, 12), "politician_id": "senate:x"}
    with engine.begin() as conn:
        conn.execute(insert(trades), [
            {**common, "filing_id": filing, "row_number": row, "asset_name": name, "asset_type": kind,
             "ticker": ticker, "transaction_date": day, "chamber": filing.split(":")[0]}
            for filing, row, name, kind, ticker, day in ROWS
        ])


def _run(raise_on_error: bool = True) -> dg.ExecuteInProcessResult:
    resources = run_resources(sec=SecResource(max_retries=1, backoff_seconds=0.01))
    return dg.materialize([issuers_asset], resources=resources, raise_on_error=raise_on_error)


def _resolved(engine: Engine) -> dict[tuple[str, int], tuple]:
    columns = (trade_issuers.c.resolution_method, trade_issuers.c.resolved_ticker, trade_issuers.c.cik)
    with engine.connect() as conn:
        rows = conn.execute(select(trade_issuers.c.filing_id, trade_issuers.c.row_number, *columns, trade_issuers.c.list_sha256))
        return {(row[0], row[1]): tuple(row[2:]) for row in rows}


def test_tickerless_trades_resolved_against_the_archived_list(
    sec_env: StaticSite, traded: None, engine: Engine, fixtures_dir: Path
) -> None:
    first = _run()
    digest = hashlib.sha256((fixtures_dir / "reference" / "sec" / "company_tickers.json").read_bytes()).hexdigest()
    resolved = _resolved(engine)
    assert resolved == {
        ("senate:4b69867f", 1): ("not_listed_type", None, None, digest),
        ("senate:a9754ff5", 3): ("no_match", None, None, digest),
        ("senate:f29730b1", 1): ("exact_name", "BA", 12927, digest),
        ("senate:b7e581e7", 2): ("name_is_ticker", "MSFT", 789019, digest),
    }
    with engine.connect() as conn:
        assert conn.execute(select(trades.c.ticker).where(trades.c.filing_id == "house:20034836")).scalar_one() == "INTC"
    assert "quant-pipelines tests (ops@example.org)" in sec_env.user_agents
    assert metadata(first, "trade_issuers")["resolved"] == 2

    second = _run()
    assert dict(sec_env.not_modified) == {"/files/company_tickers.json": 1}
    assert (metadata(second, "trade_issuers")["not_modified"], metadata(second, "trade_issuers")["lists_archived"]) == (True, 1)
    assert _resolved(engine) == resolved


def test_an_unreadable_list_fails_in_one_line_and_changes_nothing(sec_env: StaticSite, traded: None, engine: Engine) -> None:
    assert _run().success
    before = _resolved(engine)
    sec_env.replace("/files/company_tickers.json", b'{"0": {"ticker": "X"}}')
    result = _run(raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    description = failure.step_failure_data.user_failure_data.description
    assert description.startswith("SEC company ticker list unreadable, nothing resolved: ")
    assert "\n" not in description
    assert _resolved(engine) == before
