"""Known outages, "mijn meldingen", "status", adding information and photos, through TestAdapter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sla import events as ev
from sla.priority import IntakeAnswers, decide_priority
from storage import tickets
from storage.models import OutboxMessage, Ticket, TicketAttachment, TicketEventRow, TicketFollower
from tests.dialogs.chat import JOOST, SANNE, Chat

PHOTO = {"contentType": "image/png", "contentUrl": "https://smba.trafficmanager.net/emea/v3/attachments/0-weu-d1-abc/views/original", "name": "scherm.png"}
TEAMS_FILE = {
    "contentType": "application/vnd.microsoft.teams.file.download.info",
    "contentUrl": "https://halt.sharepoint.com/personal/sanne/Documents/foutmelding.jpg",
    "name": "foutmelding.jpg",
    "content": {"downloadUrl": "https://halt.sharepoint.com/download?token=kort", "uniqueId": "1", "fileType": "jpg"},
}
HTML_COPY = {"contentType": "text/html", "content": "<p>hier</p>"}


async def seed_ticket(services, *, person=JOOST, category="m365", scope="meerdere_teams", description="Outlook start niet op, op alle locaties") -> Ticket:
    decision = decide_priority(IntakeAnswers(category=category, scope=scope))
    async with services.database.sessions.begin() as session:
        return await tickets.create_ticket(
            session, policy=services.policy, now=services.clock.now(), reporter_id=person.object_id,
            reporter_name=person.name, category=category, scope=scope, description=description, decision=decision,
        )


async def confirm_title(services, ticket: Ticket, title: str = "Storing Outlook") -> None:
    """The servicedesk sets the outage's public title on its card (as bot.card_actions does)."""
    async with services.database.sessions.begin() as session:
        result = await tickets.set_public_title(
            session, policy=services.policy, now=services.clock.now(), ticket_id=ticket.id, agent_id="agent-1",
            agent_name="Karim Bouali", title=title, seen_version=None,
        )
    assert result.outcome is tickets.Outcome.DONE


async def rows(services, model, *where):
    async with services.database.sessions() as session:
        return list((await session.execute(select(model).where(*where))).scalars())


@pytest.mark.transcript("Bekende storing: koppelen in plaats van een nieuwe melding")
async def test_known_outage_linking(chat: Chat, services, clock):
    outage = await seed_ticket(services)
    await confirm_title(services, outage)
    clock.advance(timedelta(minutes=20))
    await chat.say("mijn outlook doet helemaal niks")
    offered = await chat.say("outlook")
    assert "Er is al een storing bekend bij Microsoft 365: **Storing Outlook**, sinds vandaag om 08:00." in offered
    assert "koppel ik je aan die melding" in offered
    assert "Outlook start niet op" not in offered  # the reporter's own words stay theirs
    linked = await chat.tap("ja")
    assert "Je bent gekoppeld aan **M-1**. Je krijgt de updates van die storing." in linked
    assert "De volgende update komt uiterlijk vandaag om 10:00." in linked
    assert [t.id for t in await rows(services, Ticket)] == [outage.id]  # no new ticket
    [follower] = await rows(services, TicketFollower)
    assert (follower.ticket_id, follower.user_id, follower.description) == (outage.id, SANNE.object_id, "mijn outlook doet helemaal niks")
    listed = await chat.say("mijn meldingen")
    assert "Storingen die je volgt:" in listed and "**M-1** (Storing Outlook): nieuw, nog niet opgepakt" in listed
    assert "Outlook start niet op" not in listed  # the colleague's words are not theirs to read
    assert "Stand van je melding **M-1**" in await chat.say("status M-1")  # a follower may ask
    # Reporting it again: already linked, still no new ticket.
    await chat.say("outlook werkt nog steeds niet")
    await chat.say("3")
    assert "Je volgde **M-1** al." in await chat.say("ja")
    assert len(await rows(services, Ticket)) == 1


@pytest.mark.transcript("Bekende storing, maar het is iets anders")
async def test_known_outage_declined(chat: Chat, services):
    await confirm_title(services, await seed_ticket(services))
    await chat.say("mijn agenda in outlook laat geen afspraken zien")
    await chat.say("3")
    asked = await chat.say("nee")
    assert "Oké, dan maak ik een nieuwe melding." in asked and "Wie heeft er last van?" in asked
    await chat.say("alleen ik")
    await chat.say("gewoon")
    await chat.say("ja")
    assert len(await rows(services, Ticket)) == 2
    assert await rows(services, TicketFollower) == []


async def test_p3_or_own_tickets_are_no_known_outage(chat: Chat, services):
    await confirm_title(services, await seed_ticket(services, scope="alleen_ik"))  # P3, one person: not an outage others follow
    await chat.say("outlook blijft hangen")
    assert "Wie heeft er last van?" in await chat.say("outlook")


async def test_an_outage_without_a_confirmed_title_is_offered_to_nobody(chat: Chat, services):
    outage = await seed_ticket(services)
    await chat.say("outlook blijft hangen")
    assert "Wie heeft er last van?" in await chat.say("outlook")  # no title yet: not offered
    await chat.say("stop")
    await confirm_title(services, outage)
    await chat.say("outlook blijft nog steeds hangen")
    assert "**Storing Outlook**" in await chat.say("outlook")


async def test_an_employee_is_never_offered_their_own_outage(chat: Chat, services):
    await confirm_title(services, await seed_ticket(services, person=SANNE))
    await chat.say("outlook doet het nog steeds niet")
    asked = await chat.say("outlook")
    assert "storing bekend" not in asked and "Wie heeft er last van?" in asked


@pytest.mark.transcript("Mijn meldingen")
async def test_my_tickets(chat: Chat, services, clock):
    assert "Je hebt geen open meldingen." in await chat.say("mijn meldingen")
    first = await seed_ticket(services, person=SANNE, category="laptop", scope="alleen_ik", description="laptop start niet")
    await seed_ticket(services, person=SANNE, category="printer", scope="meerdere_teams", description="printers kapot")
    await seed_ticket(services, person=JOOST, category="printer", scope="alleen_ik", description="van Joost")
    clock.advance(timedelta(minutes=30))
    async with services.database.sessions.begin() as session:
        await tickets.acknowledge(
            session, policy=services.policy, now=clock.now(), ticket_id=first.id, agent_id="agent-1",
            agent_name="Karim Bouali", note="Ik kom even langs.", seen_version=None,
        )
    listed = await chat.say("mijn meldingen")
    assert "Je open meldingen:" in listed
    # Each with the employee's own words, so two tickets can be told apart.
    assert "**M-1** (laptop start niet): opgepakt, bij Karim Bouali, volgende stap uiterlijk donderdag 30 april om 12:00" in listed
    assert "**M-2** (printers kapot): nieuw, nog niet opgepakt, volgende stap uiterlijk vandaag om 09:00" in listed
    assert "M-3" not in listed  # Joost's


@pytest.mark.transcript("Status van één melding")
async def test_status(chat: Chat, services, clock):
    await seed_ticket(services, person=SANNE, category="laptop", scope="alleen_ik", description="laptop start niet")
    await seed_ticket(services, person=JOOST, category="laptop", scope="alleen_ik", description="van Joost")
    read = await chat.say("status M-1")
    assert "Stand van je melding **M-1**: nog niet opgepakt. De servicedesk pakt hem zo snel mogelijk op." in read
    assert "Er is nog geen nieuws." in read and "Je volgende update krijg je uiterlijk vandaag om 18:00." in read
    clock.advance(timedelta(minutes=45))
    async with services.database.sessions.begin() as session:
        await tickets.acknowledge(
            session, policy=services.policy, now=clock.now(), ticket_id=1, agent_id="agent-1",
            agent_name="Karim Bouali", note="Ik bel je om 09:00.", seen_version=None,
        )
    read = await chat.say("Status m1")
    assert "opgepakt" in read and "Karim Bouali werkt eraan." in read
    assert "Laatste bericht van de servicedesk: Ik bel je om 09:00." in read
    assert "Ik vind geen melding M-2 van jou." in await chat.say("status 2")  # Joost's ticket
    assert "Ik vind geen melding M-99 van jou." in await chat.say("status M-99")


@pytest.mark.transcript("Iets toevoegen aan een open melding")
async def test_adding_information(chat: Chat, services):
    ticket = await seed_ticket(services, person=SANNE, category="laptop", scope="alleen_ik", description="laptop start niet")
    added = await chat.say("aanvulling M-1: het lampje knippert oranje")
    assert "Ik heb je aanvulling bij **M-1** gezet." in added
    events = await rows(services, TicketEventRow, TicketEventRow.kind == ev.INFO_ADDED)
    assert [e.data for e in events] == [{"text": "het lampje knippert oranje", "attachments": 0}]
    updates = await rows(services, OutboxMessage, OutboxMessage.op == "update_card")
    assert [(u.target_key, u.payload["kind"], u.ticket_id) for u in updates] == [("servicedesk", "ticket_card", ticket.id)]
    [after] = await rows(services, Ticket)
    assert after.version == ticket.version + 1
    # The flow: "aanvulling" without a number asks what to add (one open ticket: no need to ask which).
    asked = await chat.say("aanvulling")
    assert "Wat wil je toevoegen aan **M-1**?" in asked
    assert "Ik heb je foto bij **M-1** gezet." in await chat.say(None, attachments=[PHOTO, HTML_COPY], shown="(stuurt een foto)")
    [photo] = await rows(services, TicketAttachment)
    assert (photo.name, photo.content_type, photo.content_url) == ("scherm.png", "image/png", PHOTO["contentUrl"])
    # Someone else's ticket or a closed one: nothing is added.
    await seed_ticket(services, person=JOOST, category="laptop", scope="alleen_ik", description="van Joost")
    assert "Ik vind geen melding M-2 van jou." in await chat.say("aanvulling M-2: dit is van mij")
    assert len(await rows(services, TicketEventRow, TicketEventRow.kind == ev.INFO_ADDED)) == 2


@pytest.mark.transcript("Aanvulling kiezen uit meerdere meldingen")
async def test_adding_information_asks_which_ticket(chat: Chat, services):
    await seed_ticket(services, person=SANNE, category="laptop", scope="alleen_ik", description="laptop start niet")
    await seed_ticket(services, person=SANNE, category="printer", scope="alleen_ik", description="printer geeft storing")
    asked = await chat.say(None, attachments=[TEAMS_FILE], shown="(stuurt een foto uit OneDrive)")
    assert "Bij welke melding hoort dit?" in asked and "[M-2: printer geeft storing]" in asked
    assert "Ik heb je foto bij **M-2** gezet." in await chat.say("M-2")
    [photo] = await rows(services, TicketAttachment)
    assert photo.ticket_id == 2 and photo.content_url == TEAMS_FILE["contentUrl"]
    assert photo.content_type == "application/vnd.microsoft.teams.file.download.info; fileType=jpg"


@pytest.mark.transcript("Foto tijdens de melding")
async def test_photo_during_intake_is_kept_with_the_ticket(chat: Chat, services):
    asked = await chat.say(None, attachments=[PHOTO], shown="(stuurt een foto)")
    assert "Ik heb je foto. Ik bewaar hem bij je melding. Wat is er aan de hand?" in asked
    await chat.say("foutmelding bij het opstarten van mijn laptop")
    await chat.say("1")
    kept = await chat.say(None, attachments=[TEAMS_FILE], shown="(stuurt nog een foto)")
    assert "Foto ontvangen." in kept and "Wie heeft er last van?" in kept  # not counted as a wrong answer
    await chat.say("alleen ik")
    summary = await chat.say("gewoon")
    assert "Foto's: 2" in summary
    await chat.say("ja")
    photos = await rows(services, TicketAttachment)
    assert [(p.ticket_id, p.name) for p in photos] == [(1, "scherm.png"), (1, "foutmelding.jpg")]
    [reported] = await rows(services, TicketEventRow, TicketEventRow.kind == ev.REPORTED)
    assert reported.data["attachments"] == 2


async def test_feedback_answers_go_to_the_feedback_module(chat: Chat, services, monkeypatch):
    import dialogs.feedback

    seen = []

    async def fake_handle(turn_context, services_):
        seen.append(turn_context.activity.value)
        await turn_context.send_activity("feedback ontvangen")
        return dialogs.feedback.Answered()

    monkeypatch.setattr(dialogs.feedback, "handle", fake_handle)
    await chat.say("mijn laptop start niet op")  # an intake is open
    assert "feedback ontvangen" in await chat.say(None, value={"feedback": "csat", "ticket": 1, "score": 8})
    assert seen == [{"feedback": "csat", "ticket": 1, "score": 8}]
    assert "Wie heeft er last van?" in await chat.say("1")  # the intake was not disturbed
