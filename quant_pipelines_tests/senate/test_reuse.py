"""senate_transactions keeps the stored lines of filings it read before (issue 16): real PostgreSQL,
the captured Boozman pages archived and listed as the fetch step would have left them.

The three Boozman reports of 06/16/2026 (SITE_NOTES: an amendment restating the original's 18
rows, and a same-day sibling of 15 rows) are recorded here with the amendment filed a day later,
so that running one day alone leaves the other filings of its amendment group outside the window.
Nothing is fetched: only senate_transactions runs, reading senate_filings from the ledger.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import Engine, insert, literal_column, select, update

from quant_pipelines.db import raw_documents
from quant_pipelines.db.schema import filings, transactions
from quant_pipelines.senate import parse
from quant_pipelines.senate.assets import senate_filings, senate_transactions
from quant_pipelines.senate.documents import parse_ptr_page, parse_report_data
from quant_pipelines.senate.documents.amendments import row_keys
from quant_pipelines.senate.resource import SenateEfdBrowser
from quant_pipelines.senate.unchanged import kept_filings
from quant_pipelines.warehouse.ledger import filing_row
from quant_pipelines_tests import materialize as runs
from quant_pipelines_tests.materialize import metadata

LISTING = "report_data_response_ptr_senators_2026-06-01_onward.json"
BASE_URL = "https://efdsearch.senate.gov"
# Captured page -> the number of rows its file name says it holds.
PAGES = {
    "727b4eb6": ("ptr_727b4eb6_boozman_amendment1_18rows.html", 18),
    "a9754ff5": ("ptr_a9754ff5_boozman_original_that_was_amended_18rows.html", 18),
    "2e076759": ("ptr_2e076759_boozman_sameday_sibling_original_15rows.html", 15),
}
AMENDMENT, ORIGINAL, SIBLING = PAGES
MOVED = {AMENDMENT: date(2026, 6, 17)}
REPARSE = {"ops": {"senate_transactions": {"config": {"reparse": True}}}}


@pytest.fixture
def seeded(engine: Engine, warehouse_env, fixtures_dir: Path) -> dict[str, bytes]:
    """The three pages archived and their ledger rows ``fetched``, as senate_filings leaves them."""
    folder = fixtures_dir / "senate" / "efd_2026"
    listed = {f.source_id[:8]: f for f in parse_report_data((folder / LISTING).read_bytes(), BASE_URL).filings}
    pages = {}
    fetched_at = datetime(2026, 6, 18, tzinfo=UTC)
    with engine.begin() as conn:
        for key, (name, _) in PAGES.items():
            pages[key] = (folder / name).read_bytes()
            digest = raw_documents.store(
                conn, pages[key], media_type="text/html", source_url=listed[key].report_url, fetched_at=fetched_at
            )
            row = filing_row(listed[key], status="fetched", raw_sha256=digest, fetched_at=fetched_at)
            conn.execute(insert(filings).values({**row, "filed_date": MOVED.get(key, row["filed_date"])}))
    return pages


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source ids of every document the parse step parses (it parses through ``parse_archived``)."""
    seen: list[str] = []
    real: Callable = parse.parse_archived

    def counted(row, content):
        seen.append(row["source_id"][:8])
        return real(row, content)

    monkeypatch.setattr(parse, "parse_archived", counted)
    return seen


def materialize(first: str, last: str | None = None, run_config: dict | None = None) -> dg.ExecuteInProcessResult:
    resources = runs.run_resources(senate_efd=SenateEfdBrowser())
    result = runs.materialize(
        [senate_filings, senate_transactions], resources, first, last,
        selection=["senate_transactions"], run_config=run_config,
    )
    assert result.success
    return result


def ledger(engine: Engine) -> dict[str, dict]:
    with engine.connect() as conn:
        return {row.source_id[:8]: dict(row._mapping) for row in conn.execute(select(filings))}


def versions(engine: Engine) -> dict[tuple, str]:
    """Each stored row's xmin: a row written again (even with the same values) gets a new one."""
    found = {}
    with engine.connect() as conn:
        for table, key in ((transactions, ("filing_id", "row_number")), (filings, ("filing_id",))):
            query = select(literal_column("xmin::text"), *(table.c[name] for name in key))
            found.update({(table.name, *row[1:]): row[0] for row in conn.execute(query)})
    return found


def unchanged(result: dg.ExecuteInProcessResult) -> int:
    return metadata(result, "senate_transactions")["filings_unchanged"]


def test_a_second_run_parses_nothing_and_changes_nothing(seeded, parses: list[str], engine: Engine) -> None:
    first = materialize("2026-06-16", "2026-06-17")
    assert sorted(parses) == sorted(PAGES) and unchanged(first) == 0
    book = ledger(engine)
    amendment, original, sibling = (book[key] for key in PAGES)
    assert amendment["status"] == "parsed" and amendment["amends"] == original["source_id"]
    assert f"{original['source_id']} shares 18/18 rows" in amendment["amends_reason"]
    assert f"{sibling['source_id']} shares 0/18 rows" in amendment["amends_reason"]
    assert (original["status"], original["reason"]) == (
        "superseded", f"superseded by amendment senate:{amendment['source_id']}"
    )
    assert (sibling["status"], sibling["amends"]) == ("parsed", None)
    written = versions(engine)
    assert sum(key[0] == "transactions" for key in written) == sum(rows for _, rows in PAGES.values())

    parses.clear()
    again = materialize("2026-06-16", "2026-06-17")
    assert parses == [] and unchanged(again) == len(PAGES)
    assert versions(engine) == written  # not a row rewritten: the kept lines and ledger are what the parse gave
    assert ledger(engine) == book


def test_stored_lines_compare_as_the_parsed_page(seeded: dict[str, bytes], engine: Engine) -> None:
    materialize("2026-06-16", "2026-06-17")
    with engine.connect() as conn:
        kept = kept_filings(conn, ledger(engine).values())
    assert sorted(key[7:15] for key in kept) == sorted(PAGES)
    for filing_id, found in kept.items():
        page = parse_ptr_page(seeded[filing_id[7:15]])
        # Linking counts shared rows (order aside): the same rows, as many times each.
        assert Counter(found.keys) == Counter(row_keys(page.report.transactions))
        assert (found.outcome.status, found.outcome.reason) == ("parsed", None)  # the original's own outcome too


def test_one_day_alone_settles_its_group_from_stored_lines(seeded, parses: list[str], engine: Engine) -> None:
    materialize("2026-06-16", "2026-06-17")
    book, written = ledger(engine), versions(engine)
    parses.clear()
    # The amendment alone: the filings it is compared with are outside the window.
    assert unchanged(materialize("2026-06-17")) == 1
    # The original and the sibling alone: the amendment superseding the original is outside.
    assert unchanged(materialize("2026-06-16")) == 2
    assert parses == []
    assert ledger(engine) == book and versions(engine) == written


def test_reparse_reads_every_document_and_gives_the_same_rows(seeded, parses: list[str], engine: Engine) -> None:
    materialize("2026-06-16", "2026-06-17")
    book, written = ledger(engine), versions(engine)
    parses.clear()
    forced = materialize("2026-06-16", "2026-06-17", run_config=REPARSE)
    assert sorted(parses) == sorted(PAGES) and unchanged(forced) == 0
    assert versions(engine) == written and ledger(engine) == book


def test_another_parser_version_is_parsed_again(seeded, parses: list[str], engine: Engine) -> None:
    materialize("2026-06-16", "2026-06-17")
    book = ledger(engine)
    with engine.begin() as conn:
        conn.execute(update(filings).where(filings.c.filing_id.like(f"senate:{ORIGINAL}%")).values(parser_version="senate-efd/0"))
    parses.clear()
    result = materialize("2026-06-16", "2026-06-17")
    assert parses == [ORIGINAL] and unchanged(result) == len(PAGES) - 1
    assert ledger(engine)[ORIGINAL]["parser_version"] == "senate-efd/1"
    stable = [column for column in book[ORIGINAL] if column != "parsed_at"]
    assert {key: [row[c] for c in stable] for key, row in ledger(engine).items()} == {
        key: [row[c] for c in stable] for key, row in book.items()
    }
