"""The `trigger`, `status`, `active` and `cancel` commands of `quant-pipelines`.

Everything the user typed is validated before the first request: a mistake costs one
``error:`` line and exit code 2 without touching the network.
"""

from __future__ import annotations

import argparse
import ipaddress
from urllib.parse import urlsplit

from quant_pipelines.ops import trigger
from quant_pipelines.ops.webserver_api import WebserverClient
from quant_pipelines.partitions import parse_date_range
from quant_pipelines.settings import Settings, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(webserver_url=args.url, api_token=args.token)


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
    """Launch one partition-range backfill of the chosen assets."""
    settings = _settings(args)
    window = parse_date_range(args.start, args.end, max_days=settings.trigger_max_days)
    backfill_id = trigger.launch(_client(settings), args.assets, window)
    print(f"launched backfill {backfill_id}: {args.assets} for {window} ({window.days} days)")
    print(f"follow it with `quant-pipelines status {backfill_id}` or {settings.webserver_url}/runs/b/{backfill_id}")
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
    """Cancel a backfill or terminate a run."""
    identifier = trigger.check_id(args.id)
    print(trigger.cancel(_client(_settings(args)), identifier))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add the four commands to the `quant-pipelines` parser."""
    connection = argparse.ArgumentParser(add_help=False)
    connection.add_argument(
        "--url", help="webserver or proxy root (default: $QUANT_WEBSERVER_URL or http://localhost:3000)"
    )
    connection.add_argument(
        "--token", help="bearer token for the proxy (default: $QUANT_API_TOKEN; prefer the variable: "
        "arguments are visible to other users of the machine)"
    )

    run = commands.add_parser(
        "trigger", parents=[connection], help="launch a backfill of a range of filed dates via GraphQL"
    )
    run.add_argument("--start", required=True, help="first filed date, YYYY-MM-DD")
    run.add_argument("--end", help="last filed date, YYYY-MM-DD (default: --start)")
    run.add_argument(
        "--assets", choices=sorted(trigger.ASSET_SELECTIONS), default="all",
        help="which chamber's assets (the warehouse tables are always included; default: all)",
    )
    run.set_defaults(handler=launch)

    for name, handler, text in (
        ("status", status, "show a backfill (with its runs) or a run"),
        ("cancel", cancel, "cancel a backfill or terminate a run"),
    ):
        command = commands.add_parser(name, parents=[connection], help=text)
        command.add_argument("id", help="backfill id (8 letters) or run id (UUID)")
        command.set_defaults(handler=handler)
    commands.add_parser(
        "active", parents=[connection], help="list queued and running backfills and runs"
    ).set_defaults(handler=active)
