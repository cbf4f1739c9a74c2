"""P4's agreed update date and "wacht op derde" with its expected date, recorded on the card.

PvE §10.1 P4: "Updates: op afgesproken datum"; §10.1.3: "MSP blijft eindverantwoordelijk voor
voortgang en oplossing, ook met derden" (so the wait is recorded: who, why, until when).
"""

from __future__ import annotations

from datetime import date

import pytest

from sla import events as ev
from tests.servicedesk import desk
from tests.servicedesk.desk import card_of, click, message_of, new_ticket
from tests.support.cards import assert_valid_card
from tests.support.harness import stop_harness


@pytest.fixture
async def harness(database_url):
    h = await desk.open_desk(database_url)  # Tuesday 28 April 2026, 08:00
    yield h
    await stop_harness(h)


async def test_pve_p4_update_date_is_agreed_on_the_card_and_told_to_the_reporter(harness):
    ticket_id = await new_ticket(harness, priority="P4", description="Graag een tweede beeldscherm")
    status, body = await click(harness, "oppakken", ticket_id, prioriteit_voorlopig="P4", vervolgstap="Ik bestel een scherm.")
    card = card_of(body)
    assert desk.line(card, "Update afgesproken op") == "nog niet: spreek een datum af met de melder"
    assert "Datum afspreken" in desk.strings(card)
    assert (await desk.ticket(harness, ticket_id)).next_update_due is None  # no date, no update owed

    harness.connector.clear()
    status, body = await click(harness, "afspraak", ticket_id, afgesproken_datum="2026-05-05")
    card = card_of(body)
    assert_valid_card(card)
    assert desk.line(card, "Update afgesproken op") == "dinsdag 5 mei"
    t = await desk.ticket(harness, ticket_id)
    assert t.agreed_date == date(2026, 5, 5) and t.next_update_due == desk.local(harness, "2026-05-05 18:00")
    assert harness.replies_to_employee() == [
        "Afgesproken: je hoort uiterlijk dinsdag 5 mei om 18:00 van ons over je melding **M-1**."
    ]
    event = (await desk.events(harness, ticket_id))[-1]
    assert (event.kind, event.data["date"]) == (ev.AGREED_DATE_SET, "2026-05-05")


@pytest.mark.parametrize(
    "priority, agreed",
    [("P4", "2026-04-27"), ("P4", "volgende week"), ("P4", ""), ("P3", "2026-05-05")],
    ids=["yesterday", "not-a-date", "empty", "not-p4"],
)
async def test_an_agreed_date_in_the_past_not_a_date_or_not_for_p4_is_refused(harness, priority, agreed):
    ticket_id = await new_ticket(harness, priority=priority)
    await click(harness, "oppakken", ticket_id)
    before = await desk.ticket(harness, ticket_id)
    harness.connector.clear()
    status, body = await click(harness, "afspraak", ticket_id, afgesproken_datum=agreed)
    assert "Kies een datum vanaf vandaag" in message_of(body)
    after = await desk.ticket(harness, ticket_id)
    assert (after.version, after.agreed_date) == (before.version, None)
    assert harness.replies_to_employee() == []


async def test_wacht_op_derde_records_party_reason_and_the_expected_date_and_tells_the_reporter(harness):
    ticket_id = await new_ticket(harness)
    await click(harness, "oppakken", ticket_id)
    harness.connector.clear()
    status, body = await click(
        harness, "wacht", ticket_id, wacht_partij="Dell", wacht_reden="Moederbord besteld", wacht_verwacht="2026-04-30"
    )
    card = card_of(body)
    assert_valid_card(card)
    event = (await desk.events(harness, ticket_id))[-1]
    assert (event.kind, event.data["party"], event.data["reason"], event.data["expected"]) == (
        ev.PAUSED, "Dell", "Moederbord besteld", "2026-04-30"
    )
    [told] = harness.replies_to_employee()
    assert "wachten we op Dell: Moederbord besteld" in told and "Zij verwachten klaar te zijn op donderdag 30 april." in told
    assert "Wacht op Dell (Karim Bouali): Moederbord besteld (verwacht donderdag 30 april)" in desk.strings(card)


@pytest.mark.parametrize("expected", ["2026-04-27", "donderdag"])
async def test_an_expected_date_in_the_past_or_not_a_date_is_refused(harness, expected):
    ticket_id = await new_ticket(harness)
    await click(harness, "oppakken", ticket_id)
    before = await desk.ticket(harness, ticket_id)
    status, body = await click(harness, "wacht", ticket_id, wacht_partij="Dell", wacht_reden="onderdeel", wacht_verwacht=expected)
    assert "Een verwachte datum mag niet in het verleden liggen." in message_of(body)
    after = await desk.ticket(harness, ticket_id)
    assert (after.version, after.status) == (before.version, "opgepakt")
