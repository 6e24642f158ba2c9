"""Shared vocabularies: owner, transaction type, asset type, amount bands, tickers, names.

Both chambers' parsers map what the documents print onto these values, so the warehouse
has one vocabulary. Every function keeps to pure string work and raises ``ValueError``
with the offending text when it meets something it does not know.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal
from typing import Literal, NamedTuple, get_args

Owner = Literal["self", "spouse", "joint", "child"]
TransactionType = Literal["purchase", "sale_full", "sale_partial", "exchange"]
Chamber = Literal["senate", "house"]
AmountKind = Literal["band", "over", "exact"]

OWNERS: tuple[str, ...] = get_args(Owner)
TRANSACTION_TYPES: tuple[str, ...] = get_args(TransactionType)
AMOUNT_KINDS: tuple[str, ...] = get_args(AmountKind)

# Senate prints words, House prints codes; both name the same four relations.
# "Child" (Senate) and "DC" (House) are both the filer's dependent child.
_OWNER = {
    "": "self",
    "self": "self",
    "spouse": "spouse",
    "sp": "spouse",
    "joint": "joint",
    "jt": "joint",
    "child": "child",
    "dependent child": "child",
    "dc": "child",
}

_TRANSACTION_TYPE = {
    "purchase": "purchase",
    "p": "purchase",
    "sale (full)": "sale_full",
    "sale": "sale_full",
    "s": "sale_full",
    "sale (partial)": "sale_partial",
    "s (partial)": "sale_partial",
    "exchange": "exchange",
    "e": "exchange",
}

# Senate eFD "Asset Type" labels and House Clerk bracket codes
# (https://fd.house.gov/reference/asset-type-codes.aspx) onto one vocabulary.
_ASSET_TYPE = {
    "stock": "stock",
    "st": "stock",
    "stock option": "stock_option",
    "op": "stock_option",
    "corporate bond": "corporate_bond",
    "cs": "corporate_bond",
    "municipal security": "municipal_security",
    "government security": "government_security",
    "gs": "government_security",
    "non-public stock": "non_public_stock",
    "ps": "non_public_stock",
    "other securities": "other_securities",
    "ot": "other_securities",
    "mutual fund": "mutual_fund",
    "mf": "mutual_fund",
    "exchange traded fund": "etf",
    "ef": "etf",
    "et": "etn",
    "ab": "asset_backed_security",
    "cryptocurrency": "cryptocurrency",
    "ct": "cryptocurrency",
    "commodities/futures contract": "futures",
    "fu": "futures",
    "fe": "foreign_exchange",
    "he": "private_fund",
    "hn": "private_fund",
    "re": "reit",
    "rf": "reit",
    "rn": "reit",
    "rs": "restricted_stock_unit",
    "sa": "stock_appreciation_right",
    "ba": "bank_deposit",
    "oi": "ownership_interest",
    "rp": "real_property",
    "ir": "retirement_account",
    "4k": "retirement_account",
    "ih": "retirement_account",
    "db": "pension",
    "fn": "annuity",
    "va": "annuity",
    "vi": "insurance",
    "wu": "insurance",
    "tr": "trust",
    "eq": "trust",
    "ds": "trust",
    "5c": "education_savings",
    "5f": "education_savings",
    "5p": "education_savings",
    "bk": "brokerage_account",
    "ma": "managed_account",
    "ic": "investment_club",
    "co": "collectibles",
    "fa": "farm",
    "mo": "mineral_rights",
    "ip": "intellectual_property",
    "do": "debt_owed",
}

_MONEY = r"\$\s?([\d,]+)(?:\.\d\d)?"
_BAND = re.compile(rf"^{_MONEY}\s*-\s*{_MONEY}$")
_OVER = re.compile(rf"^(?:spouse/dc\s+)?over\s+{_MONEY}$", re.IGNORECASE)
_PLUS = re.compile(rf"^{_MONEY}\s*\+$")
# An exact figure always prints its cents ("$497.08", "$800.00"); a bare "$1,001" is half a band.
_EXACT = re.compile(r"^\$\s?(?P<value>\d{1,3}(?:,\d{3})*|\d+)\.(?P<cents>\d\d)$")
_TICKER = re.compile(r"^[A-Z][A-Z0-9]{0,5}(?:[./-][A-Z0-9]{1,3})?$")


class AmountBand(NamedTuple):
    """A disclosed value band in whole dollars; ``maximum`` is None for open-ended bands."""

    minimum: int
    maximum: int | None


def collapse(text: str | None) -> str:
    """Collapse runs of whitespace (including NBSP and NUL padding) to single spaces.

    Anything that is not a string (None, a pandas missing value) collapses to "".
    """
    if not isinstance(text, str):
        return ""
    return " ".join(text.replace("\x00", " ").replace("\xa0", " ").split())


def owner(raw: str | None) -> Owner:
    """Map an owner word or code (blank = the filer) onto the vocabulary."""
    key = collapse(raw).lower()
    if key not in _OWNER:
        raise ValueError(f"unknown owner {raw!r}")
    return _OWNER[key]  # type: ignore[return-value]


def transaction_type(raw: str | None) -> TransactionType:
    """Map 'Purchase' / 'P', 'Sale (Full)' / 'S', 'Sale (Partial)' / 'S (partial)', 'Exchange' / 'E'."""
    key = collapse(raw).lower()
    if key not in _TRANSACTION_TYPE:
        raise ValueError(f"unknown transaction type {raw!r}")
    return _TRANSACTION_TYPE[key]  # type: ignore[return-value]


def asset_type(raw: str | None) -> str | None:
    """Map a Senate asset-type label or a House code onto the vocabulary; blank stays None.

    A label or code outside the published lists becomes ``other`` (the raw text is kept
    beside it by the callers), so a new category never fails a whole filing.
    """
    key = collapse(raw).strip("[]").lower()
    if not key:
        return None
    return _ASSET_TYPE.get(key, "other")


def amount_band(raw: str | None) -> AmountBand:
    """Parse '$1,001 - $15,000', 'Over $50,000,000', 'Spouse/DC Over $1,000,000' or '$1,000,000 +'."""
    text = collapse(raw)
    if match := _BAND.match(text):
        low, high = (int(group.replace(",", "")) for group in match.groups())
        if low > high:
            raise ValueError(f"amount band {raw!r} has its minimum above its maximum")
        return AmountBand(low, high)
    if match := _OVER.match(text) or _PLUS.match(text):
        return AmountBand(int(match.group(1).replace(",", "")) + 1, None)
    raise ValueError(f"unrecognised amount {raw!r}")


class Amount(NamedTuple):
    """An amount cell: its kind, whole-dollar bounds and, for an exact figure, the value with cents.

    An exact figure is bounded by the whole dollars around it ($497.08 -> 497..498, $800.00 ->
    800..800), so band queries on ``minimum``/``maximum`` find it too.
    """

    kind: AmountKind
    minimum: int
    maximum: int | None
    exact: Decimal | None = None


def amount(raw: str | None) -> Amount:
    """Parse a band, an "over" amount or an exact dollar figure with cents ('$497.08')."""
    text = collapse(raw)
    if "." in text and (match := _EXACT.match(text)):
        value = Decimal(f"{match['value'].replace(',', '')}.{match['cents']}")
        return Amount("exact", math.floor(value), math.ceil(value), value)
    band = amount_band(text)
    return Amount("band" if band.maximum is not None else "over", band.minimum, band.maximum)


def ticker(raw: str | None) -> str | None:
    """Clean a ticker cell: '--' and blanks are None, case is upper, '$' and spaces go.

    Returns None for text that cannot be a listed symbol (a name fragment, a CUSIP).
    """
    text = collapse(raw).upper().lstrip("$").replace(" ", "")
    if not text or set(text) <= {"-"}:
        return None
    return text if _TICKER.match(text) else None


def name_key(first: str | None, last: str | None) -> str:
    """A spelling-insensitive key for a person: last name(s) and the given name, lowercase ASCII.

    Initials, suffixes and titles drop out: 'Gary C' + 'Peters' and 'GARY' + 'PETERS ' give
    'peters-gary'; 'A. Mitchell' + 'McConnell, Jr.' gives 'mcconnell-mitchell'.
    """
    words = []
    for part in (first, last):
        text = unicodedata.normalize("NFKD", collapse(part)).encode("ascii", "ignore").decode()
        text = re.sub(r"[^a-z\s-]", " ", text.lower())
        words.append([w for w in text.replace("-", " ").split() if w not in _NOT_NAMES])
    # The given name is the first word that is more than an initial ('A. Mitchell' -> mitchell).
    given = next((w for w in words[0] if len(w) > 1), None) or next(iter(words[0]), None)
    return "-".join(words[1] + ([given] if given else [])) or "unknown"


_NOT_NAMES = {"jr", "sr", "ii", "iii", "iv", "v", "hon", "honorable", "mr", "mrs", "ms", "dr"}


def politician_id(chamber: Chamber, first: str | None, last: str | None, state: str | None) -> str:
    """A readable id from the natural key (chamber, normalized name, state), identical across runs.

    'house:pelosi-nancy:CA'; Senate listings carry no state, so 'senate:boozman-john'.
    """
    parts = [chamber, name_key(first, last)] + ([state.upper()] if state else [])
    return ":".join(parts)
