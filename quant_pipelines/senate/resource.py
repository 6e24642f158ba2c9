"""The Senate eFD site as a Dagster resource: one polite headless Chromium session per step.

``SenateEfdBrowser.session()`` starts Chromium (``sites/chromium.py``) and yields the eFD
client (``senate/client.py``) on it, and always quits the driver, also when the body fails.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
from pydantic import Field

from quant_pipelines.senate.client import EfdSession
from quant_pipelines.settings import load_settings
from quant_pipelines.sites.chromium import chromium
from quant_pipelines.sites.polite_browser import MAX_DOCUMENT_BYTES, PoliteBrowser, Politeness
from quant_pipelines.sites.politeness import RateLimiter


class SenateEfdBrowser(dg.ConfigurableResource):
    """One headless Chromium session on Senate eFD (SENATE_EFD_BASE_URL), polite and rate limited."""

    page_load_timeout_seconds: float = Field(
        default=60.0, gt=0, description="per navigation and in-page request"
    )
    max_attempts: int = Field(
        default=3, ge=1, description="tries per request before the site counts as blocking us"
    )
    backoff_seconds: float = Field(default=5.0, ge=0, description="first retry delay, doubled per attempt")
    max_document_bytes: int = Field(
        default=MAX_DOCUMENT_BYTES, gt=0, description="a report page or listing larger than this is refused"
    )
    page_size: int = Field(
        default=100, ge=1, le=100, description="report-data rows per listing request (site max 100)"
    )

    @contextmanager
    def session(self, log: logging.Logger | None = None) -> Iterator[EfdSession]:
        """Start Chromium, yield an :class:`EfdSession` on the site, always quit the driver."""
        settings = load_settings()
        politeness = Politeness(
            limiter=RateLimiter(settings.requests_per_second),
            max_attempts=self.max_attempts,
            backoff_seconds=self.backoff_seconds,
        )
        log = log or logging.getLogger(__name__)
        with chromium(settings, page_load_timeout=self.page_load_timeout_seconds) as driver:
            yield EfdSession(
                PoliteBrowser(driver, politeness, log, self.max_document_bytes),
                settings.senate_efd_base_url,
                page_size=self.page_size,
                log=log,
                media_base_url=settings.senate_media_root,
            )
