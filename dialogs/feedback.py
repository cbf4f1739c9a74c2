"""Answers to the feedback cards the bot sends after a workaround or resolution.

The card's data names the ticket, but the server decides whose answer it is: only the ticket's
reporter can say they work again or give a score. A second answer changes nothing.
"""

from __future__ import annotations

import logging

from botbuilder.core import CardFactory, MessageFactory, TurnContext

from dialogs import texts
from dialogs.intake import reporter_of
from dialogs.services import DeskServices
from storage import feedback
from storage.tickets import ticket_label

FEEDBACK_KEY = "feedback"
log = logging.getLogger("servicedesk.feedback")


def _ticket_id(value: dict) -> int | None:
    raw = value.get("ticket")
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.isdigit():
        return int(raw)
    return None


def _score(value: dict) -> int | None:
    raw = value.get("score")
    try:
        score = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return score if 1 <= score <= 10 else None


async def handle(turn_context: TurnContext, services: DeskServices) -> None:
    value = turn_context.activity.value if isinstance(turn_context.activity.value, dict) else {}
    kind = value.get(FEEDBACK_KEY)
    ticket_id = _ticket_id(value)
    reporter_id, _ = reporter_of(turn_context.activity)
    now = services.clock.now()
    if ticket_id is None or kind not in ("mttp", "csat"):
        await turn_context.send_activity(texts.FEEDBACK_NOT_UNDERSTOOD)
        return
    label = ticket_label(ticket_id)
    async with services.database.sessions.begin() as session:
        if kind == "mttp":
            can_work = value.get("antwoord") == "ja"
            outcome = await feedback.record_productive_again(
                session, ticket_id=ticket_id, reporter_id=reporter_id, can_work=can_work, now=now
            )
            reply = {
                feedback.FeedbackOutcome.RECORDED: texts.MTTP_THANKS if can_work else texts.MTTP_NOT_YET,
                feedback.FeedbackOutcome.ALREADY: texts.FEEDBACK_ALREADY,
            }.get(outcome, texts.FEEDBACK_NOT_YOURS)
        else:
            score = _score(value)
            if score is None:
                await turn_context.send_activity(texts.CSAT_PICK_A_SCORE)
                return
            remark = value.get("opmerking")
            remark = remark.strip()[:1000] if isinstance(remark, str) and remark.strip() else None
            outcome = await feedback.record_csat(
                session, ticket_id=ticket_id, reporter_id=reporter_id, score=score, remark=remark, now=now
            )
            reply = {
                feedback.FeedbackOutcome.RECORDED: texts.CSAT_THANKS.format(score=score),
                feedback.FeedbackOutcome.ALREADY: texts.FEEDBACK_ALREADY,
            }.get(outcome, texts.FEEDBACK_NOT_YOURS)
    if outcome is feedback.FeedbackOutcome.RECORDED:
        services.after_commit()
    if outcome in (feedback.FeedbackOutcome.RECORDED, feedback.FeedbackOutcome.ALREADY):
        await _close_card(turn_context, label=label)
    await turn_context.send_activity(reply.replace("{label}", label))


def answered_card(label: str) -> dict:
    """What an answered feedback card becomes: a thank-you without buttons."""
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": texts.FEEDBACK_CARD_ANSWERED.format(label=label), "wrap": True}],
    }


async def _close_card(turn_context: TurnContext, *, label: str) -> None:
    """Replace the answered card, so its buttons cannot be tapped again (best effort)."""
    card_id = turn_context.activity.reply_to_id
    if not card_id:
        return
    answered = MessageFactory.attachment(CardFactory.adaptive_card(answered_card(label)))
    answered.id = card_id
    try:
        await turn_context.update_activity(answered)
    except Exception:  # noqa: BLE001 - the answer is stored; an old card that stays is harmless
        log.info("could not replace an answered feedback card")
