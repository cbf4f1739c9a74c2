"""The whole core loop through HTTP, as Teams would drive it, on SQLite and PostgreSQL.

An employee reports an incident and answers the three P1-uplift questions with "ja"; the ticket
is a P1-uplift; regie hears of it at once and the servicedesk gets a card; an agent picks it up
from the card and the card changes for everyone; a non-agent's click changes nothing; thirty
minutes later the reporter gets a status update; on Monday the overleg gets the weekly summary.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

import app as app_module
from storage.models import Ticket, TicketEventRow
from tests.support import activities as acts
from tests.support.cards import assert_valid_card
from tests.support.harness import start_harness, stop_harness, harness_settings


@pytest.fixture
async def harness(database_url):
    h = await start_harness(harness_settings(database_url))
    yield h
    await stop_harness(h)


async def _ticket(harness) -> Ticket:
    async with harness.app[app_module.DATABASE].sessions() as session:
        return (await session.execute(select(Ticket))).scalar_one()


async def test_report_uplift_acknowledge_update_and_weekly_summary(harness):
    await harness.link_channels()
    harness.connector.clear()

    # The employee describes the problem in one go and answers the uplift questions.
    assert await harness.say("mijn laptop start niet op en ik moet om 10 uur lesgeven") == 200
    await harness.say("1")  # category: laptop
    await harness.say(None, value={"vraag": "scope", "antwoord": "alleen_ik"})  # who: a button click
    await harness.say("met een omweg")  # can you work
    asked = harness.connector.to("a:personal-")[-1]
    assert "kritieke rol" in asked.card_text()
    assert_valid_card(asked.cards[0])
    await harness.say(None, value={"vraag": "uplift_role", "antwoord": "ja"})  # a button click
    await harness.say("Ja!")  # typed
    await harness.say("jazeker")
    await harness.say("om 10:00 lesgeven aan groep 8")
    await harness.say("06 12345678")
    await harness.say("ja")  # the summary: "Klopt dit?"

    confirmation = harness.replies_to_employee()[-1]
    assert "P1-uplift (één medewerker)" in confirmation
    assert "uiterlijk vandaag om 08:15" in confirmation  # 15 minutes, clock hours
    assert "belt je op" in confirmation

    ticket = await _ticket(harness)
    assert (ticket.priority, ticket.uplift, ticket.phone) == ("P1", True, "0612345678")
    assert ticket.uplift_motivation == "om 10:00 lesgeven aan groep 8"
    assert ticket.description == "mijn laptop start niet op en ik moet om 10 uur lesgeven"

    # Regie is told at once; the servicedesk gets a card with an "Oppakken" button.
    regie = harness.connector.to("19:regie")
    assert len(regie) == 1 and "P1-uplift" in regie[0].card_text()
    assert_valid_card(regie[0].cards[0])
    posted = harness.connector.to("19:servicedesk")
    assert len(posted) == 1 and posted[0].method == "POST"
    assert "Oppakken" in posted[0].card_text()
    assert_valid_card(posted[0].cards[0])

    # An agent picks it up from the card, with a first note for the reporter.
    harness.clock.advance(timedelta(minutes=2))
    status, body = await harness.execute(
        "oppakken", {"ticket": ticket.id, "versie": ticket.version, "notitie": "Ik bel je nu."}
    )
    assert status == 200
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert_valid_card(body["value"])
    assert "Opgepakt" in str(body["value"]) and "08:02" in str(body["value"])
    updates = [c for c in harness.connector.to("19:servicedesk") if c.method == "PUT"]
    assert len(updates) == 1 and updates[0].activity_id == posted[0].body.get("id", updates[0].activity_id)
    assert "door Karim Bouali vandaag om 08:02" in updates[0].card_text()
    assert "Oppakken" not in updates[0].card_text()
    acknowledged = await _ticket(harness)
    assert acknowledged.first_response_at == harness.clock.now()
    assert acknowledged.owner_name == "Karim Bouali"
    assert any("Karim Bouali heeft je melding" in t and "Ik bel je nu." in t for t in harness.replies_to_employee())

    # Someone who is not a servicedesk agent clicks: refused, nothing changes.
    status, body = await harness.execute("oppakken", {"ticket": ticket.id, "versie": acknowledged.version}, user=acts.STRANGER)
    assert status == 200
    assert "Alleen medewerkers van de servicedesk" in body["value"]
    unchanged = await _ticket(harness)
    assert (unchanged.version, unchanged.owner_name) == (acknowledged.version, "Karim Bouali")

    # Thirty minutes after the report, the scheduler's sweep sends the reporter a status update.
    before = len(harness.replies_to_employee())
    harness.clock.advance(timedelta(minutes=28))
    assert await harness.app[app_module.JOBS].status_sweep() == 1
    updates_to_employee = harness.replies_to_employee()[before:]
    assert len(updates_to_employee) == 1 and "Stand van je melding" in updates_to_employee[0]
    assert await harness.app[app_module.JOBS].status_sweep() == 0  # not twice

    # On Monday morning the overleg channel gets last week's summary, once.
    harness.clock.set(harness.clock.now() + timedelta(days=6))
    assert await harness.app[app_module.JOBS].weekly_summary() is True
    assert await harness.app[app_module.JOBS].weekly_summary() is False
    overleg = harness.connector.to("19:overleg")
    assert len(overleg) == 1 and "SLA-overzicht week 18 (27 april t/m 3 mei)" in overleg[0].card_text()
    assert_valid_card(overleg[0].cards[0])


async def _row_counts(harness) -> dict[str, int]:
    """Rows per table, leaving out the record of which activity ids were already handled."""
    from storage.models import Base

    counts = {}
    async with harness.app[app_module.DATABASE].sessions() as session:
        for table in Base.metadata.sorted_tables:
            if table.name == "processed_activities":
                continue
            counts[table.name] = (await session.execute(select(func.count()).select_from(table))).scalar_one()
        counts["events"] = (await session.execute(select(func.count(TicketEventRow.id)))).scalar_one()
    return counts


async def test_malformed_activities_get_400_and_change_nothing(harness):
    await harness.say("hallo")
    before = await _row_counts(harness)
    for bad in (b"not json", b"[]", b'{"type": "message"}', b'{"type": 5, "serviceUrl": "x", "conversation": {}, "from": {}}'):
        response = await harness.client.post("/api/messages", data=bad, headers={"Content-Type": "application/json"})
        assert response.status == 400
    assert await _row_counts(harness) == before


async def test_unknown_command_gets_a_helpful_dutch_answer_and_changes_nothing(harness):
    await harness.say("hallo")
    before = await _row_counts(harness)
    assert await harness.say("xyzzy") == 200
    answer = harness.replies_to_employee()[-1]
    assert "ken ik niet" in answer and "nieuwe melding" in answer
    assert await harness.in_channel("doe iets raars", user=acts.ADMIN) == 200
    assert "koppel dit kanaal als servicedesk" in harness.connector.to("19:servicedesk-kanaal")[-1].text
    assert await _row_counts(harness) == before


async def test_a_restart_in_the_middle_of_the_intake_continues_the_dialog(sqlite_database_url):
    settings = harness_settings(sqlite_database_url)
    first = await start_harness(settings)
    await first.link_channels()
    await first.say("de printer op de tweede verdieping geeft een papierstoring")
    await first.say("printer")
    await first.say("alleen ik")
    await first.say("met een omweg")
    await first.say("ja")
    clock = first.clock
    await stop_harness(first)

    second = await start_harness(settings, clock=clock)
    try:
        await second.say("nee")  # the second uplift question, asked before the restart
        await second.say("klopt")  # the summary card
        confirmation = second.replies_to_employee()[-1]
        assert "P3 (normaal)" in confirmation
        async with second.app[app_module.DATABASE].sessions() as session:
            ticket = (await session.execute(select(Ticket))).scalar_one()
        assert ticket.description == "de printer op de tweede verdieping geeft een papierstoring"
        assert ticket.priority == "P3"
    finally:
        await stop_harness(second)


async def test_channel_link_by_a_non_admin_is_refused(harness):
    assert await harness.in_channel("koppel dit kanaal als regie", user=acts.AGENT) == 200
    assert "Alleen beheerders" in harness.connector.to("19:servicedesk-kanaal")[-1].text
    counts = await _row_counts(harness)
    assert counts["conversation_refs"] == 0
