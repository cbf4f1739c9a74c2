"""Every card validates against Adaptive Cards 1.5, and people's words cannot inject anything:
links, mentions, markdown or card JSON in a description are shown literally, in TextRuns."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

import app as app_module
from bot import cards, escalation_cards
from sla import events as ev
from sla.events import TicketEvent
from sla.policy import load_policy
from storage.models import EscalationRow, Ticket
from tests.servicedesk.desk import REGIE, card_of, click, local, new_ticket
from tests.support import facts
from tests.support.cards import assert_valid_card, card_lines
from tests.support.harness import harness_settings, start_harness, stop_harness

TZ = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 4, 28, 8, 0, tzinfo=timezone.utc)
EVIL = (
    "[klik hier](https://evil.example/login) <at>Karim Bouali</at> **vet** "
    '{"type": "Action.OpenUrl", "url": "https://evil.example"} ${$root.secret} <script>x</script>'
)


def _elements(node, parent_key=None):
    """(element, key under which it sits) for every dict in the card."""
    if isinstance(node, dict):
        yield node, parent_key
        for key, value in node.items():
            yield from _elements(value, key)
    elif isinstance(node, list):
        for value in node:
            yield from _elements(value, parent_key)


def assert_literal_only(card: dict, marker: str = "evil.example") -> None:
    """The marker appears only as the text of a TextRun; nothing links, mentions or acts on it."""
    assert_valid_card(card)
    assert "msteams" not in card  # no mention entities
    found = False
    for element, parent in _elements(card):
        if element.get("type") in ("Action.OpenUrl",) or "selectAction" in element:
            raise AssertionError(f"unexpected link action {element}")
        for key, value in element.items():
            if isinstance(value, str) and marker in value:
                # TextRun text, choice titles and an input's value are plain text in Adaptive Cards.
                is_run = element.get("type") == "TextRun" and key == "text"
                is_choice = parent in ("choices",) and key == "title"
                is_input = str(element.get("type")).startswith("Input.") and key == "value"
                assert is_run or is_choice or is_input, element
                found = True
    assert found, "the description is shown"


def _ticket(**overrides) -> Ticket:
    values = dict(
        id=7, reporter_id="r", reporter_name="Sanne [x](https://evil.example)", category="laptop", scope="alleen_ik",
        description=EVIL, priority="P1", uplift=True, uplift_motivation=EVIL, priority_reasons={"reasons": ["a"]},
        phone="06 12345678", status="nieuw", opened_at=NOW, version=3, first_response_due=NOW + timedelta(minutes=15),
        resolution_due=NOW + timedelta(hours=4), next_update_due=NOW + timedelta(minutes=30), owner_name=None,
        owner_id=None, first_response_at=None, resolved_at=None, definitive_resolution_due=None, update_overdue=False,
        major_incident=False,
    )
    values.update(overrides)
    return Ticket(**values)


EVENTS = [
    TicketEvent(ev.REPORTED, NOW, {"priority": "P1"}),
    TicketEvent(ev.ACKNOWLEDGED, NOW, {"agent_name": "Karim", "note": EVIL}),
    TicketEvent(ev.AGENT_UPDATE, NOW, {"agent_name": "Karim", "text": EVIL}),
    TicketEvent(ev.PAUSED, NOW, {"agent_name": "Karim", "party": EVIL, "reason": EVIL}),
    TicketEvent(ev.RESOLVED, NOW, {"agent_name": "Karim", "solution": EVIL, "first_time_fix": True}),
    TicketEvent(ev.HANDED_OVER, NOW, {"agent_name": "Karim", "to_name": EVIL}),
]


@pytest.mark.parametrize("status", ["nieuw", "opgepakt", "wacht_op_derde", "opgelost", "gesloten"])
def test_ticket_card_in_every_status_is_valid_and_literal(status):
    ticket = _ticket(
        status=status,
        owner_name="Karim" if status != "nieuw" else None,
        first_response_at=NOW if status != "nieuw" else None,
        resolved_at=NOW if status in ("opgelost", "gesloten") else None,
        resolution_due=None if status == "wacht_op_derde" else NOW + timedelta(hours=4),
    )
    card = cards.ticket_card(ticket, now=NOW + timedelta(minutes=20), policy=load_policy("halt"), events=EVENTS, agents={"a": EVIL, "b": "Eva"})
    assert_literal_only(card)
    # Buttons carry only the ticket and the version, never a role or a person.
    for element, _ in _elements(card):
        if element.get("type") == "Action.Execute":
            assert set(element["data"]) == {"ticket", "versie"} and element["data"]["versie"] == 3
            assert element["fallback"]["type"] == "Action.Submit" and element["fallback"]["data"]["verb"] == element["verb"]


def test_regie_and_piket_cards_are_valid_and_literal():
    ticket = _ticket()
    assert_literal_only(cards.regie_new_p1_card(ticket, now=NOW, tz=TZ))
    assert_literal_only(cards.regie_new_p1_card(ticket, now=NOW, tz=TZ, changed_from="P3", reason=EVIL, by="Karim"))
    for kind in ("warning", "wait_too_long"):
        card = cards.regie_notice_card(ticket, now=NOW, tz=TZ, kind=kind, clock="resolution", priority="P1", due=NOW)
        assert_literal_only(card)
    assert_literal_only(cards.piket_alert_card(ticket, now=NOW, tz=TZ, contact="Piket 088"))


def test_an_escalation_card_shows_what_regie_and_the_supplier_typed_literally():
    ticket = _ticket()
    ticket.public_title = EVIL
    row = EscalationRow(
        id=4, key="k", trigger="breach", ticket_id=ticket.id, norm="P1:resolution", due=NOW, figures={}, proposed_level="N1",
        level="N3", reasons={"why": ["critical"]}, state="closed", opened_at=NOW, start_by=NOW, version=5,
        level_by_name=EVIL, level_reason=EVIL, cause=EVIL, action=EVIL, action_owner=EVIL, action_due=NOW.date(),
        action_by_name=EVIL, evaluation=EVIL, closed_by_name=EVIL,
    )
    for state in ("open", "closed"):
        row.state = state
        for role in ("regie", "servicedesk"):
            assert_literal_only(escalation_cards.escalation_card(row, ticket, role=role, now=NOW, tz=TZ))
    assert_literal_only(escalation_cards.reminder_card([(row, ticket)], week="2026-W18", now=NOW, tz=TZ))


def test_time_left_in_words():
    assert cards.time_left(NOW + timedelta(minutes=13), now=NOW) == "nog 13 min"
    assert cards.time_left(NOW + timedelta(minutes=125), now=NOW) == "nog 2 u 5 min"
    assert cards.time_left(NOW - timedelta(minutes=12), now=NOW) == "12 min te laat"
    assert cards.time_left(NOW + timedelta(days=3), now=NOW) == "nog 3 dagen"


async def test_an_injected_description_stays_literal_on_every_card_sent(sqlite_database_url):
    h = await start_harness(harness_settings(sqlite_database_url, regie=frozenset({REGIE["aadObjectId"]})))
    try:
        await h.link_channels()
        await h.say("help")
        ticket_id = await new_ticket(h, priority="P1", uplift=True, description=EVIL, motivation=EVIL, phone="0612345678")
        status, body = await click(h, "oppakken", ticket_id, notitie=EVIL)
        assert_literal_only(card_of(body))
        status, body = await click(h, "update", ticket_id, update_tekst=EVIL)
        assert_literal_only(card_of(body))
        sent = [c for c in h.connector.calls if c.cards and not c.conversation_id.startswith("a:personal-")]
        assert len(sent) >= 3
        for call in sent:
            for card in call.cards:
                assert_literal_only(card)
                assert json.loads(json.dumps(card)) == card
    finally:
        await stop_harness(h)


async def test_a_legacy_automatic_status_update_shows_in_the_card_history_with_or_without_news(sqlite_database_url):
    # Logs from before holding messages were recorded apart (sla.events.STATUS_UPDATE_SENT) stay
    # readable on the card: the bot's update with news, and the one without.
    h = await start_harness(harness_settings(sqlite_database_url))
    try:
        await h.link_channels()
        await h.say("help")
        ticket_id = await new_ticket(h, priority="P2", scope="meerdere_teams")
        database, policy = h.app[app_module.DATABASE], h.app[app_module.POLICY]
        await facts.record(database, policy, ticket_id, ev.STATUS_UPDATE_SENT, local(h, "2026-04-28 08:01"), holding=False)
        await facts.record(database, policy, ticket_id, ev.STATUS_UPDATE_SENT, local(h, "2026-04-28 08:02"), holding=True)
        h.clock.set(local(h, "2026-04-28 08:05"))
        status, body = await click(h, "oppakken", ticket_id)
        history = [text for text in card_lines(card_of(body)) if "statusupdate" in text]  # newest first
        assert history == [
            "28-04 08:02 Automatische statusupdate aan melder (zonder nieuws)",
            "28-04 08:01 Automatische statusupdate aan melder",
        ]
    finally:
        await stop_harness(h)

