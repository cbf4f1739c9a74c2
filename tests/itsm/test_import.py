"""Incidents registered in TOPdesk by phone, e-mail or portal become tickets with their history and
their channel, so the weekly figures cover every channel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

import app as app_module
from sla import events as ev
from sla.clock import FixedClock
from storage.models import Ticket
from storage.reporting import report_with_previous, week_period
from tests.delivery.desk import local
from tests.itsm.desk import start_itsm_desk, stop_itsm_desk
from tests.servicedesk import desk as servicedesk
from tests.servicedesk.desk import click, new_ticket
from tests.support.cards import assert_valid_card, table_rows


@pytest.fixture
async def desk(database_url):
    d = await start_itsm_desk(database_url, clock=FixedClock(local(2026, 9, 29, 9, 0)))  # Tuesday, week 40
    await d.harness.link_channels()
    await d.harness.say("help")
    yield d
    await stop_itsm_desk(d)


async def week_40(desk) -> dict:
    app = desk.harness.app
    async with app[app_module.DATABASE].sessions() as session:
        payload = await report_with_previous(
            session, policy=app[app_module.POLICY], period=week_period("2026-W40", app[app_module.POLICY]), now=desk.clock.now()
        )
    return {p["priority"]: p for p in payload["report"]["priorities"]} | {"channels": payload["report"]["channels"]}


async def test_phone_incidents_imported_with_their_history_change_the_weekly_figures(desk):
    teams = await new_ticket(desk.harness, priority="P3", description="Printer doet het niet")
    desk.clock.set(local(2026, 9, 29, 9, 30))
    await click(desk.harness, "oppakken", teams, notitie="Ik kijk ernaar.")
    await desk.settle()
    before = await week_40(desk)
    assert (before["P2"]["reported"], before["P3"]["reported"], before["P4"]["reported"]) == (0, 1, 0)

    # Meanwhile the supplier's servicedesk takes calls and mails in TOPdesk.
    td = desk.topdesk
    late = td.register(entry_type="Telefonisch", caller="Henk de Boer", phone="0612345678", priority="P2 Hoog",
                       brief="Afdeling kan niet printen", at=local(2026, 9, 29, 10, 0))
    td.respond(late["id"], operator="Jan Smit", at=local(2026, 9, 29, 11, 30))  # P2: 1 working hour, due 11:00
    td.add_action(late["id"], "Printerserver herstart, printen werkt weer.", operator="Jan Smit", at=local(2026, 9, 29, 11, 31))
    td.complete(late["id"], at=local(2026, 9, 29, 12, 0))
    open_call = td.register(entry_type="Telefonisch", caller="Anouk Visser", brief="Laptop traag", at=local(2026, 9, 29, 10, 30))
    td.respond(open_call["id"], operator="Fatima el Amrani", at=local(2026, 9, 29, 10, 45))
    td.register(entry_type="E-mail", caller="Piet Bakker", priority="P4 Laag", brief="Vraag over licenties", at=local(2026, 9, 29, 11, 0))
    td.register(entry_type="Chat", caller="Iemand Anders", brief="Niet in de mapping", at=local(2026, 9, 29, 11, 5))

    desk.clock.set(local(2026, 9, 29, 13, 0))
    assert await desk.poll() == 3

    after = await week_40(desk)
    assert (after["P2"]["reported"], after["P3"]["reported"], after["P4"]["reported"]) == (1, 2, 1)
    assert after["P2"]["first_response"] == before["P2"]["first_response"] | {"counted": 1, "within": 0, "share_percent": 0.0, "met": False}
    assert after["P2"]["resolution"]["counted"] == 1
    assert after["channels"] == {"e-mail": 1, "teams": 1, "telefoon": 2}

    # The history is TOPdesk's, moment by moment, and the channel is the report's.
    imported = await ticket_for(desk, late["number"])
    assert (imported.channel, imported.reporter_id, imported.reporter_name, imported.phone) == ("telefoon", "", "Henk de Boer", "0612345678")
    events = await servicedesk.events(desk.harness, imported.id)
    assert [(e.kind, e.at) for e in events] == [
        (ev.REPORTED, local(2026, 9, 29, 10, 0)), (ev.ACKNOWLEDGED, local(2026, 9, 29, 11, 30)),
        (ev.AGENT_UPDATE, local(2026, 9, 29, 11, 31)), (ev.RESOLVED, local(2026, 9, 29, 12, 0)),
    ]
    assert events[0].data["channel"] == "telefoon"
    # The servicedesk sees phone tickets too; nobody is messaged who is not in Teams.
    card = [c for c in desk.harness.connector.to("19:servicedesk") if c.cards and f"Nummer bij leverancier:  | {late['number']}" in c.card_text()][-1]
    assert "Gemeld via:  | telefoon" in card.card_text()
    assert {c.conversation_id for c in desk.harness.connector.calls if c.conversation_id.startswith("a:")} == {
        "a:personal-aaaaaaaa-0000-0000-0000-000000000001"
    }

    # The overleg's weekly card counts every channel, and says so.
    desk.clock.set(local(2026, 10, 5, 8, 30))
    assert await desk.harness.app[app_module.JOBS].weekly_summary() is True
    (posted,) = [c for c in desk.harness.connector.to("19:overleg") if c.cards]
    assert_valid_card(posted.cards[0])
    facts = {f["title"]: f["value"] for block in posted.cards[0]["body"] if block["type"] == "FactSet" for f in block["facts"]}
    assert facts["Gemeld per kanaal"] == "Teams 1, e-mail 1, telefoon 2"
    assert facts["P2"] == "1 gemeld, 1 opgelost"
    rows = table_rows(posted.cards[0])
    assert rows["P2 reactie"] == ["0% (0/1)", "n.v.t.", "✗ (norm 95%)"]
    assert facts["P3"].startswith("2 gemeld")


async def test_an_incident_from_another_channel_is_imported_once_however_often_it_is_read(desk):
    call = desk.topdesk.register(entry_type="Self Service Desk", caller="Sara Jansen", brief="Wachtwoord verlopen")
    desk.clock.advance(timedelta(minutes=5))
    assert await desk.poll() == 1
    desk.clock.advance(timedelta(minutes=5))
    desk.topdesk.respond(call["id"], operator="Jan Smit")
    assert await desk.poll() == 1
    assert await desk.poll() == 0
    imported = await ticket_for(desk, call["number"])
    assert imported.channel == "portaal" and imported.status == "opgepakt"
    assert len(await servicedesk.events(desk.harness, imported.id)) == 2


async def ticket_for(desk, number: str):
    async with desk.harness.app[app_module.DATABASE].sessions() as session:
        return (await session.execute(select(Ticket).where(Ticket.external_number == number))).scalar_one()
