"""Fixtures for the House Clerk tests: the captured PDFs, the site replica, the environment."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from quant_pipelines.house.resource import HouseClerkResource
from quant_pipelines_tests.replica.house import HouseReplica
from quant_pipelines_tests.replica.house_documents import GeneratedFiling


@pytest.fixture(scope="session")
def house_pdfs(fixtures_dir: Path) -> dict[str, Path]:
    """Captured PTR PDFs by DocID."""
    return {
        path.name.split("_")[1]: path for path in sorted((fixtures_dir / "house" / "ptr_pdfs").glob("*.pdf"))
    }


@pytest.fixture
def replica(fixtures_dir: Path) -> Iterator[HouseReplica]:
    """The House Clerk replica, running on a free port for one test."""
    with HouseReplica(fixtures_dir) as site:
        yield site


@pytest.fixture
def site_with(
    fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch, warehouse_env: URL, tmp_path: Path
) -> Iterator[Callable[..., HouseReplica]]:
    """Start a replica also listing some generated filings, and point the settings at it and
    at the test database and a fresh state dir (HTTP cache)."""
    started: list[HouseReplica] = []

    def start(generated: Iterable[GeneratedFiling] = ()) -> HouseReplica:
        site = HouseReplica(fixtures_dir, generated)
        site.start()
        started.append(site)
        monkeypatch.setenv("HOUSE_CLERK_BASE_URL", site.base_url)
        monkeypatch.setenv("QUANT_STATE_DIR", str(tmp_path / "state"))
        monkeypatch.setenv("QUANT_REQUESTS_PER_SECOND", "500")
        return site

    yield start
    for site in started:
        site.stop()


@pytest.fixture
def house_env(site_with: Callable[..., HouseReplica]) -> HouseReplica:
    """The replica of the captured site, with the settings pointed at it."""
    return site_with()


@pytest.fixture
def house_clerk() -> HouseClerkResource:
    """The site resource with retry delays short enough for tests."""
    return HouseClerkResource(
        max_retries=2, backoff_seconds=0.01, max_backoff_seconds=0.05, timeout_seconds=10
    )
