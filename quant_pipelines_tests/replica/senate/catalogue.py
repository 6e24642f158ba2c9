"""What the Senate replica lists and serves: the real captures plus generated filings.

The real report-data responses (13 PTR rows from June 2026, 10 paper rows from 2012)
reference more reports than were captured. Those rows stay listed, and their pages are
generated from the listing row (same UUID, filer, dates and amendment number) in the
real templates, so every listed report can be opened. ``Entry.origin`` says which pages
are real captures (``captured``) and which are generated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from quant_pipelines_tests.replica.senate.generator import GeneratedFiling, Templates, for_listing_row

LISTINGS = (
    "report_data_response_ptr_senators_2026-06-01_onward.json",
    "report_data_response_ptr_earliest_since_2012.json",
)
_LINK = re.compile(r"/search/view/(ptr|paper)/([0-9A-Fa-f-]{36})/")
_FILED = re.compile(rb"Filed  \d\d/\d\d/\d{4} @ (\d{1,2}:\d\d [AP]M)")


@dataclass(frozen=True)
class Entry:
    """One listed report: its report-data row, when it was submitted, and its page."""

    uuid: str
    kind: str
    row: tuple[str, ...]
    submitted: datetime
    page: bytes
    origin: str

    @property
    def path(self) -> str:
        return f"/search/view/{self.kind}/{self.uuid}/"


def efd_dir(fixtures_dir: Path) -> Path:
    """Where the 2026 eFD captures live."""
    return fixtures_dir / "senate" / "efd_2026"


def captured_entries(fixtures_dir: Path, templates: Templates, seed: int) -> list[Entry]:
    """Every real listing row, with its real page when captured, else a generated one."""
    folder = efd_dir(fixtures_dir)
    pages = {
        path.name.split("_")[1]: path
        for path in folder.glob("*.html")
        if path.name.startswith(("ptr_", "paper_"))
    }
    entries = []
    for name in LISTINGS:
        for cells in json.loads((folder / name).read_bytes())["data"]:
            kind, report_id = _LINK.search(cells[3]).groups()
            captured = pages.get(report_id[:8].lower())
            if captured is not None:
                page = captured.read_bytes()
                stamp = _FILED.search(page)
                at = datetime.strptime(stamp.group(1).decode(), "%I:%M %p").time() if stamp else time(12)
                entries.append(
                    Entry(report_id, kind, tuple(cells), _submitted(cells[4], at), page, "captured")
                )
            else:
                filing = for_listing_row(cells, seed)
                entries.append(_entry(filing, templates, tuple(cells)))
    return entries


def generated_entries(filings: Iterable[GeneratedFiling], templates: Templates) -> list[Entry]:
    """Entries for generated filings."""
    return [_entry(filing, templates, tuple(filing.listing_row())) for filing in filings]


def _entry(filing: GeneratedFiling, templates: Templates, row: tuple[str, ...]) -> Entry:
    submitted = datetime.combine(filing.filed, filing.filed_time)
    return Entry(filing.uuid, filing.kind, row, submitted, templates.render(filing), "generated")


def _submitted(day: str, at: time) -> datetime:
    month, dom, year = (int(part) for part in day.strip().split("/"))
    return datetime.combine(date(year, month, dom), at)
