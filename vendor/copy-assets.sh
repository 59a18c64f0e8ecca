#!/usr/bin/env bash
# Copies front-end packages pinned in package-lock.json into static/vendor/ (no CDN: visitors' IPs stay here).
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --silent
dest=../static/vendor
rm -rf "$dest" && mkdir -p "$dest/bootstrap/css" "$dest/bootstrap/js" "$dest/htmx"
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.rtl.min.css "$dest/bootstrap/css/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js "$dest/bootstrap/js/"
cp node_modules/bootstrap/LICENSE "$dest/bootstrap/"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx/"
cp node_modules/htmx.org/LICENSE "$dest/htmx/"
