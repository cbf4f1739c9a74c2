#!/usr/bin/env bash
# The fast tests (all but the end-to-end and venv ones) against the lowest versions pyproject.toml
# allows for what it names, so its lower bounds stay true. uv resolves them (--resolution
# lowest-direct); uv itself comes from PyPI into a throwaway virtual environment, and both
# environments live in a temporary folder that is removed afterwards. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PYTHON" -m venv "$work/uv"
"$work/uv/bin/python" -m pip install --quiet --disable-pip-version-check uv
"$work/uv/bin/uv" venv --quiet --python "$PYTHON" "$work/lowest"
"$work/uv/bin/uv" pip install --quiet --python "$work/lowest/bin/python" --resolution lowest-direct --compile-bytecode ".[test]"
"$work/uv/bin/uv" pip list --python "$work/lowest/bin/python" 2>/dev/null \
  | grep -i -E '^(aiohttp|aiosqlite|alembic|apscheduler|asyncpg|botbuilder-core|isodate|jsonpickle|msrest|pillow|pydantic|pyjwt|pytest|sqlalchemy|weasyprint) ' || true
"$work/lowest/bin/python" -m pytest -q -rs -p no:cacheprovider -n auto --dist loadfile -m "not e2e and not venv" "$@"
