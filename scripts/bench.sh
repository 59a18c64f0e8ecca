#!/usr/bin/env bash
# Runs every benchmarks/*.py in turn; each prints its own figures.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash "$ROOT/scripts/bootstrap.sh"
shopt -s nullglob
scripts=(benchmarks/*.py)
if (( ${#scripts[@]} == 0 )); then
  say "no benchmarks yet (benchmarks/*.py)"
  exit 0
fi
failed=()
for script in "${scripts[@]}"; do
  say "$script"
  "$VENV/bin/python" "$script" || failed+=("$script")
done
if (( ${#failed[@]} )); then
  die "benchmarks that failed: ${failed[*]}"
fi
