"""The dependency locks: every pin of pyproject.toml locked at its version, every package hashed,
and both installers (scripts/setup.sh, docker/Dockerfile) refusing what the lock does not hash."""

from __future__ import annotations

import re
import tomllib

import pytest

from quant_pipelines_tests.conftest import PROJECT_ROOT

# One locked requirement: `name[extras]==version \` followed by its `--hash=sha256:...` lines.
_ENTRY = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(\S+)((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})*)", re.M)
_PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(\S+)$")


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked(name: str) -> dict[str, tuple[str, int]]:
    text = (PROJECT_ROOT / "requirements" / name).read_text()
    return {_key(m[1]): (m[2], m[3].count("--hash=")) for m in _ENTRY.finditer(text)}


def _pins(*extras: str) -> dict[str, str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    pins = {}
    for requirement in wanted:
        if match := _PIN.match(requirement.replace(" ", "")):
            pins[_key(match[1])] = match[2]
        else:
            assert requirement.startswith("quant-pipelines["), f"{requirement!r} is not pinned with =="
    return pins


@pytest.mark.parametrize(("lock", "extras"), [("dev.lock", ("dev", "bench", "docker")), ("image.lock", ("docker",))])
def test_every_pin_is_locked_at_its_version_and_every_package_hashed(lock: str, extras: tuple[str, ...]) -> None:
    locked = _locked(lock)
    assert len(locked) > 50, "the lock lists transitive packages too"
    assert {name for name, (_, hashes) in locked.items() if hashes == 0} == set()
    assert {name: version for name, version in _pins(*extras).items() if locked.get(name, ("",))[0] != version} == {}


def test_the_image_lock_holds_no_test_or_bench_tool() -> None:
    assert not {"pytest", "pdfplumber", "beautifulsoup4", "uv"} & set(_locked("image.lock"))


def test_both_installers_require_the_hashes() -> None:
    setup = (PROJECT_ROOT / "scripts" / "setup.sh").read_text()
    assert '--require-hashes -r "$lock"' in setup and "--no-deps -e" in setup
    assert "lock=requirements/image.lock" in setup and "lock=requirements/dev.lock" in setup
    dockerfile = (PROJECT_ROOT / "docker" / "Dockerfile").read_text()
    installs = [line for line in dockerfile.splitlines() if line.startswith("RUN pip install")]
    assert installs == [
        "RUN pip install --no-cache-dir --require-hashes -r image.lock",
        'RUN pip install --no-cache-dir --no-deps ".[docker]"',
    ]
    assert "FROM ${PYTHON_IMAGE}" in dockerfile
