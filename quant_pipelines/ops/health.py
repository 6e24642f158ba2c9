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

from quant_pipelines.db import embedded_postgres
from quant_pipelines.db.engine import warehouse_engine
from quant_pipelines.db.migrate import require_current
from quant_pipelines.ops.instance import dagster_environment
from quant_pipelines.settings import Settings
from quant_pipelines.sites.chromium import chromium
from quant_pipelines.sites.politeness import USER_AGENT

SITE_TIMEOUT_SECONDS = 15
# A page each site really serves (its agreement gate; the House's disclosure landing page).
PROBE_PATHS = {"senate_site": "/search/home/", "house_site": "/FinancialDisclosure"}


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
    """The warehouse answers and its schema is current (an embedded server is never created)."""

    def check() -> str:
        if settings.database_url is None:
            require_embedded_server(settings)
        engine = warehouse_engine(settings, pool_size=1, max_overflow=0)
        try:
            require_current(engine)
            return f"reachable, schema current ({engine.url.render_as_string(hide_password=True)})"
        finally:
            engine.dispose()

    return timed("database", check)


def require_embedded_server(settings: Settings) -> None:
    """Raise unless the embedded PostgreSQL under the state dir exists and runs: a probe creates nothing."""
    pgdata = embedded_postgres.data_dir(settings.state_dir)
    if not (pgdata / "PG_VERSION").exists():
        raise RuntimeError(
            f"no embedded PostgreSQL in {pgdata} (QUANT_STATE_DIR={settings.state_dir}); set QUANT_STATE_DIR "
            "or QUANT_DATABASE_URL, or create it with `quant-pipelines db upgrade`"
        )
    if not (pgdata / "postmaster.pid").exists():
        raise RuntimeError(f"the embedded PostgreSQL in {pgdata} is not running (`quant-pipelines db upgrade` starts it)")


def site(name: str, url: str, settings: Settings) -> Probe:
    """One GET of a page the site really has (PROBE_PATHS): 2xx/3xx is reachable, 4xx/5xx is failing."""
    probe_url = url + PROBE_PATHS.get(name, "/")

    def check() -> str:
        try:
            response = requests.get(
                probe_url,
                headers={"User-Agent": settings.user_agent or USER_AGENT},
                timeout=SITE_TIMEOUT_SECONDS,
                allow_redirects=False,
            )
        except requests.Timeout:
            raise RuntimeError(f"{probe_url} did not answer within {SITE_TIMEOUT_SECONDS} s") from None
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
        if response.status_code >= 400:
            raise RuntimeError(f"{probe_url} answered HTTP {response.status_code}: is {url} the right site?")
        return f"{probe_url} answered HTTP {response.status_code}"

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
    """Every daemon the Dagster instance needs sent a heartbeat within QUANT_DAEMON_HEARTBEAT_MAX_AGE."""

    def check() -> str:
        if not os.environ.get("DAGSTER_PG_URL"):
            require_embedded_server(settings)
        os.environ.update(dagster_environment(settings))
        limit = settings.daemon_heartbeat_max_age_seconds
        with DagsterInstance.get() as instance:
            required = instance.get_required_daemon_types()
            heartbeats = instance.get_daemon_heartbeats()
        now = time.time()
        ages = {name: now - heartbeats[name].timestamp for name in required if name in heartbeats}
        missing = sorted(name for name in required if name not in ages)
        stale = sorted(name for name, age in ages.items() if age > limit)
        if missing or stale:
            parts = [f"{name} last {ages[name] / 60:.0f} min ago" for name in stale]
            parts += [f"{name} never" for name in missing]
            raise RuntimeError(
                f"no heartbeat within {limit:.0f} s ({'; '.join(parts)}): is `dagster-daemon run` up?"
            )
        return f"{len(required)} daemons alive, oldest heartbeat {max(ages.values(), default=0):.0f} s ago"

    return timed("daemon", check)


def pipeline_probes(settings: Settings) -> list[Probe]:
    """What the health sensor watches: database, Chromium start-up and both sites."""
    return [database(settings), browser(settings), *sites(settings)]


def summary(probes: list[Probe]) -> str:
    """One line naming every probe's state."""
    return "; ".join(f"{p.name} {'ok' if p.healthy else 'FAILING'}: {p.detail}" for p in probes)
