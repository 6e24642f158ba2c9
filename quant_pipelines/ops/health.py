"""Health probes shared by the health sensor and `quant-pipelines health`.

Each probe returns a :class:`Probe` instead of raising, so one broken part never hides
the state of the others. None of them starts a scrape: the sites get one polite GET each.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import requests
from dagster import DagsterInstance

from quant_pipelines.db.engine import warehouse_engine
from quant_pipelines.db.migrate import require_current
from quant_pipelines.ops.instance import dagster_environment
from quant_pipelines.settings import Settings
from quant_pipelines.sites.chromium import chromium
from quant_pipelines.sites.politeness import USER_AGENT

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
        try:
            response = requests.get(
                url + "/",
                headers={"User-Agent": settings.user_agent or USER_AGENT},
                timeout=SITE_TIMEOUT_SECONDS,
                allow_redirects=False,
            )
        except requests.Timeout:
            raise RuntimeError(f"{url} did not answer within {SITE_TIMEOUT_SECONDS} s") from None
        except requests.ConnectionError as exc:
            text = str(exc)
            reason = "name does not resolve" if "resolve" in text else (
                "connection refused" if "refused" in text.lower() else "connection failed"
            )
            raise RuntimeError(f"{url} is unreachable ({reason})") from None
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


def browser(settings: Settings) -> Probe:
    """Headless Chromium starts, opens a blank page and quits (no site is contacted)."""

    def check() -> str:
        with chromium(settings, page_load_timeout=30) as driver:
            driver.get("about:blank")
            return f"Chromium {driver.capabilities.get('browserVersion', '?')} starts headless"

    return timed("chromium", check)


def daemon(settings: Settings) -> Probe:
    """Every daemon the Dagster instance needs has sent a recent heartbeat."""

    def check() -> str:
        os.environ.update(dagster_environment(settings))
        with DagsterInstance.get() as instance:
            statuses = instance.get_daemon_statuses()
        failing = sorted(name for name, status in statuses.items() if not status.healthy)
        if failing:
            raise RuntimeError(f"no recent heartbeat from {', '.join(failing)}: is `dagster-daemon run` up?")
        return f"{len(statuses)} daemons healthy ({', '.join(sorted(statuses))})"

    return timed("daemon", check)


def pipeline_probes(settings: Settings) -> list[Probe]:
    """What the health sensor watches: database, Chromium start-up and both sites."""
    return [database(settings), browser(settings), *sites(settings)]


def summary(probes: list[Probe]) -> str:
    """One line naming every probe's state."""
    return "; ".join(f"{p.name} {'ok' if p.healthy else 'FAILING'}: {p.detail}" for p in probes)
