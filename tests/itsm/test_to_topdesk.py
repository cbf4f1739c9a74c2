"""What agents do on the Teams cards is written to TOPdesk; which side wins for a field is the one
that changed it last, and a card's change is never undone by an older value read back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sla import events as ev
from storage import outbox
from tests.itsm.desk import start_itsm_desk, stop_itsm_desk
from tests.servicedesk import desk as servicedesk
from tests.servicedesk.desk import click, new_ticket, ticket
from tests.support.fake_topdesk import API_OPERATOR, stamp


@pytest.fixture
async def desk(database_url):
    d = await start_itsm_desk(database_url)
    await d.harness.link_channels()
    await d.harness.say("help")
    yield d
    await stop_itsm_desk(d)


async def linked_ticket(desk) -> tuple[int, dict]:
    ticket_id = await new_ticket(desk.harness, description="Outlook synchroniseert niet")
    await desk.drain()
    (incident,) = desk.topdesk.by_external(f"M-{ticket_id}")
    return ticket_id, incident


async def test_card_actions_reach_topdesk_and_are_not_read_back_as_news(desk):
    ticket_id, incident = await linked_ticket(desk)
    desk.clock.advance(timedelta(minutes=6))
    picked_up = desk.clock.now()
    await click(desk.harness, "oppakken", ticket_id, notitie="Ik bel je zo.")
    await desk.settle()
    assert incident["responded"] is True and incident["responseDate"] == stamp(picked_up)

    desk.clock.advance(timedelta(minutes=10))
    await click(desk.harness, "update", ticket_id, update_tekst="We zetten je profiel opnieuw op.")
    await click(desk.harness, "prioriteit", ticket_id, prioriteit="P2", prioriteit_reden="Het hele team heeft er last van")
    await click(desk.harness, "wacht", ticket_id, wacht_partij="Microsoft", wacht_reden="storing bij Exchange Online")
    await desk.settle()
    assert desk.topdesk.name_of(incident["priority"]) == "P2 Hoog"
    assert desk.topdesk.name_of(incident["impact"]) == "Afdeling"
    assert desk.topdesk.name_of(incident["processingStatus"]) == "Wacht op leverancier"
    actions = [(a["plainText"], a["invisibleForCaller"]) for a in desk.topdesk.actions_of(incident["id"])]
    assert actions == [
        ("Opgepakt in Teams door Karim Bouali. Bericht aan de melder: Ik bel je zo.", False),
        ("Bericht aan de melder via Teams, van Karim Bouali: We zetten je profiel opnieuw op.", False),
        ("Prioriteit in Teams gewijzigd van P3 naar P2 door Karim Bouali. Reden: Het hele team heeft er last van", True),
        ("Wacht op Microsoft, vastgelegd in Teams door Karim Bouali: storing bij Exchange Online", True),
    ]
    assert all(a["operator"] == API_OPERATOR for a in desk.topdesk.actions_of(incident["id"]))

    desk.clock.advance(timedelta(hours=1))
    await click(desk.harness, "hervat", ticket_id)
    await desk.settle()
    assert desk.topdesk.name_of(incident["processingStatus"]) == "In behandeling"
    resolved = desk.clock.now()
    await click(desk.harness, "opgelost", ticket_id, oplossing="Profiel opnieuw aangemaakt")
    await desk.settle()
    assert incident["completed"] is True and incident["completedDate"] == stamp(resolved)

    # TOPdesk now shows all of it; reading it back is no news for the employee or the log.
    events_before = len(await servicedesk.events(desk.harness, ticket_id))
    sent_before = len(desk.harness.replies_to_employee())
    desk.clock.advance(timedelta(minutes=1))
    assert await desk.poll() == 0
    assert len(await servicedesk.events(desk.harness, ticket_id)) == events_before
    assert len(desk.harness.replies_to_employee()) == sent_before


async def test_a_card_change_not_yet_written_is_not_undone_by_the_older_value_in_topdesk(desk):
    ticket_id, incident = await linked_ticket(desk)
    await click(desk.harness, "oppakken", ticket_id)
    await desk.settle()
    desk.topdesk.fail_next = [(503, {"Retry-After": "60"})]  # the write of the priority fails once
    await click(desk.harness, "prioriteit", ticket_id, prioriteit="P2", prioriteit_reden="Meer mensen hebben last")
    await desk.settle()
    assert desk.topdesk.name_of(incident["priority"]) == "P3 Normaal"

    desk.topdesk.add_action(incident["id"], "Ik kijk mee.", operator="Jan Smit")  # TOPdesk moves on
    desk.clock.advance(timedelta(seconds=30))
    await desk.poll()
    assert (await ticket(desk.harness, ticket_id)).priority == "P2"  # P3 read back is older news

    desk.clock.advance(timedelta(minutes=1))
    await desk.drain()
    assert desk.topdesk.name_of(incident["priority"]) == "P2 Hoog"


async def test_when_both_sides_change_the_priority_the_later_change_wins_on_both(desk):
    ticket_id, incident = await linked_ticket(desk)
    await click(desk.harness, "oppakken", ticket_id)
    await desk.settle()
    desk.topdesk.fail_next = [(503, {})]
    await click(desk.harness, "prioriteit", ticket_id, prioriteit="P2", prioriteit_reden="Meer mensen hebben last")
    await desk.settle()
    desk.clock.advance(timedelta(minutes=2))
    desk.topdesk.set_priority(incident["id"], "P1 Kritiek")  # later, in TOPdesk

    await desk.poll()
    assert (await ticket(desk.harness, ticket_id)).priority == "P1"
    changes = [e for e in await servicedesk.events(desk.harness, ticket_id) if e.kind == ev.PRIORITY_CHANGED]
    assert [(e.data["from"], e.data["to"]) for e in changes] == [("P3", "P2"), ("P2", "P1")]
    desk.clock.advance(timedelta(minutes=1))
    await desk.drain()  # the card's change goes out, written as the ticket is now
    assert desk.topdesk.name_of(incident["priority"]) == "P1 Kritiek"
    assert [m.status for m in await desk.outbox(target_kind=outbox.ITSM)] == ["sent"] * 3  # create, pick-up, priority
