"""The experience survey in the employee's chat, as the employee reads it (docs/transcripts/)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import survey_cards
from dialogs import texts
from reach import service, surveys
from storage import refs
from storage.outbox import Kind
from tests.dialogs.chat import SANNE


async def _invited(services):
    """A round started and its question sent to Sanne, as the survey job and reach do; returns the
    invitation card."""
    now = services.clock.now()
    async with services.database.sessions.begin() as session:
        await refs.save_reference(session, kind=refs.USER, key=SANNE.object_id, reference={"user": {"id": "29:sanne"}}, now=now)
        row = await surveys.start_round(session, policy=services.policy, now=now, label="2026-04", by=None, by_name="planning",
                                        remind_after=timedelta(days=7), open_for=timedelta(days=14), what="Enquête")
        payload = {"kind": Kind.SURVEY_QUESTION, "campaign_id": row.campaign_id, "user": SANNE.object_id}
        await service.record(session, payload=payload, outcome="sent")  # as the outbox does when Teams took it
        round_, question = await surveys.question_for(session, campaign_id=row.campaign_id, user_id=SANNE.object_id)
        return survey_cards.question_card(round_, question, reminder=False, now=now, tz=services.policy.tz)


def _tap(card, score: int) -> dict:
    buttons = [a for block in card["body"] if block["type"] == "ActionSet" for a in block["actions"]]
    return next(dict(b["data"]) for b in buttons if b["data"]["score"] == score)


@pytest.mark.transcript("Belevingsmeting (XLA): typen en tikken, een toelichting, geen enquêtes meer")
async def test_survey_answered_by_typing_and_tapping_then_no_more_surveys(chat, services):
    read = chat.receive(card=await _invited(services))
    assert "Je kunt antwoorden tot dinsdag 12 mei om 08:00" in read and "Vraag 1 van 3" in read
    read = await chat.say("acht")
    assert read.startswith("Genoteerd: een 8.") and "Vraag 2 van 3" in read
    read = await chat.say(None, value=_tap(chat.last_card(), 7), shown="[7]")
    assert "Vraag 3 van 3" in read
    assert await chat.say("7,5") == texts.SURVEY_WHOLE_NUMBER
    read = await chat.say("een 9")
    assert texts.SURVEY_ASK_REMARK in read
    assert await chat.say("Ik hoorde pas van het onderhoud toen Outlook niet werkte.") == texts.SURVEY_THANKS_REMARK
    invitation = chat.all_replies[0].cards[0]  # the first card again: that question was answered
    assert await chat.say(None, value=_tap(invitation, 3), shown="[3]") == texts.SURVEY_ALREADY
    assert await chat.say("geen enquêtes") == texts.SURVEY_OPTED_OUT
    assert await chat.say("geen enquêtes meer!") == texts.SURVEY_ALREADY_OUT
    assert await chat.say("wel enquêtes") == texts.SURVEY_OPTED_IN
