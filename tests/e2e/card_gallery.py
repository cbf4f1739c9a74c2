"""Every card the bot sent in the end-to-end run: named by type, saved as JSON, rendered to PNG.

A card's type is what a reviewer would call it ("servicedesk-melding-nieuw", "vraag-categorie",
"overleg-weekoverzicht"), named as in the complete card gallery (tests/cards/gallery.py, which
builds every type for docs/cards/); one example per type is kept (the last one sent). PNGs come
from Microsoft's renderer (e2e/render_cards.js).
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

from tests.cards.gallery import QUESTION_NAMES
from tests.e2e.stack import E2E
from tests.e2e.ui import card_texts, plain
from tests.support.cards import objects_in


def _slug(text: str, limit: int = 40) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"M-\d+", "", text)
    text = re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower()
    return text[:limit].rstrip("-") or "kaart"


def _submit_data(card: Any) -> list[dict[str, Any]]:
    return [
        node["data"] for node in objects_in(card)
        if node.get("type") in ("Action.Submit", "Action.Execute") and isinstance(node.get("data"), dict)
    ]


STATES = {
    "nieuw, nog niet opgepakt": "nieuw",
    "opgepakt": "opgepakt",
    "wacht op een derde partij": "wacht-op-derde",
    "opgelost": "opgelost",
}
FACT_LINES = (  # a line on a servicedesk card -> its type (the first that applies)
    ("Major incident: ", "servicedesk-melding-major-incident"),
    ("Beveiligingsincident: ", "servicedesk-melding-beveiliging"),
    ("Vervangend toestel: ", "servicedesk-melding-leentoestel"),
)
REGIE_TITLES = (  # the first words of a regie card's title -> its type
    ("Nieuwe P1-uplift", "regie-nieuwe-p1-uplift"),
    ("Nieuwe P1", "regie-nieuwe-p1"),
    ("Prioriteit verhoogd naar P1", "regie-prioriteit-verhoogd-naar-p1"),
    ("Dreigt te laat", "regie-dreigt-te-laat"),
    ("Piket", "regie-piket"),
    ("Datalek", "regie-datalek"),
    ("Major incident", "regie-major-incident"),
    ("RCA major incident", "regie-rca"),
)


def kind_of(card: dict[str, Any], *, where: str) -> str:
    """A stable, readable name for the type of ``card``; ``where`` is personal/servicedesk/regie/overleg.

    The names are those of the card gallery (tests/cards/gallery.py), so the end-to-end run can
    check that the gallery has every card type the bot really sent.
    """
    texts = [plain(t) for t in card_texts(card)]
    first = texts[0] if texts else ""
    data = _submit_data(card)
    question = next((d.get("vraag") for d in data if isinstance(d, dict) and d.get("vraag")), None)
    if question:
        name = QUESTION_NAMES.get(str(question), f"vraag-{_slug(str(question))}")
        return name + ("-p1-uplift" if question == "confirm" and "Wat je moet doen" in texts else "")
    if any(isinstance(d, dict) and d.get("survey") for d in data):  # the experience survey's questions
        if any(t.startswith("Herinnering") for t in texts):
            return "medewerker-enquete-herinnering"
        return "medewerker-enquete" if "Vraag 1 van 3" in texts else "medewerker-enquete-vraag"
    if "je cijfer is binnen" in first:
        return "medewerker-enquete-antwoord-ontvangen"
    if first.startswith("Enquête ICT-beleving gesloten"):
        return "regie-enquete-resultaat"
    feedback = next((d.get("feedback") for d in data if isinstance(d, dict) and d.get("feedback")), None)
    if feedback:
        return {"mttp": "melder-weer-aan-het-werk", "csat": "melder-tevredenheid"}.get(str(feedback), f"melder-{_slug(str(feedback))}")
    if first.startswith("Deze kaart was verouderd"):
        return "actie-antwoord-verouderd"
    if first.startswith("Melding") and "Status: " in texts:
        state = STATES.get(texts[texts.index("Status: ") + 1], "onbekend")
        if card.get("refresh") and not card.get("actions"):
            return "servicedesk-melding-alleen-lezen"  # the view for someone who is not an agent
        if "Let op: " in texts:
            return "servicedesk-melding-update-te-laat"
        for label, name in FACT_LINES:  # a card showing one of the facts recorded on it
            if label in texts and state in ("opgepakt", "wacht-op-derde"):
                return name
        if state == "nieuw" and any(t.startswith("Eerste inhoudelijke reactie") and texts[i + 1].endswith("te laat)") for i, t in enumerate(texts[:-1])):
            return "servicedesk-melding-reactie-te-laat"
        if state == "nieuw" and "Publieke titel: " in texts:
            return "servicedesk-melding-nieuw-storing"
        if any(t.startswith("nog niemand: in de wachtrij") for t in texts):
            return "servicedesk-melding-wachtrij"
        uplift = state == "nieuw" and "P1-uplift" in first
        return f"servicedesk-melding-{state}" + ("-p1-uplift" if uplift else "")
    if "je antwoord is binnen" in first:
        return "melder-antwoord-ontvangen"
    if first.startswith("Lage tevredenheid"):
        return "servicedesk-lage-tevredenheid"
    if "SLA-overzicht" in first:
        return "overleg-weekoverzicht"
    if first.startswith("Servicelevelrapport"):
        return "regie-maandrapport"
    if first.startswith(("Overschreden", "Melder zonder nieuws", "Maandnorm niet gehaald")):
        buttons = [str(d.get("verb")) for d in data]
        if "Evaluatie" in texts:
            return "regie-escalatie-afgesloten"
        if "escalatie_actie" in buttons and "escalatie_niveau" not in buttons:
            return "servicedesk-escalatie"
        if first.startswith("Maandnorm"):
            return "regie-escalatie-maandnorm"
        if any(t.startswith("Niveau vastgesteld door") for t in texts):
            return "regie-escalatie-vastgesteld"
        level = next((t.split()[1] for t in texts if t.startswith("Escalatie ")), "zonder-escalatie")
        return f"regie-overschreden-{level.lower()}"
    if first.startswith("Open escalaties"):
        return "regie-escalaties-herinnering"
    if first == "Nieuwe aankondiging":
        return "servicedesk-aankondiging-formulier"
    if first.startswith("Aankondiging A-"):
        return "servicedesk-aankondiging-antwoord"
    if re.match(r"(Enquête|Herinnering enquête) A-\d+$", first):  # a survey round's campaign (reach)
        return "servicedesk-enquete-campagne"
    if re.match(r"(Storing|Wijziging|Gepland onderhoud|Update|Opgelost) A-\d+$", first):
        state = next((t.removeprefix("Stand: ") for t in texts if t.startswith("Stand: ")), "")
        return {"wacht op goedkeuring van regie": "servicedesk-aankondiging-wacht-op-regie", "verstuurd": "servicedesk-aankondiging-klaar"}.get(
            state, "servicedesk-aankondiging-bezig"
        )
    for title, name in REGIE_TITLES:
        if first.startswith(title):
            return name + ("-niet-meer" if "Nu: " in texts else "")
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
