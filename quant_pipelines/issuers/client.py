"""The SEC client: its base URL and the company ticker list the project reads there.

The SEC asks automated clients for a User-Agent naming them with a contact (set
QUANT_USER_AGENT) and at most 10 requests per second; the polite HTTP client underneath
(``sites/http.py``) sends ours, keeps to QUANT_REQUESTS_PER_SECOND and revalidates the list
with a conditional GET.
"""

from __future__ import annotations

from quant_pipelines.sites.http import Fetched, SiteClient

TICKERS_PATH = "/files/company_tickers.json"
SEC_MAX_REQUESTS_PER_SECOND = 10.0


class SecClient(SiteClient):
    """Requests to one SEC site root (SEC_BASE_URL)."""

    @property
    def tickers_url(self) -> str:
        """Where the company ticker list is published."""
        return self.base_url + TICKERS_PATH

    def company_tickers(self) -> Fetched:
        """The company ticker list (an unchanged one costs a 304 and comes from the cache)."""
        return self.http.get(self.tickers_url, conditional=True)
