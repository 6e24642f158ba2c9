"""house_filings + house_transactions against the replica and a real PostgreSQL: one partition."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, update

from quant_pipelines.db.schema import filings, transactions
from quant_pipelines.house.client import HouseClerkClient
from quant_pipelines.house.fetch import collect
from quant_pipelines.sites.http import PoliteHttpClient
from quant_pipelines.sites.politeness import ListingUnavailable
from quant_pipelines_tests.house.runs import ledger, lines, materialize, metadata, pdf_requests
from quant_pipelines_tests.replica.house import HouseReplica


def test_one_partition_then_a_rerun_fetches_nothing_new(
    house_env: HouseReplica, house_clerk, engine: Engine
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
        "house-clerk/2",
        "original",
        None,
    )
    assert pelosi["report_url"] == f"{house_env.base_url}/public_disc/ptr-pdfs/2026/20034836.pdf"
    assert pelosi["detail"] == {"listed_as": "original", "signed_date": "2026-06-23"}
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
    assert (first["documents_fetched"], first["status_fetched"], first["index_not_modified"]) == (2, 2, 0)
    assert metadata(result, "house_transactions")["status_parsed"] == 2

    again = materialize(house_clerk, "2026-06-23")
    assert again.success
    second = metadata(again, "house_filings")
    assert (second["documents_fetched"], second["documents_already_archived"]) == (0, 2)
    assert second["index_not_modified"] == 3  # the 2024, 2025 and 2026 indexes unchanged
    assert second["bytes_downloaded"] == 0
    assert set(pdf_requests(house_env).values()) == {1}
    assert lines(engine) == rows
    unchanged = ["status", "raw_sha256", "fetched_at", "amends", "reason", "detail", "filing_type"]
    assert {key: {k: v[k] for k in unchanged} for key, v in ledger(engine).items()} == {
        key: {k: v[k] for k in unchanged} for key, v in book.items()
    }


def test_reparse_reads_the_archive_only(house_env: HouseReplica, house_clerk, engine: Engine) -> None:
    assert materialize(house_clerk, "2026-01-07").success
    before, requests = (ledger(engine), lines(engine)), sum(house_env.requests.values())
    house_env.block(403)  # the site is gone; the archive is all there is
    assert materialize(house_clerk, "2026-01-07", only="house_transactions").success
    assert sum(house_env.requests.values()) == requests
    after = ledger(engine)
    keep = ("status", "reason", "amends", "amends_reason", "detail", "filing_type", "raw_sha256")
    assert {k: [v[key] for key in keep] for k, v in after.items()} == {
        k: [v[key] for key in keep] for k, v in before[0].items()
    }
    assert lines(engine) == before[1]
    # The re-parse found what the last one did: the ledger rows are not rewritten, audit time included.
    assert all(row["parsed_at"] == before[0][doc_id]["parsed_at"] for doc_id, row in after.items())


def test_unchanged_filings_keep_their_lines_until_a_reparse(house_env: HouseReplica, house_clerk, engine: Engine) -> None:
    assert materialize(house_clerk, "2026-01-07").success
    before = lines(engine)
    read = sorted({row["filing_id"] for row in before})
    assert len(read) >= 2
    tampered, older = read[0], read[1]
    with engine.begin() as conn:  # stand-ins for what only a parse would notice
        conn.execute(update(transactions).where(transactions.c.filing_id == tampered).values(asset_name="edited by hand"))
        conn.execute(update(filings).where(filings.c.filing_id == older).values(parser_version="house-clerk/1"))

    again = materialize(house_clerk, "2026-01-07", only="house_transactions")
    assert metadata(again, "house_transactions")["filings_unchanged"] == len(ledger(engine)) - 1
    after = {(row["filing_id"], row["row_number"]): row for row in lines(engine)}
    assert {row["asset_name"] for key, row in after.items() if key[0] == tampered} == {"edited by hand"}
    assert ledger(engine)[older.removeprefix("house:")]["parser_version"] == "house-clerk/2"  # read again

    reparse = {"ops": {"house_transactions": {"config": {"reparse": True}}}}
    forced = materialize(house_clerk, "2026-01-07", only="house_transactions", run_config=reparse)
    assert metadata(forced, "house_transactions")["filings_unchanged"] == 0
    assert lines(engine) == before  # every line as the documents say, the hand edit undone


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


def test_blocked_site_fails_the_listing_with_the_reason(house_env: HouseReplica, engine: Engine) -> None:
    house_env.block(403)
    http = PoliteHttpClient(user_agent="tests", requests_per_second=500, max_retries=1, backoff_seconds=0.01)
    client = HouseClerkClient(http, house_env.base_url)
    with pytest.raises(ListingUnavailable, match=r"the 2024 index could not be fetched: .*HTTP 403"):
        collect(client, engine, date(2026, 6, 12), date(2026, 6, 13))
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


def test_a_refused_document_stops_the_window_s_downloads(
    house_env: HouseReplica, house_clerk, engine: Engine
) -> None:
    house_env.fail(403, times=10**6, path="/public_disc/ptr-pdfs/")
    assert materialize(house_clerk, "2026-06-12").success
    book = ledger(engine)
    refused = [row for row in book.values() if not row["reason"].startswith("not requested")]
    assert len(refused) == 1 and "HTTP 403" in refused[0]["reason"]
    assert {row["status"] for row in book.values()} == {"blocked"} and len(book) == 3
    assert all("HTTP 403" in row["reason"] for row in book.values())
    assert len(pdf_requests(house_env)) == 1  # one document asked for (with its retries), then no more
