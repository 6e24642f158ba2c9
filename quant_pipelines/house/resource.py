"""The House Clerk site as a Dagster resource: its client (``house/client.py``) set up from the settings."""

from __future__ import annotations

from quant_pipelines.house.client import HouseClerkClient
from quant_pipelines.settings import Settings
from quant_pipelines.sites.http import PoliteHttpClient
from quant_pipelines.sites.http_resource import PoliteHttpResource


class HouseClerkResource(PoliteHttpResource):
    """Polite HTTP access to the House Clerk site (HOUSE_CLERK_BASE_URL); one client per step."""

    def site_client(self, http: PoliteHttpClient, settings: Settings) -> HouseClerkClient:
        return HouseClerkClient(http, settings.house_clerk_base_url)

    @property
    def client(self) -> HouseClerkClient:
        return self.connected()
