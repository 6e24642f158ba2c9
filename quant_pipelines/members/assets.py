"""congress-legislators assets: ``members`` and ``member_terms`` (fetched, archived, loaded) and
``politician_members`` (every politician matched to one member, or the reason not).

They are unpartitioned and run in their own job (``congress_members``), after the daily PTR
job, so the daily partitions never wait on them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg

from quant_pipelines.members.documents.legislators import LegislatorsUnreadable
from quant_pipelines.members.fetch import collect, replace_members
from quant_pipelines.members.matching import match_politicians
from quant_pipelines.members.resource import LegislatorsResource
from quant_pipelines.steps import database_step, reference_failures, site_step
from quant_pipelines.warehouse.resource import WarehouseResource

GROUP = "members"
MATCH_CHECK = "politicians_matched"
_LISTED = 50


@dg.multi_asset(
    specs=[
        dg.AssetSpec("members", description="Members of Congress (bioguide id, names, birthday, gender) "
                     "from the congress-legislators files, each file archived in raw_documents.",
                     group_name=GROUP, kinds={"python", "postgres"}),
        dg.AssetSpec("member_terms", description="Every member's terms: chamber, state, district, party, "
                     "start and end.", group_name=GROUP, kinds={"python", "postgres"}),
    ],
    **site_step("legislators_site"),
)
def legislators(legislators_site: LegislatorsResource, warehouse: WarehouseResource) -> Iterator[dg.MaterializeResult]:
    """Fetch (conditional GET), archive and load the current and historical legislators files."""
    client = legislators_site.client
    with reference_failures("congress-legislators file", LegislatorsUnreadable, "nothing loaded"):
        collected = collect(client, warehouse.engine, fetched_at=datetime.now(UTC))
    replace_members(warehouse.engine, collected)
    files = {
        file.url: {"sha256": file.sha256, "bytes": file.size_bytes, "not_modified": file.from_cache}
        for file in collected.files
    }
    shared = {"files": dg.MetadataValue.json(files), **client.stats.as_dict()}
    terms = collected.terms
    yield dg.MaterializeResult(asset_key="members", metadata={"members": len(collected.members), **shared})
    yield dg.MaterializeResult(
        asset_key="member_terms",
        metadata={
            "terms": len(terms),
            "terms_by_chamber": dg.MetadataValue.json(terms.groupby("chamber").size().to_dict()),
            "newest_term_start": str(terms["term_start"].max()) if len(terms) else "none",
        },
    )


@dg.asset(
    deps=["members", "member_terms", "politicians"],
    group_name=GROUP,
    kinds={"python", "postgres"},
    check_specs=[
        dg.AssetCheckSpec(
            MATCH_CHECK, asset="politician_members",
            description="Every politician matched to exactly one member; the ambiguous and unmatched "
            "are listed with the reason (members only: House staff and candidates file too).",
        )
    ],
    **database_step(),
)
def politician_members(warehouse: WarehouseResource) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Every politician matched to one member (bioguide id, party, state, district as of their newest
    filing) by chamber, name, state/district and a term covering the filed date; never a guess."""
    with warehouse.engine.begin() as conn:
        report = match_politicians(conn, matched_at=datetime.now(UTC))
    listed = [
        f"{match.politician_id}: {match.status}: {match.reason}" for match in report.not_matched()[:_LISTED]
    ]
    counts = {status: report.counts.get(status, 0) for status in ("matched", "ambiguous", "unmatched")}
    yield dg.MaterializeResult(
        metadata={
            "politicians": len(report.matches),
            **counts,
            "match_rate": report.match_rate,
            "not_matched": dg.MetadataValue.md("\n".join(f"- {line}" for line in listed) or "none"),
        }
    )
    yield dg.AssetCheckResult(
        check_name=MATCH_CHECK,
        passed=not report.not_matched(),
        severity=dg.AssetCheckSeverity.WARN,
        metadata={**counts, "examples": "; ".join(listed[:10]) or "none"},
    )
