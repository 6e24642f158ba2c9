"""Deterministic eFD filings and pages shaped like the real ones, for scale and variety.

Pages are rendered into the real captured templates (the Fetterman PTR page and the
Blumenthal paper page), so only the filer, dates and rows differ. Each generated row
carries the values a correct parser must read from it (``expect``), written down here
independently of the parser. Row shapes cover every quirk in SITE_NOTES §1.4.
"""

from __future__ import annotations

import html
import math
import random
import re
import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

SENATORS = [
    ("Gary C", "Peters", None), ("John", "Boozman", None), ("Sheldon", "Whitehouse", None),
    ("John", "Fetterman", None), ("David H", "McCormick", None), ("Jerry", "Moran", None),
    ("A. Mitchell", "McConnell", "Jr."), ("John R", "Curtis", None), ("James", "Banks", None),
    ("Shelley Moore", "Capito", None), ("Tommy", "Tuberville", None), ("Markwayne", "Mullin", None),
    ("Rick", "Scott", None), ("Ron", "Wyden", None), ("Tina", "Smith", None),
    ("Thomas R", "Carper", None), ("John", "Hoeven", None), ("Richard", "Blumenthal", None),
    ("Susan M", "Collins", None), ("Dan", "Sullivan", None), ("Bill", "Cassidy", None),
]
SECURITIES = [
    ("AAPL", "Apple Inc. - Common Stock"), ("MSFT", "Microsoft Corporation - Common Stock"),
    ("NVDA", "NVIDIA Corporation - Common Stock"), ("ORCL", "Oracle Corporation Common Stock"),
    ("KHC", "The Kraft Heinz Company - Common Stock"), ("T", "AT&T Inc."),
    ("BRK.B", "Berkshire Hathaway Inc. New Common Stock"), ("VEA", "Vanguard Developed Markets Index Fund - ETF Shares"),
    ("IVV", "iShares Core S&P 500 ETF"), ("SCHP", "Schwab U.S. TIPS ETF"), ("JPM", "JPMorgan Chase & Co. Common Stock"),
    ("XOM", "Exxon Mobil Corporation Common Stock"), ("PFE", "Pfizer, Inc. Common Stock"),
    ("RNWGX", "NEW WORLD FUND INC - Class R-6"), ("TFC", "Truist Financial Corporation"),
]
# (printed, minimum, maximum) for every band SITE_NOTES lists, open-ended last.
AMOUNTS = [
    ("$1,001 - $15,000", 1001, 15000), ("$15,001 - $50,000", 15001, 50000),
    ("$50,001 - $100,000", 50001, 100000), ("$100,001 - $250,000", 100001, 250000),
    ("$250,001 - $500,000", 250001, 500000), ("$500,001 - $1,000,000", 500001, 1000000),
    ("$1,000,001 - $5,000,000", 1000001, 5000000), ("$5,000,001 - $25,000,000", 5000001, 25000000),
    ("$25,000,001 - $50,000,000", 25000001, 50000000), ("Over $50,000,000", 50000001, None),
]
OWNERS = {"Self": "self", "Spouse": "spouse", "Joint": "joint", "Child": "child"}
TYPES = {"Purchase": "purchase", "Sale (Full)": "sale_full", "Sale (Partial)": "sale_partial"}
_CELL = " " * 40
_ANCHOR = '<a href="https://finance.yahoo.com/quote/{0}"\n' + " " * 47 + 'target="_blank">{0}</a>'


@dataclass(frozen=True)
class Row:
    """One generated transaction row: its cells as HTML and what a parser must read."""

    cells: tuple[str, ...]
    expect: dict[str, object]


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
        self.ptr = _cut(ptr, [
            (r'<h1 class="mb-2">', r"</h1>"), (r'<h2 class="filedReport">', r"</h2>"),
            (r"Filed  ", r"</strong>"), (r'<ul class="unstyled list-inline d-inline-block ml-2">', r"\s*</ul>"),
            (r"<tbody>", r"\s*</tbody>"),
        ])
        paper = (efd_dir / "paper_a0d25e8f_blumenthal_view.html").read_text("utf-8")
        self.paper = _cut(paper, [
            (r'<ul class="carousel-linked-nav pagination">', r"\s*</ul>"),
            (r'<div class="carousel-inner" role="listbox">', r'\s*</div>\s*<a class="carousel-control-prev"'),
        ])
        closes = r"\s*</div>" * 5
        item = re.search(rf'\s*<div class="carousel-item active">.*?Printer-Friendly</a>{closes}', paper, re.S)
        self.carousel_item = item.group(0).replace("carousel-item active", "carousel-item{active}")

    def render(self, filing: GeneratedFiling) -> bytes:
        """The filing's view page as the site would serve it."""
        return (self._paper(filing) if filing.kind == "paper" else self._ptr(filing)).encode("utf-8")

    def _ptr(self, filing: GeneratedFiling) -> str:
        suffix = f" (Amendment {filing.amendment})" if filing.amendment else ""
        heading = f"\n{' ' * 16}Periodic Transaction Report\n{' ' * 16}\n{' ' * 20}for {filing.report_for:%m/%d/%Y}{suffix}\n{' ' * 16}\n{' ' * 12}"
        given = filing.first.split()[0]
        filer = f"\n{' ' * 16}The Honorable {filing.first}\n{' ' * 16}{filing.last}\n{' ' * 16}\n{' ' * 16}({filing.last}, {given})\n{' ' * 12}"
        stamp = f"{filing.filed:%m/%d/%Y} @ {filing.filed_time.strftime('%I:%M %p').lstrip('0')}"
        owners = [row.cells[2] for row in filing.rows]
        count = len(filing.rows)
        summary = [f"({count} transaction{'s' if count != 1 else ''} total)"] + [
            f"{owners.count(word)} {label}" for word, label in
            (("Self", "Self"), ("Joint", "Joint"), ("Spouse", "Spouse"), ("Child", "Dependent Child"))
        ]
        items = "".join(f'\n{" " * 16}<li class="list-inline-item">{item}</li>' for item in summary)
        body = "\n" + " " * 24 + "\n" + " " * 28 + "".join(_row_html(row) for row in filing.rows) + "\n" + " " * 24
        return _join(self.ptr, [heading, filer, stamp, items, body])

    def _paper(self, filing: GeneratedFiling) -> str:
        pages = range(1, filing.images + 1)
        nav = "".join(
            f'\n{" " * 28}<li class="page-item{" active" if n == 1 else ""}"><a class="page-link" href="#{n}">{n}</a></li>'
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
    link = re.search(r'/search/view/(ptr|paper)/([^/]+)/".*?for (\d\d/\d\d/\d{4})(?: \(Amendment (\d+)\))?', cells[3])
    last, _, suffix = cells[1].partition(",")
    filed = _mdy(cells[4])
    kind = link.group(1)
    return GeneratedFiling(
        uuid=link.group(2), first=cells[0].strip(), last=last.strip(), suffix=suffix.strip() or None,
        kind=kind, report_for=_mdy(link.group(3)), filed=filed, filed_time=_time(rng),
        amendment=int(link.group(4)) if link.group(4) else None,
        rows=_rows(rng, filed) if kind == "ptr" else (), images=rng.randint(2, 6) if kind == "paper" else 0,
    )


def _filing_family(rng: random.Random, day: date) -> list[GeneratedFiling]:
    first, last, suffix = rng.choice(SENATORS)
    # Mostly the report is "for" the day it is filed; sometimes earlier, rarely later (McCormick).
    report_for = day - timedelta(days=rng.choice([0, 0, 0, 1, 2, 5])) if rng.random() > 0.05 else day + timedelta(days=1)
    paper = rng.random() < 0.06
    original = GeneratedFiling(
        uuid=_uuid(rng), first=first, last=last, suffix=suffix, kind="paper" if paper else "ptr",
        report_for=report_for, filed=day, filed_time=_time(rng),
        rows=() if paper else _rows(rng, day), images=rng.randint(2, 7) if paper else 0,
    )
    family = [original]
    if not paper and rng.random() < 0.08:  # a same-day sibling with the same title (Boozman)
        family.append(GeneratedFiling(**{**original.__dict__, "uuid": _uuid(rng), "rows": _rows(rng, day), "filed_time": _time(rng)}))
    if not paper and rng.random() < 0.12:  # an amendment restating the original with one fix
        rows = list(original.rows)
        fixed = rng.randrange(len(rows))
        rows[fixed] = _restated(rng, rows[fixed])
        family.append(GeneratedFiling(**{
            **original.__dict__, "uuid": _uuid(rng), "amendment": 1, "rows": tuple(rows),
            "filed": day + timedelta(days=rng.choice([0, 0, 3, 12])), "filed_time": _time(rng),
        }))
    return family


def _rows(rng: random.Random, filed: date) -> tuple[Row, ...]:
    count = rng.choice([1, 1, 2, 3, 3, 4, 5, 6, 8, 12, 18, 25])
    rows = [_row(rng, filed) for _ in range(count)]
    return tuple(_numbered(row, count - index) for index, row in enumerate(rows))


def _row(rng: random.Random, filed: date) -> Row:
    owner = rng.choice(["Self", "Self", "Spouse", "Joint", "Joint", "Child"])
    action = rng.choice(list(TYPES))
    printed, low, high = rng.choices(AMOUNTS, weights=[40, 20, 10, 8, 6, 5, 4, 3, 2, 2])[0]
    traded = filed - timedelta(days=rng.randint(1, 45))
    expect: dict[str, object] = {
        "owner": OWNERS[owner], "transaction_type": TYPES[action], "amount_min": low, "amount_max": high,
        "transaction_date": traded, "comment": None, "asset_type": "stock", "details": {},
    }
    symbol, name = rng.choice(SECURITIES)
    shape = rng.random()
    ticker_html, name_html, kind, comment = _ANCHOR.format(symbol), html.escape(name, quote=False), "Stock", "--"
    expect.update(ticker=symbol, asset_name=name)
    if shape < 0.08:  # ticker only inside the name
        ticker_html, name_html = "--", html.escape(f"{symbol} - {name}", quote=False)
        expect.update(asset_name=f"{symbol} - {name}", details={"ticker_source": "asset_name"})
    elif shape < 0.16:  # corporate bond with coupon and maturity, either date layout
        due = date(filed.year + rng.randint(1, 12), rng.randint(1, 12), 15)
        coupon = rng.choice(["3.0%", "4.00%", "5.5%", "14%"])
        shown = due.isoformat() if rng.random() < 0.5 else f"{due:%m/%d/%Y}"
        ticker_html, kind, name = "--", rng.choice(["Corporate Bond", "Municipal Security"]), "EXPEDIA GROUP INC NOTE"
        name_html = f'{name}\n{_CELL}\n{_CELL}<div class="text-muted"><em>Rate/Coupon:</em> {coupon}<br> <em>Matures:</em> {shown}</div>'
        expect.update(ticker=None, asset_name=name, asset_type=kind.lower().replace(" ", "_"),
                      details={"rate_coupon": coupon, "matures": due.isoformat()})
    elif shape < 0.22:  # stock option
        option, strike, expires = rng.choice(["Put", "Call", "Neither"]), rng.randint(5, 400), traded + timedelta(days=90)
        name_html += f'\n{_CELL}<div class="text-muted">Option Type: {option} <br/><em>Strike price:</em> ${strike}.50 <br> <em>Expires:</em> {expires:%m/%d/%Y} </div>'
        kind = "Stock Option"
        expect.update(asset_type="stock_option", option_type=option.lower(), strike_price=f"{strike}.50", expiry=expires)
    elif shape < 0.26:  # non-public stock with company and description
        ticker_html, kind, name = "--", "Non-Public Stock", "Blackridge Financial, Inc."
        name_html = (f'{name}\n{_CELL}<div class="text-muted"><em>Company:</em> {name} &nbsp;(West Fargo, ND)</div>'
                     f'\n{_CELL}<div class="text-muted"><em>Description:</em>&nbsp;Bank holding company</div>')
        expect.update(ticker=None, asset_name=name, asset_type="non_public_stock", description="Bank holding company",
                      details={"company": f"{name} (West Fargo, ND)"})
    elif shape < 0.30:  # exchange: both sides in the Ticker and Asset Name cells
        action, kind = "Exchange", "Stock"
        ticker_html = f"--\n{_CELL}<br/>\n{_CELL}" + _ANCHOR.format("TFC")
        name_html = "BBT  (Exchanged) <br/> Truist Financial Corporation (Received)"
        expect.update(transaction_type="exchange", ticker="TFC", asset_name="BBT (Exchanged) Truist Financial Corporation (Received)",
                      details={"exchanged_asset": "BBT", "received_asset": "Truist Financial Corporation", "received_ticker": "TFC"})
    elif shape < 0.34:  # 2013-2014 filings: blank Asset Type, free-text comment
        kind, comment = "", "Sold to rebalance the portfolio &amp; reduce risk."
        expect.update(asset_type=None, comment="Sold to rebalance the portfolio & reduce risk.")
    elif shape < 0.38:
        kind = "Other Securities"
        expect.update(asset_type="other_securities")
    cells = ("{n}", f"\n{_CELL}{traded:%m/%d/%Y}\n{' ' * 36}", owner,
             f"\n{_CELL}\n{_CELL}    {ticker_html}\n{_CELL}\n{_CELL}\n{' ' * 36}",
             f"\n{_CELL}\n{_CELL}    {name_html}\n{_CELL}\n{_CELL}\n{' ' * 36}", kind, action, printed, comment)
    return Row(cells, expect)


def _restated(rng: random.Random, row: Row) -> Row:
    """The amendment's fix: a corrected owner (as in Carper's Amendment 2)."""
    owner = "Spouse" if row.cells[2] != "Spouse" else "Self"
    return Row(row.cells[:2] + (owner,) + row.cells[3:], {**row.expect, "owner": OWNERS[owner]})


def _numbered(row: Row, number: int) -> Row:
    return Row((str(number),) + row.cells[1:], {**row.expect, "row_number": number})


def _row_html(row: Row) -> str:
    n, day, owner, ticker, name, kind, action, amount, comment = row.cells
    pad = " " * 36
    return (f"\n{' ' * 32}<tr>\n{pad}<td>{n}</td>\n{pad}<td>{day}</td>\n{pad}<td>{owner}</td>\n{pad}<td>{ticker}</td>"
            f"\n{pad}<td>{name}</td>\n{pad}<td>{kind}</td>\n{pad}<td>{action}</td>\n\n{pad}<td>{amount}</td>"
            f"\n{pad}<td>{comment}</td>\n{' ' * 32}</tr>\n{' ' * 28}")


def _cut(page: str, spans: list[tuple[str, str]]) -> list[str]:
    """Split ``page`` into the text around each (start, end) span, keeping both markers."""
    pieces, rest = [], page
    for start, end in spans:
        match = re.search(f"({start})(.*?)({end})", rest, re.S)
        pieces.append(rest[: match.end(1)])
        rest = rest[match.start(3):]
    return pieces + [rest]


def _join(pieces: list[str], fillers: list[str]) -> str:
    return "".join(piece + filler for piece, filler in zip(pieces, fillers)) + pieces[-1]


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
