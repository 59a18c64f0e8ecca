#!/usr/bin/env bash
# Brings the configured database (DATABASE_URL, default instance/coaching.sqlite) to the newest schema.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash "$ROOT/scripts/bootstrap.sh"
export FLASK_APP=wsgi:app COACHING_CONFIG="${COACHING_CONFIG:-development}"
if ! "$VENV/bin/flask" db upgrade; then
  cat >&2 <<'MSG'
error: the database migration failed.
  A development database made before the migrations were rewritten cannot be upgraded:
  delete instance/coaching.sqlite (demo data only) and run the command again.
MSG
  exit 1
fi
