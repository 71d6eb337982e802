#!/bin/sh
# Runs once, when the postgres container initialises an empty data directory (docker-entrypoint-initdb.d).
# Creates the runtime role the services connect as: it owns nothing, and the migrations (run by the owner,
# POSTGRES_USER, through DATABASE_MIGRATION_URL) grant it only row access, so it can never disable the
# event log's append-only trigger, alter, truncate or drop anything.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$DUBSTAGE_APP_DB_PASSWORD" <<'SQL'
CREATE ROLE dubstage_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
GRANT CONNECT ON DATABASE dubstage TO dubstage_app;
GRANT pg_read_all_stats TO dubstage_app;
SQL
