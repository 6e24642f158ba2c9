"""End to end with real processes: dagster-webserver + dagster-daemon on PostgreSQL instance
storage, both site replicas, Chromium, and a 7-day range backfill launched through GraphQL.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.engine import URL

from quant_pipelines.db import embedded_postgres
from quant_pipelines.db.schema import filings, politicians, raw_documents, tickers, trades, transactions
from quant_pipelines.ops.instance import INSTANCE_DRIVER
from quant_pipelines.ops.trigger import launch
from quant_pipelines.ops.webserver_api import WebserverClient
from quant_pipelines.partitions import RANGE_END_TAG, RANGE_START_TAG, parse_date_range
from quant_pipelines.settings import load_settings
from quant_pipelines.sites.chromium import chromium
from quant_pipelines_tests.deployment import Deployment, clone_database, dagster_home
from quant_pipelines_tests.replica.house import HouseReplica
from quant_pipelines_tests.replica.senate import SenateReplica
from quant_pipelines_tests.replica.senate.generator import generate
from quant_pipelines_tests.services import PROJECT_ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

START, END = "2026-06-10", "2026-06-16"
BACKFILL_SECONDS = 420
# Audit timestamps move on every re-parse; every other column must come out identical.
VOLATILE = {"parsed_at"}
TABLES = [filings, transactions, trades, politicians, tickers]

BACKFILL_STATUS = """query B($id: String!) { partitionBackfillOrError(backfillId: $id) {
  __typename ... on PartitionBackfill { status runs(limit: 10) { runId status tags { key value } } }
  ... on Error { message } } }"""
SCHEDULES = """{ schedulesOrError(repositorySelector: {repositoryLocationName: "quant_pipelines",
  repositoryName: "__repository__"}) { __typename ... on Schedules { results {
  name cronSchedule executionTimezone scheduleState { status } } } } }"""
DRY_RUN = """mutation D($selector: ScheduleSelector!, $timestamp: Float!) {
  scheduleDryRun(selectorData: $selector, timestamp: $timestamp) { __typename
    ... on DryRunInstigationTick { evaluationResult { error { message }
      runRequests { runKey tags { key value } } } }
    ... on Error { message } } }"""


@dataclass
class Stack:
    url: str
    client: WebserverClient
    senate: SenateReplica
    house: HouseReplica
    engine: Engine


@pytest.fixture(scope="module")
def stack(fixtures_dir: Path, template_url: URL, pg_state_dir: Path, tmp_path_factory) -> Iterator[Stack]:
    """Replicas, a fresh warehouse and instance database, webserver and daemon; all stopped after."""
    logs = tmp_path_factory.mktemp("e2e-logs")
    suffix = uuid.uuid4().hex[:8]
    warehouse = clone_database(template_url, f"e2e_{suffix}")
    instance_url = embedded_postgres.server_url(pg_state_dir, f"dagster_e2e_{suffix}", INSTANCE_DRIVER)
    # Generated Senate filings inside the window, paper ones among them, beside the captured rows.
    generated = generate(seed=61, start=date(2026, 6, 10), end=date(2026, 6, 17), per_day=1)
    with SenateReplica(fixtures_dir, generated=generated) as senate, HouseReplica(fixtures_dir) as house:
        env = {
            **os.environ,
            "DAGSTER_HOME": str(dagster_home(tmp_path_factory.mktemp("dagster") / "home")),
            "DAGSTER_PG_URL": instance_url.render_as_string(hide_password=False),
            "QUANT_DATABASE_URL": warehouse.render_as_string(hide_password=False),
            "QUANT_STATE_DIR": str(tmp_path_factory.mktemp("e2e-state")),
            "SENATE_EFD_BASE_URL": senate.base_url,
            "HOUSE_CLERK_BASE_URL": house.base_url,
            "QUANT_REQUESTS_PER_SECOND": "50",
        }
        with Deployment(env, logs) as deployment:
            engine = create_engine(warehouse)
            yield Stack(deployment.url, deployment.client, senate, house, engine)
            engine.dispose()


def _backfill(stack: Stack) -> dict:
    """Launch the 7-day range through GraphQL and wait for it; return the finished backfill."""
    backfill_id = launch(stack.client, "all", parse_date_range(START, END))
    deadline = time.monotonic() + BACKFILL_SECONDS
    while time.monotonic() < deadline:
        backfill = stack.client.execute(BACKFILL_STATUS, id=backfill_id)["partitionBackfillOrError"]
        if backfill["status"] in ("COMPLETED", "COMPLETED_SUCCESS", "FAILED", "COMPLETED_FAILED", "CANCELED"):
            return backfill
        time.sleep(2)
    raise AssertionError(f"backfill {backfill_id} still {backfill['status']} after {BACKFILL_SECONDS}s")


def _tables(engine: Engine) -> dict[str, pd.DataFrame]:
    with engine.connect() as conn:
        out = {}
        for table in TABLES:
            columns = [column for column in table.columns if column.name not in VOLATILE]
            order = list(table.primary_key.columns)
            out[table.name] = pd.read_sql(select(*columns).order_by(*order), conn)
        out["raw_documents"] = pd.read_sql(select(raw_documents.c.sha256).order_by(raw_documents.c.sha256), conn)
    return out


@pytest.fixture(scope="module")
def first_run(stack: Stack) -> tuple[dict, dict[str, pd.DataFrame]]:
    backfill = _backfill(stack)
    return backfill, _tables(stack.engine)


def test_range_backfill_is_one_successful_run(first_run) -> None:
    backfill, _ = first_run
    assert backfill["status"] in ("COMPLETED", "COMPLETED_SUCCESS"), backfill
    assert len(backfill["runs"]) == 1
    tags = {tag["key"]: tag["value"] for tag in backfill["runs"][0]["tags"]}
    assert (tags[RANGE_START_TAG], tags[RANGE_END_TAG]) == (START, END)
    assert backfill["runs"][0]["status"] == "SUCCESS"


def test_tables_hold_both_chambers_with_amendments_and_unreadable_filings(first_run, stack: Stack) -> None:
    _, tables = first_run
    ledger, lines, built = tables["filings"], tables["transactions"], tables["trades"]
    assert set(ledger["source"]) == {"senate", "house"}
    assert ledger["filed_date"].between(date(2026, 6, 10), date(2026, 6, 16)).all()
    # Every parsed line became exactly one trade, keyed the same way.
    assert list(zip(built["filing_id"], built["row_number"])) == list(zip(lines["filing_id"], lines["row_number"]))
    assert set(built["politician_id"]) <= set(tables["politicians"]["politician_id"])
    assert set(built["ticker"].dropna()) <= set(tables["tickers"]["symbol"])
    # Boozman's same-day amendment supersedes the original it restates, and only that one.
    by_source_id = ledger.set_index("source_id")
    amendment = by_source_id.loc["727b4eb6-d8c7-4792-aa5b-c651c2d72f9c"]
    assert amendment["amends"] == "a9754ff5-901a-4877-b7be-a647bd361c52"
    assert by_source_id.loc["a9754ff5-901a-4877-b7be-a647bd361c52", "status"] == "superseded"
    assert by_source_id.loc["2e076759-19df-458d-a3be-53610b8be5d0", "status"] == "parsed"
    superseded = built[built["filing_id"] == "senate:a9754ff5-901a-4877-b7be-a647bd361c52"]
    assert len(superseded) == 18 and superseded["superseded"].all()
    assert not built.loc[built["filing_id"] == "senate:727b4eb6-d8c7-4792-aa5b-c651c2d72f9c", "superseded"].any()
    # Image-only filings are kept: both sources' scans are read by OCR, and the replicas' stand-in
    # scans (House) or uncaptured page images (Senate) are held for review. Nothing from them is a trade.
    unread = ledger[ledger["status"].isin(["needs_ocr", "needs_review"])]
    assert "senate" in set(ledger.loc[ledger["status"] == "needs_review", "source"])
    assert "house" in set(ledger.loc[ledger["status"] == "needs_review", "source"])
    assert not set(unread["filing_id"]) & set(built["filing_id"])
    assert set(ledger["status"]) <= {"parsed", "superseded", "needs_ocr", "needs_review"}


def test_same_range_again_gives_identical_tables_and_fetches_nothing_twice(first_run, stack: Stack) -> None:
    _, before = first_run
    senate_pages_before = stack.senate.document_hits()
    house_documents_before = {path: n for path, n in stack.house.requests.items() if path.endswith(".pdf")}

    backfill = _backfill(stack)
    assert backfill["status"] in ("COMPLETED", "COMPLETED_SUCCESS"), backfill
    after = _tables(stack.engine)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(frame, after[name], obj=name)
    assert stack.senate.document_hits() == senate_pages_before
    assert {path: n for path, n in stack.house.requests.items() if path.endswith(".pdf")} == house_documents_before
    assert set(senate_pages_before.values()) == {1} and set(house_documents_before.values()) == {1}


def test_schedules_are_registered_and_the_weekly_tick_asks_for_seven_days(stack: Stack) -> None:
    schedules = stack.client.execute(SCHEDULES)["schedulesOrError"]["results"]
    assert {s["name"]: (s["cronSchedule"], s["executionTimezone"], s["scheduleState"]["status"]) for s in schedules} == {
        "daily_disclosures": ("0 2 * * *", "UTC", "RUNNING"),
        "weekly_catch_up": ("0 3 * * 0", "UTC", "RUNNING"),
        "daily_members": ("0 4 * * *", "UTC", "RUNNING"),  # congress_members: legislators and SEC lists
    }
    sunday = datetime(2026, 6, 21, 3, 0, tzinfo=UTC).timestamp()
    selector = {"repositoryLocationName": "quant_pipelines", "repositoryName": "__repository__",
                "scheduleName": "weekly_catch_up"}
    tick = stack.client.execute(DRY_RUN, selector=selector, timestamp=sunday)["scheduleDryRun"]
    requests = tick["evaluationResult"]["runRequests"]
    assert len(requests) == 1
    tags = {tag["key"]: tag["value"] for tag in requests[0]["tags"]}
    assert (tags[RANGE_START_TAG], tags[RANGE_END_TAG]) == (
        "2026-06-14", "2026-06-20",
    )


EXPANDED_GROUPS = "expanded=global%40global%3Ahouse%2Cglobal%40global%3Asenate%2Cglobal%40global%3Awarehouse"
ASSET_NAMES = ["senate_filings", "senate_transactions", "house_filings", "house_transactions", "trades", "politicians", "tickers"]
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "ui"


def test_ui_shows_every_asset_and_the_materialized_partitions(first_run, stack: Stack) -> None:
    """A real browser on the real webserver: the lineage graph and trades' partitions view."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium(load_settings(), page_load_timeout=60) as driver:
        # Wide and tall enough that the whole graph (five groups) is drawn at a zoom with full nodes.
        driver.set_window_size(2600, 2000)
        wait = WebDriverWait(driver, 60)
        driver.get(f"{stack.url}/asset-groups?{EXPANDED_GROUPS}")
        names = " or ".join(f"@data-tooltip='{name}'" for name in ASSET_NAMES)
        wait.until(lambda d: d.find_elements(By.XPATH, f"//*[{names}]"))
        # The graph draws only the nodes in view: zoom out until every asset node is drawn
        # (a node's label may be shortened on screen; its tooltip keeps the full name).
        for _ in range(6):
            shown = [name for name in ASSET_NAMES if driver.find_elements(By.XPATH, f"//*[@data-tooltip='{name}']")]
            if shown == ASSET_NAMES:
                break
            driver.find_element(By.XPATH, "//button[.//*[@aria-label='zoom_out']]").click()
            time.sleep(1)
        driver.save_screenshot(str(ARTIFACTS / "asset_lineage.png"))
        assert shown == ASSET_NAMES

        driver.get(f"{stack.url}/assets/trades?view=partitions")
        wait.until(lambda d: "Materialized (" in d.find_element(By.TAG_NAME, "body").text)
        text = driver.find_element(By.TAG_NAME, "body").text
        # Narrow the list to June 2026 so the screenshot shows the materialized days.
        driver.find_element(By.XPATH, "//input[starts-with(@placeholder, 'Filter by name')]").send_keys("2026-06-1")
        wait.until(lambda d: "2026-06-16" in d.find_element(By.TAG_NAME, "body").text)
        driver.save_screenshot(str(ARTIFACTS / "trades_partitions.png"))
    assert "Materialized (7)" in text
    assert "Failed (0)" in text
