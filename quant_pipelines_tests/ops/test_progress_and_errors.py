"""Progress lines every ~10 s with rate and ETA, and network failures named for what they are."""

from __future__ import annotations

import logging
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy.engine import URL

from quant_pipelines.senate.assets import senate_filings
from quant_pipelines.senate.resource import SenateEfdBrowser
from quant_pipelines.sites.http import FetchFailed, PoliteHttpClient
from quant_pipelines.sites.net_errors import network_problem
from quant_pipelines.sites.progress import Progress
from quant_pipelines.warehouse.resource import WarehouseResource
from quant_pipelines_tests.replica.house import HouseReplica
from quant_pipelines_tests.services import free_port


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


@pytest.mark.browser
@pytest.mark.parametrize(
    ("base_url", "named"),
    [("http://no-such-host.invalid", "DNS: the host name does not resolve"), (None, "connection refused")],
)
def test_an_unreachable_senate_site_is_named_not_called_a_refusal(
    warehouse_env: URL, monkeypatch: pytest.MonkeyPatch, base_url: str | None, named: str
) -> None:
    monkeypatch.setenv("SENATE_EFD_BASE_URL", base_url or f"http://127.0.0.1:{free_port()}")
    context = dg.build_asset_context(partition_key="2026-06-16")
    with pytest.raises(dg.Failure) as failure:
        senate_filings(context, senate_efd=SenateEfdBrowser(max_attempts=1), warehouse=WarehouseResource())
    assert failure.value.description.startswith(
        f"Senate eFD could not be reached for the listing of 2026-06-16..2026-06-16 ({named}), nothing recorded: "
    )


def test_http_retries_are_announced_with_count_delay_and_named_reason(
    fixtures_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client = PoliteHttpClient(
        user_agent="quant-pipelines-tests (contact: tests@example.org)", requests_per_second=500,
        max_retries=2, backoff_seconds=0.01, max_backoff_seconds=0.05, timeout_seconds=10,
    )
    closed = f"http://127.0.0.1:{free_port()}/public_disc/ptr-pdfs/2026/20034836.pdf"
    with HouseReplica(fixtures_dir) as house, caplog.at_level(logging.WARNING, logger="quant_pipelines.sites.http"):
        house.fail(503, times=1, retry_after="0")
        url = house.base_url + "/public_disc/ptr-pdfs/2026/20034836.pdf"
        assert client.get(url).content.startswith(b"%PDF")
        with pytest.raises(FetchFailed):
            client.get(closed)
    client.close()
    messages = [record.getMessage() for record in caplog.records]
    assert messages[0] == f"retry 1/2 in 0 s: HTTP 503 Service Unavailable ({url})"
    assert [m.split(": ConnectionError")[0] for m in messages[1:]] == [
        "retry 1/2 in 0 s: connection refused", "retry 2/2 in 0 s: connection refused"
    ]
    assert all(m.endswith(f"({closed})") for m in messages[1:])


def test_a_named_failure_passed_on_keeps_its_name() -> None:
    passed_on = "the 2026 index could not be fetched: connection refused: ConnectionError: HTTPConnectionPool(...)"
    assert network_problem(passed_on) == "connection refused"
