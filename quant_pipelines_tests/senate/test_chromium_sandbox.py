"""Chromium's sandbox and downloads: off only for root (and said so), on for anyone else; every
download refused. Real Chromium, started as the resource starts it."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import psutil
import pytest
from pgserver.utils import ensure_user_exists

from quant_pipelines.settings import load_settings
from quant_pipelines.sites.chromium import CHROMIUM_FLAGS, chromium, sandbox_unavailable

pytestmark = pytest.mark.browser

PAGE = "data:text/html,<p id=probe>sandboxed</p>"


def test_the_sandbox_is_off_only_where_it_cannot_start() -> None:
    assert "--no-sandbox" not in CHROMIUM_FLAGS
    assert (sandbox_unavailable() == "running as root") == (os.geteuid() == 0)


def test_the_running_browser_matches_its_user_and_blocks_downloads(caplog: pytest.LogCaptureFixture) -> None:
    root = os.geteuid() == 0
    with caplog.at_level(logging.WARNING), chromium(load_settings(), page_load_timeout=30) as driver:
        browser = [line for line in _command_lines(driver.service.process.pid) if "--user-data-dir" in line]
        driver.get("chrome://prefs-internals")
        prefs = driver.find_element("tag name", "body").text
    assert browser and all(("--no-sandbox" in line) == root for line in browser)
    assert any("running as root: Chromium's sandbox cannot start" in r.message for r in caplog.records) == root
    assert re.search(r'"download_restrictions"\s*:\s*\{[^}]*"user_controlled"[^}]*"value":\s*3\s*\}', prefs)


def _command_lines(pid: int) -> list[str]:
    """The command lines of a process's descendants that are still running when read (Chromium
    starts and ends short-lived helpers at any time; the browser itself lives as long as the driver)."""
    lines = []
    for process in psutil.Process(pid).children(recursive=True):
        try:
            lines.append(" ".join(process.cmdline()))
        except psutil.NoSuchProcess:
            continue
    return lines


def test_an_unprivileged_user_runs_chromium_sandboxed_with_the_project_flags() -> None:
    """What the image (uid 10001) does; here as pgserver's unprivileged user when the tests run as root."""
    home = Path(tempfile.mkdtemp(prefix="quant-sandbox-"))  # outside pytest's root-only tmp dirs
    try:
        command = [str(load_settings().chromium_binary), *CHROMIUM_FLAGS,
                   f"--user-data-dir={home / 'profile'}", "--dump-dom", PAGE]
        if os.geteuid() == 0:
            ensure_user_exists("pgserver")
            shutil.chown(home, "pgserver")
            command = ["runuser", "-u", "pgserver", "--", "env", f"HOME={home}", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    assert "No usable sandbox" not in done.stderr
    assert '<p id="probe">sandboxed</p>' in done.stdout, done.stderr[-2000:]
