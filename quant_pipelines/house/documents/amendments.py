"""Link House amendments to the filings they amend (pure: facts in, decisions out).

A House amendment names nothing it amends: its rows carry "FILING STATUS: Amended"
(and a row ID that appears nowhere else), or, in the old index schema, the whole report
is ``FilingType A``. The rule, applied to one member's filings at a time:

1. The amendment's keys are (asset, transaction date) of its amended rows, or of all
   its rows when only the index marks it as an amendment. The asset is the ticker when
   there is one, else the asset name folded to lowercase letters and digits.
2. Candidates are the member's parsed filings filed before it (the same day counts for
   a filing that is not itself an amendment) that list every key.
3. The latest candidate is the one amended (an amendment of an amendment restates the
   newest version). No candidate: ``amends`` stays NULL and the reason names the first
   key nobody lists.
4. The amended filing is ``superseded`` only when the amendment restates all of its rows;
   otherwise (the Clerk's amendments usually restate just the corrected rows) it stays
   ``parsed`` and the amendment lists the rows it replaces.

Deciding from the member's whole set of filings makes the outcome independent of the
order in which partitions are parsed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class RowFacts:
    number: int
    asset: str
    traded: date | None
    amended: bool


@dataclass(frozen=True)
class FilingFacts:
    """What linking needs to know of one filing."""

    source_id: str
    filed_date: date
    parsed: bool
    index_amendment: bool
    rows: tuple[RowFacts, ...]

    @property
    def is_amendment(self) -> bool:
        return self.index_amendment or any(row.amended for row in self.rows)

    def keys(self) -> list[tuple[str, date | None]]:
        amended = [row for row in self.rows if row.amended] or list(self.rows)
        return [(row.asset, row.traded) for row in amended]


@dataclass(frozen=True)
class Link:
    """The decision for one amendment."""

    amends: str | None
    reason: str
    replaces_rows: tuple[int, ...] = ()
    restates_all: bool = False


def asset_key(ticker: str | None, asset_name: str) -> str:
    """The asset as both filings should name it: the ticker, else the name's letters and digits."""
    if ticker:
        return ticker.upper()
    return _NOT_ALNUM.sub("", asset_name.lower())


def link_amendments(filings: Iterable[FilingFacts]) -> tuple[dict[str, Link], dict[str, str]]:
    """For one member's filings: each amendment's link, and fully superseded filing -> its amendment."""
    ordered = sorted(filings, key=lambda filing: (filing.filed_date, filing.source_id))
    links: dict[str, Link] = {}
    superseded: dict[str, str] = {}
    for amendment in ordered:
        if not amendment.is_amendment:
            continue
        if not amendment.parsed:
            links[amendment.source_id] = Link(None, "unlinked: the amendment's document is not parsed")
            continue
        links[amendment.source_id] = link = _link(amendment, ordered)
        if link.amends is not None and link.restates_all:
            superseded[link.amends] = amendment.source_id
    return links, superseded


def _link(amendment: FilingFacts, ordered: list[FilingFacts]) -> Link:
    keys = amendment.keys()
    earlier = [
        filing
        for filing in ordered
        if filing.parsed
        and filing.source_id != amendment.source_id
        and (
            filing.filed_date < amendment.filed_date
            or (filing.filed_date == amendment.filed_date and not filing.is_amendment)
        )
    ]
    candidates = [filing for filing in earlier if all(key in _listed(filing) for key in keys)]
    if not candidates:
        unlisted = [key for key in keys if not any(key in _listed(filing) for filing in earlier)]
        if not unlisted:
            return Link(
                None, f"unlinked: no single earlier filing of this member lists all {len(keys)} amended rows"
            )
        asset, traded = unlisted[0]
        when = traded.isoformat() if traded else "an unknown date"
        return Link(None, f"unlinked: no earlier parsed filing of this member lists {asset} traded {when}")
    target = candidates[-1]
    replaced = tuple(row.number for row in target.rows if (row.asset, row.traded) in keys)
    more = f"; {len(candidates)} earlier filings match, the latest is taken" if len(candidates) > 1 else ""
    return Link(
        target.source_id,
        f"linked: {target.source_id} (filed {target.filed_date.isoformat()}) lists the asset and "
        f"transaction date of all {len(keys)} amended row(s){more}",
        replaced,
        restates_all=len(replaced) == len(target.rows),
    )


def _listed(filing: FilingFacts) -> set[tuple[str, date | None]]:
    return {(row.asset, row.traded) for row in filing.rows}
