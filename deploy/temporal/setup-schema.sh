#!/bin/sh
# Creates the Temporal databases and applies (or upgrades) their schemas on PostgreSQL with temporal-sql-tool,
# from the schema files inside the pinned temporalio/admin-tools image. Idempotent: safe on every `compose up`.
# Env: POSTGRES_SEEDS (host), DB_PORT, POSTGRES_USER, SQL_PASSWORD (read by temporal-sql-tool itself, never on argv).
set -eu
: "${POSTGRES_SEEDS:?POSTGRES_SEEDS is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD is required}"
port="${DB_PORT:-5432}"
schema_root=/etc/temporal/schema/postgresql/v12

tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$port" -u "$POSTGRES_USER" "$@"
}

for pair in temporal:temporal temporal_visibility:visibility; do
  db="${pair%%:*}"
  dir="${pair##*:}"
  echo "== $db"
  tool --db "$db" create-database >/dev/null 2>&1 && echo "created database $db" || echo "database $db exists"
  # setup-schema creates the version table of an empty database; on a database set up before it fails harmlessly.
  tool --db "$db" setup-schema -v 0.0 >/dev/null 2>&1 && echo "initialised $db" || echo "$db already initialised"
  tool --db "$db" update-schema -d "$schema_root/$dir/versioned"
done
echo "Temporal schemas are up to date."
