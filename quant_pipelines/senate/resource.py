"""Headless Chromium (Debian ``chromium`` + ``chromium-driver``) as a Dagster resource.

``SenateEfdBrowser.session()`` starts one Selenium 4 session on the eFD site and always
quits it, also when the body fails. The flags below only make Chromium run as root in
a container on a closed network; nothing disguises the client: the User-Agent is the
project's own (settings.user_agent or ``politeness.USER_AGENT``).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from pydantic import Field
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service

from quant_pipelines.senate.client import EfdSession
from quant_pipelines.sites.polite_browser import PoliteBrowser, Politeness
from quant_pipelines.sites.politeness import USER_AGENT, RateLimiter
from quant_pipelines.settings import Settings, load_settings

APT_PACKAGES = "chromium chromium-driver"
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",  # root in a container has no user namespace for the sandbox
    "--disable-gpu",
    "--disable-dev-shm-usage",  # /dev/shm is tiny in containers
    "--disable-quic",
    "--no-first-run",
    # Chromium's own calls home (updates, sync, field trials) go nowhere on a closed network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Resolve names with the system resolver like every other program on the host; Chromium's
    # own DNS client waits out a timeout for each third-party host a page links on a closed network.
    "--disable-features=AsyncDns",
)


class BrowserUnavailable(RuntimeError):
    """Chromium or chromedriver is missing or does not start; the message says how to fix it."""


@contextmanager
def chromium(settings: Settings, *, page_load_timeout: float) -> Iterator[webdriver.Chrome]:
    """A headless Chromium with a fresh profile; quit and the profile removed on exit."""
    for path, variable in (
        (settings.chromium_binary, "CHROMIUM_BINARY"),
        (settings.chromedriver_path, "CHROMEDRIVER_PATH"),
    ):
        if not Path(path).is_file():
            raise BrowserUnavailable(
                f"{path} not found: install the Debian packages `{APT_PACKAGES}` "
                f"(apt-get install {APT_PACKAGES}) or point {variable} at the binary"
            )
    profile = tempfile.mkdtemp(prefix="quant-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(settings.chromium_binary)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--user-agent={settings.user_agent or USER_AGENT}")
    driver = None
    try:
        try:
            driver = webdriver.Chrome(service=Service(str(settings.chromedriver_path)), options=options)
        except WebDriverException as exc:
            first_line = (exc.msg or str(exc)).strip().splitlines()[0]
            raise BrowserUnavailable(
                f"Chromium did not start ({APT_PACKAGES} installed?): {first_line}"
            ) from None
        driver.set_page_load_timeout(page_load_timeout)
        driver.set_script_timeout(page_load_timeout)
        yield driver
    finally:
        if driver is not None:
            try:
                driver.quit()
            except (WebDriverException, OSError):
                # Chromium already died; make sure chromedriver goes with it.
                driver.service.stop()
        shutil.rmtree(profile, ignore_errors=True)


class SenateEfdBrowser(dg.ConfigurableResource):
    """One headless Chromium session on Senate eFD (SENATE_EFD_BASE_URL), polite and rate limited."""

    page_load_timeout_seconds: float = Field(
        default=60.0, gt=0, description="per navigation and in-page request"
    )
    max_attempts: int = Field(
        default=3, ge=1, description="tries per request before the site counts as blocking us"
    )
    backoff_seconds: float = Field(default=5.0, ge=0, description="first retry delay, doubled per attempt")
    page_size: int = Field(
        default=100, ge=1, le=100, description="report-data rows per listing request (site max 100)"
    )

    @contextmanager
    def session(self, log: logging.Logger | None = None) -> Iterator[EfdSession]:
        """Start Chromium, yield an :class:`EfdSession` on the site, always quit the driver."""
        settings = load_settings()
        politeness = Politeness(
            limiter=RateLimiter(settings.requests_per_second),
            max_attempts=self.max_attempts,
            backoff_seconds=self.backoff_seconds,
        )
        log = log or logging.getLogger(__name__)
        with chromium(settings, page_load_timeout=self.page_load_timeout_seconds) as driver:
            yield EfdSession(
                PoliteBrowser(driver, politeness, log),
                settings.senate_efd_base_url,
                page_size=self.page_size,
                log=log,
            )
