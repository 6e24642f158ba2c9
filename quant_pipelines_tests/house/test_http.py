"""The polite HTTP client against the House replica: real sockets, real faults."""

from __future__ import annotations

from pathlib import Path

import pytest

from quant_pipelines.sites.http import FetchFailed, NotFound, PoliteHttpClient
from quant_pipelines.sites.http_cache import ConditionalCache
from quant_pipelines.sites.politeness import SiteBlocked
from quant_pipelines_tests.replica.house import HouseReplica

INDEX = "/public_disc/financial-pdfs/2026FD.zip"
PDF = "/public_disc/ptr-pdfs/2026/20034836.pdf"
AGENT = "quant-pipelines-tests (contact: tests@example.org)"


@pytest.fixture
def client(tmp_path: Path) -> PoliteHttpClient:
    client = PoliteHttpClient(
        user_agent=AGENT,
        requests_per_second=500,
        cache=ConditionalCache(tmp_path / "http-cache"),
        max_retries=3,
        backoff_seconds=0.01,
        max_backoff_seconds=0.05,
        timeout_seconds=10,
    )
    yield client
    client.close()


def test_document_and_user_agent(client: PoliteHttpClient, replica: HouseReplica, house_pdfs) -> None:
    fetched = client.get(replica.base_url + PDF)
    assert fetched.content == house_pdfs["20034836"].read_bytes()
    assert fetched.media_type == "application/pdf" and not fetched.from_cache
    assert replica.user_agents == {AGENT}
    assert client.stats.as_dict() == {
        "requests": 1,
        "bytes_downloaded": len(fetched.content),
        "not_modified": 0,
        "retries": 0,
    }


def test_unchanged_index_is_not_downloaded_again(
    client: PoliteHttpClient, replica: HouseReplica, tmp_path: Path
) -> None:
    first = client.get(replica.base_url + INDEX, conditional=True)
    downloaded = client.stats.bytes_downloaded
    again = client.get(replica.base_url + INDEX, conditional=True)
    assert again.from_cache and again.content == first.content
    assert client.stats.not_modified == 1 and client.stats.bytes_downloaded == downloaded
    # a fresh client (next run) revalidates from the cache on disk
    later = PoliteHttpClient(
        user_agent=AGENT, requests_per_second=500, cache=ConditionalCache(tmp_path / "http-cache")
    )
    assert later.get(replica.base_url + INDEX, conditional=True).from_cache
    assert later.stats.bytes_downloaded == 0
    later.close()


def test_damaged_cache_means_a_full_download(
    client: PoliteHttpClient, replica: HouseReplica, tmp_path: Path
) -> None:
    first = client.get(replica.base_url + INDEX, conditional=True)
    for body in (tmp_path / "http-cache").glob("*.body"):
        body.write_bytes(b"torn")
    again = client.get(replica.base_url + INDEX, conditional=True)
    assert not again.from_cache and again.content == first.content
    assert client.stats.not_modified == 0


def test_503_burst_is_retried(client: PoliteHttpClient, replica: HouseReplica) -> None:
    replica.fail(503, times=2, retry_after="0")
    assert client.get(replica.base_url + PDF).content.startswith(b"%PDF")
    assert replica.requests[PDF] == 3 and client.stats.retries == 2


@pytest.mark.parametrize("status", [403, 429, 503])
def test_persistent_refusal_is_site_blocked(
    client: PoliteHttpClient, replica: HouseReplica, status: int
) -> None:
    replica.fail(status, times=10)
    with pytest.raises(SiteBlocked, match=f"HTTP {status} .* after 4 attempt"):
        client.get(replica.base_url + PDF)
    assert replica.requests[PDF] == 4


def test_server_errors_that_persist_fail_the_fetch(client: PoliteHttpClient, replica: HouseReplica) -> None:
    replica.fail(500, times=10)
    with pytest.raises(FetchFailed, match="HTTP 500"):
        client.get(replica.base_url + PDF)


def test_missing_document(client: PoliteHttpClient, replica: HouseReplica) -> None:
    replica.remove(2026, "20034836")
    with pytest.raises(NotFound, match="HTTP 404"):
        client.get(replica.base_url + PDF)
    assert replica.requests[PDF] == 1  # a 404 is an answer, not a reason to retry


def test_cut_download_is_retried(client: PoliteHttpClient, replica: HouseReplica, house_pdfs) -> None:
    replica.cut(PDF, times=2)
    assert client.get(replica.base_url + PDF).content == house_pdfs["20034836"].read_bytes()
    assert replica.requests[PDF] == 3


def test_download_cut_every_time_fails_with_the_reason(
    client: PoliteHttpClient, replica: HouseReplica
) -> None:
    replica.cut(PDF, times=10)
    with pytest.raises(FetchFailed, match="truncated download"):
        client.get(replica.base_url + PDF)


def test_html_in_place_of_a_document_is_a_bot_wall(client: PoliteHttpClient, replica: HouseReplica) -> None:
    with pytest.raises(SiteBlocked, match="HTML page"):
        client.get(replica.base_url + "/FinancialDisclosure")


@pytest.mark.timeout(60)  # generous: two 1-second deadlines; without one the drip would take days
def test_a_slow_drip_is_cut_at_the_request_deadline(tmp_path: Path, replica: HouseReplica) -> None:
    replica.drip(PDF, seconds_per_byte=0.05)  # each read gets a byte well inside the 10 s read timeout
    client = PoliteHttpClient(
        user_agent=AGENT, requests_per_second=500, max_retries=1, backoff_seconds=0.01,
        timeout_seconds=10, deadline_seconds=1,
    )
    try:
        with pytest.raises(FetchFailed, match=r"no complete answer within the 1-second deadline \(cut\) after 2"):
            client.get(replica.base_url + PDF)
    finally:
        client.close()
    assert replica.requests[PDF] == 2
