#!/usr/bin/env bash
# Install what the end-to-end tests (tests/e2e) need, and nothing else; safe to run again.
#   - Debian's chromium (and a font), when no Chromium is installed yet: apt-get, as root;
#   - the pinned npm packages in e2e/ (Agents Playground, playwright-core, adaptivecards,
#     adaptivecards-designer) with `npm ci`, only when package-lock.json changed since last time.
# playwright-core downloads no browser here: the tests use Debian's /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "e2e-setup: $*"; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "Node.js and npm are needed (Node 18 or newer); install them first (e.g. apt-get install nodejs npm)." >&2
  exit 1
fi

if [ -x /usr/bin/chromium ] || [ -n "${CHROMIUM_PATH:-}" ]; then
  say "chromium present"
else
  if [ "$(id -u)" != 0 ]; then
    say "chromium is missing; run as root, or: sudo apt-get install -y chromium fonts-dejavu-core" >&2
    exit 1
  fi
  say "installing chromium with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi

stamp=e2e/node_modules/.e2e-setup-lock.sha256
want=$(sha256sum e2e/package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  say "npm packages up to date"
else
  say "npm ci in e2e/"
  (cd e2e && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  echo "$want" > "$stamp"
fi
