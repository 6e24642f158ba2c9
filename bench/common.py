"""What every benchmark shares: machine info, a throwaway warehouse, the results file, tables."""

from __future__ import annotations

import os
import platform
import re
import resource
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from tabulate import tabulate

from quant_pipelines.db.migrate import upgrade
from quant_pipelines.resources import embedded_postgres
from quant_pipelines.settings import WAREHOUSE_DRIVER, load_settings

RESULTS = Path(__file__).with_name("RESULTS.md")


def machine_info(engine: Engine | None = None) -> dict[str, str]:
    """CPU, cores, memory, Python and (when given an engine) PostgreSQL versions."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = found.group(1).strip() if found else cpu
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    info = {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": f"{memory:.1f} GiB",
        "python": platform.python_version(),
    }
    if engine is not None:
        with engine.connect() as conn:
            info["postgresql"] = conn.execute(text("SHOW server_version")).scalar_one()
    return info


@contextmanager
def bench_warehouse() -> Iterator[Engine]:
    """QUANT_DATABASE_URL when set, else an embedded server in a temporary state dir; migrated."""
    settings = load_settings()
    state_dir = None
    if settings.database_url:
        url = settings.database_url
    else:
        state_dir = Path(tempfile.mkdtemp(prefix="quant-bench-"))
        url = embedded_postgres.server_url(state_dir, "bench", WAREHOUSE_DRIVER)
    engine = create_engine(url)
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        if state_dir is not None:
            embedded_postgres.stop(state_dir)
            shutil.rmtree(state_dir, ignore_errors=True)


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def render(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table (readable in a terminal too)."""
    return tabulate(rows, headers=headers, tablefmt="github", floatfmt=",.1f", intfmt=",")


def report(name: str, title: str, info: dict[str, str], table: str, notes: Sequence[str] = ()) -> None:
    """Print the result and replace this benchmark's section of bench/RESULTS.md."""
    machine = ", ".join(f"{key} {value}" for key, value in info.items())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "\n".join(
        [f"## {title}", "", f"`python bench/{name}.py` on {stamp}; {machine}.", "", table, "", *notes]
    ).rstrip() + "\n"
    print(body)
    sections = _sections(RESULTS.read_text() if RESULTS.exists() else "")
    sections[name] = body
    header = "# Benchmark results\n\nLatest run of each script in bench/ (each rewrites its own section).\n"
    RESULTS.write_text(header + "".join(f"\n<!-- {key} -->\n{value}" for key, value in sorted(sections.items())))


def _sections(text_: str) -> dict[str, str]:
    parts = re.split(r"\n<!-- (\w+) -->\n", text_)
    return dict(zip(parts[1::2], parts[2::2]))
