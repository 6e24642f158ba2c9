"""Rows for the ``filings`` ledger and the ``transactions`` table, the same for both chambers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Table

from quant_pipelines.db.schema import filings, transactions
from quant_pipelines.db.windows import concat_chunks
from quant_pipelines.ocr.rows import OcrRow
from quant_pipelines.vocabulary.normalize import collapse, politician_id
from quant_pipelines.vocabulary.records import Filing, ParsedReport

# Ledger ``detail`` key of House filings: the filing type the index gave (parsing may find an
# amendment in it, and a re-parse starts again from what the index said).
LISTED_AS = "listed_as"


def filing_row(
    filing: Filing,
    *,
    status: str,
    reason: str | None = None,
    raw_sha256: str | None = None,
    fetched_at: datetime | None = None,
    detail: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ledger row for a listed filing after the fetch stage."""
    return {
        "filing_id": filing.filing_id,
        "source": filing.source,
        "source_id": filing.source_id,
        "politician_id": politician_id(filing.source, filing.first_name, filing.last_name, filing.state),
        "filer_name": collapse(f"{filing.first_name} {filing.last_name} {filing.suffix or ''}"),
        "first_name": collapse(filing.first_name),
        "last_name": collapse(filing.last_name),
        "suffix": collapse(filing.suffix) or None,
        "state": filing.state,
        "district": filing.district,
        "filing_type": filing.filing_type,
        "amendment_number": filing.amendment_number,
        "amends": None,
        "amends_reason": None,
        "report_title": filing.report_title,
        "filed_date": filing.filed_date,
        "report_url": filing.report_url,
        "raw_sha256": raw_sha256,
        "parser_version": None,
        "status": status,
        "reason": reason,
        "detail": dict(detail) if detail else None,
        "fetched_at": fetched_at,
        "parsed_at": None,
    }


def transaction_rows(
    ledger_row: Mapping[str, Any], report: ParsedReport, *, parser_version: str
) -> list[dict[str, Any]]:
    """One ``transactions`` row per line of ``report``, keyed to its ledger row.

    Unreadable rows are kept too (``row_status`` "unreadable", their text and reason), in
    document order with the read ones.
    """
    shared = {
        "filing_id": ledger_row["filing_id"],
        "source": ledger_row["source"],
        "filed_date": ledger_row["filed_date"],
        "raw_sha256": ledger_row["raw_sha256"],
        "parser_version": parser_version,
        "extraction": "text",
        "extraction_confidence": None,
        "review_reason": None,
    }
    rows = []
    for line in report.transactions:
        values = line.model_dump()
        values["details"] = values["details"] or None
        rows.append({**shared, **values, "row_status": "read"})
    for row in report.unreadable:
        rows.append({
            **shared,
            "row_number": row.row_number,
            "row_status": "unreadable",
            "raw_text": row.raw_text,
            "unreadable_reason": row.reason,
            "details": {"page": str(row.page)},
        })
    return sorted(rows, key=lambda values: values["row_number"])


def ocr_row(ledger_row: Mapping[str, Any], number: int, found: OcrRow, *, parser_version: str) -> dict[str, Any]:
    """The ``transactions`` row of one row read off a scanned or paper form (``extraction = 'ocr'``).

    A row held back for review keeps its problems in ``review_reason`` and never becomes a trade.
    """
    details = {"page": str(found.page)}
    if found.account:
        details["account"] = found.account
    if found.amount_min is None:
        amount_kind = None  # no single box was read
    else:
        amount_kind = "band" if found.amount_max is not None else "over"
    return {
        "filing_id": ledger_row["filing_id"],
        "source": ledger_row["source"],
        "filed_date": ledger_row["filed_date"],
        "raw_sha256": ledger_row["raw_sha256"],
        "parser_version": parser_version,
        "row_number": number,
        "transaction_date": found.transaction_date,
        "notification_date": found.notification_date,
        "owner": found.owner,
        "owner_raw": found.owner_raw,
        "ticker": None,
        "asset_name": found.asset_name or None,
        "asset_type": None,
        "asset_type_raw": None,
        "transaction_type": found.transaction_type,
        "transaction_type_raw": found.transaction_type_raw,
        "amount_min": found.amount_min,
        "amount_max": found.amount_max,
        "amount_text": found.amount_text,
        "amount_kind": amount_kind,
        "amount_exact": None,  # the paper forms have bands only
        "option_type": None,
        "strike_price": None,
        "expiry": None,
        "comment": None,
        "description": None,
        "cap_gains_over_200": found.cap_gains_over_200,
        "filing_status": None,
        "details": details,
        "row_status": "read",
        "extraction": "ocr",
        "extraction_confidence": found.confidence,
        "review_reason": "; ".join(found.problems) or None,
    }


def frame(rows: Iterable[Mapping[str, Any]], table: Table) -> pd.DataFrame:
    """Rows as a DataFrame with exactly the table's columns, also when there are none."""
    return pd.DataFrame(list(rows), columns=[column.name for column in table.columns])


def ledger_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Ledger rows as a DataFrame for the IO manager."""
    return frame(rows, filings)


def transactions_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Parsed transaction rows as a DataFrame for the IO manager."""
    return frame(rows, transactions)


class LineFrames:
    """``transactions`` rows gathered as DataFrames of ``CHUNK`` rows: a window of years never holds
    all its lines as dicts at once (about three times their size packed by pandas)."""

    CHUNK = 20_000

    def __init__(self) -> None:
        self._rows: list[Mapping[str, Any]] = []
        self._frames: list[pd.DataFrame] = []

    def extend(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Add rows (a generator too: it is packed as it goes); every ``CHUNK`` of them becomes a frame."""
        for row in rows:
            self._rows.append(row)
            if len(self._rows) >= self.CHUNK:
                self._frames.append(transactions_frame(self._rows))
                self._rows = []

    def frame(self) -> pd.DataFrame:
        """Every row added, in order, typed as :func:`transactions_frame` types them."""
        return concat_chunks([*self._frames, transactions_frame(self._rows)])


def frame_rows(loaded: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a frame the IO manager loaded, as dicts with None (not NaN/NaT) for missing values."""
    return [
        {key: (None if _missing(value) else value) for key, value in row.items()}
        for row in loaded.astype(object).to_dict("records")
    ]


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, (dict, list, str, bytes)) and bool(pd.isna(value)))
