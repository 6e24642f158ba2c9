"""The SEC site as a Dagster resource: its client (``issuers/client.py``) set up from the settings."""

from __future__ import annotations

from quant_pipelines.issuers.client import SEC_MAX_REQUESTS_PER_SECOND, SecClient
from quant_pipelines.settings import Settings
from quant_pipelines.sites.http import PoliteHttpClient
from quant_pipelines.sites.http_resource import PoliteHttpResource


class SecResource(PoliteHttpResource):
    """Polite HTTP access to the SEC (SEC_BASE_URL), never faster than the SEC's 10 requests/s."""

    timeout_seconds: float = 120.0

    def site_client(self, http: PoliteHttpClient, settings: Settings) -> SecClient:
        return SecClient(http, settings.sec_base_url)

    def requests_per_second(self, settings: Settings) -> float:
        return min(settings.requests_per_second, SEC_MAX_REQUESTS_PER_SECOND)

    @property
    def client(self) -> SecClient:
        return self.connected()
