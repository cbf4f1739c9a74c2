"""Adding information to an open ticket: "aanvulling M-12: de printer piept nu ook", or a photo.

One turn when everything is given ("aanvulling M-12: ..."); otherwise a short flow: which ticket
(only when there is more than one open ticket), then what to add (text or a photo). The
information becomes an INFO_ADDED event on the ticket and the servicedesk card is redrawn.

After "nog niet" to "Kun je weer verder met je werk?" the same flow asks what still fails
(``still_failing``); ``reopened`` remembers that the ticket was reopened by that answer, so that a
"stop" can say what did and did not happen (``stopped``).
"""

from __future__ import annotations

import re
from typing import Any

from botbuilder.dialogs import Dialog, DialogContext, DialogReason, DialogTurnResult

from dialogs import texts
from dialogs.intake import QUESTION, reporter_of
from dialogs.question import choice_question, text_question
from dialogs.services import DeskServices
from storage import employee, labels, reads

ADD_INFO_DIALOG = "aanvulling"

# "aanvulling M-12: tekst", "aanvulling bij 12 - tekst", "aanvullen", "toevoegen aan m12 tekst"
COMMAND = re.compile(
    r"^\s*(?:aanvulling|aanvullen|toevoegen|toevoeging)\b\s*(?:bij|aan|op|voor)?\s*"
    r"(?:(?:m\s*-?\s*|#)?(\d+)\b)?\s*[:\-–]?\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)


def parse_command(text: str | None) -> tuple[int | None, str] | None:
    """(ticket id or None, the text after it) for an "aanvulling" command, else None."""
    match = COMMAND.match(text or "")
    if not match:
        return None
    number = int(match.group(1)) if match.group(1) else None
    return number, match.group(2).strip()


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AddInfoDialog(Dialog):
    def __init__(self, services: DeskServices) -> None:
        super().__init__(ADD_INFO_DIALOG)
        self._services = services

    async def begin_dialog(self, dialog_context: DialogContext, options: object = None) -> DialogTurnResult:
        options = options if isinstance(options, dict) else {}
        state = dialog_context.active_dialog.state
        now_iso = self._services.clock.now().isoformat()
        state.update(
            ticket_id=options.get("ticket_id"),
            text=options.get("text") or None,
            attachments=list(options.get("attachments") or []),
            asking=None,
            started_at=now_iso,
            last_seen=now_iso,
            still_failing=bool(options.get("still_failing")),
            reopened=bool(options.get("reopened")),
        )
        reporter_id, _ = reporter_of(dialog_context.context.activity)
        if state["ticket_id"] is None:
            async with self._services.database.sessions() as session:
                mine = await reads.open_tickets_of(session, reporter_id=reporter_id)
            if not mine:
                await dialog_context.context.send_activity(texts.NO_OPEN_TICKET_TO_ADD)
                return await dialog_context.end_dialog(None)
            if len(mine) == 1:
                state["ticket_id"] = mine[0].id
            else:
                state["asking"] = "which"
                choices = [
                    (str(t.id), f"{labels.ticket_label(t.id)}: {_short(t.description)}", (labels.ticket_label(t.id), f"m{t.id}"))
                    for t in reversed(mine)
                ]
                return await dialog_context.begin_dialog(
                    QUESTION, choice_question("which", texts.ASK_WHICH_TICKET, choices, numbered=False)
                )
        return await self._next(dialog_context)

    async def continue_dialog(self, dialog_context: DialogContext) -> DialogTurnResult:
        return await self._next(dialog_context)

    async def resume_dialog(self, dialog_context: DialogContext, reason: DialogReason, result: object) -> DialogTurnResult:
        state = dialog_context.active_dialog.state
        asking, state["asking"] = state.get("asking"), None
        if asking == "which":
            state["ticket_id"] = int(result)
        elif asking == "text":
            state["text"] = str(result or "") or None
        return await self._next(dialog_context)

    async def reprompt_dialog(self, context, instance) -> None:
        return None

    async def _next(self, dc: DialogContext) -> DialogTurnResult:
        state: dict[str, Any] = dc.active_dialog.state
        label = labels.ticket_label(state["ticket_id"])
        if not state["text"] and not state["attachments"]:
            state["asking"] = "text"
            ask = texts.ASK_STILL_FAILING if state.get("still_failing") else texts.ASK_ADD_INFO.format(label=label)
            question = text_question("add_info", ask, min_length=2, accept_photo=True, simpler=texts.ASK_ADD_INFO_SIMPLER)
            return await dc.begin_dialog(QUESTION, question)
        await add_information(dc.context, self._services, ticket_id=state["ticket_id"], text=state["text"], photos=state["attachments"])
        return await dc.end_dialog(state["ticket_id"])


def stopped(state: dict[str, Any]) -> str:
    """What was and was not done when an aanvulling stops half-way ("stop", or too long idle)."""
    ticket_id = state.get("ticket_id")
    return texts.nothing_added(
        label=labels.ticket_label(ticket_id) if ticket_id is not None else None, reopened=bool(state.get("reopened"))
    )


async def add_information(turn_context, services: DeskServices, *, ticket_id: int, text: str | None, photos: list[dict[str, Any]]) -> bool:
    """Store the information and tell the employee; False when the ticket is not theirs or closed."""
    reporter_id, _ = reporter_of(turn_context.activity)
    label = labels.ticket_label(ticket_id)
    if labels.number_from(ticket_id) is None:  # typed, but no ticket can have that number
        await turn_context.send_activity(texts.UNKNOWN_TICKET.format(label=label))
        return False
    async with services.database.sessions.begin() as session:
        ticket = await employee.add_information(
            session, ticket_id=ticket_id, reporter_id=reporter_id, text=text, attachments=photos, now=services.clock.now()
        )
        existing = None if ticket is not None else await reads.get_ticket(session, ticket_id)
    if ticket is None:
        if existing is not None and existing.reporter_id == reporter_id:
            await turn_context.send_activity(texts.TICKET_CLOSED_FOR_INFO.format(label=label))
        else:
            await turn_context.send_activity(texts.UNKNOWN_TICKET.format(label=label))
        return False
    services.after_commit()
    await turn_context.send_activity((texts.INFO_ADDED if text else texts.PHOTO_ADDED).format(label=label))
    return True
