"""What ``house_filings`` does: list a window's PTRs from the yearly indexes, archive each PDF.

Each needed year's ``FD.zip`` is fetched once per run with a conditional GET (an
unchanged index costs a 304). A filing whose ledger row already points at an archived
document is never fetched again, nor is one whose PDF is in the archive under its URL
without a ledger row yet (a run that crashed, or whose ledger write failed, before its step
ended); a new PDF is archived in its own short transaction the moment it arrives, so a crash
in a long backfill never costs a second download.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, select

from quant_pipelines.db import raw_documents
from quant_pipelines.db.ledger_guard import PARSE_STATE
from quant_pipelines.db.schema import filings as filings_table
from quant_pipelines.house.client import HouseClerkClient
from quant_pipelines.house.documents.index import (
    FIRST_INDEX_YEAR,
    IndexUnreadable,
    index_years,
    ptr_filings,
    read_index,
)
from quant_pipelines.partitions import window_label
from quant_pipelines.sites.http import FetchFailed, NotFound
from quant_pipelines.sites.politeness import ListingUnavailable, SiteBlocked
from quant_pipelines.sites.progress import Progress
from quant_pipelines.vocabulary.records import Filing
from quant_pipelines.warehouse.ledger import LISTED_AS, filing_row

PAPER_REASON = "paper filing (DocID {doc_id}): a scanned PDF, awaiting OCR"


@dataclass
class Listing:
    """The window's PTRs and what reading the indexes showed."""

    filings: list[Filing] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: dict[int, str] = field(default_factory=dict)


@dataclass
class Collected:
    """Ledger rows for the window and the counts an asset reports."""

    rows: list[dict[str, Any]]
    listing: Listing
    fetched: int
    reused: int
    seconds: float = 0.0

    def site_metadata(self, http: Mapping[str, int]) -> dict[str, Any]:
        """What only the House step reports: HTTP traffic and how the yearly indexes were read."""
        return {
            "http_requests": http["requests"],
            "bytes_downloaded": http["bytes_downloaded"],
            "index_not_modified": http["not_modified"],
            "index_years": ", ".join(
                f"{year} ({source})" for year, source in sorted(self.listing.sources.items())
            ),
            "index_notes": "; ".join(self.listing.notes) or "none",
        }


def list_window(client: HouseClerkClient, start: date, end: date) -> Listing:
    """The PTRs filed in [start, end) according to every yearly index that may list them.

    The site publishes an index for every year since FIRST_INDEX_YEAR: a 404 is accepted (and
    noted) only for a year after today's; any other is a failure naming the URL (a transient
    404 or an outage page must not drop a year's filings from a green run).
    """
    this_year = datetime.now(UTC).year
    listing, seen = Listing(), set()
    for year in index_years(start, end):
        try:
            fetched = client.index(year)
            index = read_index(fetched.content, year)
        except NotFound as exc:
            if year < FIRST_INDEX_YEAR or year > this_year:
                listing.notes.append(f"no index published for {year}")
                continue
            raise ListingUnavailable(
                f"the {year} index is missing ({exc}), though the site has one for every year since {FIRST_INDEX_YEAR}"
            ) from exc
        except (SiteBlocked, FetchFailed) as exc:
            raise ListingUnavailable(f"the {year} index could not be fetched: {exc}") from exc
        except IndexUnreadable as exc:
            raise ListingUnavailable(f"the {year} index could not be read: {exc}") from exc
        listing.sources[year] = index.source + (" cached" if fetched.from_cache else "")
        if index.fallback_reason:
            listing.notes.append(f"{year}: read the TXT copy because {index.fallback_reason}")
        if index.skipped:
            listing.notes.append(
                f"{year}: skipped {len(index.skipped)} unusable row(s), e.g. {index.skipped[0]}"
            )
        for filing in ptr_filings(index, start, end, client.ptr_url):
            if filing.source_id in seen:
                listing.notes.append(
                    f"DocID {filing.source_id} is listed again in the {year} index; the first kept"
                )
                continue
            seen.add(filing.source_id)
            listing.filings.append(filing)
    listing.filings.sort(key=lambda filing: (filing.filed_date, filing.source_id))
    return listing


def collect(
    client: HouseClerkClient, engine: Engine, start: date, end: date, progress: Progress | None = None
) -> Collected:
    """List the window and make sure every listed PTR is archived; one ledger row per filing."""
    progress = progress or Progress(logging.getLogger(__name__))
    began = time.monotonic()
    listing = list_window(client, start, end)
    progress.listing(len(listing.filings), window_label(start, end))
    archived = _archived(engine, listing.filings)
    rows, fetched, reused, refused = [], 0, 0, None
    for filing in listing.filings:
        if filing.filing_id in archived:
            prior = archived[filing.filing_id]
            reused += 1
            progress.count("archived")
            rows.append(_carried(prior, _fetched_row(filing, prior["raw_sha256"], prior["fetched_at"])))
            continue
        if refused is not None:
            reason = f"not requested: {refused}"
            progress.count("failed")
            rows.append(filing_row(filing, status="blocked", reason=reason, detail=_listed(filing)))
            continue
        try:
            document = client.document(filing.report_url)
        except (SiteBlocked, FetchFailed) as exc:
            if isinstance(exc, SiteBlocked):
                # Once refused, stop asking: the rest of the window is recorded as not requested.
                refused = str(exc)
            progress.count("failed")
            rows.append(filing_row(filing, status="blocked", reason=exc.reason, detail=_listed(filing)))
            continue
        fetched_at = datetime.now(UTC)
        with engine.begin() as conn:
            digest = raw_documents.store(
                conn,
                document.content,
                media_type=document.media_type or "application/pdf",
                source_url=filing.report_url,
                fetched_at=fetched_at,
            )
        fetched += 1
        progress.count("fetched")
        rows.append(_fetched_row(filing, digest, fetched_at))
    progress.report()
    return Collected(rows, listing, fetched, reused, time.monotonic() - began)


def _fetched_row(filing: Filing, digest: str, fetched_at: datetime) -> dict[str, Any]:
    archived = {"raw_sha256": digest, "fetched_at": fetched_at, "detail": _listed(filing)}
    if filing.filing_type == "paper":
        return filing_row(
            filing, status="needs_ocr", reason=PAPER_REASON.format(doc_id=filing.source_id), **archived
        )
    return filing_row(filing, status="fetched", **archived)


def _carried(prior: dict[str, Any], fresh: dict[str, Any]) -> dict[str, Any]:
    """The ledger row as the last parse left it when the listing and document are as they were
    (the parse step settles it again), so a re-run rewrites no unchanged ledger row; else ``fresh``.
    The parse state (``ledger_guard.PARSE_STATE``) is what the parse step settles, not the listing."""
    listed = {column: value for column, value in fresh.items() if column not in PARSE_STATE}
    same = all(prior.get(column) == value for column, value in listed.items())
    if same and (prior["detail"] or {}).get(LISTED_AS) == fresh["detail"][LISTED_AS]:
        return prior
    return fresh


def _listed(filing: Filing) -> dict[str, str]:
    return {LISTED_AS: filing.filing_type}


def _archived(engine: Engine, listed: list[Filing]) -> dict[str, dict[str, Any]]:
    """Listed filings whose document is in the archive, by filing id: the ledger row, else (a
    re-run after a crash before the ledger was written) the archive's record of the PDF's URL."""
    if not listed:
        return {}
    filing_ids = [filing.filing_id for filing in listed]
    query = select(filings_table).where(
        filings_table.c.filing_id.in_(filing_ids), filings_table.c.raw_sha256.is_not(None)
    )
    with engine.connect() as conn:
        known = {row.filing_id: dict(row._mapping) for row in conn.execute(query)}
        present = raw_documents.present(conn, [row["raw_sha256"] for row in known.values()])
        found = {filing_id: row for filing_id, row in known.items() if row["raw_sha256"] in present}
        unknown = {filing.report_url: filing.filing_id for filing in listed if filing.filing_id not in found}
        by_url = raw_documents.by_source_url(conn, unknown)
    return {
        **found,
        **{unknown[url]: {"raw_sha256": digest, "fetched_at": at} for url, (digest, at) in by_url.items()},
    }
