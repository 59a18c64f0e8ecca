#!/usr/bin/env bash
# Rewrites the single initial migration from the current models (while the first release is being built).
# Deletes migrations/versions/*.py and autogenerates "initial schema" against an empty throwaway database,
# so nothing on this machine (instance/, DATABASE_URL) is touched. Then applies it to empty SQLite and
# PostgreSQL databases to prove it runs on both.
#
# Why PostgreSQL, not SQLite, for autogenerate: Alembic cannot reflect expression indexes on SQLite and so
# leaves them out of a migration generated there (e.g. the unique index on lower(email)). On a machine
# without PostgreSQL, NO_POSTGRES=1 generates against SQLite and warns.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash "$ROOT/scripts/bootstrap.sh"

tmp="$(mktemp -d)"
trap 'stop_postgres; rm -rf "$tmp"' EXIT
export FLASK_APP=wsgi:app COACHING_CONFIG=development COACHING_INSTANCE_DIR="$tmp/instance"
unset REDIS_URL
flask="$VENV/bin/flask"
sqlite_url="sqlite:///$tmp/empty.sqlite"

if [[ "${NO_POSTGRES:-0}" == 1 ]]; then
  say "warning: generating against SQLite: expression indexes will be missing from the migration"
  generate_url="$sqlite_url"
else
  start_postgres
  generate_url="$PG_URL/postgres"
fi

rm -f migrations/versions/*.py
DATABASE_URL="$generate_url" "$flask" db migrate -m "initial schema"
shopt -s nullglob
created=(migrations/versions/*.py)
(( ${#created[@]} == 1 )) || die "expected one new revision, found ${#created[@]}"

# The revision must apply cleanly on both backends.
DATABASE_URL="$generate_url" "$flask" db upgrade
DATABASE_URL="$sqlite_url" "$flask" db upgrade
say "wrote ${created[0]}"
