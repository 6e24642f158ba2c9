"""Link each amendment to the filing it amends, the same way whatever order filings arrive in.

Nothing in an eFD page names the report it amends. The amended report is sought among
the same filer's filings for the same "for MM/DD/YYYY" date, filed no later, one version
below (the original for Amendment 1). One candidate is linked outright. Several (Boozman
filed two same-day originals with the same title) are told apart by their rows: an
amendment restates the report it amends, so that report shares most of its rows; only a
clear winner is linked, otherwise the reason names every candidate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from quant_pipelines.vocabulary.normalize import collapse

# A winner shares at least half of the larger row list, a quarter more than the runner-up.
MIN_SHARE = 0.5
MIN_MARGIN = 0.25

RowKey = tuple


class Line(Protocol):
    """What :func:`row_keys` reads of a line: a parsed ``Transaction`` or a stored ``transactions`` row."""

    transaction_date: date | None
    owner: str | None
    transaction_type: str | None
    amount_min: int | None
    ticker: str | None
    asset_name: str | None


@dataclass(frozen=True)
class Member:
    """A ledger row of one (filer, report date) group, with its rows when they can be compared."""

    source_id: str
    politician_id: str
    report_for: date
    version: int  # 0 for an original, N for "(Amendment N)"
    filed_date: date
    keys: tuple[RowKey, ...] | None  # None: the document cannot be compared (paper, failed, missing)


@dataclass(frozen=True)
class Link:
    """What became of one amendment: the source_id it amends (or None) and why."""

    amends: str | None
    reason: str


def row_keys(lines: Iterable[Line]) -> tuple[RowKey, ...]:
    """What an amendment restates of each row: date, owner, type, band and the security."""
    return tuple(
        (
            line.transaction_date,
            line.owner,
            line.transaction_type,
            line.amount_min,
            line.ticker or collapse(line.asset_name).lower(),
        )
        for line in lines
    )


def link(amendment: Member, group: Sequence[Member]) -> Link:
    """Find the filing ``amendment`` amends among ``group`` (its filer's filings for the same date)."""
    earlier = [
        m
        for m in group
        if m.source_id != amendment.source_id
        and m.version < amendment.version
        and m.filed_date <= amendment.filed_date
    ]
    what = f"{amendment.politician_id} for {amendment.report_for:%m/%d/%Y}"
    if not earlier:
        return Link(None, f"no earlier filing by {what} in the ledger")
    top = max(m.version for m in earlier)
    candidates = sorted((m for m in earlier if m.version == top), key=lambda m: m.source_id)
    if len(candidates) == 1:
        return Link(candidates[0].source_id, f"the only earlier filing by {what}")
    names = ", ".join(m.source_id for m in candidates)
    if amendment.keys is None:
        return Link(
            None,
            f"ambiguous: {len(candidates)} candidates ({names}) and this filing's rows cannot be compared",
        )
    blind = [m.source_id for m in candidates if m.keys is None]
    if blind:
        return Link(None, f"ambiguous: candidates {names}; rows of {', '.join(blind)} cannot be compared")
    scored = sorted(
        ((_share(amendment.keys, m.keys), m) for m in candidates),
        key=lambda pair: (-pair[0][0], pair[1].source_id),
    )
    summary = "; ".join(f"{m.source_id} shares {same}/{size} rows" for (_, same, size), m in scored)
    (best, _, _), winner = scored[0]
    if best >= MIN_SHARE and best - scored[1][0][0] >= MIN_MARGIN:
        return Link(
            winner.source_id, f"restates {winner.source_id} among {len(candidates)} candidates: {summary}"
        )
    return Link(None, f"ambiguous: no candidate clearly restated: {summary}")


def resolve(group: Sequence[Member]) -> tuple[dict[str, Link], dict[str, str]]:
    """Links for every amendment of a group, and the amended filings -> the amendment superseding them.

    An amended filing superseded by several amendments keeps the highest version.
    """
    links = {m.source_id: link(m, group) for m in group if m.version > 0}
    by_id = {m.source_id: m for m in group}
    superseded: dict[str, str] = {}
    for source_id, found in sorted(links.items(), key=lambda item: (by_id[item[0]].version, item[0])):
        if found.amends is not None:
            superseded[found.amends] = source_id
    return links, superseded


def _share(ours: Sequence[RowKey], theirs: Sequence[RowKey]) -> tuple[float, int, int]:
    same = sum((Counter(ours) & Counter(theirs)).values())
    size = max(len(ours), len(theirs), 1)
    return same / size, same, size
