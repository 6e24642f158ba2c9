"""The content-addressed archive of every fetched document (table ``raw_documents``).

Documents are stored the moment they are fetched, each in its own short transaction, so
a crash in a long backfill never costs a second download. The table only grows: a
document with the same sha256 is stored once, whatever URL it came from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert

from quant_pipelines.db.schema import raw_documents


def sha256_of(content: bytes) -> str:
    """Hex sha256, the document's key."""
    return hashlib.sha256(content).hexdigest()


def store(
    conn: Connection, content: bytes, *, media_type: str, source_url: str, fetched_at: datetime
) -> str:
    """Archive ``content`` unless already present; return its sha256."""
    digest = sha256_of(content)
    conn.execute(
        insert(raw_documents)
        .values(
            sha256=digest,
            media_type=media_type,
            size_bytes=len(content),
            content=content,
            source_url=source_url,
            fetched_at=fetched_at,
        )
        .on_conflict_do_nothing(index_elements=[raw_documents.c.sha256])
    )
    return digest


def load(conn: Connection, digest: str) -> bytes:
    """The archived bytes for ``digest``; KeyError when it was never stored."""
    content = conn.execute(
        select(raw_documents.c.content).where(raw_documents.c.sha256 == digest)
    ).scalar_one_or_none()
    if content is None:
        raise KeyError(f"no archived document with sha256 {digest}")
    return bytes(content)


def present(conn: Connection, digests: Iterable[str]) -> set[str]:
    """Which of ``digests`` are archived."""
    wanted = sorted(set(digests))
    if not wanted:
        return set()
    rows = conn.execute(select(raw_documents.c.sha256).where(raw_documents.c.sha256.in_(wanted)))
    return set(rows.scalars())


def by_source_url(conn: Connection, urls: Iterable[str]) -> dict[str, tuple[str, datetime]]:
    """The newest archived document fetched from each of ``urls``: url -> (sha256, fetched_at)."""
    wanted = sorted(set(urls))
    if not wanted:
        return {}
    query = (
        select(raw_documents.c.source_url, raw_documents.c.sha256, raw_documents.c.fetched_at)
        .where(raw_documents.c.source_url.in_(wanted))
        .order_by(raw_documents.c.fetched_at)
    )
    return {row.source_url: (row.sha256, row.fetched_at) for row in conn.execute(query)}
