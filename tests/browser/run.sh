#!/usr/bin/env bash
# Browser tests: installs playwright-core from the npm registry when missing (no browser
# download: Debian's /usr/bin/chromium is used), then runs run.mjs.
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -d node_modules/playwright-core ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec node run.mjs
