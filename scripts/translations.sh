#!/usr/bin/env bash
# Message catalogues (docs/translations.md): extract every wrapped string into coaching/translations/messages.pot,
# update each language's messages.po from it (or create it the first time), then compile the .mo files.
# Idempotent: running it twice changes nothing the second time (apart from the .pot's creation date).
# `--check` only extracts into a temporary file and fails if a msgid is missing from a .po (for CI or a hook).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

LANGS=(en ar fa uk ru tr)  # de is the source language: its strings are the msgids
DIR=coaching/translations
POT="$DIR/messages.pot"
pybabel="$VENV/bin/pybabel"
[[ -x "$pybabel" ]] || die "pybabel not found: run scripts/bootstrap.sh first"

extract() {
  "$pybabel" -q extract -F babel.cfg -k _l -k lazy_gettext --sort-by-file --no-wrap \
    --project=coaching --copyright-holder="Elternarbeit@Ost" --msgid-bugs-address=planung@coaching.example.org \
    -o "$1" .
}

if [[ "${1:-}" == "--check" ]]; then
  tmp="$(mktemp)"; trap 'rm -f "$tmp"' EXIT
  extract "$tmp"
  missing=0
  for lang in "${LANGS[@]}"; do
    if ! "$pybabel" update -q --check -i "$tmp" -d "$DIR" -l "$lang" --no-wrap 2>/dev/null; then
      say "$lang: catalogue is out of date (run scripts/translations.sh)"; missing=1
    fi
  done
  exit "$missing"
fi

mkdir -p "$DIR"
say "extracting messages into $POT"
extract "$POT"
for lang in "${LANGS[@]}"; do
  if [[ -f "$DIR/$lang/LC_MESSAGES/messages.po" ]]; then
    "$pybabel" update -q -i "$POT" -d "$DIR" -l "$lang" --no-wrap --ignore-obsolete
  else
    say "creating the $lang catalogue"
    "$pybabel" init -q -i "$POT" -d "$DIR" -l "$lang" --no-wrap
  fi
done
say "compiling"
"$pybabel" compile -d "$DIR" -f -q
# Strings without a translation show in German; list how many are left per language.
for lang in "${LANGS[@]}"; do
  py - "$DIR/$lang/LC_MESSAGES/messages.po" "$lang" <<'PY'
import sys
from babel.messages.pofile import read_po
with open(sys.argv[1], "rb") as fh:
    cat = read_po(fh)
todo = [m for m in cat if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))]
print(f"    {sys.argv[2]}: {len(cat) - 1} messages, {len(todo)} untranslated or fuzzy")
PY
done
