"""One question to the employee, answered by a button or by typing.

A question is a plain JSON-able dict, so the dialog state stays small and readable in the
database. Buttons are Adaptive Card ``Action.Submit`` buttons whose data carries the question id:
a click on an old card (a question asked earlier) is not mistaken for an answer to this one.

Unrecognised answers get a friendly re-ask with examples; after two misses the employee is shown
a way out (and can still answer).
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.dialogs import Dialog, DialogContext, DialogTurnResult
from botbuilder.schema import ActivityTypes

from dialogs import recognize, texts

YES_NO = "yes_no"
CHOICE = "choice"
TEXT = "text"
PHONE = "phone"

ANSWER_KEY = "antwoord"
QUESTION_KEY = "vraag"
MAX_MISSES_BEFORE_WAY_OUT = 2


def yes_no_question(question_id: str, text: str) -> dict[str, Any]:
    return {"id": question_id, "kind": YES_NO, "text": text}


def choice_question(question_id: str, text: str, choices: list[recognize.Choice]) -> dict[str, Any]:
    return {
        "id": question_id,
        "kind": CHOICE,
        "text": text,
        "choices": [{"value": c.value, "title": c.title, "synonyms": list(c.synonyms)} for c in choices],
    }


def text_question(question_id: str, text: str, *, min_length: int = 2) -> dict[str, Any]:
    return {"id": question_id, "kind": TEXT, "text": text, "min_length": min_length}


def phone_question(question_id: str, text: str) -> dict[str, Any]:
    return {"id": question_id, "kind": PHONE, "text": text}


def _buttons(question: dict[str, Any]) -> list[tuple[str, str]]:
    if question["kind"] == YES_NO:
        return [(texts.YES, "ja"), (texts.NO, "nee")]
    if question["kind"] == CHOICE:
        return [(f"{i}. {c['title']}", c["value"]) for i, c in enumerate(question["choices"], start=1)]
    return []


def question_card(question: dict[str, Any]) -> dict[str, Any]:
    """An Adaptive Card 1.5 with the question and one Action.Submit per answer."""
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": question["text"], "wrap": True}],
        "actions": [
            {"type": "Action.Submit", "title": title, "data": {QUESTION_KEY: question["id"], ANSWER_KEY: value}}
            for title, value in _buttons(question)
        ],
    }


def ask_activity(question: dict[str, Any]):
    if _buttons(question):
        return MessageFactory.attachment(CardFactory.adaptive_card(question_card(question)))
    return MessageFactory.text(question["text"])


def recognise(question: dict[str, Any], activity) -> Any | None:
    """The answer in this activity, or None if it does not answer this question."""
    value = activity.value if isinstance(activity.value, dict) else None
    if value is not None and ANSWER_KEY in value:
        if value.get(QUESTION_KEY) != question["id"]:
            return None  # a button from an earlier question
        raw = str(value[ANSWER_KEY])
    else:
        raw = activity.text or ""
    kind = question["kind"]
    if kind == YES_NO:
        return recognize.yes_no(raw)
    if kind == CHOICE:
        options = [recognize.Choice(c["value"], c["title"], tuple(c["synonyms"])) for c in question["choices"]]
        return recognize.choice(raw, options)
    if kind == PHONE:
        return recognize.phone_number(raw)
    cleaned = raw.strip()
    return cleaned if len(cleaned) >= question.get("min_length", 2) else None


def _re_ask_text(question: dict[str, Any]) -> str:
    return {
        YES_NO: texts.NOT_UNDERSTOOD_YES_NO,
        CHOICE: texts.NOT_UNDERSTOOD_CHOICE,
        PHONE: texts.PHONE_NOT_RECOGNISED,
    }.get(question["kind"], texts.DESCRIPTION_TOO_SHORT)


class QuestionDialog(Dialog):
    """Asks the question given as options; ends with the recognised answer."""

    def __init__(self, dialog_id: str = "question") -> None:
        super().__init__(dialog_id)

    async def begin_dialog(self, dialog_context: DialogContext, options: object = None) -> DialogTurnResult:
        question = dict(options)  # type: ignore[arg-type]
        dialog_context.active_dialog.state["question"] = question
        dialog_context.active_dialog.state["misses"] = 0
        await dialog_context.context.send_activity(ask_activity(question))
        return Dialog.end_of_turn

    async def continue_dialog(self, dialog_context: DialogContext) -> DialogTurnResult:
        context: TurnContext = dialog_context.context
        if context.activity.type != ActivityTypes.message:
            return Dialog.end_of_turn
        state = dialog_context.active_dialog.state
        question = state["question"]
        answer = recognise(question, context.activity)
        if answer is not None:
            return await dialog_context.end_dialog(answer)
        state["misses"] = state.get("misses", 0) + 1
        await context.send_activity(_re_ask_text(question))
        if state["misses"] >= MAX_MISSES_BEFORE_WAY_OUT:
            await context.send_activity(texts.WAY_OUT)
        await context.send_activity(ask_activity(question))
        return Dialog.end_of_turn

    async def reprompt_dialog(self, context: TurnContext, instance) -> None:
        await context.send_activity(ask_activity(instance.state["question"]))
