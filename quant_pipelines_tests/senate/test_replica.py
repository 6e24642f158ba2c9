"""The Senate replica behaves like the site: gate, CSRF, window filter, paging, faults (plain HTTP)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import requests

from quant_pipelines_tests.replica.senate import SenateReplica
from quant_pipelines_tests.replica.senate.generator import generate

WINDOW = {"submitted_start_date": "06/01/2026 00:00:00", "submitted_end_date": "06/30/2026 23:59:59"}


@pytest.fixture(scope="module")
def replica(fixtures_dir: Path) -> Iterator[SenateReplica]:
    with SenateReplica(fixtures_dir) as site:
        yield site


@pytest.fixture(autouse=True)
def _clean(replica: SenateReplica) -> None:
    replica.reset()


def agreed(base_url: str) -> requests.Session:
    session = requests.Session()
    home = session.get(f"{base_url}/search/home/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home.text).group(1)
    answer = session.post(
        f"{base_url}/search/home/", data={"prohibition_agreement": "1", "csrfmiddlewaretoken": token}
    )
    assert answer.url == f"{base_url}/search/" and answer.status_code == 200
    return session


def report_data(session: requests.Session, base_url: str, **form: object) -> requests.Response:
    body = {
        "start": 0,
        "length": 100,
        "report_types": "[11]",
        "order[0][column]": "4",
        "order[0][dir]": "asc",
        **WINDOW,
        **form,
    }
    return session.post(
        f"{base_url}/search/report/data/", data=body, headers={"X-CSRFToken": session.cookies["csrftoken"]}
    )


def test_search_redirects_to_the_gate_until_agreed(replica: SenateReplica) -> None:
    session = requests.Session()
    first = session.get(f"{replica.base_url}/search/", allow_redirects=False)
    assert (first.status_code, first.headers["Location"]) == (302, "/search/home/")
    assert "csrftoken" in session.cookies
    assert "eFD: Find Reports" in agreed(replica.base_url).get(f"{replica.base_url}/search/").text


def test_csrf_is_checked(replica: SenateReplica) -> None:
    session = requests.Session()
    session.get(f"{replica.base_url}/search/home/")
    refused = session.post(f"{replica.base_url}/search/home/", data={"prohibition_agreement": "1"})
    assert refused.status_code == 403 and b"CSRF verification failed" in refused.content
    session = agreed(replica.base_url)
    without = session.post(f"{replica.base_url}/search/report/data/", data={"report_types": "[11]", **WINDOW})
    assert without.status_code == 403
    assert report_data(session, replica.base_url).status_code == 200


def test_report_data_filters_the_submitted_window_and_pages(replica: SenateReplica) -> None:
    session = agreed(replica.base_url)
    june = report_data(session, replica.base_url).json()
    assert june["recordsTotal"] == 12  # 13 captured rows from 06/01 on, Peters' 07/02 is outside
    assert [row[4] for row in june["data"]] == sorted(row[4] for row in june["data"])
    one_day = report_data(
        session,
        replica.base_url,
        submitted_start_date="06/16/2026 00:00:00",
        submitted_end_date="06/16/2026 23:59:59",
    ).json()
    assert sorted(re.search(r"ptr/(\w{8})", row[3]).group(1) for row in one_day["data"]) == [
        "2e076759",
        "727b4eb6",
        "a9754ff5",
    ]
    paged = []
    for offset in range(0, 12, 5):
        page = report_data(session, replica.base_url, start=offset, length=5).json()
        assert page["recordsTotal"] == 12 and len(page["data"]) == min(5, 12 - offset)
        paged += page["data"]
    assert paged == june["data"]


def test_report_data_pages_are_at_most_100_rows(fixtures_dir: Path) -> None:
    many = generate(seed=3, start=date(2025, 1, 1), end=date(2025, 2, 1), per_day=5)
    with SenateReplica(fixtures_dir, generated=many) as site:
        answer = report_data(
            agreed(site.base_url), site.base_url, length=1000, submitted_start_date="", submitted_end_date=""
        )
        assert answer.json()["recordsTotal"] == len(site.entries) > 100
        assert len(answer.json()["data"]) == 100


def test_view_pages_serve_real_bytes_and_generated_pages_for_the_rest(
    replica: SenateReplica, fixtures_dir: Path
) -> None:
    session = agreed(replica.base_url)
    real = fixtures_dir / "senate" / "efd_2026" / "ptr_727b4eb6_boozman_amendment1_18rows.html"
    page = session.get(f"{replica.base_url}/search/view/ptr/727b4eb6-d8c7-4792-aa5b-c651c2d72f9c/")
    assert hashlib.sha256(page.content).hexdigest() == hashlib.sha256(real.read_bytes()).hexdigest()
    generated = session.get(f"{replica.base_url}/search/view/ptr/40fbe259-f282-4982-a53f-1c7278d041cd/")
    assert (
        generated.status_code == 200
        and b"for 07/02/2026" in generated.content
        and b"Peters" in generated.content
    )
    origins = {entry.uuid[:8]: entry.origin for entry in replica.entries}
    assert origins["727b4eb6"] == "captured" and origins["40fbe259"] == "generated"
    assert (
        session.get(f"{replica.base_url}/search/view/ptr/00000000-0000-4000-8000-000000000000/").status_code
        == 404
    )
    assert replica.document_hits()["/search/view/ptr/727b4eb6-d8c7-4792-aa5b-c651c2d72f9c/"] == 1


def test_fault_session_expiry(replica: SenateReplica) -> None:
    session = agreed(replica.base_url)
    replica.expire_sessions_after(1)
    assert session.get(f"{replica.base_url}/search/").url.endswith("/search/")
    assert session.get(f"{replica.base_url}/search/").url.endswith("/search/home/")


def test_fault_503_burst_then_recovery(replica: SenateReplica) -> None:
    session = agreed(replica.base_url)
    replica.fail_next(2)
    codes = [session.get(f"{replica.base_url}/search/").status_code for _ in range(3)]
    assert codes == [503, 503, 200]


def test_fault_block_and_bot_wall(replica: SenateReplica) -> None:
    session = agreed(replica.base_url)
    replica.bot_wall()
    wall = session.get(f"{replica.base_url}/search/view/ptr/727b4eb6-d8c7-4792-aa5b-c651c2d72f9c/")
    assert wall.status_code == 200 and b"Request Rejected" in wall.content
    replica.block()
    denied = session.get(f"{replica.base_url}/search/")
    assert denied.status_code == 403 and b"Access Denied" in denied.content


def test_listed_matches_the_catalogue(replica: SenateReplica) -> None:
    may = replica.listed(date(2026, 5, 1), date(2026, 6, 1))
    assert may and all(entry.origin == "generated" for entry in may)
    assert {entry.kind for entry in replica.entries} == {"ptr", "paper"}


def test_stop_frees_the_port(fixtures_dir: Path) -> None:
    site = SenateReplica(fixtures_dir, generated=[])
    base_url = site.start()
    assert requests.get(f"{base_url}/search/home/").status_code == 200
    site.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{base_url}/search/home/", timeout=5)
