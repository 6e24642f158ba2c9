"""The ``quant-pipelines`` command: database upkeep, materializing a range, the local UI, GraphQL triggers.

Every expected failure (bad settings, bad dates, an unreachable database) prints one
``error:`` line and exits non-zero: 2 for a mistake in what was asked, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from quant_pipelines import __version__
from quant_pipelines.db.embedded_postgres import EmbeddedPostgresError
from quant_pipelines.db.engine import WarehouseUnavailable, warehouse_engine
from quant_pipelines.db.migrate import SchemaOutOfDate, upgrade
from quant_pipelines.ops import cli_help
from quant_pipelines.executor import DEFINITIONS_MODULE
from quant_pipelines.ops.changes import ChangesUsageError
from quant_pipelines.ops.changes import register as register_changes_command
from quant_pipelines.ops.instance import dagster_environment
from quant_pipelines.ops.run_control import KEEP_LOGS, SIGNAL_EXIT, MaterializeChild, rotate_logs
from quant_pipelines.ops.run_summary import run_report
from quant_pipelines.ops.selection import ASSET_NAMES, asset_selection
from quant_pipelines.ops.trigger import TriggerUsageError
from quant_pipelines.ops.trigger_commands import register as register_trigger_commands
from quant_pipelines.ops.webserver_api import WebserverError
from quant_pipelines.partitions import DateRangeError, parse_date_range
from quant_pipelines.settings import SettingsError, load_settings

# One process runs every step of a `materialize` run, in dependency order: on one machine that
# holds a single copy of Python, Dagster and pandas instead of one per step (runs the daemon
# launches keep the multiprocess executor, so both sites can be fetched at the same time).
IN_PROCESS = json.dumps({"execution": {"config": {"in_process": {}}}})
# The steps taking ParseConfig: `--reparse` reaches whichever of them the selection holds.
PARSE_STEPS = ("senate_transactions", "house_transactions")
USAGE_ERRORS = (SettingsError, DateRangeError, TriggerUsageError, ChangesUsageError)
RUNTIME_ERRORS = (
    WarehouseUnavailable, EmbeddedPostgresError, SchemaOutOfDate, FileNotFoundError, WebserverError,
)


def _dagster_bin(name: str) -> str:
    """The Dagster executable installed beside this interpreter (the project's venv)."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def db_upgrade(args: argparse.Namespace) -> int:
    """Create or migrate the warehouse schema (safe to repeat)."""
    engine = warehouse_engine(load_settings())
    try:
        before, after = upgrade(engine)
    finally:
        engine.dispose()
    where = engine.url.render_as_string(hide_password=True)
    print(f"warehouse schema at {after} (was {before or 'empty'}) on {where}")
    return 0


def env(args: argparse.Namespace) -> int:
    """Print shell exports so `dagster dev` / `dg dev` use this project's instance."""
    for name, value in dagster_environment(load_settings()).items():
        print(f"export {name}={shlex.quote(value)}")
    return 0


def dev(args: argparse.Namespace) -> int:
    """Migrate, then replace this process with `dagster dev` on the project's instance."""
    settings = load_settings()
    db_upgrade(args)
    environment = {**os.environ, **dagster_environment(settings)}
    command = [_dagster_bin("dagster"), "dev", "-m", DEFINITIONS_MODULE, *args.dagster_args]
    os.execvpe(command[0], command, environment)
    return 0  # not reached: execvpe replaces the process


def run_config(selection: str, *, reparse: bool) -> str:
    """The run config: every step in the run's process; ``reparse`` for the selected parse steps."""
    config = json.loads(IN_PROCESS)
    steps = [step for step in PARSE_STEPS if step in selection.split(",")]
    if reparse and steps:
        config["ops"] = {step: {"config": {"reparse": True}} for step in steps}
    return json.dumps(config)


def materialize(args: argparse.Namespace) -> int:
    """Materialize the selected assets for a date range as ONE run, then print what was loaded."""
    window = parse_date_range(args.start, args.end)
    selection = asset_selection(args.select)
    settings = load_settings()
    db_upgrade(args)
    logs = settings.state_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    rotate_logs(logs, keep=KEEP_LOGS - 1)
    log_path = logs / f"materialize-{datetime.now(UTC):%Y%m%dT%H%M%S}.log"
    command = [
        _dagster_bin("dagster"), "asset", "materialize",
        "-m", DEFINITIONS_MODULE,
        "--select", selection,
        "--partition-range", window.dagster_range,
        "--config-json", run_config(selection, reparse=args.reparse),
    ]
    print(f"materializing {args.select} for {window} in one run (log: {log_path}) ...", flush=True)
    child = MaterializeChild(command, {**os.environ, **dagster_environment(settings)}, log_path)
    outcome = child.run()
    if outcome.stopped_by:
        print(f"stopped run {outcome.run_id or '(not started)'} ({outcome.stopped_by}): "
              f"{outcome.status or 'never started'}, browser closed, pool slots freed", flush=True)
        return SIGNAL_EXIT[signal.Signals(child.signals[0])] if child.signals else 1
    if outcome.returncode != 0:
        tail = log_path.read_text().splitlines()[-15:]
        print("\n".join(tail), file=sys.stderr)
        print(f"error: run {outcome.run_id or '(not started)'} failed (exit {outcome.returncode}); "
              f"full log: {log_path}", file=sys.stderr)
        return 1
    if outcome.run_id:
        try:
            print("\n".join(run_report(child.instance(), outcome.run_id)))
        finally:
            child.close()
    # Imported only now: pandas is not needed, and not held in memory, while the run works.
    from quant_pipelines.ops.summary import window_summary

    engine = warehouse_engine(settings)
    try:
        print(window_summary(engine, window))
    finally:
        engine.dispose()
    return 0


class _OneLineParser(argparse.ArgumentParser):
    """Reports a malformed command line as one ``error:`` line, like every other mistake."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see `{self.prog} --help`)\n")


def health_command(args: argparse.Namespace) -> int:
    """Probe database, Chromium, both sites and the daemon; exit 0 only when all are healthy."""
    from quant_pipelines.ops import health  # Selenium and Dagster, needed by this command only

    settings = load_settings()
    probes = [*health.pipeline_probes(settings), health.daemon(settings)]
    healthy = all(probe.healthy for probe in probes)
    if args.json:
        print(json.dumps({"healthy": healthy, "probes": [probe.as_dict() for probe in probes]}, indent=2))
    else:
        for probe in probes:
            state = "ok     " if probe.healthy else "FAILING"
            print(f"{state}  {probe.name:<12} {probe.seconds:>6.2f}s  {probe.detail}")
    return 0 if healthy else 1


def build_parser() -> argparse.ArgumentParser:
    """The `quant-pipelines` command line: every subcommand with a description and an example."""
    parser = _OneLineParser(
        prog="quant-pipelines", description=cli_help.DESCRIPTION, epilog=cli_help.EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    db = cli_help.add_command(commands, "db", "warehouse schema upkeep", "quant-pipelines db upgrade")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="DB_COMMAND")
    db_commands.add_parser("upgrade", help="create or migrate the schema (safe to repeat)").set_defaults(
        handler=db_upgrade
    )

    run = cli_help.add_command(
        commands, "materialize",
        "materialize a range of filed dates in one run, in this process, and print what was loaded "
        "(any length of range; Ctrl-C stops the run cleanly)",
        "quant-pipelines materialize --start 2026-06-01 --end 2026-06-07 --select house",
    )
    run.add_argument("--start", required=True, help="first filed date, YYYY-MM-DD")
    run.add_argument("--end", help="last filed date, YYYY-MM-DD, inclusive (default: --start)")
    run.add_argument(
        "--select", default="*",
        help="senate, house, all or * (default), or comma-separated asset names "
        f"({', '.join(ASSET_NAMES)})",
    )
    run.add_argument(
        "--reparse", action="store_true",
        help="parse every archived document of the range again (House PDFs, Senate pages and paper page "
        "images), also those the current parser already read (by default their stored lines are kept)",
    )
    run.set_defaults(handler=materialize)

    cli_help.add_command(
        commands, "env", "print DAGSTER_HOME / DAGSTER_PG_URL exports for `dagster dev`",
        'eval "$(quant-pipelines env)" && dagster dev -m quant_pipelines.definitions',
    ).set_defaults(handler=env)
    ui = cli_help.add_command(
        commands, "dev", "open the Dagster UI (`dagster dev`) on this project's instance; "
        "every further argument goes to `dagster dev`", "quant-pipelines dev -p 3115",
    )
    ui.add_argument("dagster_args", nargs=argparse.REMAINDER, help="passed on to `dagster dev` (e.g. -p 3115)")
    ui.set_defaults(handler=dev)
    register_trigger_commands(commands)
    register_changes_command(commands)
    probe = cli_help.add_command(
        commands, "health", "check database, Chromium, both sites and the daemon; exit 0 only when all are healthy",
        "quant-pipelines health --json",
    )
    probe.add_argument("--json", action="store_true", help="print the result as JSON")
    probe.set_defaults(handler=health_command)
    return parser


def _parse(argv: list[str]) -> argparse.Namespace:
    """Parse the command line; `dev` hands everything after it (an optional leading -- dropped) to `dagster dev`."""
    if argv[:1] == ["dev"] and argv[1:] not in (["-h"], ["--help"]):  # `dev -h HOST` is dagster dev's host
        rest = argv[1:]
        return argparse.Namespace(handler=dev, dagster_args=rest[1:] if rest[:1] == ["--"] else rest)
    return build_parser().parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = _parse(list(sys.argv[1:] if argv is None else argv))
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except USAGE_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RUNTIME_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted (no run was started or it had already ended)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
