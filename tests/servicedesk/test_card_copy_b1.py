"""Texts of the ticket card and the reporter's messages rewritten for B1 when they moved to
dialogs/texts.py (issues 18 and 22): active voice, whole sentences, "de servicedesk" mid-sentence."""

from __future__ import annotations

from bot import cards
from storage.outbox import Kind
from tests.cards import gallery
from tests.support.cards import objects_in


def _picked_up_card() -> dict:
    events = gallery.p3_events()  # picked up, no first reaction yet
    ticket = gallery.sample_ticket(214, events, description=gallery.LAPTOP_TEXT)
    return cards.ticket_card(ticket, now=gallery.at(28, 9, 41), policy=gallery.POLICY, events=events, agents=gallery.AGENTS)


def test_the_reaction_form_tells_the_agent_what_to_do():
    shown = [element.get("text") for element in objects_in(_picked_up_card()) if element.get("type") == "TextBlock"]
    assert "Geef de melder een eerste inhoudelijke reactie: de voorlopige prioriteit en de volgende stap." in shown


def test_the_data_breach_answer_says_who_hears_of_it():
    choices = [choice["title"] for element in objects_in(_picked_up_card()) for choice in element.get("choices", [])]
    assert "Ja: de privacy-officer krijgt meteen bericht" in choices


def test_a_reaction_without_an_agents_name_names_the_servicedesk_in_lower_case_mid_sentence():
    payload = {"kind": Kind.REACTION, "priority": "P3", "next_step": "Ik kijk op afstand mee.", "text": "Tot zo."}
    told = cards.reporter_text(gallery.p3_new(), payload, now=gallery.at(28, 9, 5), tz=gallery.TZ)
    assert told.startswith("De servicedesk heeft je melding **M-214** bekeken.")
    assert "Bericht van de servicedesk: Tot zo." in told
