"""A real threaded HTTP server on 127.0.0.1 and a free port, for the site replicas.

A replica is a function from :class:`Request` to :class:`Response`; :class:`LocalServer`
runs it in a background thread until :meth:`LocalServer.stop`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Request:
    """One request as the replica sees it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: Message
    body: bytes

    @property
    def cookies(self) -> dict[str, str]:
        jar = SimpleCookie(self.headers.get("Cookie", ""))
        return {name: morsel.value for name, morsel in jar.items()}

    def form(self) -> dict[str, str]:
        """An urlencoded body as single values (the last one wins)."""
        pairs = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
        return {name: values[-1] for name, values in pairs.items()}


@dataclass
class Response:
    """What the replica answers; Content-Length is added when sent.

    ``cut_after`` sends only that many body bytes and then drops the connection (a
    truncated download); ``drip_seconds`` sends the body one byte at a time that far apart
    (a slow drip), until the client hangs up.
    """

    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = "text/html; charset=utf-8"
    cut_after: int | None = None
    drip_seconds: float | None = None


App = Callable[[Request], Response]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, the body of every keep-alive
    # response waits for the client's delayed ACK (40 ms), which no real site does.
    disable_nagle_algorithm = True
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        parts = urlsplit(self.path)
        request = Request(
            self.command, parts.path, parse_qs(parts.query), self.headers, self.rfile.read(length)
        )
        response = self.server.app(request)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        if response.cut_after is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD" and response.drip_seconds is not None:
            self._drip(response.body, response.drip_seconds)
        elif self.command != "HEAD":
            body = response.body[: response.cut_after]
            self.wfile.write(body)
            self.server.count_sent(len(body))

    do_GET = do_POST = do_HEAD = _serve

    def _drip(self, body: bytes, seconds: float) -> None:
        self.close_connection = True
        try:
            for at in range(len(body)):
                self.wfile.write(body[at : at + 1])
                self.wfile.flush()
                self.server.count_sent(1)
                time.sleep(seconds)
        except OSError:
            pass  # the client gave up

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        """Requests are counted by the replica; stderr stays quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Browsers keep connections open; stopping must not wait for them.
    block_on_close = False

    def __init__(self, app: App, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.app = app
        self.bytes_sent = 0
        self._count_lock = threading.Lock()

    def count_sent(self, size: int) -> None:
        with self._count_lock:
            self.bytes_sent += size


class LocalServer:
    """Serve ``app`` on 127.0.0.1 (a free port unless one is given) from a daemon thread."""

    def __init__(self, app: App, port: int = 0) -> None:
        self._server = _Server(app, port)
        self._thread = threading.Thread(target=self._server.serve_forever, name="replica", daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def bytes_sent(self) -> int:
        """Response body bytes sent so far (what clients downloaded)."""
        return self._server.bytes_sent

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
