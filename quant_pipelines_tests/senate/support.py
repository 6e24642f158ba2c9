"""Shared pieces of the Senate tests: the replica served for a module, the env pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from quant_pipelines.senate.resource import SenateEfdBrowser
from quant_pipelines_tests.materialize import run_resources
from quant_pipelines_tests.replica.senate import SenateReplica

# Fast enough for tests, still through the rate limiter; retries without real waiting.
FAST_RATE = "200"
BACKOFF = 0.01


@contextmanager
def pointed_at(replica: SenateReplica, requests_per_second: str = FAST_RATE) -> Iterator[pytest.MonkeyPatch]:
    """Set SENATE_EFD_BASE_URL (the only difference from the live site) and the rate."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SENATE_EFD_BASE_URL", replica.base_url)
        patch.setenv("QUANT_REQUESTS_PER_SECOND", requests_per_second)
        yield patch


def senate_run_resources() -> dict:
    """Resources for materializing the Senate assets in process against the pointed-at replica."""
    return run_resources(senate_efd=SenateEfdBrowser(backoff_seconds=BACKOFF))
