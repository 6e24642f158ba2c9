#!/bin/sh
# Runs once, when the postgres volume is first initialised (official image's initdb hook).
# POSTGRES_USER stays the superuser, for this script and for maintenance only. Each service
# logs in with a role of its own (docs/deploy.md, "Database roles"):
#   quant_dagster    owns Dagster's storage (POSTGRES_DB, dagster): webservers, daemon, runs
#   quant_warehouse  owns the warehouse database (quant): migrations and the pipeline's writes
#   quant_analyst    reads the warehouse, nothing else
# Names and passwords reach SQL only as psql variables (:"name" quotes an identifier, :'name'
# a literal), never spliced into the SQL text.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v dagster_db="$POSTGRES_DB" \
    -v dagster_password="$QUANT_DAGSTER_PASSWORD" \
    -v warehouse_password="$QUANT_WAREHOUSE_PASSWORD" \
    -v analyst_password="$QUANT_ANALYST_PASSWORD" <<'SQL'
CREATE ROLE quant_dagster LOGIN PASSWORD :'dagster_password';
CREATE ROLE quant_warehouse LOGIN PASSWORD :'warehouse_password';
CREATE ROLE quant_analyst LOGIN PASSWORD :'analyst_password';

ALTER DATABASE :"dagster_db" OWNER TO quant_dagster;
REVOKE ALL ON DATABASE :"dagster_db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"dagster_db" TO quant_dagster;
ALTER SCHEMA public OWNER TO quant_dagster;

CREATE DATABASE quant OWNER quant_warehouse;
REVOKE ALL ON DATABASE quant FROM PUBLIC;
GRANT CONNECT ON DATABASE quant TO quant_warehouse, quant_analyst;
\connect quant
ALTER SCHEMA public OWNER TO quant_warehouse;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- Whatever the warehouse role creates later (the quant schema, its tables) the analyst may read.
ALTER DEFAULT PRIVILEGES FOR ROLE quant_warehouse GRANT USAGE ON SCHEMAS TO quant_analyst;
ALTER DEFAULT PRIVILEGES FOR ROLE quant_warehouse GRANT SELECT ON TABLES TO quant_analyst;
SQL
