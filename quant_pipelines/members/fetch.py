"""Fetch the legislators files, archive each in ``raw_documents``, and replace ``members`` and
``member_terms`` with what they say, in one transaction (a bad file changes nothing)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine

from quant_pipelines.db import raw_documents
from quant_pipelines.db.schema import member_terms, members
from quant_pipelines.db.windows import copy_rows
from quant_pipelines.members.client import FILES, LegislatorsClient
from quant_pipelines.members.documents.legislators import Legislators, LegislatorsUnreadable, read_legislators


@dataclass(frozen=True)
class Archived:
    """One legislators file as fetched: where from, its sha256, size, and whether it was a 304."""

    url: str
    sha256: str
    size_bytes: int
    from_cache: bool


@dataclass(frozen=True)
class Collected:
    """The members and terms of every file (the first file listing a member wins) and the files."""

    members: pd.DataFrame
    terms: pd.DataFrame
    files: tuple[Archived, ...]


def collect(client: LegislatorsClient, engine: Engine, fetched_at: datetime) -> Collected:
    """Fetch and archive every legislators file and read it; LegislatorsUnreadable names the bad file."""
    read: list[tuple[Legislators, str]] = []
    files = []
    for path in FILES:
        fetched = client.file(path)
        with engine.begin() as conn:
            digest = raw_documents.store(
                conn, fetched.content, media_type=fetched.media_type or "application/yaml",
                source_url=fetched.url, fetched_at=fetched_at,
            )
        files.append(Archived(fetched.url, digest, len(fetched.content), fetched.from_cache))
        try:
            read.append((read_legislators(fetched.content), digest))
        except LegislatorsUnreadable as exc:
            raise LegislatorsUnreadable(f"{fetched.url} (sha256 {digest[:12]}): {exc}") from None
    member_rows, term_rows, seen = [], [], set()
    for legislators, digest in read:
        for member in legislators.members:
            if member.bioguide_id not in seen:
                seen.add(member.bioguide_id)
                member_rows.append({**asdict(member), "raw_sha256": digest})
        kept = {row["bioguide_id"] for row in member_rows if row["raw_sha256"] == digest}
        term_rows += [asdict(term) for term in legislators.terms if term.bioguide_id in kept]
    terms = pd.DataFrame(term_rows, columns=[column.name for column in member_terms.columns])
    # A term listed twice (same member, chamber and start) is kept once.
    terms = terms.drop_duplicates(["bioguide_id", "chamber", "term_start"], keep="first", ignore_index=True)
    frame = pd.DataFrame(member_rows, columns=[column.name for column in members.columns])
    return Collected(frame, terms, tuple(files))


def replace_members(engine: Engine, collected: Collected) -> None:
    """Replace both tables with the collected rows in one transaction."""
    with engine.begin() as conn:
        conn.execute(member_terms.delete())
        conn.execute(members.delete())
        copy_rows(conn, members, collected.members)
        copy_rows(conn, member_terms, collected.terms)
