#!/usr/bin/env bash
# One command on a fresh machine: set up, serve offline replicas of both sites (the real captures
# in ../shared/fixtures, same paths as the live sites), materialize a range of filed dates into the
# embedded PostgreSQL as ONE run, print what was loaded, and say how to open the UI.
# Usage: bash scripts/demo.sh [START END]      (default: 2026-06-01 2026-06-30)
set -euo pipefail
cd "$(dirname "$0")/.."
start="${1:-2026-06-01}"
end="${2:-$start}"
[ $# -ge 1 ] || end="2026-06-30"

bash scripts/setup.sh
[ -f ../shared/fixtures/MANIFEST.md ] || {
  echo "error: ../shared/fixtures is missing: the offline replicas serve the captures from there" >&2; exit 1; }

export QUANT_STATE_DIR="${QUANT_STATE_DIR:-$PWD/.quant}"
mkdir -p "$QUANT_STATE_DIR"
sites="$QUANT_STATE_DIR/replicas.env"
rm -f "$sites"
.venv/bin/python -m quant_pipelines_tests.replica --env-file "$sites" >"$QUANT_STATE_DIR/replicas.log" 2>&1 &
replicas=$!
trap 'kill "$replicas" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$sites" ] && break; sleep 0.1; done
[ -s "$sites" ] || { echo "error: the replicas did not start; see $QUANT_STATE_DIR/replicas.log" >&2; exit 1; }
. "$sites"   # export lines: both site URLs and a request rate fit for local replicas

.venv/bin/quant-pipelines materialize --start "$start" --end "$end"

cat <<MSG

Everything above is in PostgreSQL (schema quant) under $QUANT_STATE_DIR, raw documents included.
Open the Dagster UI on the same instance and data:
    QUANT_STATE_DIR=$QUANT_STATE_DIR .venv/bin/quant-pipelines dev        # then http://127.0.0.1:3000
(or: eval "\$(.venv/bin/quant-pipelines env)" && .venv/bin/dagster dev)
To materialize more from the UI against the replicas instead of the live sites, run
    .venv/bin/python -m quant_pipelines_tests.replica --env-file /tmp/replicas.env
in another terminal, then in yours:
    . /tmp/replicas.env && QUANT_STATE_DIR=$QUANT_STATE_DIR .venv/bin/quant-pipelines dev
MSG
