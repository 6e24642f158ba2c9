"""What every site reached over plain HTTP shares as a Dagster resource: the polite client
(``sites/http.py``) built from the settings for each step and closed after it. Each source's
resource (House Clerk, congress-legislators, SEC) names only its client and site root."""

from __future__ import annotations

from typing import Any

import dagster as dg
from pydantic import PrivateAttr

from quant_pipelines.settings import Settings, SettingsError, load_settings
from quant_pipelines.sites.http import MAX_RESPONSE_BYTES, REQUEST_DEADLINE_SECONDS, PoliteHttpClient
from quant_pipelines.sites.http_cache import ConditionalCache
from quant_pipelines.sites.politeness import USER_AGENT


class PoliteHttpResource(dg.ConfigurableResource):
    """Retries, timeouts and the response cap of one site's polite HTTP client; one client per step."""

    max_retries: int = 4
    backoff_seconds: float = 2.0
    max_backoff_seconds: float = 120.0
    timeout_seconds: float = 60.0
    max_response_bytes: int = MAX_RESPONSE_BYTES
    request_deadline_seconds: float = REQUEST_DEADLINE_SECONDS
    _client: Any = PrivateAttr(default=None)

    def site_client(self, http: PoliteHttpClient, settings: Settings) -> Any:
        """The source's client over ``http`` (it owns the site root and paths)."""
        raise NotImplementedError(f"{type(self).__name__} names no site client")

    def requests_per_second(self, settings: Settings) -> float:
        """The politeness limit for this site (QUANT_REQUESTS_PER_SECOND unless the site asks less)."""
        return settings.requests_per_second

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        try:
            settings = load_settings()
        except SettingsError as exc:
            raise dg.Failure(description=str(exc), allow_retries=False) from exc
        http = PoliteHttpClient(
            user_agent=settings.user_agent or USER_AGENT,
            requests_per_second=self.requests_per_second(settings),
            cache=ConditionalCache(settings.state_dir / "http-cache"),
            max_retries=self.max_retries,
            backoff_seconds=self.backoff_seconds,
            max_backoff_seconds=self.max_backoff_seconds,
            timeout_seconds=self.timeout_seconds,
            max_response_bytes=self.max_response_bytes,
            deadline_seconds=self.request_deadline_seconds,
        )
        if context.log is not None:
            http.log = context.log  # retries are announced in the run's log
        self._client = self.site_client(http, settings)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def connected(self) -> Any:
        """The step's client; RuntimeError outside of a run."""
        if self._client is None:
            raise RuntimeError(f"{type(self).__name__} used outside of a run (setup_for_execution not called)")
        return self._client
