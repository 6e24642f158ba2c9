"""Coverage of the House PTR parser over the captured PDFs: how many documents read in full.

Each electronic PDF is fully parsed (every row read and the rows agree with the
document's own count of transaction anchors), partially parsed (some rows unreadable or
the counts disagree), or failed (no readable structure); scans need OCR and are listed
apart. Rows recovered = rows read / transaction anchors the document prints.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tabulate import tabulate

from quant_pipelines.house.documents.census import census
from quant_pipelines.house.documents.pdf_text import PdfText
from quant_pipelines.house.documents.ptr import parse_ptr
from quant_pipelines.vocabulary.records import NeedsOcr, ParseError

OUTCOMES = ("fully parsed", "partially parsed", "failed")


def _anchors(content: bytes) -> int:
    with PdfText(content) as layer:
        return sum(census(line for page in layer.pages() for line in page).values())


def document_row(corpus: str, path: Path) -> list[object] | None:
    """[corpus, file, outcome, rows read, unreadable, anchors, recovered, note]; None for a scan."""
    content = path.read_bytes()
    try:
        report = parse_ptr(content, doc_id=path.name.split("_")[1])
    except NeedsOcr:
        return None
    except ParseError as exc:
        return [corpus, path.name, "failed", 0, 0, "", "0%", str(exc)]
    anchors = _anchors(content)
    outcome = "fully parsed" if report.complete else "partially parsed"
    read = len(report.transactions)
    note = "; ".join(filter(None, [report.mismatch, *(row.reason for row in report.unreadable[:1])]))
    recovered = f"{read / anchors:.0%}" if anchors else "n/a"
    return [corpus, path.name, outcome, read, len(report.unreadable), anchors, recovered, note]


def coverage(corpora: dict[str, Path]) -> tuple[str, list[str]]:
    """The per-document table and summary notes over every PDF of each corpus folder."""
    rows, scans = [], Counter()
    for corpus, folder in corpora.items():
        for path in sorted(folder.glob("*.pdf")):
            row = document_row(corpus, path)
            if row is None:
                scans[corpus] += 1
            else:
                rows.append(row)
    outcomes = Counter(row[2] for row in rows)
    total = len(rows)
    read, anchors = sum(row[3] for row in rows), sum(row[5] or 0 for row in rows)
    summary = ", ".join(f"{name} {outcomes[name]}/{total} ({outcomes[name] / total:.0%})" for name in OUTCOMES)
    notes = [
        f"Electronic PDFs: {summary}. Rows read {read} of {anchors} transaction anchors in the documents.",
        "Scans (no text layer, need OCR, not counted above): "
        + ", ".join(f"{corpus} {count}" for corpus, count in sorted(scans.items())) + ".",
    ]
    table = tabulate(
        rows,
        headers=["corpus", "document", "outcome", "rows read", "unreadable", "anchors", "recovered", "note"],
        tablefmt="github",
    )
    return table, notes
