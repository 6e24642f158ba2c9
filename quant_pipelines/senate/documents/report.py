"""What one archived Senate document says, judged against its ledger row (pure: row and bytes in).

Used by the parse step for every document and by the fetch step for paper filings, which are
recorded ``needs_ocr`` with their page image URLs as soon as they are archived.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quant_pipelines.senate.documents.cells import PtrPage
from quant_pipelines.senate.documents.page import paper_image_urls, parse_ptr_page, report_for
from quant_pipelines.vocabulary.records import NeedsOcr, ParseError


@dataclass(frozen=True)
class Outcome:
    """What parsing one archived document gave."""

    status: str
    reason: str | None = None
    page: PtrPage | None = None
    detail: dict[str, Any] | None = None
    parser_version: str | None = None  # set when a reader other than the HTML parser gave it (OCR)


def parse_archived(row: Mapping[str, Any], content: bytes) -> Outcome:
    """Parse one archived document against its ledger row."""
    try:
        if row["filing_type"] == "paper":
            raise NeedsOcr("paper filing")
        page = parse_ptr_page(content)
    except NeedsOcr as exc:
        try:
            urls = paper_image_urls(content)
        except ParseError as missing:
            return Outcome("needs_ocr", f"{exc}: {missing}")
        return Outcome(
            "needs_ocr", f"{exc}: {len(urls)} scanned page image(s)", detail={"image_urls": list(urls)}
        )
    except ParseError as exc:
        return Outcome("parse_failed", str(exc))
    listed_for, listed_version = report_for(row["report_title"]), row["amendment_number"]
    if listed_for is not None and (page.report_for, page.report.amendment_number) != (
        listed_for,
        listed_version,
    ):
        return Outcome(
            "parse_failed",
            f"the page is for {page.report_for} amendment {page.report.amendment_number}, "
            f"the listing says {listed_for} amendment {listed_version}",
        )
    return Outcome("parsed", page=page)
