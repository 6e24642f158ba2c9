"""Progress lines every ~10 s with rate and ETA, and network failures named for what they are."""

from __future__ import annotations

import logging

import pytest

from quant_pipelines.net_errors import network_problem
from quant_pipelines.progress import Progress


class Clock:
    """A clock the test moves by hand (no test here waits for real time)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_progress_reports_at_most_every_ten_seconds_with_rate_and_eta(caplog: pytest.LogCaptureFixture) -> None:
    clock, log = Clock(), logging.getLogger("progress-test")
    progress = Progress(log, clock=clock)
    with caplog.at_level(logging.INFO, logger="progress-test"):
        progress.listing(120, "2026-06-03..2026-06-04")
        for _ in range(8):
            progress.count("archived")
        for _ in range(19):  # 19 fetched in 9.5 s: no line yet
            clock.now += 0.5
            progress.count("fetched")
        assert [r.getMessage() for r in caplog.records] == ["120 documents listed for 2026-06-03..2026-06-04"]
        clock.now += 0.5
        progress.count("fetched")  # 20 fetched in 10 s: 2/s; 92 left
        clock.now += 0.5
        progress.count("failed")
    assert [r.getMessage() for r in caplog.records][1:] == [
        "28/120 documents, fetched 20, already archived 8, failed 0; 2.0 fetched/s, ETA 46 s"
    ]
    assert progress.line() == "29/120 documents, fetched 20, already archived 8, failed 1; 1.9 fetched/s, ETA 48 s"


@pytest.mark.parametrize(
    ("reason", "named"),
    [
        ("browser error: unknown error: net::ERR_NAME_NOT_RESOLVED", "DNS: the host name does not resolve"),
        ("browser error: unknown error: net::ERR_CONNECTION_REFUSED", "connection refused"),
        ("ConnectionError: HTTPConnectionPool(host='x', port=80): Max retries exceeded (Caused by "
         "NameResolutionError(\"Failed to resolve 'x'\"))", "DNS: the host name does not resolve"),
        ("ConnectionError: ... [Errno 111] Connection refused", "connection refused"),
        ("ReadTimeout: HTTPSConnectionPool(host='x', port=443): Read timed out. (read timeout=60)", "timeout"),
        ("HTTP 403 Forbidden after 5 attempt(s)", None),
        ("bot wall: Access Denied (after 3 attempts)", None),
        ("HTTP 503 Service Unavailable after 5 attempt(s)", None),
    ],
)
def test_network_failures_are_named_and_refusals_are_not_network_failures(reason: str, named: str | None) -> None:
    assert network_problem(reason) == named
