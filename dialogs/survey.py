"""The experience survey in the employee's chat (XLA, PvE §10.5): three scores and a remark.

The invitation (sent by ``reach``, ``reach.surveys``) asks the first question on a card
with ten buttons; each answer, tapped or typed ("8", "een 8", "acht"), brings the next question,
and after the third the bot asks for an optional remark (typed; or sent along with the third
card's text field). "8,5" is asked again as a whole number: the scale is whole numbers, as on the
card.

The card's data names the round and the question, but the server decides: only a person asked in
that round can answer, once per question, while the round is open (``reach.surveys.Outcome``);
a forged or replayed tap changes nothing and says so.

"geen enquêtes" records that the employee is not asked again (audited), "wel enquêtes" undoes it.

A typed number goes to the survey when its question is the newest one asking for a number: a
ticket's score (CSAT, ``dialogs.feedback``) asked later goes first.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext

from dialogs import texts
from dialogs.intake import reporter_of
from dialogs.recognize import Kind, Reading
from dialogs.services import DeskServices
from sla.xla import HIGHEST, LOWEST, QUESTIONS, Question, valid_score
from reach import surveys
from reach.surveys import REMARK, Outcome
from storage import feedback

SURVEY_KEY = "survey"
CLOSED_TOLD_FOR = timedelta(days=30)
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
log = logging.getLogger("servicedesk.survey")


def question_card(*, round_id: int, question: Question, intro: str | None = None) -> dict[str, Any]:
    """One question with ten buttons in two rows; the last question also has the remark field.
    ``intro``: the invitation's or the reminder's words above the first question put."""
    number = QUESTIONS.index(question) + 1

    def row(scores: range) -> dict[str, Any]:
        return {
            "type": "ActionSet",
            "actions": [
                {"type": "Action.Submit", "title": str(score),
                 "data": {SURVEY_KEY: round_id, "onderdeel": question.value, "score": score}}
                for score in scores
            ],
        }

    body: list[dict[str, Any]] = [{"type": "TextBlock", "text": texts.SURVEY_TITLE, "weight": "Bolder", "wrap": True}]
    if intro:
        body.append({"type": "TextBlock", "text": intro, "wrap": True})
    body += [
        {"type": "TextBlock", "text": texts.SURVEY_QUESTION_NUMBER.format(n=number), "isSubtle": True, "spacing": "Medium"},
        {"type": "TextBlock", "text": texts.SURVEY_QUESTIONS[question.value], "wrap": True, "weight": "Bolder"},
        {"type": "TextBlock", "text": texts.SURVEY_HOW, "wrap": True, "isSubtle": True},
    ]
    if number == len(QUESTIONS):
        body.append({"type": "Input.Text", "id": "opmerking", "label": texts.SURVEY_REMARK_LABEL, "isMultiline": True,
                     "maxLength": surveys.MAX_REMARK})
    body += [row(range(LOWEST, 6)), row(range(6, HIGHEST + 1))]
    if number == 1:
        body.append({"type": "TextBlock", "text": texts.SURVEY_OPT_OUT_HINT, "wrap": True, "isSubtle": True, "size": "Small"})
    return {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.5", "body": body}


def answered_card(question: Question, score: int) -> dict[str, Any]:
    text = texts.SURVEY_CARD_ANSWERED.format(question=texts.SURVEY_QUESTION_NAMES[question.value], score=score)
    return {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.5",
            "body": [{"type": "TextBlock", "text": text, "wrap": True}]}


def _card(card: dict[str, Any]):
    return MessageFactory.attachment(CardFactory.adaptive_card(card))


async def handle(turn_context: TurnContext, services: DeskServices) -> None:
    """A tap on a survey card's button."""
    value = turn_context.activity.value if isinstance(turn_context.activity.value, dict) else {}
    round_id, score = value.get(SURVEY_KEY), value.get("score")
    try:
        question = Question(value.get("onderdeel"))
    except ValueError:
        question = None
    if isinstance(score, str) and score.strip().isdigit():
        score = int(score)
    if not isinstance(round_id, int) or isinstance(round_id, bool) or question is None or not valid_score(score):
        await turn_context.send_activity(texts.SURVEY_NOT_ASKED)
        return
    remark = value.get("opmerking")
    remark = remark.strip() if isinstance(remark, str) and remark.strip() else None
    await _score(turn_context, services, round_id=round_id, question=question, score=score, remark=remark,
                 card_id=turn_context.activity.reply_to_id)


async def answer_typed(turn_context: TurnContext, services: DeskServices, reading: Reading) -> bool:
    """A typed message outside any dialog: "geen enquêtes" / "wel enquêtes", a score for the
    open question, or the remark after the three scores. False: not for the survey."""
    if reading.kind in (Kind.NO_SURVEYS, Kind.SURVEYS):
        await _opt(turn_context, services, out=reading.kind is Kind.NO_SURVEYS)
        return True
    user_id, _ = reporter_of(turn_context.activity)
    async with services.database.sessions() as session:
        step = await surveys.open_step(session, user_id=user_id)
        if step is None:
            return False
        scores_asked = [q for q in await feedback.open_questions(session, reporter_id=user_id) if q.kind == feedback.CSAT]
    if scores_asked and scores_asked[0].asked_at > step.prompted_at and reading.kind is Kind.NUMBER:
        return False  # a ticket's score was asked after the survey's question: the number is for it
    if step.closed_at is not None:
        # A score for a round that is over is told so (a while after; later it is just a number).
        if reading.kind is Kind.NUMBER and services.clock.now() - step.closed_at < CLOSED_TOLD_FOR:
            await turn_context.send_activity(texts.SURVEY_CLOSED)
            return True
        return False
    if step.step == REMARK:
        await _remark(turn_context, services, round_id=step.round_id, reading=reading)
        return True
    if reading.kind is not Kind.NUMBER:
        return False
    if reading.number is None or not valid_score(reading.number):
        await turn_context.send_activity(texts.SURVEY_WHOLE_NUMBER)
        return True
    await _score(turn_context, services, round_id=step.round_id, question=Question(step.step), score=reading.number,
                 remark=None, card_id=None)
    return True


_NO_REMARK = frozenset({Kind.NO, Kind.OK, Kind.THANKS, Kind.DONT_KNOW})


async def _remark(turn_context: TurnContext, services: DeskServices, *, round_id: int, reading: Reading) -> None:
    user_id, _ = reporter_of(turn_context.activity)
    text = (turn_context.activity.text or "").strip()
    remark = None if reading.kind in _NO_REMARK and not reading.more else text or None
    async with services.database.sessions.begin() as session:
        outcome = await surveys.record_remark(
            session, round_id=round_id, user_id=user_id, remark=remark, now=services.clock.now()
        )
    if outcome is Outcome.RECORDED:
        await turn_context.send_activity(texts.SURVEY_THANKS_REMARK if remark else texts.SURVEY_THANKS)
    else:
        await turn_context.send_activity(_REFUSED[outcome])


_REFUSED = {Outcome.ALREADY: texts.SURVEY_ALREADY, Outcome.CLOSED: texts.SURVEY_CLOSED, Outcome.NOT_ASKED: texts.SURVEY_NOT_ASKED}


async def _score(
    turn_context: TurnContext, services: DeskServices, *, round_id: int, question: Question, score: int,
    remark: str | None, card_id: str | None,
) -> None:
    user_id, _ = reporter_of(turn_context.activity)
    async with services.database.sessions.begin() as session:
        answered = await surveys.record_score(
            session, round_id=round_id, user_id=user_id, question=question, score=score, now=services.clock.now(),
            remark=remark,
        )
    if answered.outcome is not Outcome.RECORDED:
        await turn_context.send_activity(_REFUSED[answered.outcome])
        return
    if card_id:
        await _close_card(turn_context, card_id=card_id, question=question, score=score)
    got = texts.SURVEY_GOT.format(score=score)
    if answered.next_step is None:
        await turn_context.send_activity(texts.SURVEY_THANKS_REMARK if remark else texts.SURVEY_THANKS)
    elif answered.next_step == REMARK:
        await turn_context.send_activity(f"{got} {texts.SURVEY_ASK_REMARK}")
    else:
        following = _card(question_card(round_id=round_id, question=Question(answered.next_step)))
        following.text = got
        await turn_context.send_activity(following)


async def _opt(turn_context: TurnContext, services: DeskServices, *, out: bool) -> None:
    user_id, _ = reporter_of(turn_context.activity)
    async with services.database.sessions.begin() as session:
        changed = await surveys.set_opt_out(session, user_id=user_id, out=out, now=services.clock.now())
    if out:
        await turn_context.send_activity(texts.SURVEY_OPTED_OUT if changed else texts.SURVEY_ALREADY_OUT)
    else:
        await turn_context.send_activity(texts.SURVEY_OPTED_IN if changed else texts.SURVEY_ALREADY_IN)


async def _close_card(turn_context: TurnContext, *, card_id: str, question: Question, score: int) -> None:
    """Replace the answered card, so its buttons cannot be tapped again (best effort)."""
    answered = _card(answered_card(question, score))
    answered.id = card_id
    try:
        await turn_context.update_activity(answered)
    except Exception:  # noqa: BLE001 - the answer is stored; an old card that stays is harmless
        log.info("could not replace an answered survey card")


def is_survey_tap(value: object) -> bool:
    return isinstance(value, dict) and SURVEY_KEY in value

