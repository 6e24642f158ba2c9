"""Senate paper PTR page images: the paper form reader against the gold rows, RapidOCR vs Tesseract.

Usage: python bench/ocr_senate.py [--engines rapidocr,tesseract]

Reads the captured pages of Blumenthal's paper filing (the form page, scored against
quant_pipelines_tests/senate/paper_gold, and the cover letter, which is recognised and skipped),
each engine in its own process, the same cells for both (see bench/ocr.py). A separate table from
bench/ocr.py: the Senate form is a different page (portrait, 400 dpi GIF, no notification date).
"""

from __future__ import annotations

import json
import os
import resource
import time
from datetime import date

from common import ROOT, engine_results, machine_info, report
from ocr import tesseract_recognize
from tabulate import tabulate

FIXTURES = ROOT.parent / "shared" / "fixtures"
GOLD = ROOT / "quant_pipelines_tests" / "senate" / "paper_gold"
COVER = "senate/paper_images/paper_a0d25e8f_blumenthal_coverletter_000000112.gif"


def run(engine: str) -> dict:
    """Read the gold form pages and the cover letter with one engine; scores, seconds per page, peak RSS."""
    from quant_pipelines.ocr import engine as ocr_engine
    from quant_pipelines.senate.documents.paper import read_image
    from quant_pipelines_tests.house.ocr_agreement import FIELDS, Score, score

    if engine == "tesseract":
        ocr_engine.recognize = tesseract_recognize  # same cells, other recogniser
    ocr_engine.engine_version()  # the models load once, outside the timing
    total, form_seconds, forms = Score(), 0.0, 0
    for path in sorted(GOLD.glob("*.json")):
        gold = json.loads(path.read_text())
        content = (FIXTURES / gold["file"]).read_bytes()
        started = time.perf_counter()
        page = read_image(content, page=gold["rows"][0]["page"], filed=date.fromisoformat(gold["filed"]))
        form_seconds += time.perf_counter() - started
        forms += 1
        total.add(score(gold, list(page.rows)))
    started = time.perf_counter()
    cover = read_image((FIXTURES / COVER).read_bytes(), page=1)
    cover_seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "engine": engine,
        "agree": {name: total.agree[name] for name in FIELDS if name != "notification_date"},
        "expected_rows": total.expected_rows,
        "accepted_rows": total.accepted_rows,
        "wrong_accepted": total.wrong_accepted,
        "form_s_per_page": form_seconds / max(forms, 1),
        "cover": f"{cover.kind} in {cover_seconds:.2f} s",
        "peak_rss_mib": rss / 1024,
    }


def main() -> None:
    """Run each engine in a child process and write the table."""
    found = engine_results(__file__, run)
    if found is None:
        return
    results, load_before = found
    rows = [
        [
            item["engine"],
            *(f"{100 * value / (item['expected_rows'] or 1):.1f}%" for value in item["agree"].values()),
            f"{item['accepted_rows']} / {item['expected_rows']}",
            len(item["wrong_accepted"]),
            f"{item['form_s_per_page']:.2f}",
            item["cover"],
            f"{item['peak_rss_mib']:.0f}",
        ]
        for item in results
    ]
    headers = ["engine", *results[0]["agree"].keys(), "accepted / gold rows", "wrong accepted",
               "form s/page", "cover letter", "peak RSS MiB"]
    notes = [
        f"Gold: {len(list(GOLD.glob('*.json')))} Senate form page(s), {results[0]['expected_rows']} rows, written by "
        "looking at the GIF; the form has no notification date column (not scored).",
        f"Load average (1 min) {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end on 2 cores.",
        "A row held back for review counts as disagreeing in every field. The cover letter's time is the title "
        "check (text detection on the top fifth of the page) plus the grid search.",
        *(f"Wrong accepted ({item['engine']}): " + ", ".join(item["wrong_accepted"])
          for item in results if item["wrong_accepted"]),
    ]
    report("ocr_senate", "Senate paper PTR pages: OCR against the gold rows", machine_info(),
           tabulate(rows, headers, tablefmt="github"), notes)


if __name__ == "__main__":
    main()
