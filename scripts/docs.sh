#!/usr/bin/env bash
# Regenerate docs/screenshots (one per end-to-end scenario, played in the Agents Playground) and
# docs/cards (one PNG per type of card the bot can send, built from the real card builders by
# tests/cards/gallery.py), and the card list in docs/README.md. See docs/README.md.
#   E2E_ARTIFACTS=/some/dir bash scripts/docs.sh   keeps the run's artefacts apart from another run's
set -euo pipefail
cd "$(dirname "$0")/.."
export E2E_ARTIFACTS="${E2E_ARTIFACTS:-$PWD/test-artifacts/e2e}"
bash scripts/e2e-setup.sh
REQUIRE_E2E=1 bash scripts/test.sh -m e2e tests/e2e/test_scenarios.py

gallery="$(dirname "$E2E_ARTIFACTS")/cards-gallery"
rm -rf "$gallery"
.venv/bin/python -m tests.cards.gallery "$gallery" --render --readme docs/README.md

rm -rf docs/screenshots docs/cards
mkdir -p docs/screenshots docs/cards
cp "$E2E_ARTIFACTS"/docs-screenshots/*.png docs/screenshots/
cp "$gallery"/*.png docs/cards/
echo "docs: $(ls docs/screenshots | wc -l) screenshots in docs/screenshots, $(ls docs/cards | wc -l) cards in docs/cards"
