"""`quant-pipelines materialize` runs `dagster asset materialize` as a child it can stop and watch.

The child leads a process group of its own, so chromedriver and Chromium belong to it. SIGINT
or SIGTERM to the CLI marks the run CANCELING and interrupts the child: Dagster ends the run
CANCELED and the browser resource quits its driver. The CLI then kills what is left of the
group, makes sure the run is CANCELED and frees the run's pool slots. A run canceled from
elsewhere (`quant-pipelines cancel`, the UI) is stopped the same way. While the child works,
the CLI echoes the run's INFO lines (progress, retries) and names the run holding a pool that
a step waits for.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from quant_pipelines.ops import pools

# Dagster's in-process executor turns an interrupt inside a step with a RetryPolicy into a retry
# and goes on with the next step. So when it carries on, or after this grace, the group is killed:
# every write is one transaction, and the CLI itself records the run CANCELED and frees its slots.
STOP_GRACE_SECONDS = 10.0
POLL_SECONDS = 0.5
STATUS_EVERY_SECONDS = 3.0
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Dagster's console format: "<time> - dagster - LEVEL - JOB - RUN_ID - PID - [STEP - ]EVENT - text".
_LINE = re.compile(rf" - dagster - (?P<level>[A-Z]+) - \S+ - (?P<run_id>{_UUID}) - (?:\d+ - )?(?P<rest>.*)$")
_USER_LINE = re.compile(r"^(?P<step>[a-z_]+) - (?P<text>.*)$")
# After the interrupt, either event means the in-process executor carries on instead of stopping.
_CARRYING_ON = re.compile(r"- (STEP_UP_FOR_RETRY|STEP_START) - ")
_RETRY = re.compile(r"^(?P<step>\S+) - STEP_UP_FOR_RETRY - .* retry in (?P<seconds>[\d.]+) seconds")
_FAILED = re.compile(r"^(?P<step>\S+) - STEP_FAILURE - (?P<text>.*)$")
_BLOCKED = re.compile(r"blocked by limit for pool (?P<pool>\S+)")
_ECHOED = {"INFO", "WARNING", "ERROR", "CRITICAL"}
QUIET_WARNINGS = "ignore:Function `asset_materialize_command` is superseded"
KEEP_LOGS = 30
SIGNAL_EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143}


@dataclass
class Outcome:
    """How the child ended: its exit code, the run it ran, and what stopped it (if anything)."""

    returncode: int
    run_id: str | None
    stopped_by: str | None
    status: str | None


class MaterializeChild:
    """One `dagster asset materialize` child, its log file and the run it executes."""

    def __init__(self, command: Sequence[str], env: Mapping[str, str], log_path: Path, out: TextIO = sys.stdout):
        self.command, self.log_path, self.out = list(command), log_path, out
        # Unbuffered: the log file, and so the progress echo, stays live. The command we call is
        # superseded by `dg launch` (not yet a drop-in for a partition range): that warning is known.
        warnings = ",".join(filter(None, (env.get("PYTHONWARNINGS"), QUIET_WARNINGS)))
        self.env = {**env, "PYTHONUNBUFFERED": "1", "PYTHONWARNINGS": warnings}
        self.run_id: str | None = None
        self.signals: list[int] = []
        self.stopped_by: str | None = None
        self._instance: Any = None
        self._told_blocked: set[str] = set()
        self._stopping = False
        self._carrying_on = False

    def run(self) -> Outcome:
        """Start the child, watch it until it exits, clean up after it; signals are forwarded."""
        previous = {sig: signal.signal(sig, self._on_signal) for sig in SIGNAL_EXIT}
        try:
            with self.log_path.open("w") as log, self.log_path.open() as tail:
                child = subprocess.Popen(
                    self.command, stdout=log, stderr=subprocess.STDOUT, env=self.env, start_new_session=True
                )
                self._watch(child, tail)
                self._read(tail)
            status = self._settle(child)
            return Outcome(child.returncode, self.run_id, self.stopped_by, status)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.close()

    def close(self) -> None:
        """Let go of the Dagster instance (``instance()`` opens it again when asked)."""
        if self._instance is not None:
            self._instance.dispose()
            self._instance = None

    def _on_signal(self, signum: int, _frame: object) -> None:
        self.signals.append(signum)

    def _watch(self, child: subprocess.Popen, tail: TextIO) -> None:
        deadline: float | None = None
        next_status = time.monotonic() + STATUS_EVERY_SECONDS
        while child.poll() is None:
            self._read(tail)
            if self.signals and deadline is None:
                deadline = self._stop(child, signal.Signals(self.signals[0]).name)
            elif deadline is None and self.run_id and time.monotonic() >= next_status:
                next_status = time.monotonic() + STATUS_EVERY_SECONDS
                if self._status() == "CANCELING":  # `quant-pipelines cancel` or the UI asked
                    deadline = self._stop(child, "a cancel request")
            if deadline is not None and (time.monotonic() > deadline or len(self.signals) > 1 or self._carrying_on):
                self._say(f"run {self.run_id or '?'} does not stop by itself: killing its processes")
                _kill_group(child.pid)
                deadline = float("inf")
                self.signals, self._carrying_on = self.signals[:1], False
            try:
                child.wait(timeout=POLL_SECONDS)
            except subprocess.TimeoutExpired:
                pass

    def _stop(self, child: subprocess.Popen, reason: str) -> float:
        self.stopped_by = self.stopped_by or reason
        self._stopping = True
        self._say(f"stopping run {self.run_id or '(not started yet)'} ({reason}): waiting for its steps to end ...")
        if self.run_id:
            instance = self.instance()
            run = instance.get_run_by_id(self.run_id)
            if run is not None and not run.is_finished and run.status.value != "CANCELING":
                instance.report_run_canceling(run, message=f"quant-pipelines materialize received {reason}")
        os.kill(child.pid, signal.SIGINT)  # Dagster turns it into a clean cancellation of the steps
        return time.monotonic() + STOP_GRACE_SECONDS

    def _settle(self, child: subprocess.Popen) -> str | None:
        """Reap leftovers of the child's group; a stopped run ends CANCELED with its pool slots freed."""
        _kill_group(child.pid)
        if not self.run_id:
            return None
        instance = self.instance()
        run = instance.get_run_by_id(self.run_id)
        if run is not None and not run.is_finished:
            if self.stopped_by:
                instance.report_run_canceled(run, message=f"stopped by quant-pipelines materialize ({self.stopped_by})")
            else:
                instance.report_run_failed(run, message=f"dagster asset materialize exited {child.returncode}")
        instance.event_log_storage.free_concurrency_slots_for_run(self.run_id)
        run = instance.get_run_by_id(self.run_id)
        return run.status.value if run is not None else None

    def _read(self, tail: TextIO) -> None:
        for line in tail.readlines():
            match = _LINE.search(line.rstrip("\n"))
            if not match:
                continue
            if self.run_id is None:
                self.run_id = match["run_id"]
                self._say(f"run {self.run_id} started; stop it with Ctrl-C or `quant-pipelines cancel {self.run_id}`")
            self._carrying_on = self._carrying_on or (self._stopping and bool(_CARRYING_ON.search(match["rest"])))
            blocked = _BLOCKED.search(match["rest"])
            if blocked:
                self._blocked(blocked["pool"])
            elif retry := _RETRY.match(match["rest"]):
                self._say(f"[{retry['step']}] failed; Dagster retries the step in {float(retry['seconds']):.0f} s "
                          f"(why: {self.log_path})")
            elif failed := _FAILED.match(match["rest"]):
                self._say(f"[{failed['step']}] failed: {failed['text']}")
            elif match["level"] in _ECHOED:
                user = _USER_LINE.match(match["rest"])
                text = f"[{user['step']}] {user['text']}" if user else match["rest"]
                self._say(text if match["level"] == "INFO" else f"{match['level'].lower()}: {text}")

    def _blocked(self, pool: str) -> None:
        if pool in self._told_blocked:
            return
        self._told_blocked.add(pool)
        for line in pools.explain_blocked(self.instance(), pool, self.run_id):
            self._say(line)

    def _status(self) -> str | None:
        run = self.instance().get_run_by_id(self.run_id)
        return run.status.value if run is not None else None

    def instance(self) -> Any:
        """The Dagster instance the child writes to (DAGSTER_HOME / DAGSTER_PG_URL of its env)."""
        if self._instance is None:
            from dagster import DagsterInstance

            os.environ.update({k: v for k, v in self.env.items() if k.startswith("DAGSTER_")})
            self._instance = DagsterInstance.get()
        return self._instance

    def _say(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def rotate_logs(directory: Path, keep: int = KEEP_LOGS) -> None:
    """Keep the newest ``keep`` materialize logs in ``directory``; delete the older ones."""
    logs = sorted(directory.glob("materialize-*.log"), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in logs[keep:]:
        old.unlink(missing_ok=True)


def _kill_group(pgid: int) -> None:
    """SIGKILL every process left in the group (chromedriver, Chromium and its helpers)."""
    import psutil

    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive_in_group(process, pgid) for process in psutil.process_iter()):
        time.sleep(0.1)


def _alive_in_group(process: Any, pgid: int) -> bool:
    """A member of the group that is not a zombie waiting to be reaped by its (new) parent."""
    import psutil

    try:
        return os.getpgid(process.pid) == pgid and process.status() != psutil.STATUS_ZOMBIE
    except (ProcessLookupError, psutil.Error):
        return False
