"""What operators do in TOPdesk reaches the employee, the card and regie as the cards' own events,
with TOPdesk's timestamps, once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sla import events as ev
from tests.itsm.desk import start_itsm_desk, stop_itsm_desk
from tests.servicedesk import desk as servicedesk
from tests.servicedesk.desk import REGIE, new_ticket, ticket
from tests.support import activities as acts


@pytest.fixture
async def desk(database_url):
    d = await start_itsm_desk(database_url, regie=frozenset({REGIE["aadObjectId"]}))
    await d.harness.link_channels()
    await d.harness.say("help")  # the reporter has talked to the bot: messages can reach them
    yield d
    await stop_itsm_desk(d)


async def linked_ticket(desk, **kwargs) -> tuple[int, str]:
    ticket_id = await new_ticket(desk.harness, **kwargs)
    await desk.drain()
    (incident,) = desk.topdesk.by_external(f"M-{ticket_id}")
    desk.harness.connector.clear()
    return ticket_id, incident["id"]


async def test_an_operator_picking_up_and_writing_in_topdesk_reaches_the_employee_at_topdesks_times(desk):
    ticket_id, incident = await linked_ticket(desk, description="Toetsenbord doet het niet")
    desk.clock.advance(timedelta(minutes=10))
    responded = desk.clock.now()
    desk.topdesk.respond(incident, operator="Jan Smit")
    desk.clock.advance(timedelta(minutes=5))
    written = desk.clock.now()
    desk.topdesk.add_action(incident, "We vervangen je toetsenbord vanmiddag.", operator="Jan Smit")
    desk.topdesk.add_action(incident, "Onderdeel besteld bij de groothandel", operator="Jan Smit", visible=False)
    desk.clock.advance(timedelta(minutes=7))  # the next poll comes later: TOPdesk's moments count

    assert await desk.poll() == 1
    to_employee = desk.harness.replies_to_employee()
    assert any("Jan Smit heeft je melding" in text for text in to_employee)
    assert any("Bericht van Jan Smit" in text and "We vervangen je toetsenbord vanmiddag." in text for text in to_employee)
    assert not any("groothandel" in text for text in to_employee)  # an internal note stays in TOPdesk
    t = await ticket(desk.harness, ticket_id)
    assert (t.status, t.owner_name, t.first_response_at) == ("opgepakt", "Jan Smit", responded)
    events = await servicedesk.events(desk.harness, ticket_id)
    assert [(e.kind, e.at) for e in events[1:]] == [(ev.ACKNOWLEDGED, responded), (ev.AGENT_UPDATE, written)]
    card = [c for c in desk.harness.connector.to("19:servicedesk") if c.method == "PUT"][-1]
    assert "We vervangen je toetsenbord vanmiddag." in card.card_text()

    # Read again: nothing is news twice.
    before = len(desk.harness.connector.calls)
    desk.clock.advance(timedelta(minutes=1))
    assert await desk.poll() == 0
    assert len(desk.harness.connector.calls) == before
    assert len(await servicedesk.events(desk.harness, ticket_id)) == len(events)


async def test_priority_waiting_and_completion_in_topdesk_follow_the_cards_path(desk):
    ticket_id, incident = await linked_ticket(desk)
    desk.topdesk.respond(incident, operator="Fatima el Amrani")
    desk.clock.advance(timedelta(minutes=20))
    desk.topdesk.set_priority(incident, "P1 Kritiek")
    await desk.poll()
    assert any("van P3 (normaal) naar P1 (kritiek)" in text for text in desk.harness.replies_to_employee())
    regie = [c.card_text() for c in desk.harness.connector.to("19:regie") if c.cards]
    assert len(regie) == 1 and "Prioriteit verhoogd naar P1" in regie[0]  # regie hears of it as from a card

    desk.clock.advance(timedelta(minutes=5))
    desk.topdesk.set_status(incident, "Wacht op leverancier")
    await desk.poll()
    assert (await ticket(desk.harness, ticket_id)).status == "wacht_op_derde"
    desk.clock.advance(timedelta(minutes=30))
    desk.topdesk.set_status(incident, "In behandeling")
    await desk.poll()
    assert (await ticket(desk.harness, ticket_id)).status == "opgepakt"
    desk.clock.advance(timedelta(minutes=10))
    desk.topdesk.add_action(incident, "Nieuwe voeding geplaatst, laptop start weer.", operator="Fatima el Amrani")
    completed = desk.clock.now()
    desk.topdesk.complete(incident)
    await desk.poll()

    t = await ticket(desk.harness, ticket_id)
    assert (t.status, t.resolved_at) == ("opgelost", completed)
    kinds = [e.kind for e in await servicedesk.events(desk.harness, ticket_id)]
    assert kinds[1:] == [ev.ACKNOWLEDGED, ev.PRIORITY_CHANGED, ev.PAUSED, ev.RESUMED, ev.AGENT_UPDATE, ev.RESOLVED]
    assert any("is opgelost: Nieuwe voeding geplaatst" in text for text in desk.harness.replies_to_employee())

    desk.clock.advance(timedelta(days=1))
    desk.topdesk.close(incident)
    await desk.poll()
    assert (await ticket(desk.harness, ticket_id)).status == "gesloten"


async def test_a_hand_over_to_a_second_line_group_in_topdesk_is_a_hand_over_on_the_card(desk):
    ticket_id, incident = await linked_ticket(desk)
    desk.topdesk.respond(incident, operator="Jan Smit")
    await desk.poll()
    desk.clock.advance(timedelta(hours=1))
    desk.topdesk.assign(incident, group="Werkplekbeheer")
    await desk.poll()
    t = await ticket(desk.harness, ticket_id)
    assert t.owner_name == "Werkplekbeheer (2e lijn)"
    assert any("overgedragen aan Werkplekbeheer (2e lijn)" in text for text in desk.harness.replies_to_employee())
    handed = (await servicedesk.events(desk.harness, ticket_id))[-1]
    assert handed.kind == ev.HANDED_OVER and handed.data["to_name"] == "Werkplekbeheer (2e lijn)"


async def test_an_answer_in_topdesk_to_an_untouched_ticket_is_the_first_reaction(desk):
    ticket_id, incident = await linked_ticket(desk, reporter=acts.EMPLOYEE)
    desk.clock.advance(timedelta(minutes=12))
    desk.topdesk.add_action(incident, "Kun je de laptop even herstarten?", operator="Jan Smit")
    await desk.poll()
    t = await ticket(desk.harness, ticket_id)
    assert t.status == "opgepakt" and t.first_response_at == desk.clock.now()
    assert any("Jan Smit heeft je melding" in text and "Kun je de laptop even herstarten?" in text for text in desk.harness.replies_to_employee())
