"""The eFD session dance in a real browser: agreement gate, report-data JSON, report pages.

Every request waits for the site's rate limiter. 403/429/5xx, network errors and bot-wall
pages are retried with exponential backoff, then raise :class:`SiteBlocked`. A redirect
to ``/search/home/`` means the session lost its agreement: the gate is passed again once
and the request repeated.
"""

from __future__ import annotations

import base64
import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

from quant_pipelines.resources.politeness import RateLimiter, SiteBlocked
from quant_pipelines.sources.records import Filing
from quant_pipelines.sources.senate_efd import parse_report_data

HOME, SEARCH, REPORT_DATA = "/search/home/", "/search/", "/search/report/data/"
PTR_REPORT_TYPE = 11
_RETRY_STATUSES = {403, 429, 500, 502, 503, 504}
_WALL_TITLES = ("access denied", "request rejected", "just a moment", "attention required", "pardon our interruption")
_TITLE = re.compile(rb"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)

# The agreement checkbox is set and its form submitted natively: the page's own jQuery
# handler does the same on a click, but needs scripts from a CDN.
_AGREE = """
const form = document.getElementById('agreement_form');
if (!form) { return false; }
form.querySelector('input[name="prohibition_agreement"]').checked = true;
window.__quantGate = true;
HTMLFormElement.prototype.submit.call(form);
return true;
"""
# The page's DataTables call, made with fetch(): same origin, cookies, X-CSRFToken header.
_POST = """
const [url, body, token, done] = arguments;
fetch(url, {method: 'POST', credentials: 'same-origin', body: body, headers: {
    'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8',
    'X-CSRFToken': token, 'X-Requested-With': 'XMLHttpRequest'}})
  .then(r => r.text().then(text => done({status: r.status, url: r.url, text: text})))
  .catch(e => done({status: 0, url: url, text: '', error: String(e)}));
"""


@dataclass(frozen=True)
class Politeness:
    """Rate limit and retry settings for one site."""

    limiter: RateLimiter
    max_attempts: int = 3
    backoff_seconds: float = 5.0


@dataclass(frozen=True)
class Fetched:
    """A document as the site served it."""

    url: str
    content: bytes
    fetched_at: datetime
    media_type: str = "text/html"


@dataclass(frozen=True)
class Listing:
    """The PTRs listed for a window; ``blocked`` says why paging stopped early, if it did."""

    filings: list[Filing]
    skipped: list[str]
    pages: int
    blocked: str | None = None


@dataclass(frozen=True)
class _Answer:
    status: int
    url: str
    content: bytes
    error: str | None = None


class _Expired(Exception):
    """The site sent us back to the agreement gate."""


class EfdSession:
    """One browser session on the eFD site (use through ``SenateEfdBrowser.session()``)."""

    def __init__(self, driver: webdriver.Chrome, base_url: str, politeness: Politeness, *, page_size: int, log: logging.Logger) -> None:
        self.driver = driver
        self.base_url = base_url.rstrip("/")
        self.politeness = politeness
        self.page_size = page_size
        self.log = log
        self.requests = 0
        self.gates = 0
        self._agreed = False

    def list_ptrs(self, start: date, end: date) -> Listing:
        """Every PTR submitted on days in [start, end): one query, paged until recordsTotal.

        A block after the first page keeps what was listed and says why it stopped.
        """
        filings: dict[str, Filing] = {}
        skipped: list[str] = []
        offset = pages = 0
        while True:
            try:
                page = parse_report_data(self.report_data(start, end, offset, pages + 1), self.base_url)
            except SiteBlocked as exc:
                if not pages:
                    raise
                return Listing(_inside(filings.values(), start, end), skipped, pages, blocked=str(exc))
            pages += 1
            skipped += page.skipped
            # Rows filed while we page can shift later pages; the source id keeps each once.
            filings.update((filing.source_id, filing) for filing in page.filings)
            offset += len(page.filings) + len(page.skipped)
            if not page.filings and not page.skipped or offset >= page.records_total:
                return Listing(_inside(filings.values(), start, end), skipped, pages)

    def report_data(self, start: date, end: date, offset: int, draw: int) -> bytes:
        """One page of PTRs submitted on days in [start, end) from ``/search/report/data/``."""
        form = {
            "draw": draw, "start": offset, "length": self.page_size,
            "report_types": f"[{PTR_REPORT_TYPE}]", "filer_types": "[]",
            "submitted_start_date": f"{start:%m/%d/%Y} 00:00:00",
            "submitted_end_date": f"{end - timedelta(days=1):%m/%d/%Y} 23:59:59",
            "candidate_state": "", "senator_state": "", "office_id": "", "first_name": "", "last_name": "",
            "order[0][column]": 4, "order[0][dir]": "asc",
            **{f"columns[{n}][data]": n for n in range(5)},
        }
        return self._with_gate(lambda: self._post(REPORT_DATA, urlencode(form))).content

    def fetch(self, url: str) -> Fetched:
        """Open a report page and return the bytes the site sent."""
        answer = self._with_gate(lambda: self._navigate(url))
        return Fetched(url=url, content=answer.content, fetched_at=datetime.now(UTC))

    # -- the gate ---------------------------------------------------------------------
    def _with_gate(self, request):
        if not self._agreed:
            self._pass_gate()
        try:
            return self._retrying(request)
        except _Expired:
            self.log.info("eFD session expired; passing the agreement gate again")
            self._pass_gate()
            try:
                return self._retrying(request)
            except _Expired:
                raise SiteBlocked(self.base_url + HOME, "session expired again right after the agreement gate") from None

    def _pass_gate(self) -> None:
        self._agreed = False
        self._retrying(lambda: self._navigate(self.base_url + HOME, gate=True))
        self.politeness.limiter.wait()
        self.requests += 1
        if not self.driver.execute_script(_AGREE):
            raise SiteBlocked(self.base_url + HOME, "the agreement page has no #agreement_form")
        try:
            WebDriverWait(self.driver, 30).until(_next_document)
        except TimeoutException:
            raise SiteBlocked(self.base_url + HOME, "no answer to the agreement form") from None
        answer = self._loaded(self.base_url + SEARCH)
        if _path(answer.url) == HOME and not answer.error and answer.status < 400:
            raise SiteBlocked(answer.url, "the agreement was not accepted (still on /search/home/)")
        answer = self._check(answer, gate=True)
        if answer.error or answer.status >= 400:
            raise SiteBlocked(answer.url, _reason(answer))
        if self.driver.get_cookie("csrftoken") is None:
            raise SiteBlocked(answer.url, "no csrftoken cookie after the agreement gate")
        self._agreed = True
        self.gates += 1

    # -- requests ---------------------------------------------------------------------
    def _post(self, path: str, body: str) -> _Answer:
        if _path(self.driver.current_url) != SEARCH:
            page = self._navigate(self.base_url + SEARCH)  # the endpoint is called from the search page
            if page.error or page.status >= 400:
                return page
        token = (self.driver.get_cookie("csrftoken") or {}).get("value")
        if not token:
            raise _Expired()
        self.politeness.limiter.wait()
        self.requests += 1
        result = self.driver.execute_async_script(_POST, self.base_url + path, body, token)
        answer = _Answer(result["status"], result["url"], result["text"].encode("utf-8"), result.get("error"))
        return self._check(answer)

    def _navigate(self, url: str, *, gate: bool = False) -> _Answer:
        self.politeness.limiter.wait()
        self.requests += 1
        try:
            self.driver.get(url)
        except TimeoutException:
            return _Answer(0, url, b"", "page load timed out")
        return self._check(self._loaded(url), gate=gate)

    def _loaded(self, url: str) -> _Answer:
        current = self.driver.current_url
        if current.startswith("chrome-error://"):
            return _Answer(0, url, b"", "network error (the site could not be reached)")
        status = self.driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0]; return n ? n.responseStatus : 0;"
        )
        frame = self.driver.execute_cdp_cmd("Page.getFrameTree", {})["frameTree"]["frame"]["id"]
        source = self.driver.execute_cdp_cmd("Page.getResourceContent", {"frameId": frame, "url": current})
        content = base64.b64decode(source["content"]) if source["base64Encoded"] else source["content"].encode("utf-8")
        return _Answer(int(status or 0), current, content)

    def _check(self, answer: _Answer, *, gate: bool = False) -> _Answer:
        if answer.error:
            return answer
        if not gate and _path(answer.url) == HOME:
            self._agreed = False
            raise _Expired()
        wall = wall_reason(answer.content)
        if wall:
            return _Answer(answer.status, answer.url, answer.content, wall)
        return answer

    def _retrying(self, request) -> _Answer:
        attempt = 0
        while True:
            attempt += 1
            try:
                answer = request()
            except WebDriverException as exc:
                answer = _Answer(0, self.base_url, b"", f"browser error: {(exc.msg or str(exc)).splitlines()[0]}")
            if not answer.error and answer.status < 400:
                return answer
            retryable = answer.error or answer.status in _RETRY_STATUSES
            if attempt >= self.politeness.max_attempts or not retryable:
                raise SiteBlocked(answer.url, f"{_reason(answer)} (after {attempt} attempt{'s' if attempt > 1 else ''})")
            delay = self.politeness.backoff_seconds * 2 ** (attempt - 1)
            self.log.warning("eFD %s: %s; retrying in %.1fs", answer.url, _reason(answer), delay)
            time.sleep(delay)


def wall_reason(content: bytes) -> str | None:
    """Why ``content`` is a bot-management page rather than the site's own, or None."""
    match = _TITLE.search(content[:4096])
    title = " ".join(match.group(1).decode("utf-8", "replace").split()) if match else ""
    if title.lower().startswith(_WALL_TITLES):
        return f"bot wall page {title!r}"
    return None


def _path(url: str) -> str:
    return urlsplit(url).path


def _inside(filings, start: date, end: date) -> list[Filing]:
    """The server's date filter is trusted only as far as the listing's own 'filed' column."""
    return sorted((f for f in filings if start <= f.filed_date < end), key=lambda f: (f.filed_date, f.source_id))


def _reason(answer: _Answer) -> str:
    if answer.status and answer.error:
        return f"HTTP {answer.status}, {answer.error}"
    return answer.error or f"HTTP {answer.status}"


def _next_document(driver: webdriver.Chrome) -> bool:
    """The form's answer has replaced the page that carried the marker and finished loading."""
    return driver.execute_script("return window.__quantGate === undefined && document.readyState === 'complete'")
