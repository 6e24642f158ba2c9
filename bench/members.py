"""Match rate of filers to members on every PTR filer of the captured fixtures.

Filers: every PTR row of the captured House yearly indexes (2012, 2015, 2021, 2026) and the
Senate report-data listings, keyed as the warehouse keys politicians; members: the reference
congress-legislators files (current + history since 2011). House "states" that are office
codes (committee and officer staff) and filers of no member's name, seat and term are counted
apart: they are not members. A politician matched to two members on different days would be
an error and is counted.

    .venv/bin/python bench/members.py
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from common import machine_info, report
from tabulate import tabulate

from quant_pipelines.members.match import MATCHED, MemberIndex
from quant_pipelines_tests.members.filers import fixture_filers, reference_legislators

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"


def main() -> None:
    read = reference_legislators(FIXTURES)
    index = MemberIndex([m for part in read for m in part.members], [t for part in read for t in part.terms])
    rows, members_of, rules = Counter(), defaultdict(set), Counter()
    politicians: dict[str, str] = {}
    for filer in fixture_filers(FIXTURES):
        match = index.match(filer)
        office = "office code" in match.reason
        kind = match.status if match.status == MATCHED else ("staff office code" if office else match.status)
        rows[(filer.chamber, kind)] += 1
        if match.status == MATCHED:
            members_of[filer.politician_id].add(match.bioguide_id)
            rules[match.reason.split(",")[0]] += 1
        politicians.setdefault(filer.politician_id, kind)
        if match.status == MATCHED:
            politicians[filer.politician_id] = kind
    table = [[chamber, kind, count] for (chamber, kind), count in sorted(rows.items())]
    by_politician = Counter(politicians.values())
    conflicting = sum(1 for ids in members_of.values() if len(ids) > 1)
    notes = [
        f"Politicians (warehouse keys): {len(politicians)}; matched {by_politician[MATCHED]} "
        f"({len(set().union(*members_of.values()))} members), staff office codes {by_politician['staff office code']}, "
        f"other unmatched {by_politician['unmatched']}, ambiguous {by_politician['ambiguous']}; "
        f"politicians matched to two different members: {conflicting}.",
        "Rules that matched (filer-days): " + ", ".join(f"{rule} {count}" for rule, count in rules.most_common()) + ".",
        "The other unmatched are House filers under a real state and district whose name no member of that "
        "state had in a term covering the date: staff filing under their member's seat and candidates "
        "(reviewed by hand: none is in the legislators files).",
    ]
    body = tabulate(table, headers=["chamber", "outcome", "filer-days"], tablefmt="github")
    report("members", "Members: fixture filers matched to bioguide ids", machine_info(), body, notes)


if __name__ == "__main__":
    main()
