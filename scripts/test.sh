#!/usr/bin/env bash
# Set up (first time) and run the whole test suite. Extra arguments go to pytest.
# Installs the bot with its test and OpenTelemetry extras, only when pyproject.toml changed.
# PostgreSQL tests use TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
# and are skipped with the reason when it cannot be reached (REQUIRE_POSTGRES=1 makes that fail).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh test,otel
# In parallel on every core (pytest-xdist), one test file per worker at a time (--dist loadfile):
# a module's tests share its fixtures (the end-to-end Playground, the venv) and run in order.
# "-n 0" after it runs everything in this process.
exec .venv/bin/python -m pytest -q -rs -n auto --dist loadfile "$@"
