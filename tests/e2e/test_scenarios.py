"""End to end in Microsoft's own Teams client (the Agents Playground), driven by headless Chromium.

One story, in order, in the real UI, against the bot in local development mode:

1. an admin links the servicedesk channel, the regie channel and the overleg chat;
2. an employee reports a P3 laptop problem in the personal chat, clicking and typing answers;
3. an agent picks it up from the card in the servicedesk channel with the first substantive
   reaction (the priority, the next step, a note); the card changes;
4. the reporter gets the reaction, and a day later the scheduled status update;
5. the agent resolves it from the card ("Opgelost", solution); the card changes;
6. the reporter gets "Kun je weer verder met je werk?" and the 1-10 score card, and types instead
   of tapping: "bedankt!" (the bot asks the open question again), "ja hoor" and "een 8";
7. a P1-uplift report: regie hears of it at once;
8. the agent picks the P1-uplift up, registers the phone call ("Gebeld"), waits for a third party
   ("Meer", "Wacht op derde") and resumes ("Hervat"); the card and the reporter follow;
9. on Monday the weekly SLA summary appears in the overleg;
10. the agent resolves the P1-uplift; the reporter types "werkt nog steeds niet": the ticket opens
    again, the bot asks what still fails, the answer goes to the ticket, and the servicedesk card
    says at the top that the reporter reopened it;
11. the reopened P1-uplift is past its resolution term: regie's sweep opens an escalation whose
    card appears in the regie channel (and the servicedesk's); regie assigns the level with a reason
    on the card; the first working day's job posts April's service level report card to regie;
12. the next working morning the agent announces a disruption from the servicedesk channel
    ("aankondiging", the form): it reaches the employee's personal chat, and the sender's card in
    the servicedesk channel counts it as sent;
13. an experience survey round (XLA) starts: the employee answers in the personal chat, typing the
    first score ("een 8") and tapping the others; when the round closes regie gets the results;
14-17. at phone width (375 x 812) a report with the category question and the summary, the ticket
    card (facts first, the rest behind "Details") and the closing questions: no button cut off.

Time moves through the bot's dev tools (``/_dev/clock/advance``, ``/_dev/jobs/...``), so nothing
waits for real deadlines. Each step leaves a screenshot in test-artifacts/e2e/screenshots/; the
last test validates every card the bot sent against Adaptive Cards 1.5 and renders it to PNG.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.cards.gallery import all_cards
from tests.e2e.card_gallery import kind_of, render, write_gallery
from tests.e2e.employee import Answer, report
from tests.e2e.stack import ARTIFACTS
from tests.e2e.ui import OVERLEG_CHAT, PERSONAL, REGIE_CHANNEL, SERVICEDESK_CHANNEL, Message, Ui, card_buttons, card_texts
from tests.support.cards import validate_card

# One Playground and browser for the module, scenarios in order (scripts/test.sh gives a file to one
# xdist worker), and time to start them.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOTE = "Ik kom om 11:00 langs met een vervangende laptop."
NEXT_STEP = "Ik zet een vervangende laptop voor je klaar."
SOLUTION = "Moederbord vervangen; de laptop start weer op."
SCORE = "8"
MOTIVATION = "om 10:00 lesgeven aan groep 8"
PARTY = "leverancier Dell"
WAIT_REASON = "Vervangende laptop besteld, levering vanmiddag."
SOLUTION_P1 = "Vervangende laptop geleverd en ingericht."
STILL_FAILING = "De nieuwe laptop maakt geen verbinding met de wifi."

# Questions any report may get, answered the same way in both scenarios.
COMMON = [
    Answer(r"dezelfde storing", click=r"^Nee"),  # a known outage: ours is a different problem
    Answer(r"Waar gaat het over", click=r"^(\d+\. )?Laptop"),
]


def _details(ui: Ui, card: str) -> None:
    """Open the card's "Details" (the ticket card shows the facts that matter first, at phone width)."""
    ui.click("Details", card_text=card, expect_turn=False)


def _latest(messages: list[Message], pattern: str) -> Message | None:
    return next((m for m in reversed(messages) if re.search(pattern, m.all_text, re.S)), None)


def test_admin_links_the_servicedesk_regie_and_overleg_channels(ui: Ui, progress):
    ui.begin("01-kanalen-koppelen")
    for where, role in ((SERVICEDESK_CHANNEL, "servicedesk"), (REGIE_CHANNEL, "regie"), (OVERLEG_CHAT, "overleg")):
        ui.go(where)
        since = ui.mark()
        assert ui.mention(f"koppel dit kanaal als {role}"), f"the bot did not answer in {where}"
        reply = _latest(ui.messages(where, since=since), r"gekoppeld")
        assert reply is not None and role in reply.text, [m.text for m in ui.messages(where, since=since)]
        assert ui.see(f"gekoppeld als {role}")
        ui.shot(role, doc=(role == "servicedesk"))
    progress.passed.add("link")


def test_employee_reports_a_p3_laptop_problem_with_buttons_and_typed_answers(ui: Ui, progress):
    progress.needs("link")
    ui.begin("02-melding-p3")
    ui.go(PERSONAL)
    answers = COMMON + [
        Answer(r"Wat is er aan de hand", type="Mijn laptop start niet op, het scherm blijft zwart"),
        Answer(r"Wie heeft er last", type="alleen ik"),  # typed instead of tapped
        Answer(r"Kun je nog werken", click=r"omweg"),
        Answer(r"kritieke rol|tijdkritische", type="nee"),
        Answer(r"direct(e)? gevolgen", click=r"^Nee"),
        Answer(r"helemaal niet uitvoeren", click=r"^Nee"),
        Answer(r"Klopt", click=r"^Ja"),
    ]
    transcript = report(ui, "mijn laptop start niet op, het scherm blijft zwart", answers)
    confirmation = transcript.confirmation.text
    assert "M-1" in confirmation and "P3 (normaal)" in confirmation, confirmation
    assert transcript.clicked >= 1 and transcript.typed >= 2, transcript.steps
    assert ui.see("is aangemaakt met prioriteit")
    ui.shot("bevestiging", doc=True)

    ui.go(SERVICEDESK_CHANNEL)
    assert ui.see("Melding M-1"), "no card for M-1 in the servicedesk channel"
    card = _latest(ui.messages(SERVICEDESK_CHANNEL), r"Melding M-1")
    assert card is not None and "Oppakken" in card.buttons
    ui.shot("kaart-in-servicedesk")
    progress.passed.add("p3")


def test_agent_picks_up_the_ticket_from_the_card_and_the_card_changes(ui: Ui, progress):
    progress.needs("p3")
    ui.begin("03-oppakken")
    ui.go(SERVICEDESK_CHANNEL)
    since = ui.mark()
    ui.fill(NEXT_STEP, card_text="Melding M-1", label="Volgende stap")
    ui.fill(NOTE, card_text="Melding M-1", label="Bericht aan de melder")
    ui.shot("notitie-ingevuld")
    ui.click("Oppakken", card_text="Melding M-1")
    invoke = next(iter(ui.invokes(since=since)), None)
    assert invoke is not None and invoke["status"] == 200, invoke
    body = invoke["body"] if isinstance(invoke["body"], dict) else json.loads(invoke["body"])
    assert body.get("type") == "application/vnd.microsoft.card.adaptive", body
    user = ui.stack.user["name"]
    assert ui.see(f"Eerste reactie van {user}"), "the card did not change to 'opgepakt'"
    _details(ui, "Melding M-1")
    assert ui.see(f"door {user} vandaag om"), "the card's details do not say who picked it up"
    data = (invoke.get("request") or {}).get("value", {}).get("action", {}).get("data", {})
    assert (data.get("notitie"), data.get("vervolgstap"), data.get("prioriteit_voorlopig")) == (NOTE, NEXT_STEP, "P3"), invoke
    assert "Oppakken" not in json.dumps(body["value"]), "the new card still offers 'Oppakken'"
    assert f"Eerste reactie van {user}: prioriteit P3, volgende stap: {NEXT_STEP}" in json.dumps(body["value"], ensure_ascii=False)
    ui.shot("kaart-opgepakt", doc=True)
    progress.passed.add("ack")


def test_reporter_receives_the_note_and_a_scheduled_status_update(ui: Ui, progress):
    progress.needs("ack")
    ui.begin("04-bericht-en-statusupdate")
    ui.go(PERSONAL)
    user = ui.stack.user["name"]
    assert ui.see(f"{user} heeft je melding M-1 bekeken"), "the reporter did not get the first reaction"
    assert ui.see(f"Volgende stap: {NEXT_STEP}"), "the next step did not reach the reporter"
    assert ui.see(NOTE), "the agent's note did not reach the reporter"
    ui.shot("bericht-van-servicedesk")

    since = ui.mark()
    ui.stack.advance_clock(minutes=26 * 60)  # P3: a status update every working day
    assert ui.stack.run_job("status_sweep") >= 1
    ui.settle()
    update = _latest(ui.messages(PERSONAL, since=since), r"Stand van je melding")
    assert update is not None and "M-1" in update.text, [m.text for m in ui.messages(PERSONAL, since=since)]
    assert ui.see("Stand van je melding")
    ui.shot("statusupdate", doc=True)
    progress.passed.add("update")


def _card_answer(ui: Ui, since: int) -> dict:
    """The card Action.Execute returned to the clicker (the newest invoke since ``since``)."""
    invoke = next(iter(ui.invokes(since=since)[::-1]), None)
    assert invoke is not None and invoke["status"] == 200, invoke
    body = invoke["body"] if isinstance(invoke["body"], dict) else json.loads(invoke["body"])
    assert body.get("type") == "application/vnd.microsoft.card.adaptive", body
    return body["value"]


def test_agent_resolves_the_ticket_from_the_card_and_the_card_changes(ui: Ui, progress):
    progress.needs("ack")
    ui.begin("05-opgelost")
    ui.go(SERVICEDESK_CHANNEL)
    card = "Melding M-1"
    ui.click("Opgelost", card_text=card, expect_turn=False)  # opens the form under the card
    ui.fill(SOLUTION, card_text=card, label="Oplossing (de melder")
    ui.shot("oplossing-ingevuld", reveal=SOLUTION)
    since = ui.mark()
    ui.click("Opgelost", card_text=card, last=True)  # the form's own button
    answer = _card_answer(ui, since)
    user = ui.stack.user["name"]
    assert f"Opgelost door {user}: {SOLUTION}" in json.dumps(answer, ensure_ascii=False)
    assert ui.see(f"Opgelost door {user}: {SOLUTION}"), "the card did not change to 'opgelost'"
    buttons = card_buttons(answer)
    assert "Heropenen" in buttons and "Opgelost" not in buttons and "Noodoplossing" not in buttons, buttons
    ui.shot("kaart-opgelost", doc=True, reveal=f"Opgelost door {user}")
    progress.passed.add("resolved")


def test_reporter_can_work_again_and_gives_a_score(ui: Ui, progress):
    progress.needs("resolved")
    ui.begin("06-weer-aan-het-werk-en-cijfer")
    ui.go(PERSONAL)
    assert ui.see(f"is opgelost: {SOLUTION}"), "the reporter did not get the solution"
    assert ui.see("Kun je weer verder met je werk?") and ui.see("Hoe tevreden ben je over de hulp?")
    mttp = _latest(ui.messages(PERSONAL), r"Kun je weer verder met je werk")
    csat = _latest(ui.messages(PERSONAL), r"Hoe tevreden ben je")
    assert mttp is not None and mttp.buttons == ["Ja", "Nog niet"], mttp
    assert csat is not None and csat.buttons == [str(n) for n in range(1, 11)], csat
    ui.shot("vragen", reveal="Kun je weer verder met je werk?")

    since = ui.mark()
    assert ui.type("bedankt!")  # thanks is no answer: the open question comes again, in words
    again = _latest(ui.messages(PERSONAL, since=since), r"Graag gedaan")
    assert again is not None and "Kun je weer verder met je werk (M-1)?" in again.text, [
        m.text for m in ui.messages(PERSONAL, since=since)]

    since = ui.mark()
    assert ui.type("ja hoor")  # typed, not tapped
    thanks = _latest(ui.messages(PERSONAL, since=since), r"Fijn dat je weer verder kunt")
    assert thanks is not None and "M-1" in thanks.text, [m.text for m in ui.messages(PERSONAL, since=since)]
    assert ui.see("Fijn dat je weer verder kunt")
    ui.shot("weer-aan-het-werk", reveal="Fijn dat je weer verder kunt")

    since = ui.mark()
    assert ui.type(f"een {SCORE}")
    assert _latest(ui.messages(PERSONAL, since=since), rf"Dank je voor je cijfer: {SCORE}") is not None, [
        m.text for m in ui.messages(PERSONAL, since=since)]
    assert ui.see(f"Dank je voor je cijfer: {SCORE}")
    ui.shot("cijfer", doc=True)

    ui.go(SERVICEDESK_CHANNEL)  # the servicedesk's card records both answers
    assert ui.see(f"Cijfer van de melder: {SCORE}") and ui.see(f"Tevredenheid van de melder: {SCORE}")
    _details(ui, "Melding M-1")
    assert ui.see("Melder kan weer werken")
    ui.shot("kaart-met-antwoorden", reveal=f"Cijfer van de melder: {SCORE}")
    progress.passed.add("feedback")


def test_p1_uplift_report_reaches_regie_at_once(ui: Ui, progress):
    progress.needs("link")
    ui.begin("07-melding-p1-uplift")
    ui.go(PERSONAL)
    answers = COMMON + [
        Answer(r"Wat is er aan de hand", type="Mijn laptop geeft een blauw scherm en ik moet zo lesgeven"),
        Answer(r"Wie heeft er last", click=r"Alleen ik"),
        Answer(r"Kun je nog werken", click=r"niet werken"),
        Answer(r"kritieke rol|tijdkritische", click=r"^Ja"),
        Answer(r"direct(e)? gevolgen", type="ja"),
        Answer(r"helemaal niet uitvoeren", click=r"^Ja"),
        Answer(r"Wat moet je nu doen", type=MOTIVATION),
        Answer(r"telefoonnummer", type="06 12345678"),
        Answer(r"Klopt", click=r"^Ja"),
    ]
    transcript = report(ui, "nieuwe melding", answers)
    confirmation = transcript.confirmation.text
    assert "M-2" in confirmation and "P1-uplift (één medewerker)" in confirmation, confirmation
    assert ui.see("P1-uplift (één medewerker)")
    ui.shot("bevestiging")

    ui.go(REGIE_CHANNEL)
    assert ui.see("M-2"), "regie did not get the P1-uplift"
    notice = _latest(ui.messages(REGIE_CHANNEL), r"M-2")
    assert notice is not None and "P1-uplift" in notice.all_text and MOTIVATION in notice.all_text
    ui.shot("regie", doc=True)
    ui.go(SERVICEDESK_CHANNEL)
    assert ui.see("Melding M-2")
    ui.shot("servicedesk")
    progress.passed.add("uplift")


def test_agent_waits_for_a_third_party_and_resumes(ui: Ui, progress):
    progress.needs("uplift")
    ui.begin("08-wacht-op-derde-en-hervat")
    ui.go(SERVICEDESK_CHANNEL)
    card = "Melding M-2"
    user = ui.stack.user["name"]
    since = ui.mark()
    ui.click("Oppakken", card_text=card)
    assert f"Opgepakt door {user}" in json.dumps(_card_answer(ui, since), ensure_ascii=False), "M-2 was not picked up"

    ui.click("Gebeld", card_text=card, expect_turn=False)  # PvE P1: telephone contact is required
    ui.fill("Ja, gesproken", card_text=card, label="Melder bereikt?")
    since = ui.mark()
    ui.click("Gesprek vastleggen", card_text=card)
    assert f"{user} belde de melder: bereikt" in json.dumps(_card_answer(ui, since), ensure_ascii=False)

    ui.click("Meer", card_text=card, expect_turn=False)  # the rarer actions, one per row
    ui.click("Wacht op derde", card_text=card, expect_turn=False)
    ui.fill(PARTY, card_text=card, label="Op wie wachten we")
    ui.fill(WAIT_REASON, card_text=card, label="Waarom?")
    ui.shot("wacht-ingevuld", reveal=WAIT_REASON)
    since = ui.mark()
    ui.click("Wacht op derde", card_text=card, last=True)
    answer = json.dumps(_card_answer(ui, since), ensure_ascii=False)
    assert "wacht op een derde partij" in answer and "Hervat" in answer, answer
    # Under halt a wait stops no clock (PvE §10.1.3); the card shows who it waits on, since when.
    _details(ui, card)
    assert ui.see(f"{PARTY} sinds")
    ui.shot("kaart-wacht-op-derde", doc=True, reveal=f"Wacht op {PARTY}")

    since = ui.mark()
    ui.click("Hervat", card_text=card)
    answer = json.dumps(_card_answer(ui, since), ensure_ascii=False)
    assert f"Hervat door {user}" in answer and "Wacht op derde" in answer, answer
    assert ui.see(f"Hervat door {user}")
    ui.shot("kaart-hervat", reveal=f"Hervat door {user}")

    ui.go(PERSONAL)
    assert ui.see(f"wachten we op {PARTY}: {WAIT_REASON}"), "the reporter did not hear about the wait"
    assert ui.see("We werken weer aan je melding M-2"), "the reporter did not hear that work resumed"
    ui.shot("melder", reveal="We werken weer aan je melding M-2")
    progress.passed.add("wait")


def test_weekly_summary_appears_in_the_overleg(ui: Ui, progress):
    progress.needs("p3", "uplift")
    ui.begin("09-weekoverzicht")
    now = datetime.fromisoformat(ui.stack.advance_clock(minutes=1)).astimezone(AMSTERDAM)
    monday = (now + timedelta(days=7 - now.weekday())).replace(hour=9, minute=0, second=0, microsecond=0)
    week_year, week, _ = (monday - timedelta(days=7)).isocalendar()
    ui.stack.advance_clock(minutes=(monday - now).total_seconds() / 60)
    assert ui.stack.run_job("weekly_summary") is True
    ui.go(OVERLEG_CHAT)
    title = f"SLA-overzicht week {week} "
    assert ui.see(title), f"no '{title}' in the overleg"
    summary = _latest(ui.messages(OVERLEG_CHAT), re.escape(title))
    assert summary is not None and summary.cards
    ui.shot("overleg", doc=True)
    progress.passed.add("weekly")


def test_reporter_types_nog_niet_after_the_resolution_and_the_ticket_opens_again(ui: Ui, progress):
    progress.needs("wait")
    ui.begin("10-nog-niet-na-oplossing")
    ui.go(SERVICEDESK_CHANNEL)
    card = "Melding M-2"
    ui.click("Meer", card_text=card, expect_turn=False)  # a P1 still owes its reaction: that comes first
    ui.click("Opgelost", card_text=card, expect_turn=False)
    ui.fill(SOLUTION_P1, card_text=card, label="Oplossing (de melder")
    since = ui.mark()
    ui.click("Opgelost", card_text=card, last=True)
    assert "Heropenen" in card_buttons(_card_answer(ui, since)), "M-2 was not resolved"

    ui.go(PERSONAL)
    assert ui.see(f"is opgelost: {SOLUTION_P1}"), "the reporter did not get the solution"
    since = ui.mark()
    assert ui.type("werkt nog steeds niet")
    told = [m.text for m in ui.messages(PERSONAL, since=since)]
    assert any("Je melding **M-2** staat weer open." in t for t in told), told
    assert any("Wat werkt er nog niet?" in t for t in told) and not any("elder" in t for t in told), told
    assert ui.see("Wat werkt er nog niet?")
    since = ui.mark()
    assert ui.type(STILL_FAILING)
    added = _latest(ui.messages(PERSONAL, since=since), r"Ik heb je aanvulling bij")
    assert added is not None and "M-2" in added.text, [m.text for m in ui.messages(PERSONAL, since=since)]
    ui.shot("melder-nog-niet", doc=True, reveal="Wat werkt er nog niet?")

    ui.go(SERVICEDESK_CHANNEL)
    user = ui.stack.user["name"]
    assert ui.see(f"{user} kan nog niet verder met het werk."), "the card does not say the reporter reopened it"
    updated = _latest(ui.messages(SERVICEDESK_CHANNEL), r"Heropend door de melder")
    assert updated is not None and updated.cards, "no redrawn card for M-2"
    lines = card_texts(updated.cards[0])
    assert lines[0].startswith("Melding M-2") and lines[1:3] == ["Heropend door de melder: ", f"{user} kan nog niet verder met het werk."], lines[:4]
    assert f"Aanvulling: {STILL_FAILING}" in updated.all_text
    ui.shot("kaart-heropend", reveal=f"{user} kan nog niet verder met het werk.")
    progress.passed.add("not-yet")


def test_a_breach_becomes_an_escalation_regie_assigns_its_level_and_gets_the_monthly_report(ui: Ui, progress):
    progress.needs("not-yet")
    ui.begin("11-escalatie-en-maandrapport")
    assert ui.stack.run_job("regie_sweep") >= 1  # M-2 (P1-uplift, 4 h) opened again days later
    ui.go(REGIE_CHANNEL)
    card = "Overschreden: M-2"
    assert ui.see(card), "no escalation card for M-2 in the regie channel"
    escalation = _latest(ui.messages(REGIE_CHANNEL), r"Overschreden: M-2")
    assert escalation is not None and "Escalatie N3 (strategisch)" in escalation.all_text
    assert "Niveau vaststellen" in escalation.buttons, escalation.buttons
    ui.shot("escalatie", doc=True, reveal="Escalatie N3")
    ui.click("Niveau vaststellen", card_text=card, expect_turn=False)
    ui.fill("N2 (tactisch)", card_text=card, label="Welk niveau")
    ui.fill("Lesgeven hersteld met een leenlaptop; tactisch opvolgen.", card_text=card, label="Waarom dit niveau")
    since = ui.mark()
    ui.click("Niveau vaststellen", card_text=card, last=True)
    answer = json.dumps(_card_answer(ui, since), ensure_ascii=False)
    user = ui.stack.user["name"]
    assert "Escalatie N2 (tactisch)" in answer and f"Niveau vastgesteld door {user} (voorgesteld: N3)" in answer, answer
    assert ui.see("Escalatie N2 (tactisch)")
    ui.shot("niveau-vastgesteld", reveal="Escalatie N2")
    ui.go(SERVICEDESK_CHANNEL)
    assert ui.see("Oorzaak en herstelactie"), "the servicedesk's copy of the escalation is missing"

    assert ui.stack.run_job("monthly_report") is True  # after the first working day of May, 09:00
    ui.go(REGIE_CHANNEL)
    assert ui.see("Servicelevelrapport april 2026"), "no monthly report card in the regie channel"
    report = _latest(ui.messages(REGIE_CHANNEL), r"Servicelevelrapport april 2026")
    assert report is not None and report.cards and "report monthly --month 2026-04" in report.all_text
    ui.shot("maandrapport", doc=True, reveal="Servicelevelrapport april 2026")
    progress.passed.add("monthly")


ANNOUNCEMENT = "Wifi in gebouw Noord valt af en toe weg"
MEANWHILE = "Gebruik de kabel op je bureau of de hotspot van je telefoon."


def test_the_servicedesk_announces_a_disruption_and_it_reaches_the_personal_chat(ui: Ui, progress):
    progress.needs("link")
    ui.begin("12-aankondiging")
    now = datetime.fromisoformat(ui.stack.advance_clock(minutes=1)).astimezone(AMSTERDAM)
    morning = (now + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    while morning.weekday() >= 5:  # announcements wait for a working day's office hours
        morning += timedelta(days=1)
    ui.stack.advance_clock(minutes=(morning - now).total_seconds() / 60)
    ui.go(SERVICEDESK_CHANNEL)
    assert ui.mention("aankondiging"), "the bot did not answer 'aankondiging'"
    assert ui.see("Nieuwe aankondiging"), "no announcement form in the servicedesk channel"
    form = "Nieuwe aankondiging"
    ui.fill(ANNOUNCEMENT, card_text=form, label="Wat is er aan de hand")
    ui.fill(MEANWHILE, card_text=form, label="Wat kunnen medewerkers intussen doen")
    ui.shot("formulier", reveal="Nieuwe aankondiging")
    since = ui.mark()
    ui.click("Versturen", card_text=form)
    answer = json.dumps(_card_answer(ui, since), ensure_ascii=False)
    assert "Aankondiging **A-1** wordt verstuurd" in answer, answer
    ui.stack.run_job("reach_sweep")

    ui.go(PERSONAL)
    assert ui.see(ANNOUNCEMENT), "the announcement did not reach the personal chat"
    told = _latest(ui.messages(PERSONAL), re.escape(ANNOUNCEMENT))
    assert told is not None and f"Wat kun je doen: {MEANWHILE}" in told.text, told and told.text
    ui.shot("melder", doc=True, reveal=ANNOUNCEMENT)

    ui.go(SERVICEDESK_CHANNEL)
    card = _latest(ui.messages(SERVICEDESK_CHANNEL), r"Storing A-1")
    assert card is not None and card.cards, "no sender's card for A-1"
    assert "Verstuurd: 1" in card_texts(card.cards[0]), card_texts(card.cards[0])
    ui.shot("kaart", reveal="Storing A-1")
    progress.passed.add("announcement")


def test_employee_answers_the_experience_survey_typing_and_tapping_and_regie_gets_the_results(ui: Ui, progress):
    progress.needs("p3")  # the employee has talked to the bot: it can reach them
    ui.begin("13-enquete")
    started = ui.stack.run_job("survey_sweep")
    assert started["started"] == 1, "no survey round started"
    queued = started["queued"]
    for _ in range(96):  # the story's clock may stand outside working hours: reach sends nothing then
        if queued:
            break
        ui.stack.advance_clock(minutes=30)
        queued += ui.stack.run_job("reach_sweep")
    assert queued == 1, "reach asked nobody"
    ui.go(PERSONAL)
    assert ui.see("Korte enquête over de ICT"), "no survey invitation in the personal chat"
    invitation = _latest(ui.messages(PERSONAL), r"Vraag 1 van 3")
    assert invitation is not None and invitation.buttons == [str(n) for n in range(1, 11)], invitation
    ui.shot("uitnodiging", reveal="Vraag 1 van 3")

    since = ui.mark()
    assert ui.type("een 8")  # typed
    assert _latest(ui.messages(PERSONAL, since=since), r"Vraag 2 van 3") is not None, [m.text for m in ui.messages(PERSONAL, since=since)]
    assert ui.see("Genoteerd: een 8.")
    since = ui.mark()
    ui.click("7", card_text="Vraag 2 van 3")  # tapped
    assert _latest(ui.messages(PERSONAL, since=since), r"Vraag 3 van 3") is not None, [m.text for m in ui.messages(PERSONAL, since=since)]
    since = ui.mark()
    ui.click("9", card_text="Vraag 3 van 3")
    assert _latest(ui.messages(PERSONAL, since=since), r"Wil je nog iets toelichten") is not None, [
        m.text for m in ui.messages(PERSONAL, since=since)]
    since = ui.mark()
    assert ui.type("nee")
    assert _latest(ui.messages(PERSONAL, since=since), r"Dank je wel voor je antwoorden") is not None
    assert ui.see("Dank je wel voor je antwoorden")
    ui.shot("antwoorden", doc=True, reveal="Genoteerd: een 8.")

    ui.stack.advance_clock(minutes=15 * 24 * 60)  # the round closes after 14 days
    assert ui.stack.run_job("survey_sweep")["closed"] == 1
    ui.go(REGIE_CHANNEL)
    assert ui.see("Enquête ICT-beleving gesloten"), "no survey results in the regie channel"
    result = _latest(ui.messages(REGIE_CHANNEL), r"Enquête ICT-beleving gesloten")
    assert result is not None and "1 van 1 medewerkers gaven antwoord (100%)" in result.all_text, result
    assert "gemiddeld 8 ✓ (norm 8; 1 antwoord, 100%)" in result.all_text and "gemiddeld 7 ✗" in result.all_text
    ui.shot("resultaat-voor-regie", reveal="Enquête ICT-beleving gesloten")
    progress.passed.add("survey")


PHONE = (375, 812)  # a phone held upright, in CSS pixels
PHONE_PROBLEM = "Het werkt niet meer sinds vanochtend, ik krijg een foutmelding"
PHONE_SOLUTION = "Stuurprogramma opnieuw geïnstalleerd."


def test_at_phone_width_the_questions_the_summary_the_ticket_card_and_the_closing_questions_fit(ui: Ui, progress):
    """14-17: the same client at 375 x 812: nothing cut off, and a picture of each for the docs."""
    progress.needs("link")
    ui.viewport(*PHONE, phone=True)
    try:
        ui.go(PERSONAL)
        answers = [
            Answer(r"dezelfde storing", click=r"^Nee"),
            Answer(r"Waar gaat het over", click=r"Printer", doc="14-telefoon-categorie"),
            Answer(r"Wat is er aan de hand", type=PHONE_PROBLEM),
            Answer(r"Wie heeft er last", click=r"^(\d+\. )?Alleen"),
            Answer(r"Kun je nog werken", click=r"omweg"),
            Answer(r"kritieke rol|tijdkritische", click=r"^Nee"),
            Answer(r"direct(e)? gevolgen", click=r"^Nee"),
            Answer(r"helemaal niet uitvoeren", click=r"^Nee"),
            Answer(r"Klopt", click=r"^Ja", doc="15-telefoon-samenvatting"),
        ]
        before = ui.mark()
        transcript = report(ui, "nieuwe melding", answers, scenario_shots=False)
        assert transcript.documented == ["14-telefoon-categorie", "15-telefoon-samenvatting"], transcript.steps
        category = _latest(ui.messages(PERSONAL, since=before), r"Waar gaat het over")
        assert category is not None and "Beveiliging of datalek" in " ".join(category.buttons), category
        label = re.search(r"M-\d+", transcript.confirmation.text).group(0)

        ui.go(SERVICEDESK_CHANNEL)
        card = f"Melding {label}"
        assert ui.see(card)
        fit = ui.cut_off(card)
        assert fit == {"buttons": [], "too_wide": False}, fit
        ui.begin("16-telefoon-ticketkaart")
        ui.shot("kaart", doc=True, reveal=card)
        _details(ui, card)
        assert ui.see("Termijnen")
        ui.shot("details", reveal="Termijnen")
        ui.click("Oppakken", card_text=card)
        ui.click("Opgelost", card_text=card, expect_turn=False)
        ui.fill(PHONE_SOLUTION, card_text=card, label="Oplossing (de melder")
        ui.click("Opgelost", card_text=card, last=True)

        ui.go(PERSONAL)
        assert ui.see("Kun je weer verder met je werk?") and ui.see("Hoe tevreden ben je over de hulp?")
        for question in ("Kun je weer verder met je werk?", "Hoe tevreden ben je over de hulp?"):
            fit = ui.cut_off(question)
            assert fit == {"buttons": [], "too_wide": False}, (question, fit)
        ui.begin("17-telefoon-afsluitvragen")
        ui.shot("vragen", doc=True, reveal="Kun je weer verder met je werk?")
        assert ui.type("ja hoor") and ui.see("Fijn dat je weer verder kunt")
        assert ui.type("8") and ui.see("Dank je voor je cijfer: 8")
        ui.shot("antwoorden")
    finally:
        ui.viewport(1400, 900)
    progress.passed.add("phone")


def test_every_card_the_bot_sent_is_valid_adaptive_card_1_5_and_renders(ui: Ui, progress):
    if not progress.passed:
        pytest.skip("no scenario passed, so there are no cards to check")
    where_of = {
        "a:personal": "personal",
        "19:e2e-ict-general": "servicedesk",
        "19:e2e-regie": "regie",
        "19:e2e-overleg": "overleg",
    }
    cards: list[tuple[str, dict]] = []
    for message in ui.messages():
        where = next((w for prefix, w in where_of.items() if message.conversation_id.startswith(prefix)), "elders")
        cards.extend((kind_of(card, where=where), card) for card in message.cards)
    for invoke in ui.invokes():
        body = invoke["body"] if isinstance(invoke["body"], dict) else json.loads(invoke["body"] or "{}")
        if body.get("type") == "application/vnd.microsoft.card.adaptive":
            where = next((w for prefix, w in where_of.items() if (invoke["conversationId"] or "").startswith(prefix)), "elders")
            cards.append((kind_of(body["value"], where=where), body["value"]))
    assert cards, "the bot sent no cards"

    problems = {}
    for kind, card in cards:
        errors = validate_card(card)
        if errors:
            problems.setdefault(kind, errors)
    folder = ARTIFACTS / "cards"
    files = write_gallery(cards, folder)
    reports = render(sorted(files.values()), folder)
    (folder / "render-report.json").write_text(json.dumps(reports, ensure_ascii=False, indent=2), "utf-8")
    assert not problems, "cards that are not valid Adaptive Cards 1.5:\n" + json.dumps(problems, ensure_ascii=False, indent=2)
    assert len(reports) == len(files) and all((folder / f"{kind}.png").exists() for kind in files)
    for needed, scenarios in (
        ("servicedesk-melding-nieuw", {"p3"}), ("servicedesk-melding-opgepakt", {"ack"}),
        ("servicedesk-melding-opgelost", {"resolved"}), ("servicedesk-melding-wacht-op-derde", {"wait"}),
        ("melder-weer-aan-het-werk", {"feedback"}), ("melder-tevredenheid", {"feedback"}),
        ("overleg-weekoverzicht", {"weekly"}), ("regie-maandrapport", {"monthly"}), ("regie-escalatie-vastgesteld", {"monthly"}),
        ("servicedesk-escalatie", {"monthly"}), ("servicedesk-aankondiging-formulier", {"announcement"}),
        ("servicedesk-aankondiging-klaar", {"announcement"}),
        ("servicedesk-escalatie", {"monthly"}), ("medewerker-enquete", {"survey"}), ("regie-enquete-resultaat", {"survey"}),
    ):
        if scenarios <= progress.passed:
            assert needed in files, f"no {needed} card captured; got {sorted(files)}"
    gallery = {entry.name for entry in all_cards()}
    unknown = sorted(set(files) - gallery)
    assert not unknown, f"the bot sent card types the card gallery (tests/cards/gallery.py, docs/cards/) lacks: {unknown}"
    blocked = [u for u in ui.blocked_requests() if not u.startswith(("data:", "blob:"))]
    print(f"{len(cards)} cards, {len(files)} types; outside requests blocked: {len(blocked)}")
