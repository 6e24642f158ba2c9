"""A House PTR with unreadable rows, through the assets into PostgreSQL: partially parsed, nothing lost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine

from quant_pipelines.warehouse import checks
from quant_pipelines.db.schema import trades
from quant_pipelines.db.windows import Window
from quant_pipelines.warehouse.enrich import build_trades
from quant_pipelines.warehouse.ledger import ledger_frame
from quant_pipelines_tests.house.runs import ledger, lines, materialize, metadata
from quant_pipelines_tests.replica.house_documents import GeneratedFiling, GeneratedRow

DAY = date(2026, 4, 7)


def _row(**values) -> GeneratedRow:
    base = dict(
        asset="Apple Inc. - Common Stock", ticker="AAPL", code="ST", type="P",
        date=date(2026, 3, 30), notified=date(2026, 3, 31), amount="$1,001 - $15,000",
    )
    return GeneratedRow(**{**base, **values})


def test_unreadable_rows_are_kept_and_the_filing_is_partially_parsed(
    site_with, house_clerk, engine: Engine
) -> None:
    rows = (
        _row(),
        _row(asset="Broken Band Inc.", ticker="BRK", amount="$15,001 - $1,001"),
        _row(asset="AT&T Inc.", ticker="T", amount="$497.08"),
        _row(asset="Glued Type Corp.", ticker="GLU", type="S(partial)"),
    )
    site_with([GeneratedFiling("27500001", DAY, "Pat", "Partial", "ZZ07", rows)])
    result = materialize(house_clerk, DAY.isoformat())
    assert result.success

    filing = ledger(engine)["27500001"]
    assert filing["status"] == "partially_parsed"
    assert filing["reason"].startswith("2 of 4 rows unreadable; row 2 (page 1): amount band")
    assert [(row["row"], row["page"]) for row in filing["detail"]["unreadable_rows"]] == [(2, 1), (4, 1)]
    assert "minimum above its maximum" in filing["detail"]["unreadable_rows"][0]["reason"]

    mine = [line for line in lines(engine) if line["filing_id"] == "house:27500001"]
    assert [(line["row_number"], line["row_status"]) for line in mine] == [
        (1, "read"), (2, "unreadable"), (3, "read"), (4, "unreadable")
    ]
    assert "Broken Band Inc. (BRK) [ST]" in mine[1]["raw_text"] and mine[1]["asset_name"] is None
    assert mine[3]["unreadable_reason"] == "the row's type/date/amount cells are unreadable"
    exact = mine[2]
    assert (exact["amount_kind"], exact["amount_exact"], exact["amount_min"], exact["amount_max"]) == (
        "exact", Decimal("497.08"), 497, 498
    )
    assert mine[0]["amount_kind"] == "band" and mine[0]["amount_exact"] is None

    shown = metadata(result, "house_transactions")
    assert shown["status_partially_parsed"] == 1 and shown["unreadable_rows"] == 2
    assert "27500001" in shown["partially_parsed"]

    built = build_trades(pd.DataFrame(mine), ledger_frame(ledger(engine).values()))
    assert built["row_number"].tolist() == [1, 3]
    assert built["amount_exact"].tolist() == [None, Decimal("497.08")]

    with engine.connect() as conn:
        found = checks.evaluate(conn, Window(trades, "filed_date", DAY, date(2026, 4, 8)), warn_share=1, error_share=1)
    share = next(check for check in found if check.check_name == checks.UNREADABLE_FILINGS_SHARE)
    assert share.metadata["status_partially_parsed"].value == 1
    assert share.metadata["unreadable_rows"].value == 2
    assert share.metadata["unreadable"].value >= 1
