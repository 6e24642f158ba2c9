"""The senate_filings step: list a window's PTRs, archive each report page once, build the ledger.

A filing whose ledger row already has an archived document is never fetched again; its
row is carried over with its parse state, so re-running a partition leaves the ledger as
it was. A carried paper filing whose page images were never asked for (recorded before they
were archived) or were refused is asked for those images and goes back to ``needs_ocr``, as
its first fetch would record it, so the parse step reads it again with them. Ledger rows of
the window that the listing no longer shows are kept as well: the Senate removes reports six
years after a member leaves office, the warehouse does not.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine, and_, or_, select

from quant_pipelines.db import raw_documents
from quant_pipelines.db.schema import filings
from quant_pipelines.db.schema import raw_documents as raw_documents_table
from quant_pipelines.partitions import window_label
from quant_pipelines.senate.client import EfdSession, Fetched
from quant_pipelines.senate.documents.report import parse_archived
from quant_pipelines.senate.paper_images import record_images, worth_asking
from quant_pipelines.sites.polite_browser import DocumentTooLarge
from quant_pipelines.sites.politeness import SiteBlocked
from quant_pipelines.sites.progress import Progress
from quant_pipelines.vocabulary.records import Filing
from quant_pipelines.warehouse import ledger

# Listing facts refreshed on a carried-over row; everything else (document, parse state) is kept.
_LISTING_COLUMNS = (
    "politician_id",
    "filer_name",
    "filing_type",
    "amendment_number",
    "report_title",
    "report_url",
)


@dataclass
class Collected:
    """The window's ledger rows and what it took to get them."""

    rows: list[dict[str, Any]]
    listing_pages: int = 0
    fetched: int = 0
    reused: int = 0
    seconds: float = 0.0
    blocked: str | None = None
    skipped: list[str] = field(default_factory=list)

    @property
    def statuses(self) -> Counter:
        return Counter(row["status"] for row in self.rows)


def collect_filings(
    efd: EfdSession, engine: Engine, start: date, end: date, progress: Progress | None = None
) -> Collected:
    """Ledger rows for filings filed on days in [start, end); raises SiteBlocked if nothing was listed."""
    progress = progress or Progress(logging.getLogger(__name__))
    began = time.monotonic()
    listing = efd.list_ptrs(start, end)
    progress.listing(len(listing.filings), window_label(start, end))
    known = _known(engine, start, end, (filing.filing_id for filing in listing.filings))
    unarchived = [
        f.report_url for f in listing.filings if not (known.get(f.filing_id) or {}).get("raw_sha256")
    ]
    archived = _archived(engine, unarchived)
    result = Collected(
        rows=[], listing_pages=listing.pages, blocked=listing.blocked, skipped=list(listing.skipped)
    )
    listed = set()
    for filing in listing.filings:
        prior = known.get(filing.filing_id)
        if prior is not None and not start <= prior["filed_date"] < end:
            result.skipped.append(
                f"{filing.filing_id} listed on {filing.filed_date} but kept under {prior['filed_date']}"
            )
            progress.count("archived")  # known already, under its first filed date
            continue
        listed.add(filing.filing_id)
        if prior is not None and prior["raw_sha256"]:
            row = _carried(prior, filing)
            if not result.blocked and worth_asking(row):
                _images_again(efd, engine, row, result)
            result.rows.append(row)
            result.reused += 1
            progress.count("archived")
        elif filing.report_url in archived:
            # Archived by a run that died before writing its ledger rows: never download twice.
            result.rows.append(_fetched_row(filing, archived[filing.report_url]))
            result.reused += 1
            progress.count("archived")
        elif result.blocked:
            result.rows.append(
                ledger.filing_row(filing, status="blocked", reason=f"not requested: {result.blocked}")
            )
            progress.count("failed")
        else:
            result.rows.append(_fetch(efd, engine, filing, result))
            progress.count("failed" if result.rows[-1]["status"] == "blocked" else "fetched")
    progress.report()
    result.rows += [
        row for fid, row in sorted(known.items()) if fid not in listed and start <= row["filed_date"] < end
    ]
    result.seconds = time.monotonic() - began
    return result


def _fetch(efd: EfdSession, engine: Engine, filing: Filing, result: Collected) -> dict[str, Any]:
    try:
        document = efd.fetch(filing.report_url)
    except SiteBlocked as exc:
        # Once refused, stop asking: the rest of the window is recorded as not requested.
        result.blocked = str(exc)
        return ledger.filing_row(filing, status="blocked", reason=exc.reason)
    except DocumentTooLarge as exc:  # nothing of it is archived; the rest of the window goes on
        return ledger.filing_row(filing, status="blocked", reason=str(exc))
    # Archive at once, in its own transaction, so a later failure never costs a second download.
    with engine.begin() as conn:
        raw_documents.store(
            conn,
            document.content,
            media_type=document.media_type,
            source_url=document.url,
            fetched_at=document.fetched_at,
        )
    result.fetched += 1
    row = _fetched_row(filing, document)
    # Once refused, stop asking: the rest of the window is recorded as not requested.
    result.blocked = result.blocked or record_images(efd, engine, row)
    return row


def _fetched_row(filing: Filing, document: Fetched) -> dict[str, Any]:
    digest = raw_documents.sha256_of(document.content)
    row = ledger.filing_row(filing, status="fetched", raw_sha256=digest, fetched_at=document.fetched_at)
    if filing.filing_type == "paper":
        _as_paper(row, document.content)
    return row


def _as_paper(row: dict[str, Any], content: bytes) -> None:
    """Paper filings are images: recorded needs_ocr, with the page image URLs of the view page
    ``content`` (the fetch archives the images; the parse step reads them)."""
    outcome = parse_archived(row, content)
    row.update(status=outcome.status, reason=outcome.reason, detail=outcome.detail)


def _images_again(efd: EfdSession, engine: Engine, row: dict[str, Any], result: Collected) -> None:
    """A carried paper filing back to what its fetch records, its images asked for again but those
    missing for good; no longer settled, so the parse step reads it again."""
    earlier = row["detail"].get("images")
    with engine.connect() as conn:
        _as_paper(row, raw_documents.load(conn, row["raw_sha256"]))
    row["parser_version"] = None
    result.blocked = result.blocked or record_images(efd, engine, row, earlier)


def _carried(prior: dict[str, Any], filing: Filing) -> dict[str, Any]:
    fresh = ledger.filing_row(filing, status=prior["status"])
    return {**prior, **{column: fresh[column] for column in _LISTING_COLUMNS}}


def _archived(engine: Engine, urls: list[str]) -> dict[str, Fetched]:
    """The newest archived document for each of ``urls`` (normally none: the ledger knows them)."""
    if not urls:
        return {}
    query = (
        select(
            raw_documents_table.c.source_url,
            raw_documents_table.c.content,
            raw_documents_table.c.fetched_at,
            raw_documents_table.c.media_type,
        )
        .where(raw_documents_table.c.source_url.in_(sorted(set(urls))))
        .order_by(raw_documents_table.c.fetched_at)
    )
    with engine.connect() as conn:
        return {
            row.source_url: Fetched(row.source_url, bytes(row.content), row.fetched_at, row.media_type)
            for row in conn.execute(query)
        }


def _known(engine: Engine, start: date, end: date, filing_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Ledger rows of the window plus any row of a listed filing, wherever it was filed."""
    query = select(filings).where(
        filings.c.source == "senate",
        or_(
            and_(filings.c.filed_date >= start, filings.c.filed_date < end),
            filings.c.filing_id.in_(sorted(set(filing_ids))),
        ),
    )
    with engine.connect() as conn:
        return {row["filing_id"]: row for row in (dict(r._mapping) for r in conn.execute(query))}
