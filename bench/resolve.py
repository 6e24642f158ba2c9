"""Issuer resolution measured honestly: trades that DO carry a filed ticker, ticker hidden,
resolved from the asset name alone, compared with what was filed.

Trades: the Senate Stock Watcher and House Stock Watcher slices in ../shared/fixtures/aggregates
(real filings, transcribed with their tickers). Each is resolved against the SEC list nearest its
transaction date (company_tickers_2021.json before 2023, company_tickers.json of 2026-02-01
after). Precision = right / resolved; recall = right / all stock trades with a filed ticker the
list knows. "Right" is the filed ticker itself; "same issuer" also counts another share class
of the filed ticker's CIK (GOOG for GOOGL).

    .venv/bin/python bench/resolve.py
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path

from common import machine_info, report
from tabulate import tabulate

from quant_pipelines.issuers.documents.sec_tickers import read_company_tickers
from quant_pipelines.issuers.resolve import IssuerIndex
from quant_pipelines.vocabulary.normalize import asset_type, ticker

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
SEC = FIXTURES / "reference" / "sec"
SPLIT = date(2023, 1, 1)


def _day(text: str) -> date | None:
    for pattern in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def trades() -> list[tuple[str, str, str | None, str | None, date | None]]:
    """(source, asset name, asset type, filed ticker, transaction date) of every slice row."""
    rows = []
    senate = json.loads((FIXTURES / "aggregates" / "senate-stock-watcher-data" / "all_transactions.slice.json").read_bytes())
    for row in senate:
        kind = asset_type(row.get("asset_type")) if row.get("asset_type") not in ("PDF Disclosed Filing",) else "unknown"
        # The Senate page's sub-lines (rate, maturity, company) are not part of the asset name.
        name = html.unescape(re.sub(r"<[^>]+>", " ", row["asset_description"].split("<div")[0]))
        rows.append(("senate", name, kind, ticker(row.get("ticker")), _day(row["transaction_date"])))
    with open(FIXTURES / "aggregates" / "house-stock-watcher" / "all_transactions.slice.csv", newline="") as stream:
        for row in csv.DictReader(stream):
            rows.append(("house", row["asset_description"], None, ticker(row.get("ticker")), _day(row["transaction_date"])))
    return rows


def main() -> None:
    lists = {
        "2021": IssuerIndex(read_company_tickers((SEC / "company_tickers_2021.json").read_bytes()), "sec-2021-02-07"),
        "2026": IssuerIndex(read_company_tickers((SEC / "company_tickers.json").read_bytes()), "sec-2026-02-01"),
    }
    counts: Counter[tuple[str, str]] = Counter()
    wrong: list[str] = []
    tickerless: Counter[str] = Counter()
    for source, name, kind, filed, day in trades():
        index = lists["2021" if day is None or day < SPLIT else "2026"]
        resolution = index.resolve(name, kind)
        if filed is None:
            if kind in ("stock", None):
                tickerless[(source, kind, bool(resolution.resolved_ticker))] += 1
            continue
        if kind not in ("stock", None):
            continue
        symbol = filed.replace(".", "-")
        known = index.by_ticker.get(symbol)
        counts[(source, "stock trades")] += 1
        if known is None:
            counts[(source, "filed ticker not in the list")] += 1
            continue
        counts[(source, "scored")] += 1
        if resolution.resolved_ticker is None:
            continue
        counts[(source, "resolved")] += 1
        if resolution.resolved_ticker == symbol:
            counts[(source, "right ticker")] += 1
        if resolution.cik == known.cik:
            counts[(source, "right issuer")] += 1
        else:
            wrong.append(f"{name!r} -> {resolution.resolved_ticker} ({resolution.method}), filed {filed}")
    for (_, key), count in list(counts.items()):
        counts[("all", key)] += count
    table = []
    for source in ("senate", "house", "all"):
        def get(key: str, source: str = source) -> int:
            return counts[(source, key)]

        resolved, scored = get("resolved"), get("scored")
        table.append([
            source, get("stock trades"), get("filed ticker not in the list"), scored, resolved,
            f"{get('right ticker') / resolved:.2%}" if resolved else "-",
            f"{get('right issuer') / resolved:.2%}" if resolved else "-",
            f"{get('right issuer') / scored:.2%}" if scored else "-",
        ])
    body = tabulate(
        table,
        headers=["trades", "stock, ticker filed", "ticker not in list", "scored", "resolved",
                 "precision (ticker)", "precision (issuer)", "recall (issuer)"],
        tablefmt="github",
    )
    senate_stock = tickerless[("senate", "stock", True)] + tickerless[("senate", "stock", False)]
    house_untyped = tickerless[("house", None, True)] + tickerless[("house", None, False)]
    notes = [
        f"Ticker-less trades resolved: Senate rows typed Stock {tickerless[('senate', 'stock', True)]} of "
        f"{senate_stock}; House rows (the slice has no asset type, so bonds, funds and private holdings are "
        f"among them) {tickerless[('house', None, True)]} of {house_untyped}.",
        f"Wrong issuers ({len(wrong)}): " + ("; ".join(sorted(set(wrong))[:15]) or "none") + ".",
        "Read by hand, each of these is the filer's mistake, not the resolver's: Black Knight is BKI (BLK is "
        "BlackRock), HP Inc. is HPQ (HP is Helmerich & Payne), Regeneron is REGN (RGEN is Repligen), Western "
        "Union is WU (WMT is Walmart).",
        "Ticker precision below issuer precision is the share class: a name stating no class gets the most "
        "traded one (BRK-A/BRK-B, LGF-A/LGF-B, GOOG/GOOGL) at confidence 0.9 instead of 0.95.",
    ]
    report("resolve", "Issuer resolution: filed tickers hidden, resolved from asset names", machine_info(), body, notes)


if __name__ == "__main__":
    main()
