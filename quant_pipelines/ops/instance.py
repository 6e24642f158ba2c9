"""The environment a Dagster process needs to use this project's instance.

``DAGSTER_HOME`` holds the project's ``dagster.yaml`` (linked, so there is one copy) and
``DAGSTER_PG_URL`` points the instance storage at the embedded server, unless the
operator set either variable already (production does).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from quant_pipelines.db import embedded_postgres
from quant_pipelines.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DAGSTER_YAML = PROJECT_ROOT / "dagster.yaml"
INSTANCE_DRIVER = "postgresql+psycopg2"  # dagster-postgres with SQLAlchemy 2.1 needs psycopg2
# Dagster's own switches for single-run backfills of many partitions (docker/Dockerfile sets the
# same). Without them a run over the whole history writes about 38,000 "planned" events before
# its first step and one event per partition per asset after each step, one INSERT each. With
# them each asset's range is planned in one event and materializations are written in batches.
# The trade-off: a failed range run does not mark its partitions failed in the UI's partition
# view; the run, its backfill and quant.run_failures still show the failure.
EVENT_SETTINGS = {
    "DAGSTER_EVENT_BATCH_SIZE": "1000",
    "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "true",
}


def dagster_environment(settings: Settings, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """DAGSTER_HOME, DAGSTER_PG_URL and the event settings for child processes (those not already set)."""
    env = {name: value for name, value in EVENT_SETTINGS.items() if name not in environ}
    if not environ.get("DAGSTER_HOME"):
        env["DAGSTER_HOME"] = str(_local_home(settings.state_dir))
    if not environ.get("DAGSTER_PG_URL"):
        url = embedded_postgres.server_url(
            settings.state_dir, embedded_postgres.DAGSTER_DATABASE, INSTANCE_DRIVER
        )
        env["DAGSTER_PG_URL"] = url.render_as_string(hide_password=False)
    return env


def _local_home(state_dir: Path) -> Path:
    if not DAGSTER_YAML.exists():
        raise FileNotFoundError(
            f"{DAGSTER_YAML} is missing: run from a source checkout or set DAGSTER_HOME"
        )
    home = state_dir / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    link = home / "dagster.yaml"
    if not link.is_symlink() or link.resolve() != DAGSTER_YAML:
        link.unlink(missing_ok=True)
        try:
            link.symlink_to(DAGSTER_YAML)
        except FileExistsError:
            pass  # a concurrent process made the same link
    return home
