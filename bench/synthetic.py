"""Deterministic synthetic trades shaped like the warehouse's real rows, for load benchmarks."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

BANDS = [
    (1001, 15000), (15001, 50000), (50001, 100000), (100001, 250000), (250001, 500000),
    (500001, 1000000), (1000001, 5000000), (5000001, 25000000),
]
OWNERS = ["self", "spouse", "joint", "child"]
TYPES = ["purchase", "sale_full", "sale_partial", "exchange"]
ASSET_TYPES = ["stock", "stock_option", "corporate_bond", "municipal_security", "etf", "other_securities"]


def trades(rows: int, first_day: date, days: int, seed: int = 7) -> pd.DataFrame:
    """``rows`` trades spread over ``days`` filed dates from ``first_day`` (5 lines per filing)."""
    rng = np.random.default_rng(seed)
    index = np.arange(rows)
    filing = index // 5
    filed = np.array([first_day + timedelta(days=int(d)) for d in range(days)], dtype=object)[filing % days]
    lag = rng.integers(1, 90, rows)
    traded = np.array([f - timedelta(days=int(n)) for f, n in zip(filed, lag)], dtype=object)
    symbols = np.array([f"S{n:03d}" for n in range(2000)], dtype=object)
    ticker = symbols[rng.integers(0, 2000, rows)]
    ticker[rng.random(rows) < 0.2] = None
    band = rng.integers(0, len(BANDS), rows)
    low = np.array([BANDS[b][0] for b in band])
    high = np.array([BANDS[b][1] for b in band])
    chamber = np.where(filing % 2 == 0, "house", "senate")
    return pd.DataFrame(
        {
            "politician_id": [f"{c}:member-{n % 535}" for c, n in zip(chamber, filing)],
            "chamber": chamber,
            "days_to_disclose": lag,
            "late": lag > 45,
            "superseded": False,
            "filing_id": [f"{c}:{20000000 + n}" for c, n in zip(chamber, filing)],
            "row_number": index % 5 + 1,
            "filed_date": filed,
            "transaction_date": traded,
            "notification_date": traded,
            "owner": np.array(OWNERS, dtype=object)[rng.integers(0, 4, rows)],
            "ticker": ticker,
            "asset_name": [f"Company {t or n} Inc. - Common Stock" for t, n in zip(ticker, index)],
            "asset_type": np.array(ASSET_TYPES, dtype=object)[rng.integers(0, len(ASSET_TYPES), rows)],
            "transaction_type": np.array(TYPES, dtype=object)[rng.integers(0, 4, rows)],
            "amount_min": low,
            "amount_max": high,
            "amount_text": [f"${a:,} - ${b:,}" for a, b in zip(low, high)],
            "comment": np.where(rng.random(rows) < 0.1, "Shares received in a merger.", None),
            "cap_gains_over_200": np.where(chamber == "house", rng.random(rows) < 0.2, None),
            "raw_sha256": [f"{n:064x}" for n in filing],
            "parser_version": np.where(chamber == "house", "house-clerk/1", "senate-efd/1"),
        }
    )
