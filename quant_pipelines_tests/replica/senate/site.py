"""A local replica of efdsearch.senate.gov: same paths, gate, CSRF, JSON endpoint, pages, faults.

    replica = SenateReplica(fixtures_dir)
    base_url = replica.start()          # http://127.0.0.1:<free port>
    replica.fail_next(2)                # the next two requests get 503
    replica.document_hits()             # Counter of /search/view/... GETs
    replica.stop()

Only the base URLs differ from the live site (paper page images under /media/: media.py). Sessions
follow the real dance (SITE_NOTES §1.1-1.3): cookies first, agreement form, ``X-CSRFToken`` = cookie.
"""

from __future__ import annotations

import gzip
import json
import re
import secrets
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from quant_pipelines_tests.replica.senate import media, pages
from quant_pipelines_tests.replica.senate.catalogue import Entry, captured_entries, efd_dir, generated_entries
from quant_pipelines_tests.replica.senate.generator import GeneratedFiling, Templates, generate
from quant_pipelines_tests.replica.server import LocalServer, Request, Response

SESSION_COOKIE = "33a5c6d97f299a223cb6fc3925909ef7"  # the real site's cookie name is 32 hex chars
MAX_LENGTH = 100
_VIEW = re.compile(r"^/search/view/(ptr|paper)/([0-9A-Fa-f-]{36})/$")
# Generated filings fill May 2026, before the real June 2026 rows, so real windows stay real.
DEFAULT_GENERATED = {"seed": 2026, "start": date(2026, 5, 1), "end": date(2026, 6, 1), "per_day": 1.5}


@dataclass
class _Session:
    csrftoken: str = field(default_factory=lambda: secrets.token_hex(16))
    form_token: str = field(default_factory=lambda: secrets.token_urlsafe(48)[:64])
    agreed: bool = False


@dataclass
class Faults:
    """Fault modes; each applies to site requests (not /static/)."""

    expire_after: int | None = None  # drop every session's agreement after this many requests
    fail_next: int = 0  # answer this many requests with ``fail_status``...
    fail_after: int = 0  # ...once this many more have been answered normally
    fail_status: int = 503
    blocked: bool = False  # 403 "Access Denied" on everything
    refuse_reports: bool = False  # 403 "Access Denied" on report pages only, after a normal listing
    listing_body: bytes | None = None  # served (HTTP 200, JSON) instead of the report data
    bot_wall: bool = False  # 200 "Request Rejected" page instead of reports
    hold: threading.Event | None = None  # report pages wait (60 s at most) until it is set


class SenateReplica:
    """The replica site; :meth:`start` serves it on a free local port."""

    def __init__(
        self, fixtures_dir: Path, *, generated: Sequence[GeneratedFiling] | None = None, seed: int = 2026
    ) -> None:
        self.templates = Templates(efd_dir(fixtures_dir))
        if generated is None:
            generated = [f for f in generate(**DEFAULT_GENERATED) if f.filed < DEFAULT_GENERATED["end"]]
        self.entries = captured_entries(fixtures_dir, self.templates, seed) + generated_entries(
            generated, self.templates
        )
        self._by_path = {entry.path: entry for entry in self.entries}
        self._gzipped: set[str] = set()
        self._home = (efd_dir(fixtures_dir) / "home_agreement_page.html").read_text("utf-8")
        self._search = (efd_dir(fixtures_dir) / "search_form_page.html").read_text("utf-8")
        self.faults, self.media = Faults(), media.PaperImages(fixtures_dir)
        self.counts: Counter[tuple[str, str]] = Counter()
        self.arrivals: list[float] = []  # time.monotonic() of each site request, to check spacing
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()
        self._server: LocalServer | None = None

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> str:
        """Serve on 127.0.0.1 and a free port; return the base URL."""
        if self._server is None:
            self._server = LocalServer(self)
        return self._server.base_url

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the replica is not started")
        return self._server.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> SenateReplica:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- faults and observation ---------------------------------------------------------
    @property
    def bytes_sent(self) -> int:
        """Response body bytes served since the replica started."""
        return self._server.bytes_sent if self._server is not None else 0

    def expire_sessions_after(self, requests: int) -> None:
        """After ``requests`` more requests every session must pass the gate again."""
        with self._lock:
            self.faults.expire_after = requests

    def fail_next(self, count: int, status: int = 503, *, after: int = 0) -> None:
        """Answer ``count`` requests with ``status`` (a 503 burst by default), ``after`` requests from now."""
        with self._lock:
            self.faults.fail_next, self.faults.fail_status, self.faults.fail_after = count, status, after

    def block(self, blocked: bool = True) -> None:
        """403 "Access Denied" on every request until called with False."""
        self.faults.blocked = blocked

    def set_listing(self, content: bytes) -> None:
        """Answer report-data requests with ``content`` (hostile listings for tests) until :meth:`reset`."""
        self.faults.listing_body = content

    def refuse_reports(self, refused: bool = True) -> None:
        """403 "Access Denied" on report pages (the listing still answers) until called with False."""
        self.faults.refuse_reports = refused

    def bot_wall(self, on: bool = True) -> None:
        """Serve a 200 "Request Rejected" page instead of report pages."""
        self.faults.bot_wall = on

    def set_page(self, report_id: str, content: bytes, *, gzipped: bool = False) -> None:
        """Serve ``content`` for a listed report instead of its page (broken pages for tests), gzipped on request."""
        entry = next(entry for entry in self.entries if entry.uuid == report_id)
        self._by_path[entry.path] = replace(entry, page=content)
        (self._gzipped.add if gzipped else self._gzipped.discard)(entry.path)

    def reset(self) -> None:
        """Clear faults and counts (sessions live on, as on the real site)."""
        with self._lock:
            self.faults, self.counts, self.arrivals = Faults(), Counter(), []

    def hits(self, path: str, method: str = "GET") -> int:
        return self.counts[(method, path)]

    def document_hits(self) -> Counter[str]:
        """GETs per report page path."""
        return Counter(
            {path: n for (method, path), n in self.counts.items() if path.startswith("/search/view/")}
        )

    def listed(self, start: date, end: date) -> list[Entry]:
        """Entries submitted on days in [start, end), as a correct client should collect them."""
        return [entry for entry in self.entries if start <= entry.submitted.date() < end]

    # -- the site ---------------------------------------------------------------------
    def __call__(self, request: Request) -> Response:
        if request.path.startswith("/static/") or request.path == "/favicon.ico":
            return Response(404, b"", content_type="text/plain")
        with self._lock:
            self.counts[(request.method, request.path)] += 1
            self.arrivals.append(time.monotonic())
            fault = self._fault()
            session, cookies = self._session(request)
        if fault is not None:
            return fault
        response = self._route(request, session)
        response.headers.extend(cookies)
        return response

    def _fault(self) -> Response | None:
        faults = self.faults
        if faults.expire_after is not None:
            faults.expire_after -= 1
            if faults.expire_after < 0:
                for session in self._sessions.values():
                    session.agreed = False
                faults.expire_after = None
        if faults.blocked:
            return Response(403, pages.ACCESS_DENIED)
        if faults.fail_next > 0 and faults.fail_after > 0:
            faults.fail_after -= 1
        elif faults.fail_next > 0:
            faults.fail_next -= 1
            return Response(faults.fail_status, pages.UNAVAILABLE)
        return None

    def _session(self, request: Request) -> tuple[_Session, list[tuple[str, str]]]:
        key = request.cookies.get(SESSION_COOKIE)
        if key in self._sessions:
            return self._sessions[key], []
        key, session = secrets.token_hex(16), _Session()
        self._sessions[key] = session
        return session, [
            ("Set-Cookie", f"csrftoken={session.csrftoken}; Path=/; SameSite=Lax"),
            ("Set-Cookie", f"{SESSION_COOKIE}={key}; Path=/; HttpOnly; SameSite=Lax"),
        ]

    def _route(self, request: Request, session: _Session) -> Response:
        path, method = request.path, request.method
        if path == "/search/home/":
            return self._agreement(request, session) if method == "POST" else self._page(self._home, session)
        if path == "/search/" and method == "GET":
            return self._page(self._search, session) if session.agreed else _redirect("/search/home/")
        if path == "/search/report/data/" and method == "POST":
            if (
                request.headers.get("X-CSRFToken") != session.csrftoken
                or request.cookies.get("csrftoken") != session.csrftoken
            ):
                return Response(403, pages.CSRF_FAILED)
            if not session.agreed:
                return _redirect("/search/home/")
            if self.faults.listing_body is not None:
                return Response(200, self.faults.listing_body, content_type="application/json")
            return self._report_data(request.form())
        if _VIEW.match(path) and method == "GET":
            if not session.agreed:
                return _redirect("/search/home/")
            if self.faults.refuse_reports:
                return Response(403, pages.ACCESS_DENIED)
            if self.faults.bot_wall:
                return Response(200, pages.REQUEST_REJECTED)
            if self.faults.hold is not None:
                self.faults.hold.wait(60)
            entry = self._by_path.get(path)
            if entry and path in self._gzipped:
                return Response(200, gzip.compress(entry.page), headers=[("Content-Encoding", "gzip")])
            return Response(200, entry.page) if entry else Response(404, pages.NOT_FOUND)
        return self.media.answer(path, method)

    def _agreement(self, request: Request, session: _Session) -> Response:
        form = request.form()
        if (
            form.get("csrfmiddlewaretoken") != session.form_token
            or request.cookies.get("csrftoken") != session.csrftoken
        ):
            return Response(403, pages.CSRF_FAILED)
        if form.get("prohibition_agreement") != "1":
            return self._page(self._home, session)
        session.agreed = True
        return _redirect("/search/")

    def _page(self, template: str, session: _Session) -> Response:
        page = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*"', rf'\g<1>{session.form_token}"', template)
        return Response(200, page.encode("utf-8"))

    def _report_data(self, form: dict[str, str]) -> Response:
        try:
            types = json.loads(form.get("report_types") or "[]")
            start = _form_datetime(form.get("submitted_start_date", ""))
            end = _form_datetime(form.get("submitted_end_date", ""))
            offset, length = int(form.get("start", 0)), int(form.get("length", 25))
        except ValueError:
            return Response(400, b"bad request", content_type="text/plain")
        rows = [
            entry
            for entry in self.entries
            if (not types or 11 in types)
            and (start is None or entry.submitted >= start)
            and (end is None or entry.submitted <= end)
        ]
        rows.sort(key=_order(form))
        if form.get("order[0][dir]") == "desc":
            rows.reverse()
        length = MAX_LENGTH if length < 0 else min(length, MAX_LENGTH)
        body = {
            "draw": int(form.get("draw") or 1),
            "recordsTotal": len(rows),
            "recordsFiltered": len(rows),
            "data": [list(entry.row) for entry in rows[offset : offset + length]],
            "result": "ok",
        }
        return Response(200, json.dumps(body).encode(), content_type="application/json")


def _order(form: dict[str, str]):
    if form.get("order[0][column]") == "4":
        return lambda entry: (entry.submitted, entry.uuid)
    return lambda entry: (entry.row[1].lower(), entry.row[0].lower(), entry.uuid)


def _form_datetime(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    return datetime.strptime(text, "%m/%d/%Y %H:%M:%S" if " " in text else "%m/%d/%Y")


def _redirect(location: str) -> Response:
    return Response(302, b"", headers=[("Location", location)])
