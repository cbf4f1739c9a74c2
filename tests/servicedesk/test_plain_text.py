"""A person's words reach another person only as plain text, and only when they should.

One test per surface where one person's text reaches another, through HTTP into a real database,
reading what the stub connector received the way Teams shows it (``tests.support.shown``):
markdown, links (also a bare address), mentions and the card's date functions typed by one person
are read literally by the other; the known-outage question never carries the reporter's words.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

import app as app_module
from bot import summary
from dialogs import plain
from storage import employee
from tests.servicedesk.desk import click, new_ticket
from tests.support import activities as acts
from tests.support import shown
from tests.support.harness import harness_settings, start_harness, stop_harness

EVIL = "**vet** [klik](http://evil.example/login) <at>Karim Bouali</at> {{DATE(2026-04-28T06:00:00Z, SHORT)}} www.evil.example"
SECRET = "Joost ligt ziek thuis en zijn mail doet het niet"  # a reporter's words no colleague may read
JOOST = acts.person("Joost Bakker", "aaaaaaaa-0000-0000-0000-00000000000b")
# The agent's display name comes from Teams: the person chose it, so it is a person's text too.
EVIL_AGENT = acts.person(EVIL, acts.AGENT["aadObjectId"])
EVIL_TITLE = "**x** [x](http://e.nl) <at>x</at> {{DATE(2026-04-28T06:00:00Z)}}"  # within a title's 80


@pytest.fixture
async def harness(sqlite_database_url):
    h = await start_harness(harness_settings(sqlite_database_url))
    await h.link_channels()
    await h.say("hallo")  # the employee has the bot installed
    yield h
    await stop_harness(h)


def _literal(body: dict, words: str = EVIL) -> None:
    seen = shown.message(body)
    assert seen.shows_literally(words), seen


def _plain_everywhere(calls) -> None:
    """Nothing in these messages became a link, a mention or an evaluated date function."""
    for call in calls:
        seen = shown.message(call.body)
        assert not seen.links and not seen.mentions and not seen.functions, (call.text, call.cards, seen)


async def test_the_known_outage_question_shows_the_public_title_literally_and_never_the_reporters_words(harness):
    outage = await new_ticket(harness, priority="P1", scope="iedereen", description=SECRET, reporter=JOOST)
    status, _ = await click(harness, "titel", outage, publieke_titel=EVIL_TITLE)
    assert status == 200
    await harness.say("mijn laptop start niet op")
    await harness.say("1")  # laptop: the outage's category
    (question,) = [c for c in harness.connector.to("a:personal-") if "storing bekend" in c.card_text()]
    _literal(question.body, EVIL_TITLE)
    assert "ziek" not in question.card_text() and "Joost" not in question.card_text()
    assert SECRET not in str(question.body)


async def test_the_servicedesk_and_regie_cards_show_an_employees_words_literally(harness):
    reporter = acts.person(EVIL, acts.EMPLOYEE["aadObjectId"])
    ticket_id = await new_ticket(harness, priority="P1", uplift=True, description=EVIL, motivation=EVIL, phone="0612345678", reporter=reporter)
    sent = [c for c in harness.connector.calls if c.conversation_id in ("19:servicedesk", "19:regie")]
    assert {c.conversation_id for c in sent} == {"19:servicedesk", "19:regie"}
    for call in sent:
        _literal(call.body)
    status, body = await click(harness, "oppakken", ticket_id, notitie=EVIL)  # the history line on the card
    assert shown.card(body["value"]).shows_literally(EVIL)
    _plain_everywhere(harness.connector.calls)


async def test_every_message_an_agent_writes_for_the_reporter_reaches_them_and_followers_literally(harness):
    ticket_id = await new_ticket(harness, priority="P2", scope="meerdere_teams")
    async with harness.app[app_module.DATABASE].sessions.begin() as session:
        await employee.follow(session, ticket_id=ticket_id, user_id=JOOST["aadObjectId"], user_name=JOOST["name"], description=None, now=harness.clock.now())
    await harness.post(acts.personal_message(harness.service_url, "hallo", user=JOOST))
    before = len(harness.connector.calls)
    clicks = [
        ("oppakken", {"notitie": EVIL}),
        ("update", {"update_tekst": EVIL}),
        ("wacht", {"wacht_partij": EVIL, "wacht_reden": EVIL}),
        ("hervat", {}),
        ("noodoplossing", {"noodoplossing_tekst": EVIL}),
        ("prioriteit", {"prioriteit": "P1", "prioriteit_reden": EVIL}),
        ("opgelost", {"oplossing": EVIL, "eerste_keer_goed": "ja"}),
        ("heropenen", {"heropen_reden": EVIL}),
    ]
    for verb, inputs in clicks:
        status, body = await click(harness, verb, ticket_id, user=EVIL_AGENT, **inputs)
        assert status == 200 and body["type"] == "application/vnd.microsoft.card.adaptive", (verb, body)
    to_people = [c for c in harness.connector.calls[before:] if c.conversation_id.startswith("a:personal-") and c.text]
    reporter = [c for c in to_people if c.conversation_id == f"a:personal-{acts.EMPLOYEE['aadObjectId']}"]
    follower = [c for c in to_people if c.conversation_id == f"a:personal-{JOOST['aadObjectId']}"]
    assert len(reporter) >= len(clicks) - 1 and follower  # the acknowledgement goes to the reporter only
    for call in reporter + follower:
        if "weer aan je melding" not in call.text:  # "hervat" quotes nobody
            _literal(call.body)
    _plain_everywhere(harness.connector.calls)


async def test_a_status_update_and_mijn_meldingen_show_the_agents_name_and_note_literally(harness):
    ticket_id = await new_ticket(harness)
    await click(harness, "oppakken", ticket_id, user=EVIL_AGENT, notitie=EVIL)
    _literal(harness.connector.to(f"a:personal-{acts.EMPLOYEE['aadObjectId']}")[-1].body)  # "opgepakt door ...: note"
    harness.clock.advance(timedelta(days=1, hours=2))
    assert await harness.app[app_module.JOBS].status_sweep() == 1
    # The scheduled message is the bot's own holding message: it quotes no note (old news), and
    # names who works on it only as typed.
    update = harness.connector.to(f"a:personal-{acts.EMPLOYEE['aadObjectId']}")[-1]
    assert update.text.startswith("Stand van je melding") and "nog geen nieuws" in update.text
    assert update.text.count("evil.example/login") == 1  # the owner's name; the note is not quoted
    _literal(update.body)
    await harness.say("mijn meldingen")
    listed = harness.connector.to(f"a:personal-{acts.EMPLOYEE['aadObjectId']}")[-1]
    _literal(listed.body)
    await harness.say(f"status M-{ticket_id}")
    _literal(harness.connector.to(f"a:personal-{acts.EMPLOYEE['aadObjectId']}")[-1].body)


async def test_the_servicedesk_reads_an_unreachable_reporters_name_literally(harness):
    reporter = acts.person(EVIL, acts.EMPLOYEE["aadObjectId"])
    ticket_id = await new_ticket(harness, reporter=reporter, phone="06 1234 5678")
    harness.connector.scripts_for[f"a:personal-{acts.EMPLOYEE['aadObjectId']}"] = [(403, {})]  # the bot was removed
    await click(harness, "oppakken", ticket_id, notitie="Ik bel je zo.")
    (notice,) = [c for c in harness.connector.to("19:servicedesk") if "niet bereikbaar via Teams" in c.text]
    _literal(notice.body)


async def test_a_low_score_remark_reaches_the_servicedesk_literally(harness):
    ticket_id = await new_ticket(harness)
    await click(harness, "oppakken", ticket_id, notitie="Ik kijk ernaar.")
    await click(harness, "opgelost", ticket_id, oplossing="Nieuwe voeding.", eerste_keer_goed="ja")
    await harness.say(None, value={"feedback": "csat", "ticket": ticket_id, "score": 3, "opmerking": EVIL})
    (low,) = [c for c in harness.connector.to("19:servicedesk") if "Lage tevredenheid" in c.card_text()]
    _literal(low.body)


async def test_the_weekly_summary_shows_an_uplift_motivation_literally_on_the_card_and_on_the_command_line(harness):
    await new_ticket(harness, priority="P1", uplift=True, motivation=EVIL + "\x1b[2J\u202e")
    harness.clock.advance(timedelta(days=7))
    assert await harness.app[app_module.JOBS].weekly_summary() is True
    (card,) = [c for c in harness.connector.calls if c.conversation_id == "19:overleg"]
    _literal(card.body)
    async with harness.app[app_module.DATABASE].sessions() as session:
        from storage.reporting import last_complete_week, report_with_previous

        policy = harness.app[app_module.POLICY]
        figures = await report_with_previous(session, policy=policy, period=last_complete_week(harness.clock.now(), policy), now=harness.clock.now())
    lines = "\n".join(summary.summary_lines(figures))
    assert EVIL in lines and "\x1b" not in lines and "\u202e" not in lines  # a terminal reads no escape


@pytest.mark.parametrize("words", [EVIL, "1. een\n- twee\n# drie\n> vier\n---", "a_b@halt.nl en https://halt.nl/x_y", "`code` ~~weg~~ | a | b |"])
def test_plain_markdown_and_plain_run_show_any_text_as_typed(words):
    """The helper itself, against the model of Teams: every kind of markup comes out as typed."""
    assert shown.markdown(plain.markdown(words), card=True).shows_literally(words)
    assert shown.markdown(plain.markdown(words)).markup == []
    assert shown.run(plain.run_text(words)).shows_literally(words)
