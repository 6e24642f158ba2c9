"""The words of `quant-pipelines --help`: what each command does, an example, the rules that apply to all."""

from __future__ import annotations

import argparse

DESCRIPTION = "Congressional periodic transaction reports into PostgreSQL, with Dagster."
EPILOG = """\
dates:
  YYYY-MM-DD filed (disclosure) dates, UTC; a range START..END includes both ends; not before
  2012-01-01 and not today or later (a day is a partition once it is over). `materialize` takes
  any such range as one run; `trigger` at most $QUANT_TRIGGER_MAX_DAYS days (default 366).

exit codes:
  0 done   1 failed (site, database, run)   2 mistake in what was asked (one `error:` line)
  130/143 stopped by SIGINT/SIGTERM (the run is canceled, its browser closed, its pool slots freed)

example:
  quant-pipelines materialize --start 2026-06-01 --end 2026-06-07
"""


def add_command(
    commands: argparse._SubParsersAction, name: str, summary: str, example: str, **kwargs: object
) -> argparse.ArgumentParser:
    """A subcommand whose --help shows the summary as a sentence and an example."""
    return commands.add_parser(
        name, help=summary, description=summary[0].upper() + summary[1:] + ".",
        epilog=f"example:\n  {example}", formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs,
    )
