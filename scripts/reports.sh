#!/usr/bin/env bash
# Regenerate docs/reports/: the example service level report of a generated month (deterministic:
# scripts/example_month.py, seed 17) as PDF, its pages as PNG, and the JSON it was drawn from.
# Needs the test extra (pypdfium2): bash scripts/install.sh test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh test,otel
month="${MONTH:-2026-10}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
.venv/bin/python scripts/example_month.py "$work/example.sqlite3" --month "$month"
export DATABASE_URL="sqlite:///$work/example.sqlite3"
out=docs/reports
rm -f "$out"/servicelevelrapport-*
.venv/bin/servicedesk report monthly --month "$month" --format json --out "$out/servicelevelrapport-$month.json"
.venv/bin/servicedesk report monthly --month "$month" --format pdf --out "$out/servicelevelrapport-$month.pdf"
.venv/bin/python scripts/report_pages.py "$out/servicelevelrapport-$month.pdf" "$out"
