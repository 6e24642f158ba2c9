"""The `trigger`, `status`, `active` and `cancel` commands of `quant-pipelines`.

Everything the user typed is validated before the first request: a mistake costs one
``error:`` line and exit code 2 without touching the network.
"""

from __future__ import annotations

import argparse
import ipaddress
from urllib.parse import urlsplit

from quant_pipelines.ops import trigger
from quant_pipelines.ops.cli_help import add_command
from quant_pipelines.ops.webserver_api import WebserverClient
from quant_pipelines.partitions import parse_date_range
from quant_pipelines.settings import Settings, SettingsError, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    """The settings with --url/--token applied; a bad flag is reported under the flag's name."""
    if args.token is not None and not args.token.strip():
        raise trigger.TriggerUsageError("--token is empty: give the token, or leave --token out to use $QUANT_API_TOKEN")
    try:
        settings = load_settings(webserver_url=args.url, api_token=args.token)
    except SettingsError as exc:
        message = str(exc)
        for flag, value, variable in (("--url", args.url, "QUANT_WEBSERVER_URL"), ("--token", args.token, "QUANT_API_TOKEN")):
            if value is not None:
                message = message.replace(f"{variable}:", f"{flag}:")
        raise trigger.TriggerUsageError(message) from None
    if settings.webserver_url.endswith("/graphql"):
        source = "--url" if args.url is not None else "QUANT_WEBSERVER_URL"
        raise trigger.TriggerUsageError(
            f"{source} {settings.webserver_url!r} ends in /graphql: give the webserver (or proxy) root, "
            f"e.g. {settings.webserver_url.removesuffix('/graphql') or 'http://localhost:3000'}"
        )
    return settings


def _client(settings: Settings) -> WebserverClient:
    if settings.api_token and not _safe_for_secrets(settings.webserver_url):
        host = urlsplit(settings.webserver_url).hostname
        raise trigger.TriggerUsageError(
            f"refusing to send the API token over plain http to {host}: use the proxy's https:// URL "
            "(or reach it through a loopback address, e.g. an SSH tunnel)"
        )
    return WebserverClient(settings.webserver_url, settings.api_token)


def _safe_for_secrets(url: str) -> bool:
    """https, or http to this machine (where nobody else can read the traffic)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return True
    host = parts.hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def launch(args: argparse.Namespace) -> int:
    """Launch one run over a range of the chosen assets (or, with --backfill, a backfill of it)."""
    settings = _settings(args)
    window = parse_date_range(args.start, args.end, max_days=settings.trigger_max_days)
    client = _client(settings)
    span = f"{args.assets} for {window} ({window.days} days)"
    if args.backfill:
        backfill_id = trigger.launch(client, args.assets, window)
        print(f"launched backfill {backfill_id}: {span}; the daemon submits its run within 30 s")
        print(f"follow it with `quant-pipelines status {backfill_id}` or {settings.webserver_url}/runs/b/{backfill_id}")
        return 0
    run_id = trigger.launch_range_run(client, args.assets, window)
    print(f"launched run {run_id}: {span}")
    print(f"follow it with `quant-pipelines status {run_id[:8]}` or {settings.webserver_url}/runs/{run_id}")
    return 0


def status(args: argparse.Namespace) -> int:
    """Print the state of a backfill (and its runs) or of one run."""
    identifier = trigger.check_id(args.id)
    print("\n".join(trigger.describe(_client(_settings(args)), identifier)))
    return 0


def active(args: argparse.Namespace) -> int:
    """List backfills and runs that are queued, running or being canceled."""
    print("\n".join(trigger.active(_client(_settings(args)))))
    return 0


def cancel(args: argparse.Namespace) -> int:
    """Cancel a backfill, or stop a run and wait for its end."""
    identifier = trigger.check_id(args.id)
    print(trigger.cancel(_client(_settings(args)), identifier, force=args.force))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add the four commands to the `quant-pipelines` parser."""
    connection = argparse.ArgumentParser(add_help=False)
    connection.add_argument(
        "--url", help="webserver or proxy root, without /graphql (default: $QUANT_WEBSERVER_URL or http://localhost:3000)"
    )
    connection.add_argument(
        "--token", help="bearer token for the proxy (default: $QUANT_API_TOKEN; prefer the variable: "
        "arguments are visible to other users of the machine)"
    )

    run = add_command(
        commands, "trigger", "launch one run over a range of filed dates via GraphQL (at most $QUANT_TRIGGER_MAX_DAYS days)",
        "quant-pipelines trigger --start 2026-06-01 --end 2026-06-07 --assets house", parents=[connection],
    )
    run.add_argument("--start", required=True, help="first filed date, YYYY-MM-DD")
    run.add_argument("--end", help="last filed date, YYYY-MM-DD, inclusive (default: --start)")
    run.add_argument(
        "--assets", choices=sorted(trigger.ASSET_SELECTIONS), default="all",
        help="which chamber's assets (the warehouse tables are always included; default: all)",
    )
    run.add_argument(
        "--backfill", action="store_true",
        help="launch it as a backfill (listed on the UI's Backfills page): the daemon submits the same one run "
        "on its next pass, up to 30 s later (default: queue the run now)",
    )
    run.set_defaults(handler=launch)

    ids = "backfill id (8 letters) or run id (UUID in any case, or the short id the UI shows)"
    show = add_command(commands, "status", "show a backfill (with its runs) or a run",
                    "quant-pipelines status 9070fc05", parents=[connection])
    show.add_argument("id", help=ids)
    show.set_defaults(handler=status)
    stop = add_command(
        commands, "cancel", "cancel a backfill, or stop a run, wait for its end and free its pool slots",
        "quant-pipelines cancel 9070fc05", parents=[connection],
    )
    stop.add_argument("id", help=ids)
    stop.add_argument(
        "--force", action="store_true",
        help="mark the run canceled at once, for a run whose process is gone (its steps are not interrupted)",
    )
    stop.set_defaults(handler=cancel)
    add_command(commands, "active", "list queued and running backfills and runs",
             "quant-pipelines active --url http://localhost:3000", parents=[connection]).set_defaults(handler=active)
