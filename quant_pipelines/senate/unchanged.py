"""Senate filings a re-run need not parse again: their stored lines stand for the parse.

What ``warehouse/unchanged.py`` says of both sources, with what only the Senate needs: the
outcome a parse would give is read back from the ledger row, and the rows amendment linking compares (and counts, order
aside) are rebuilt from the stored lines exactly as :func:`row_keys` builds them from a parsed page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row

from quant_pipelines.senate.documents import PARSER_VERSION
from quant_pipelines.senate.documents.amendments import RowKey, row_keys
from quant_pipelines.senate.documents.paper import READER_VERSION
from quant_pipelines.senate.documents.paper import parser_version as paper_version
from quant_pipelines.senate.documents.report import Outcome
from quant_pipelines.warehouse.unchanged import parser_versions, stored_lines


@dataclass(frozen=True)
class Kept:
    """A filing's stored lines standing in for a parse: its outcome, comparable rows and lines."""

    outcome: Outcome
    keys: tuple[RowKey, ...] | None
    lines: list[dict[str, Any]]


def kept_filings(conn: Connection, rows: Iterable[dict[str, Any]]) -> dict[str, Kept]:
    """The filings among ``rows`` whose stored lines stand for a parse (see ``warehouse/unchanged.py``).

    A paper filing whose missing page images the fetch step archived since is back to
    ``needs_ocr`` (not settled), so it is read again; images still missing would be missing from
    a new read too. A superseded filing qualifies only when its own outcome is known without
    parsing (see :func:`_own`).
    """
    candidates = {row["filing_id"]: row for row in rows}
    versions = parser_versions(
        candidates.values(), PARSER_VERSION, ocr_reader=READER_VERSION, ocr_version=paper_version
    )
    found: dict[str, Kept] = {}
    for fid, lines in stored_lines(conn, candidates.values(), versions).items():
        outcome = _own(candidates[fid], lines)
        if outcome is None:
            continue
        # A page the HTML parser read is what amendment linking compares (a paper filing never is).
        read = (outcome.status, outcome.parser_version) == ("parsed", PARSER_VERSION)
        keys = row_keys(line for line in lines if line.row_status == "read") if read else None
        found[fid] = Kept(outcome, keys, [dict(line._mapping) for line in lines])
    return found


def _own(row: Mapping[str, Any], lines: list[Row]) -> Outcome | None:
    """The outcome the filing's last parse gave, as its ledger row tells it.

    ``superseded`` hides it: only a page the HTML parser read (it has read lines) is known to
    have been ``parsed``; any other superseded filing is parsed again.
    """
    if row["status"] != "superseded":
        return Outcome(row["status"], row["reason"], parser_version=row["parser_version"])
    if row["parser_version"] == PARSER_VERSION and any(line.row_status == "read" for line in lines):
        return Outcome("parsed", parser_version=PARSER_VERSION)
    return None

