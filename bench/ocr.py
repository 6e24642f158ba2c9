"""Scanned House PTRs: the OCR reader against the gold rows written by eye, RapidOCR vs Tesseract.

Usage: python bench/ocr.py [--engines rapidocr,tesseract]

Each engine runs in its own process over the same gold pages (quant_pipelines_tests/house/ocr_gold),
reading the same cells: the grid, tick and row-check machinery is shared, only the text-line
recogniser differs (Tesseract 5 from Debian's ``tesseract-ocr``, one ``--psm 7`` call per line).
Field agreement counts a gold row the reader held back as disagreeing; "wrong accepted" counts
accepted rows that differ from the gold in any field. The issue's targets are apart for typed
entries (agreement) and handwritten ones (no accepted row wrong): gold files of handwritten
forms say ``"entries": "handwritten"``, and both are reported on their own too.
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

import cv2
import numpy as np
from common import ROOT, engine_results, machine_info, report
from tabulate import tabulate

FIXTURES = ROOT.parent / "shared" / "fixtures"


def tesseract_recognize(lines: list[np.ndarray]) -> list[tuple[str, float, float]]:
    """Read single text lines with the tesseract CLI: (text, mean word confidence, weakest word), 0-1."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for number, line in enumerate(lines):
            path = Path(tmp) / f"{number}.png"
            cv2.imwrite(str(path), line)
            tsv = subprocess.run(
                ["tesseract", str(path), "stdout", "--psm", "7", "tsv"], capture_output=True, text=True, check=False
            ).stdout
            words = [row.split("\t") for row in tsv.splitlines()[1:] if row.count("\t") >= 11]
            words = [(w[11], float(w[10])) for w in words if w[11].strip() and float(w[10]) >= 0]
            text = " ".join(word for word, _ in words)
            confs = [conf / 100 for _, conf in words] or [0.0]
            out.append((text, sum(confs) / len(confs), min(confs)))
    return out


def run(engine: str) -> dict:
    """Read every gold document's pages with one engine; the scores, time, pages and peak RSS."""
    from quant_pipelines.house.documents import scanned
    from quant_pipelines.ocr import engine as ocr_engine
    from quant_pipelines_tests.house.ocr_agreement import FIELDS, Score, gold_files, load, score

    if engine == "tesseract":
        ocr_engine.recognize = tesseract_recognize  # same cells, other recogniser
    total, pages, seconds, docs, docs_with_rows = Score(), 0, 0.0, 0, 0
    by_entries = {"typed": Score(), "handwritten": Score()}
    cpu_started = time.process_time()
    for path in gold_files():
        gold = load(path)
        content = (FIXTURES / gold["file"]).read_bytes()
        started = time.perf_counter()
        found = scanned.read_scanned(content, filed=date.fromisoformat(gold["filed"]), pages=gold.get("pages"))
        seconds += time.perf_counter() - started
        pages += len(gold.get("pages") or []) or found.pages
        result = score(gold, list(found.rows))
        total.add(result)
        by_entries[gold.get("entries", "typed")].add(result)
        docs += 1
        docs_with_rows += result.accepted_rows > 0
    typed, hand = by_entries["typed"], by_entries["handwritten"]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "engine": engine,
        "agree": {name: total.agree[name] for name in FIELDS},
        "expected_rows": total.expected_rows,
        "accepted_rows": total.accepted_rows,
        "wrong_accepted": total.wrong_accepted,
        "typed": {"agree": min(typed.agree.values()), "rows": typed.expected_rows},
        "handwritten": {"accepted": hand.accepted_rows, "rows": hand.expected_rows, "wrong": len(hand.wrong_accepted)},
        "pages": pages,
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu_started,
        "documents": docs,
        "documents_with_rows": docs_with_rows,
        "peak_rss_mib": rss / 1024,
    }


def main() -> None:
    """Run each engine in a child process and write the table."""
    found = engine_results(__file__, run)
    if found is None:
        return
    results, load_before = found
    rows = []
    for item in results:
        expected = item["expected_rows"] or 1
        typed, hand = item["typed"], item["handwritten"]
        rows.append([
            item["engine"],
            *(f"{100 * value / expected:.1f}%" for value in item["agree"].values()),
            f"{item['accepted_rows']} / {item['expected_rows']}",
            f"{100 * typed['agree'] / max(typed['rows'], 1):.1f}% of {typed['rows']}",
            f"{hand['accepted']} / {hand['rows']} ({hand['wrong']} wrong)",
            len(item["wrong_accepted"]),
            f"{item['documents_with_rows']} / {item['documents']}",
            f"{item['seconds'] / max(item['pages'], 1):.2f}",
            f"{item['cpu_seconds'] / max(item['pages'], 1):.2f}",
            f"{item['peak_rss_mib']:.0f}",
        ])
    headers = ["engine", *results[0]["agree"].keys(), "accepted / gold rows", "typed rows (least field)",
               "handwritten accepted", "wrong accepted",
               "filings with an accepted row", "s/page", "CPU s/page", "peak RSS MiB"]
    notes = [
        f"Gold: {results[0]['documents']} documents, {results[0]['pages']} pages, {results[0]['expected_rows']} rows "
        "a person can complete (plus rows marked for review), written by looking at the rendered pages.",
        f"Load average (1 min) {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end on 2 cores: "
        "wall seconds grow with other work on the machine; CPU s/page (this process, Tesseract's own processes "
        "not counted) is the steadier figure.",
        "Six gold documents are a filing's cover form ('see attached', no row: the reader must accept none), so "
        f"'filings with an accepted row' cannot reach {results[0]['documents']} here; whole filings are counted by "
        "bench/ocr_filings.py.",
        "Agreement per field is over all gold rows: a row the reader held back for review counts as disagreeing "
        "(asset names agree at normalised similarity >= 0.9).",
        *(f"Wrong accepted ({item['engine']}): " + ", ".join(item["wrong_accepted"])
          for item in results if item["wrong_accepted"]),
    ]
    report("ocr", "Scanned House PTRs: OCR against the gold rows", machine_info(),
           tabulate(rows, headers, tablefmt="github"), notes)


if __name__ == "__main__":
    main()
