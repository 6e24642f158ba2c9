"""Every politician in the warehouse matched to the members table (``members/match.py`` decides),
written to ``politician_members`` and to ``politicians.bioguide_id`` in one transaction."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, select, update

from quant_pipelines.db.schema import member_terms, members, politician_members, politicians
from quant_pipelines.db.windows import copy_rows
from quant_pipelines.members.documents.legislators import Member, Term
from quant_pipelines.members.match import MATCHED, Filer, Match, MemberIndex


@dataclass(frozen=True)
class MatchReport:
    """What the matching decided, for metadata and the asset check."""

    matches: tuple[Match, ...]

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(match.status for match in self.matches))

    @property
    def match_rate(self) -> float:
        return round(self.counts.get(MATCHED, 0) / len(self.matches), 4) if self.matches else 0.0

    def not_matched(self) -> list[Match]:
        return [match for match in self.matches if match.status != MATCHED]


def member_index(conn: Connection) -> MemberIndex:
    """The members and terms the warehouse holds, ready to match."""
    member_fields = [column for column in members.c if column.name != "raw_sha256"]
    loaded = [Member(**row._mapping) for row in conn.execute(select(*member_fields))]
    terms = [Term(**row._mapping) for row in conn.execute(select(member_terms))]
    return MemberIndex(loaded, terms)


def warehouse_filers(conn: Connection) -> list[Filer]:
    """Every politician as their newest filing names them, as of that filing's date."""
    rows = conn.execute(
        select(
            politicians.c.politician_id, politicians.c.chamber, politicians.c.first_name,
            politicians.c.last_name, politicians.c.suffix, politicians.c.state, politicians.c.district,
            politicians.c.last_seen.label("filed_date"),
        ).order_by(politicians.c.politician_id)
    )
    return [Filer(**row._mapping) for row in rows]


def match_politicians(conn: Connection, matched_at: datetime) -> MatchReport:
    """Match every politician and write the outcome (replacing the previous one); call in a transaction."""
    index = member_index(conn)
    report = MatchReport(tuple(index.match(filer) for filer in warehouse_filers(conn)))
    conn.execute(politician_members.delete())
    frame = pd.DataFrame([asdict(match) for match in report.matches], columns=[c.name for c in politician_members.c])
    copy_rows(conn, politician_members, frame.assign(matched_at=matched_at))
    conn.execute(
        update(politicians).values(
            bioguide_id=select(politician_members.c.bioguide_id)
            .where(politician_members.c.politician_id == politicians.c.politician_id)
            .scalar_subquery()
        )
    )
    return report
