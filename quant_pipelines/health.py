"""Health probes shared by the health sensor and `quant-pipelines health`.

Each probe returns a :class:`Probe` instead of raising, so one broken part never hides
the state of the others. None of them starts a scrape: the sites get one polite GET each.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import requests

from quant_pipelines.db.migrate import require_current
from quant_pipelines.resources.politeness import USER_AGENT
from quant_pipelines.resources.warehouse import warehouse_engine
from quant_pipelines.settings import Settings

SITE_TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class Probe:
    """The outcome of one health probe."""

    name: str
    healthy: bool
    detail: str
    seconds: float

    def as_dict(self) -> dict:
        return asdict(self)


def timed(name: str, check: Callable[[], str]) -> Probe:
    """Run ``check`` (which returns a detail or raises) and time it."""
    started = time.monotonic()
    try:
        detail, healthy = check(), True
    except Exception as exc:  # a probe reports every failure as data, whatever its type
        detail, healthy = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__, False
    return Probe(name, healthy, detail, round(time.monotonic() - started, 3))


def database(settings: Settings) -> Probe:
    """The warehouse answers and its schema is current."""

    def check() -> str:
        engine = warehouse_engine(settings, pool_size=1, max_overflow=0)
        try:
            require_current(engine)
            return f"reachable, schema current ({engine.url.render_as_string(hide_password=True)})"
        finally:
            engine.dispose()

    return timed("database", check)


def site(name: str, url: str, settings: Settings) -> Probe:
    """One GET of the site root: any answer below 500 other than 403 counts as reachable."""

    def check() -> str:
        response = requests.get(
            url + "/",
            headers={"User-Agent": settings.user_agent or USER_AGENT},
            timeout=SITE_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
        if response.status_code == 403:
            raise RuntimeError(f"{url} refuses us (HTTP 403): scrapes would be recorded as blocked")
        if response.status_code >= 500:
            raise RuntimeError(f"{url} is failing (HTTP {response.status_code})")
        return f"{url} answered HTTP {response.status_code}"

    return timed(name, check)


def sites(settings: Settings) -> list[Probe]:
    """Reachability of both sources."""
    return [
        site("senate_site", settings.senate_efd_base_url, settings),
        site("house_site", settings.house_clerk_base_url, settings),
    ]
