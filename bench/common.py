"""What every benchmark shares: machine info, a throwaway warehouse, the results file, tables."""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psutil
from sqlalchemy import Engine, create_engine, text
from tabulate import tabulate

from quant_pipelines.db import embedded_postgres
from quant_pipelines.db.migrate import upgrade
from quant_pipelines.settings import WAREHOUSE_DRIVER, load_settings

RESULTS = Path(__file__).with_name("RESULTS.md")
ROOT = Path(__file__).resolve().parents[1]
# The site replicas and the process helpers live with the tests (not an installed package).
sys.path.insert(0, str(ROOT))


def outside_environ() -> dict[str, str]:
    """This process's environment without the project's and Dagster's variables (each benchmark sets its own)."""
    return {name: value for name, value in os.environ.items() if not name.startswith(("QUANT_", "DAGSTER_"))}


def this_and_before(script: str, run: Callable[[], dict], default: str) -> tuple[dict, dict, str] | None:
    """The reader-comparing benches' command line: ``--before REV`` (default ``default``) runs
    ``script --child`` on this checkout's package, then on the one at that git revision (checked
    out in a temporary worktree), and returns both results and the revision; in a child, run
    ``run``, print its JSON and return None."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default=default, help="git revision of the earlier reader")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run()))
        return None
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "before"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.before],
                       check=True, capture_output=True)
        try:
            for source in (ROOT, tree):
                env = {**os.environ, "PYTHONPATH": str(source)}
                out = subprocess.run([sys.executable, script, "--child"], capture_output=True, text=True,
                                     check=True, env=env)
                results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)
    return results[0], results[1], args.before


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


class TreeMemory:
    """Samples a process and all its descendants (Chromium too) until stopped; keeps the peaks.

    RSS counts a page shared by several processes once per process (an upper bound);
    PSS splits it between them (the tree's fair share of physical memory).
    """

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        self.peak_rss = self.peak_pss = self.peak_single_rss = 0
        self.peak_by_pid: dict[int, tuple[int, str]] = {}  # pid -> (peak RSS, command)
        self._root, self._interval = pid, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                root = psutil.Process(self._root)
                tree = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            rss = [_quietly(lambda p=p: p.memory_info().rss) for p in tree]
            pss = [_pss(p.pid) for p in tree]
            for process, resident in zip(tree, rss):
                if resident > self.peak_by_pid.get(process.pid, (0, ""))[0]:
                    self.peak_by_pid[process.pid] = (resident, _command(process))
            self.peak_rss = max(self.peak_rss, sum(rss))
            self.peak_pss = max(self.peak_pss, sum(pss))
            self.peak_single_rss = max(self.peak_single_rss, *rss)
            self._stop.wait(self._interval)


def kill_tree(pid: int) -> None:
    """SIGKILL a process and every descendant still alive (a benchmark that failed or was interrupted)."""
    try:
        root = psutil.Process(pid)
        tree = [*root.children(recursive=True), root]
    except psutil.NoSuchProcess:
        return
    for process in tree:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass


def _command(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())[:120]
    except psutil.Error:
        return "?"


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _quietly(read) -> int:
    try:
        return read()
    except psutil.Error:
        return 0


def render(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table (readable in a terminal too)."""
    return tabulate(rows, headers=headers, tablefmt="github", floatfmt=",.1f", intfmt=",")


def report(
    name: str, title: str, info: dict[str, str], table: str, notes: Sequence[str] = (), *, script: str | None = None
) -> None:
    """Print the result and replace this benchmark's section of bench/RESULTS.md."""
    machine = ", ".join(f"{key} {value}" for key, value in info.items())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = f"python bench/{script or name}.py"
    body = "\n".join([f"## {title}", "", f"`{command}` on {stamp}; {machine}.", "", table, "", *notes]).rstrip() + "\n"
    print(body)
    sections = _sections(RESULTS.read_text() if RESULTS.exists() else "")
    sections[name] = body
    header = "# Benchmark results\n\nLatest run of each script in bench/ (each rewrites its own section).\n"
    RESULTS.write_text(header + "".join(f"\n<!-- {key} -->\n{value}" for key, value in sorted(sections.items())))


def _sections(text_: str) -> dict[str, str]:
    parts = re.split(r"\n<!-- (\w+) -->\n", text_)
    return dict(zip(parts[1::2], parts[2::2]))


def engine_results(script: str, run: Callable[[str], dict]) -> tuple[list[dict], float] | None:
    """The OCR benches' command line: ``--engines a,b`` runs each engine in a child process of
    ``script`` and returns the children's results and the 1-min load at the start; in a child
    (``--child ENGINE``) run it, print its JSON and return None."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--engines", default="rapidocr,tesseract")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args.child)))
        return None
    load_before = os.getloadavg()[0]
    results = []
    for engine in args.engines.split(","):
        child = subprocess.run([sys.executable, script, "--child", engine], capture_output=True, text=True, check=True)
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    return results, load_before
