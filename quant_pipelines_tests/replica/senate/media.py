"""The eFD media host's paper page images, served by the replica at the real paths.

The real view page of Blumenthal's paper filing (SITE_NOTES 1.5) lists seven GIFs,
``/media/2026/2/000/000/000000112.gif`` to ``...118.gif``. Two were captured (the cover letter
and the form's first page, ``senate/paper_images/``); they are served at their real paths. The
other five, and every image of a generated paper filing, were never captured: those paths answer
404, as the media host does for an image it does not have, and never a made-up page.
"""

from __future__ import annotations

from pathlib import Path

from quant_pipelines_tests.replica.senate import pages
from quant_pipelines_tests.replica.server import Response

PREFIX = "/media/"
# Real path -> captured file name, from the view page's <img class="filingImage"> sources.
CAPTURED = {
    "/media/2026/2/000/000/000000112.gif": "paper_a0d25e8f_blumenthal_coverletter_000000112.gif",
    "/media/2026/2/000/000/000000113.gif": "paper_a0d25e8f_blumenthal_formpage1_000000113.gif",
}


class PaperImages:
    """The captured page images by real path; anything else under /media/ is 404."""

    def __init__(self, fixtures_dir: Path) -> None:
        folder = fixtures_dir / "senate" / "paper_images"
        self.images = {path: (folder / name).read_bytes() for path, name in CAPTURED.items()}
        self.replaced: dict[str, bytes] = {}

    def answer(self, path: str, method: str) -> Response:
        """The image at ``path`` (GET only), or the site's 404 page."""
        image = self.replaced.get(path, self.images.get(path))
        if method != "GET" or not path.startswith(PREFIX) or image is None:
            return Response(404, pages.NOT_FOUND)
        return Response(200, image, content_type="image/gif")
