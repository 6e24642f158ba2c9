"""The executor of every job, chosen by the size of the run's window unless the run config picks one.

- ``auto`` (the default): a run of at most ``max_days_in_process`` days (the daily and weekly
  schedules, a UI "Materialize" of a few partitions, the members job) runs every step in the
  run worker, which has the definitions loaded already: no process to start per step. A longer
  run forks one process per step from a server that preloaded the definitions, so both sites
  are fetched at the same time and a long parse does not hold up the other chamber.
- ``multiprocess`` / ``in_process``: Dagster's own executors, as configured (the stock
  ``multiprocess: {}`` spawns a fresh Python per step).

`quant-pipelines materialize` asks for ``in_process`` in its run config.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

import dagster as dg

from quant_pipelines.partitions import RANGE_END_TAG, RANGE_START_TAG

DEFINITIONS_MODULE = "quant_pipelines.definitions"
FORKSERVER = {"forkserver": {"preload_modules": [DEFINITIONS_MODULE]}}
MAX_DAYS_IN_PROCESS = 7
_RETRIES = {"enabled": {}}  # the stock default; the step retry policies need it
_IN_PROCESS = {"in_process": {"retries": _RETRIES}}
_FORKED = {"multiprocess": {"retries": _RETRIES, "start_method": FORKSERVER}}
_STOCK = dg.multi_or_in_process_executor
_CHOICES = _STOCK.config_schema.as_field().config_type.fields


def run_days(tags: Mapping[str, str]) -> int:
    """Days a run covers, from its partition tags (1 for one partition or an unpartitioned run)."""
    if RANGE_START_TAG in tags:
        try:
            first = date.fromisoformat(tags[RANGE_START_TAG])
            last = date.fromisoformat(tags.get(RANGE_END_TAG, tags[RANGE_START_TAG]))
        except ValueError:
            return 1  # not a day range: the asset's own checks reject it
        return max((last - first).days + 1, 1)
    return 1  # one partition (PARTITION_TAG), or a job without partitions


class _ByWindow(dg.Executor):
    """In the run worker for a short window, forked step processes for a long one."""

    def __init__(self, in_process: dg.Executor, forked: dg.Executor, max_days: int) -> None:
        self._in_process, self._forked, self._max_days = in_process, forked, max_days

    def execute(self, plan_context, execution_plan) -> Iterator[dg.DagsterEvent]:  # noqa: ANN001 - Dagster's types
        """Run the plan with the executor the run's window calls for."""
        days = run_days(plan_context.dagster_run.tags)
        chosen = self._in_process if days <= self._max_days else self._forked
        yield from chosen.execute(plan_context, execution_plan)

    @property
    def retries(self):  # noqa: ANN201 - Dagster's RetryMode
        """Retries are enabled in both (the default of each)."""
        return self._forked.retries


@dg.executor(
    name=_STOCK.name,
    config_schema=dg.Field(
        dg.Selector(
            {
                "auto": dg.Field(
                    {"max_days_in_process": dg.Field(int, default_value=MAX_DAYS_IN_PROCESS)},
                    description="every step in the run worker for a window of at most max_days_in_process "
                    "days; one forked process per step (definitions preloaded) for a longer one",
                ),
                "multiprocess": _CHOICES["multiprocess"],
                "in_process": _CHOICES["in_process"],
            }
        ),
        default_value={"auto": {}},
    ),
    requirements=_STOCK.get_requirements,
)
def window_sized_executor(init_context: dg.InitExecutorContext) -> dg.Executor:
    """Dagster's multi-or-in-process executor, with an ``auto`` default that sizes it to the run."""
    ((mode, config),) = init_context.executor_config.items()
    if mode != "auto":
        return _STOCK.executor_creation_fn(init_context)
    in_process = _STOCK.executor_creation_fn(init_context._replace(executor_config=_IN_PROCESS))
    forked = _STOCK.executor_creation_fn(init_context._replace(executor_config=_FORKED))
    return _ByWindow(in_process, forked, config["max_days_in_process"])
