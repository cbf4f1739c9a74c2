"""After a workaround or resolution the reporter is asked "Kun je weer verder?" and for a score.

Through HTTP: the servicedesk resolves from the card, the reporter gets both cards, taps; the
answers count once, only from the reporter, and a low score reaches the servicedesk.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from sla import events as ev
from tests.servicedesk.desk import events, new_ticket, ticket
from tests.support import activities as acts
from tests.support.cards import assert_valid_card
from tests.support.harness import harness_settings, start_harness, stop_harness


@pytest.fixture
async def harness(sqlite_database_url):
    h = await start_harness(harness_settings(sqlite_database_url))
    await h.link_channels()
    await h.say("hallo")  # the reporter has the bot installed: the bot can reach them
    yield h
    await stop_harness(h)


async def _resolve(harness, ticket_id: int) -> None:
    current = await ticket(harness, ticket_id)
    status, _ = await harness.execute("oppakken", {"ticket": ticket_id, "versie": current.version, "notitie": "Ik kijk ernaar."})
    assert status == 200
    harness.clock.advance(timedelta(minutes=30))
    current = await ticket(harness, ticket_id)
    status, _ = await harness.execute(
        "opgelost", {"ticket": ticket_id, "versie": current.version, "oplossing": "Nieuwe voeding."}
    )
    assert status == 200


def _cards_to_employee(harness):
    return [card for call in harness.connector.to("a:personal-") for card in call.cards]


async def test_after_resolution_the_reporter_says_they_work_again_once(harness):
    ticket_id = await new_ticket(harness)
    await _resolve(harness, ticket_id)
    cards = _cards_to_employee(harness)
    mttp = [c for c in cards if "Kun je weer verder met je werk?" in str(c)]
    csat = [c for c in cards if "Hoe tevreden" in str(c)]
    assert len(mttp) == 1 and len(csat) == 1
    assert_valid_card(mttp[0])
    assert_valid_card(csat[0])

    harness.clock.advance(timedelta(minutes=12))
    await harness.say(None, value={"feedback": "mttp", "ticket": ticket_id, "antwoord": "ja"})
    assert "Fijn dat je weer verder kunt" in harness.replies_to_employee()[-1]
    await harness.say(None, value={"feedback": "mttp", "ticket": ticket_id, "antwoord": "ja"})
    assert "had ik al" in harness.replies_to_employee()[-1]
    productive = [e for e in await events(harness, ticket_id) if e.kind == ev.PRODUCTIVE_AGAIN]
    assert len(productive) == 1 and productive[0].at == harness.clock.now()


async def test_a_low_score_reaches_the_servicedesk_and_counts_once_per_resolution(harness):
    ticket_id = await new_ticket(harness)
    await _resolve(harness, ticket_id)
    await harness.say(None, value={"feedback": "csat", "ticket": ticket_id, "score": 4, "opmerking": "Duurde lang."})
    assert "Dank je voor je cijfer: 4" in harness.replies_to_employee()[-1]
    low = [c for c in harness.connector.to("19:servicedesk") if "Lage tevredenheid" in c.card_text()]
    assert len(low) == 1 and "Duurde lang." in low[0].card_text()
    await harness.say(None, value={"feedback": "csat", "ticket": ticket_id, "score": 9})
    assert "had ik al" in harness.replies_to_employee()[-1]
    scores = [e.data["score"] for e in await events(harness, ticket_id) if e.kind == ev.CSAT]
    assert scores == [4]

    # Reopened and resolved again: a new score is welcome.
    current = await ticket(harness, ticket_id)
    await harness.execute("heropenen", {"ticket": ticket_id, "versie": current.version, "heropen_reden": "Weer kapot."})
    current = await ticket(harness, ticket_id)
    await harness.execute(
        "opgelost", {"ticket": ticket_id, "versie": current.version, "oplossing": "Moederbord."}
    )
    await harness.say(None, value={"feedback": "csat", "ticket": ticket_id, "score": 8})
    scores = [e.data["score"] for e in await events(harness, ticket_id) if e.kind == ev.CSAT]
    assert scores == [4, 8]


async def test_someone_else_cannot_answer_for_the_reporter(harness):
    ticket_id = await new_ticket(harness)
    await _resolve(harness, ticket_id)
    await harness.say("hallo", user=acts.STRANGER)
    await harness.say(None, user=acts.STRANGER, value={"feedback": "csat", "ticket": ticket_id, "score": 1})
    assert "hoort niet bij een melding van jou" in harness.replies_to_employee(acts.STRANGER)[-1]
    await harness.say(None, user=acts.STRANGER, value={"feedback": "mttp", "ticket": ticket_id, "antwoord": "ja"})
    kinds = [e.kind for e in await events(harness, ticket_id)]
    assert ev.CSAT not in kinds and ev.PRODUCTIVE_AGAIN not in kinds


async def test_feedback_before_any_resolution_changes_nothing(harness):
    ticket_id = await new_ticket(harness)
    await harness.say(None, value={"feedback": "csat", "ticket": ticket_id, "score": 10})
    kinds = [e.kind for e in await events(harness, ticket_id)]
    assert ev.CSAT not in kinds


async def test_an_answered_feedback_card_is_replaced_so_it_cannot_be_tapped_again(harness):
    ticket_id = await new_ticket(harness)
    await _resolve(harness, ticket_id)
    (csat_call,) = [c for c in harness.connector.to("a:personal-") if "Hoe tevreden" in c.card_text()]
    posted = harness.connector.calls.index(csat_call)
    # The stub answers every post with the next "sent-N"; the CSAT card's id is the one it got.
    sent_id = f"sent-{sum(1 for c in harness.connector.calls[: posted + 1] if c.method == 'POST')}"
    activity = acts.personal_message(harness.service_url, None, value={"feedback": "csat", "ticket": ticket_id, "score": 9})
    activity["replyToId"] = sent_id
    status, _ = await harness.post(activity)
    assert status == 200
    replaced = [c for c in harness.connector.calls if c.method == "PUT" and c.activity_id == sent_id]
    assert len(replaced) == 1
    assert "je antwoord is binnen" in replaced[0].card_text() and "Action.Submit" not in str(replaced[0].cards)


async def test_typed_closing_answers_count_as_the_buttons_would(harness):
    ticket_id = await new_ticket(harness)
    await _resolve(harness, ticket_id)
    harness.clock.advance(timedelta(minutes=5))
    await harness.say("ja hoor")
    assert "Fijn dat je weer verder kunt" in harness.replies_to_employee()[-1]
    await harness.say("een 8")
    assert "Dank je voor je cijfer: 8." in harness.replies_to_employee()[-1]
    kinds = [(e.kind, e.data.get("score")) for e in await events(harness, ticket_id)]
    assert (ev.PRODUCTIVE_AGAIN, None) in kinds and (ev.CSAT, 8) in kinds
    assert not [c for c in harness.connector.to("19:servicedesk") if "Lage tevredenheid" in c.card_text()]


async def test_typed_nog_niet_reopens_and_the_servicedesk_card_says_so_at_the_top(harness):
    ticket_id = await new_ticket(harness)
    await _resolve(harness, ticket_id)
    before = len(harness.replies_to_employee())
    await harness.say("werkt nog steeds niet")
    told = harness.replies_to_employee()[before:]
    assert len(told) == 2, told  # the bot's own answer, in "je", and the question; nothing else
    assert "Je melding **M-1** staat weer open." in told[0] and "Wat werkt er nog niet?" in told[1]
    assert not any("elder" in text for text in told)
    assert (await ticket(harness, ticket_id)).status == "opgepakt"

    await harness.say("de printer piept nog steeds")
    assert "Ik heb je aanvulling bij **M-1** gezet." in harness.replies_to_employee()[-1]
    [card] = [c for c in harness.connector.to("19:servicedesk") if c.method == "PUT"][-1:]
    first_lines = card.cards[0]["body"][:2]
    assert first_lines[0]["text"].startswith("Melding M-1")
    frame = first_lines[1]  # right under the heading, framed, with what still fails
    assert frame["style"] == "attention" and ["".join(run["text"] for run in line["inlines"]) for line in frame["items"]] == [
        "Heropend door de melder: Sanne de Vries kan nog niet verder met het werk.",
        "Wat nog niet werkt: de printer piept nog steeds",
    ]
    assert "Aanvulling: de printer piept nog steeds" in card.card_text()
    reopened = [e for e in await events(harness, ticket_id) if e.kind == ev.REOPENED]
    assert [e.data["by"] for e in reopened] == ["reporter"]
