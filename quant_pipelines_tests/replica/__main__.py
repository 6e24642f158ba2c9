"""Serve both site replicas until interrupted (the offline demo and manual exploration).

    python -m quant_pipelines_tests.replica [--env-file PATH]

Prints (and optionally writes to PATH, once both listen) `export` lines that point the project
at the replicas instead of the live sites, with a request rate fit for a local server:
`. PATH` in a shell, and every command started from it, uses the replicas.
"""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from quant_pipelines_tests.replica.house import HouseReplica
from quant_pipelines_tests.replica.senate import SenateReplica

# The replicas are local: the live sites' 1 request/second would only make runs slow.
REPLICA_REQUESTS_PER_SECOND = 50
FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"


def main() -> None:
    parser = argparse.ArgumentParser(description="Local replicas of efdsearch.senate.gov and disclosures-clerk.house.gov")
    parser.add_argument("--fixtures", type=Path, default=FIXTURES, help="the shared captures (default: %(default)s)")
    parser.add_argument("--env-file", type=Path, help="also write the export lines here once both replicas listen (then: . PATH)")
    args = parser.parse_args()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with SenateReplica(args.fixtures) as senate, HouseReplica(args.fixtures) as house:
        exports = (
            f"export SENATE_EFD_BASE_URL={senate.base_url}\n"
            f"export HOUSE_CLERK_BASE_URL={house.base_url}\n"
            f"export QUANT_REQUESTS_PER_SECOND={REPLICA_REQUESTS_PER_SECOND}\n"
        )
        if args.env_file:
            args.env_file.write_text(exports)
        print(exports, end="", flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
