"""The polite HTTP client, and SiteClient: the base of each HTTP source's client (House, members, SEC).

Every request waits for the per-site rate limit and carries our User-Agent. HTTP 429 and
5xx answers, dropped connections and truncated bodies are retried with exponential
backoff (honouring Retry-After); 403/429/503 that persist become :class:`SiteBlocked`.
A conditional GET (ETag / Last-Modified) serves an unchanged yearly index from the
cache under the state dir without downloading it again. A body larger than the size cap
is refused as it streams in (a hostile or broken server cannot fill the memory), and a request
that is not complete within its total deadline is cut (nor can a slow drip hold it). Counters
record requests and bytes so assets can report what a run really fetched.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import asdict, dataclass

import requests

from quant_pipelines.sites.net_errors import network_problem
from quant_pipelines.sites.deadline import Deadline, DeadlineAdapter
from quant_pipelines.sites.http_cache import ConditionalCache
from quant_pipelines.sites.politeness import RateLimiter, SiteBlocked

_RETRYABLE = frozenset({403, 429, 500, 502, 503, 504})
_BLOCKING = frozenset({403, 429, 503})
_TRANSIENT_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
# Yearly indexes are a few MiB, PTR PDFs (scans included) rarely more than 20 MiB.
MAX_RESPONSE_BYTES = 64 * 2**20
# Connect, headers and body of one attempt together: 64 MiB at 256 KiB/s.
REQUEST_DEADLINE_SECONDS = 256.0
_CHUNK = 2**16


class FetchFailed(RuntimeError):
    """A document could not be fetched (not a refusal by the site); ledger status ``blocked``."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class NotFound(FetchFailed):
    """HTTP 404/410: the site does not have the document."""


@dataclass
class FetchStats:
    """What a client sent and received: requests (retries included), bytes, 304 answers."""

    requests: int = 0
    bytes_downloaded: int = 0
    not_modified: int = 0
    retries: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class Fetched:
    """A response body; ``from_cache`` when the server answered 304 Not Modified."""

    url: str
    content: bytes
    media_type: str
    from_cache: bool = False


class PoliteHttpClient:
    """GET with rate limit, User-Agent, retries and (optionally) conditional requests."""

    def __init__(
        self,
        *,
        user_agent: str,
        requests_per_second: float,
        cache: ConditionalCache | None = None,
        max_retries: int = 4,
        backoff_seconds: float = 2.0,
        max_backoff_seconds: float = 120.0,
        timeout_seconds: float = 60.0,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        deadline_seconds: float = REQUEST_DEADLINE_SECONDS,
    ) -> None:
        self._session = requests.Session()
        for scheme in ("http://", "https://"):
            self._session.mount(scheme, DeadlineAdapter())
        self._session.headers["User-Agent"] = user_agent
        self._limiter = RateLimiter(requests_per_second)
        self._cache = cache
        self._max_retries = max_retries
        self._backoff = backoff_seconds
        self._max_backoff = max_backoff_seconds
        self._timeout = timeout_seconds
        self._max_bytes = max_response_bytes
        self._deadline = deadline_seconds
        self.stats = FetchStats()
        self.log: logging.Logger | logging.LoggerAdapter = logging.getLogger(__name__)  # the run's log in a step

    def close(self) -> None:
        self._session.close()

    def get(self, url: str, *, conditional: bool = False) -> Fetched:
        """Fetch a document; NotFound, FetchFailed or SiteBlocked (with the reason) when it cannot be had.

        ``conditional`` revalidates a cached copy instead of downloading it again. An HTML
        page in place of the document (the Clerk serves only zips and PDFs) counts as a bot wall.
        """
        cached = self._cache.lookup(url) if conditional and self._cache else None
        headers = cached.validators() if cached else {}
        problem, status = "no attempt", None
        for attempt in range(self._max_retries + 1):
            if attempt:
                self.stats.retries += 1
            self._limiter.wait()
            self.stats.requests += 1
            delay = None
            deadline = Deadline(self._deadline)
            try:
                with deadline:
                    response = self._session.get(url, headers=headers, timeout=self._timeout, stream=True)
                    with response:
                        content = self._body(url, response)
            except _TRANSIENT_ERRORS as exc:
                problem, status = _describe(exc), None
                if deadline.expired:
                    problem = f"no complete answer within the {self._deadline:g}-second deadline (cut)"
            else:
                self.stats.bytes_downloaded += len(content)
                status = response.status_code
                if status == 304 and cached is not None:
                    self.stats.not_modified += 1
                    return Fetched(url, cached.content, _media_type(response), from_cache=True)
                if status == 200:
                    problem = _short_body(response, content)
                    if problem is None:
                        return self._accept(url, response, content, conditional)
                elif status in (404, 410):
                    raise NotFound(url, f"HTTP {status} {response.reason}")
                elif status in _RETRYABLE:
                    problem, delay = f"HTTP {status} {response.reason}", _retry_after(response)
                else:
                    raise FetchFailed(url, f"HTTP {status} {response.reason}")
            if attempt < self._max_retries:
                pause = self._delay(attempt, delay)
                self.log.warning(
                    "retry %d/%d in %.0f s: %s (%s)", attempt + 1, self._max_retries, pause, problem, url
                )
                time.sleep(pause)
        reason = f"{problem} after {self._max_retries + 1} attempt(s)"
        if status in _BLOCKING:
            raise SiteBlocked(url, reason)
        raise FetchFailed(url, reason)

    def _body(self, url: str, response: requests.Response) -> bytes:
        """The whole body, or FetchFailed (not retried: the next answer would be as large) past the cap."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise FetchFailed(url, f"response of {declared} bytes is larger than the {self._max_bytes}-byte cap")
        chunks, size = [], 0
        for chunk in response.iter_content(_CHUNK):
            size += len(chunk)
            if size > self._max_bytes:
                self.stats.bytes_downloaded += size
                raise FetchFailed(url, f"response larger than the {self._max_bytes}-byte cap (stopped reading)")
            chunks.append(chunk)
        return b"".join(chunks)

    def _accept(self, url: str, response: requests.Response, content: bytes, conditional: bool) -> Fetched:
        media_type = _media_type(response)
        if media_type == "text/html":
            raise SiteBlocked(url, "got an HTML page where a document was expected (bot wall or error page)")
        if conditional and self._cache is not None:
            self._cache.store(
                url,
                content,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
            )
        return Fetched(url, content, media_type)

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        wanted = (
            retry_after if retry_after is not None else self._backoff * 2**attempt * random.uniform(0.8, 1.2)
        )
        return min(self._max_backoff, wanted)


def _short_body(response: requests.Response, content: bytes) -> str | None:
    """A body shorter than its Content-Length (connection cut) is a failed attempt."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and not response.headers.get("Content-Encoding"):
        if len(content) < int(declared):
            return f"truncated download ({len(content)} of {declared} bytes)"
    return None


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else None


def _media_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def _describe(exc: Exception) -> str:
    """The failure in one line, led by its kind when the network failed (DNS, refused, timeout)."""
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "truncated download (connection closed mid-body)"
    text = str(exc)
    detail = text.splitlines()[0][:200] if text else "no detail"
    kind = network_problem(f"{type(exc).__name__}: {text}")
    return f"{kind}: {type(exc).__name__}: {detail}" if kind else f"{type(exc).__name__}: {detail}"


class SiteClient:
    """Requests to one site root over a polite client; each source's client adds its paths."""

    def __init__(self, http: PoliteHttpClient, base_url: str) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")

    @property
    def stats(self) -> FetchStats:
        return self.http.stats

    def close(self) -> None:
        self.http.close()
