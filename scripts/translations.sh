#!/usr/bin/env bash
# Message catalogues (docs/translations.md): extract every wrapped string into coaching/translations/messages.pot,
# update each language's messages.po from it (or create it the first time), then compile the .mo files.
# Idempotent: a second run changes no file (the .pot is only rewritten when its strings changed).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

LANGS=(en ar fa uk ru tr)  # de is the source language: its strings are the msgids
DIR=coaching/translations
POT="$DIR/messages.pot"
pybabel="$VENV/bin/pybabel"
[[ -x "$pybabel" ]] || die "pybabel not found: run scripts/bootstrap.sh first"

extract() {
  "$pybabel" -q extract -F babel.cfg -k _l -k lazy_gettext --no-wrap \
    --project=coaching --copyright-holder="Elternarbeit@Ost" --msgid-bugs-address=planung@coaching.example.org \
    -o "$1" .
}

mkdir -p "$DIR"
say "extracting messages into $POT"
fresh="$(mktemp)"; trap 'rm -f "$fresh"' EXIT
extract "$fresh"
# Keep the old file when only its creation date would change, so that a second run changes nothing.
if [[ -f "$POT" ]] && diff -q <(grep -v '^"POT-Creation-Date' "$POT") <(grep -v '^"POT-Creation-Date' "$fresh") >/dev/null; then
  rm -f "$fresh"
else
  mv "$fresh" "$POT"
fi
for lang in "${LANGS[@]}"; do
  if [[ -f "$DIR/$lang/LC_MESSAGES/messages.po" ]]; then
    "$pybabel" -q update -i "$POT" -d "$DIR" -l "$lang" --no-wrap --ignore-obsolete --ignore-pot-creation-date --no-fuzzy-matching
  else
    say "creating the $lang catalogue"
    "$pybabel" -q init -i "$POT" -d "$DIR" -l "$lang" --no-wrap
  fi
done
say "compiling"
# No --use-fuzzy: a fuzzy guess may carry other placeholders than its msgid and would break rendering.
"$pybabel" -q compile -d "$DIR"
# Strings without a translation show in German; list how many are left per language.
for lang in "${LANGS[@]}"; do
  py - "$DIR/$lang/LC_MESSAGES/messages.po" "$lang" <<'PY'
import sys
from babel.messages.pofile import read_po
with open(sys.argv[1], "rb") as fh:
    cat = read_po(fh)
messages = [m for m in cat if m.id]
todo = [m for m in messages if m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string)]
print(f"    {sys.argv[2]}: {len(messages)} messages, {len(todo)} untranslated or fuzzy")
PY
done
