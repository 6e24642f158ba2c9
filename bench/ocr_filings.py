"""Scanned House filings, whole: how many yield at least one accepted row, this reader vs an earlier one.

Usage: python bench/ocr_filings.py [--before REV]

The gold set (bench/ocr.py) scores a page or two of 20 documents; a filing is more: a cover
form saying "see attached", then continuation sheets. Here every scanned PDF in
``../shared/fixtures/house/ptr_pdfs_more`` (51, 721 pages) is read page by page (two pages at
a time, as the reader's workers take them) until a page gives an accepted row; a filing with
none is read to its last page. Each is read as the pipeline reads it, with its filing date: the
last day of the year of its received stamp (the file name's year; the reader needs the year: a
later sheet is no 2012 form, no date is after the filing). The same is done, in a child process, by the reader at git
revision ``--before`` (checked out in a temporary worktree), so the two are compared on the
same filings and machine. Pages read and CPU seconds per page cover the pages each reader read.
"""

from __future__ import annotations

import os
import resource
import time
from datetime import date

from common import ROOT, machine_info, report, this_and_before
from tabulate import tabulate

SCANNED = ROOT.parent / "shared" / "fixtures" / "house" / "ptr_pdfs_more"
ERAS = ((2012, 2015, "2012-2015 (paper form)"), (2016, 2019, "2017-2019"), (2020, 2022, "2020-2022"),
        (2023, 2026, "2023-2025"))


def run() -> dict:
    """Read every scanned filing until its first accepted row; per filing: year, pages, pages read, yielded."""
    import pypdfium2 as pdfium

    from quant_pipelines.house.documents import scanned

    filings = []
    cpu_started = time.process_time()
    started = time.perf_counter()
    for path in sorted(SCANNED.glob("*_scanned.pdf")):
        content = path.read_bytes()
        with pdfium.PdfDocument(content) as document:
            count = len(document)
        read, yielded = 0, False
        while read < count and not yielded:
            pages = set(range(read + 1, min(read + 2, count) + 1))
            found = scanned.read_scanned(content, filed=date(int(path.name[:4]), 12, 31), pages=pages)
            read += len(pages)
            yielded = any(row.accepted for row in found.rows)
        filings.append({"file": path.name, "year": int(path.name[:4]), "pages": count, "read": read, "yielded": yielded})
    return {
        "filings": filings,
        "cpu_seconds": time.process_time() - cpu_started,
        "seconds": time.perf_counter() - started,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "version": scanned.parser_version(),
    }


def _rows(name: str, result: dict) -> list[list]:
    rows = []
    for low, high, label in ERAS:
        group = [f for f in result["filings"] if low <= f["year"] <= high]
        rows.append([name, label, f"{sum(f['yielded'] for f in group)} / {len(group)}",
                     sum(f["read"] for f in group), "", "", ""])
    filings, read = result["filings"], sum(f["read"] for f in result["filings"])
    rows.append([name, "all", f"{sum(f['yielded'] for f in filings)} / {len(filings)}", read,
                 f"{result['seconds'] / read:.2f}", f"{result['cpu_seconds'] / read:.2f}", f"{result['peak_rss_mib']:.0f}"])
    return rows


def main() -> None:
    """Run this reader and the one at ``--before`` in child processes and write the table."""
    load_before = os.getloadavg()[0]
    compared = this_and_before(__file__, run, "499cded")
    if compared is None:
        return
    now, before, revision = compared
    rows = _rows("this reader", now) + _rows(f"before ({revision})", before)
    headers = ["reader", "filings", "with an accepted row", "pages read", "s/page", "CPU s/page", "peak RSS MiB"]
    silent = [f["file"] for f in now["filings"] if not f["yielded"]]
    notes = [
        f"This reader: {now['version']}; before: {before['version']}.",
        f"Load average (1 min) {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end on 2 cores.",
        "A filing is read until a page gives an accepted row, two pages at a time; one with none is read whole.",
        "Filings with no accepted row (this reader): " + ", ".join(silent) + ".",
    ]
    report("ocr_filings", "Scanned House filings, whole: which yield an accepted row", machine_info(),
           tabulate(rows, headers, tablefmt="github"), notes)


if __name__ == "__main__":
    main()
