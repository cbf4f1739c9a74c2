"""An employee who types instead of tapping, through every path of the conversation.

"ja hoor", "jaa", "👍", "nee hoor", "nog niet", "een 8", "acht", "weet ik niet", thanks, greetings
and English, at the intake's questions, around them, and at the closing questions after a
resolution ("Kun je weer verder met je werk?" and the score), whose cards come from the outbox.
Time stands still at Tuesday 28 April 2026, 08:00 (policy ``halt``) unless a test moves it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import cards, feedback_cards
from dialogs import texts
from sla import events as ev
from sla.priority import IntakeAnswers, decide_priority
from storage import reads, tickets
from storage.models import OutboxMessage, Ticket, TicketEventRow
from tests.dialogs.chat import SANNE, Chat, render_card

AGENT_ID, AGENT_NAME = "agent-1", "Karim Bouali"
SOLUTION = "Nieuwe toner geplaatst."


async def stored(services, model, *where):
    async with services.database.sessions() as session:
        return list((await session.execute(select(model).where(*where).order_by(model.id))).scalars())


async def the_ticket(services) -> Ticket:
    [ticket] = await stored(services, Ticket)
    return ticket


async def events_of(services, kind: str) -> list[TicketEventRow]:
    return await stored(services, TicketEventRow, TicketEventRow.kind == kind)


async def reported(services, *, description: str = "de printer op de gang geeft een papierstoring") -> Ticket:
    """Sanne's P3 ticket, as the intake stores it."""
    async with services.database.sessions.begin() as session:
        return await tickets.create_ticket(
            session, policy=services.policy, now=services.clock.now(), reporter_id=SANNE.object_id,
            reporter_name=SANNE.name, category="printer", scope="alleen_ik", description=description,
            decision=decide_priority(IntakeAnswers(category="printer", scope="alleen_ik")),
        )


async def resolved(chat: Chat, services, clock, *, workaround: bool = False) -> Ticket:
    """The servicedesk picks Sanne's ticket up and, an hour later, resolves it (or gives a
    workaround); Sanne receives what the outbox queued for her: the message and the closing cards."""
    ticket = await reported(services)
    async with services.database.sessions.begin() as session:
        await tickets.acknowledge(
            session, policy=services.policy, now=clock.now(), ticket_id=ticket.id, agent_id=AGENT_ID,
            agent_name=AGENT_NAME, note=None, seen_version=None,
        )
    clock.advance(timedelta(hours=1))
    async with services.database.sessions.begin() as session:
        if workaround:
            result = await tickets.record_workaround(
                session, policy=services.policy, now=clock.now(), ticket_id=ticket.id, agent_id=AGENT_ID,
                agent_name=AGENT_NAME, note="Print via de printer op de eerste verdieping.", seen_version=None,
            )
        else:
            result = await tickets.resolve(
                session, policy=services.policy, now=clock.now(), ticket_id=ticket.id, agent_id=AGENT_ID,
                agent_name=AGENT_NAME, solution=SOLUTION, seen_version=None,
            )
    ticket = result.ticket
    queued = [m.payload["kind"] for m in await stored(services, OutboxMessage, OutboxMessage.target_key == SANNE.object_id)]
    change = "workaround" if workaround else "resolved"
    expected = [change, "mttp_question"] + ([] if workaround else ["csat_question"])
    assert queued[-len(expected):] == expected
    if chat.transcript is not None:
        chat.transcript.note(f"{AGENT_NAME} van de servicedesk pakt de melding op en lost hem een uur later op")
    payload = {"kind": change, "solution": SOLUTION, "note": "Print via de printer op de eerste verdieping.", "agent_name": AGENT_NAME}
    chat.receive(text=cards.reporter_text(ticket, payload, now=clock.now(), tz=services.policy.tz))
    chat.receive(card=feedback_cards.mttp_question_card(ticket))
    if not workaround:
        chat.receive(card=feedback_cards.csat_question_card(ticket))
    return ticket


# -- the intake --------------------------------------------------------------------------------


@pytest.mark.transcript("Typen in plaats van tikken: wat al in de beschrijving staat, wordt niet gevraagd")
async def test_typing_a_report_whose_description_says_who_is_affected_and_that_you_cannot_work(chat: Chat, services):
    assert "Hier meld je een IT-storing." in await chat.say("Hoi!")
    asked = await chat.say("mijn hele team kan niet inloggen in de roosterapplicatie, ik kan niet werken")
    assert "Waar gaat het over?" in asked
    summary = await chat.say("acht")  # the eighth choice: Applicatie of programma
    assert "Je schreef al wie er last van heeft: **jouw team**." in summary
    assert "Je schreef al of je kunt werken: **nee, je kunt niet werken**." in summary
    assert "Klopt dat niet? Je kunt het straks in de samenvatting wijzigen." in summary
    assert "Wie heeft er last van?" not in summary and "Kun je nog werken?" not in summary
    assert "Soort: Applicatie" in summary and "Wie last heeft: Jouw team" in summary
    assert "Kun je werken: Nee, je kunt niet werken" in summary and "Prioriteit: P3 (normaal)" in summary
    done = await chat.say("👍")
    assert "Je melding **M-1** is aangemaakt met prioriteit P3 (normaal)." in done
    ticket = await the_ticket(services)
    assert (ticket.category, ticket.scope) == ("applicatie", "mijn_team")
    [report] = await events_of(services, ev.REPORTED)
    assert report.data["intake"] == {"work": "nee"}
    assert texts.THANKS_REPLY in await chat.say("bedankt!")  # thanks: a friendly word, no new report
    assert len(await stored(services, Ticket)) == 1


async def test_what_the_description_gave_can_still_be_changed_on_the_summary(chat: Chat, services):
    await chat.say("mijn hele team heeft er last van: de gedeelde schijf is weg")
    await chat.say("iets anders")
    await chat.say("ja hoor")  # Kun je nog werken?
    await chat.say("wijzigen")
    asked = await chat.say("wie er last van heeft")
    assert "Wie heeft er last van?" in asked  # asked now: the description is not read again
    summary = await chat.say("meerdere teams")
    assert "Wie last heeft: Meerdere teams of locaties" in summary and "Prioriteit: P2 (hoog)" in summary


@pytest.mark.transcript("P1-uplift, getypt: 'ja hoor', 'jaa', 'jep'")
async def test_typed_yes_in_every_form_answers_the_uplift_questions(chat: Chat, services):
    await chat.say("mijn laptop doet niets meer en ik moet om 10 uur lesgeven, alleen bij mij")
    asked = await chat.say("1")
    assert "Je schreef al wie er last van heeft: **alleen jij**." in asked and "Kun je nog werken?" in asked
    assert "kritieke rol" in await chat.say("nee hoor")
    assert "continuïteit" in await chat.say("ja hoor")
    asked = await chat.say("jaa")
    assert "helemaal niet uitvoeren" not in asked  # "nee hoor" to "Kun je nog werken?" answered it
    assert "P1-uplift (één medewerker)" in asked and "Wat moet je nu doen" in asked
    await chat.say("om 10:00 lesgeven aan groep 8")
    await chat.say("06 12345678")
    assert "prioriteit P1-uplift (één medewerker)" in await chat.say("jep")
    ticket = await the_ticket(services)
    assert (ticket.priority, ticket.uplift, ticket.scope) == ("P1", True, "alleen_ik")


@pytest.mark.transcript("'Weet ik niet': eenvoudiger gevraagd, of een keuze die de bot noemt")
async def test_weet_ik_niet_is_asked_again_more_simply_or_becomes_a_default_that_is_said(chat: Chat, services):
    await chat.say("nieuwe melding")
    asked = await chat.say("weet ik niet")
    assert "Geen probleem. Ik vraag het anders." in asked and texts.ASK_DESCRIPTION_SIMPLER in asked
    await chat.say("het scherm van mijn laptop flikkert steeds")
    told = await chat.say("geen idee")
    assert "Geen probleem. Ik ga uit van **Iets anders**. Je kunt het straks in de samenvatting wijzigen." in told
    assert "Wie heeft er last van?" in told
    told = await chat.say("weet ik niet")  # never silently "Alleen ik"
    assert "Ik ga uit van **Alleen ik**." in told and "Kun je nog werken?" in told
    told = await chat.say("I don't know")
    assert "Ik ga uit van **Ja, met een omweg**." in told and "kritieke rol" in told
    asked = await chat.say("weet ik niet")
    assert "Ik vraag het anders." in asked and texts.UPLIFT_ROLE_SIMPLER in asked
    told = await chat.say("weet ik echt niet")
    assert "Ik ga uit van **nee**." in told  # one "nee" ends the uplift questions
    assert "Soort: Iets anders" in told and "Wie last heeft: Alleen jij" in told and "Kun je werken: Ja, met een omweg" in told
    await chat.say("nee")  # Klopt dit? Nee: change something
    await chat.say("de soort")
    assert "kritieke rol" in await chat.say("laptop")  # another kind of problem: the uplift questions again
    summary = await chat.say("nee hoor")
    assert "Soort: Laptop of computer" in summary
    assert "Geen probleem. Kies wat het beste past." in await chat.say("weet ik niet")  # the summary has no default
    assert "aangemaakt" in await chat.say("klopt")
    ticket = await the_ticket(services)
    assert (ticket.category, ticket.scope, ticket.priority) == ("laptop", "alleen_ik", "P3")
    [report] = await events_of(services, ev.REPORTED)
    assert report.data["intake"] == {"work": "omweg", "critical_role": False}


async def test_weet_ik_niet_to_the_phone_number_goes_on_without_one(chat: Chat, services):
    await chat.say("Teams en Outlook werken bij niemand")
    await chat.say("microsoft 365")
    await chat.say("nee")  # Kun je nog werken?
    told = await chat.say("weet ik niet")
    assert texts.PHONE_SKIPPED in told and "Klopt dit?" in told


# -- around the questions ----------------------------------------------------------------------


@pytest.mark.transcript("Groeten, kletsen en bedanken: een vriendelijk antwoord, geen melding")
async def test_greetings_small_talk_and_thanks_get_a_friendly_answer_and_start_no_report(chat: Chat, services):
    assert texts.WELCOME in await chat.say("hallo")
    assert texts.SMALL_TALK in await chat.say("hello, can you help me?")
    assert texts.SMALL_TALK in await chat.say("Hoi, kun je me even helpen?")
    assert texts.THANKS_REPLY in await chat.say("bedankt!")
    assert texts.THANKS_REPLY in await chat.say("thanks")
    assert texts.OK_REPLY in await chat.say("oké")
    for nothing_asked in ("ja hoor", "8", "weet ik niet"):
        assert texts.NOTHING_ASKED in await chat.say(nothing_asked)
    assert await stored(services, Ticket) == []
    asked = await chat.say("hoi, de printer op de tweede verdieping geeft een papierstoring")
    assert "Waar gaat het over?" in asked  # a problem described: the intake starts
    await chat.say("printer")
    await chat.say("alleen ik")
    await chat.say("ja, het is alleen lastig")
    await chat.say("ja")
    assert (await the_ticket(services)).description == "hoi, de printer op de tweede verdieping geeft een papierstoring"


async def test_a_no_that_goes_on_with_a_problem_is_a_description(chat: Chat, services):
    assert "Waar gaat het over?" in await chat.say("nee, mijn laptop laadt niet meer op")


# -- the closing questions ---------------------------------------------------------------------


@pytest.mark.transcript("Opgelost: 'Kun je weer verder?' en het cijfer, getypt")
async def test_closing_questions_are_answered_by_typing(chat: Chat, services, clock):
    ticket = await resolved(chat, services, clock)
    clock.advance(timedelta(minutes=10))
    again = await chat.say("bedankt!")
    assert "Graag gedaan! Kun je weer verder met je werk (M-1)? Typ **ja** of **nog niet**." in again
    assert "Fijn dat je weer verder kunt! Dank je voor het laten weten (M-1)." in await chat.say("ja hoor")
    [productive] = await events_of(services, ev.PRODUCTIVE_AGAIN)
    assert (productive.ticket_id, productive.at, productive.actor_id) == (ticket.id, clock.now(), SANNE.object_id)
    assert "Dank je voor je cijfer: 8." in await chat.say("een 8")
    [score] = await events_of(services, ev.CSAT)
    assert score.data == {"score": 8, "remark": None}
    assert texts.NOTHING_ASKED in await chat.say("ja")  # both answered: nothing is open any more
    assert (await the_ticket(services)).status == "opgelost"


@pytest.mark.parametrize(("yes", "score", "expected"), [("👍", "acht", 8), ("jaa", "8/10", 8), ("yes", "10", 10), ("klopt", "een 7", 7)])
async def test_every_typed_yes_and_score_counts_as_the_button_would(chat: Chat, services, clock, yes, score, expected):
    await resolved(chat, services, clock)
    assert "Fijn dat je weer verder kunt" in await chat.say(yes)
    assert f"Dank je voor je cijfer: {expected}." in await chat.say(score)
    assert len(await events_of(services, ev.PRODUCTIVE_AGAIN)) == 1
    assert [e.data["score"] for e in await events_of(services, ev.CSAT)] == [expected]


async def test_a_score_outside_one_to_ten_or_a_dont_know_is_not_recorded(chat: Chat, services, clock):
    await resolved(chat, services, clock)
    assert texts.MTTP_DONT_KNOW in await chat.say("weet ik niet")  # the newest open question: can you work?
    assert texts.CSAT_PICK_A_SCORE in await chat.say("12")
    await chat.say("ja")
    assert texts.CSAT_NONE in await chat.say("geen idee")
    assert texts.CSAT_ASK.format(label="M-1") in await chat.say("ok")
    assert await events_of(services, ev.CSAT) == []


@pytest.mark.transcript("Opgelost, maar het werkt nog niet: de melding gaat weer open")
async def test_nog_niet_reopens_the_ticket_and_asks_what_still_fails(chat: Chat, services, clock):
    ticket = await resolved(chat, services, clock)
    resolution_due = ticket.resolution_due
    clock.advance(timedelta(minutes=30))
    told = await chat.say("nog niet")
    assert "Jammer dat het nog niet werkt. Je melding **M-1** staat weer open." in told
    assert "Wat werkt er nog niet?" in told
    assert "elder" not in told  # "je", never "Melder kan ..."
    reopened = await the_ticket(services)
    assert (reopened.status, reopened.owner_name, reopened.resolved_at) == ("opgepakt", AGENT_NAME, None)
    # The clocks run on from the report, as policy halt says: the resolution deadline is the original one.
    assert reopened.resolution_due == resolution_due and reopened.next_update_due is not None
    [event] = await events_of(services, ev.REOPENED)
    assert (event.actor_id, event.data["by"], event.data["reason"]) == (SANNE.object_id, "reporter", texts.NOT_YET_FOR_DESK)
    to_sanne = [m.payload["kind"] for m in await stored(services, OutboxMessage, OutboxMessage.target_key == SANNE.object_id)]
    assert "reopened" not in to_sanne  # no message in the third person after the bot's own answer

    added = await chat.say("de printer geeft nog steeds een papierstoring")
    assert "Ik heb je aanvulling bij **M-1** gezet." in added
    [info] = await events_of(services, ev.INFO_ADDED)
    assert info.data["text"] == "de printer geeft nog steeds een papierstoring"
    async with services.database.sessions() as session:
        log = await reads.load_events(session, ticket.id)
    card = render_card(cards.ticket_card(await the_ticket(services), now=clock.now(), policy=services.policy, events=log))
    assert card[1] == "> Heropend door de melder: Sanne de Vries kan nog niet verder met het werk."
    assert "Aanvulling: de printer geeft nog steeds een papierstoring" in "\n".join(card)
    assert texts.NOTHING_ASKED in await chat.say("8")  # the score waits for the next resolution


@pytest.mark.parametrize("not_yet", ["werkt nog steeds niet", "nee hoor", "👎"])
async def test_every_typed_not_yet_reopens_the_ticket(chat: Chat, services, clock, not_yet):
    await resolved(chat, services, clock)
    assert "staat weer open" in await chat.say(not_yet)
    assert (await the_ticket(services)).status == "opgepakt"


async def test_a_not_yet_that_says_what_fails_is_added_without_asking(chat: Chat, services, clock):
    await resolved(chat, services, clock)
    told = await chat.say("nee, de printer piept nog steeds")
    assert "staat weer open" in told and "Ik heb je aanvulling bij **M-1** gezet." in told
    assert "Wat werkt er nog niet?" not in told
    assert [e.data["text"] for e in await events_of(services, ev.INFO_ADDED)] == ["nee, de printer piept nog steeds"]
    assert texts.NOTHING_ASKED in await chat.say("ja")


async def test_tapping_nog_niet_reopens_and_asks_the_same(chat: Chat, services, clock):
    await resolved(chat, services, clock)
    told = await chat.tap("nog_niet")
    assert "staat weer open" in told and "Wat werkt er nog niet?" in told
    assert "Je antwoord voor M-1 had ik al" in await chat.tap("nog_niet")  # the same card again: nothing twice
    assert len(await events_of(services, ev.REOPENED)) == 1


async def test_nog_niet_after_a_workaround_tells_the_servicedesk_and_asks_what_still_fails(chat: Chat, services, clock):
    await resolved(chat, services, clock, workaround=True)
    told = await chat.say("nog niet")
    assert "Ik laat de servicedesk weten dat je nog niet verder kunt (M-1)." in told and "Wat werkt er nog niet?" in told
    assert (await the_ticket(services)).status == "opgepakt"  # still open: nothing to reopen
    [note] = await events_of(services, ev.INFO_ADDED)
    assert note.data == {"text": texts.NOT_YET_FOR_DESK, "can_work": False}
    await chat.say("de printer op de eerste verdieping is ook kapot")
    assert texts.NOTHING_ASKED in await chat.say("nog niet")  # answered already: asked again after the next change


# -- stopping says what was and was not done ---------------------------------------------------


@pytest.mark.transcript("Stoppen tijdens een aanvulling")
async def test_stop_while_adding_information_says_nothing_was_added(chat: Chat, services, clock):
    await reported(services)
    assert "Wat wil je toevoegen aan **M-1**?" in await chat.say("aanvulling")
    stopped = await chat.say("stop")
    assert "Oké, ik ben gestopt. Er is niets toegevoegd aan **M-1**." in stopped
    assert "geen melding gemaakt" not in stopped
    await chat.say("aanvulling")
    clock.advance(timedelta(minutes=121))
    expired = await chat.say("ja")
    assert "Je aanvulling van vandaag om 08:00 was nog niet af." in expired and "Er is niets toegevoegd aan **M-1**." in expired
    assert "geen melding gemaakt" not in expired
    assert await events_of(services, ev.INFO_ADDED) == []


async def test_stop_after_nog_niet_says_the_ticket_is_open_again(chat: Chat, services, clock):
    await resolved(chat, services, clock)
    await chat.say("werkt nog steeds niet")
    stopped = await chat.say("stop")
    assert "Er is niets toegevoegd aan **M-1**. Je melding staat wel weer open." in stopped


async def test_tapping_nog_niet_during_a_report_says_how_to_add_it_later_and_keeps_the_report(chat: Chat, services, clock):
    await resolved(chat, services, clock)
    await chat.say("mijn tweede scherm blijft zwart")  # a new report is open
    told = await chat.tap("nog_niet")
    assert "staat weer open" in told and "Zet het straks bij je melding met **aanvulling M-1: je tekst**." in told
    assert "Waar gaat het over?" in told  # the open question again: the report goes on
    await chat.say("laptop")
    await chat.say("alleen ik")
    await chat.say("ja, het is alleen lastig")
    assert "Je melding **M-2** is aangemaakt" in await chat.say("ja")


async def test_the_score_card_after_a_reopen_says_the_question_is_not_open_now(chat: Chat, services, clock):
    await resolved(chat, services, clock)
    await chat.say("nog niet")
    await chat.say("stop")
    told = await chat.say(None, value={"feedback": "csat", "ticket": 1, "score": 9}, shown="[9]")  # the old card
    assert "Die vraag staat voor melding M-1 nu niet open. Er is niets veranderd." in told
    assert await events_of(services, ev.CSAT) == []
