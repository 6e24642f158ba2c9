"""Who holds a pool (``senate_site``, ``house_site``) that a step waits for, and freeing what a dead run held.

Every pool admits one step at a time. A run that ended without giving its slot back (killed,
crashed) would block every later run; such slots are freed here as soon as a step waits behind
them (the daemon does the same after ``run_monitoring.free_slots_after_run_end_seconds``).
"""

from __future__ import annotations

from typing import Any


def explain_blocked(instance: Any, pool: str, own_run_id: str | None) -> list[str]:
    """Lines for the operator: who holds ``pool``; slots of runs that already ended are freed."""
    storage = instance.event_log_storage
    holders = sorted(storage.get_concurrency_info(pool).active_run_ids - {own_run_id})
    if not holders:
        return [f"waiting: a step waits for pool {pool}, which admits one step at a time"]
    lines = []
    for run_id in holders:
        run = instance.get_run_by_id(run_id)
        if run is None or run.is_finished:
            storage.free_concurrency_slots_for_run(run_id)
            status = run.status.value if run is not None else "deleted"
            lines.append(f"pool {pool}: run {run_id} had ended ({status}) without freeing its slot: freed it")
        else:
            lines.append(
                f"waiting: pool {pool} (one step at a time) is held by run {run_id} ({run.status.value}); "
                f"this run goes on when that one ends, or stop that one: quant-pipelines cancel {run_id}"
            )
    return lines
