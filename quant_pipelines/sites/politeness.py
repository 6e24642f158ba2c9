"""What both site clients share: a per-site rate limit, our User-Agent and the site errors."""

from __future__ import annotations

import threading
import time

from quant_pipelines import __version__

USER_AGENT = (
    f"quant-pipelines/{__version__} (research collector of U.S. Congress periodic transaction "
    "reports; set QUANT_USER_AGENT to add a contact)"
)


class SiteBlocked(RuntimeError):
    """The site refused us (HTTP 403/503 after retries, a bot wall); ledger status ``blocked``."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class ListingUnavailable(RuntimeError):
    """A listing the window needs could not be fetched or read; nothing can be recorded."""


class RateLimiter:
    """Spaces calls at least ``1 / requests_per_second`` apart (thread-safe, monotonic clock)."""

    def __init__(self, requests_per_second: float) -> None:
        if requests_per_second <= 0:
            raise ValueError("requests_per_second must be positive")
        self.interval = 1.0 / requests_per_second
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> float:
        """Block until the next request may go out; return the seconds slept.

        The next slot is counted from when this call returns, not from when it was due, so a
        sleep that overruns never shortens the following gap; waiting callers queue on the lock.
        """
        with self._lock:
            delay = max(0.0, self._next - time.monotonic())
            if delay:
                time.sleep(delay)
            self._next = time.monotonic() + self.interval
        return delay
