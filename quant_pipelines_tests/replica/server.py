"""A threaded HTTP server on 127.0.0.1 (a free port) that answers through one routing function."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Reply:
    """An HTTP answer; ``cut_after`` sends only that many body bytes, then drops the connection."""

    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    cut_after: int | None = None


Route = Callable[[str, str, Mapping[str, str]], Reply]


class ReplicaServer:
    """Serves ``route(method, path, headers)`` in a background thread until :meth:`stop`."""

    def __init__(self, route: Route, port: int = 0) -> None:
        self._route = route
        self._port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the replica server is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> str:
        """Listen on 127.0.0.1 (a free port unless one was given); return the base URL."""
        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), _handler(self._route))
        self._server.daemon_threads = True
        # A short poll keeps stop() quick; the server thread is idle between requests anyway.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="replica-http",
            daemon=True,
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None


def _handler(route: Route) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            self._answer(route("GET", self.path, dict(self.headers.items())), send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(route("HEAD", self.path, dict(self.headers.items())), send_body=False)

        def _answer(self, reply: Reply, *, send_body: bool) -> None:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if send_body:
                self.wfile.write(reply.body if reply.cut_after is None else reply.body[: reply.cut_after])
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass  # tests read the replica's own request log instead

    return Handler
