"""Headless Chromium (Debian ``chromium`` + ``chromium-driver``) started with Selenium 4.

The flags below only make Chromium run headless in a container on a closed network. It runs
sandboxed unless the process is root (where the sandbox cannot start; that is logged), and
downloads nothing but the pages it is sent to. Nothing disguises the client: the User-Agent is
the project's own (settings.user_agent or ``politeness.USER_AGENT``). The driver is always quit
and the profile removed.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
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
# Chromium's DownloadRestrictions 3: block every download (a report is read in the page, never saved).
CHROMIUM_PREFS = {"download_restrictions": 3, "download.prompt_for_download": False}
_log = logging.getLogger(__name__)


def sandbox_unavailable() -> str | None:
    """Why Chromium's sandbox cannot start here, or None: it needs a non-root user and user
    namespaces (which Docker's default seccomp profile refuses; docs/deploy.md)."""
    if os.geteuid() == 0:
        return "running as root"
    try:
        probe = subprocess.run(["unshare", "--user", "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"user namespaces could not be probed ({exc})"
    return None if probe.returncode == 0 else "no user namespaces (seccomp or sysctl refuses them)"


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
    flags = CHROMIUM_FLAGS
    if reason := sandbox_unavailable():
        _log.warning("%s: Chromium's sandbox cannot start, so it runs with --no-sandbox", reason)
        flags = (*flags, "--no-sandbox")
    for flag in flags:
        options.add_argument(flag)
    options.add_experimental_option("prefs", CHROMIUM_PREFS)
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
