#!/usr/bin/env bash
# Set up (first time) and run the bot on SQLite: creates .venv, installs (only when pyproject.toml
# changed), migrates, serves on :3978. Extra arguments go to the command line (`servicedesk`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/servicedesk db upgrade
exec .venv/bin/servicedesk "$@"
