"""Archive the page images of a Senate paper filing in the fetch step, through the eFD session.

Each GIF listed on the paper view page is archived as a raw document (keyed by its listed URL)
once; the filing's ledger ``detail["images"]`` records, page by page, the archived sha256 or why
the image is missing. A page the site does not have (HTTP 404/410) is noted and the next one
asked for; a refusal stops asking, and the caller stops the window as for a refused report.
A filing recorded before (its images never asked for, or some refused or not requested) is
asked again for those only: a page recorded as not available, or too large, is not.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from quant_pipelines.db import raw_documents
from quant_pipelines.senate.client import EfdSession
from quant_pipelines.sites.polite_browser import DocumentTooLarge
from quant_pipelines.sites.politeness import SiteBlocked

_GONE = ("HTTP 404", "HTTP 410")
# What ``missing`` says of a page that was not asked for, or refused: worth asking again.
_RETRIED = ("blocked: ", "not requested: ")


def worth_asking(row: dict[str, Any]) -> bool:
    """True when a recorded paper filing has page images to ask for: never asked, or refused last time."""
    detail = row["detail"] or {}
    if row["filing_type"] != "paper" or not detail.get("image_urls"):
        return False
    images = detail.get("images")
    return images is None or any(entry.get("missing", "").startswith(_RETRIED) for entry in images)


def record_images(
    efd: EfdSession, engine: Engine, row: dict[str, Any], earlier: list[dict[str, Any]] | None = None
) -> str | None:
    """Archive a paper filing's page images into its ledger ``row`` (``detail["images"]``, the missing
    ones named in its reason); the block reason, if refused. A row with no image URLs is left alone."""
    urls = (row["detail"] or {}).get("image_urls")
    if not urls:
        return None
    images, blocked = archive_images(efd, engine, urls, earlier)
    row["detail"] = {**row["detail"], "images": images}
    if note := missing_note(images):
        row["reason"] = f"{row['reason']}; {note}"
    return blocked


def archive_images(
    efd: EfdSession, engine: Engine, urls: list[str], earlier: list[dict[str, Any]] | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """Archive every image in ``urls`` not archived yet; the per-page record and a block reason, if refused.

    A page ``earlier`` records as missing for good (not available, too large) keeps that record unasked.
    """
    with engine.connect() as conn:
        known = raw_documents.by_source_url(conn, urls)
    settled = {
        entry["url"]: entry["missing"]
        for entry in earlier or []
        if "missing" in entry and not entry["missing"].startswith(_RETRIED)
    }
    images: list[dict[str, Any]] = []
    blocked: str | None = None
    for page, url in enumerate(urls, start=1):
        entry: dict[str, Any] = {"page": page, "url": url}
        images.append(entry)
        if url in known:
            entry["sha256"] = known[url][0]
        elif url in settled:
            entry["missing"] = settled[url]
        elif blocked:
            entry["missing"] = f"not requested: {blocked}"
        else:
            try:
                image = efd.fetch_image(url)
            except SiteBlocked as exc:
                if exc.reason.startswith(_GONE):
                    entry["missing"] = f"not available ({exc.reason.split(' (')[0]})"
                    continue
                blocked = exc.reason
                entry["missing"] = f"blocked: {exc.reason}"
                continue
            except DocumentTooLarge as exc:
                entry["missing"] = str(exc)
                continue
            with engine.begin() as conn:
                entry["sha256"] = raw_documents.store(
                    conn, image.content, media_type=image.media_type, source_url=url, fetched_at=image.fetched_at
                )
    return images, blocked


def missing_note(images: list[dict[str, Any]]) -> str | None:
    """One line on the page images that could not be archived, or None."""
    missing = [entry for entry in images if "missing" in entry]
    if not missing:
        return None
    total = len(images)
    return "; ".join(f"page image {entry['page']} of {total} {entry['missing']}" for entry in missing[:3]) + (
        f" (+{len(missing) - 3} more)" if len(missing) > 3 else ""
    )
