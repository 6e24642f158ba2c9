"""Headless Chromium (Debian ``chromium`` + ``chromium-driver``) started with Selenium 4.

The flags below only make Chromium run as root in a container on a closed network; nothing
disguises the client: the User-Agent is the project's own (settings.user_agent or
``politeness.USER_AGENT``). The driver is always quit and the profile removed.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service

from quant_pipelines.settings import Settings
from quant_pipelines.sites.politeness import USER_AGENT

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
