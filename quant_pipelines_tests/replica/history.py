"""A full filing history for both replicas, sized like the real sites', for backfill benchmarks.

eFD lists 2,383 Senate PTRs since 2012 (``recordsTotal`` of the captured all-PTR listing);
the House Clerk's yearly indexes list several hundred PTRs a year (728 in the captured
2015 index). :func:`full_history` generates that many filings, deterministically from a
seed, with the replicas' own generators: Senate filings with their amendments, paper
filings and same-day siblings (``senate.generator.generate``), and House PTRs for the
years whose index was not captured (the captured 2012, 2015, 2021 and 2026 indexes list
their own PTRs, each served with a generated document). ``scale`` multiplies the counts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from quant_pipelines_tests.replica.house_documents import GeneratedFiling as HouseFiling
from quant_pipelines_tests.replica.house_documents import random_filing
from quant_pipelines_tests.replica.house_index import CAPTURED_YEARS
from quant_pipelines_tests.replica.senate.generator import GeneratedFiling as SenateFiling
from quant_pipelines_tests.replica.senate.generator import generate

SENATE_PTRS_SINCE_2012 = 2383
# The day that listing was captured: 2,383 PTRs over the days since 2012-01-01.
SENATE_LISTING_CAPTURED = date(2026, 7, 6)
# One listed original brings 0.94 * (8% same-day siblings + 12% amendments) more filings.
SENATE_FAMILY_SIZE = 1 + 0.94 * (0.08 + 0.12)
HOUSE_PTRS_PER_YEAR = 500
# Rows per generated House PTR: mostly a handful, a few long ones (mean about 14).
HOUSE_ROWS = (1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 60)
HOUSE_PAPER_SHARE = 0.04
_FIRST = ("James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Susan",
          "William", "Karen", "Richard", "Nancy", "Joseph", "Lisa", "Thomas", "Betty", "Daniel", "Sandra")
_LAST = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
         "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Taylor", "Moore", "Jackson",
         "Martin", "Lee", "Thompson", "White")
_STATES = ("CA", "TX", "FL", "NY", "PA", "IL", "OH", "GA", "NC", "MI", "NJ", "VA", "WA", "AZ", "TN", "MA")


@dataclass(frozen=True)
class History:
    """Generated filings for each replica (``SenateReplica(generated=)``, ``HouseReplica(generated=)``)."""

    senate: list[SenateFiling]
    house: list[HouseFiling]


def full_history(start: date, end: date, *, seed: int = 2012, scale: float = 1.0) -> History:
    """Filings filed on days in [start, end), about as many as the real sites list."""
    listed_days = (SENATE_LISTING_CAPTURED - date(2012, 1, 1)).days
    per_day = scale * SENATE_PTRS_SINCE_2012 / SENATE_FAMILY_SIZE / listed_days
    senate = [filing for filing in generate(seed, start, end, per_day) if filing.filed < end]
    return History(senate, house_filings(start, end, seed=seed, scale=scale))


def house_filings(start: date, end: date, *, seed: int, scale: float = 1.0) -> list[HouseFiling]:
    """House PTRs filed in [start, end), for the years the replica has no captured index of."""
    rng = random.Random(seed)
    members = [
        (first, last, f"{rng.choice(_STATES)}{rng.randint(1, 20):02d}")
        for first in _FIRST
        for last in _LAST
    ]
    filings = []
    for year in range(start.year, (end - timedelta(days=1)).year + 1):
        if year in CAPTURED_YEARS:
            continue
        first_day, last_day = max(start, date(year, 1, 1)), min(end, date(year + 1, 1, 1))
        share = (last_day - first_day).days / 365
        for number in range(round(scale * HOUSE_PTRS_PER_YEAR * share)):
            first, last, district = rng.choice(members)
            filed = first_day + timedelta(days=rng.randrange((last_day - first_day).days))
            prefix = "9" if rng.random() < HOUSE_PAPER_SHARE else "2"
            doc_id = f"{prefix}{year % 100:02d}{number:05d}"
            rows = rng.choice(HOUSE_ROWS)
            filings.append(
                random_filing(doc_id, filed, first, last, district, rows=rows, seed=rng.getrandbits(32))
            )
    return filings
