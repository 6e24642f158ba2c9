#!/usr/bin/env bash
# Refresh the dependency locks (every transitive package pinned, with its sha256 hashes) from
# pyproject.toml: requirements/dev.lock (the dev and bench extras: set-up, tests, benches) and
# requirements/image.lock (the docker extra: the container image). scripts/setup.sh and
# docker/Dockerfile install them with --require-hashes. Run after changing a pin in pyproject.toml,
# then run the tests: `bash scripts/lock.sh && bash scripts/test.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/uv ] || { echo "error: .venv/bin/uv missing: run scripts/setup.sh dev first" >&2; exit 1; }
# The interpreter and platform of the set-up machines and of the image (python:3.11, x86_64 Linux).
common=(--custom-compile-command "bash scripts/lock.sh" --generate-hashes --no-strip-extras --python-version 3.11.7 --python-platform x86_64-unknown-linux-gnu)
.venv/bin/uv pip compile pyproject.toml --extra dev --extra bench "${common[@]}" -o requirements/dev.lock
.venv/bin/uv pip compile pyproject.toml --extra docker "${common[@]}" -o requirements/image.lock
