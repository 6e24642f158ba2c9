"""A row read off a scanned PTR grid, checked field by field before it may become a trade.

A row is accepted only when every field is there and plausible: one type box and one amount
box ticked (no doubtful mark), an asset name, dates that parse with transaction <= notification
<= filing, and every OCR reading at or above :data:`MIN_CONFIDENCE`. Anything else keeps the
row with its problems, for review; nothing is guessed. A page where most rows fall short of
that is print the engine cannot read, and none of its rows is accepted
(:func:`distrust_degraded`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from quant_pipelines.vocabulary.normalize import TransactionType

MIN_CONFIDENCE = 0.9  # a cell's mean character confidence
# An asset name or a date also needs its least certain character at 0.7 (or confirmed by re-reads,
# ocr/confirm.py): on the gold set every misread name with a high mean had one character below it.
MIN_WEAKEST = 0.7
LOW_CONFIDENCE = "low OCR confidence"
# A page where most asset names read below the bar is print the engine cannot read (bold,
# smeared 16 px rows): its confident names there are not trusted either. On such a page
# (Khanna 2021) 'Colfax', 'Guidewire' and 'S&P Global' were read 'Cotfax', 'Guldewire' and
# 'S&P Globaf' at full confidence. Dates alone do not count: a page of 16-Jun-22 dates the
# engine misreads can still name its assets right.
_DEGRADED_SHARE = 0.5
_DEGRADED_MIN_ROWS = 4
EARLIEST_YEAR = 2008
OWNER_CODES = {"": "self", "SP": "spouse", "JT": "joint", "DC": "child"}
# The owner column holds one of three codes: a letter O or a zero where only DC fits is DC, a 5
# where only SP fits is SP (an S of bold print read as a digit: 9113299, 8219417, 9115676), a
# speck read as a dot beside a code is no part of it, and a code read whole at this confidence is
# taken (its value is checked against the closed set).
_OWNER_LOOKALIKES = {"OC": "DC", "0C": "DC", "5P": "SP"}
_SPECKS = ".,'`"
MIN_OWNER_CONFIDENCE = 0.7
# Amount columns of the paper form: A-K since about 2015; the 2012 form has A-J with A from $1,000.
AMOUNTS = {
    "A": (1_001, 15_000, "$1,001 - $15,000"),
    "B": (15_001, 50_000, "$15,001 - $50,000"),
    "C": (50_001, 100_000, "$50,001 - $100,000"),
    "D": (100_001, 250_000, "$100,001 - $250,000"),
    "E": (250_001, 500_000, "$250,001 - $500,000"),
    "F": (500_001, 1_000_000, "$500,001 - $1,000,000"),
    "G": (1_000_001, 5_000_000, "$1,000,001 - $5,000,000"),
    "H": (5_000_001, 25_000_000, "$5,000,001 - $25,000,000"),
    "I": (25_000_001, 50_000_000, "$25,000,001 - $50,000,000"),
    "J": (50_000_001, None, "Over $50,000,000"),
    "K": (1_000_001, None, "Spouse/DC Over $1,000,000"),
}
FORM_2012_A = (1_000, 15_000, "$1,000 - $15,000")
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4})$")  # 16-Feb-23 (later continuation sheets)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "i": "1"})


@dataclass(frozen=True)
class Reading:
    """What one cell gave: the text (``""`` for an empty cell) and how sure the engine was.

    ``confidence`` is the mean over its characters, ``weakest`` the least certain one;
    ``doubt`` says why a confident reading is still not to be trusted (empty: no such reason).
    """

    text: str
    confidence: float
    weakest: float = 1.0
    doubt: str = ""

    @property
    def sure(self) -> bool:
        """True when the mean and the weakest character are both at the bar."""
        return self.confidence >= MIN_CONFIDENCE and self.weakest >= MIN_WEAKEST


@dataclass(frozen=True)
class RowRead:
    """The raw readings of one grid row: text cells, and the ticked / doubtful tick columns."""

    page: int
    owner: Reading
    asset: Reading
    traded: Reading
    notified: Reading
    ticked: frozenset[str]
    doubtful: frozenset[str]
    account: str | None = None
    amount_letters_2012: bool = False
    cap_gains: bool | None = None


@dataclass(frozen=True)
class OcrRow:
    """A checked row: the values read, their confidence, and the problems (empty = accepted)."""

    page: int
    owner: str | None
    owner_raw: str
    asset_name: str
    transaction_type: TransactionType | None
    transaction_type_raw: str
    transaction_date: date | None
    notification_date: date | None
    amount_min: int | None
    amount_max: int | None
    amount_text: str | None
    cap_gains_over_200: bool | None
    account: str | None
    confidence: float
    problems: tuple[str, ...] = field(default=())
    name_sure: bool = True  # the asset name read at or above the bar (see distrust_degraded)

    @property
    def accepted(self) -> bool:
        """True when nothing needs a person to look at the row."""
        return not self.problems


def parse_date(text: str) -> date | None:
    """``MM/DD/YY``, ``M/D/YYYY`` (letters that look like digits mapped, stray dots dropped) or ``16-Feb-23``; None if not a date."""
    compact = text.replace(" ", "")
    if compact.count("/") == 2:  # a speck read as a dot inside a slashed date
        compact = compact.replace(".", "")
    if (spelled := _DAY_MONTH.match(compact)) and spelled.group(2).lower() in _MONTHS:
        day, month, year = int(spelled.group(1)), _MONTHS.index(spelled.group(2).lower()) + 1, int(spelled.group(3))
    elif match := _DATE.match(compact.replace("-", "/").translate(_DIGIT_LOOKALIKES)):
        month, day, year = (int(group) for group in match.groups())
    else:
        return None
    year = year + 2000 if year < 100 else year
    try:
        return date(year, month, day)
    except ValueError:
        return None


def check(row: RowRead, filed: date | None) -> OcrRow:
    """Turn raw readings into an :class:`OcrRow`, listing every reason not to accept it."""
    problems: list[str] = []
    asset = " ".join(row.asset.text.split())
    if not asset:
        problems.append("asset name missing")
    owner_raw = row.owner.text.strip().upper()
    code = owner_raw.strip(_SPECKS) or owner_raw
    owner = OWNER_CODES.get(_OWNER_LOOKALIKES.get(code, code))
    if owner is None:
        problems.append(f"owner {row.owner.text!r} not SP/DC/JT")
    kind, kind_raw = _type(row.ticked, problems)
    low, high, amount_text = _amount(row, problems)
    if row.doubtful:
        problems.append("doubtful mark in " + "/".join(sorted(row.doubtful)))
    traded = _date(row.traded, "transaction date", problems, required=True)
    notified = _date(row.notified, "notification date", problems, required=False)
    _order(traded, notified, filed, problems)
    readings = [row.owner, row.asset, row.traded, row.notified]
    low_readings = [r.text for r in readings[1:] if r.text and r.confidence < MIN_CONFIDENCE]
    if row.owner.text and row.owner.confidence < (MIN_OWNER_CONFIDENCE if owner else MIN_CONFIDENCE):
        low_readings.insert(0, row.owner.text)
    for reading in (row.asset, row.traded, row.notified):
        if reading.text and reading.confidence >= MIN_CONFIDENCE and reading.weakest < MIN_WEAKEST:
            low_readings.append(reading.text)
    if low_readings:
        problems.append(f"{LOW_CONFIDENCE}: " + ", ".join(repr(text) for text in low_readings))
    problems += [reading.doubt for reading in readings if reading.doubt]
    confidence = min(*(r.confidence for r in readings), row.asset.weakest) * (0.5 if row.doubtful else 1.0)
    return OcrRow(
        page=row.page,
        owner=owner,
        owner_raw=owner_raw,
        asset_name=asset,
        transaction_type=kind,
        transaction_type_raw=kind_raw,
        transaction_date=traded,
        notification_date=notified,
        amount_min=low,
        amount_max=high,
        amount_text=amount_text,
        cap_gains_over_200=row.cap_gains,
        account=row.account,
        confidence=round(confidence, 3),
        problems=tuple(problems),
        name_sure=row.asset.sure,
    )


def distrust_degraded(rows: list[OcrRow]) -> list[OcrRow]:
    """The rows of one page, each accepted row held back when most of the page's asset names read at low confidence."""
    named = [row for row in rows if row.asset_name]
    uncertain = sum(not row.name_sure for row in named)
    if len(named) < _DEGRADED_MIN_ROWS or uncertain <= _DEGRADED_SHARE * len(named):
        return rows
    reason = f"page print unreliable: {uncertain} of {len(named)} asset names read at {LOW_CONFIDENCE}"
    return [row if row.problems else replace(row, problems=(reason,)) for row in rows]


def _type(ticked: frozenset[str], problems: list[str]) -> tuple[TransactionType | None, str]:
    kinds = sorted(ticked & {"P", "S", "PS", "EX"})
    raw = "+".join(kinds) + ("+partial" if "PT" in ticked else "")
    if len(kinds) != 1:
        problems.append(f"{len(kinds)} transaction type boxes ticked")
        return None, raw
    kind = {"P": "purchase", "S": "sale_full", "PS": "sale_partial", "EX": "exchange"}[kinds[0]]
    if "PT" in ticked:
        if kind != "sale_full":
            problems.append("partial transaction ticked on a non-sale")
            return None, raw
        kind = "sale_partial"
    return kind, raw  # type: ignore[return-value]


def _amount(row: RowRead, problems: list[str]) -> tuple[int | None, int | None, str | None]:
    letters = sorted(letter for letter in row.ticked if len(letter) == 1 and letter in AMOUNTS)
    if len(letters) != 1:
        problems.append(f"{len(letters)} amount boxes ticked")
        return None, None, None
    if letters[0] == "A" and row.amount_letters_2012:
        return FORM_2012_A
    return AMOUNTS[letters[0]]


def _date(reading: Reading, name: str, problems: list[str], *, required: bool) -> date | None:
    if not reading.text:
        if required:
            problems.append(f"{name} missing")
        return None
    parsed = parse_date(reading.text)
    if parsed is None:
        problems.append(f"{name} {reading.text!r} is not a date")
    elif parsed.year < EARLIEST_YEAR:
        problems.append(f"{name} {parsed.isoformat()} before {EARLIEST_YEAR}")
    return parsed


def _order(traded: date | None, notified: date | None, filed: date | None, problems: list[str]) -> None:
    if traded and notified and notified < traded:
        problems.append("notification date before transaction date")
    latest = notified or traded
    if filed and latest and latest > filed:
        problems.append(f"date {latest.isoformat()} after the filing date {filed.isoformat()}")
