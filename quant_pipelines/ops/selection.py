"""What `materialize --select` accepts: the `trigger --assets` words, `*`, or asset names."""

from __future__ import annotations

from quant_pipelines.ops.trigger import ASSET_SELECTIONS, WAREHOUSE_ASSETS, TriggerUsageError

ASSET_NAMES = ASSET_SELECTIONS["all"]
WORDS = ("all", "senate", "house")


def asset_selection(value: str) -> str:
    """The Dagster ``--select`` string for ``value``; a TriggerUsageError names what is valid.

    The warehouse tables come out of one step, so naming one of them selects all three.
    """
    text = value.strip()
    if text == "*":  # every asset, named (Dagster's own `*` goes through a beta code path)
        text = "all"
    if text in ASSET_SELECTIONS:
        return ",".join(ASSET_SELECTIONS[text])
    names = [name.strip() for name in text.split(",")]
    unknown = [name for name in names if name not in ASSET_NAMES]
    if not text or unknown:
        problem = f"{', '.join(repr(name) for name in unknown)} is not an asset" if text else "is empty"
        raise TriggerUsageError(
            f"--select {problem}: use {', '.join(WORDS)}, * or comma-separated names from {', '.join(ASSET_NAMES)}"
        )
    if set(names) & set(WAREHOUSE_ASSETS):
        names += [name for name in WAREHOUSE_ASSETS if name not in names]
    return ",".join(dict.fromkeys(names))
