"""senate_filings + senate_transactions end to end: real Chromium, the replica, real PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import Engine, select, text

from quant_pipelines.db import raw_documents as raw_documents_api
from quant_pipelines.db.schema import filings, raw_documents, transactions
from quant_pipelines.senate.assets import senate_filings, senate_transactions
from quant_pipelines_tests import materialize as runs
from quant_pipelines_tests.materialize import metadata
from quant_pipelines_tests.replica.senate import SenateReplica
from quant_pipelines_tests.replica.senate.generator import GeneratedFiling, generate
from quant_pipelines_tests.senate.support import pointed_at, senate_run_resources

pytestmark = pytest.mark.browser

ASSETS = [senate_filings, senate_transactions]
BOOZMAN = {"727b4eb6": "amendment", "a9754ff5": "original", "2e076759": "sibling"}
# Timestamps differ between runs; everything else must converge.
STABLE = [c for c in filings.columns if c.name not in ("fetched_at", "parsed_at")]


def _family() -> list[GeneratedFiling]:
    """Two same-titled originals filed 05/04 and an amendment of the first filed 05/07, plus filler."""
    base = [
        f
        for f in generate(seed=9, start=date(2026, 5, 4), end=date(2026, 5, 5), per_day=6)
        if f.kind == "ptr"
    ]
    original, other = base[0], base[1]
    sibling = GeneratedFiling(
        **{
            **other.__dict__,
            "first": original.first,
            "last": original.last,
            "suffix": original.suffix,
            "report_for": original.report_for,
            "amendment": None,
            "filed": original.filed,
        }
    )
    amendment = GeneratedFiling(
        **{
            **original.__dict__,
            "uuid": "0a11ce00-0000-4000-8000-000000000001",
            "amendment": 1,
            "filed": date(2026, 5, 7),
            "filed_time": time(9, 30),
        }
    )
    broken = [
        f
        for f in generate(seed=10, start=date(2026, 5, 5), end=date(2026, 5, 6), per_day=3)
        if f.kind == "ptr"
    ][:2]
    return [original, sibling, amendment, *broken]


@pytest.fixture(scope="module")
def replica(fixtures_dir: Path) -> Iterator[SenateReplica]:
    with SenateReplica(fixtures_dir, generated=_family()) as site, pointed_at(site):
        yield site


@pytest.fixture
def resources(replica: SenateReplica, warehouse_env) -> dict:
    replica.reset()
    return senate_run_resources()


def materialize(
    resources: dict, first: str, last: str | None = None, assets=ASSETS
) -> dg.ExecuteInProcessResult:
    return runs.materialize(assets, resources, first, last)


def ledger(engine: Engine) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(*STABLE).order_by(filings.c.filing_id))
        return {row.source_id[:8]: dict(row._mapping) for row in rows}


def lines(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(transactions).order_by(transactions.c.filing_id, transactions.c.row_number)
            )
        ]


def lined_filings(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(transactions.c.filing_id).distinct()).scalars())


def test_partition_end_to_end_and_rerun(
    resources: dict, replica: SenateReplica, engine: Engine, fixtures_dir: Path
) -> None:
    assert materialize(resources, "2026-06-16").success
    rows = ledger(engine)
    assert set(rows) == set(BOOZMAN)
    amendment, original, sibling = rows["727b4eb6"], rows["a9754ff5"], rows["2e076759"]
    assert amendment["status"] == "parsed" and amendment["amends"] == original["source_id"]
    assert "a9754ff5-901a-4877-b7be-a647bd361c52 shares 18/18 rows" in amendment["amends_reason"]
    assert "2e076759-19df-458d-a3be-53610b8be5d0 shares 0/18 rows" in amendment["amends_reason"]
    assert (
        original["status"] == "superseded"
        and original["reason"] == f"superseded by amendment senate:{amendment['source_id']}"
    )
    assert sibling["status"] == "parsed" and sibling["amends"] is None
    assert {row["parser_version"] for row in rows.values()} == {"senate-efd/1"}
    captured = {
        p.name.split("_")[1]: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (fixtures_dir / "senate" / "efd_2026").glob("ptr_*.html")
    }
    assert {key: row["raw_sha256"] for key, row in rows.items()} == {key: captured[key] for key in BOOZMAN}
    with engine.connect() as conn:
        assert conn.execute(select(raw_documents.c.sha256)).scalars().all().__len__() == 3
    first_lines = lines(engine)
    assert len(first_lines) == 18 + 18 + 15
    assert replica.counts[("POST", "/search/report/data/")] == 1

    replica.reset()
    rerun = materialize(resources, "2026-06-16")
    assert rerun.success and not replica.document_hits()  # nothing fetched twice
    assert metadata(rerun, "senate_filings")["documents_already_archived"] == 3
    assert ledger(engine) == rows and lines(engine) == first_lines


def test_three_day_range_in_one_run(resources: dict, replica: SenateReplica, engine: Engine) -> None:
    result = materialize(resources, "2026-06-06", "2026-06-08")
    assert result.success
    assert replica.counts[("POST", "/search/report/data/")] == 1  # one listing query for the window
    rows = ledger(engine)
    assert {key: row["filed_date"] for key, row in rows.items()} == {
        "59c6f909": date(2026, 6, 7),
        "a0d25e8f": date(2026, 6, 8),
    }
    paper = rows["a0d25e8f"]
    # Its images are archived and read by OCR (test_paper_ocr.py); five were never captured: review.
    assert (paper["status"], paper["filing_type"]) == ("needs_review", "paper")
    assert len(paper["detail"]["image_urls"]) == 7 and "page image 3 of 7 not available" in paper["reason"]
    assert rows["59c6f909"]["status"] == "parsed"
    assert lined_filings(engine) == {
        "senate:59c6f909-ad10-429d-8a8c-df81b00cf5fd",
        "senate:a0d25e8f-fe54-4328-a7ea-504da008742b",
    }
    assert metadata(result, "senate_filings")["status_needs_ocr"] == 1


def test_amendment_filed_days_later_converges_in_either_order(resources: dict, engine: Engine) -> None:
    original, sibling, amendment = (f.uuid for f in _family()[:3])
    assert materialize(resources, "2026-05-07").success
    early = ledger(engine)[amendment[:8]]
    assert early["amends"] is None and early["amends_reason"].startswith("no earlier filing")
    assert materialize(resources, "2026-05-04").success
    later_first = ledger(engine)
    assert later_first[amendment[:8]]["amends"] == original
    assert "among 2 candidates" in later_first[amendment[:8]]["amends_reason"]
    assert later_first[original[:8]]["status"] == "superseded"
    assert later_first[sibling[:8]]["status"] == "parsed"

    with engine.begin() as conn:
        conn.execute(text("TRUNCATE quant.filings, quant.transactions, quant.raw_documents"))
    assert materialize(resources, "2026-05-04").success
    assert materialize(resources, "2026-05-07").success
    assert ledger(engine) == later_first
    # Re-running the earlier partition alone keeps the link it did not create.
    assert materialize(resources, "2026-05-04").success
    assert ledger(engine) == later_first


def test_broken_pages_are_parse_failed_with_a_reason(
    resources: dict, replica: SenateReplica, engine: Engine, fixtures_dir: Path
) -> None:
    truncated, malformed = (f.uuid for f in _family()[3:5])
    whole = replica.templates.render(_family()[3])
    replica.set_page(truncated, whole[: len(whole) * 3 // 4])
    replica.set_page(
        malformed, b"<html><body><h1>Periodic Transaction Report</h1><table><tr><td>1</td></table>"
    )
    assert materialize(resources, "2026-05-05").success
    rows = ledger(engine)
    assert rows[truncated[:8]]["status"] == "parse_failed" and "truncated" in rows[truncated[:8]]["reason"]
    assert rows[malformed[:8]]["status"] == "parse_failed" and rows[malformed[:8]]["reason"]
    assert not lined_filings(engine) & {f"senate:{truncated}", f"senate:{malformed}"}


def test_session_expiry_and_503_burst_during_a_run(
    resources: dict, replica: SenateReplica, engine: Engine
) -> None:
    replica.expire_sessions_after(5)
    replica.fail_next(2, after=7)
    assert materialize(resources, "2026-06-16").success
    assert {row["status"] for row in ledger(engine).values()} == {"parsed", "superseded"}
    assert replica.counts[("POST", "/search/home/")] == 2  # the gate, and once more after the expiry
    assert replica.faults.fail_next == 0  # the 503 burst was served, and retried through


def test_blocked_pages_are_recorded_then_fetched_once_when_unblocked(
    resources: dict, replica: SenateReplica, engine: Engine
) -> None:
    replica.bot_wall()
    result = materialize(resources, "2026-06-16")
    assert result.success
    rows = ledger(engine)
    assert {row["status"] for row in rows.values()} == {"blocked"}
    reasons = sorted(row["reason"] for row in rows.values())
    assert "Request Rejected" in reasons[0] and all(r.startswith("not requested") for r in reasons[1:])
    assert metadata(result, "senate_filings")["status_blocked"] == 3

    replica.reset()
    assert materialize(resources, "2026-06-16").success
    assert set(replica.document_hits().values()) == {1}
    assert {row["status"] for row in ledger(engine).values()} == {"parsed", "superseded"}


def test_a_listing_blocked_as_a_whole_fails_the_step_clearly(
    resources: dict, replica: SenateReplica, engine: Engine
) -> None:
    replica.block()
    context = dg.build_asset_context(partition_key="2026-06-16")
    with pytest.raises(
        dg.Failure,
        match=r"refused the listing of 2026-06-16\.\.2026-06-16, nothing recorded: .*Access Denied",
    ):
        senate_filings(context, senate_efd=resources["senate_efd"], warehouse=resources["warehouse"])
    assert ledger(engine) == {}


def test_a_document_archived_by_a_crashed_run_is_not_downloaded_again(
    resources: dict, replica: SenateReplica, engine: Engine, fixtures_dir: Path
) -> None:
    """The archive is written before the ledger: a run that died in between left the bytes only."""
    page = (
        fixtures_dir / "senate" / "efd_2026" / "ptr_4b69867f_fetterman_child_corporate_bond.html"
    ).read_bytes()
    url = f"{replica.base_url}/search/view/ptr/4b69867f-0376-4526-93f2-cd556b1155c9/"
    with engine.begin() as conn:
        digest = raw_documents_api.store(
            conn, page, media_type="text/html", source_url=url, fetched_at=datetime.now(UTC)
        )
    assert materialize(resources, "2026-06-12").success
    assert not replica.document_hits()
    assert ledger(engine)["4b69867f"]["raw_sha256"] == digest
    assert ledger(engine)["4b69867f"]["status"] == "parsed"
