"""The Chromium resource against the replica: gate, CSRF'd JSON listing, pages, every fault mode."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest

from quant_pipelines.senate.client import EfdSession
from quant_pipelines.senate.resource import SenateEfdBrowser
from quant_pipelines.sites.chromium import BrowserUnavailable
from quant_pipelines.sites.politeness import SiteBlocked
from quant_pipelines_tests.replica.senate import SenateReplica
from quant_pipelines_tests.senate.support import BACKOFF, pointed_at

pytestmark = pytest.mark.browser

JUNE = (date(2026, 6, 1), date(2026, 7, 1))
REPORT_DATA = ("POST", "/search/report/data/")


@pytest.fixture(scope="module")
def replica(fixtures_dir: Path) -> Iterator[SenateReplica]:
    with SenateReplica(fixtures_dir) as site:
        yield site


@pytest.fixture(scope="module")
def efd(replica: SenateReplica) -> Iterator[EfdSession]:
    """One Chromium session for the module."""
    with pointed_at(replica), SenateEfdBrowser(backoff_seconds=BACKOFF).session() as session:
        yield session


@pytest.fixture(autouse=True)
def _clean(replica: SenateReplica) -> None:
    replica.reset()


def test_one_listing_query_covers_the_window(efd: EfdSession, replica: SenateReplica) -> None:
    listing = efd.list_ptrs(*JUNE)
    assert len(listing.filings) == 12 and listing.pages == 1 and listing.blocked is None
    assert {f.source_id for f in listing.filings} == {e.uuid for e in replica.listed(*JUNE)}
    assert replica.counts[REPORT_DATA] == 1
    assert efd.driver.get_cookie("csrftoken") is not None


def test_pages_through_every_result(efd: EfdSession, replica: SenateReplica) -> None:
    efd.page_size = 5
    try:
        listing = efd.list_ptrs(*JUNE)
    finally:
        efd.page_size = 100
    assert listing.pages == 3 and replica.counts[REPORT_DATA] == 3
    assert len(listing.filings) == 12


def test_fetch_returns_the_bytes_the_site_sent(efd: EfdSession, fixtures_dir: Path) -> None:
    for path in sorted((fixtures_dir / "senate" / "efd_2026").glob("*_*_*.html")):
        if not path.name.startswith(("ptr_", "paper_")):
            continue
        kind = "paper" if path.name.startswith("paper_") else "ptr"
        (listed,) = [
            f for f in efd.list_ptrs(*JUNE).filings if f.source_id.startswith(path.name.split("_")[1])
        ]
        document = efd.fetch(listed.report_url)
        assert listed.report_url.endswith(f"/search/view/{kind}/{listed.source_id}/")
        assert hashlib.sha256(document.content).hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()


def test_reports_move_to_a_fresh_tab_in_batches_within_the_same_session(replica: SenateReplica) -> None:
    with pointed_at(replica), SenateEfdBrowser(backoff_seconds=BACKOFF).session() as efd:
        efd.documents_per_tab = 2
        urls = [filing.report_url for filing in efd.list_ptrs(*JUNE).filings[:5]]
        first_tab = efd.driver.current_window_handle
        replica.reset()
        contents = [efd.fetch(url).content for url in urls]
        assert all(contents) and efd.gates == 1  # the agreement carries over to each new tab
        assert efd.driver.window_handles == [efd.driver.current_window_handle] != [first_tab]
    # A new tab before the 3rd and the 5th report, each opening the search page once.
    assert replica.counts[("GET", "/search/")] == 2
    assert sum(replica.document_hits().values()) == 5


def test_expired_session_passes_the_gate_again_once(efd: EfdSession, replica: SenateReplica) -> None:
    url = efd.list_ptrs(*JUNE).filings[0].report_url
    gates = efd.gates
    replica.expire_sessions_after(0)
    assert efd.fetch(url).content
    assert efd.gates == gates + 1
    replica.expire_sessions_after(0)
    assert len(efd.list_ptrs(*JUNE).filings) == 12
    assert efd.gates == gates + 2


def test_a_short_503_burst_is_retried(efd: EfdSession, replica: SenateReplica) -> None:
    url = efd.list_ptrs(*JUNE).filings[0].report_url
    replica.fail_next(2)
    assert b"Periodic Transaction Report" in efd.fetch(url).content


def test_a_long_503_burst_blocks_with_the_reason(efd: EfdSession, replica: SenateReplica) -> None:
    url = efd.list_ptrs(*JUNE).filings[0].report_url
    replica.fail_next(10)
    with pytest.raises(SiteBlocked, match=r"HTTP 503 \(after 3 attempts\)"):
        efd.fetch(url)


def test_403_block_is_reported_as_blocked(efd: EfdSession, replica: SenateReplica) -> None:
    replica.block()
    with pytest.raises(SiteBlocked, match="HTTP 403, bot wall page 'Access Denied'"):
        efd.list_ptrs(*JUNE)


def test_bot_wall_page_is_reported_as_blocked(efd: EfdSession, replica: SenateReplica) -> None:
    url = efd.list_ptrs(*JUNE).filings[0].report_url
    replica.bot_wall()
    with pytest.raises(SiteBlocked, match="Request Rejected"):
        efd.fetch(url)


def test_block_after_the_first_listing_page_keeps_what_was_listed(
    efd: EfdSession, replica: SenateReplica
) -> None:
    efd.page_size = 5
    try:
        efd.list_ptrs(*JUNE)  # on the search page, so the next listing starts with its POST
        replica.reset()
        replica.fail_next(10, after=1)
        listing = efd.list_ptrs(*JUNE)
    finally:
        efd.page_size = 100
    assert listing.pages == 1 and len(listing.filings) == 5
    assert "HTTP 503" in listing.blocked


def test_requests_are_spaced_by_the_rate_limit(replica: SenateReplica) -> None:
    with (
        pointed_at(replica, requests_per_second="8"),
        SenateEfdBrowser(backoff_seconds=BACKOFF).session() as session,
    ):
        filings = session.list_ptrs(*JUNE).filings
        replica.reset()
        for filing in filings[:4]:
            session.fetch(filing.report_url)
    gaps = [later - earlier for earlier, later in pairwise(replica.arrivals)]
    # The limiter spaces the sends; each arrival lags its send by the browser's own latency, which
    # varies by tens of ms on a busy machine, so the span and each gap are held to the limit less
    # that jitter (unlimited, the four requests arrive within a few tens of ms of each other).
    assert len(gaps) == 3 and sum(gaps) >= 3 / 8 - 0.04 and min(gaps) >= 1 / 8 - 0.04


def test_the_driver_is_quit_when_the_body_fails(replica: SenateReplica) -> None:
    with pointed_at(replica), pytest.raises(RuntimeError, match="boom"):
        with SenateEfdBrowser().session() as session:
            process = session.driver.service.process
            raise RuntimeError("boom")
    assert process.wait(timeout=10) is not None


def test_missing_chromium_names_the_apt_packages(replica: SenateReplica, tmp_path: Path) -> None:
    with pointed_at(replica) as patch, pytest.raises(BrowserUnavailable, match="chromium chromium-driver"):
        patch.setenv("CHROMIUM_BINARY", str(tmp_path / "no-chromium"))
        with SenateEfdBrowser().session():
            pass
