"""The executor of every job: Dagster's default (one process per step, or all in one with
``in_process``), except that step processes fork from a server that has already imported the
definitions, instead of each starting Python and importing Dagster, pandas and Selenium anew.

Runs launched by the daemon (schedules, backfills, the UI's Materialize) take this default;
`quant-pipelines materialize` still asks for ``in_process`` in its run config.
"""

import dagster as dg

DEFINITIONS_MODULE = "quant_pipelines.definitions"
FAST_START = {"multiprocess": {"start_method": {"forkserver": {"preload_modules": [DEFINITIONS_MODULE]}}}}
_DEFAULT = dg.multi_or_in_process_executor


@dg.executor(
    name=_DEFAULT.name,
    config_schema=dg.Field(_DEFAULT.config_schema.as_field().config_type, default_value=FAST_START),
    requirements=_DEFAULT.get_requirements,
)
def fast_start_executor(init_context: dg.InitExecutorContext) -> dg.Executor:
    """Dagster's multi-or-in-process executor, with forkserver + preloaded definitions by default."""
    return _DEFAULT.executor_creation_fn(init_context)
