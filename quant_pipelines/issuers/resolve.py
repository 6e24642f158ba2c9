"""Resolve a trade's issuer from its asset name and type against one SEC ticker list (pure).

Only listed equity is resolved (stock, options on it, ETFs/ETNs, REITs and lines whose type
is not stated); municipal and government securities, corporate bonds, private companies,
private funds, mutual funds and the like get no ticker and say so. The methods, most
certain first:

- ``name_ticker`` (0.98): the name carries a symbol ("Apple Inc. (AAPL)", "SPYM - ...") that
  the list has and whose company name agrees with the rest of the asset name, or the list
  has it and the name carries nothing else to check;
- ``exact_name`` (0.95, 0.9 when the company has several share classes and the name states
  none, so the most traded class is taken): the issuer words equal those of one CIK's name;
  when several CIKs share them, the one whose legal form (Corp, plc, N.V.) the name states;
- ``loose_name`` (0.9, 0.85 for several classes): the same with Group and Holdings set aside.

- ``name_is_ticker`` (0.8): the whole name is one symbol the list has, written in one case
  ("msft", "PPL"; Senate filers do this with ticker ``--``).

Anything else is ``no_match`` or ``ambiguous`` (several CIKs share the name): never a guess.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from quant_pipelines.issuers.documents.sec_tickers import Company
from quant_pipelines.issuers.names import issuer_key, legal_forms, share_class, tickers_in_name

# The methods that give a ticker and CIK.
RESOLVED_METHODS = ("name_ticker", "exact_name", "loose_name", "name_is_ticker")
_BARE_SYMBOL = re.compile(r"^[A-Za-z]{1,5}$")
LISTED_TYPES = frozenset({None, "stock", "stock_option", "etf", "etn", "reit", "other_securities"})


@dataclass(frozen=True)
class Resolution:
    """What the asset name resolved to (ticker and CIK), how, and how sure; or why nothing."""

    method: str
    confidence: float | None = None
    resolved_ticker: str | None = None
    cik: int | None = None


class IssuerIndex:
    """One SEC ticker list, indexed by ticker and by issuer name."""

    def __init__(self, companies: Iterable[Company], label: str) -> None:
        self.label = label
        self.by_ticker: dict[str, Company] = {}
        self._classes: dict[int, list[Company]] = defaultdict(list)
        self._by_key: dict[bool, dict[str, set[int]]] = {False: defaultdict(set), True: defaultdict(set)}
        for company in companies:
            self.by_ticker.setdefault(company.ticker, company)
            self._classes[company.cik].append(company)
            for loose in (False, True):
                key = issuer_key(company.title, loose=loose)
                if key:
                    self._by_key[loose][key].add(company.cik)

    def resolve(self, asset_name: str | None, asset_type: str | None) -> Resolution:
        """The listed issuer of ``asset_name`` or the reason there is none (see the module doc)."""
        if asset_type not in LISTED_TYPES:
            return Resolution("not_listed_type")
        name = (asset_name or "").strip()
        for symbol in tickers_in_name(name):
            company = self.by_ticker.get(symbol.replace(".", "-"))
            if company is None:
                continue
            rest = issuer_key(name.replace(symbol, " "))
            title = issuer_key(company.title)
            if not rest or rest == title or title.startswith(rest) or rest.startswith(title):
                return Resolution("name_ticker", 0.98, company.ticker, company.cik)
        for loose, method, confidence in ((False, "exact_name", 0.95), (True, "loose_name", 0.9)):
            ciks = self._by_key[loose].get(issuer_key(name, loose=loose), set())
            if not ciks:
                continue
            cik = self._one_cik(name, ciks)
            if cik is None:
                return Resolution("ambiguous")
            return self._class_of(name, cik, method, confidence)
        one_case = _BARE_SYMBOL.match(name) and name in (name.lower(), name.upper())
        bare = self.by_ticker.get(name.upper()) if one_case else None
        if bare is not None:
            return Resolution("name_is_ticker", 0.8, bare.ticker, bare.cik)
        return Resolution("no_match")

    def _one_cik(self, name: str, ciks: set[int]) -> int | None:
        """The one CIK, else the one whose legal form the name states, else None (ambiguous)."""
        if len(ciks) == 1:
            return next(iter(ciks))
        forms = legal_forms(name)
        stated = [cik for cik in ciks if forms and legal_forms(self._classes[cik][0].title) == forms]
        return stated[0] if len(stated) == 1 else None

    def _class_of(self, name: str, cik: int, method: str, confidence: float) -> Resolution:
        """The share class the name states, else the most traded one (first in the list)."""
        classes = self._classes[cik]
        wanted = share_class(name)
        if wanted is not None:
            for company in classes:
                if company.ticker.endswith(f"-{wanted}") or (len(classes) > 1 and company.ticker[-1] == wanted):
                    return Resolution(method, confidence, company.ticker, company.cik)
        chosen = classes[0]
        sure = confidence if len(classes) == 1 else round(confidence - 0.05, 2)
        return Resolution(method, sure, chosen.ticker, chosen.cik)
