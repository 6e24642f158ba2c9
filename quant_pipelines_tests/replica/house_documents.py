"""Specs of generated House PTRs: what a filer typed, row by row.

A spec is both the input of the replica's PDF layout (``house_layout.render_filing``)
and the expectation: tests compare the parser's output with the spec it came from.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class GeneratedRow:
    """One transaction row as the filer typed it."""

    asset: str
    ticker: str | None
    code: str
    type: str
    date: date
    notified: date
    amount: str
    owner: str = ""
    filing_status: str = "New"
    row_id: str | None = None
    subholding_of: str | None = None
    location: str | None = None
    description: str | None = None
    comment: str | None = None

    @property
    def asset_text(self) -> str:
        ticker = f" ({self.ticker})" if self.ticker else ""
        return f"{self.asset}{ticker} [{self.code}]"


@dataclass(frozen=True)
class GeneratedFiling:
    """A PTR to list in the replica's index and serve as a PDF."""

    doc_id: str
    filed: date
    first: str
    last: str
    state_dst: str
    rows: tuple[GeneratedRow, ...] = ()
    prefix: str = "Hon."
    vehicles: tuple[tuple[str, str | None, str | None], ...] = field(default_factory=tuple)

    @property
    def paper(self) -> bool:
        return self.doc_id[0] in "89"

    @property
    def filer(self) -> str:
        return f"{self.prefix} {self.first} {self.last}".strip()


_ASSETS = (
    ("Apple Inc. - Common Stock", "AAPL", "ST"),
    ("Microsoft Corporation - Common Stock", "MSFT", "ST"),
    ("NVIDIA Corporation - Common Stock", "NVDA", "ST"),
    ("Alphabet Inc. - Class A Common Stock", "GOOGL", "ST"),
    ("Berkshire Hathaway Inc. New", "BRK.B", "ST"),
    ("US Treasury Bill", None, "GS"),
    ("Vanguard Total Stock Market ETF", "VTI", "EF"),
    ("Tesla, Inc. - Common Stock", "TSLA", "OP"),
    ("Listen Ventures IV, LP", None, "HN"),
    ("Bitcoin", None, "CT"),
    ("JP Morgan Chase & Co. Common Stock", "JPM", "ST"),
    ("Fidelity Contrafund", "FCNTX", "MF"),
    ("Virginia College Bldg 3.00% 02/01/37", None, "GS"),
)
_AMOUNTS = (
    "$1,001 - $15,000",
    "$15,001 - $50,000",
    "$50,001 - $100,000",
    "$100,001 - $250,000",
    "$250,001 - $500,000",
    "$500,001 - $1,000,000",
    "$1,000,001 - $5,000,000",
    "$5,000,001 - $25,000,000",
    "$25,000,001 - $50,000,000",
    "Over $50,000,000",
)
_TYPES = ("P", "S", "S (partial)", "E")


def random_filing(
    doc_id: str, filed: date, first: str, last: str, state_dst: str, *, rows: int, seed: int
) -> GeneratedFiling:
    """A plausible filing with ``rows`` rows of every kind the parser must read."""
    rng = random.Random(seed)
    vehicle = ("Family Brokerage Account", "SP", "US")
    generated = []
    for number in range(rows):
        name, ticker, code = rng.choice(_ASSETS)
        owner = rng.choice(("", "", "SP", "JT", "DC"))
        amount = rng.choice(_AMOUNTS + (("Spouse/DC Over $1,000,000",) if owner in ("SP", "DC") else ()))
        traded = filed - timedelta(days=rng.randint(1, 60))
        option = "Purchased 20 call options with a strike price of $150 and an expiration date of 1/15/27."
        generated.append(
            GeneratedRow(
                asset=name,
                ticker=ticker,
                code=code,
                type=rng.choice(_TYPES),
                date=traded,
                notified=min(filed, traded + timedelta(days=rng.randint(0, 10))),
                amount=amount,
                owner=owner,
                subholding_of=vehicle[0] if number % 4 == 1 else None,
                description=option if code == "OP" else rng.choice((None, "Dividend reinvestment.")),
                comment=rng.choice((None, None, "Managed account; no direct instruction.")),
                location="US" if code == "HN" else None,
            )
        )
    return GeneratedFiling(doc_id, filed, first, last, state_dst, tuple(generated), vehicles=(vehicle,))
