"""The members assets in real Dagster runs: the legislators files fetched politely from the replica,
archived and loaded into a real PostgreSQL, then the House politicians of a real day matched."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import Engine, func, insert, select, text

from quant_pipelines.db.schema import (
    member_terms,
    members,
    politician_members,
    politicians,
    raw_documents,
    trades,
)
from quant_pipelines.house.resource import HouseClerkResource
from quant_pipelines.members.assets import MATCH_CHECK, legislators
from quant_pipelines.members.assets import politician_members as match_asset
from quant_pipelines.members.resource import LegislatorsResource
from quant_pipelines.senate.resource import SenateEfdBrowser
from quant_pipelines_tests.materialize import ALL_ASSETS, metadata, run_resources
from quant_pipelines_tests.materialize import materialize as materialize_window
from quant_pipelines_tests.replica.house import HouseReplica
from quant_pipelines_tests.replica.legislators import (
    FILES,
    StaticSite,
    legislators_site,
)

DAILY = ["house_filings", "house_transactions", "trades", "politicians", "tickers"]
JOIN = text(
    """
    SELECT t.filing_id, p.bioguide_id, m.official_full, mt.party, mt.state, mt.district
    FROM quant.trades t
    JOIN quant.politicians p USING (politician_id)
    JOIN quant.members m ON m.bioguide_id = p.bioguide_id
    JOIN quant.member_terms mt ON mt.bioguide_id = p.bioguide_id AND mt.chamber = t.chamber
         AND t.filed_date BETWEEN mt.term_start AND mt.term_end
    ORDER BY t.filing_id, t.row_number
    """
)


@pytest.fixture
def legislators_env(
    fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch, warehouse_env, tmp_path: Path
) -> Iterator[StaticSite]:
    with legislators_site(fixtures_dir) as site:
        monkeypatch.setenv("LEGISLATORS_BASE_URL", site.base_url)
        monkeypatch.setenv("QUANT_STATE_DIR", str(tmp_path / "state"))
        monkeypatch.setenv("QUANT_REQUESTS_PER_SECOND", "500")
        yield site


@pytest.fixture
def house_clerk() -> HouseClerkResource:
    return HouseClerkResource(max_retries=2, backoff_seconds=0.01, max_backoff_seconds=0.05, timeout_seconds=10)


def _members_run(raise_on_error: bool = True) -> dg.ExecuteInProcessResult:
    resources = run_resources(legislators_site=LegislatorsResource(max_retries=1, backoff_seconds=0.01))
    return dg.materialize([legislators, match_asset], resources=resources, raise_on_error=raise_on_error)


def _house_day(day: str, house_clerk) -> None:
    # Only the House and the warehouse steps run (the Senate's browser is never started).
    resources = run_resources(house_clerk=house_clerk, senate_efd=SenateEfdBrowser())
    assert materialize_window(ALL_ASSETS, resources, day, selection=DAILY).success


def _count(engine: Engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_members_loaded_archived_and_house_filers_matched(
    legislators_env: StaticSite, fixtures_dir: Path, engine: Engine, monkeypatch, house_clerk
) -> None:
    with HouseReplica(fixtures_dir) as house:
        monkeypatch.setenv("HOUSE_CLERK_BASE_URL", house.base_url)
        _house_day("2026-06-23", house_clerk)  # Pelosi (CA11) and Dunn (FL02) filed that day
        result = _members_run()
        assert result.success
        # 537 current and 600 historical members (reference/MANIFEST.md), 2,792 + 3,740 terms.
        assert (_count(engine, members), _count(engine, member_terms)) == (1137, 6532)
        folder = fixtures_dir / "reference" / "congress-legislators"
        digests = {hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in FILES.values()}
        with engine.connect() as conn:
            archived = set(conn.execute(select(raw_documents.c.sha256)).scalars())
            assert digests <= archived
            matched = {row.politician_id: row for row in conn.execute(select(politician_members))}
            ids = dict(conn.execute(select(politicians.c.politician_id, politicians.c.bioguide_id)).all())
        assert ids == {"house:pelosi-nancy:CA": "P000197", "house:dunn-neal:FL": "D000628"}
        pelosi = matched["house:pelosi-nancy:CA"]
        assert (pelosi.status, pelosi.party, pelosi.state, pelosi.district) == ("matched", "Democrat", "CA", 11)
        assert any(agent.startswith("quant-pipelines/") for agent in legislators_env.user_agents)
        assert metadata(result, "politician_members")["match_rate"] == 1.0
        check = result.get_asset_check_evaluations()[0]
        assert (check.check_name, check.passed) == (MATCH_CHECK, True)

        # The next day's warehouse run upserts politicians again: the bioguide ids stay.
        _house_day("2026-06-23", house_clerk)
        with engine.connect() as conn:
            joined = conn.execute(JOIN).all()
        assert {(row.bioguide_id, row.party, row.state, row.district) for row in joined} == {
            ("P000197", "Democrat", "CA", 11), ("D000628", "Republican", "FL", 2),
        }
        assert len(joined) == _count(engine, trades)  # every trade joins exactly one member term


def test_unchanged_files_cost_a_304_and_unmatched_filers_warn(legislators_env: StaticSite, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(insert(politicians), [
            # A committee staffer (office code BU) and a member filing under a nickname.
            {"politician_id": "house:abernathy-sarah:BU", "chamber": "house", "name_key": "abernathy-sarah",
             "first_name": "SARAH L.", "last_name": "ABERNATHY", "full_name": "SARAH L. ABERNATHY", "state": "BU",
             "district": "00", "first_seen": "2012-08-01", "last_seen": "2012-12-07"},
            {"politician_id": "senate:carper-tom", "chamber": "senate", "name_key": "carper-tom",
             "first_name": "Tom", "last_name": "Carper", "full_name": "Tom Carper", "state": None, "district": None,
             "first_seen": "2019-01-03", "last_seen": "2019-05-15"},
        ])
    assert _members_run().success
    second = _members_run()
    assert dict(legislators_env.not_modified) == dict.fromkeys(FILES, 1)
    assert metadata(second, "members")["not_modified"] == 2
    check = second.get_asset_check_evaluations()[0]
    assert (check.passed, check.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert check.metadata["unmatched"].value == 1
    assert "house:abernathy-sarah:BU: unmatched: BU is an office code" in check.metadata["examples"].value
    with engine.connect() as conn:
        ids = dict(conn.execute(select(politicians.c.politician_id, politicians.c.bioguide_id)).all())
    assert ids == {"house:abernathy-sarah:BU": None, "senate:carper-tom": "C000174"}


def test_a_broken_file_fails_the_run_and_keeps_the_members_loaded(
    legislators_env: StaticSite, engine: Engine
) -> None:
    assert _members_run().success
    legislators_env.replace("/legislators-historical.yaml", b"- id: {bioguide: nope}\n")
    result = _members_run(raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    message = failure.step_failure_data.error.message
    assert "legislators-historical.yaml" in message and "no valid bioguide id" in message
    assert _count(engine, members) == 1137
