"""Every card the bot sent in the end-to-end run: named by type, saved as JSON, rendered to PNG.

A card's type is what a reviewer would call it ("servicedesk-melding-nieuw", "vraag-categorie",
"overleg-weekoverzicht"); one example per type is kept (the last one sent), so the gallery shows
each card once, in its final shape. PNGs come from Microsoft's renderer (e2e/render_cards.js).
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

from tests.e2e.stack import E2E
from tests.e2e.ui import card_buttons, card_texts, plain


def _slug(text: str, limit: int = 40) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"M-\d+", "", text)
    text = re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower()
    return text[:limit].rstrip("-") or "kaart"


def _submit_data(card: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("Action.Submit", "Action.Execute") and isinstance(node.get("data"), dict):
                found.append(node["data"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


def kind_of(card: dict[str, Any], *, where: str) -> str:
    """A stable, readable name for the type of ``card``; ``where`` is personal/servicedesk/regie/overleg."""
    texts = [plain(t) for t in card_texts(card)]
    first = texts[0] if texts else ""
    buttons = card_buttons(card)
    data = _submit_data(card)
    question = next((d.get("vraag") for d in data if isinstance(d, dict) and d.get("vraag")), None)
    if question:
        return f"vraag-{_slug(str(question))}"
    if first.startswith("Melding") and where == "servicedesk":
        return "servicedesk-melding-nieuw" if any("Oppakken" == b for b in buttons) else "servicedesk-melding-opgepakt"
    if "SLA-overzicht" in first:
        return "overleg-weekoverzicht"
    return f"{where}-{_slug(first)}"


def write_gallery(cards: list[tuple[str, dict[str, Any]]], folder: Path) -> dict[str, Path]:
    """Write one JSON per card type (the last of each); returns {kind: path}."""
    folder.mkdir(parents=True, exist_ok=True)
    chosen: dict[str, dict[str, Any]] = {}
    for kind, card in cards:
        chosen[kind] = card
    paths = {}
    for kind, card in sorted(chosen.items()):
        path = folder / f"{kind}.json"
        path.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", "utf-8")
        paths[kind] = path
    return paths


def render(json_files: list[Path], out_dir: Path) -> list[dict[str, Any]]:
    """Render with Microsoft's renderer; returns one report per card (png, warnings, buttons)."""
    done = subprocess.run(
        ["node", str(E2E / "render_cards.js"), str(out_dir), *map(str, json_files)],
        cwd=E2E, capture_output=True, text=True, timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"render_cards.js failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
