"""Deterministic eFD filings and pages shaped like the real ones, for scale and variety.

Pages are rendered into the real captured templates (the Fetterman PTR page and the
Blumenthal paper page), so only the filer, dates and rows differ. Each generated row
carries the values a correct parser must read from it (``expect``, see ``rows``), written
down independently of the parser. Row shapes cover every quirk in SITE_NOTES §1.4.
"""

from __future__ import annotations

import math
import random
import re
import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

from quant_pipelines_tests.replica.senate.rows import Row, random_rows, restated, row_html

SENATORS = [
    ("Gary C", "Peters", None),
    ("John", "Boozman", None),
    ("Sheldon", "Whitehouse", None),
    ("John", "Fetterman", None),
    ("David H", "McCormick", None),
    ("Jerry", "Moran", None),
    ("A. Mitchell", "McConnell", "Jr."),
    ("John R", "Curtis", None),
    ("James", "Banks", None),
    ("Shelley Moore", "Capito", None),
    ("Tommy", "Tuberville", None),
    ("Markwayne", "Mullin", None),
    ("Rick", "Scott", None),
    ("Ron", "Wyden", None),
    ("Tina", "Smith", None),
    ("Thomas R", "Carper", None),
    ("John", "Hoeven", None),
    ("Richard", "Blumenthal", None),
    ("Susan M", "Collins", None),
    ("Dan", "Sullivan", None),
    ("Bill", "Cassidy", None),
]


@dataclass(frozen=True)
class GeneratedFiling:
    """A filing as the listing shows it plus its page content."""

    uuid: str
    first: str
    last: str
    suffix: str | None
    kind: str  # "ptr" or "paper"
    report_for: date
    filed: date
    filed_time: time
    amendment: int | None = None
    rows: tuple[Row, ...] = ()
    images: int = 0

    @property
    def title(self) -> str:
        suffix = f" (Amendment {self.amendment})" if self.amendment else ""
        return f"Periodic Transaction Report for {self.report_for:%m/%d/%Y}{suffix}"

    def listing_row(self) -> list[str]:
        """The five report-data cells, in the shapes the real endpoint uses."""
        link = f'<a href="/search/view/{self.kind}/{self.uuid}/" target="_blank">{self.title}</a>'
        if self.kind == "paper":  # paper rows: ALL CAPS with a trailing space, office "Senator"
            return [f"{self.first.upper()} ", self.last.upper(), "Senator", link, f"{self.filed:%m/%d/%Y}"]
        last = f"{self.last}, {self.suffix}" if self.suffix else self.last
        office = f"{self.last}, {self.first.split()[0]} (Senator)"
        return [self.first, last, office, link, f"{self.filed:%m/%d/%Y}"]


class Templates:
    """The real pages cut at the parts a generated filing replaces."""

    def __init__(self, efd_dir: Path) -> None:
        ptr = (efd_dir / "ptr_4b69867f_fetterman_child_corporate_bond.html").read_text("utf-8")
        self.ptr = _cut(
            ptr,
            [
                (r'<h1 class="mb-2">', r"</h1>"),
                (r'<h2 class="filedReport">', r"</h2>"),
                (r"Filed  ", r"</strong>"),
                (r'<ul class="unstyled list-inline d-inline-block ml-2">', r"\s*</ul>"),
                (r"<tbody>", r"\s*</tbody>"),
            ],
        )
        paper = (efd_dir / "paper_a0d25e8f_blumenthal_view.html").read_text("utf-8")
        self.paper = _cut(
            paper,
            [
                (r'<ul class="carousel-linked-nav pagination">', r"\s*</ul>"),
                (
                    r'<div class="carousel-inner" role="listbox">',
                    r'\s*</div>\s*<a class="carousel-control-prev"',
                ),
            ],
        )
        closes = r"\s*</div>" * 5
        item = re.search(
            rf'\s*<div class="carousel-item active">.*?Printer-Friendly</a>{closes}', paper, re.S
        )
        self.carousel_item = item.group(0).replace("carousel-item active", "carousel-item{active}")

    def render(self, filing: GeneratedFiling) -> bytes:
        """The filing's view page as the site would serve it."""
        return (self._paper(filing) if filing.kind == "paper" else self._ptr(filing)).encode("utf-8")

    def _ptr(self, filing: GeneratedFiling) -> str:
        suffix = f" (Amendment {filing.amendment})" if filing.amendment else ""
        pad, indent = "\n" + " " * 16, "\n" + " " * 12
        when = f"for {filing.report_for:%m/%d/%Y}{suffix}"
        heading = f"{pad}Periodic Transaction Report{pad}\n{' ' * 20}{when}{pad}{indent}"
        given = filing.first.split()[0]
        filer = (
            f"{pad}The Honorable {filing.first}{pad}{filing.last}{pad}{pad}({filing.last}, {given}){indent}"
        )
        stamp = f"{filing.filed:%m/%d/%Y} @ {filing.filed_time.strftime('%I:%M %p').lstrip('0')}"
        owners = [row.cells[2] for row in filing.rows]
        count = len(filing.rows)
        summary = [f"({count} transaction{'s' if count != 1 else ''} total)"] + [
            f"{owners.count(word)} {label}"
            for word, label in (
                ("Self", "Self"),
                ("Joint", "Joint"),
                ("Spouse", "Spouse"),
                ("Child", "Dependent Child"),
            )
        ]
        items = "".join(f'\n{" " * 16}<li class="list-inline-item">{item}</li>' for item in summary)
        body = (
            "\n"
            + " " * 24
            + "\n"
            + " " * 28
            + "".join(row_html(row) for row in filing.rows)
            + "\n"
            + " " * 24
        )
        return _join(self.ptr, [heading, filer, stamp, items, body])

    def _paper(self, filing: GeneratedFiling) -> str:
        pages = range(1, filing.images + 1)
        nav = "".join(
            f'\n{" " * 28}<li class="page-item{" active" if n == 1 else ""}">'
            f'<a class="page-link" href="#{n}">{n}</a></li>'
            for n in pages
        )
        base = int(filing.uuid[:6], 16)
        items = "".join(
            self.carousel_item.replace("{active}", " active" if n == 1 else "")
            .replace("000000112.gif", f"{base + n:09d}.gif")
            .replace("Page 1 of 7", f"Page {n} of {filing.images}")
            .replace("a0d25e8f-fe54-4328-a7ea-504da008742b", filing.uuid)
            for n in pages
        )
        return _join(self.paper, [nav, items])


def generate(seed: int, start: date, end: date, per_day: float) -> list[GeneratedFiling]:
    """Filings filed on [start, end): about ``per_day`` a day, with amendments and paper ones."""
    rng = random.Random(seed)
    filings: list[GeneratedFiling] = []
    day = start
    while day < end:
        for _ in range(_poisson(rng, per_day)):
            filings.extend(_filing_family(rng, day))
        day += timedelta(days=1)
    return filings


def for_listing_row(cells: list[str], seed: int) -> GeneratedFiling:
    """A generated page for a real listing row whose page was not captured."""
    rng = random.Random(f"{seed}:{cells[3]}")
    link = re.search(
        r'/search/view/(ptr|paper)/([^/]+)/".*?for (\d\d/\d\d/\d{4})(?: \(Amendment (\d+)\))?', cells[3]
    )
    last, _, suffix = cells[1].partition(",")
    filed = _mdy(cells[4])
    kind = link.group(1)
    return GeneratedFiling(
        uuid=link.group(2),
        first=cells[0].strip(),
        last=last.strip(),
        suffix=suffix.strip() or None,
        kind=kind,
        report_for=_mdy(link.group(3)),
        filed=filed,
        filed_time=_time(rng),
        amendment=int(link.group(4)) if link.group(4) else None,
        rows=random_rows(rng, filed) if kind == "ptr" else (),
        images=rng.randint(2, 6) if kind == "paper" else 0,
    )


def _filing_family(rng: random.Random, day: date) -> list[GeneratedFiling]:
    first, last, suffix = rng.choice(SENATORS)
    # Mostly the report is "for" the day it is filed; sometimes earlier, rarely later (McCormick).
    report_for = (
        day - timedelta(days=rng.choice([0, 0, 0, 1, 2, 5]))
        if rng.random() > 0.05
        else day + timedelta(days=1)
    )
    paper = rng.random() < 0.06
    original = GeneratedFiling(
        uuid=_uuid(rng),
        first=first,
        last=last,
        suffix=suffix,
        kind="paper" if paper else "ptr",
        report_for=report_for,
        filed=day,
        filed_time=_time(rng),
        rows=() if paper else random_rows(rng, day),
        images=rng.randint(2, 7) if paper else 0,
    )
    family = [original]
    if not paper and rng.random() < 0.08:  # a same-day sibling with the same title (Boozman)
        family.append(
            GeneratedFiling(
                **{
                    **original.__dict__,
                    "uuid": _uuid(rng),
                    "rows": random_rows(rng, day),
                    "filed_time": _time(rng),
                }
            )
        )
    if not paper and rng.random() < 0.12:  # an amendment restating the original with one fix
        rows = list(original.rows)
        fixed = rng.randrange(len(rows))
        rows[fixed] = restated(rows[fixed])
        family.append(
            GeneratedFiling(
                **{
                    **original.__dict__,
                    "uuid": _uuid(rng),
                    "amendment": 1,
                    "rows": tuple(rows),
                    "filed": day + timedelta(days=rng.choice([0, 0, 3, 12])),
                    "filed_time": _time(rng),
                }
            )
        )
    return family


def _cut(page: str, spans: list[tuple[str, str]]) -> list[str]:
    """Split ``page`` into the text around each (start, end) span, keeping both markers."""
    pieces, rest = [], page
    for start, end in spans:
        match = re.search(f"({start})(.*?)({end})", rest, re.S)
        pieces.append(rest[: match.end(1)])
        rest = rest[match.start(3) :]
    return pieces + [rest]


def _join(pieces: list[str], fillers: list[str]) -> str:
    return "".join(piece + filler for piece, filler in zip(pieces[:-1], fillers, strict=True)) + pieces[-1]


def _poisson(rng: random.Random, mean: float) -> int:
    count, limit, product = 0, math.exp(-mean), rng.random()
    while product > limit:
        count, product = count + 1, product * rng.random()
    return count


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _time(rng: random.Random) -> time:
    return time(rng.randint(7, 18), rng.randint(0, 59))


def _mdy(text: str) -> date:
    month, day, year = (int(part) for part in text.strip().split("/"))
    return date(year, month, day)
