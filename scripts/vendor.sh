#!/usr/bin/env bash
# Copies the pinned front-end packages (Bootstrap, htmx) from npm into static/vendor/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
command -v npm >/dev/null || die "npm not found: install Node.js (apt-get install nodejs npm)"
bash "$ROOT/vendor/copy-assets.sh"
say "vendored assets are in static/vendor/"
