"""The congress-legislators site client: its base URL and the two files the project reads there.

The files are published (CC0) by the unitedstates/congress-legislators project; the polite
HTTP client underneath (``sites/http.py``) rate limits, identifies us, retries and revalidates
each file with a conditional GET, so an unchanged file costs a 304.
"""

from __future__ import annotations

from quant_pipelines.sites.http import Fetched, SiteClient

CURRENT_PATH = "/legislators-current.yaml"
HISTORICAL_PATH = "/legislators-historical.yaml"
FILES = (CURRENT_PATH, HISTORICAL_PATH)


class LegislatorsClient(SiteClient):
    """Requests to one congress-legislators site root (LEGISLATORS_BASE_URL)."""

    def url(self, path: str) -> str:
        """Where the file at ``path`` (one of FILES) is published."""
        return self.base_url + path

    def file(self, path: str) -> Fetched:
        """One legislators file (an unchanged one costs a 304 and comes from the cache)."""
        return self.http.get(self.url(path), conditional=True)
