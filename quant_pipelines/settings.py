"""Every environment variable the project reads, validated in one place (ARCHITECTURE §4).

Resources and the CLI call :func:`load_settings` at run time, never at import, so loading
the definitions never fails because of the environment.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

WAREHOUSE_DRIVER = "postgresql+psycopg"
SECRET_VARIABLES = ("QUANT_DATABASE_URL", "QUANT_API_TOKEN")
API_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,128}$")


class SettingsError(ValueError):
    """An environment variable holds a value the project cannot use; the message is one line."""


class Settings(BaseSettings):
    """The project's configuration, read from the environment."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    database_url: str | None = Field(
        default=None,
        repr=False,
        validation_alias="QUANT_DATABASE_URL",
        description="warehouse SQLAlchemy URL; unset = embedded pgserver under the state dir",
    )
    state_dir: Path = Field(default=Path(".quant"), validation_alias="QUANT_STATE_DIR")
    senate_efd_base_url: str = Field(
        default="https://efdsearch.senate.gov", validation_alias="SENATE_EFD_BASE_URL"
    )
    senate_media_base_url: str | None = Field(
        default=None, validation_alias="SENATE_MEDIA_BASE_URL",
        description="where paper filings' page images are asked for; unset: the host the view page lists "
        "(efd-media-public.senate.gov) for the live site, else SENATE_EFD_BASE_URL (a replica serves both)",
    )
    house_clerk_base_url: str = Field(
        default="https://disclosures-clerk.house.gov", validation_alias="HOUSE_CLERK_BASE_URL"
    )
    legislators_base_url: str = Field(
        default="https://unitedstates.github.io/congress-legislators",
        validation_alias="LEGISLATORS_BASE_URL",
        description="where legislators-current.yaml and legislators-historical.yaml are published",
    )
    sec_base_url: str = Field(
        default="https://www.sec.gov", validation_alias="SEC_BASE_URL",
        description="where the SEC publishes files/company_tickers.json",
    )
    requests_per_second: float = Field(
        default=1.0, gt=0, le=1000, validation_alias="QUANT_REQUESTS_PER_SECOND"
    )
    user_agent: str | None = Field(
        default=None,
        min_length=8,
        validation_alias="QUANT_USER_AGENT",
        description="User-Agent sent to both sites; unset = quant-pipelines/<version> (...)",
    )
    unreadable_warn_share: float = Field(
        default=0.25, ge=0, le=1, validation_alias="QUANT_UNREADABLE_WARN_SHARE",
        description="share of parse_failed/blocked/needs_ocr/partially_parsed/needs_review filings in a window that warns",
    )
    unreadable_error_share: float = Field(
        default=0.5, ge=0, le=1, validation_alias="QUANT_UNREADABLE_ERROR_SHARE",
        description="share of parse_failed/blocked/needs_ocr/partially_parsed/needs_review filings in a window that fails the check",
    )
    webserver_url: str = Field(
        default="http://localhost:3000", validation_alias="QUANT_WEBSERVER_URL",
        description="the Dagster webserver (or the proxy in front of it) that `trigger` talks to",
    )
    api_token: str | None = Field(
        default=None, repr=False, validation_alias="QUANT_API_TOKEN",
        description="bearer token the proxy accepts for API clients; unset = send none",
    )
    trigger_max_days: int = Field(
        default=366, ge=1, le=10_000, validation_alias="QUANT_TRIGGER_MAX_DAYS",
        description="longest range `quant-pipelines trigger` launches as one backfill",
    )
    daemon_heartbeat_max_age_seconds: float = Field(
        default=120, gt=0, le=86_400, validation_alias="QUANT_DAEMON_HEARTBEAT_MAX_AGE",
        description="`health`: a daemon whose last heartbeat is older than this (seconds) is down",
    )
    chromium_binary: Path = Field(default=Path("/usr/bin/chromium"), validation_alias="CHROMIUM_BINARY")
    chromedriver_path: Path = Field(
        default=Path("/usr/bin/chromedriver"), validation_alias="CHROMEDRIVER_PATH"
    )

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return warehouse_url(value).render_as_string(hide_password=False)

    @field_validator(
        "senate_efd_base_url", "house_clerk_base_url", "legislators_base_url", "sec_base_url", "webserver_url"
    )
    @classmethod
    def _site_root(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http(s) URL with a host, like https://efdsearch.senate.gov")
        if parts.query or parts.fragment:
            raise ValueError("must be a site root without query or fragment")
        return value.strip().rstrip("/")

    @field_validator("senate_media_base_url")
    @classmethod
    def _media_root(cls, value: str | None) -> str | None:
        return cls._site_root(value) if value is not None else None

    @field_validator("api_token")
    @classmethod
    def _usable_token(cls, value: str | None) -> str | None:
        if value is None or not value:
            return None
        # The same rule as the proxy's (docker/nginx): a shorter token would never be accepted there.
        if not API_TOKEN.match(value):
            raise ValueError(
                "must be 32 to 128 characters of A-Z a-z 0-9 _ - (e.g. `openssl rand -hex 32`)"
            )
        return value

    @model_validator(mode="after")
    def _thresholds_ordered(self) -> Settings:
        if self.unreadable_warn_share > self.unreadable_error_share:
            raise ValueError(
                "QUANT_UNREADABLE_WARN_SHARE must not exceed QUANT_UNREADABLE_ERROR_SHARE"
            )
        return self

    @field_validator("state_dir")
    @classmethod
    def _absolute_state_dir(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def senate_media_root(self) -> str | None:
        """Where to ask for paper page images; None = the host the view page lists (the live site)."""
        if self.senate_media_base_url:
            return self.senate_media_base_url
        live = type(self).model_fields["senate_efd_base_url"].default
        return None if self.senate_efd_base_url == live else self.senate_efd_base_url


def warehouse_url(value: str) -> URL:
    """Parse a PostgreSQL URL and pin the psycopg 3 driver; raise ValueError when it is not one."""
    try:
        url = make_url(value.strip())
    except ArgumentError:
        raise ValueError("is not a database URL (expected postgresql://user:pass@host:port/db)") from None
    if url.get_backend_name() != "postgresql":
        raise ValueError(f"must be a PostgreSQL URL, got the '{url.get_backend_name()}' backend")
    if not url.database:
        raise ValueError("names no database (expected postgresql://user:pass@host:port/db)")
    return url.set(drivername=WAREHOUSE_DRIVER)


def load_settings(**overrides: object) -> Settings:
    """Read and validate the environment (``overrides`` = command-line flags win), as one clear line."""
    try:
        return Settings(**{name: value for name, value in overrides.items() if value is not None})
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    fields = Settings.model_fields
    problems = []
    for error in exc.errors():
        message = error["msg"].removeprefix("Value error, ")
        if not error["loc"]:  # a rule across several variables names them itself
            problems.append(message)
            continue
        name = str(error["loc"][0])
        variable = fields[name].validation_alias if name in fields else name
        # A database URL or token is a secret: name the variable, never echo its value.
        shown = "" if variable in SECRET_VARIABLES else f" (got {error['input']!r})"
        problems.append(f"{variable}: {message}{shown}")
    return "invalid configuration: " + "; ".join(problems)
