"""Records the parsers return: a listed filing, a parsed report and its transaction lines.

Both chambers produce the same shapes, so the warehouse has one ``transactions`` table
and one ``filings`` ledger. Parsers raise :class:`ParseError` or :class:`NeedsOcr`
instead of returning an empty report.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from quant_pipelines.vocabulary.normalize import AmountKind, Chamber, Owner, TransactionType

FilingType = Literal["original", "amendment", "paper", "scanned"]


class ParseError(ValueError):
    """The document is not in a layout the parser knows; the ledger records ``parse_failed``."""


class NeedsOcr(ValueError):
    """The document is an image (paper or scanned filing); the ledger records ``needs_ocr``."""


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Filing(_Record):
    """One report as its site lists it (an eFD search row or a House FD index entry)."""

    source: Chamber
    source_id: str = Field(min_length=1)
    first_name: str
    last_name: str
    suffix: str | None = None
    state: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    district: str | None = None
    filing_type: FilingType
    amendment_number: int | None = Field(default=None, ge=1)
    report_title: str | None = None
    filed_date: date
    report_url: str

    @property
    def filing_id(self) -> str:
        """The ledger key, stable across runs: ``<source>:<source_id>``."""
        return f"{self.source}:{self.source_id}"


class Transaction(_Record):
    """One transaction line of a report, normalized, with the raw cell text kept beside it."""

    row_number: int = Field(ge=1)
    transaction_date: date | None
    notification_date: date | None = None
    owner: Owner
    owner_raw: str
    ticker: str | None
    asset_name: str
    asset_type: str | None
    asset_type_raw: str | None
    transaction_type: TransactionType
    transaction_type_raw: str
    amount_min: int = Field(ge=0)
    amount_max: int | None
    amount_text: str
    amount_kind: AmountKind
    amount_exact: Decimal | None = None
    option_type: str | None = None
    strike_price: Decimal | None = None
    expiry: date | None = None
    comment: str | None = None
    description: str | None = None
    cap_gains_over_200: bool | None = None
    filing_status: str | None = None
    details: dict[str, str] = Field(default_factory=dict)


class UnreadableRow(_Record):
    """A transaction row the parser found but could not read: its text and why, never dropped."""

    row_number: int = Field(ge=1)
    page: int = Field(ge=1)
    raw_text: str
    reason: str = Field(min_length=1)


class ParsedReport(_Record):
    """What a parser read from one electronic report.

    ``unreadable`` holds the rows that could not be read (the others are still in
    ``transactions``); ``mismatch`` says why the document's own count of rows disagrees
    with what was parsed, when it does.
    """

    filer_name: str
    filed_date: date | None
    amendment_number: int | None = None
    transactions: tuple[Transaction, ...]
    unreadable: tuple[UnreadableRow, ...] = ()
    mismatch: str | None = None

    @property
    def complete(self) -> bool:
        """Every row read and the counts agree."""
        return not self.unreadable and self.mismatch is None
