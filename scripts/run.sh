#!/usr/bin/env bash
# Set up (first time) and run the bot on SQLite: creates .venv, installs, migrates, serves on :3978.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
.venv/bin/python app.py db upgrade
exec .venv/bin/python app.py "$@"
