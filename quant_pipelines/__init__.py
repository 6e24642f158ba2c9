"""quant_pipelines: U.S. Congress periodic transaction reports into PostgreSQL, with Dagster."""

__version__ = "0.1.0"
