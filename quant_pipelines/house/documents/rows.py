"""One PTR table row: the text gathered for it, then the normalized :class:`Transaction`.

A row starts at its transaction-type/date/amount text (the "anchor"); the cells left of
the anchor hold the optional filing row ID, the owner code and the first asset line.
Later lines add asset lines, the wrapped half of the amount, the cap-gains checkbox
glyphs (2020-2021 template) and labelled sub-lines (FILING STATUS, SUBHOLDING OF,
DESCRIPTION, COMMENTS, LOCATION).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from pydantic import ValidationError

from quant_pipelines.vocabulary import normalize
from quant_pipelines.house.documents.pdf_text import Run
from quant_pipelines.vocabulary.records import Transaction

_CODE = re.compile(r"\s*\[(?P<code>[A-Za-z0-9]{2})\]\s*$")
# A ticker has no spaces: "(Class A)" at the end of a name is not one.
_TICKER = re.compile(r"\s*\((?P<ticker>[^()\s]{1,12})\)\s*$")
_OPTION_KIND = re.compile(r"\b(call|put)s?\b", re.IGNORECASE)
_STRIKE = re.compile(r"strike(?:\s+price)?(?:\s+of)?\s*\$\s?(?P<price>[\d,]*\d(?:\.\d+)?)", re.IGNORECASE)
_EXPIRY = re.compile(
    r"expir\w*(?:\s+date)?(?:\s+of)?\s*(?P<date>\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}))", re.IGNORECASE
)
# The 2020-2021 template's Wingdings checkbox reads "gfedc" when empty, "gfedcb" when ticked.
_CHECKED = "gfedcb"
_SUBHOLDING_PATH = re.compile(r"\s*(?:>|⇒)\s*")
_US_DATE = re.compile(r"^(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}|\d{2})$")


@dataclass
class Vehicle:
    """An entry of the "Investment Vehicle Details" / "Asset class details" section."""

    name: str
    owner: str | None
    location: str | None = None


@dataclass
class RowDraft:
    """Text collected for one row until the next row starts."""

    number: int
    page: int
    type_raw: str
    date_raw: str
    notified_raw: str
    amount: str
    line: int = 0
    row_id: str | None = None
    owner_raw: str = ""
    asset_lines: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    last_label: str | None = None
    raw: list[list[Run]] = field(default_factory=list)
    problem: str | None = None
    _amount: normalize.Amount | None = None

    @classmethod
    def unreadable_at(cls, number: int, page: int, line: int) -> RowDraft:
        """A row whose anchor line the census found but the row parser could not read."""
        return cls(number, page, "", "", "", "", line=line, problem="the row's type/date/amount cells are unreadable")

    def raw_text(self) -> str:
        """The text of the row's lines as printed, one line per line."""
        return "\n".join(normalize.collapse(" ".join(run.text for run in runs)) for runs in self.raw)

    def amount_problem(self) -> str | None:
        """Why the amount collected so far is not a band or exact figure yet (None once it is)."""
        if self._amount is None:
            try:
                self._amount = normalize.amount(self.amount)
            except ValueError as exc:
                return str(exc)
        return None

    def extend_amount(self, text: str) -> None:
        """Append the wrapped half of the amount."""
        self.amount = f"{self.amount} {text}"

    def add_label(self, key: str, value: str) -> None:
        self.labels[key] = f"{self.labels[key]} {value}".strip() if key in self.labels else value
        self.last_label = key

    def continue_label(self, text: str) -> None:
        assert self.last_label is not None
        self.add_label(self.last_label, text)

    def transaction(self, vehicles: dict[str, Vehicle]) -> Transaction:
        """The normalized record; ValueError says in one line why the row cannot be read."""
        if self.problem is not None:
            raise ValueError(self.problem)
        try:
            return self._transaction(vehicles)
        except ValidationError as exc:
            errors = exc.errors()
            raise ValueError("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)) from None

    def _transaction(self, vehicles: dict[str, Vehicle]) -> Transaction:
        asset_text = normalize.collapse(" ".join(self.asset_lines))
        if not asset_text:
            raise ValueError("no asset text")
        name, ticker, code = _split_asset(asset_text)
        labels = {key: normalize.collapse(value) or None for key, value in self.labels.items()}
        details = {"asset_text": asset_text, "page": str(self.page)}
        owner_raw, owner_source = self.owner_raw, "row" if self.owner_raw else "default_self"
        vehicle = _vehicle_of(labels.get("subholding_of"), vehicles)
        if vehicle is not None:
            details["vehicle"] = vehicle.name
            if vehicle.location:
                details["vehicle_location"] = vehicle.location
            if vehicle.owner and not owner_raw:
                owner_raw, owner_source = vehicle.owner, "vehicle"
        details["owner_source"] = owner_source
        optional = {
            "asset_type_code": code,
            "filing_row_id": self.row_id,
            "subholding_of": labels.get("subholding_of"),
            "location": labels.get("location"),
        }
        details.update({key: value for key, value in optional.items() if value})
        band = self._amount or normalize.amount(self.amount)
        option = (
            _option_terms(labels.get("description") or labels.get("comment") or "") if code == "OP" else {}
        )
        return Transaction(
            row_number=self.number,
            transaction_date=_us_date(self.date_raw),
            notification_date=_us_date(self.notified_raw),
            owner=normalize.owner(owner_raw),
            owner_raw=self.owner_raw,
            ticker=ticker,
            asset_name=name,
            asset_type=normalize.asset_type(code),
            asset_type_raw=code,
            transaction_type=normalize.transaction_type(self.type_raw),
            transaction_type_raw=self.type_raw,
            amount_min=band.minimum,
            amount_max=band.maximum,
            amount_text=normalize.collapse(self.amount),
            amount_kind=band.kind,
            amount_exact=band.exact,
            comment=labels.get("comment"),
            description=labels.get("description"),
            cap_gains_over_200=(self.marks[0] == _CHECKED) if self.marks else None,
            filing_status=labels.get("filing_status"),
            details=details,
            **option,
        )


def _split_asset(text: str) -> tuple[str, str | None, str | None]:
    """'Apple Inc. (AAPL) [ST]' -> ('Apple Inc.', 'AAPL', 'ST'); a name without them stays whole."""
    name, code = text, None
    if match := _CODE.search(name):
        name, code = name[: match.start()], match["code"].upper()
    ticker = None
    if (match := _TICKER.search(name)) and (ticker := normalize.ticker(match["ticker"])):
        name = name[: match.start()]
    return name.strip() or text, ticker, code


def _vehicle_of(subholding: str | None, vehicles: dict[str, Vehicle]) -> Vehicle | None:
    if not subholding:
        return None
    # A path "IRA > Brokerage" names the innermost holding last; its owner applies first.
    for part in reversed(_SUBHOLDING_PATH.split(subholding)):
        if vehicle := vehicles.get(vehicle_key(part)):
            return vehicle
    return None


def vehicle_key(name: str) -> str:
    """Vehicle names compared case-insensitively (the 2021 template swaps letter case)."""
    return normalize.collapse(name).lower()


def _option_terms(text: str) -> dict[str, object]:
    terms: dict[str, object] = {}
    if match := _OPTION_KIND.search(text):
        terms["option_type"] = match[1].lower()
    if match := _STRIKE.search(text):
        terms["strike_price"] = Decimal(match["price"].replace(",", ""))
    if match := _EXPIRY.search(text):
        terms["expiry"] = _us_date(match["date"])
    return terms


def _us_date(raw: str) -> date:
    """MM/DD/YYYY (M/D/YY in free text, read as 20YY)."""
    match = _US_DATE.match(raw)
    try:
        if match is None:
            raise ValueError
        year = int(match["year"])
        return date(year + 2000 if year < 100 else year, int(match["month"]), int(match["day"]))
    except ValueError:
        raise ValueError(f"{raw!r} is not a MM/DD/YYYY date") from None
