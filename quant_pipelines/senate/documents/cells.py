"""A PTR page as text (header lines, row cells, summary items) to pydantic records.

The DOM layer (``senate_efd``) reduces a page to :class:`PageCells` of collapsed strings;
everything here is string work, so any HTML library can feed it (the benchmark feeds it
from BeautifulSoup to compare like with like).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, ConfigDict

from quant_pipelines.vocabulary import normalize
from quant_pipelines.vocabulary.records import ParsedReport, ParseError, Transaction

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
TITLE = re.compile(r"^Periodic Transaction Report for (\d{2})/(\d{2})/(\d{4})(?: \(Amendment(?: (\d+))?\))?$")
_FILED = re.compile(r"^Filed (\d{2})/(\d{2})/(\d{4}) @ (\d{1,2}):(\d{2}) ([AP])M$")
_SUMMARY_TOTAL = re.compile(r"^\((\d+) transactions? total\)$")
_SUMMARY_OWNER = re.compile(r"^(\d+) (Self|Joint|Spouse|Dependent Child)$")
_FILER = re.compile(r"^(?:The Honorable )?(?P<name>.*?)\s*(?:\((?P<key>[^()]*)\))?$")
_LABELLED = re.compile(r"^([A-Za-z][A-Za-z /]{0,30}):\s*(.*)$")
# "SPYM - Tradr 2X Long SPY Monthly ETF" with an empty Ticker cell (Boozman a9754ff5).
_TICKER_IN_NAME = re.compile(r"^([A-Z][A-Z0-9]{0,5}(?:[./][A-Z]{1,2})?) - \S")
_US_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_EXCHANGED = re.compile(r"\s*\((Exchanged|Received)\)\s*$", re.IGNORECASE)


class Record(BaseModel):
    """Frozen records that refuse unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class PtrPage(Record):
    """An electronic PTR page: the parsed report plus the header facts the ledger needs."""

    report: ParsedReport
    report_for: date
    filed_at: datetime
    filer_key: str | None


@dataclass(frozen=True, slots=True)
class PageCells:
    """A PTR page reduced to text: the header lines, the rows' cells and the summary items."""

    heading: str
    filed: str
    filer: str
    rows: list[RawRow]
    summary: list[str]


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


def assemble(cells: PageCells) -> PtrPage:
    """The page's report from its text; ParseError when a part is missing or malformed."""
    heading = TITLE.match(cells.heading)
    if heading is None:
        raise ParseError(f"unexpected report heading {cells.heading!r}")
    filed = _FILED.match(cells.filed)
    if filed is None:
        raise ParseError("the 'Filed MM/DD/YYYY @ H:MM AM' line is missing or malformed")
    filer = _FILER.match(cells.filer)
    lines = tuple(transaction(row) for row in cells.rows)
    _check_summary(cells.summary, lines)
    hour = int(filed[4]) % 12 + (12 if filed[6] == "P" else 0)
    try:
        filed_at = datetime.combine(day_of(filed), time(hour, int(filed[5])))
        report_for = day_of(heading)
    except ValueError as exc:
        raise ParseError(f"impossible date in the report header: {exc}") from None
    report = ParsedReport(
        filer_name=filer["name"],
        filed_date=filed_at.date(),
        amendment_number=int(heading[4]) if heading[4] else None,
        transactions=lines,
    )
    return PtrPage(report=report, report_for=report_for, filed_at=filed_at, filer_key=filer["key"])


def _check_summary(items: list[str], lines: tuple) -> None:
    """The '(N transactions total)' / 'X Self' list must agree with the rows (catches truncation)."""
    totals = [int(m[1]) for m in map(_SUMMARY_TOTAL.match, items) if m]
    if not totals:
        raise ParseError("the '(N transactions total)' summary is missing (truncated page?)")
    if totals[0] != len(lines):
        raise ParseError(f"the summary lists {totals[0]} transactions but the table has {len(lines)}")
    numbers = [line.row_number for line in lines]
    if len(set(numbers)) != len(numbers):
        raise ParseError(f"row numbers repeat: {sorted(numbers)}")
    owners = Counter(line.owner for line in lines)
    for match in filter(None, map(_SUMMARY_OWNER.match, items)):
        if owners[normalize.owner(match[2])] != int(match[1]):
            raise ParseError(
                f"the summary lists {match[0]!r} but the table has {owners[normalize.owner(match[2])]}"
            )


def day_of(match: re.Match) -> date:
    """A date from a match whose first three groups are MM, DD, YYYY."""
    return date(int(match[3]), int(match[1]), int(match[2]))


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
    band = normalize.amount(raw.amount)
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
        amount_kind=band.kind,
        amount_exact=band.exact,
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
