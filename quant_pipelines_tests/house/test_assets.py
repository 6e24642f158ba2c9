"""house_filings + house_transactions materialized against the replica and a real PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
from sqlalchemy import Engine, select

from quant_pipelines.assets.house import house_filings, house_transactions
from quant_pipelines.assets.house_fetch import ListingUnavailable, collect
from quant_pipelines.db.schema import filings, transactions
from quant_pipelines.resources.house_clerk import HouseClerkResource
from quant_pipelines.resources.http import PoliteHttpClient
from quant_pipelines.resources.warehouse import PostgresWindowIOManager, WarehouseResource
from quant_pipelines_tests.replica.house import HouseReplica
from quant_pipelines_tests.replica.house_documents import GeneratedFiling, GeneratedRow, random_filing

RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def materialize(
    house_clerk: HouseClerkResource, first: str, last: str | None = None
) -> dg.ExecuteInProcessResult:
    """One run over ``first``..``last`` (a single-run backfill when they differ)."""
    warehouse = WarehouseResource()
    resources = {
        "warehouse": warehouse,
        "io_manager": PostgresWindowIOManager(warehouse=warehouse),
        "house_clerk": house_clerk,
    }
    if last is None:
        return dg.materialize([house_filings, house_transactions], partition_key=first, resources=resources)
    tags = {RANGE_START: first, RANGE_END: last}
    return dg.materialize([house_filings, house_transactions], tags=tags, resources=resources)


def ledger(engine: Engine) -> dict[str, dict[str, Any]]:
    with engine.connect() as conn:
        return {
            row.source_id: dict(row._mapping)
            for row in conn.execute(select(filings).where(filings.c.source == "house"))
        }


def lines(engine: Engine) -> list[dict[str, Any]]:
    query = select(transactions).order_by(transactions.c.filing_id, transactions.c.row_number)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def metadata(result: dg.ExecuteInProcessResult, asset: str) -> dict[str, Any]:
    event = next(
        e for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == asset
    )
    return {key: getattr(value, "value", value) for key, value in event.materialization.metadata.items()}


def _pdf_requests(replica: HouseReplica) -> dict[str, int]:
    return {path: count for path, count in replica.requests.items() if path.endswith(".pdf")}


def test_one_partition_then_a_rerun_fetches_nothing_new(
    house_env: HouseReplica, house_clerk, engine: Engine, fixtures_dir: Path
) -> None:
    result = materialize(house_clerk, "2026-06-23")
    assert result.success
    book = ledger(engine)
    assert set(book) == {"20034815", "20034836"}
    pelosi = book["20034836"]
    assert (pelosi["status"], pelosi["politician_id"], pelosi["state"], pelosi["district"]) == (
        "parsed",
        "house:pelosi-nancy:CA",
        "CA",
        "11",
    )
    assert (pelosi["parser_version"], pelosi["filing_type"], pelosi["amends"]) == (
        "house-clerk/1",
        "original",
        None,
    )
    assert pelosi["report_url"] == f"{house_env.base_url}/public_disc/ptr-pdfs/2026/20034836.pdf"
    assert pelosi["detail"] == {"signed_date": "2026-06-23"}
    generated = house_env.listing(2026)["20034815"]
    rows = lines(engine)
    assert [(row["filing_id"], row["row_number"]) for row in rows] == (
        [("house:20034815", n) for n in range(1, len(generated.rows) + 1)]
        + [("house:20034836", 1), ("house:20034836", 2)]
    )
    intel = rows[-2]
    assert (
        intel["ticker"],
        intel["owner"],
        intel["asset_type"],
        intel["amount_min"],
        intel["amount_max"],
    ) == ("INTC", "spouse", "stock_option", 1_000_001, 5_000_000)
    assert (intel["option_type"], intel["expiry"], intel["filed_date"], intel["source"]) == (
        "call",
        date(2027, 3, 19),
        date(2026, 6, 23),
        "house",
    )
    assert intel["details"]["asset_type_code"] == "OP" and intel["raw_sha256"] == pelosi["raw_sha256"]
    first = metadata(result, "house_filings")
    assert (first["documents_fetched"], first["filings_fetched"], first["index_not_modified"]) == (2, 2, 0)
    assert metadata(result, "house_transactions")["filings_parsed"] == 2

    again = materialize(house_clerk, "2026-06-23")
    assert again.success
    second = metadata(again, "house_filings")
    assert (second["documents_fetched"], second["documents_already_archived"]) == (0, 2)
    assert second["index_not_modified"] == 2  # 2025 and 2026 unchanged; 2024 answers 404 again
    assert second["bytes_downloaded"] == len(
        (fixtures_dir / "house" / "pages" / "robots_txt_404_page.html").read_bytes()
    )
    assert set(_pdf_requests(house_env).values()) == {1}
    assert lines(engine) == rows
    unchanged = ["status", "raw_sha256", "fetched_at", "amends", "reason", "detail", "filing_type"]
    assert {key: {k: v[k] for k in unchanged} for key, v in ledger(engine).items()} == {
        key: {k: v[k] for k in unchanged} for key, v in book.items()
    }


def test_three_day_range_with_paper_filings(house_env: HouseReplica, house_clerk, engine: Engine) -> None:
    assert materialize(house_clerk, "2026-05-05", "2026-05-07").success
    listed = {
        doc_id: spec
        for doc_id, spec in house_env.listing(2026).items()
        if date(2026, 5, 5) <= spec.filed <= date(2026, 5, 7)
    }
    book = ledger(engine)
    assert set(book) == set(listed)
    paper = {doc_id for doc_id in listed if doc_id[0] in "89"}
    assert "9115811" in paper and len(paper) >= 6
    for doc_id, row in book.items():
        if doc_id in paper:
            assert (row["status"], row["filing_type"]) == ("needs_ocr", "paper")
            assert row["reason"].startswith("no text layer") and row["raw_sha256"]
        else:
            assert row["status"] == "parsed"
    expected_rows = sum(len(spec.rows) for doc_id, spec in listed.items() if doc_id not in paper)
    assert len(lines(engine)) == expected_rows


def test_faults_become_ledger_rows_and_heal_on_rerun(
    house_env: HouseReplica, house_clerk, engine: Engine
) -> None:
    missing, cut = "20034706", "/public_disc/ptr-pdfs/2026/20034780.pdf"
    house_env.remove(2026, missing)
    house_env.fail(503, times=2, path="/public_disc/financial-pdfs/2026FD.zip")
    house_env.cut(cut)
    assert materialize(house_clerk, "2026-06-12").success
    book = ledger(engine)
    assert book[missing]["status"] == "blocked" and "HTTP 404" in book[missing]["reason"]
    assert book[missing]["raw_sha256"] is None
    assert book["20034780"]["status"] == book["20020055"]["status"] == "parsed"
    assert house_env.requests[cut] == 2

    house_env.restore(2026, missing)
    assert materialize(house_clerk, "2026-06-12").success
    assert ledger(engine)[missing]["status"] == "parsed"
    assert house_env.requests[cut] == 2 and house_env.requests["/public_disc/ptr-pdfs/2026/20020055.pdf"] == 1


def test_a_day_without_filings_writes_nothing(house_env: HouseReplica, house_clerk, engine: Engine) -> None:
    result = materialize(house_clerk, "2026-06-13")
    assert result.success
    assert ledger(engine) == {} and lines(engine) == []
    assert metadata(result, "house_transactions")["transactions"] == 0


def test_window_across_new_year_reads_both_indexes(
    fixtures_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    warehouse_env,
    tmp_path: Path,
    house_clerk,
    engine: Engine,
) -> None:
    eve, day = date(2025, 12, 31), date(2026, 1, 2)
    generated = [
        random_filing("27400001", eve, "Nia", "Eve", "ZZ05", rows=3, seed=1),
        random_filing("27400002", day, "Ned", "Day", "ZZ06", rows=2, seed=2),
    ]
    with HouseReplica(fixtures_dir, generated) as site:
        monkeypatch.setenv("HOUSE_CLERK_BASE_URL", site.base_url)
        monkeypatch.setenv("QUANT_STATE_DIR", str(tmp_path / "state"))
        monkeypatch.setenv("QUANT_REQUESTS_PER_SECOND", "500")
        assert materialize(house_clerk, "2025-12-31", "2026-01-02").success
        index_requests = sorted(path for path in site.requests if path.endswith(".zip"))
        listed = {
            doc_id: spec
            for year in (2025, 2026)
            for doc_id, spec in site.listing(year).items()
            if eve <= spec.filed <= day
        }
    assert index_requests == [
        f"/public_disc/financial-pdfs/{year}FD.zip" for year in (2023, 2024, 2025, 2026)
    ]
    book = ledger(engine)
    assert {"27400001", "27400002"} < set(book) == set(listed)
    assert book["27400001"]["report_url"].endswith("/ptr-pdfs/2025/27400001.pdf")
    assert book["27400002"]["report_url"].endswith("/ptr-pdfs/2026/27400002.pdf")
    assert {row["status"] for row in book.values()} == {"parsed"}
    assert len(lines(engine)) == sum(len(spec.rows) for spec in listed.values())


def test_blocked_site_fails_the_listing_with_the_reason(house_env: HouseReplica, engine: Engine) -> None:
    house_env.block(403)
    client = PoliteHttpClient(
        user_agent="tests", requests_per_second=500, max_retries=1, backoff_seconds=0.01
    )
    with pytest.raises(ListingUnavailable, match=r"the 2024 index could not be fetched: .*HTTP 403"):
        collect(client, engine, house_env.base_url, date(2026, 6, 12), date(2026, 6, 13))
    client.close()
    assert ledger(engine) == {}


def test_unlinked_amendment_keeps_the_reason(house_env: HouseReplica, house_clerk, engine: Engine) -> None:
    assert materialize(house_clerk, "2026-01-07").success
    rouzer = ledger(engine)["20033759"]
    assert (rouzer["status"], rouzer["filing_type"], rouzer["amends"]) == ("parsed", "amendment", None)
    assert (
        rouzer["amends_reason"]
        == "unlinked: no earlier parsed filing of this member lists BA traded 2025-12-09"
    )


def test_old_schema_year_and_late_listing(house_env: HouseReplica, house_clerk, engine: Engine) -> None:
    # 2013-11-06 has four amended PTRs (FilingType A, DisclosureType PTR) listed only in the
    # old-schema 2012 index; 2011 and 2013 have no index on the replica.
    result = materialize(house_clerk, "2013-11-06")
    assert result.success
    book = ledger(engine)
    assert sorted(book) == ["2002800", "2002802", "2002803", "2002804"]
    for row in book.values():
        assert (row["status"], row["filing_type"], row["amends"]) == ("parsed", "amendment", None)
        assert row["amends_reason"].startswith("unlinked: no earlier parsed filing of this member lists")
        assert "/ptr-pdfs/2012/" in row["report_url"]
    notes = metadata(result, "house_filings")["index_notes"]
    assert "no index published for 2011" in notes and "no index published for 2013" in notes


MEMBER = dict(first="Avery", last="Linkletter", state_dst="ZZ04")


def _row(asset: str, ticker: str, traded: date, **values) -> GeneratedRow:
    return GeneratedRow(
        asset=asset,
        ticker=ticker,
        code="ST",
        type="S",
        date=traded,
        notified=traded,
        amount="$1,001 - $15,000",
        **values,
    )


@pytest.fixture
def amendment_site(fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch, warehouse_env, tmp_path: Path):
    """A replica with one member's original PTRs and two amendments (one partial, one full)."""
    boeing, apple, bill = (
        _row("Boeing Company", "BA", date(2026, 1, 20)),
        _row("Apple Inc.", "AAPL", date(2026, 1, 21)),
        _row("US Treasury Bill", None, date(2026, 1, 22)),
    )
    filings = [
        GeneratedFiling("27200001", date(2026, 2, 2), rows=(boeing, apple), **MEMBER),
        GeneratedFiling("27200002", date(2026, 2, 3), rows=(bill,), **MEMBER),
        GeneratedFiling(
            "27200003",
            date(2026, 2, 10),
            rows=(
                _row(
                    "Boeing Company",
                    "BA",
                    date(2026, 1, 20),
                    row_id="2000990001",
                    filing_status="Amended",
                    comment="Amount corrected.",
                ),
            ),
            **MEMBER,
        ),
        GeneratedFiling(
            "27200004",
            date(2026, 2, 11),
            rows=(
                _row(
                    "US Treasury Bill", None, date(2026, 1, 22), row_id="2000990002", filing_status="Amended"
                ),
            ),
            **MEMBER,
        ),
    ]
    with HouseReplica(fixtures_dir, filings) as site:
        monkeypatch.setenv("HOUSE_CLERK_BASE_URL", site.base_url)
        monkeypatch.setenv("QUANT_STATE_DIR", str(tmp_path / "state"))
        monkeypatch.setenv("QUANT_REQUESTS_PER_SECOND", "200")
        yield site


SETTLED = ("status", "reason", "amends", "amends_reason", "detail", "filing_type")


@pytest.mark.parametrize(
    "order",
    [("2026-02-02", "2026-02-10"), ("2026-02-10", "2026-02-02")],
    ids=["original-first", "amendment-first"],
)
def test_amendments_link_whatever_the_order(amendment_site, house_clerk, engine: Engine, order) -> None:
    for first, last in (("2026-02-02", "2026-02-03"), ("2026-02-10", "2026-02-11"))[
        :: 1 if order[0] < order[1] else -1
    ]:
        assert materialize(house_clerk, first, last).success
    book = {doc_id: {key: row[key] for key in SETTLED} for doc_id, row in ledger(engine).items()}
    assert book["27200001"]["status"] == "parsed"  # the partial amendment leaves its other row standing
    assert (book["27200003"]["amends"], book["27200003"]["filing_type"]) == ("27200001", "amendment")
    assert book["27200003"]["detail"]["replaces_rows"] == ["house:27200001#1"]
    assert book["27200003"]["amends_reason"].startswith("linked: 27200001 (filed 2026-02-02)")
    assert (book["27200002"]["status"], book["27200004"]["amends"]) == ("superseded", "27200002")
    assert book["27200002"]["reason"] == "superseded by amendment 27200004, which restates all its rows"
    # re-running the original's window keeps what the later amendment decided
    assert materialize(house_clerk, "2026-02-02", "2026-02-03").success
    assert {doc_id: {key: row[key] for key in SETTLED} for doc_id, row in ledger(engine).items()} == book


def test_busy_days_at_scale(
    fixtures_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    warehouse_env,
    tmp_path: Path,
    house_clerk,
    engine: Engine,
) -> None:
    days = [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)]
    generated = [
        random_filing(
            f"2730{day.day:02d}{number:02d}",
            day,
            f"Member{number}",
            "Volume",
            f"ZZ{number % 50:02d}",
            rows=4 + number % 25,
            seed=number,
        )
        for day in days
        for number in range(25)
    ]
    with HouseReplica(fixtures_dir, generated) as site:
        monkeypatch.setenv("HOUSE_CLERK_BASE_URL", site.base_url)
        monkeypatch.setenv("QUANT_STATE_DIR", str(tmp_path / "state"))
        monkeypatch.setenv("QUANT_REQUESTS_PER_SECOND", "500")
        result = materialize(house_clerk, "2026-03-02", "2026-03-04")
        assert result.success
        expected = {spec.doc_id for spec in site.listing(2026).values() if days[0] <= spec.filed <= days[-1]}
        assert set(_pdf_requests(site)) == {f"/public_disc/ptr-pdfs/2026/{doc_id}.pdf" for doc_id in expected}
        assert set(_pdf_requests(site).values()) == {1}
    book = ledger(engine)
    assert set(book) == expected and {row["status"] for row in book.values()} == {"parsed"}
    assert len(lines(engine)) == sum(len(site.listing(2026)[doc_id].rows) for doc_id in expected)
    assert metadata(result, "house_transactions")["filings_parsed"] == len(expected)


def test_definitions_carry_the_house_assets_and_their_policies() -> None:
    from quant_pipelines.definitions import defs
    from quant_pipelines.partitions import daily_partitions

    dg.Definitions.validate_loadable(defs)
    assert {"house_filings", "house_transactions"} <= {
        key.to_user_string() for key in defs.resolve_all_asset_keys()
    }
    assert isinstance(defs.resources["house_clerk"], HouseClerkResource)
    for asset in (house_filings, house_transactions):
        assert asset.partitions_def == daily_partitions
        assert asset.backfill_policy == dg.BackfillPolicy.single_run()
        assert asset.op.pool == "house_site"
        assert asset.op.retry_policy.max_retries == 3 and asset.op.retry_policy.delay == 300
        assert asset.metadata_by_key[asset.key]["window_scope"] == {"source": "house"}
        assert asset.descriptions_by_key[asset.key]
