"""Cost of hostile inputs (issue 15 items 1, 3, 4, 5; issue 14: OCR pages): peak memory, requests, seconds.

Each probe runs in a fresh Python process (peak RSS is that process's own, ``ru_maxrss``):

- bzip2 zip bomb: a ~500-byte FD.zip whose bzip2 member inflates to 400 MiB, read by safezip;
- endless listing: the eFD replica answers every report-data page with the same row and
  recordsTotal = 10^9; ``EfdSession.list_ptrs`` through real Chromium, stopped by blocking the
  replica after ``--listing-seconds`` if it has not stopped by itself;
- listing cells: a link cell of 30 KB and 60 KB of repeated ``<a `` through ``search_row``;
- PDF pages: 20,000 empty pages (2.5 MB) through ``parse_ptr``;
- OCR page (issue 14): a 2 KB PDF declaring one 200 x 200 inch page through the scanned reader
  (1.6 G pixels at its 200 dpi), and a 30-byte GIF declaring 20,000 x 20,000 pixels through the
  Senate paper reader.

    .venv/bin/python bench/hostile.py [--label before|after] [--listing-seconds 30]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, machine_info, render, report

PROBES = ("zip_bomb", "listing", "cells_30k", "cells_60k", "pdf_pages", "ocr_pdf_page", "ocr_gif")


def probe_zip_bomb() -> dict:
    import io
    import zipfile

    from quant_pipelines.house.documents.safezip import UnsafeArchive, read_members

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2, compresslevel=9) as archive:
        with archive.open("2026FD.txt", "w") as member:
            for _ in range(400):
                member.write(b"\0" * 2**20)
    content = buffer.getvalue()
    started = time.perf_counter()
    try:
        read_members(content, ["2026FD.txt"])
        outcome = "read"
    except UnsafeArchive as exc:
        outcome = str(exc)
    return {"input": f"{len(content)}-byte zip, 400 MiB bzip2 member", "seconds": time.perf_counter() - started,
            "outcome": outcome}


def probe_listing(seconds: float) -> dict:
    import logging
    import threading
    from datetime import date

    from quant_pipelines.senate.resource import SenateEfdBrowser
    from quant_pipelines.senate.client import REPORT_DATA
    from quant_pipelines_tests.replica.senate import SenateReplica

    row = ['"A"', '"B"', '"Senator"',
           '"<a href=\\"/search/view/ptr/727b4eb6-d8c7-4792-aa5b-c651c2d72f9c/\\">'
           'Periodic Transaction Report for 06/16/2026</a>"', '"06/16/2026"']
    body = ('{"draw": 1, "recordsTotal": 1000000000, "recordsFiltered": 1000000000, "data": [[%s]]}'
            % ", ".join(row)).encode()
    fixtures = ROOT.parent / "shared" / "fixtures"
    with SenateReplica(fixtures, generated=[]) as site:
        import os

        os.environ["SENATE_EFD_BASE_URL"] = site.base_url
        os.environ["QUANT_REQUESTS_PER_SECOND"] = "200"
        site.set_listing(body)
        watchdog = threading.Timer(seconds, site.block)
        watchdog.start()
        started = time.perf_counter()
        with SenateEfdBrowser(backoff_seconds=0.01).session(logging.getLogger("bench")) as session:
            listing = session.list_ptrs(date(2026, 6, 16), date(2026, 6, 17))
        elapsed = time.perf_counter() - started
        watchdog.cancel()
        stopped_by_watchdog = site.faults.blocked
        requests = site.hits(REPORT_DATA, "POST")
    outcome = listing.blocked or listing.stopped or "finished"
    if stopped_by_watchdog:
        outcome = f"still paging after {seconds:.0f} s; stopped by blocking the replica"
    return {"input": "recordsTotal 10^9, the same row on every page", "seconds": elapsed,
            "requests": requests, "outcome": outcome}


def probe_cells(size: int) -> dict:
    from quant_pipelines.vocabulary.records import ParseError
    from quant_pipelines.senate.documents.listing import search_row

    cell = ("<a " * (size // 3 + 1))[:size]
    started = time.perf_counter()
    try:
        search_row(["A", "B", "C", cell, "06/16/2026"], "https://efdsearch.senate.gov")
        outcome = "read"
    except ParseError as exc:
        outcome = str(exc)[:60]
    return {"input": f"{size // 1000} KB link cell of repeated '<a '", "seconds": time.perf_counter() - started,
            "outcome": outcome}


def probe_pdf_pages() -> dict:
    from quant_pipelines.house.documents.ptr import parse_ptr
    from quant_pipelines.vocabulary.records import NeedsOcr, ParseError
    from quant_pipelines_tests.replica.pdf_writer import Page
    from quant_pipelines_tests.replica.pdf_writer import render as render_pdf

    content = render_pdf([Page() for _ in range(20_000)])
    started = time.perf_counter()
    try:
        parse_ptr(content)
        outcome = "parsed"
    except (ParseError, NeedsOcr) as exc:
        outcome = str(exc)
    return {"input": f"20,000 empty pages ({len(content) / 2**20:.1f} MiB)", "seconds": time.perf_counter() - started,
            "outcome": outcome}


def probe_ocr_pdf_page() -> dict:
    import io

    import pypdfium2 as pdfium

    from quant_pipelines.house.documents.scanned import read_scanned

    document = pdfium.PdfDocument.new()
    document.new_page(200 * 72, 200 * 72)
    buffer = io.BytesIO()
    document.save(buffer)
    content = buffer.getvalue()
    started = time.perf_counter()
    try:
        outcome = "; ".join(read_scanned(content).notes)
    except MemoryError:
        outcome = "MemoryError"
    return {"input": f"{len(content):,}-byte PDF, one 200 x 200 inch page", "seconds": time.perf_counter() - started,
            "outcome": outcome}


def probe_ocr_gif() -> dict:
    from quant_pipelines.senate.documents.paper import read_image

    side = (20_000).to_bytes(2, "little")
    content = b"GIF89a" + side + side + b"\x00\x00\x00" + b"," + bytes(4) + side + side + b"\x00" + b"\x08"
    started = time.perf_counter()
    try:
        outcome = read_image(content, page=1).note or "read"
    except Exception as exc:  # noqa: BLE001 - the probe reports what escaped the reader
        outcome = f"raised {type(exc).__name__}"
    return {"input": f"{len(content)}-byte GIF declaring 20,000 x 20,000 pixels", "seconds": time.perf_counter() - started,
            "outcome": outcome}


def run_probe(name: str, listing_seconds: float) -> dict:
    """Run one probe in this process and return its measurements with the peak RSS."""
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if name == "zip_bomb":
        result = probe_zip_bomb()
    elif name == "listing":
        result = probe_listing(listing_seconds)
    elif name.startswith("cells_"):
        result = probe_cells(int(name.split("_")[1].rstrip("k")) * 1000)
    elif name == "ocr_pdf_page":
        result = probe_ocr_pdf_page()
    elif name == "ocr_gif":
        result = probe_ocr_gif()
    else:
        result = probe_pdf_pages()
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["baseline_mib"] = before
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="current", help="names this run's section of RESULTS.md")
    parser.add_argument("--listing-seconds", type=float, default=30.0)
    parser.add_argument("--probe", choices=PROBES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(run_probe(args.probe, args.listing_seconds)))
        return
    rows = []
    for name in PROBES:
        done = subprocess.run(
            [sys.executable, __file__, "--probe", name, "--listing-seconds", str(args.listing_seconds)],
            capture_output=True, text=True, check=True, cwd=Path(__file__).parent,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append([name, result["input"], f"{result['seconds']:.4f} s", result.get("requests", ""),
                     f"{result['peak_mib']:.0f}", result["outcome"][:90]])
    table = render(["probe", "input", "seconds", "requests", "peak RSS MiB", "outcome"], rows)
    report(f"hostile_{args.label}", f"Hostile inputs (issues 15 and 14), {args.label}", machine_info(), table,
           ["Peak RSS is the probe process's own (`ru_maxrss`), input construction included."], script="hostile")


if __name__ == "__main__":
    main()
