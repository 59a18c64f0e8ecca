#!/usr/bin/env bash
# `make run`: the whole app on this machine. Migrates the database, loads the demo data, then runs the local
# catch-all mail server, the mail worker and the web app together until Ctrl-C.
# PORT (default 5000) and MAIL_PORT (default 8025) choose the ports.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash "$ROOT/scripts/bootstrap.sh"
export FLASK_APP=wsgi:app COACHING_CONFIG="${COACHING_CONFIG:-development}"
export PORT="${PORT:-5000}" MAIL_PORT="${MAIL_PORT:-8025}"
export APP_BASE_URL="${APP_BASE_URL:-http://127.0.0.1:$PORT}"
flask="$VENV/bin/flask"

if port_in_use "$PORT"; then
  die "port $PORT is already in use (another 'make run'?). Stop that program or choose another port: PORT=5001 make run"
fi
if port_in_use "$MAIL_PORT"; then
  die "mail port $MAIL_PORT is already in use. Stop that program or choose another port: MAIL_PORT=8026 make run"
fi

bash "$ROOT/scripts/migrate.sh"

FLASK_COMMANDS="$(flask_commands)"
demo_output=""
if has_flask_command demo-data; then
  say "loading demo data"
  demo_output="$("$flask" demo-data)"
  printf '%s\n' "$demo_output"
else
  say "no 'flask demo-data' command yet: starting without demo data"
fi

pids=()
stop_children() {
  trap - EXIT INT TERM
  if (( ${#pids[@]} )); then
    say "stopping"
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop_children EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mail_line="  Mail server:    none yet (no 'flask mailcatcher' command)"
if has_flask_command mailcatcher; then
  "$flask" mailcatcher --port "$MAIL_PORT" &
  pids+=($!)
  mail_line="  Mail server:    127.0.0.1:$MAIL_PORT (local catch-all: nothing leaves this machine)"
else
  say "no 'flask mailcatcher' command yet: mail stays in the outbox"
fi
if has_flask_command worker; then
  "$flask" worker &
  pids+=($!)
else
  say "no 'flask worker' command yet: nothing delivers the outbox"
fi
"$flask" run --host 127.0.0.1 --port "$PORT" &
web_pid=$!
pids+=("$web_pid")

# Print the addresses once the web app answers (or give up after ~20 s and say so).
for _ in $(seq 100); do
  kill -0 "$web_pid" 2>/dev/null || break
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    cat <<MSG

  Coaching app:   http://127.0.0.1:$PORT/
  Mailbox:        http://127.0.0.1:$PORT/postfach   (every email the app sends lands here)
$mail_line
MSG
    if [[ -n "$demo_output" ]]; then
      # Only the login table if the demo command marks it ("Anmeldedaten"/"login"), else all it printed.
      logins="$(sed -n '/[Aa]nmeld\|[Ll]ogin/,$p' <<<"$demo_output")"
      printf '\n  Demo logins:\n%s\n' "$(sed 's/^/    /' <<<"${logins:-$demo_output}")"
    fi
    printf '\n  Stop with Ctrl-C.\n\n'
    break
  fi
  sleep 0.2
done

# When any of the three ends on its own, stop the others too.
set +e
wait -n "${pids[@]}"
status=$?
set -e
say "a process ended (exit $status); stopping the rest"
exit "$status"
