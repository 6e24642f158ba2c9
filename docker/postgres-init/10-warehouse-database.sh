#!/bin/sh
# Runs once, when the postgres volume is first initialised (official image's initdb hook):
# Dagster's storage lives in POSTGRES_DB (dagster), the warehouse in its own database.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -c "CREATE DATABASE quant OWNER \"$POSTGRES_USER\""
