"""Every card of a ticket shows its state as it is now: after a priority change, a resolution and
a breach, the servicedesk's card and regie's notices (the new P1, the deadline at risk, the
escalation) are drawn again in place, through HTTP card actions and regie's sweep.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.servicedesk.desk import card_of, click, local, new_ticket, sweep
from tests.support import activities as acts
from tests.support.cards import assert_valid_card, card_lines
from tests.support.harness import harness_settings, start_harness, stop_harness

COUNTDOWN = re.compile(r"\(nog \d")


@pytest.fixture
async def harness(database_url):
    h = await start_harness(harness_settings(database_url))
    await h.link_channels()
    await h.say("help")
    h.connector.clear()
    yield h
    await stop_harness(h)


def shown(harness, channel: str) -> list[str]:
    """What each card in the channel shows now, oldest card first (every one a valid card)."""
    cards = harness.connector.cards_now(f"19:{channel}")
    for card in cards.values():
        assert_valid_card(card)
    return [" | ".join(card_lines(card, keys=("text", "title"))) for card in cards.values()]



async def _p1_with_a_warning(harness) -> int:
    ticket_id = await new_ticket(harness, priority="P1", scope="iedereen", description="Niemand kan inloggen")
    harness.clock.set(local(harness, "2026-04-28 08:11"))  # 4 minutes before the callback deadline
    assert await sweep(harness) == 1
    new_p1, warning = shown(harness, "regie")
    assert "Nieuwe P1 (kritiek): M-1" in new_p1 and "(nog 4 min)" in new_p1
    assert "Dreigt te laat: M-1" in warning and "(nog 4 min)" in warning
    return ticket_id


async def test_a_priority_lowered_to_p2_shows_on_every_card_of_the_ticket(harness):
    ticket_id = await _p1_with_a_warning(harness)
    status, _ = await click(harness, "prioriteit", ticket_id, prioriteit="P2", prioriteit_reden="Alleen team Noord")
    assert status == 200
    new_p1, warning = shown(harness, "regie")
    for card in (new_p1, warning):
        assert "Nu: prioriteit P2 (hoog): deze melding geldt niet meer" in card
    assert not COUNTDOWN.search(warning) and "was uiterlijk vandaag om 08:15" in warning
    (desk_card,) = shown(harness, "servicedesk")
    assert "Melding M-1 · P2 (hoog)" in desk_card


async def test_a_resolution_shows_on_every_card_of_the_ticket(harness):
    ticket_id = await _p1_with_a_warning(harness)
    await click(harness, "oppakken", ticket_id, prioriteit_voorlopig="P1", vervolgstap="Ik bel je zo.")
    await click(harness, "opgelost", ticket_id, oplossing="Server herstart")
    new_p1, warning = shown(harness, "regie")
    for card in (new_p1, warning):
        assert "Nu: opgelost vandaag om 08:11: hier hoeft regie niets meer voor te doen" in card
        assert not COUNTDOWN.search(card)
    assert "Oplossing: gedaan: opgelost vandaag om 08:11" in new_p1
    (desk_card,) = shown(harness, "servicedesk")
    assert "Status: opgelost" in desk_card and not COUNTDOWN.search(desk_card)
    # The call was never registered: the card says so, without a countdown.
    assert "(bel de melder): niet vastgelegd voor de oplossing (was uiterlijk vandaag om 08:15)" in desk_card


async def test_at_a_breach_every_card_of_the_ticket_says_it_is_late(harness):
    await _p1_with_a_warning(harness)
    harness.clock.set(local(harness, "2026-04-28 08:16"))  # the callback deadline passed at 08:15
    assert await sweep(harness) == 1
    new_p1, warning, escalation = shown(harness, "regie")
    assert "Terugbellen: uiterlijk vandaag om 08:15 (1 min te laat)" in new_p1
    assert "Te laat: M-1" in warning and "(1 min te laat)" in warning and not COUNTDOWN.search(warning)
    assert "Overschreden: M-1" in escalation
    desk_card = next(card for card in shown(harness, "servicedesk") if "Melding M-1" in card)
    assert "1 min te laat" in desk_card


async def test_an_open_p1_card_refreshes_when_seen_with_buttons_for_agents_and_a_read_only_view_for_others(harness):
    ticket_id = await new_ticket(harness, priority="P1", scope="iedereen", description="Niemand kan inloggen")
    await click(harness, "oppakken", ticket_id)  # Karim: a known agent, who talked to the bot
    await harness.say("help", user=acts.AGENT)
    await click(harness, "update", ticket_id, update_tekst="We zoeken het uit.")
    (posted,) = harness.connector.cards_now("19:servicedesk").values()
    assert posted["refresh"]["action"] == {
        "type": "Action.Execute", "title": "Vernieuwen", "verb": "vernieuwen", "data": {"ticket": ticket_id},
    }
    assert posted["refresh"]["userIds"] == [f"29:{acts.AGENT['aadObjectId']}"]
    before = len(harness.connector.calls)

    harness.clock.set(local(harness, "2026-04-28 09:00"))  # someone opens the channel an hour later
    status, body = await click(harness, "vernieuwen", ticket_id)
    agent_view = card_of(body)
    assert status == 200 and agent_view.get("actions") and "Update naar melder" in json.dumps(agent_view)
    assert "(nog 3 u)" in " | ".join(card_lines(agent_view, keys=("text", "title")))  # the resolution clock, live: 12:00
    status, body = await click(harness, "vernieuwen", ticket_id, user=acts.EMPLOYEE)
    other_view = card_of(body)
    assert_valid_card(other_view)
    assert "actions" not in other_view and "Input." not in json.dumps(other_view)
    assert "(nog 3 u)" in " | ".join(card_lines(other_view, keys=("text", "title")))
    assert len(harness.connector.calls) == before  # a refresh changes nothing and sends nothing


async def test_a_p3_card_does_not_refresh_itself(harness):
    await new_ticket(harness, priority="P3")
    (posted,) = harness.connector.cards_now("19:servicedesk").values()
    assert "refresh" not in posted
