"""Scanned House pages: how many the reader finds a PTR's ruled grid on, this reader vs an earlier one.

Usage: python bench/ocr_layouts.py [--before REV]

No OCR: every page of the 51 scanned filings in ``../shared/fixtures/house/ptr_pdfs_more``
(721 pages) is rendered and its grid looked for, as the reader does before it reads a cell. A
page whose grid is not a PTR layout gives no row at all, whatever the print; a later sheet
taken for the 2012 form (ten amount columns, A-J, because a column rule was missed) has its A read
as the 2012 form's $1,000-$15,000 and any tick right of the missed rule a letter off. The reader at git revision
``--before`` runs the same pages in a child process from a temporary worktree.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date

from common import ROOT, machine_info, report, this_and_before
from tabulate import tabulate

SCANNED = ROOT.parent / "shared" / "fixtures" / "house" / "ptr_pdfs_more"
LAST_A_TO_J = 2016  # the last year a filing may be on the 2012 form (A-J)


def _layout_of(scanned, image, filed: date):  # noqa: ANN001, ANN202 - either reader's module
    """The page's (grid, layout) by the reader's own search; readers before ``page_layout`` tried two."""
    if hasattr(scanned, "page_layout"):
        return scanned.page_layout(image, filed)
    from quant_pipelines.ocr.grid import upright, upright_grid

    turned, grid, layout = upright(image), None, None
    for loose in (False, True):
        found = upright_grid(turned, loose=loose)
        if found is not None:
            grid, layout = found, scanned._layout(found)
            if layout is not None:
                break
    return grid, layout


def run() -> dict:
    """Every page's outcome: a PTR layout (A-K, or A-J and when), a grid that is not one, or no grid."""
    import numpy as np
    import pypdfium2 as pdfium

    from quant_pipelines.house.documents import scanned

    counts: Counter[str] = Counter()
    started = time.perf_counter()
    for path in sorted(SCANNED.glob("*_scanned.pdf")):
        year = int(path.name[:4])
        with pdfium.PdfDocument(path.read_bytes()) as document:
            for page in document:
                image = np.array(page.render(scale=scanned.DPI / 72, grayscale=True).to_pil().convert("L"))
                grid, layout = _layout_of(scanned, image, date(year, 12, 31))
                counts["pages"] += 1
                if grid is None:
                    counts["no grid"] += 1
                elif layout is None:
                    counts["not a PTR layout"] += 1
                elif not layout.form_2012:
                    counts["A-K"] += 1
                else:
                    counts["A-J after 2016" if year > LAST_A_TO_J else "A-J"] += 1
    return {"counts": dict(counts), "seconds": time.perf_counter() - started}


def main() -> None:
    """Run this reader and the one at ``--before`` in child processes and write the table."""
    compared = this_and_before(__file__, run, "499cded")
    if compared is None:
        return
    now, before, revision = compared
    kinds = ["A-K", "A-J", "A-J after 2016", "not a PTR layout", "no grid"]
    rows = []
    for name, result in (("this reader", now), (f"before ({revision})", before)):
        counts = result["counts"]
        ptr = sum(counts.get(kind, 0) for kind in kinds[:3])
        rows.append([name, counts["pages"], ptr, *(counts.get(kind, 0) for kind in kinds),
                     f"{result['seconds'] / counts['pages']:.2f}"])
    headers = ["reader", "pages", "PTR grid found", "A-K sheet or form", "2012 form (A-J)",
               "A-J on a later filing", "grid, not a PTR layout", "no grid", "s/page"]
    notes = [
        "A-J on a later filing: a filing after 2016 (the form has had column K since about 2015) whose page was "
        "taken for the 2012 form because a column rule was missed; an A ticked there is read as the 2012 form's "
        "$1,000-$15,000, and a tick right of the missed rule a letter off.",
        "s/page: render and grid search only, no OCR.",
    ]
    report("ocr_layouts", "Scanned House pages: which the reader finds a PTR grid on", machine_info(),
           tabulate(rows, headers, tablefmt="github"), notes)


if __name__ == "__main__":
    main()
