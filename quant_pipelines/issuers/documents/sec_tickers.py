"""Reader of the SEC's company ticker lists (``company_tickers.json`` and
``company_tickers_exchange.json``, https://www.sec.gov/files/).

``company_tickers.json`` maps "0", "1", ... to ``{"cik_str", "ticker", "title"}`` in the SEC's
rank order; ``company_tickers_exchange.json`` is ``{"fields": [...], "data": [[cik, name,
ticker, exchange], ...]}``. A CIK with several share classes has one entry per ticker, its
most traded class first; class tickers use ``-`` (``BRK-B``). Exact repeats are dropped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_TICKER = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,9}$")


class TickerListUnreadable(ValueError):
    """A ticker list that cannot be read; the message is one line."""


@dataclass(frozen=True)
class Company:
    """One (CIK, ticker) pair of the list, with the SEC's name for the company."""

    cik: int
    ticker: str
    title: str
    exchange: str | None = None


def read_company_tickers(content: bytes) -> tuple[Company, ...]:
    """Parse either SEC ticker list; TickerListUnreadable with the reason when it is neither."""
    try:
        payload = json.loads(content)
    except (ValueError, RecursionError) as exc:
        raise TickerListUnreadable(f"not JSON: {str(exc).splitlines()[0] if str(exc) else exc!r}") from None
    if isinstance(payload, dict) and isinstance(payload.get("fields"), list) and isinstance(payload.get("data"), list):
        fields = payload["fields"]
        if not {"cik", "name", "ticker"} <= set(fields):
            raise TickerListUnreadable(f"fields {fields!r:.80} lack cik, name or ticker")
        rows = [dict(zip(fields, row)) for row in payload["data"] if isinstance(row, list)]
        entries = [(row.get("cik"), row.get("ticker"), row.get("name"), row.get("exchange")) for row in rows]
    elif isinstance(payload, dict) and all(isinstance(value, dict) for value in payload.values()):
        ordered = sorted(payload.items(), key=lambda item: int(item[0]) if str(item[0]).isdigit() else 10**9)
        entries = [(v.get("cik_str"), v.get("ticker"), v.get("title"), None) for _, v in ordered]
    else:
        raise TickerListUnreadable("neither company_tickers.json nor company_tickers_exchange.json")
    companies, seen = [], set()
    for number, (cik, ticker, title, exchange) in enumerate(entries):
        if isinstance(cik, str) and cik.isdigit():
            cik = int(cik)
        if not isinstance(cik, int) or not isinstance(ticker, str) or not isinstance(title, str):
            raise TickerListUnreadable(f"entry {number} lacks an integer CIK, a ticker or a name")
        ticker = ticker.strip().upper()
        if not _TICKER.match(ticker) or (cik, ticker) in seen:
            continue
        seen.add((cik, ticker))
        companies.append(Company(cik, ticker, " ".join(title.split()), exchange))
    if not companies:
        raise TickerListUnreadable("the list holds no companies")
    return tuple(companies)
