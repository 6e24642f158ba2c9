"""A total deadline for one HTTP request made with requests (connect, headers and body together).

requests' ``timeout`` bounds each socket read, so a server that drips a byte now and then can
hold a request for ever. :class:`DeadlineAdapter` makes the session's connections known to the
:class:`Deadline` active in the calling thread; when the deadline passes, a timer shuts the
connection's socket down, the blocked read fails at once, and ``Deadline.expired`` tells that
failure from a network error.
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_active = threading.local()


class Deadline:
    """``with Deadline(seconds):`` around a request and the reading of its body."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._connection: HTTPConnection | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        _active.deadline = self
        self._timer.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._timer.cancel()
        _active.deadline = None

    def attach(self, connection: HTTPConnection) -> None:
        """The connection the request is using (cut at once if the deadline already passed)."""
        with self._lock:
            self._connection = connection
            if self.expired:
                _cut(connection)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._connection is not None:
                _cut(self._connection)


def _cut(connection: HTTPConnection) -> None:
    sock = getattr(connection, "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed


class _Watched:
    """Registers the connection with the calling thread's deadline before each request on it."""

    def request(self, *args: Any, **kwargs: Any) -> None:
        deadline = getattr(_active, "deadline", None)
        if deadline is not None:
            deadline.attach(self)  # type: ignore[arg-type]
        super().request(*args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """Mount on a requests.Session (``http://`` and ``https://``) so :class:`Deadline` can cut its requests."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
