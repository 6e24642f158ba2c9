"""The House Clerk site, served locally under its real paths for tests and the offline demo.

- ``/public_disc/financial-pdfs/{YEAR}FD.zip``: zips made from the captured
  index files (2012, 2015, 2021, 2026) plus any generated filings of that year (built on
  first request); served with ETag / Last-Modified, answering conditional GETs with 304.
- ``/public_disc/ptr-pdfs/{YEAR}/{DocID}.pdf``: the captured PDFs; every other PTR the
  index lists gets a generated document (a scan for paper DocIDs), so a day of the real
  index has a document behind each row.
- Fault modes: bursts of an HTTP status, 404 for a DocID, cut-off downloads, a block.

Set HOUSE_CLERK_BASE_URL to :attr:`HouseReplica.base_url`; nothing else differs.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Iterable
from datetime import date
from email.message import Message
from email.utils import formatdate
from pathlib import Path

from quant_pipelines_tests.replica.house_documents import GeneratedFiling
from quant_pipelines_tests.replica.house_index import build_index
from quant_pipelines_tests.replica.house_layout import render_filing
from quant_pipelines_tests.replica.server import LocalServer, Request, Response

PDF_PATH = "/public_disc/ptr-pdfs/{year}/{doc_id}.pdf"
INDEX_PATH = "/public_disc/financial-pdfs/{year}FD.zip"
# No 2025 index was captured; this row stands in for the one listing 20029138, read off
# the PDF itself (its signature date serves as FilingDate).
_STAND_IN_ROWS = (GeneratedFiling("20029138", date(2025, 4, 11), "Marjorie Taylor", "Greene", "GA14"),)
_LAST_MODIFIED = "Mon, 06 Jul 2026 08:05:00 GMT"
_TYPES = {
    ".zip": "application/x-zip-compressed",
    ".pdf": "application/pdf",
    ".html": "text/html; charset=utf-8",
}


class HouseReplica:
    """Start with :meth:`start` (or ``with``), read :attr:`requests`, set faults, :meth:`stop`."""

    def __init__(
        self, fixtures_dir: Path, generated: Iterable[GeneratedFiling] = (), *, port: int = 0
    ) -> None:
        self.fixtures_dir = fixtures_dir
        self.generated = {filing.doc_id: filing for filing in (*_STAND_IN_ROWS, *generated)}
        self._captured = {
            path.name.split("_")[1]: path
            for path in sorted((fixtures_dir / "house" / "ptr_pdfs").glob("*.pdf"))
        }
        self.requests: Counter[str] = Counter()
        self.user_agents: set[str] = set()
        self._lock = threading.Lock()
        self._indexes: dict[int, tuple[bytes, dict[str, GeneratedFiling]] | None] = {}
        self._rendered: dict[str, bytes] = {}
        self._replaced: dict[str, bytes] = {}
        self._modified: dict[str, str] = {}  # Last-Modified of indexes changed by add()
        self._bursts: list[list] = []
        self._missing: set[str] = set()
        self._cuts: Counter[str] = Counter()
        self._drips: dict[str, float] = {}
        self._blocked: int | None = None
        self._port = port
        self._server: LocalServer | None = None

    def __enter__(self) -> HouseReplica:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> str:
        """Listen on 127.0.0.1 (a free port unless one was given); return the base URL."""
        self._server = LocalServer(self._route, self._port)
        return self._server.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the House replica is not running")
        return self._server.base_url

    @property
    def bytes_sent(self) -> int:
        """Response body bytes served since the replica started."""
        return self._server.bytes_sent if self._server is not None else 0

    def fail(
        self, status: int = 503, *, times: int = 1, path: str = "", retry_after: str | None = None
    ) -> None:
        """Answer the next ``times`` requests whose path starts with ``path`` with ``status``."""
        with self._lock:
            self._bursts.append([path, status, times, retry_after])

    def add(self, filings: Iterable[GeneratedFiling]) -> None:
        """List more filings, as the Clerk does when members file (their years' FD.zip change)."""
        with self._lock:
            for filing in filings:
                self.generated[filing.doc_id] = filing
                self._indexes.pop(filing.filed.year, None)
                self._modified[INDEX_PATH.format(year=filing.filed.year)] = formatdate(usegmt=True)

    def remove(self, year: int, doc_id: str) -> None:
        """Answer 404 for a document the index still lists."""
        self._missing.add(PDF_PATH.format(year=year, doc_id=doc_id))

    def restore(self, year: int, doc_id: str) -> None:
        """Serve a removed document again."""
        self._missing.discard(PDF_PATH.format(year=year, doc_id=doc_id))

    def cut(self, path: str, *, times: int = 1) -> None:
        """Drop the connection halfway through the next ``times`` downloads of ``path``."""
        with self._lock:
            self._cuts[path] += times

    def drip(self, path: str, seconds_per_byte: float) -> None:
        """Send ``path`` one byte every ``seconds_per_byte`` (until :meth:`reset`)."""
        with self._lock:
            self._drips[path] = seconds_per_byte

    def block(self, status: int | None = 403) -> None:
        """Refuse every request with ``status`` (None lifts the block)."""
        self._blocked = status

    def replace(self, path: str, content: bytes) -> None:
        """Serve ``content`` at ``path`` instead of the site's own document (hostile input for tests)."""
        with self._lock:
            self._replaced[path] = content

    def reset(self) -> None:
        """Clear every fault, replaced document and request count."""
        with self._lock:
            self._replaced.clear()
            self._bursts.clear()
            self._missing.clear()
            self._cuts.clear()
            self._drips.clear()
            self._blocked = None
            self.requests.clear()

    def document(self, year: int, doc_id: str) -> bytes | None:
        """The bytes served for a PTR, or None when the year's index does not list it."""
        if doc_id in self._captured:
            return self._captured[doc_id].read_bytes()
        filing = self.listing(year).get(doc_id)
        if filing is None:
            return None
        with self._lock:
            if doc_id not in self._rendered:
                self._rendered[doc_id] = render_filing(filing)
            return self._rendered[doc_id]

    def index_zip(self, year: int) -> bytes | None:
        """The year's FD.zip, or None when the site has no index for that year."""
        index = self._index(year)
        return index[0] if index else None

    def listing(self, year: int) -> dict[str, GeneratedFiling]:
        """Every PTR the year's index lists, with the spec a generated document is made from
        (a DocID with a captured PDF is served from the capture instead)."""
        index = self._index(year)
        return index[1] if index else {}

    def _index(self, year: int) -> tuple[bytes, dict[str, GeneratedFiling]] | None:
        with self._lock:
            if year not in self._indexes:
                self._indexes[year] = build_index(self.fixtures_dir, year, self.generated)
            return self._indexes[year]

    def _route(self, request: Request) -> Response:
        path = request.path
        with self._lock:
            self.requests[path] += 1
            self.user_agents.add(request.headers.get("User-Agent", ""))
            fault = self._fault(path)
        if fault is not None:
            return fault
        body = self._content(path)
        if body is None:
            return self._page(404, "robots_txt_404_page.html")
        return self._reply(path, body, request.headers)

    def _fault(self, path: str) -> Response | None:
        if self._blocked is not None:
            return Response(self._blocked, b"<html><body>Access denied</body></html>", content_type=_TYPES[".html"])
        for burst in self._bursts:
            prefix, status, remaining, retry_after = burst
            if remaining > 0 and path.startswith(prefix):
                burst[2] -= 1
                return Response(
                    status,
                    b"Service Unavailable",
                    [("Retry-After", retry_after)] if retry_after else [],
                    content_type="text/plain",
                )
        if path in self._missing:
            return self._page(404, "robots_txt_404_page.html")
        return None

    def _content(self, path: str) -> bytes | None:
        if path in self._replaced:
            return self._replaced[path]
        parts = path.split("?")[0].strip("/").split("/")
        if parts == ["FinancialDisclosure"]:
            return (
                self.fixtures_dir / "house" / "pages" / "financial_disclosure_landing_page.html"
            ).read_bytes()
        if parts[:2] == ["public_disc", "financial-pdfs"] and len(parts) == 3 and parts[2].endswith("FD.zip"):
            year = parts[2].removesuffix("FD.zip")
            return self.index_zip(int(year)) if year.isdigit() else None
        if parts[:2] == ["public_disc", "ptr-pdfs"] and len(parts) == 4 and parts[2].isdigit():
            doc_id = parts[3].removesuffix(".pdf")
            return self.document(int(parts[2]), doc_id) if doc_id.isdigit() else None
        return None

    def _reply(self, path: str, body: bytes, headers: Message) -> Response:
        etag = f'"{hashlib.sha256(body).hexdigest()[:20]}"'
        modified = self._modified.get(path, _LAST_MODIFIED)
        validators = [("ETag", etag), ("Last-Modified", modified)]
        # RFC 9110 13.2.2: If-None-Match, when sent, decides; If-Modified-Since only without it.
        if "If-None-Match" in headers:
            unchanged = headers["If-None-Match"] == etag
        else:
            unchanged = headers.get("If-Modified-Since") == modified
        if path.endswith(".zip") and unchanged:
            return Response(304, b"", validators)
        media = _TYPES[Path(path.split("?")[0]).suffix or ".html"]
        with self._lock:
            if self._cuts[path] > 0:
                self._cuts[path] -= 1
                return Response(200, body, validators, content_type=media, cut_after=len(body) // 2)
            drip = self._drips.get(path)
        return Response(200, body, validators, content_type=media, drip_seconds=drip)

    def _page(self, status: int, name: str) -> Response:
        body = (self.fixtures_dir / "house" / "pages" / name).read_bytes()
        return Response(status, body, content_type=_TYPES[".html"])
