"""Generated transaction rows in every shape SITE_NOTES §1.4 lists, with what a parser must read."""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from datetime import date, timedelta

SECURITIES = [
    ("AAPL", "Apple Inc. - Common Stock"),
    ("MSFT", "Microsoft Corporation - Common Stock"),
    ("NVDA", "NVIDIA Corporation - Common Stock"),
    ("ORCL", "Oracle Corporation Common Stock"),
    ("KHC", "The Kraft Heinz Company - Common Stock"),
    ("T", "AT&T Inc."),
    ("BRK.B", "Berkshire Hathaway Inc. New Common Stock"),
    ("VEA", "Vanguard Developed Markets Index Fund - ETF Shares"),
    ("IVV", "iShares Core S&P 500 ETF"),
    ("SCHP", "Schwab U.S. TIPS ETF"),
    ("JPM", "JPMorgan Chase & Co. Common Stock"),
    ("XOM", "Exxon Mobil Corporation Common Stock"),
    ("PFE", "Pfizer, Inc. Common Stock"),
    ("RNWGX", "NEW WORLD FUND INC - Class R-6"),
    ("TFC", "Truist Financial Corporation"),
]
# (printed, minimum, maximum) for every band SITE_NOTES lists, open-ended last.
AMOUNTS = [
    ("$1,001 - $15,000", 1001, 15000),
    ("$15,001 - $50,000", 15001, 50000),
    ("$50,001 - $100,000", 50001, 100000),
    ("$100,001 - $250,000", 100001, 250000),
    ("$250,001 - $500,000", 250001, 500000),
    ("$500,001 - $1,000,000", 500001, 1000000),
    ("$1,000,001 - $5,000,000", 1000001, 5000000),
    ("$5,000,001 - $25,000,000", 5000001, 25000000),
    ("$25,000,001 - $50,000,000", 25000001, 50000000),
    ("Over $50,000,000", 50000001, None),
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


def random_rows(rng: random.Random, filed: date) -> tuple[Row, ...]:
    count = rng.choice([1, 1, 2, 3, 3, 4, 5, 6, 8, 12, 18, 25])
    rows = [_row(rng, filed) for _ in range(count)]
    return tuple(_numbered(row, count - index) for index, row in enumerate(rows))


def _row(rng: random.Random, filed: date) -> Row:
    owner = rng.choice(["Self", "Self", "Spouse", "Joint", "Joint", "Child"])
    action = rng.choice(list(TYPES))
    printed, low, high = rng.choices(AMOUNTS, weights=[40, 20, 10, 8, 6, 5, 4, 3, 2, 2])[0]
    traded = filed - timedelta(days=rng.randint(1, 45))
    expect: dict[str, object] = {
        "owner": OWNERS[owner],
        "transaction_type": TYPES[action],
        "amount_min": low,
        "amount_max": high,
        "transaction_date": traded,
        "comment": None,
        "asset_type": "stock",
        "details": {},
    }
    symbol, name = rng.choice(SECURITIES)
    shape = rng.random()
    ticker_html, name_html, kind, comment = (
        _ANCHOR.format(symbol),
        html.escape(name, quote=False),
        "Stock",
        "--",
    )
    expect.update(ticker=symbol, asset_name=name)
    if shape < 0.08:  # ticker only inside the name
        ticker_html, name_html = "--", html.escape(f"{symbol} - {name}", quote=False)
        expect.update(asset_name=f"{symbol} - {name}", details={"ticker_source": "asset_name"})
    elif shape < 0.16:  # corporate bond with coupon and maturity, either date layout
        due = date(filed.year + rng.randint(1, 12), rng.randint(1, 12), 15)
        coupon = rng.choice(["3.0%", "4.00%", "5.5%", "14%"])
        shown = due.isoformat() if rng.random() < 0.5 else f"{due:%m/%d/%Y}"
        ticker_html, kind, name = (
            "--",
            rng.choice(["Corporate Bond", "Municipal Security"]),
            "EXPEDIA GROUP INC NOTE",
        )
        name_html = (
            f"{name}\n{_CELL}\n{_CELL}"
            f'<div class="text-muted"><em>Rate/Coupon:</em> {coupon}<br> <em>Matures:</em> {shown}</div>'
        )
        expect.update(
            ticker=None,
            asset_name=name,
            asset_type=kind.lower().replace(" ", "_"),
            details={"rate_coupon": coupon, "matures": due.isoformat()},
        )
    elif shape < 0.22:  # stock option
        option, strike, expires = (
            rng.choice(["Put", "Call", "Neither"]),
            rng.randint(5, 400),
            traded + timedelta(days=90),
        )
        name_html += (
            f'\n{_CELL}<div class="text-muted">Option Type: {option} <br/>'
            f"<em>Strike price:</em> ${strike}.50 <br> <em>Expires:</em> {expires:%m/%d/%Y} </div>"
        )
        kind = "Stock Option"
        expect.update(
            asset_type="stock_option", option_type=option.lower(), strike_price=f"{strike}.50", expiry=expires
        )
    elif shape < 0.26:  # non-public stock with company and description
        ticker_html, kind, name = "--", "Non-Public Stock", "Blackridge Financial, Inc."
        name_html = (
            f'{name}\n{_CELL}<div class="text-muted"><em>Company:</em> {name} &nbsp;(West Fargo, ND)</div>'
            f'\n{_CELL}<div class="text-muted"><em>Description:</em>&nbsp;Bank holding company</div>'
        )
        expect.update(
            ticker=None,
            asset_name=name,
            asset_type="non_public_stock",
            description="Bank holding company",
            details={"company": f"{name} (West Fargo, ND)"},
        )
    elif shape < 0.30:  # exchange: both sides in the Ticker and Asset Name cells
        action, kind = "Exchange", "Stock"
        ticker_html = f"--\n{_CELL}<br/>\n{_CELL}" + _ANCHOR.format("TFC")
        name_html = "BBT  (Exchanged) <br/> Truist Financial Corporation (Received)"
        expect.update(
            transaction_type="exchange",
            ticker="TFC",
            asset_name="BBT (Exchanged) Truist Financial Corporation (Received)",
            details={
                "exchanged_asset": "BBT",
                "received_asset": "Truist Financial Corporation",
                "received_ticker": "TFC",
            },
        )
    elif shape < 0.34:  # 2013-2014 filings: blank Asset Type, free-text comment
        kind, comment = "", "Sold to rebalance the portfolio &amp; reduce risk."
        expect.update(asset_type=None, comment="Sold to rebalance the portfolio & reduce risk.")
    elif shape < 0.38:
        kind = "Other Securities"
        expect.update(asset_type="other_securities")
    cells = (
        "{n}",
        f"\n{_CELL}{traded:%m/%d/%Y}\n{' ' * 36}",
        owner,
        f"\n{_CELL}\n{_CELL}    {ticker_html}\n{_CELL}\n{_CELL}\n{' ' * 36}",
        f"\n{_CELL}\n{_CELL}    {name_html}\n{_CELL}\n{_CELL}\n{' ' * 36}",
        kind,
        action,
        printed,
        comment,
    )
    return Row(cells, expect)


def restated(row: Row) -> Row:
    """The amendment's fix: a corrected owner (as in Carper's Amendment 2)."""
    owner = "Spouse" if row.cells[2] != "Spouse" else "Self"
    return Row(row.cells[:2] + (owner,) + row.cells[3:], {**row.expect, "owner": OWNERS[owner]})


def _numbered(row: Row, number: int) -> Row:
    return Row((str(number),) + row.cells[1:], {**row.expect, "row_number": number})


def row_html(row: Row) -> str:
    n, day, owner, ticker, name, kind, action, amount, comment = row.cells
    pad = " " * 36
    return (
        f"\n{' ' * 32}<tr>\n{pad}<td>{n}</td>\n{pad}<td>{day}</td>\n{pad}<td>{owner}</td>"
        f"\n{pad}<td>{ticker}</td>"
        f"\n{pad}<td>{name}</td>\n{pad}<td>{kind}</td>\n{pad}<td>{action}</td>\n\n{pad}<td>{amount}</td>"
        f"\n{pad}<td>{comment}</td>\n{' ' * 32}</tr>\n{' ' * 28}"
    )
