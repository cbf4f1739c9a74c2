"""Every type of card the bot can send, built by its real builder, is a valid Adaptive Card 1.5
(the schema Teams renders), and the gallery in docs/cards/ lists them all. No Node needed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cards.gallery import BUILDERS, all_cards
from tests.support.cards import objects_in, validate_card

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = all_cards()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_card_is_valid_adaptive_card_1_5(entry):
    errors = validate_card(entry.card)
    assert not errors, f"{entry.name} ({entry.builder}) is not a valid Adaptive Card 1.5:\n  " + "\n  ".join(errors)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_a_screen_reader_finds_a_label_on_every_input_and_a_text_for_every_image(entry):
    """Accessible cards: an input without a label is read as "edit text" only, an image without
    alt text as its address."""
    missing = [
        f"{element['type']} {element.get('id') or element.get('url', '')}"
        for element in objects_in(entry.card)
        if (str(element.get("type", "")).startswith("Input.") and not str(element.get("label") or "").strip())
        or (element.get("type") == "Image" and not str(element.get("altText") or "").strip())
    ]
    assert not missing, f"{entry.name}: no label or alt text on {missing}"


# Colours that mean something (Adaptive Cards' "color" on text, "style" on containers).
MEANING_COLOURS = {"attention", "good", "warning", "accent"}
# A coloured text says its meaning in a word, or with a sign a screen reader reads out.
SAYS_IT = re.compile(r"[A-Za-zÀ-ÿ]{2,}|[✓✗▲▼]")


def coloured_without_words(card) -> list[str]:
    """Every coloured text, or text in a coloured container, that is only numbers and marks: its
    meaning ("missed", "late") would reach someone who cannot see red only through the colour."""
    found = []
    for element in objects_in(card):
        coloured = str(element.get("color", "")).lower() in MEANING_COLOURS or (
            element.get("type") in {"Container", "Column", "TableCell", "Table"}
            and str(element.get("style", "")).lower() in MEANING_COLOURS
        )
        if not coloured:
            continue
        said = " ".join(str(inner["text"]) for inner in objects_in(element) if isinstance(inner.get("text"), str))
        if not SAYS_IT.search(said):
            found.append(f"{element.get('type')} {said!r}")
    return found


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_no_card_says_something_by_colour_alone(entry):
    found = coloured_without_words(entry.card)
    assert not found, f"{entry.name}: say it in words or with ✓/✗ too: {found}"


def test_the_colour_rule_sees_a_red_number_but_not_a_red_word():
    card = {"type": "AdaptiveCard", "body": [
        {"type": "TextBlock", "text": "93%", "color": "Attention"},
        {"type": "TextBlock", "text": "93% ✗", "color": "Attention"},
        {"type": "TextBlock", "text": "12", "color": "Default"},
        {"type": "Container", "style": "good", "items": [{"type": "TextBlock", "text": "98,5%"}]},
        {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": "20 min te laat", "color": "Attention"}]},
    ]}
    assert coloured_without_words(card) == ["TextBlock '93%'", "Container '98,5%'"]


def test_every_card_builder_the_bot_sends_with_is_in_the_gallery():
    """A new card kind in delivery (or a new builder) without a gallery entry fails here."""
    source = (ROOT / "bot" / "delivery.py").read_text("utf-8") + (ROOT / "bot" / "reach_cards.py").read_text("utf-8")
    modules = {
        "cards": "bot.cards", "feedback_cards": "bot.feedback_cards", "summary": "bot.summary",
        "escalation_cards": "bot.escalation_cards", "reach_cards": "bot.reach_cards", "survey_cards": "bot.survey_cards",
    }
    sent = {
        f"{modules[m]}.{name}"
        for m, name in re.findall(r"\b(cards|escalation_cards|feedback_cards|summary|survey_cards)\.(\w+_card)\(", source)
    }
    sent |= {f"bot.reach_cards.{name}" for name in re.findall(r"^def (\w+_card)\(", (ROOT / "bot" / "reach_cards.py").read_text("utf-8"), re.M)}
    assert sent, "found no card builders in bot/delivery.py; has _render moved?"
    assert sent <= set(BUILDERS), f"sent by bot/delivery.py but not in tests/cards/gallery.py: {sorted(sent - set(BUILDERS))}"
    used = {e.builder for e in ENTRIES}
    assert set(BUILDERS) <= used, f"builders without a gallery card: {sorted(set(BUILDERS) - used)}"


def test_servicedesk_card_is_in_the_gallery_in_each_working_state():
    states = set()
    for entry in ENTRIES:
        if entry.name.startswith("servicedesk-melding-"):
            texts = _texts(entry.card)
            states.add(texts[texts.index("Status: ") + 1])
    assert {"nieuw, nog niet opgepakt", "opgepakt", "wacht op een derde partij", "opgelost"} <= states, states


def test_the_end_to_end_run_names_each_card_as_the_gallery_does():
    """tests/e2e checks every card it saw is a gallery type; that needs the same names."""
    from tests.e2e.card_gallery import kind_of

    same_card = {"actie-antwoord-opgepakt": "servicedesk-melding-opgepakt"}  # the fresh card itself
    wrong = {e.name: kind_of(e.card, where="?") for e in ENTRIES if kind_of(e.card, where="?") != same_card.get(e.name, e.name)}
    assert not wrong, wrong


def test_docs_list_and_show_every_card_type():
    readme = (ROOT / "docs" / "README.md").read_text("utf-8")
    names = {e.name for e in ENTRIES}
    unlisted = sorted(n for n in names if f"`{n}.png`" not in readme)
    assert not unlisted, f"docs/README.md does not list: {unlisted}"
    pngs = {p.stem for p in (ROOT / "docs" / "cards").glob("*.png")}
    assert pngs == names, (
        "docs/cards/ is out of date; run: bash scripts/docs.sh\n"
        f"  missing: {sorted(names - pngs)}\n  no longer a card type: {sorted(pngs - names)}"
    )


def _texts(card) -> list[str]:
    """Each TextBlock's and TextRun's text, run by run."""
    return [n["text"] for n in objects_in(card) if n.get("type") in ("TextBlock", "TextRun") and isinstance(n.get("text"), str)]
