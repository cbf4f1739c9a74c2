"""An experience survey round (XLA, PvE §10.5) through HTTP, on SQLite and PostgreSQL.

The schedule starts a round in a SURVEY_MONTHS month; every reachable employee who did not say
"geen enquêtes" is asked once, in their personal chat; answers come typed ("een 8", "acht") and
tapped; a replayed or forged tap changes nothing; the one reminder goes only to those who gave no
score; when the round closes regie gets the figures and the remarks (plain text), and the monthly
report holds each question's mean against the norm with the response rate.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

import app as app_module
from bot.reports.render import text_lines
from bot.reports.slr import monthly_slr_for
from dialogs import texts
from storage.models import AuditEntry, SurveyResponse
from tests.support import activities as acts
from tests.support.cards import assert_valid_card
from tests.support.harness import harness_settings, start_harness, stop_harness

COLLEAGUE = acts.person("Joris Bakker", "aaaaaaaa-0000-0000-0000-000000000011")
QUIET = acts.person("Fatima el Amrani", "aaaaaaaa-0000-0000-0000-000000000012")
NO_SURVEYS = acts.person("Kees Mulder", "aaaaaaaa-0000-0000-0000-000000000013")
EVERYONE = (acts.EMPLOYEE, COLLEAGUE, QUIET, NO_SURVEYS)


@pytest.fixture
async def harness(database_url):
    # Tuesday 28 April 2026, 08:00: April is a survey month here, its first working day is past.
    h = await start_harness(harness_settings(database_url, survey_months=(4, 10)))
    await h.link_channels()
    for person in EVERYONE:
        await h.say("hallo", user=person)
    yield h
    await stop_harness(h)


def _jobs(harness):
    return harness.app[app_module.JOBS]


async def _deliver(harness) -> None:
    """Let ``reach`` send what it queued at its pace (a few messages per second)."""
    for _ in range(3):
        harness.clock.advance(timedelta(seconds=1))
        await _jobs(harness).reach_sweep()
        await harness.settle()


def _cards_to(harness, person):
    return [card for call in harness.connector.to(f"a:personal-{person['aadObjectId']}") for card in call.cards]


def _last_card(harness, person):
    return _cards_to(harness, person)[-1]


def _texts(harness, person) -> list[str]:
    return harness.replies_to_employee(person)


async def _responses(harness) -> dict[str, SurveyResponse]:
    async with harness.app[app_module.DATABASE].sessions() as session:
        return {row.user_id: row for row in (await session.execute(select(SurveyResponse))).scalars()}


async def test_a_round_asks_everyone_once_reminds_non_responders_once_and_reports_against_the_norm(harness):
    await harness.say("geen enquêtes", user=NO_SURVEYS)
    assert _texts(harness, NO_SURVEYS)[-1] == texts.SURVEY_OPTED_OUT

    done = await _jobs(harness).survey_sweep()
    await _deliver(harness)
    assert done["started"] == 1
    for person in (acts.EMPLOYEE, COLLEAGUE, QUIET):
        invitation = _last_card(harness, person)
        assert_valid_card(invitation)
        assert "Korte enquête over de ICT" in str(invitation) and "Vraag 1 van 3" in str(invitation)
        assert "dinsdag 12 mei om 08:00" in str(invitation)  # open for 14 days, said as people say it
        assert len(_cards_to(harness, person)) == 1
    assert _cards_to(harness, NO_SURVEYS) == []  # "geen enquêtes" is respected
    round_id = _last_card(harness, acts.EMPLOYEE)["body"][-2]["actions"][0]["data"]["survey"]

    # Typed: "een 8", "zeven", "8,5" (asked again: whole numbers), "9", then a remark.
    await harness.say("een 8")
    assert _texts(harness, acts.EMPLOYEE)[-1] == "Genoteerd: een 8."
    assert "Vraag 2 van 3" in str(_last_card(harness, acts.EMPLOYEE))
    await harness.say("zeven")
    assert "Vraag 3 van 3" in str(_last_card(harness, acts.EMPLOYEE))
    await harness.say("8,5")
    assert _texts(harness, acts.EMPLOYEE)[-1] == texts.SURVEY_WHOLE_NUMBER
    await harness.say("9")
    assert texts.SURVEY_ASK_REMARK in _texts(harness, acts.EMPLOYEE)[-1]
    await harness.say("Mijn laptop is traag bij Teams-vergaderingen")
    assert _texts(harness, acts.EMPLOYEE)[-1] == texts.SURVEY_THANKS_REMARK

    # Tapped, with the remark on the last card; a replay and a forged round change nothing.
    tap = lambda question, score, **more: {"survey": round_id, "onderdeel": question, "score": score, **more}  # noqa: E731
    await harness.say(None, user=COLLEAGUE, value=tap("werkplek", 6))
    assert "Vraag 2 van 3" in str(_last_card(harness, COLLEAGUE))
    await harness.say(None, user=COLLEAGUE, value=tap("werkplek", 10))
    assert _texts(harness, COLLEAGUE)[-1] == texts.SURVEY_ALREADY
    await harness.say(None, user=COLLEAGUE, value={"survey": round_id + 99, "onderdeel": "servicedesk", "score": 1})
    assert _texts(harness, COLLEAGUE)[-1] == texts.SURVEY_NOT_ASKED
    await harness.say(None, user=COLLEAGUE, value=tap("servicedesk", 8))
    await harness.say(None, user=COLLEAGUE, value=tap("informatie", 7, opmerking="Meer **uitleg** bij <b>storingen</b> graag"))
    assert _texts(harness, COLLEAGUE)[-1] == texts.SURVEY_THANKS_REMARK
    # Someone who was not asked cannot answer by tapping a copied card.
    await harness.say(None, user=NO_SURVEYS, value=tap("werkplek", 1))
    assert _texts(harness, NO_SURVEYS)[-1] == texts.SURVEY_NOT_ASKED

    rows = await _responses(harness)
    assert (rows[acts.EMPLOYEE["aadObjectId"]].workplace, rows[acts.EMPLOYEE["aadObjectId"]].servicedesk,
            rows[acts.EMPLOYEE["aadObjectId"]].information) == (8, 7, 9)
    assert (rows[COLLEAGUE["aadObjectId"]].workplace, rows[COLLEAGUE["aadObjectId"]].servicedesk,
            rows[COLLEAGUE["aadObjectId"]].information) == (6, 8, 7)
    assert NO_SURVEYS["aadObjectId"] not in rows

    # Once per person per round: another sweep asks nobody again.
    invitations_before = len(harness.connector.to("a:personal-"))
    assert (await _jobs(harness).survey_sweep())["started"] == 0
    await _deliver(harness)
    assert len(harness.connector.to("a:personal-")) == invitations_before

    # A week later, inside working hours: one reminder, only to the one who gave no score.
    harness.clock.advance(timedelta(days=7, hours=2))
    assert (await _jobs(harness).survey_sweep())["reminded"] == 1
    await _deliver(harness)
    reminder = _last_card(harness, QUIET)
    assert "Herinnering" in str(reminder) and "Vraag 1 van 3" in str(reminder)
    assert not any("Herinnering" in str(card) for person in (acts.EMPLOYEE, COLLEAGUE) for card in _cards_to(harness, person))
    assert (await _jobs(harness).survey_sweep())["reminded"] == 0  # once
    await _deliver(harness)
    assert sum("Herinnering" in str(card) for card in _cards_to(harness, QUIET)) == 1

    # Opting out is reversible and audited; "wel enquêtes" counts from the next round on.
    await harness.say("wel enquêtes", user=NO_SURVEYS)
    assert _texts(harness, NO_SURVEYS)[-1] == texts.SURVEY_OPTED_IN
    await _deliver(harness)
    assert _cards_to(harness, NO_SURVEYS) == []
    async with harness.app[app_module.DATABASE].sessions() as session:
        actions = [row.action for row in (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars()]
    assert actions.count("survey.opt_out") == 1 and actions.count("survey.opt_in") == 1 and "survey.start" in actions

    # Fourteen days after the start the round closes; regie gets the figures and the remarks.
    harness.clock.advance(timedelta(days=7))
    assert (await _jobs(harness).survey_sweep())["closed"] == 1
    await _deliver(harness)
    [result] = [call for call in harness.connector.to("19:regie") if "Enquête ICT-beleving gesloten" in call.card_text()]
    assert_valid_card(result.cards[0])
    shown = result.card_text()
    assert "2 van 3 medewerkers gaven antwoord (66,7%)" in shown  # of the three the invitation reached
    assert "gemiddeld 7 ✗ (norm 8; 2 antwoorden, 66,7%)" in shown  # werkplek: (8 + 6) / 2
    assert "gemiddeld 7,5 ✗ (norm 8; 2 antwoorden, 66,7%)" in shown  # servicedesk: (7 + 8) / 2
    assert "gemiddeld 8 ✓ (norm 8; 2 antwoorden, 66,7%)" in shown  # informatie: (9 + 7) / 2
    assert "Mijn laptop is traag bij Teams-vergaderingen" in shown
    runs = [inline for block in result.cards[0]["body"] if block["type"] == "RichTextBlock" for inline in block["inlines"]]
    assert any(run["text"] == "“Meer **uitleg** bij <b>storingen</b> graag”" for run in runs)  # literal: plain text
    assert not any("laptop" in call.card_text() or "laptop" in call.text for call in harness.connector.to("19:servicedesk"))

    # After the close a typed or tapped score says the round is over and changes nothing.
    await harness.say("8", user=QUIET)
    assert _texts(harness, QUIET)[-1] == texts.SURVEY_CLOSED
    await harness.say(None, user=QUIET, value=tap("werkplek", 9))
    assert _texts(harness, QUIET)[-1] == texts.SURVEY_CLOSED
    assert (await _responses(harness))[QUIET["aadObjectId"]].workplace is None

    # The monthly report of May (the round closed on 12 May) holds the figures against the norm.
    async with harness.app[app_module.DATABASE].sessions.begin() as session:
        slr = await monthly_slr_for(session, policy=harness.app[app_module.POLICY], month="2026-05", now=harness.clock.now())
    [measured] = slr["xla"]["rounds"]
    assert measured["invited"] == 3 and measured["respondents"] == 2 and measured["response_rate_percent"] == 66.7
    assert [(q["question"], q["mean"], q["norm"], q["met"]) for q in measured["questions"]] == [
        ("werkplek", 7.0, 8.0, False), ("servicedesk", 7.5, 8.0, False), ("informatie", 8.0, 8.0, True),
    ]
    assert measured["questions"][0]["distribution"] == [0, 0, 0, 0, 0, 1, 0, 1, 0, 0]
    assert slr["xla"]["met"] is False
    xla_requirement = next(r for r in slr["requirements"] if r["key"] == "xla")
    assert xla_requirement["met"] is False and "werkplekbeleving 7 ✗" in xla_requirement["result"]
    lines = "\n".join(text_lines(slr))
    assert "Werkplekbeleving (A): gemiddeld 7 ✗ (norm 8; 2 antwoorden, 66,7%)" in lines
    assert "laptop" not in lines and "uitleg" not in lines  # remarks go to regie's card only
    async with harness.app[app_module.DATABASE].sessions.begin() as session:
        april = await monthly_slr_for(session, policy=harness.app[app_module.POLICY], month="2026-04", now=harness.clock.now())
    assert april["xla"] is None


async def test_no_survey_message_goes_outside_working_hours(harness):
    harness.clock.advance(timedelta(hours=11))  # Tuesday 19:00
    assert (await _jobs(harness).survey_sweep())["started"] == 1
    await _deliver(harness)
    assert _cards_to(harness, acts.EMPLOYEE) == []
    harness.clock.advance(timedelta(hours=13))  # Wednesday 08:00
    await _deliver(harness)
    for person in EVERYONE:
        assert "Vraag 1 van 3" in str(_last_card(harness, person))


async def test_a_number_goes_to_the_question_asked_last_a_tickets_score_or_the_survey(harness):
    from tests.servicedesk.desk import new_ticket, ticket

    await _jobs(harness).survey_sweep()  # the survey asks first
    await _deliver(harness)
    harness.clock.advance(timedelta(minutes=10))
    ticket_id = await new_ticket(harness)  # then a ticket is resolved: its score is asked later
    current = await ticket(harness, ticket_id)
    await harness.execute("oppakken", {"ticket": ticket_id, "versie": current.version, "notitie": "Ik kijk ernaar."})
    harness.clock.advance(timedelta(minutes=30))
    current = await ticket(harness, ticket_id)
    await harness.execute("opgelost", {"ticket": ticket_id, "versie": current.version, "oplossing": "Nieuwe voeding."})
    await harness.settle()

    await harness.say("een 9")
    assert "Dank je voor je cijfer: 9" in _texts(harness, acts.EMPLOYEE)[-1]  # the ticket's score
    await harness.say("6")  # the ticket's question about working again stays open, but takes no number
    assert _texts(harness, acts.EMPLOYEE)[-1] == "Genoteerd: een 6."
    assert (await _responses(harness))[acts.EMPLOYEE["aadObjectId"]].workplace == 6
