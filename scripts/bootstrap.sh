#!/usr/bin/env bash
# Creates .venv (Python 3.11) if missing and installs the project with its test extra, but only when
# pyproject.toml changed since the last install (a hash stamp in .venv). Nothing else.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

if [[ ! -x "$VENV/bin/python" ]]; then
  python=${PYTHON:-python3.11}
  command -v "$python" >/dev/null || die "$python not found: install Python 3.11 (or set PYTHON=/path/to/python3.11)"
  say "creating .venv with $python"
  "$python" -m venv "$VENV"
fi

stamp="$VENV/.pyproject.sha256"
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
  say "installing Python dependencies (pyproject.toml changed since the last install)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[test]"
  echo "$wanted" >"$stamp"
fi
for po in coaching/translations/*/LC_MESSAGES/messages.po; do if [[ -f "$po" && ! "${po%.po}.mo" -nt "$po" ]]; then say "compiling message catalogues"; "$VENV/bin/pybabel" -q compile -d coaching/translations; break; fi; done  # .mo files are generated (git-ignored): only when missing or older than their .po
