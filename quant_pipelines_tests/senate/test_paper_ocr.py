"""Senate paper filings: the form page read against the gold rows, skipped and broken pages, and
the run through the Senate assets against the replica (real Chromium, real PostgreSQL)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, literal_column, select, update

from quant_pipelines.db.schema import filings, raw_documents, transactions
from quant_pipelines.senate import paper
from quant_pipelines.senate.assets import senate_filings, senate_transactions
from quant_pipelines.senate.documents.paper import READER_VERSION, read_image
from quant_pipelines_tests import materialize as runs
from quant_pipelines_tests.materialize import metadata
from quant_pipelines_tests.house.ocr_agreement import FIELDS, score
from quant_pipelines_tests.replica.senate import SenateReplica
from quant_pipelines_tests.senate.support import pointed_at, senate_run_resources

GOLD = Path(__file__).with_name("paper_gold") / "blumenthal_a0d25e8f_formpage1.json"
IMAGES = "senate/paper_images/paper_a0d25e8f_blumenthal_"
FILED = date(2026, 6, 8)
FILING = "senate:a0d25e8f-fe54-4328-a7ea-504da008742b"
MEDIA = "https://efd-media-public.senate.gov/media/2026/2/000/000/"


def _image(fixtures_dir: Path, name: str) -> bytes:
    return (fixtures_dir / f"{IMAGES}{name}.gif").read_bytes()


def test_form_page_agrees_with_the_rows_read_by_eye(fixtures_dir: Path) -> None:
    gold = json.loads(GOLD.read_text())
    page = read_image(_image(fixtures_dir, "formpage1_000000113"), page=2, filed=FILED)
    assert page.kind == "form" and len(page.rows) == len(gold["rows"])  # headers, empty row, examples dropped
    found = score(gold, list(page.rows))
    assert not found.wrong_accepted
    # All 11 rows accepted and right in every field: the second 'Not Fade Away LLC', read with a
    # doubtful letter, is confirmed by its re-reads at other sizes, as on House scans.
    assert all(found.agree[name] == 11 for name in FIELDS), found.agree
    for row, expected in zip(page.rows, gold["rows"]):
        assert row.account == expected["account"]


def test_cover_letter_is_recognised_and_skipped(fixtures_dir: Path) -> None:
    page = read_image(_image(fixtures_dir, "coverletter_000000112"), page=1, filed=FILED)
    assert (page.kind, page.rows) == ("skipped", ())
    assert page.note == "page 1: not the PTR form (cover letter or other page)"


@pytest.mark.parametrize(
    ("cut", "reason"),
    [
        (20_000, "page 2: not a readable page image (image file is truncated"),
        (0, "page 2: empty page image"),
    ],
)
def test_truncated_or_empty_gif_gives_a_clear_reason(fixtures_dir: Path, cut: int, reason: str) -> None:
    page = read_image(_image(fixtures_dir, "formpage1_000000113")[:cut], page=2, filed=FILED)
    assert (page.kind, page.rows) == ("unread", ()) and page.note.startswith(reason)


def test_garbage_is_not_an_image() -> None:
    page = read_image(b"<html><title>Access Denied</title></html>", page=3)
    assert page.note == "page 3: not an image (41 bytes of an unknown format)"


@pytest.mark.parametrize(
    ("pixels", "note"),
    [
        (7_000, "page 4: page image of 7000x7000 pixels is too large"),
        (20_000, "page 4: page image is too large (Image size (400000000 pixels) exceeds limit of "),
    ],
)
def test_a_gif_declaring_a_huge_page_is_refused_before_it_is_decoded(pixels: int, note: str) -> None:
    """A 30-byte GIF may declare 20,000 x 20,000 pixels; its size is read from the header, past
    PIL's own limit too (which raises an error of its own)."""
    side = pixels.to_bytes(2, "little")
    header = b"GIF89a" + side + side + b"\x00\x00\x00" + b"," + bytes(4) + side + side + b"\x00" + b"\x08"
    assert read_image(header, page=4).note.startswith(note)


@pytest.fixture(scope="module")
def replica(fixtures_dir: Path) -> Iterator[SenateReplica]:
    with SenateReplica(fixtures_dir, generated=[]) as site, pointed_at(site):
        yield site


def _ledger(engine: Engine) -> dict:
    with engine.connect() as conn:
        row = conn.execute(select(filings).where(filings.c.filing_id == FILING)).one()
    return dict(row._mapping)


def _xmins(engine: Engine) -> list[str]:
    """The row versions of the filing's ledger row and lines: a row written again gets a new one."""
    with engine.connect() as conn:
        return [
            *conn.execute(select(literal_column("xmin::text")).where(filings.c.filing_id == FILING)).scalars(),
            *conn.execute(
                select(literal_column("xmin::text")).where(transactions.c.filing_id == FILING)
                .order_by(transactions.c.row_number)
            ).scalars(),
        ]


def _lines(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        query = select(transactions).where(transactions.c.filing_id == FILING).order_by(transactions.c.row_number)
        return [dict(row._mapping) for row in conn.execute(query)]


@pytest.mark.browser
def test_paper_filing_images_archived_and_read_in_the_run(
    replica: SenateReplica, warehouse_env, engine: Engine, fixtures_dir: Path
) -> None:
    replica.reset()
    resources = senate_run_resources()
    assert runs.materialize([senate_filings, senate_transactions], resources, "2026-06-08").success
    # All seven images asked for once, through the session; the two captured ones archived as served.
    assert [replica.hits(f"/media/2026/2/000/000/{n:09d}.gif") for n in range(112, 119)] == [1] * 7
    with engine.connect() as conn:
        archived = {
            row.source_url: (row.sha256, row.media_type)
            for row in conn.execute(select(raw_documents).where(raw_documents.c.source_url.like(MEDIA + "%")))
        }
    assert archived == {
        MEDIA + f"{n:09d}.gif": (hashlib.sha256(_image(fixtures_dir, name)).hexdigest(), "image/gif")
        for n, name in ((112, "coverletter_000000112"), (113, "formpage1_000000113"))
    }
    row = _ledger(engine)
    assert row["status"] == "needs_review"
    assert "page image 3 of 7 not available (HTTP 404)" in row["reason"]
    assert row["parser_version"].startswith(f"{READER_VERSION}+rapidocr-")
    assert row["detail"]["ocr_pages"] == [2] and row["detail"]["ocr_rows"] == 11
    assert row["detail"]["ocr_skipped"] == ["page 1: not the PTR form (cover letter or other page)"]
    lines = _lines(engine)
    gold = json.loads(GOLD.read_text())["rows"]
    assert len(lines) == 11 and {line["extraction"] for line in lines} == {"ocr"}
    accepted = [(line, expected) for line, expected in zip(lines, gold) if line["review_reason"] is None]
    assert len(accepted) == 11
    for line, expected in accepted:
        assert (line["owner"], line["transaction_type"], line["transaction_date"].isoformat()) == (
            expected["owner"], expected["transaction_type"], expected["transaction_date"]
        )
        assert (line["amount_min"], line["amount_max"]) == (expected["amount_min"], expected["amount_max"])
        assert 0.7 <= line["extraction_confidence"] <= 1.0

    # A filing recorded before images were archived per filing (issue 14): the next run asks for
    # the images not archived yet (the two archived are found by their URL), records them all and
    # reads the filing again; the report page is not asked for.
    with engine.begin() as conn:
        conn.execute(
            update(filings).where(filings.c.filing_id == FILING)
            .values(status="needs_review", detail={"image_urls": row["detail"]["image_urls"]})
        )
    replica.reset()
    assert runs.materialize([senate_filings, senate_transactions], resources, "2026-06-08").success
    assert not replica.document_hits()
    assert [replica.hits(f"/media/2026/2/000/000/{n:09d}.gif") for n in range(112, 119)] == [0, 0] + [1] * 5
    again = _ledger(engine)
    assert (again["status"], again["detail"]["ocr_rows"]) == ("needs_review", 11)
    assert [image.get("sha256") for image in again["detail"]["images"]] == [
        image.get("sha256") for image in row["detail"]["images"]
    ]
    assert "page image 3 of 7 not available (HTTP 404)" in again["reason"]
    assert [line["asset_name"] for line in _lines(engine)] == [line["asset_name"] for line in lines]

    # The images the site does not have are not asked for again.
    replica.reset()
    assert runs.materialize([senate_filings, senate_transactions], resources, "2026-06-08").success
    assert not any(path.startswith("/media/") for _, path in replica.counts)
    assert _ledger(engine)["reason"] == again["reason"]


@pytest.mark.browser
def test_a_broken_image_is_recorded_not_raised(replica: SenateReplica, warehouse_env, engine: Engine) -> None:
    replica.reset()
    replica.media.replaced["/media/2026/2/000/000/000000113.gif"] = b"GIF89a\x01\x00"
    try:
        assert runs.materialize([senate_filings, senate_transactions], senate_run_resources(), "2026-06-08").success
    finally:
        replica.media.replaced.clear()
    row = _ledger(engine)
    assert row["status"] == "needs_review" and "page 2: not a" in row["reason"]
    assert not _lines(engine)


@pytest.fixture
def media_host(fixtures_dir: Path, replica: SenateReplica) -> Iterator[SenateReplica]:
    """A second replica on another port standing in for the media host (another origin, as live)."""
    with SenateReplica(fixtures_dir, generated=[]) as media, pytest.MonkeyPatch.context() as patch:
        patch.setenv("SENATE_MEDIA_BASE_URL", media.base_url)
        replica.reset()
        yield media


@pytest.mark.browser
def test_images_from_another_origin_are_opened_then_fetched(
    media_host: SenateReplica, replica: SenateReplica, warehouse_env, engine: Engine
) -> None:
    assert runs.materialize([senate_filings, senate_transactions], senate_run_resources(), "2026-06-08").success
    assert not any(path.startswith("/media/") for _, path in replica.counts)
    assert media_host.hits("/media/2026/2/000/000/000000113.gif") >= 1
    row = _ledger(engine)
    assert row["detail"]["ocr_pages"] == [2] and row["detail"]["ocr_rows"] == 11


@pytest.mark.browser
def test_a_refused_image_is_recorded_and_stops_asking(
    media_host: SenateReplica, replica: SenateReplica, warehouse_env, engine: Engine
) -> None:
    media_host.block()
    assert runs.materialize([senate_filings, senate_transactions], senate_run_resources(), "2026-06-08").success
    assert media_host.hits("/media/2026/2/000/000/000000113.gif") == 0  # asked no more after the refusal
    row = _ledger(engine)
    assert row["status"] == "needs_review" and "page image 1 of 7 blocked: HTTP 403" in row["reason"]
    images = row["detail"]["images"]
    assert images[1]["missing"].startswith("not requested: HTTP 403") and not _lines(engine)


@pytest.mark.browser
def test_images_refused_last_time_are_asked_for_in_the_next_run(
    media_host: SenateReplica, replica: SenateReplica, warehouse_env, engine: Engine
) -> None:
    """Issue 14: a paper filing already in the ledger gets the images a refusal kept from it."""
    media_host.block()
    resources = senate_run_resources()
    assert runs.materialize([senate_filings, senate_transactions], resources, "2026-06-08").success
    refused = _ledger(engine)
    assert refused["status"] == "needs_review" and "page image 1 of 7 blocked: HTTP 403" in refused["reason"]
    assert not _lines(engine)

    media_host.reset()
    replica.reset()
    result = runs.materialize([senate_filings, senate_transactions], resources, "2026-06-08")
    assert result.success and not replica.document_hits()
    # Every image asked for (an image of another origin is opened, then fetched from its page).
    assert all(media_host.hits(f"/media/2026/2/000/000/{n:09d}.gif") for n in range(112, 119))
    row = _ledger(engine)
    assert [bool(image.get("sha256")) for image in row["detail"]["images"]] == [True, True] + [False] * 5
    assert row["status"] == "needs_review" and "page image 3 of 7 not available (HTTP 404)" in row["reason"]
    assert "blocked" not in row["reason"]
    assert (row["detail"]["ocr_pages"], row["detail"]["ocr_rows"]) == ([2], 11)
    assert metadata(result, "senate_transactions")["filings_unchanged"] == 0
    assert len(_lines(engine)) == len(json.loads(GOLD.read_text())["rows"])


@pytest.mark.browser
def test_a_paper_filing_with_every_image_archived_is_not_read_again(
    replica: SenateReplica, warehouse_env, engine: Engine, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16: the five pages never captured are served (as copies of the cover letter), so every
    image is archived; the next run keeps the filing's lines without reading a page."""
    replica.reset()
    cover = _image(fixtures_dir, "coverletter_000000112")
    replica.media.replaced.update({f"/media/2026/2/000/000/{n:09d}.gif": cover for n in range(114, 119)})
    resources = senate_run_resources()
    try:
        assert runs.materialize([senate_filings, senate_transactions], resources, "2026-06-08").success
        read = _ledger(engine)
        # Every image archived and every row of the form page accepted: nothing is left for review.
        assert (read["status"], read["reason"], read["detail"]["ocr_pages"]) == ("parsed", None, [2])
        assert len(read["detail"]["ocr_skipped"]) == 6 and len(_lines(engine)) == 11
        written = _xmins(engine)

        def unread(*args, **kwargs):
            raise AssertionError("a page image was read again")

        monkeypatch.setattr(paper, "read_image", unread)
        replica.reset()
        again = runs.materialize([senate_filings, senate_transactions], resources, "2026-06-08")
    finally:
        replica.media.replaced.clear()
    assert again.success and not any(path.startswith("/media/") for _, path in replica.counts)
    assert metadata(again, "senate_transactions")["filings_unchanged"] == 1
    assert _xmins(engine) == written
