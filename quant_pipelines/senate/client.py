"""The eFD session dance in a real browser: agreement gate, report-data JSON, report pages.

A redirect to ``/search/home/`` means the session lost its agreement: the gate is passed
again once and the request repeated. Refusals become :class:`SiteBlocked` (see
``polite_browser``).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import WebDriverWait

from quant_pipelines.partitions import window_label
from quant_pipelines.senate.documents.listing import parse_report_data
from quant_pipelines.sites.polite_browser import Answer, PoliteBrowser
from quant_pipelines.sites.politeness import SiteBlocked
from quant_pipelines.vocabulary.records import Filing, ParseError

HOME, SEARCH, REPORT_DATA = "/search/home/", "/search/", "/search/report/data/"
PTR_REPORT_TYPE = 11
# More rows than the Senate has ever listed for any query (about 1,000 PTRs a year since 2012):
# a larger recordsTotal is not believed when deciding how many pages to ask for.
MAX_LISTED_ROWS = 50_000

# The agreement checkbox is set and its form submitted natively: the page's own jQuery
# handler does the same on a click, but needs scripts from a CDN. The marker tells the
# agreement page from the answer that replaces it.
_AGREE = """
const form = document.getElementById('agreement_form');
if (!form) { return false; }
form.querySelector('input[name="prohibition_agreement"]').checked = true;
window.__quantGate = true;
HTMLFormElement.prototype.submit.call(form);
return true;
"""
_ANSWERED = "return window.__quantGate === undefined && document.readyState === 'complete'"


@dataclass(frozen=True)
class Fetched:
    """A document as the site served it."""

    url: str
    content: bytes
    fetched_at: datetime
    media_type: str = "text/html"


@dataclass(frozen=True)
class Listing:
    """The PTRs listed for a window; ``blocked`` says why paging stopped early, if it did, and
    ``stopped`` why it stopped before the site's recordsTotal although every page answered."""

    filings: list[Filing]
    skipped: list[str]
    pages: int
    blocked: str | None = None
    stopped: str | None = None


# A tab's renderer keeps about 80 KiB of every report requested from it until the tab closes;
# a fresh tab every so many reports bounds Chromium's memory over a backfill of any length, for
# one more request (the search page) per batch.
DOCUMENTS_PER_TAB = 500


class _Expired(Exception):
    """The site sent us back to the agreement gate."""


class EfdSession:
    """One browser session on the eFD site (use through ``SenateEfdBrowser.session()``)."""

    def __init__(
        self,
        browser: PoliteBrowser,
        base_url: str,
        *,
        page_size: int,
        log: logging.Logger,
        media_base_url: str | None = None,
    ) -> None:
        self.browser = browser
        self.media_base_url = (media_base_url or "").rstrip("/")
        self.driver = browser.driver
        self.base_url = base_url.rstrip("/")
        self.page_size = page_size
        self.log = log
        self.gates = 0
        self.documents_per_tab = DOCUMENTS_PER_TAB
        self._agreed = False
        self._tab_documents = 0

    @property
    def requests(self) -> int:
        return self.browser.requests

    def list_ptrs(self, start: date, end: date) -> Listing:
        """Every PTR submitted on days in [start, end): one query, paged until recordsTotal.

        A block after the first page keeps what was listed and says why it stopped. Paging also
        stops when a page adds no report id not seen before (a site repeating itself) and after
        the number of pages the first page's recordsTotal calls for (plus one for rows filed
        meanwhile, and never more than MAX_LISTED_ROWS would fill).
        """
        filings: dict[str, Filing] = {}
        skipped: list[str] = []
        offset = pages = 0
        limit = None
        while True:
            try:
                page = parse_report_data(self.report_data(start, end, offset, pages + 1), self.base_url)
            except (SiteBlocked, ParseError) as exc:
                if not pages:
                    raise
                reason = (
                    str(exc)
                    if isinstance(exc, SiteBlocked)
                    else f"listing page {pages + 1} unreadable: {exc}"
                )
                return Listing(*_inside(filings.values(), skipped, start, end), pages, blocked=reason)
            pages += 1
            if limit is None:
                limit = math.ceil(min(page.records_total, MAX_LISTED_ROWS) / self.page_size) + 1
            known = len(filings) + len(skipped)
            skipped += [note for note in page.skipped if note not in skipped]
            # Rows filed while we page can shift later pages; the source id keeps each once.
            filings.update((filing.source_id, filing) for filing in page.filings)
            offset += len(page.filings) + len(page.skipped)
            if not (page.filings or page.skipped) or offset >= page.records_total:
                return Listing(*_inside(filings.values(), skipped, start, end), pages)
            stopped = None
            if len(filings) + len(skipped) == known:
                stopped = f"listing page {pages} added no report not already listed (the site repeats itself)"
            elif pages >= limit:
                stopped = f"{pages} listing pages read, all the first page's recordsTotal {page.records_total:,} allows"
            if stopped:
                stopped += f"; stopped at {offset:,} of {page.records_total:,} rows"
                self.log.warning("eFD listing of %s..%s: %s", start, end, stopped)
                inside, notes = _inside(filings.values(), skipped, start, end)
                return Listing(inside, [*notes, stopped], pages, stopped=stopped)

    def report_data(self, start: date, end: date, offset: int, draw: int) -> bytes:
        """One page of PTRs submitted on days in [start, end) from ``/search/report/data/``."""
        form = {
            "draw": draw,
            "start": offset,
            "length": self.page_size,
            "report_types": f"[{PTR_REPORT_TYPE}]",
            "filer_types": "[]",
            "submitted_start_date": f"{start:%m/%d/%Y} 00:00:00",
            "submitted_end_date": f"{end - timedelta(days=1):%m/%d/%Y} 23:59:59",
            "candidate_state": "",
            "senator_state": "",
            "office_id": "",
            "first_name": "",
            "last_name": "",
            "order[0][column]": 4,
            "order[0][dir]": "asc",
            **{f"columns[{n}][data]": n for n in range(5)},
        }
        return self._agreed_request(lambda: self._post(REPORT_DATA, urlencode(form))).content

    def fetch(self, url: str) -> Fetched:
        """Request a report page and return the bytes the site sent."""
        if self._tab_documents >= self.documents_per_tab:
            self.browser.fresh_tab()
            self._tab_documents = 0
        answer = self._agreed_request(lambda: self._from_search(lambda: self.browser.fetch(url)))
        self._tab_documents += 1
        return Fetched(url=url, content=answer.content, fetched_at=datetime.now(UTC))

    def fetch_image(self, url: str) -> Fetched:
        """Request a paper filing's page image (listed under the media host) as the bytes sent.

        The image is asked of ``media_base_url`` at the listed path. From the search page when the
        media host is the site's own origin; otherwise the image is opened and then fetched from
        inside its own page (a cross-origin fetch from the search page would need CORS).
        """
        path = urlsplit(url).path
        target = (self.media_base_url or _origin(url)) + path
        if _origin(target) == self.base_url:
            answer = self._agreed_request(lambda: self._from_search(lambda: self.browser.fetch(target)))
        else:
            answer = self.browser.retrying(lambda: _then(self.browser.navigate(target), self.browser.fetch, target))
        media_type = "image/gif" if path.lower().endswith(".gif") else "application/octet-stream"
        return Fetched(url=url, content=answer.content, fetched_at=datetime.now(UTC), media_type=media_type)

    def _agreed_request(self, request: Callable[[], Answer]) -> Answer:
        if not self._agreed:
            self._pass_gate()
        try:
            return self.browser.retrying(request)
        except _Expired:
            self.log.info("eFD session expired; passing the agreement gate again")
            self._pass_gate()
            try:
                return self.browser.retrying(request)
            except _Expired:
                raise SiteBlocked(
                    self.base_url + HOME, "session expired again right after the agreement gate"
                ) from None

    def _pass_gate(self) -> None:
        self._agreed = False
        # A refused or failed form submission is retried like any request: the whole gate again.
        answer = self.browser.retrying(self._submit_agreement)
        if _path(answer.url) == HOME:
            raise SiteBlocked(answer.url, "the agreement was not accepted (still on /search/home/)")
        if self.driver.get_cookie("csrftoken") is None:
            raise SiteBlocked(answer.url, "no csrftoken cookie after the agreement gate")
        self._agreed = True
        self.gates += 1

    def _submit_agreement(self) -> Answer:
        """Open the agreement page, tick the box, submit the form; the page it leads to."""
        home = self.browser.navigate(self.base_url + HOME)
        if home.failed:
            return home
        self.browser.wait()
        if not self.driver.execute_script(_AGREE):
            raise SiteBlocked(self.base_url + HOME, "the agreement page has no #agreement_form")
        try:
            WebDriverWait(self.driver, 30).until(lambda driver: driver.execute_script(_ANSWERED))
        except TimeoutException:
            return Answer(0, self.base_url + HOME, b"", "no answer to the agreement form")
        return self.browser.current(self.base_url + SEARCH)

    def _from_search(self, request: Callable[[], Answer]) -> Answer:
        """Run an in-page request from the search page, where the site's own scripts make theirs."""
        if _path(self.driver.current_url) != SEARCH:
            page = self._expect_agreed(self.browser.navigate(self.base_url + SEARCH))
            if page.failed:
                return page
        return self._expect_agreed(request())

    def _post(self, path: str, body: str) -> Answer:
        token = (self.driver.get_cookie("csrftoken") or {}).get("value")
        if not token:
            raise _Expired()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
            "X-CSRFToken": token,
            "X-Requested-With": "XMLHttpRequest",
        }
        return self._from_search(
            lambda: self.browser.fetch(self.base_url + path, method="POST", body=body, headers=headers)
        )

    def _expect_agreed(self, answer: Answer) -> Answer:
        if not answer.failed and _path(answer.url) == HOME:
            self._agreed = False
            raise _Expired()
        return answer


def _inside(
    filings: Iterable[Filing], skipped: list[str], start: date, end: date
) -> tuple[list[Filing], list[str]]:
    """The server's date filter is trusted only as far as the listing's own 'filed' column."""
    inside, outside = [], []
    for filing in sorted(filings, key=lambda f: (f.filed_date, f.source_id)):
        (inside if start <= filing.filed_date < end else outside).append(filing)
    notes = [f"{f.filing_id} received {f.filed_date}, outside {window_label(start, end)}" for f in outside]
    return inside, skipped + notes


def _path(url: str) -> str:
    return urlsplit(url).path


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _then(opened: Answer, fetch: Callable[[str], Answer], url: str) -> Answer:
    return opened if opened.failed else fetch(url)
