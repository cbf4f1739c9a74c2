"""Device fallback and onsite support, started and stopped from the servicedesk card.

PvE §10.1.5 "Device-fallback": P1/P1-uplift a same-day swap or an emergency workplace within 4
hours, P2 a swap the next working day, P3/P4 within 2 working days (or a virtual workplace);
§10.1.3 "Landelijke onsite-SLA": P1 ≤ 4 h, P2 ≤ 8 h, P3/P4 ≤ 2 working days.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from sla import events as ev
from tests.servicedesk import desk
from tests.servicedesk.desk import card_of, click, message_of, new_ticket
from tests.support.cards import assert_valid_card
from tests.support.harness import stop_harness


@pytest.fixture
async def harness(database_url):
    h = await desk.open_desk(database_url)
    yield h
    await stop_harness(h)


async def test_pve_device_fallback_needed_then_delivered_is_told_to_the_employee(harness):
    ticket_id = await new_ticket(harness)
    await click(harness, "oppakken", ticket_id)
    harness.connector.clear()
    status, body = await click(harness, "leentoestel", ticket_id, leentoestel_notitie="koerier naar Utrecht")
    card = card_of(body)
    assert_valid_card(card)
    # The card's clocks (the fold's) show by when; the button to stop it is there.
    assert desk.line(card, "Vervangend toestel").startswith("uiterlijk morgen om 18:00") and "Toestel geleverd" in desk.strings(card)
    assert "Leentoestel nodig" not in desk.strings(card)  # owed once at a time
    [told] = harness.replies_to_employee()
    # P3: within 2 working days (one working day is one 10-hour window: Tuesday 08:00 -> Wednesday 18:00)
    assert told == (
        "Voor je melding **M-1** krijg je uiterlijk morgen om 18:00 een vervangend apparaat, zodat je weer kunt "
        "werken. We laten je weten hoe je het krijgt."
    )
    status, body = await click(harness, "leentoestel", ticket_id)
    assert "Voor deze melding is al een vervangend apparaat geregeld." in message_of(body)

    harness.connector.clear()
    status, body = await click(harness, "toestel_geleverd", ticket_id, toestel_hoe="loaner")
    card = card_of(body)
    assert_valid_card(card)
    assert desk.line(card, "Vervangend toestel") == "gedaan vandaag om 08:00"
    assert harness.replies_to_employee() == ["Je kunt weer werken: een leentoestel (melding **M-1**). Werkt het niet goed? Laat het ons weten."]
    events = await desk.events(harness, ticket_id)
    assert [(e.kind, e.data.get("how")) for e in events[-2:]] == [(ev.DEVICE_FALLBACK_NEEDED, None), (ev.DEVICE_FALLBACK_DONE, "loaner")]


async def test_pve_p1_device_fallback_an_emergency_workplace_within_4_hours_is_promised(harness):
    ticket_id = await new_ticket(harness, priority="P1", phone="0612345678")
    await click(harness, "oppakken", ticket_id)
    harness.clock.advance(timedelta(minutes=30))
    harness.connector.clear()
    await click(harness, "leentoestel", ticket_id)
    [told] = harness.replies_to_employee()
    assert "krijg je uiterlijk vandaag om 12:30 een vervangend apparaat" in told  # 08:30 + 4 clock hours


@pytest.mark.parametrize(
    "inputs, refusal",
    [({"toestel_hoe": "loaner"}, "als er een leentoestel nodig was"), ({"toestel_hoe": "fiets"}, "Kies hoe de melder")],
)
async def test_a_device_delivered_that_was_not_owed_or_delivered_somehow_else_is_refused(harness, inputs, refusal):
    ticket_id = await new_ticket(harness)
    await click(harness, "oppakken", ticket_id)
    if inputs["toestel_hoe"] == "fiets":
        await click(harness, "leentoestel", ticket_id)
    before = await desk.ticket(harness, ticket_id)
    status, body = await click(harness, "toestel_geleverd", ticket_id, **inputs)
    assert refusal in message_of(body)
    assert (await desk.ticket(harness, ticket_id)).version == before.version


async def test_pve_onsite_engineer_needed_then_on_site(harness):
    ticket_id = await new_ticket(harness, priority="P2")
    await click(harness, "oppakken", ticket_id)
    harness.connector.clear()
    status, body = await click(harness, "monteur", ticket_id, monteur_locatie="Halt Utrecht, 2e verdieping")
    card = card_of(body)
    assert_valid_card(card)
    assert desk.line(card, "Monteur op locatie").startswith("uiterlijk vandaag om 16:00")
    [told] = harness.replies_to_employee()
    # P2: onsite within 8 working hours (PvE §10.1.3), counted from "monteur op locatie"
    assert told == "Voor je melding **M-1** komt er uiterlijk vandaag om 16:00 een monteur bij je langs (Halt Utrecht, 2e verdieping)."
    harness.connector.clear()
    status, body = await click(harness, "monteur_ter_plaatse", ticket_id)
    card = card_of(body)
    assert desk.line(card, "Monteur op locatie") == "gedaan vandaag om 08:00"
    assert harness.replies_to_employee() == []  # the employee sees the engineer
    status, body = await click(harness, "monteur_ter_plaatse", ticket_id)
    assert "Er is geen monteur onderweg" in message_of(body)
    assert [e.kind for e in await desk.events(harness, ticket_id)][-2:] == [ev.ONSITE_NEEDED, ev.ONSITE_DONE]
