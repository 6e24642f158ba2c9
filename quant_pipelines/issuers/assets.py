"""``trade_issuers``: every trade filed without a ticker, resolved to a ticker and SEC CIK from its
asset name (or the reason not), against the SEC list fetched politely and archived.

Unpartitioned, in the members job after the daily PTR run; the filed ticker is never replaced.
"""

from __future__ import annotations

from datetime import UTC, datetime

import dagster as dg

from quant_pipelines.issuers.documents.sec_tickers import TickerListUnreadable
from quant_pipelines.issuers.resolve import RESOLVED_METHODS
from quant_pipelines.issuers.resource import SecResource
from quant_pipelines.issuers.trades import archive_list, archived_lists, resolve_trades
from quant_pipelines.steps import reference_failures, site_step
from quant_pipelines.warehouse.resource import WarehouseResource

GROUP = "issuers"


@dg.asset(deps=["trades"], group_name=GROUP, kinds={"python", "postgres"}, **site_step("sec_site"))
def trade_issuers(sec: SecResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Trades filed without a ticker, resolved (ticker, CIK, method, confidence) from their asset names
    against the SEC ticker list archived nearest each trade's date; never overwriting a filed ticker."""
    client, now = sec.client, datetime.now(UTC)
    with reference_failures("SEC company ticker list", TickerListUnreadable, "nothing resolved"):
        fetched = client.company_tickers()
        digest = archive_list(warehouse.engine, fetched.content, fetched.url, fetched.media_type, now)
    with warehouse.engine.begin() as conn:
        lists = archived_lists(conn, client.tickers_url)
        methods = resolve_trades(conn, lists, resolved_at=now)
    total = sum(methods.values())
    resolved = sum(methods[name] for name in RESOLVED_METHODS)
    return dg.MaterializeResult(
        metadata={
            "tickerless_trades": total,
            "resolved": resolved,
            "resolved_share": round(resolved / total, 4) if total else 0.0,
            "by_method": dg.MetadataValue.json(dict(sorted(methods.items()))),
            "lists_archived": len(lists),
            "list_sha256": digest,
            "not_modified": fetched.from_cache,
            **client.stats.as_dict(),
        }
    )
