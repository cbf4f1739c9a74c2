#!/usr/bin/env bash
# Set up (first time) and run the whole test suite. Extra arguments go to pytest.
# PostgreSQL tests use TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
# and are skipped with the reason when it cannot be reached (REQUIRE_POSTGRES=1 makes that fail).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
exec .venv/bin/python -m pytest -q -rs "$@"
