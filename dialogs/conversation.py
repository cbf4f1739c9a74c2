"""The employee's personal chat: commands that work at every step, and the dialogs.

Order in which a message is read:

1. a tap on a feedback card (``value.feedback``) goes to ``dialogs.feedback``, one on a survey
   card (``value.survey``) to ``dialogs.survey``;
2. a half-finished intake or aanvulling older than ``intake_idle_minutes`` (by the injected clock,
   from the last activity time kept in the dialog state) is dropped politely, saying what was and
   was not done;
3. "stop"/"annuleer" and "help" work at every step; "mijn meldingen" and "status M-12" too (the
   open question is asked again after the answer);
4. a photo during an intake is kept for the ticket; otherwise the open question gets the message;
5. with nothing open: commands, "aanvulling M-12: ...", a photo; then what ``dialogs.recognize``
   reads: "geen enquêtes", a score or remark for the experience survey (``dialogs.survey``), an
   answer to an open closing question ("ja hoor", "nog niet", "een 8"), a greeting,
   small talk or thanks (a short friendly answer, never a report), a lone "ja" or "8" (nothing was
   asked); anything else of two words or more is a description, which starts an intake (unless
   the hourly limit is reached).

After "nog niet" to "Kun je weer verder met je werk?" the employee is asked what still fails (the
aanvulling dialog), unless another conversation is open: then they are told how to add it later.

The dialog stack lives in the conversation state (database-backed), so a half-finished intake
survives a restart of the bot. Every text comes from ``dialogs.texts``; answers are read as Dutch
whatever the Teams client's locale.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from botbuilder.core import ConversationState, TurnContext
from botbuilder.dialogs import DialogContext, DialogSet

from dialogs import addinfo, attachments, feedback, survey, texts
from dialogs.addinfo import ADD_INFO_DIALOG, AddInfoDialog, add_information, parse_command
from dialogs.intake import INTAKE_DIALOG, QUESTION, IntakeDialog, reporter_of
from dialogs.limits import refuse_if_over_limit
from dialogs.question import QuestionDialog
from dialogs.recognize import (
    HELP_COMMAND_WORDS, MY_TICKETS_COMMAND_WORDS, NEW_TICKET_COMMAND_WORDS, STOP_COMMAND_WORDS, Kind, normalise, read,
)
from dialogs.services import DeskServices
from dialogs.when import say_when, wait_words
from storage import employee, labels, reads, updates
from storage.bot_state import SqlConversationState

MIN_DESCRIPTION_WORDS = 2  # "printer kapot" is a description; "xyzzy" is not
# A short friendly answer to what is not a problem description (and starts no report).
CHAT_REPLIES = {
    Kind.GREETING: texts.WELCOME,
    Kind.SMALL_TALK: texts.SMALL_TALK,
    Kind.THANKS: texts.THANKS_REPLY,
    Kind.OK: texts.OK_REPLY,
    Kind.YES: texts.NOTHING_ASKED,
    Kind.NO: texts.NOTHING_ASKED,
    Kind.NUMBER: texts.NOTHING_ASKED,
    Kind.DONT_KNOW: texts.NOTHING_ASKED,
}


_STATUS = re.compile(r"^status(?: (?:van |melding )?(?:m ?)?\d+)?$")


def _is_status_command(text: str) -> bool:
    """"status", "status M-12", "status 12" (normalised), but not "status van mijn laptop is kapot"."""
    return bool(_STATUS.match(text))


class EmployeeConversation:
    def __init__(self, *, services: DeskServices, conversation_state: ConversationState) -> None:
        self._services = services
        self._state = conversation_state
        self._dialogs = DialogSet(conversation_state.create_property("dialog_state"))
        self._dialogs.add(QuestionDialog(QUESTION))
        self._dialogs.add(IntakeDialog(services))
        self._dialogs.add(AddInfoDialog(services))

    def write_with_state(self, turn_context: TurnContext, write, *, then=None) -> bool:
        """``SqlConversationState.write_with_state`` when the state is stored that way, else False."""
        if isinstance(self._state, SqlConversationState):
            return self._state.write_with_state(turn_context, write, then=then)
        return False

    async def on_message(self, turn_context: TurnContext) -> None:
        """Handle one message in a personal chat, then save the dialog state."""
        if isinstance(self._state, SqlConversationState):
            self._state.attach(turn_context)  # a step that writes data can save the state with it
        try:
            await self._handle(turn_context)
        finally:
            await self._state.save_changes(turn_context)

    # -- routing ---------------------------------------------------------------------------
    async def _handle(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        dialog_context = await self._dialogs.create_context(turn_context)
        if isinstance(activity.value, dict) and feedback.FEEDBACK_KEY in activity.value:
            await self._after_feedback(dialog_context, await feedback.handle(turn_context, self._services))
            return
        if survey.is_survey_tap(activity.value):
            await survey.handle(turn_context, self._services)
            return
        text = normalise(activity.text)
        photos = attachments.references(activity)
        now = self._services.clock.now()

        if dialog_context.active_dialog is not None and self._expired(dialog_context, now):
            started = self._bottom_state(dialog_context).get("started_at")
            expired = texts.EXPIRED_ADD_INFO if self._bottom_id(dialog_context) == ADD_INFO_DIALOG else texts.EXPIRED
            stopped = self._what_stopped(dialog_context)
            await dialog_context.cancel_all_dialogs()
            await turn_context.send_activity(
                expired.format(
                    started=say_when(datetime.fromisoformat(started), now=now, tz=self._services.policy.tz)
                    if started
                    else "eerder",
                    minutes=self._services.intake_idle_minutes,
                )
                + (f" {stopped}" if stopped else "")
            )
            if not self._worth_reading_after_expiry(text, photos):
                await turn_context.send_activity(texts.EXPIRED_START_AGAIN)
                return

        in_dialog = dialog_context.active_dialog is not None
        if text in STOP_COMMAND_WORDS:
            if in_dialog:
                stopped = self._what_stopped(dialog_context)
                await dialog_context.cancel_all_dialogs()
                await turn_context.send_activity(f"{texts.STOPPED} {stopped}" if stopped else texts.CANCELLED)
            else:
                await turn_context.send_activity(texts.NOTHING_TO_CANCEL)
            return
        if text in HELP_COMMAND_WORDS or (activity.text or "").strip() == "?":
            await turn_context.send_activity(texts.HELP)
            if in_dialog:
                self._touch(dialog_context, now)
                during = texts.HELP_DURING_ADD_INFO if self._bottom_id(dialog_context) == ADD_INFO_DIALOG else texts.HELP_DURING_INTAKE
                await turn_context.send_activity(during)
                await dialog_context.reprompt_dialog()
            return
        if text in MY_TICKETS_COMMAND_WORDS or _is_status_command(text):
            if text in MY_TICKETS_COMMAND_WORDS:
                await self._my_tickets(turn_context)
            elif text == "status":
                await self._my_tickets(turn_context)
            else:
                await self._status(turn_context, text.removeprefix("status").strip())
            if in_dialog:
                self._touch(dialog_context, now)
                await dialog_context.reprompt_dialog()
            return
        if in_dialog:
            self._touch(dialog_context, now)
            bottom = self._bottom_state(dialog_context)
            if photos:
                bottom.setdefault("attachments", []).extend(photos)
                if self._bottom_id(dialog_context) == INTAKE_DIALOG and not text and not activity.value:
                    await turn_context.send_activity(texts.PHOTO_RECEIVED)
                    await dialog_context.reprompt_dialog()
                    return
            await dialog_context.continue_dialog()
            return
        await self._outside_dialog(turn_context, dialog_context, text, photos)

    async def _outside_dialog(self, turn_context: TurnContext, dialog_context: DialogContext, text: str, photos: list[dict[str, str]]) -> None:
        activity = turn_context.activity
        command = parse_command(activity.text)
        if command is not None:
            ticket_id, extra = command
            if ticket_id is not None and (extra or photos):
                await add_information(turn_context, self._services, ticket_id=ticket_id, text=extra or None, photos=photos)
                return
            await dialog_context.begin_dialog(ADD_INFO_DIALOG, {"ticket_id": ticket_id, "text": extra, "attachments": photos})
            return
        if photos and not text:
            reporter_id, _ = reporter_of(activity)
            async with self._services.database.sessions() as session:
                mine = await reads.open_tickets_of(session, reporter_id=reporter_id)
            if mine:
                await dialog_context.begin_dialog(ADD_INFO_DIALOG, {"attachments": photos})
                return
            await self._start_intake(turn_context, dialog_context, None, photos)
            return
        if activity.value and not text:
            # A click on a card from a conversation that is over: nothing to continue.
            await turn_context.send_activity(texts.CARD_FROM_EARLIER)
            return
        if text in NEW_TICKET_COMMAND_WORDS:
            await self._start_intake(turn_context, dialog_context, None, photos)
            return
        reading = read(activity.text)
        if await survey.answer_typed(turn_context, self._services, reading):
            return
        answered = await feedback.answer_typed(turn_context, self._services, reading)
        if answered is not None:
            await self._after_feedback(dialog_context, answered)
            return
        if reading.kind in CHAT_REPLIES and not reading.more:  # "nee, de printer ...": a description
            await turn_context.send_activity(CHAT_REPLIES[reading.kind])
            return
        if len(text.split()) < MIN_DESCRIPTION_WORDS:
            await turn_context.send_activity(texts.UNKNOWN_COMMAND)
            return
        await self._start_intake(turn_context, dialog_context, (activity.text or "").strip(), photos)

    async def _after_feedback(self, dialog_context: DialogContext, answered: feedback.Answered) -> None:
        """After "nog niet": ask what still fails, or (another conversation is open) say how to add it."""
        ticket_id = answered.still_failing
        if ticket_id is None:
            return
        if dialog_context.active_dialog is None:
            await dialog_context.begin_dialog(
                ADD_INFO_DIALOG, {"ticket_id": ticket_id, "still_failing": True, "reopened": answered.reopened}
            )
            return
        await dialog_context.context.send_activity(texts.ASK_STILL_FAILING_LATER.format(label=labels.ticket_label(ticket_id)))
        await dialog_context.reprompt_dialog()

    def _what_stopped(self, dialog_context: DialogContext) -> str | None:
        """What a stopped aanvulling did and did not do; None for an intake (no report was made)."""
        if self._bottom_id(dialog_context) == ADD_INFO_DIALOG:
            return addinfo.stopped(self._bottom_state(dialog_context))
        return None

    async def _start_intake(self, turn_context: TurnContext, dialog_context: DialogContext, description: str | None, photos) -> None:
        reporter_id, _ = reporter_of(turn_context.activity)
        if await refuse_if_over_limit(turn_context, self._services, reporter_id):
            return
        await dialog_context.begin_dialog(INTAKE_DIALOG, {"description": description, "attachments": photos})

    # -- idle expiry -----------------------------------------------------------------------
    @staticmethod
    def _bottom_state(dialog_context: DialogContext) -> dict[str, Any]:
        return dialog_context.stack[-1].state if dialog_context.stack else {}

    @staticmethod
    def _bottom_id(dialog_context: DialogContext) -> str | None:
        return dialog_context.stack[-1].id if dialog_context.stack else None

    def _touch(self, dialog_context: DialogContext, now: datetime) -> None:
        if dialog_context.stack:
            dialog_context.stack[-1].state["last_seen"] = now.isoformat()

    def _expired(self, dialog_context: DialogContext, now: datetime) -> bool:
        last_seen = self._bottom_state(dialog_context).get("last_seen")
        if not last_seen:
            return False
        return now - datetime.fromisoformat(last_seen) > timedelta(minutes=self._services.intake_idle_minutes)

    @staticmethod
    def _worth_reading_after_expiry(text: str, photos: list) -> bool:
        """After an expiry, a command or a new description is handled; an old answer ("ja") is not."""
        if text in MY_TICKETS_COMMAND_WORDS | HELP_COMMAND_WORDS | NEW_TICKET_COMMAND_WORDS or _is_status_command(text):
            return True
        return len(text.split()) >= 3

    # -- mijn meldingen, status --------------------------------------------------------------
    def _next_deadline(self, ticket, now: datetime) -> str | None:
        due = ticket.first_response_due if ticket.first_response_at is None else ticket.resolution_due
        return say_when(due, now=now, tz=self._services.policy.tz) if due else None

    async def _my_tickets(self, turn_context: TurnContext) -> None:
        reporter_id, _ = reporter_of(turn_context.activity)
        services = self._services
        async with services.database.sessions() as session:
            mine = await reads.open_tickets_of(session, reporter_id=reporter_id)
            followed = await employee.followed_open_tickets(session, user_id=reporter_id)
        if not mine and not followed:
            await turn_context.send_activity(texts.NO_OPEN_TICKETS)
            return
        now = services.clock.now()
        parts: list[str] = []
        # Each ticket with words that tell it apart: the employee's own description for their own
        # tickets; for a colleague's outage they follow, only the title the servicedesk gave it.
        for header, group, about in (
            (texts.MY_TICKETS_HEADER, mine, lambda t: t.description),
            (texts.FOLLOWED_HEADER, followed, lambda t: t.public_title),
        ):
            if not group:
                continue
            lines = [
                "- "
                + texts.ticket_line(
                    label=labels.ticket_label(t.id),
                    status=t.status,
                    owner=t.owner_name,
                    next_deadline=self._next_deadline(t, now),
                    about=about(t),
                )
                for t in group
            ]
            parts.append(header + "\n\n" + "\n".join(lines))
        await turn_context.send_activity("\n\n".join(parts))

    async def _status(self, turn_context: TurnContext, argument: str) -> None:
        reporter_id, _ = reporter_of(turn_context.activity)
        argument = re.sub(r"^(?:van |melding )", "", argument)
        ticket_id = labels.parse_ticket_label(argument)
        services = self._services
        ticket = note = None
        allowed = False
        now = services.clock.now()
        if ticket_id is not None:
            async with services.database.sessions() as session:
                ticket = await reads.get_ticket(session, ticket_id)
                if ticket is not None:
                    allowed = ticket.reporter_id == reporter_id or await employee.is_follower(
                        session, ticket_id=ticket_id, user_id=reporter_id
                    )
                    if allowed:
                        note = await employee.latest_note(session, ticket_id=ticket_id)
                        current = updates.status_now(services.policy, await reads.load_events(session, ticket_id), now=now)
        if ticket is None or not allowed:
            digits = re.sub(r"\D", "", argument)  # normalised: ASCII only; a label cut when too long
            shown = labels.ticket_label(int(digits)) if digits else "?"
            await turn_context.send_activity(texts.UNKNOWN_TICKET.format(label=shown))
            return
        await turn_context.send_activity(
            texts.status_update(
                label=labels.ticket_label(ticket.id), status=ticket.status, owner=ticket.owner_name,
                wait=wait_words(current.wait), news=note, asked=True,
                next_update=say_when(current.promise, now=now, tz=services.policy.tz) if current.promise else None,
            )
        )

