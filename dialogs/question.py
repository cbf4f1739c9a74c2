"""One question to the employee, answered by a button or by typing.

A question is a plain JSON-able dict, so the dialog state stays small and readable in the
database (and survives a restart as it is). Buttons are Adaptive Card ``Action.Submit`` buttons
whose data carries the question id: a click on an old card (a question asked earlier) is not
mistaken for an answer to this one.

Typed answers are read by ``dialogs.recognize`` (so "ja hoor", "👍" and "nog niet" work at every
question). Unrecognised answers get a friendly re-ask with examples, at most twice. The third miss
gives a way out: a question with a ``fallback`` goes on with that answer (and says so: it can be
changed on the summary card); one without (a description, the summary) says how to stop or get help
and stays open.

"weet ik niet" is not a miss and never an answer: a question with a ``simpler`` wording is asked
again that way, once; then a question with a ``fallback`` goes on with it and says so; one without
is asked again with a word of help.

Card layout for a phone screen: yes/no and up to three choices are buttons under the question;
longer lists are one full-width button per line (Teams shows at most 6 actions in a row).
"""

from __future__ import annotations

from typing import Any, Sequence

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.dialogs import Dialog, DialogContext, DialogTurnResult
from botbuilder.schema import ActivityTypes

from dialogs import attachments, recognize, texts

YES_NO = "yes_no"
CHOICE = "choice"
TEXT = "text"
PHONE = "phone"

ANSWER_KEY = "antwoord"
QUESTION_KEY = "vraag"
MAX_RE_ASKS = 2
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
INLINE_BUTTONS = 3

_STALE = object()  # a button from an earlier question
_DONT_KNOW = object()  # "weet ik niet"


def yes_no_question(question_id: str, text: str, *, fallback: bool | None = None, simpler: str | None = None) -> dict[str, Any]:
    return {"id": question_id, "kind": YES_NO, "text": text, "fallback": fallback, "simpler": simpler}


def choice_question(
    question_id: str,
    text: str,
    choices: Sequence[tuple[str, str, Sequence[str]]],
    *,
    fallback: str | None = None,
    yes: str | None = None,
    no: str | None = None,
    body: list[dict[str, Any]] | None = None,
    numbered: bool = True,
) -> dict[str, Any]:
    """``choices`` are (value, title, synonyms); ``yes``/``no`` map a plain "ja"/"nee" to a value."""
    return {
        "id": question_id,
        "kind": CHOICE,
        "text": text,
        "choices": [{"value": v, "title": t, "synonyms": list(s)} for v, t, s in choices],
        "fallback": fallback,
        "yes": yes,
        "no": no,
        "body": body or [],
        "numbered": numbered,
    }


def text_question(
    question_id: str, text: str, *, min_length: int = 2, accept_photo: bool = False, simpler: str | None = None
) -> dict[str, Any]:
    """``accept_photo``: a photo without text answers it too (as "")."""
    return {
        "id": question_id, "kind": TEXT, "text": text, "min_length": min_length, "fallback": None,
        "accept_photo": accept_photo, "simpler": simpler,
    }


def phone_question(question_id: str, text: str) -> dict[str, Any]:
    # After three misses (or "geen"/"nee"), go on without a number rather than trap someone in a P1.
    return {"id": question_id, "kind": PHONE, "text": text, "fallback": ""}


def _buttons(question: dict[str, Any]) -> list[tuple[str, str]]:
    if question["kind"] == YES_NO:
        return [(texts.YES, "ja"), (texts.NO, "nee")]
    if question["kind"] == CHOICE:
        numbered = question.get("numbered", True)
        return [
            (f"{i}. {c['title']}" if numbered else c["title"], c["value"])
            for i, c in enumerate(question["choices"], start=1)
        ]
    return []


def _submit(question: dict[str, Any], title: str, value: str) -> dict[str, Any]:
    return {"type": "Action.Submit", "title": title, "data": {QUESTION_KEY: question["id"], ANSWER_KEY: value}}


INLINE_TITLE_MAX = 14


def question_card(question: dict[str, Any]) -> dict[str, Any]:
    """An Adaptive Card 1.5 with the question and one Action.Submit per answer."""
    body: list[dict[str, Any]] = list(question.get("body") or [])
    body.append({"type": "TextBlock", "text": question["text"], "wrap": True, "weight": "Bolder" if body else "Default"})
    buttons = _buttons(question)
    card: dict[str, Any] = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.5", "body": body}
    # Side by side only when short: Teams cuts long titles off in a row ("1. Nee, ik kan niet…").
    if len(buttons) <= INLINE_BUTTONS and all(len(title) <= INLINE_TITLE_MAX for title, _ in buttons):
        card["actions"] = [_submit(question, title, value) for title, value in buttons]
    else:
        body.extend({"type": "ActionSet", "actions": [_submit(question, title, value)]} for title, value in buttons)
    return card


def ask_activity(question: dict[str, Any], *, lead: str | None = None):
    """The question as one message; ``lead`` goes above it in the same message ("Dat begreep ik
    niet." and the question again are one bubble in the chat, and one call to Teams)."""
    if _buttons(question):
        activity = MessageFactory.attachment(CardFactory.adaptive_card(question_card(question)))
        # The question as plain text too: notifications and screen readers show it.
        activity.summary = question["text"]
        if lead:
            activity.text = lead
        return activity
    return MessageFactory.text(f"{lead}\n\n{question['text']}" if lead else question["text"])


def _choice_answer(question: dict[str, Any], raw: str) -> str | None:
    values = [c["value"] for c in question["choices"]]
    if raw in values:
        return raw
    options = [recognize.Choice(c["value"], c["title"], tuple(c["synonyms"])) for c in question["choices"]]
    found = recognize.choice(raw, options)
    if found is not None:
        return found
    said = recognize.yes_no(raw)
    if said is True and question.get("yes"):
        return question["yes"]
    if said is False and question.get("no"):
        return question["no"]
    return None


def recognise(question: dict[str, Any], activity) -> Any | None:
    """The answer in this activity; ``_STALE`` for a button of another question, ``_DONT_KNOW`` for
    a typed "weet ik niet"; else None."""
    value = activity.value if isinstance(activity.value, dict) else None
    if value is not None and ANSWER_KEY in value:
        if value.get(QUESTION_KEY) != question["id"]:
            return _STALE
        raw = str(value[ANSWER_KEY])
    else:
        raw = activity.text or ""
        if recognize.read(raw).kind is recognize.Kind.DONT_KNOW:
            return _DONT_KNOW
    kind = question["kind"]
    if kind == YES_NO:
        return recognize.yes_no(raw)
    if kind == CHOICE:
        return _choice_answer(question, raw)
    if kind == PHONE:
        number = recognize.phone_number(raw)
        if number is None and recognize.yes_no(raw) is False:
            return ""  # "nee", "geen": go on without a number
        return number
    cleaned = raw.strip()
    if len(cleaned) >= question.get("min_length", 2):
        return cleaned
    if question.get("accept_photo") and attachments.references(activity):
        return cleaned
    return None


def _examples(question: dict[str, Any]) -> str:
    first = question["choices"][0]
    return f"**1** of **{first['title'].split(' (')[0].lower()}**"


def _re_ask_text(question: dict[str, Any]) -> str:
    kind = question["kind"]
    if kind == YES_NO:
        return texts.NOT_UNDERSTOOD_YES_NO
    if kind == CHOICE:
        return texts.NOT_UNDERSTOOD_CHOICE.format(examples=_examples(question))
    if kind == PHONE:
        return texts.PHONE_NOT_RECOGNISED
    return texts.DESCRIPTION_TOO_SHORT


def _fallback_name(question: dict[str, Any]) -> str:
    fallback = question["fallback"]
    if question["kind"] == YES_NO:
        return texts.YES.lower() if fallback else texts.NO.lower()
    if question["kind"] == CHOICE:
        return next((c["title"] for c in question["choices"] if c["value"] == fallback), str(fallback))
    return str(fallback)


class QuestionDialog(Dialog):
    """Asks the question given as options; ends with the recognised answer."""

    def __init__(self, dialog_id: str = "question") -> None:
        super().__init__(dialog_id)

    async def begin_dialog(self, dialog_context: DialogContext, options: object = None) -> DialogTurnResult:
        """``options`` is the question; its optional "lead" goes above it the first time only."""
        question = dict(options)  # type: ignore[arg-type]
        lead = question.pop("lead", None)
        dialog_context.active_dialog.state["question"] = question
        dialog_context.active_dialog.state["misses"] = 0
        await dialog_context.context.send_activity(ask_activity(question, lead=lead))
        return Dialog.end_of_turn

    async def continue_dialog(self, dialog_context: DialogContext) -> DialogTurnResult:
        context: TurnContext = dialog_context.context
        if context.activity.type != ActivityTypes.message:
            return Dialog.end_of_turn
        state = dialog_context.active_dialog.state
        question = state["question"]
        answer = recognise(question, context.activity)
        if answer is _STALE:
            await context.send_activity(ask_activity(question, lead=texts.STALE_BUTTON))
            return Dialog.end_of_turn
        if answer is _DONT_KNOW:
            return await self._dont_know(dialog_context, state)
        if answer is not None:
            return await dialog_context.end_dialog(answer)
        state["misses"] = state.get("misses", 0) + 1
        if state["misses"] <= MAX_RE_ASKS:
            await context.send_activity(ask_activity(question, lead=_re_ask_text(question)))
            return Dialog.end_of_turn
        if question.get("fallback") is not None:
            return await self._fall_back(dialog_context, question, texts.WAY_OUT_FALLBACK.format(choice=_fallback_name(question)))
        await context.send_activity(ask_activity(question, lead=texts.WAY_OUT))
        return Dialog.end_of_turn

    async def _dont_know(self, dialog_context: DialogContext, state: dict[str, Any]) -> DialogTurnResult:
        question = state["question"]
        if question.get("simpler") and question["text"] != question["simpler"]:
            state["question"] = question = {**question, "text": question["simpler"]}
            await dialog_context.context.send_activity(ask_activity(question, lead=texts.DONT_KNOW_SIMPLER))
            return Dialog.end_of_turn
        if question.get("fallback") is not None:
            told = texts.DONT_KNOW_DEFAULT.format(choice=_fallback_name(question))
            # The intake's choices are on its summary card; its yes/no questions are not.
            return await self._fall_back(dialog_context, question, f"{told} {texts.CHANGE_ON_SUMMARY}" if question["kind"] == CHOICE else told)
        await dialog_context.context.send_activity(ask_activity(question, lead=texts.DONT_KNOW_NO_DEFAULT))
        return Dialog.end_of_turn

    @staticmethod
    async def _fall_back(dialog_context: DialogContext, question: dict[str, Any], told: str) -> DialogTurnResult:
        """Go on with the question's fallback and say so (a phone number: going on without one)."""
        await dialog_context.context.send_activity(texts.PHONE_SKIPPED if question["kind"] == PHONE else told)
        return await dialog_context.end_dialog(question["fallback"])

    async def reprompt_dialog(self, context: TurnContext, instance) -> None:
        await context.send_activity(ask_activity(instance.state["question"]))
