"""One eFD transaction row, as cell text, to a normalized :class:`Transaction`.

The DOM layer (``senate_efd``) reduces each ``<tr>`` to a :class:`RawRow` of collapsed
strings; everything here is string work, so any HTML library can feed it (the
benchmark feeds it from BeautifulSoup to compare like with like).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from quant_pipelines.sources import normalize
from quant_pipelines.sources.records import ParseError, Transaction

NONE = "--"

# Sub-line labels of the Asset Name cell (SITE_NOTES §1.4) -> where the value goes.
_SUB_LINES = {
    "rate/coupon": "rate_coupon",
    "matures": "matures",
    "option type": "option_type",
    "strike price": "strike_price",
    "expires": "expiry",
    "company": "company",
    "description": "description",
}
_LABELLED = re.compile(r"^([A-Za-z][A-Za-z /]{0,30}):\s*(.*)$")
# "SPYM - Tradr 2X Long SPY Monthly ETF" with an empty Ticker cell (Boozman a9754ff5).
_TICKER_IN_NAME = re.compile(r"^([A-Z][A-Z0-9]{0,5}(?:[./][A-Z]{1,2})?) - \S")
_US_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_EXCHANGED = re.compile(r"\s*\((Exchanged|Received)\)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RawRow:
    """The nine cells of one row; multi-line cells are split at ``<br>``."""

    number: str
    transaction_date: str
    owner: str
    ticker_lines: tuple[str, ...]
    name_lines: tuple[str, ...]
    sub_lines: tuple[str, ...]
    asset_type: str
    transaction_type: str
    amount: str
    comment: str


def transaction(raw: RawRow) -> Transaction:
    """Normalize one row; a cell outside the known vocabulary raises :class:`ParseError`."""
    try:
        return _transaction(raw)
    except (ValueError, InvalidOperation) as exc:
        if isinstance(exc, ParseError):
            raise
        raise ParseError(f"row #{raw.number}: {exc}") from None


def _transaction(raw: RawRow) -> Transaction:
    if not raw.number.isdigit() or int(raw.number) < 1:
        raise ValueError(f"row number {raw.number!r} is not a positive integer")
    if not raw.name_lines:
        raise ValueError("empty Asset Name")
    kind = normalize.transaction_type(raw.transaction_type)
    band = normalize.amount_band(raw.amount)
    details: dict[str, str] = {}
    ticker = _ticker(raw, kind, details)
    fields = _sub_line_fields(raw.sub_lines, details)
    return Transaction(
        row_number=int(raw.number),
        transaction_date=_optional_date(raw.transaction_date),
        owner=normalize.owner(raw.owner),
        owner_raw=raw.owner,
        ticker=ticker,
        asset_name=" ".join(raw.name_lines),
        asset_type=normalize.asset_type(raw.asset_type),
        asset_type_raw=raw.asset_type or None,
        transaction_type=kind,
        transaction_type_raw=raw.transaction_type,
        amount_min=band.minimum,
        amount_max=band.maximum,
        amount_text=raw.amount,
        comment=None if raw.comment in ("", NONE) else raw.comment,
        details=details,
        **fields,
    )


def _ticker(raw: RawRow, kind: str, details: dict[str, str]) -> str | None:
    """The Ticker cell's symbol; an exchange keeps both sides; else a 'XYZ - Name' prefix."""
    symbols = [normalize.ticker(line) for line in raw.ticker_lines]
    sides = [_EXCHANGED.search(line) for line in raw.name_lines]
    if kind == "exchange" and len(raw.name_lines) == 2 and all(sides):
        for line, side, index in zip(raw.name_lines, sides, (0, 1), strict=True):
            label = side.group(1).lower()
            details[f"{label}_asset"] = _EXCHANGED.sub("", line)
            symbol = symbols[index] if len(symbols) == 2 else None
            if symbol:
                details[f"{label}_ticker"] = symbol
    found = [symbol for symbol in symbols if symbol]
    if found:
        # On an exchange the last symbol is the received side, the position held afterwards.
        return found[-1]
    if any(line not in ("", NONE) for line in raw.ticker_lines):
        details["ticker_cell"] = " ".join(raw.ticker_lines)
    match = _TICKER_IN_NAME.match(raw.name_lines[0])
    if match and (symbol := normalize.ticker(match.group(1))):
        details["ticker_source"] = "asset_name"
        return symbol
    return None


def _sub_line_fields(lines: tuple[str, ...], details: dict[str, str]) -> dict[str, object]:
    """Option, bond and company sub-lines; an unknown label is an unknown layout."""
    values: dict[str, str] = {}
    last = None
    for line in lines:
        match = _LABELLED.match(line)
        key = _SUB_LINES.get(match.group(1).strip().lower()) if match else None
        if key is None:
            if last is None or match:
                raise ValueError(f"unknown asset detail line {line!r}")
            values[last] = f"{values[last]} {line}"  # a wrapped Description continues
            continue
        values[key], last = match.group(2).strip(), key
    fields: dict[str, object] = {}
    if "option_type" in values:
        fields["option_type"] = values.pop("option_type").lower() or None
    if "strike_price" in values:
        fields["strike_price"] = _money(values.pop("strike_price"))
    if "expiry" in values:
        fields["expiry"] = _optional_date(values.pop("expiry"))
    if "description" in values:
        fields["description"] = values.pop("description") or None
    if "matures" in values:
        matures = _optional_date(values.pop("matures"))
        if matures:
            details["matures"] = matures.isoformat()
    details.update({key: value for key, value in values.items() if value})
    return fields


def _money(text: str) -> Decimal | None:
    cleaned = text.replace("$", "").replace(",", "").strip()
    return Decimal(cleaned) if cleaned and cleaned != NONE else None


def _optional_date(text: str) -> date | None:
    """MM/DD/YYYY (eFD) or YYYY-MM-DD (2026 bond maturities); '--' or blank is None."""
    if text in ("", NONE):
        return None
    if match := _US_DATE.match(text):
        month, day, year = match.groups()
    elif match := _ISO_DATE.match(text):
        year, month, day = match.groups()
    else:
        raise ValueError(f"unrecognised date {text!r}")
    return date(int(year), int(month), int(day))
