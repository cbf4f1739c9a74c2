"""The employee's personal chat: commands that work at every step, and the intake dialog.

"help" and "stop"/"annuleer" are handled before the dialog sees the message, so they work in the
middle of any question. The dialog stack lives in the conversation state (database-backed), so a
half-finished intake survives a restart of the bot.
"""

from __future__ import annotations

from botbuilder.core import ConversationState, TurnContext
from botbuilder.dialogs import DialogSet, DialogTurnStatus

from dialogs import texts
from dialogs.intake import INTAKE_DIALOG, IntakeDialog, reporter_of
from dialogs.recognize import normalise
from dialogs.services import DeskServices
from dialogs.when import say_when
from storage import tickets

HELP_WORDS = {"help", "hulp", "?", "wat kan je", "wat kun je"}
STOP_WORDS = {"stop", "annuleer", "annuleren", "cancel", "stoppen", "laat maar"}
NEW_WORDS = {"nieuwe melding", "melding", "melden", "storing melden", "nieuw"}
GREETINGS = {"hoi", "hallo", "hey", "hi", "goedemorgen", "goedemiddag", "goedenavond", "dag"}
MY_TICKETS_WORDS = {"mijn meldingen", "meldingen", "mijn tickets"}


class EmployeeConversation:
    def __init__(self, *, services: DeskServices, conversation_state: ConversationState) -> None:
        self._services = services
        self._state = conversation_state
        self._dialogs = DialogSet(conversation_state.create_property("dialog_state"))
        self._dialogs.add(IntakeDialog(services))

    async def on_message(self, turn_context: TurnContext) -> None:
        """Handle one message in a personal chat, then save the dialog state."""
        try:
            await self._handle(turn_context)
        finally:
            await self._state.save_changes(turn_context)

    async def _handle(self, turn_context: TurnContext) -> None:
        dialog_context = await self._dialogs.create_context(turn_context)
        text = normalise(turn_context.activity.text)
        in_dialog = dialog_context.active_dialog is not None

        if text in STOP_WORDS:
            if in_dialog:
                await dialog_context.cancel_all_dialogs()
                await turn_context.send_activity(texts.CANCELLED)
            else:
                await turn_context.send_activity(texts.NOTHING_TO_CANCEL)
            return
        if text in HELP_WORDS:
            await turn_context.send_activity(texts.HELP)
            if in_dialog:
                await turn_context.send_activity(texts.HELP_DURING_INTAKE)
                await dialog_context.reprompt_dialog()
            return
        if in_dialog:
            await dialog_context.continue_dialog()
            return
        if text in MY_TICKETS_WORDS:
            await self._my_tickets(turn_context)
            return
        if text.startswith("status"):
            await self._status(turn_context, text.removeprefix("status").strip())
            return
        if text in GREETINGS:
            await turn_context.send_activity(texts.WELCOME)
            return
        if turn_context.activity.value and not text:
            # A click on a card button from a finished conversation: nothing to continue.
            await turn_context.send_activity(texts.NOTHING_TO_CANCEL)
            return
        if len(text.split()) == 1 and text not in NEW_WORDS:
            await turn_context.send_activity(texts.UNKNOWN_COMMAND)
            return
        description = None if (text in NEW_WORDS or not text) else (turn_context.activity.text or "").strip()
        result = await dialog_context.begin_dialog(INTAKE_DIALOG, {"description": description})
        if result.status == DialogTurnStatus.Complete:
            return

    async def _my_tickets(self, turn_context: TurnContext) -> None:
        reporter_id, _ = reporter_of(turn_context.activity)
        services = self._services
        async with services.database.sessions() as session:
            mine = await tickets.open_tickets_of(session, reporter_id=reporter_id)
        if not mine:
            await turn_context.send_activity(texts.NO_OPEN_TICKETS)
            return
        now = services.clock.now()
        lines = [
            "- "
            + texts.ticket_line(
                label=tickets.ticket_label(t.id),
                status=t.status,
                owner=t.owner_name,
                next_deadline=say_when(
                    t.first_response_due if t.first_response_at is None else t.resolution_due,
                    now=now,
                    tz=services.policy.tz,
                ),
            )
            for t in mine
        ]
        await turn_context.send_activity("Je open meldingen:\n\n" + "\n".join(lines))

    async def _status(self, turn_context: TurnContext, argument: str) -> None:
        reporter_id, _ = reporter_of(turn_context.activity)
        ticket_id = tickets.parse_ticket_label(argument)
        services = self._services
        ticket = None
        if ticket_id is not None:
            async with services.database.sessions() as session:
                ticket = await tickets.get_ticket(session, ticket_id)
        if ticket is None or ticket.reporter_id != reporter_id:
            await turn_context.send_activity(texts.UNKNOWN_TICKET.format(label=argument.upper() or "?"))
            return
        now = services.clock.now()
        await turn_context.send_activity(
            texts.status_update(
                label=tickets.ticket_label(ticket.id),
                status=ticket.status,
                owner=ticket.owner_name,
                latest_note=None,
                next_update=say_when(ticket.next_update_due, now=now, tz=services.policy.tz)
                if ticket.next_update_due
                else None,
            )
        )
