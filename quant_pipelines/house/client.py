"""The House Clerk site client: the base URL and every path the project reads on it.

Like the Senate client (``senate/client.py``), it owns its site root and URL paths; the
polite HTTP client underneath (``sites/http.py``) rate limits, identifies us, retries and
revalidates the yearly indexes with conditional GETs.
"""

from __future__ import annotations

from quant_pipelines.sites.http import Fetched, SiteClient

INDEX_PATH = "/public_disc/financial-pdfs/{year}FD.zip"
PTR_PATH = "/public_disc/ptr-pdfs/{year}/{doc_id}.pdf"


class HouseClerkClient(SiteClient):
    """Requests to one House Clerk site root (HOUSE_CLERK_BASE_URL)."""

    def index_url(self, year: int) -> str:
        """Where the yearly financial-disclosure index of ``year`` is published."""
        return self.base_url + INDEX_PATH.format(year=year)

    def ptr_url(self, year: int, doc_id: str) -> str:
        """Where the PTR PDF ``doc_id`` listed in the ``year`` index is published."""
        return self.base_url + PTR_PATH.format(year=year, doc_id=doc_id)

    def index(self, year: int) -> Fetched:
        """The ``year`` index (an unchanged one costs a 304 and comes from the cache)."""
        return self.http.get(self.index_url(year), conditional=True)

    def document(self, url: str) -> Fetched:
        """A PTR PDF at ``url``."""
        return self.http.get(url)
