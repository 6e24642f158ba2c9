"""The senate_transactions step: parse archived pages (never the network), link amendments.

:func:`parse_window` takes the window's ledger rows and returns the transaction lines
plus every ledger row to upsert: the window's own, and rows of earlier partitions whose
link or ``superseded`` status changed. Each (filer, report date) group is settled from
all of its ledger rows at once, so re-running any partition, in any order, converges.
A filing whose archived document and parser version are those of its stored lines, its
outcome settled (a paper filing whose missing images were archived since is back to
``needs_ocr``), keeps those lines instead of being parsed or read by OCR again
(``senate/unchanged.py``), unless the run asks to ``reparse``; amendment linking compares
its stored rows as it would the parsed ones.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, select

from quant_pipelines.db import raw_documents
from quant_pipelines.db.schema import filings
from quant_pipelines.senate import paper
from quant_pipelines.senate.documents import PARSER_VERSION, report_for
from quant_pipelines.senate.documents.amendments import Link, Member, RowKey, resolve, row_keys
from quant_pipelines.senate.documents.report import Outcome, parse_archived
from quant_pipelines.senate.unchanged import Kept, kept_filings
from quant_pipelines.warehouse import ledger


@dataclass
class WindowResult:
    """Rows for ``transactions`` and the ledger rows to upsert."""

    transactions: pd.DataFrame
    ledger: pd.DataFrame
    statuses: Counter = field(default_factory=Counter)
    outside_updates: int = 0
    unchanged: int = 0  # filings of the window whose stored lines were kept


def parse_window(engine: Engine, window: pd.DataFrame, parsed_at: datetime, *, reparse: bool = False) -> WindowResult:
    """Parse every archived document of the window and settle its amendment groups.

    Filings read before from the same document by the same parser keep their stored lines, unless ``reparse``.
    """
    rows = {row["filing_id"]: row for row in _records(window)}
    ocr_lines: list[dict[str, Any]] = []
    with engine.connect() as conn:
        stored = {} if reparse else kept_filings(conn, rows.values())
        outcomes = {fid: _outcome(conn, row, stored) for fid, row in rows.items() if row["raw_sha256"]}
        for fid, outcome in outcomes.items():
            if fid not in stored and outcome.status == "needs_ocr" and rows[fid]["filing_type"] == "paper":
                outcomes[fid], read = paper.read_filing(conn, rows[fid], outcome)
                ocr_lines += read
        touched = {_group_key(row) for row in rows.values()} - {None}
        others = {
            fid: row
            for fid, row in _group_rows(conn, {key[0] for key in touched}).items()
            if fid not in rows and _group_key(row) in touched
        }
        if not reparse:
            stored.update(kept_filings(conn, others.values()))
        # An amended filing elsewhere falls back to what its own document says if it is no longer amended.
        outcomes.update(
            {
                fid: _outcome(conn, row, stored)
                for fid, row in others.items()
                if row["status"] == "superseded" and row["raw_sha256"]
            }
        )
        groups = _groups({**others, **rows}, outcomes, stored, conn)
    # A kept filing was not parsed again: it keeps the time it was.
    settled = {
        fid: _settle(row, outcomes.get(fid), True, groups, row["parsed_at"] if fid in stored else parsed_at)
        for fid, row in rows.items()
    }
    for fid, row in others.items():
        new = _settle(row, outcomes.get(fid), False, groups, parsed_at)
        if any(row[k] != new[k] for k in ("status", "reason", "amends", "amends_reason")):
            settled[fid] = new
    kept = [fid for fid in rows if fid in stored]
    lines = ledger.LineFrames()
    lines.extend(
        line
        for fid, outcome in sorted(outcomes.items())
        if fid in rows and outcome.page is not None
        for line in ledger.transaction_rows(rows[fid], outcome.page.report, parser_version=PARSER_VERSION)
    )
    lines.extend(ocr_lines)
    lines.extend(line for fid in kept for line in stored[fid].lines)
    return WindowResult(
        transactions=lines.frame(),
        ledger=ledger.ledger_frame(settled.values()),
        statuses=Counter(settled[fid]["status"] for fid in rows),
        outside_updates=len(settled) - len(rows),
        unchanged=len(kept),
    )


def _outcome(conn: Connection, row: Mapping[str, Any], stored: Mapping[str, Kept]) -> Outcome:
    kept = stored.get(row["filing_id"])
    return kept.outcome if kept else _parse(conn, row)


@dataclass(frozen=True)
class _Groups:
    links: dict[str, Link]
    superseded_by: dict[str, str]


def _group_key(row: Mapping[str, Any]) -> tuple[str, date] | None:
    when = report_for(row["report_title"])
    return (row["politician_id"], when) if when else None


def _groups(
    rows: Mapping[str, dict], outcomes: dict[str, Outcome], stored: Mapping[str, Kept], conn: Connection
) -> _Groups:
    members: dict[tuple, list[tuple[dict, Member]]] = {}
    for row in rows.values():
        key = _group_key(row)
        if key is not None:
            version = row["amendment_number"] or (1 if row["filing_type"] == "amendment" else 0)
            member = Member(row["source_id"], row["politician_id"], key[1], version, row["filed_date"], None)
            members.setdefault(key, []).append((row, member))
    links, superseded = {}, {}
    for group in members.values():
        if all(member.version == 0 for _, member in group):
            continue
        found, amended = resolve([replace(member, keys=_keys(conn, row, outcomes, stored)) for row, member in group])
        links.update(found)
        superseded.update(amended)
    return _Groups(links, superseded)


def _keys(
    conn: Connection, row: Mapping[str, Any], outcomes: dict[str, Outcome], stored: Mapping[str, Kept]
) -> tuple[RowKey, ...] | None:
    """The row's comparable lines: stored, else parsed from its archived document (None if it has none)."""
    if row["filing_id"] in stored:
        return stored[row["filing_id"]].keys
    outcome = outcomes.get(row["filing_id"])
    if outcome is None and row["raw_sha256"]:
        outcome = _parse(conn, row)
    return row_keys(outcome.page.report.transactions) if outcome and outcome.page else None


def _parse(conn: Connection, row: Mapping[str, Any]) -> Outcome:
    return parse_archived(row, raw_documents.load(conn, row["raw_sha256"]))


def _settle(row: dict, outcome: Outcome | None, inside: bool, groups: _Groups, parsed_at: datetime) -> dict:
    """The row's new state: its own parse outcome, its amendment link, superseded if amended."""
    new = dict(row)
    if outcome is not None and (inside or row["status"] == "superseded"):
        new.update(status=outcome.status, reason=outcome.reason)
        if inside:
            new.update(parser_version=outcome.parser_version or PARSER_VERSION, parsed_at=parsed_at)
            if outcome.detail is not None:
                new["detail"] = {**(row["detail"] or {}), **outcome.detail}
    found = groups.links.get(row["source_id"])
    new.update(amends=found.amends if found else None, amends_reason=found.reason if found else None)
    by = groups.superseded_by.get(row["source_id"])
    if by and row["raw_sha256"] and new["status"] != "fetched":
        new.update(status="superseded", reason=f"superseded by amendment senate:{by}")
    return new


def _group_rows(conn: Connection, politician_ids: Iterable[str]) -> dict[str, dict]:
    query = select(filings).where(
        filings.c.source == "senate", filings.c.politician_id.in_(sorted(politician_ids))
    )
    return {row["filing_id"]: row for row in (dict(r._mapping) for r in conn.execute(query))}


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: (None if _missing(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, (dict, list, str)) and pd.isna(value))
