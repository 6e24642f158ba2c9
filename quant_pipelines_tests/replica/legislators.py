"""Reference files served locally under their published paths for tests: the congress-legislators
files (:func:`legislators_site`) and the SEC company ticker list (:func:`sec_site`).

``/legislators-current.yaml`` is the verbatim current file; ``/legislators-historical.yaml``
is the reference fixtures' reconstructed history since 2011 (see reference/MANIFEST.md);
``/files/company_tickers.json`` is the SEC list of 2026-02-01. Every file carries an ETag and
Last-Modified and answers a conditional GET with 304. A path can be given other bytes
(hostile input) or fail with a status.

Set LEGISLATORS_BASE_URL or SEC_BASE_URL to :attr:`StaticSite.base_url`; nothing else differs.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from pathlib import Path

from quant_pipelines_tests.replica.server import LocalServer, Request, Response

FILES = {
    "/legislators-current.yaml": "legislators-current.yaml",
    "/legislators-historical.yaml": "legislators-historical-2011plus.reconstructed.yaml",
}
SEC_FILES = {"/files/company_tickers.json": "company_tickers.json"}
_LAST_MODIFIED = "Mon, 15 Jun 2026 12:00:00 GMT"


def legislators_site(fixtures_dir: Path) -> StaticSite:
    """The congress-legislators files of the reference fixtures (start it with ``with``)."""
    folder = fixtures_dir / "reference" / "congress-legislators"
    return StaticSite({path: (folder / name).read_bytes() for path, name in FILES.items()}, "application/yaml")


def sec_site(fixtures_dir: Path) -> StaticSite:
    """The SEC company ticker list of the reference fixtures (start it with ``with``)."""
    folder = fixtures_dir / "reference" / "sec"
    return StaticSite({path: (folder / name).read_bytes() for path, name in SEC_FILES.items()}, "application/json")


class StaticSite:
    """Start with ``with``; read :attr:`requests` and :attr:`user_agents`; :meth:`replace` or :meth:`fail`."""

    def __init__(self, files: dict[str, bytes], content_type: str) -> None:
        self._files = dict(files)
        self._content_type = content_type
        self.requests: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.user_agents: set[str] = set()
        self._failing: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server: LocalServer | None = None

    def __enter__(self) -> StaticSite:
        self._server = LocalServer(self._route)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the replica is not running")
        return self._server.base_url

    def replace(self, path: str, content: bytes) -> None:
        """Serve ``content`` at ``path`` from now on."""
        with self._lock:
            self._files[path] = content

    def fail(self, path: str, status: int) -> None:
        """Answer every request for ``path`` with ``status``."""
        with self._lock:
            self._failing[path] = status

    def _route(self, request: Request) -> Response:
        with self._lock:
            self.requests[request.path] += 1
            self.user_agents.add(request.headers.get("User-Agent", ""))
            status = self._failing.get(request.path)
            body = self._files.get(request.path)
        if status is not None:
            return Response(status, b"unavailable", content_type="text/plain")
        if body is None:
            return Response(404, b"not found", content_type="text/plain")
        etag = f'"{hashlib.sha256(body).hexdigest()[:20]}"'
        validators = [("ETag", etag), ("Last-Modified", _LAST_MODIFIED)]
        if request.headers.get("If-None-Match") == etag:
            with self._lock:
                self.not_modified[request.path] += 1
            return Response(304, b"", validators)
        return Response(200, body, validators, content_type=self._content_type)
