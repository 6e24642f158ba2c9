"""Pure parser for Senate eFD's ``POST /search/report/data/`` JSON (SITE_NOTES §1.3)."""

from __future__ import annotations

import html
import json
import re
from datetime import date

from quant_pipelines.senate.documents.cells import TITLE, Record
from quant_pipelines.vocabulary.normalize import collapse
from quant_pipelines.vocabulary.records import Filing, ParseError

_LINK = re.compile(
    r'<a\s[^>]*?href="(?P<href>/search/view/(?P<kind>[a-z-]+)/(?:[a-z-]+/)?(?P<id>[0-9A-Fa-f-]{36})/)"'
    r"[^>]*>(?P<title>.*?)</a>",
    re.DOTALL,
)
# A real link cell is under 200 characters; _LINK backtracks worse than quadratically on a long
# run of unclosed "<a ", so a longer cell is refused before the pattern sees it.
MAX_LINK_CELL = 4096
_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


class ListingPage(Record):
    """One page of ``POST /search/report/data/``: its PTR rows and the rows it is not about."""

    records_total: int
    filings: tuple[Filing, ...]
    skipped: tuple[str, ...] = ()


def parse_report_data(content: bytes, base_url: str) -> ListingPage:
    """Parse a report-data JSON response; rows of other report kinds are listed in ``skipped``."""
    try:
        payload = json.loads(content)
    except (ValueError, RecursionError) as exc:  # nesting deeper than the decoder's recursion limit
        raise ParseError(f"report data is not JSON: {exc}") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        raise ParseError("report data has no 'data' list")
    total = payload.get("recordsFiltered", payload.get("recordsTotal"))
    if not isinstance(total, int) or payload.get("result", "ok") != "ok":
        raise ParseError(f"report data reports no record count (result {payload.get('result')!r})")
    filings, skipped = [], []
    for index, row in enumerate(payload["data"]):
        filing = search_row(row, base_url, index)
        if isinstance(filing, Filing):
            filings.append(filing)
        else:
            skipped.append(filing)
    return ListingPage(records_total=total, filings=tuple(filings), skipped=tuple(skipped))


def search_row(row: object, base_url: str, index: int = 0) -> Filing | str:
    """One listing row as a :class:`Filing`, or a reason string when it is not a PTR."""
    if not isinstance(row, list) or len(row) != 5 or not all(isinstance(cell, str) for cell in row):
        raise ParseError(f"listing row {index} is not five strings: {row!r:.200}")
    first, last_cell, office, link, submitted = row
    if len(link) > MAX_LINK_CELL:
        raise ParseError(
            f"listing row {index} has a link cell of {len(link)} characters, more than the {MAX_LINK_CELL} allowed"
        )
    match = _LINK.search(link)
    if match is None:
        raise ParseError(f"listing row {index} has no report link: {link!r:.200}")
    title = collapse(html.unescape(re.sub(r"<[^>]+>", " ", match["title"])))
    kind = match["kind"]
    heading = TITLE.match(title)
    if kind not in ("ptr", "paper") or heading is None:
        return f"row {index}: {kind} report {match['id']} {title!r} is not a periodic transaction report"
    last, _, suffix = collapse(last_cell).partition(",")
    amendment = heading[4] is not None or "(Amendment" in title
    received = _DATE.match(collapse(submitted))
    try:
        filed = date(int(received[3]), int(received[1]), int(received[2])) if received else None
    except ValueError:
        filed = None
    if filed is None:
        raise ParseError(f"listing row {index} has date received {submitted!r}, not MM/DD/YYYY")
    return Filing(
        source="senate",
        source_id=match["id"],
        first_name=collapse(first),
        last_name=collapse(last),
        suffix=collapse(suffix) or None,
        filing_type="paper" if kind == "paper" else ("amendment" if amendment else "original"),
        amendment_number=int(heading[4]) if heading[4] else None,
        report_title=title,
        filed_date=filed,
        report_url=base_url.rstrip("/") + match["href"],
    )
