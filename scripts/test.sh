#!/usr/bin/env bash
# `make test` and CI: installs what is missing, lints, then runs the whole suite twice: on SQLite and on a
# throwaway PostgreSQL 15 on loopback. Works as root on a clean clone (CI=true, no stdin) and for a developer.
# SKIP_POSTGRES=1 runs the SQLite pass only (developer machines without PostgreSQL).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
started=$SECONDS
export DEBIAN_FRONTEND=noninteractive PIP_NO_INPUT=1

# --- system packages -------------------------------------------------------------------------------------
# gir1.2-ical-3.0 + python3-gi: libical, an independent judge of our iCalendar (used from /usr/bin/python3).
# fonts-dejavu-core: Arabic, Cyrillic and Turkish glyphs in the PDFs (signature sheets, certificates).
# chromium: the browser tests (tests/browser, Playwright drives Debian's Chromium; browsers cannot be downloaded).
apt_wanted=(gir1.2-ical-3.0 python3-gi fonts-dejavu-core chromium)
missing=()
for pkg in "${apt_wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[[ -x "$PG_BIN/initdb" ]] || missing+=(postgresql)
if (( ${#missing[@]} )); then
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing system packages: ${missing[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [[ ! -x "$PG_BIN/initdb" ]]; then  # Debian's `postgresql` may bring another major version
      PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    fi
  else
    say "missing system packages (install them as root for the full suite): ${missing[*]}"
  fi
fi

# --- JavaScript judges (ical.js) -------------------------------------------------------------------------
if [[ -f tests/js/package-lock.json && ! -d tests/js/node_modules ]]; then
  command -v npm >/dev/null || die "npm is needed for tests/js (apt-get install npm)"
  say "installing tests/js node modules"
  npm ci --prefix tests/js --no-audit --no-fund --silent
fi

# --- Python ----------------------------------------------------------------------------------------------
bash "$ROOT/scripts/bootstrap.sh"
declare -A summary=()
failed=0

# A lint failure fails the run, but the suites still run so that one CI run reports everything.
say "ruff check coaching tests"
if "$VENV/bin/ruff" check coaching tests; then
  summary[ruff]="ok"
else
  summary[ruff]="FAILED (see above)"
  failed=1
fi

# Runs the suite once; a run in which no test ran (pytest exit 5) counts as a failure.
run_suite() {
  local label=$1 log rc
  log="$(mktemp)"
  say "pytest on $label"
  set +e
  "$VENV/bin/pytest" -n 2 -p no:randomly -rfE 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  summary[$label]="$(grep -E '[0-9]+ (passed|failed|error|errors|skipped)|no tests ran' "$log" | tail -n 1 | tr -d '=' | xargs)"
  rm -f "$log"
  if (( rc == 5 )); then
    summary[$label]="FAILED: no tests ran"
  fi
  if (( rc != 0 )); then
    summary[$label]="FAILED (exit $rc): ${summary[$label]}"
    failed=1
  fi
}

# --- pass 1: SQLite --------------------------------------------------------------------------------------
unset TEST_DATABASE_URL DATABASE_URL REDIS_URL
run_suite SQLite

# --- pass 2: PostgreSQL 15 -------------------------------------------------------------------------------
if [[ "${SKIP_POSTGRES:-0}" == 1 ]]; then
  summary[PostgreSQL]="skipped (SKIP_POSTGRES=1)"
elif [[ ! -x "$PG_BIN/initdb" ]]; then
  summary[PostgreSQL]="FAILED: PostgreSQL not found in $PG_BIN (install postgresql-15, set PG_BIN, or SKIP_POSTGRES=1)"
  failed=1
else
  trap stop_postgres EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  say "starting a throwaway PostgreSQL ($PG_BIN)"
  start_postgres
  export TEST_DATABASE_URL="$PG_URL/coaching_test"
  run_suite PostgreSQL
  stop_postgres
fi

# --- summary ---------------------------------------------------------------------------------------------
echo
say "summary (wall time $(( SECONDS - started )) s)"
printf '    %-11s %s\n' "ruff:" "${summary[ruff]}" "SQLite:" "${summary[SQLite]}" "PostgreSQL:" "${summary[PostgreSQL]}"
exit "$failed"
