"""Load benchmark: the Postgres IO manager's window write vs pandas DataFrame.to_sql.

    .venv/bin/python bench/load.py [--rows 100000] [--repeat 3]

Every method replaces the same 100-day window of the same rows on the same server, the
DELETE of the window included, in one transaction; each run is a fresh subprocess so
its peak RSS is its own. A bare COPY of a CSV buffer (no window logic) is the ceiling.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta

from common import bench_warehouse, machine_info, peak_rss_mib, render, report
from sqlalchemy import create_engine, text
from synthetic import trades as synthetic_trades

from quant_pipelines.db.schema import trades
from quant_pipelines.db.windows import Window, replace_window

FIRST_DAY = date(2020, 1, 1)
DAYS = 100
METHODS = {
    "io_manager": "quant_pipelines IO manager (delete + COPY)",
    "bare_copy": "bare COPY of a CSV buffer (ceiling, no delete)",
    "to_sql_none": "DataFrame.to_sql(method=None)",
    "to_sql_multi": 'DataFrame.to_sql(method="multi", chunksize=1000)',
}
COPY_TABLE = "trades_to_sql"


def run_method(method: str, url: str, rows: int) -> dict:
    """Time one method once (runs in its own process)."""
    frame = synthetic_trades(rows, FIRST_DAY, DAYS)
    engine = create_engine(url)
    window = Window(trades, "filed_date", FIRST_DAY, FIRST_DAY + timedelta(days=DAYS))
    started = time.perf_counter()
    with engine.begin() as conn:
        if method == "io_manager":
            replace_window(conn, window, frame)
        elif method == "bare_copy":
            conn.execute(text(f"TRUNCATE quant.{COPY_TABLE}"))
            started = time.perf_counter()  # the ceiling leaves the delete out
            buffer = io.StringIO()
            frame.to_csv(buffer, index=False, header=False, na_rep="\\N")
            columns = ", ".join(frame.columns)
            with conn.connection.driver_connection.cursor() as cursor:
                with cursor.copy(f"COPY quant.{COPY_TABLE} ({columns}) FROM STDIN (FORMAT csv, NULL '\\N')") as copy:
                    copy.write(buffer.getvalue())
        else:
            conn.execute(text(f"DELETE FROM quant.{COPY_TABLE} WHERE filed_date >= :a AND filed_date < :b"),
                         {"a": window.start, "b": window.end})
            frame.to_sql(
                COPY_TABLE, conn, schema="quant", if_exists="append", index=False,
                method=None if method == "to_sql_none" else "multi",
                chunksize=None if method == "to_sql_none" else 1000,
            )
    seconds = time.perf_counter() - started
    engine.dispose()
    return {"seconds": seconds, "peak_rss_mib": peak_rss_mib()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--method", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.method:
        print(json.dumps(run_method(args.method, args.url, args.rows)))
        return

    with bench_warehouse() as engine:
        url = engine.url.render_as_string(hide_password=False)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE TABLE quant.{COPY_TABLE} (LIKE quant.trades INCLUDING ALL)"))
        info = machine_info(engine)
        results: dict[str, list[dict]] = {method: [] for method in METHODS}
        # Interleave the methods so a noisy neighbour hurts all of them alike; the first
        # round warms every table with the window's rows so each DELETE has work to do.
        for _ in range(args.repeat + 1):
            for method in METHODS:
                done = subprocess.run(
                    [sys.executable, __file__, "--method", method, "--url", url, "--rows", str(args.rows)],
                    capture_output=True, text=True, check=True,
                )
                results[method].append(json.loads(done.stdout))
    rows = []
    ours = statistics.median(r["seconds"] for r in results["io_manager"][1:])
    for method, label in METHODS.items():
        timed = results[method][1:]
        seconds = statistics.median(r["seconds"] for r in timed)
        rows.append([
            label, args.rows, seconds, args.rows / seconds, seconds / ours,
            max(r["peak_rss_mib"] for r in timed),
        ])
    table = render(["method", "rows", "wall s (median)", "rows/s", "x slower than IO manager", "peak RSS MiB"], rows)
    report("load", "Load: IO manager window write vs DataFrame.to_sql", info, table, notes=[
        f"Median of {args.repeat} runs after one warm-up round; each run replaces a {DAYS}-day window "
        "holding the same rows (DELETE included) in one transaction, in its own process.",
        "Targets: at least 3x faster than to_sql(method=None) and 25x faster than method=\"multi\".",
    ])


if __name__ == "__main__":
    main()
