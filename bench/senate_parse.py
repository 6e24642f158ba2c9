"""Senate eFD page parsing throughput: our lxml parser vs BeautifulSoup(html.parser), same extraction.

Run from the project root:  .venv/bin/python bench/senate_parse.py [--generated 10000]

Both sides reduce each page to the same PageCells (header lines, row cells, summary) and
hand them to the same ``assemble``, so the table compares the HTML layer; the script
checks that both produce identical reports before timing them.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from common import machine_info, report
from tabulate import tabulate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the page generator lives with the test replica

from quant_pipelines.senate.documents.cells import PageCells, PtrPage, RawRow, assemble  # noqa: E402
from quant_pipelines.senate.documents.page import COLUMNS, parse_ptr_page  # noqa: E402
from quant_pipelines.vocabulary.normalize import collapse  # noqa: E402
from quant_pipelines.vocabulary.records import ParseError  # noqa: E402
from quant_pipelines_tests.replica.senate.generator import Templates, generate  # noqa: E402

EFD = ROOT.parent / "shared" / "fixtures" / "senate" / "efd_2026"
REPEAT = 40


def lxml_page(content: bytes) -> PtrPage:
    return parse_ptr_page(content)


def bs4_page(content: bytes) -> PtrPage:
    """The same extraction as sources.senate_efd, written against BeautifulSoup."""
    soup = BeautifulSoup(content, "html.parser")
    headers = {}
    for tag, css_class in (("h1", "mb-2"), ("strong", "noWrap"), ("h2", "filedReport")):
        element = soup.find(tag, class_=css_class)
        if element is None:
            raise ParseError(f"{tag}.{css_class} missing")
        headers[tag] = collapse(element.get_text())
    table = next(
        t
        for t in soup.find_all("table")
        if tuple(collapse(th.get_text()) for th in t.find_all("th")) == COLUMNS
    )
    rows = []
    for tr in table.find_all("tr"):
        cells = tr.find_all("td", recursive=False)
        if not cells:
            continue
        number, day, owner, ticker, name, kind, action, amount, comment = cells
        muted = [div for div in name.find_all("div") if "text-muted" in (div.get("class") or [])]
        rows.append(
            RawRow(
                number=collapse(number.get_text()),
                transaction_date=collapse(day.get_text()),
                owner=collapse(owner.get_text()),
                ticker_lines=_lines(ticker),
                name_lines=_lines(name, skip_muted=True),
                sub_lines=tuple(line for div in muted for line in _lines(div)),
                asset_type=collapse(kind.get_text()),
                transaction_type=collapse(action.get_text()),
                amount=collapse(amount.get_text()),
                comment=collapse(comment.get_text()),
            )
        )
    summary = [collapse(li.get_text()) for li in soup.find_all("li", class_="list-inline-item")]
    cells = PageCells(
        heading=headers["h1"], filed=headers["strong"], filer=headers["h2"], rows=rows, summary=summary
    )
    return assemble(cells)


def _lines(element: Tag, *, skip_muted: bool = False) -> tuple[str, ...]:
    parts: list[list[str]] = [[]]

    def visit(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:
                    parts[-1].append(str(child))
            elif child.name == "br":
                parts.append([])
            elif child.name == "div":
                parts.append([])
                if not (skip_muted and "text-muted" in (child.get("class") or [])):
                    visit(child)
                parts.append([])
            else:
                visit(child)

    visit(element)
    return tuple(line for line in (collapse("".join(part)) for part in parts) if line)


def interleaved(pages: list[bytes], chunk: int = 50) -> tuple[float, float]:
    """Seconds each parser takes for every page, timed in alternating chunks so load on a
    shared machine falls on both alike."""
    totals = [0.0, 0.0]
    for start in range(0, len(pages), chunk):
        for index, parse in enumerate((lxml_page, bs4_page)):
            began = time.perf_counter()
            for content in pages[start : start + chunk]:
                parse(content)
            totals[index] += time.perf_counter() - began
    return totals[0], totals[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--generated", type=int, default=10_000, help="generated pages to add (default 10000)"
    )
    args = parser.parse_args()
    real = [path.read_bytes() for path in sorted(EFD.glob("ptr_*.html"))]
    templates = Templates(EFD)
    generated = []
    day = date(2020, 1, 1)
    while len(generated) < args.generated:
        batch = generate(seed=len(generated), start=day, end=date(day.year + 1, 1, 1), per_day=8)
        generated += [templates.render(f) for f in batch if f.kind == "ptr"][
            : args.generated - len(generated)
        ]
    for content in real + generated[:500]:
        assert lxml_page(content) == bs4_page(content), "the two extractions disagree"
    # The five real pages are repeated so their timing is not lost in the clock's noise.
    sets = {
        f"real captures ({len(real)} x {REPEAT})": real * REPEAT,
        f"generated ({len(generated)})": generated,
    }
    table, totals = [], [0, 0, 0.0, 0.0]
    for label, pages in sets.items():
        rows = sum(len(lxml_page(content).report.transactions) for content in pages)
        lxml_s, bs4_s = interleaved(pages)
        table.append(_line(label, len(pages), rows, lxml_s, bs4_s))
        totals = [totals[0] + len(pages), totals[1] + rows, totals[2] + lxml_s, totals[3] + bs4_s]
    table.append(_line("all", *totals))
    headers = ["pages", "count", "rows", "lxml pages/s", "bs4 pages/s", "ratio", "lxml s", "bs4 s"]
    rendered = tabulate(table, headers=headers, tablefmt="github", colalign=("left",) + ("right",) * 7)
    report("senate_parse", "Senate parse: lxml vs BeautifulSoup(html.parser)", machine_info(), rendered, notes=[
        "Both sides extract the same cells and share `assemble`; the script checks they give identical "
        "reports first. Timed in alternating chunks of 50 pages. Target: at least 10x BeautifulSoup.",
    ])


def _line(label: str, pages: int, rows: int, lxml_s: float, bs4_s: float) -> list[object]:
    lxml_rate, bs4_rate = pages / lxml_s, pages / bs4_s
    return [
        label,
        pages,
        rows,
        f"{lxml_rate:,.0f}",
        f"{bs4_rate:,.0f}",
        f"{lxml_rate / bs4_rate:.1f}x",
        f"{lxml_s:.2f}",
        f"{bs4_s:.2f}",
    ]


if __name__ == "__main__":
    main()
