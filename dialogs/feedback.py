"""Answers to the closing questions after a workaround or resolution: tapped or typed.

The bot asks "Kun je weer verder met je werk?" and for a score with two cards
(``bot.feedback_cards``). A typed answer works wherever a button does: ``handle`` takes a tap,
``answer_typed`` a typed "ja hoor", "nog niet", "👍" or "een 8" while a question is open
(``storage.feedback.open_questions``), and both record it the same way. The card's data names the
ticket, but the server decides whose answer it is: only the ticket's reporter can answer, once.

"Nog niet" after a resolution reopens the ticket; after a workaround the servicedesk is told. Then
the employee is asked what still fails (the conversation starts that question: ``Answered``),
unless their message already said it ("nee, de printer piept nog steeds"), which then goes to the
ticket as added information.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from botbuilder.core import CardFactory, MessageFactory, TurnContext

from dialogs import texts
from dialogs.intake import reporter_of
from dialogs.recognize import Kind, Reading
from dialogs.services import DeskServices
from storage import employee, feedback
from storage.feedback import CSAT, MTTP, FeedbackOutcome, OpenQuestion
from storage.labels import number_from, ticket_label

FEEDBACK_KEY = "feedback"
log = logging.getLogger("servicedesk.feedback")


@dataclass(frozen=True)
class Answered:
    """What the conversation does after an answer: ask what still fails about ``still_failing``."""

    still_failing: int | None = None  # the ticket, after "nog niet"
    reopened: bool = False


def _score(raw: object) -> int | None:
    try:
        score = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return score if 1 <= score <= 10 else None


async def handle(turn_context: TurnContext, services: DeskServices) -> Answered:
    """A tap on a button of a feedback card."""
    value = turn_context.activity.value if isinstance(turn_context.activity.value, dict) else {}
    kind = value.get(FEEDBACK_KEY)
    ticket_id = number_from(value.get("ticket"))
    if ticket_id is None or kind not in (MTTP, CSAT):
        await turn_context.send_activity(texts.FEEDBACK_NOT_UNDERSTOOD)
        return Answered()
    card_id = turn_context.activity.reply_to_id
    if kind == MTTP:
        return await _can_work(turn_context, services, ticket_id, can_work=value.get("antwoord") == "ja", card_id=card_id)
    score = _score(value.get("score"))
    if score is None:
        await turn_context.send_activity(texts.CSAT_PICK_A_SCORE)
        return Answered()
    remark = value.get("opmerking")
    remark = remark.strip()[:1000] if isinstance(remark, str) and remark.strip() else None
    await _rate(turn_context, services, ticket_id, score=score, remark=remark, card_id=card_id)
    return Answered()


_ANSWERS = frozenset({Kind.YES, Kind.NO, Kind.NUMBER, Kind.OK, Kind.THANKS, Kind.DONT_KNOW})


async def answer_typed(turn_context: TurnContext, services: DeskServices, reading: Reading) -> Answered | None:
    """A typed message while a closing question is open; None when it is no answer to one (then
    the conversation reads it as it would anyway: a description starts a report)."""
    if reading.kind not in _ANSWERS:
        return None
    reporter_id, _ = reporter_of(turn_context.activity)
    async with services.database.sessions() as session:
        questions = await feedback.open_questions(session, reporter_id=reporter_id)
    if not questions:
        return None
    can_work = next((q for q in questions if q.kind == MTTP), None)
    score = next((q for q in questions if q.kind == CSAT), None)
    send = turn_context.send_activity
    if reading.kind is Kind.YES and can_work is not None:
        return await _can_work(turn_context, services, can_work.ticket_id, can_work=True, card_id=None)
    if reading.kind is Kind.NO and can_work is not None:
        what_fails = (turn_context.activity.text or "").strip() if reading.more else None
        return await _can_work(turn_context, services, can_work.ticket_id, can_work=False, card_id=None, what_fails=what_fails)
    if reading.kind is Kind.NUMBER and score is not None:
        if _score(reading.number) is None:
            await send(texts.CSAT_PICK_A_SCORE)
        else:
            await _rate(turn_context, services, score.ticket_id, score=reading.number, remark=None, card_id=None)
        return Answered()
    newest = questions[0]
    if reading.kind in (Kind.OK, Kind.THANKS):
        await send(f"{texts.YOU_ARE_WELCOME} {_ask(newest)}")
    elif reading.kind is Kind.DONT_KNOW:
        await send(texts.MTTP_DONT_KNOW if newest.kind == MTTP else texts.CSAT_NONE)
    elif reading.kind is Kind.NO:  # "nee" to the score: no score
        await send(texts.CSAT_NONE)
    else:  # a yes to the score, a number to "Kun je weer verder?"
        await send(_ask(newest))
    return Answered()


def _ask(question: OpenQuestion) -> str:
    """The open question again, in words that say how to answer it by typing."""
    label = ticket_label(question.ticket_id)
    return (texts.MTTP_ASK if question.kind == MTTP else texts.CSAT_ASK).format(label=label)


async def _can_work(
    turn_context: TurnContext, services: DeskServices, ticket_id: int, *, can_work: bool, card_id: str | None,
    what_fails: str | None = None,
) -> Answered:
    reporter_id, _ = reporter_of(turn_context.activity)
    now = services.clock.now()
    label = ticket_label(ticket_id)
    async with services.database.sessions.begin() as session:
        outcome = await feedback.record_productive_again(
            session, policy=services.policy, ticket_id=ticket_id, reporter_id=reporter_id, can_work=can_work,
            not_yet_note=texts.NOT_YET_FOR_DESK, now=now,
        )
        added = (
            what_fails is not None
            and outcome in (FeedbackOutcome.RECORDED, FeedbackOutcome.REOPENED)
            and await employee.add_information(session, ticket_id=ticket_id, reporter_id=reporter_id, text=what_fails, now=now)
            is not None
        )
    reply = {
        FeedbackOutcome.RECORDED: texts.MTTP_THANKS if can_work else texts.MTTP_NOT_YET,
        FeedbackOutcome.REOPENED: texts.MTTP_REOPENED,
        FeedbackOutcome.ALREADY: texts.FEEDBACK_ALREADY,
        FeedbackOutcome.NOT_ASKED: texts.FEEDBACK_NOT_ASKED,
    }.get(outcome, texts.FEEDBACK_NOT_YOURS)
    await _answered(turn_context, services, outcome, label=label, card_id=card_id)
    if added:
        reply += "\n\n" + texts.INFO_ADDED
    await turn_context.send_activity(reply.format(label=label))
    if can_work or added or outcome not in (FeedbackOutcome.RECORDED, FeedbackOutcome.REOPENED):
        return Answered()
    return Answered(still_failing=ticket_id, reopened=outcome is FeedbackOutcome.REOPENED)


async def _rate(
    turn_context: TurnContext, services: DeskServices, ticket_id: int, *, score: int, remark: str | None, card_id: str | None
) -> None:
    reporter_id, _ = reporter_of(turn_context.activity)
    label = ticket_label(ticket_id)
    async with services.database.sessions.begin() as session:
        outcome = await feedback.record_csat(
            session, ticket_id=ticket_id, reporter_id=reporter_id, score=score, remark=remark, now=services.clock.now()
        )
    reply = {
        FeedbackOutcome.RECORDED: texts.CSAT_THANKS.format(score=score),
        FeedbackOutcome.ALREADY: texts.FEEDBACK_ALREADY,
        FeedbackOutcome.NOT_ASKED: texts.FEEDBACK_NOT_ASKED,
    }.get(outcome, texts.FEEDBACK_NOT_YOURS)
    await _answered(turn_context, services, outcome, label=label, card_id=card_id)
    await turn_context.send_activity(reply.format(label=label))


async def _answered(turn_context: TurnContext, services: DeskServices, outcome: FeedbackOutcome, *, label: str, card_id: str | None) -> None:
    """After the transaction: wake the sender, and close the tapped card once the answer is in."""
    if outcome in (FeedbackOutcome.RECORDED, FeedbackOutcome.REOPENED):
        services.after_commit()
    if card_id and outcome in (FeedbackOutcome.RECORDED, FeedbackOutcome.REOPENED, FeedbackOutcome.ALREADY):
        await _close_card(turn_context, card_id=card_id, label=label)


def answered_card(label: str) -> dict:
    """What an answered feedback card becomes: a thank-you without buttons."""
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": texts.FEEDBACK_CARD_ANSWERED.format(label=label), "wrap": True}],
    }


async def _close_card(turn_context: TurnContext, *, card_id: str, label: str) -> None:
    """Replace the answered card, so its buttons cannot be tapped again (best effort)."""
    answered = MessageFactory.attachment(CardFactory.adaptive_card(answered_card(label)))
    answered.id = card_id
    try:
        await turn_context.update_activity(answered)
    except Exception:  # noqa: BLE001 - the answer is stored; an old card that stays is harmless
        log.info("could not replace an answered feedback card")
