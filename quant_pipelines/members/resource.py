"""The congress-legislators site as a Dagster resource: its client (``members/client.py``) set up
from the settings, like the House Clerk's."""

from __future__ import annotations

from quant_pipelines.members.client import LegislatorsClient
from quant_pipelines.settings import Settings
from quant_pipelines.sites.http import PoliteHttpClient
from quant_pipelines.sites.http_resource import PoliteHttpResource


class LegislatorsResource(PoliteHttpResource):
    """Polite HTTP access to the congress-legislators files (LEGISLATORS_BASE_URL); one client per step."""

    timeout_seconds: float = 120.0

    def site_client(self, http: PoliteHttpClient, settings: Settings) -> LegislatorsClient:
        return LegislatorsClient(http, settings.legislators_base_url)

    @property
    def client(self) -> LegislatorsClient:
        return self.connected()
