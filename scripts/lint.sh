#!/usr/bin/env bash
# Static checks for everything that is Python in the repository (generated migration files excluded in pyproject).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash "$ROOT/scripts/bootstrap.sh"
targets=(coaching tests config.py wsgi.py migrations/env.py)
[[ -d benchmarks ]] && targets+=(benchmarks)
"$VENV/bin/ruff" check "${targets[@]}"
