# Shared helpers for scripts/*.sh (sourced, not run).
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Any Python will do for the port helpers (they also run before the venv exists or as another user).
py() { if [[ -x "$VENV/bin/python" ]]; then "$VENV/bin/python" "$@"; else python3 "$@"; fi; }

# A TCP port nobody listens on right now (the kernel picks it; the caller starts its server on it at once).
free_port() {
  py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# True when something already accepts connections or holds the port on 127.0.0.1.
port_in_use() {
  ! py - "$1" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
PY
}

# Names of the flask commands the app offers (features add theirs while the project grows).
flask_commands() {
  "$VENV/bin/flask" --help 2>/dev/null | awk '/^Commands:/ {on = 1; next} on && NF {print $1}'
}

has_flask_command() {
  grep -qx -- "$1" <<<"$FLASK_COMMANDS"
}

# --- a throwaway PostgreSQL on loopback (see /work/shared/PLATFORM_NOTES.md) ---------------------------------
# start_postgres sets PG_URL (no database name: append /<db>); stop_postgres removes every trace.
# Callers install `trap stop_postgres EXIT` first. Root runs the server as the postgres user.
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PGDATA="" PGSOCK="" PG_URL=""

as_postgres() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  [[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL not found in $PG_BIN (install postgresql-15 or set PG_BIN)"
  PGDATA="$(mktemp -d)"
  PGSOCK="$(mktemp -d)"
  if [[ $EUID -eq 0 ]]; then chown postgres: "$PGDATA" "$PGSOCK"; fi
  as_postgres "$PG_BIN/initdb" -D "$PGDATA" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  local port attempt
  for attempt in 1 2 3; do  # another process may take the free port between choosing and binding it
    port="$(free_port)"
    if as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -s \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PGSOCK -c fsync=off" start; then
      PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port"
      return 0
    fi
    say "PostgreSQL did not start on port $port (attempt $attempt)"
  done
  cat "$PGDATA/server.log" >&2 || true
  die "PostgreSQL did not start"
}

stop_postgres() {
  if [[ -n "$PGDATA" && -f "$PGDATA/postmaster.pid" ]]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -s stop || true
  fi
  if [[ -n "$PGDATA" ]]; then rm -rf "$PGDATA"; fi
  if [[ -n "$PGSOCK" ]]; then rm -rf "$PGSOCK"; fi
  PGDATA="" PGSOCK="" PG_URL=""
  return 0
}
