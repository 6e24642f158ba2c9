"""The House Clerk site as a Dagster resource: its client (``house/client.py``) set up from the settings."""

from __future__ import annotations

import dagster as dg
from pydantic import PrivateAttr

from quant_pipelines.house.client import HouseClerkClient
from quant_pipelines.settings import SettingsError, load_settings
from quant_pipelines.sites.http import MAX_RESPONSE_BYTES, REQUEST_DEADLINE_SECONDS, PoliteHttpClient
from quant_pipelines.sites.http_cache import ConditionalCache
from quant_pipelines.sites.politeness import USER_AGENT


class HouseClerkResource(dg.ConfigurableResource):
    """Polite HTTP access to the House Clerk site (HOUSE_CLERK_BASE_URL); one client per step."""

    max_retries: int = 4
    backoff_seconds: float = 2.0
    max_backoff_seconds: float = 120.0
    timeout_seconds: float = 60.0
    max_response_bytes: int = MAX_RESPONSE_BYTES
    request_deadline_seconds: float = REQUEST_DEADLINE_SECONDS
    _client: HouseClerkClient | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        try:
            settings = load_settings()
        except SettingsError as exc:
            raise dg.Failure(description=str(exc), allow_retries=False) from exc
        http = PoliteHttpClient(
            user_agent=settings.user_agent or USER_AGENT,
            requests_per_second=settings.requests_per_second,
            cache=ConditionalCache(settings.state_dir / "http-cache"),
            max_retries=self.max_retries,
            backoff_seconds=self.backoff_seconds,
            max_backoff_seconds=self.max_backoff_seconds,
            timeout_seconds=self.timeout_seconds,
            max_response_bytes=self.max_response_bytes,
            deadline_seconds=self.request_deadline_seconds,
        )
        self._client = HouseClerkClient(http, settings.house_clerk_base_url)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def client(self) -> HouseClerkClient:
        if self._client is None:
            raise RuntimeError("HouseClerkResource used outside of a run (setup_for_execution not called)")
        return self._client
