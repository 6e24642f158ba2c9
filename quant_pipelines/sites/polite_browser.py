"""Requests through a real browser, rate limited and retried, with the site's answer as bytes.

Every navigation or in-page request waits for the site's rate limiter. 403/429/5xx, network
errors and bot-wall pages are retried with exponential backoff, then raise
:class:`SiteBlocked`. Navigations pass the pages a user sees (the agreement gate, the search
page); documents are requested from inside the open page with ``fetch()``, which returns the
exact bytes the server sent, not the DOM as scripts left it.
"""

from __future__ import annotations

import base64
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException

from quant_pipelines.sites.net_errors import network_problem
from quant_pipelines.sites.politeness import RateLimiter, SiteBlocked
from quant_pipelines.vocabulary.records import ParseError

RETRY_STATUSES = frozenset({403, 429, 500, 502, 503, 504})
_WALL_TITLES = (
    "access denied",
    "request rejected",
    "just a moment",
    "attention required",
    "pardon our interruption",
)
_TITLE = re.compile(rb"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_STATUS = "const n = performance.getEntriesByType('navigation')[0]; return n ? n.responseStatus : 0;"
# fetch() from the open page: same origin, the session's cookies, the caller's method, body and
# headers. The body is streamed with a byte count and dropped past the cap (a Content-Length over
# it is refused unread); it comes back base64-encoded so the bytes are exactly what the server sent.
_FETCH = """
const [method, url, body, headers, cap, finish] = arguments;
const tooLarge = (r, size) => finish({status: r.status, url: r.url, body: '', tooLarge: size});
fetch(url, {method: method, credentials: 'same-origin', body: body, headers: headers})
  .then(async r => {
    const declared = Number(r.headers.get('Content-Length') || 0);
    if (declared > cap) { if (r.body) { r.body.cancel(); } return tooLarge(r, declared); }
    const parts = [];
    let size = 0;
    if (r.body) {
      const reader = r.body.getReader();
      for (let part = await reader.read(); !part.done; part = await reader.read()) {
        size += part.value.length;
        if (size > cap) { reader.cancel(); return tooLarge(r, size); }
        parts.push(part.value);
      }
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const part of parts) { bytes.set(part, at); at += part.length; }
    let binary = '';
    for (let i = 0; i < bytes.length; i += 32768) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 32768));
    }
    finish({status: r.status, url: r.url, body: btoa(binary)});
  })
  .catch(e => finish({status: 0, url: url, body: '', error: String(e)}));
"""
# The House client's cap: no report page or listing comes near it.
MAX_DOCUMENT_BYTES = 64 * 2**20


class DocumentTooLarge(ParseError):
    """The site sent (or announced) more bytes than the cap; nothing of it is kept."""


@dataclass(frozen=True)
class Politeness:
    """Rate limit and retry settings for one site."""

    limiter: RateLimiter
    max_attempts: int = 3
    backoff_seconds: float = 5.0


@dataclass(frozen=True)
class Answer:
    """What the site answered: final URL (after redirects), status, body, or why it failed."""

    status: int
    url: str
    content: bytes
    error: str | None = None

    @property
    def failed(self) -> bool:
        return bool(self.error) or self.status >= 400

    @property
    def reason(self) -> str:
        if self.status and self.error:
            return f"HTTP {self.status}, {self.error}"
        return self.error or f"HTTP {self.status}"


class PoliteBrowser:
    """A WebDriver used one request at a time, spaced by the rate limiter."""

    def __init__(
        self,
        driver: webdriver.Chrome,
        politeness: Politeness,
        log: logging.Logger,
        max_document_bytes: int = MAX_DOCUMENT_BYTES,
    ) -> None:
        self.driver = driver
        self.politeness = politeness
        self.log = log
        self.max_document_bytes = max_document_bytes
        self.requests = 0

    def navigate(self, url: str) -> Answer:
        """Open ``url`` like a user would."""
        self.wait()
        try:
            self.driver.get(url)
        except TimeoutException:
            return Answer(0, url, b"", "page load timed out")
        return self.current(url)

    def fetch(
        self, url: str, *, method: str = "GET", body: str | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        """Request ``url`` from inside the open page (its origin, cookies and Referer), as its scripts do.

        Only the document itself is downloaded: none of the stylesheets, scripts and images a
        navigation would load, and nothing is rendered. A body over ``max_document_bytes`` raises
        :class:`DocumentTooLarge` (not retried).
        """
        self.wait()
        cap = self.max_document_bytes
        result = self.driver.execute_async_script(_FETCH, method, url, body, headers or {}, cap)
        if result.get("tooLarge"):
            size = int(result["tooLarge"])
            raise DocumentTooLarge(f"the document is larger than the {cap}-byte cap ({size:,} bytes sent or announced)")
        content = base64.b64decode(result["body"])
        return _walled(Answer(result["status"], result["url"], content, result.get("error")))

    def fresh_tab(self) -> None:
        """Swap the open tab for a blank one; the old tab's renderer, and the memory it grew, go with it."""
        old = self.driver.current_window_handle
        self.driver.switch_to.new_window("tab")
        new = self.driver.current_window_handle
        self.driver.switch_to.window(old)
        self.driver.close()
        self.driver.switch_to.window(new)

    def current(self, requested: str) -> Answer:
        """The page now open: its status, and its DOM (enough to tell a bot wall from the site's page).

        Documents are downloaded with :meth:`fetch`, which keeps the exact bytes.
        """
        url = self.driver.current_url
        if url.startswith("chrome-error://"):
            return Answer(0, requested, b"", "network error (the site could not be reached)")
        status = int(self.driver.execute_script(_STATUS) or 0)
        return _walled(Answer(status, url, self.driver.page_source.encode("utf-8")))

    def wait(self) -> None:
        """Count a request and wait for the rate limiter."""
        self.politeness.limiter.wait()
        self.requests += 1

    def retrying(self, request: Callable[[], Answer]) -> Answer:
        """Run ``request`` until it succeeds; SiteBlocked after the last attempt or a final refusal."""
        attempt = 0
        while True:
            attempt += 1
            try:
                answer = request()
            except WebDriverException as exc:
                answer = Answer(
                    0, self.driver.current_url, b"", f"browser error: {(exc.msg or str(exc)).splitlines()[0]}"
                )
            if not answer.failed:
                return answer
            retryable = bool(answer.error) or answer.status in RETRY_STATUSES
            if attempt >= self.politeness.max_attempts or not retryable:
                raise SiteBlocked(
                    answer.url, f"{answer.reason} (after {attempt} attempt{'s' if attempt > 1 else ''})"
                )
            delay = self.politeness.backoff_seconds * 2 ** (attempt - 1)
            kind = network_problem(answer.reason)
            reason = f"{kind}: {answer.reason}" if kind else answer.reason
            self.log.warning(
                "retry %d/%d in %.0f s: %s (%s)", attempt, self.politeness.max_attempts - 1, delay, reason, answer.url
            )
            time.sleep(delay)


def wall_reason(content: bytes) -> str | None:
    """Why ``content`` is a bot-management page rather than the site's own, or None."""
    match = _TITLE.search(content[:4096])
    title = " ".join(match.group(1).decode("utf-8", "replace").split()) if match else ""
    if title.lower().startswith(_WALL_TITLES):
        return f"bot wall page {title!r}"
    return None


def _walled(answer: Answer) -> Answer:
    wall = None if answer.error else wall_reason(answer.content)
    return Answer(answer.status, answer.url, answer.content, wall) if wall else answer
