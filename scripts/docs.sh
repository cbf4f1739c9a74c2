#!/usr/bin/env bash
# Regenerate docs/screenshots (one per end-to-end scenario) and docs/cards (one PNG per card type)
# by playing the end-to-end scenarios in the Agents Playground. See docs/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/e2e-setup.sh
REQUIRE_E2E=1 bash scripts/test.sh -m e2e tests/e2e/test_scenarios.py
src=test-artifacts/e2e
rm -rf docs/screenshots docs/cards
mkdir -p docs/screenshots docs/cards
cp "$src"/docs-screenshots/*.png docs/screenshots/
cp "$src"/cards/*.png docs/cards/
echo "docs: $(ls docs/screenshots | wc -l) screenshots in docs/screenshots, $(ls docs/cards | wc -l) cards in docs/cards"
