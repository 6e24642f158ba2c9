"""Settings and date ranges: every bad value gets one clear line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from quant_pipelines.partitions import DateRangeError, parse_date_range, window_label
from quant_pipelines.settings import SettingsError, load_settings
from quant_pipelines_tests.hostile import cases, dates

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
CLI = str(Path(sys.executable).parent / "quant-pipelines")


def test_defaults_match_the_architecture(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("QUANT_DATABASE_URL", "QUANT_STATE_DIR", "SENATE_EFD_BASE_URL", "HOUSE_CLERK_BASE_URL",
                 "QUANT_REQUESTS_PER_SECOND", "CHROMIUM_BINARY", "CHROMEDRIVER_PATH"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.database_url is None
    assert settings.state_dir == (Path.cwd() / ".quant").resolve()
    assert settings.senate_efd_base_url == "https://efdsearch.senate.gov"
    assert settings.house_clerk_base_url == "https://disclosures-clerk.house.gov"
    assert settings.requests_per_second == 1.0
    assert settings.chromium_binary == Path("/usr/bin/chromium")
    assert settings.chromedriver_path == Path("/usr/bin/chromedriver")


def test_a_plain_postgres_url_gets_the_psycopg3_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUANT_DATABASE_URL", "postgresql://quant:s3cret@db.internal:5432/quant")
    settings = load_settings()
    assert settings.database_url == "postgresql+psycopg://quant:s3cret@db.internal:5432/quant"
    assert "s3cret" not in repr(settings)


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("QUANT_DATABASE_URL", "not a url", "QUANT_DATABASE_URL: is not a database URL"),
        ("QUANT_DATABASE_URL", "mysql://u:p@h/db", "must be a PostgreSQL URL"),
        ("QUANT_DATABASE_URL", "postgresql://u:p@h:5432", "names no database"),
        ("QUANT_REQUESTS_PER_SECOND", "0", "QUANT_REQUESTS_PER_SECOND: Input should be greater than 0"),
        ("QUANT_REQUESTS_PER_SECOND", "fast", "QUANT_REQUESTS_PER_SECOND: Input should be a valid number"),
        ("SENATE_EFD_BASE_URL", "efdsearch.senate.gov", "SENATE_EFD_BASE_URL: must be an http(s) URL"),
        ("HOUSE_CLERK_BASE_URL", "https://x.gov/?q=1", "must be a site root"),
        ("QUANT_TRIGGER_MAX_DAYS", "0", "QUANT_TRIGGER_MAX_DAYS: Input should be greater than or equal to 1"),
        ("QUANT_TRIGGER_MAX_DAYS", "a week", "QUANT_TRIGGER_MAX_DAYS: Input should be a valid integer"),
        ("QUANT_TRIGGER_MAX_DAYS", "-7", "QUANT_TRIGGER_MAX_DAYS: Input should be greater than or equal to 1"),
        ("QUANT_REQUESTS_PER_SECOND", "nan", "QUANT_REQUESTS_PER_SECOND: Input should be less than or equal to 1000 (got 'nan')"),
        ("QUANT_REQUESTS_PER_SECOND", "inf", "QUANT_REQUESTS_PER_SECOND: Input should be less than or equal to 1000"),
        ("QUANT_UNREADABLE_ERROR_SHARE", "1.5", "QUANT_UNREADABLE_ERROR_SHARE: Input should be less than or equal to 1"),
        ("QUANT_UNREADABLE_WARN_SHARE", "0.9", "QUANT_UNREADABLE_WARN_SHARE must not exceed QUANT_UNREADABLE_ERROR_SHARE"),
    ],
)
def test_bad_settings_give_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert expected in message
    assert "\n" not in message


def test_a_database_password_is_never_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUANT_DATABASE_URL", "mysql://u:hunter2@h/db")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert "hunter2" not in str(raised.value)


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CLI, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )


def test_cli_malformed_database_url_is_one_line_exit_2() -> None:
    done = run_cli("db", "upgrade", QUANT_DATABASE_URL="postgres//nope")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: invalid configuration: QUANT_DATABASE_URL: is not a database URL "
        "(expected postgresql://user:pass@host:port/db)"
    ]


def test_cli_unreachable_server_is_one_line_exit_1_without_the_password() -> None:
    done = run_cli("db", "upgrade", QUANT_DATABASE_URL="postgresql://quant:hunter2@127.0.0.1:9/quant")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: cannot connect to the warehouse at postgresql+psycopg://quant:***@127.0.0.1:9/quant")
    assert "hunter2" not in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("start", "end", "expected"), cases(dates.bad_ranges(NOW.date())))
def test_bad_ranges_are_rejected_with_a_reason(start: str, end: str | None, expected: str) -> None:
    with pytest.raises(DateRangeError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        parse_date_range(start, end, now=NOW)


def test_good_range_lists_its_partition_keys() -> None:
    window = parse_date_range("2026-06-29", "2026-07-02", now=NOW, max_days=10)
    assert window.partition_keys() == ["2026-06-29", "2026-06-30", "2026-07-01", "2026-07-02"]
    assert str(window) == "2026-06-29..2026-07-02"  # what people read: inclusive, two dots
    assert window.dagster_range == "2026-06-29...2026-07-02"  # what `--partition-range` takes
    assert window_label(date(2026, 6, 29), date(2026, 7, 3)) == "2026-06-29..2026-07-02"
    assert parse_date_range("2026-11-24", now=NOW).start == date(2026, 11, 24)


def test_range_longer_than_the_maximum_is_rejected() -> None:
    with pytest.raises(DateRangeError, match="covers 31 days, more than the allowed 30"):
        parse_date_range("2026-01-01", "2026-01-31", now=NOW, max_days=30)


def test_cli_rejects_a_reversed_range_before_touching_anything(tmp_path: Path) -> None:
    done = run_cli("materialize", "--start", "2026-06-05", "--end", "2026-06-01", QUANT_STATE_DIR=str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.strip() == "error: start date 2026-06-05 is after end date 2026-06-01"
    assert list(tmp_path.iterdir()) == []
