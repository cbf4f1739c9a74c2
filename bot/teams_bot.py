"""The activity handler: routes each Teams activity to the right part of the product.

- personal chat → the employee's conversation (``dialogs``);
- a team channel → channel commands ("koppel dit kanaal als servicedesk") for admins;
- ``adaptiveCard/action`` invokes (Action.Execute) → card actions, authorised on the server by
  the clicker's Entra object id, never by what the card carries.
"""

from __future__ import annotations

import logging
import re

from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.schema import ChannelAccount

from bot import cards
from bot.settings import Settings
from dialogs.conversation import EmployeeConversation
from dialogs.recognize import normalise
from dialogs.services import DeskServices
from storage import refs, tickets

log = logging.getLogger("servicedesk.bot")

LINK_COMMAND = re.compile(r"^koppel (?:dit )?kanaal (?:als|aan) (servicedesk|regie|overleg)$")

CHANNEL_HELP = (
    "In een kanaal kan ik dit: **koppel dit kanaal als servicedesk** (of **regie**, of **overleg**). "
    "Alleen beheerders kunnen een kanaal koppelen. Een storing meld je in een persoonlijke chat met mij."
)
LINKED = {
    "servicedesk": "Dit kanaal is nu gekoppeld als **servicedesk**. Nieuwe meldingen verschijnen hier als kaart.",
    "regie": "Dit kanaal is nu gekoppeld als **regie**. P1-meldingen en escalaties komen hier binnen.",
    "overleg": "Dit kanaal is nu gekoppeld als **overleg**. Het wekelijkse SLA-overzicht komt hier.",
}
NOT_ADMIN = "Alleen beheerders kunnen een kanaal koppelen. Vraag je beheerder om dit te doen."
NOT_AGENT = "Alleen medewerkers van de servicedesk kunnen een melding oppakken."
ALREADY_TAKEN = "Deze melding is al opgepakt door {owner}."
STALE = "Deze kaart was verouderd. Je ziet nu de actuele stand; probeer het opnieuw als het nog nodig is."
UNKNOWN_ACTION = "Deze knop ken ik niet."


def _object_id(account: ChannelAccount | None) -> str | None:
    if account is None:
        return None
    return getattr(account, "aad_object_id", None) or None


def _is_personal(context: TurnContext) -> bool:
    conversation = context.activity.conversation
    return (getattr(conversation, "conversation_type", None) or "personal") == "personal"


def _reference_json(context: TurnContext) -> dict:
    reference = TurnContext.get_conversation_reference(context.activity)
    reference.activity_id = None
    return reference.serialize()


def _card_response(card: dict) -> InvokeResponse:
    """Replace the clicked card with ``card`` (the Universal Actions response body, as JSON)."""
    return InvokeResponse(
        status=200, body={"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": card}
    )


def _message_response(text: str) -> InvokeResponse:
    """Show ``text`` to the clicker only; the card stays as it is."""
    return InvokeResponse(
        status=200, body={"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": text}
    )


class ServicedeskBot(ActivityHandler):
    def __init__(self, *, settings: Settings, services: DeskServices, conversation: EmployeeConversation) -> None:
        self._settings = settings
        self._services = services
        self._conversation = conversation

    # -- messages --------------------------------------------------------------------------
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        if _is_personal(turn_context):
            await self._remember_user(turn_context)
            await self._conversation.on_message(turn_context)
            return
        await self._on_channel_message(turn_context)

    async def _remember_user(self, turn_context: TurnContext) -> None:
        object_id = _object_id(turn_context.activity.from_property) or turn_context.activity.from_property.id
        services = self._services
        async with services.database.sessions.begin() as session:
            await refs.save_reference(
                session, kind=refs.USER, key=object_id, reference=_reference_json(turn_context), now=services.clock.now()
            )

    async def _on_channel_message(self, turn_context: TurnContext) -> None:
        text = normalise(TurnContext.remove_recipient_mention(turn_context.activity) or turn_context.activity.text)
        match = LINK_COMMAND.match(text)
        if not match:
            await turn_context.send_activity(CHANNEL_HELP)
            return
        clicker = _object_id(turn_context.activity.from_property)
        role = match.group(1)
        if not self._settings.is_admin(clicker):
            log.warning("channel link refused: not an admin")
            await turn_context.send_activity(NOT_ADMIN)
            return
        services = self._services
        async with services.database.sessions.begin() as session:
            await refs.save_reference(
                session, kind=refs.CHANNEL, key=role, reference=_reference_json(turn_context), now=services.clock.now(), by=clicker
            )
        log.info("channel linked as %s", role)
        await turn_context.send_activity(LINKED[role])
        services.after_commit()  # messages waiting for this channel can go now

    # -- installation ----------------------------------------------------------------------
    async def on_members_added_activity(self, members_added, turn_context: TurnContext) -> None:
        if not _is_personal(turn_context):
            return
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        for member in members_added:
            if member.id != bot_id:
                await self._remember_user(turn_context)
                from dialogs.texts import WELCOME

                await turn_context.send_activity(WELCOME)

    # -- card actions ----------------------------------------------------------------------
    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        if turn_context.activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)
        value = turn_context.activity.value if isinstance(turn_context.activity.value, dict) else {}
        action = value.get("action") if isinstance(value.get("action"), dict) else {}
        data = action.get("data") if isinstance(action.get("data"), dict) else {}
        verb = action.get("verb")
        if verb == cards.VERB_ACKNOWLEDGE:
            return await self._acknowledge(turn_context, data)
        return _message_response(UNKNOWN_ACTION)

    async def _acknowledge(self, turn_context: TurnContext, data: dict) -> InvokeResponse:
        services = self._services
        ticket_id = data.get("ticket")
        seen_version = data.get("versie")
        if not isinstance(ticket_id, int) or isinstance(ticket_id, bool):
            return _message_response(UNKNOWN_ACTION)
        clicker = turn_context.activity.from_property
        clicker_id = _object_id(clicker)
        now = services.clock.now()
        if not self._settings.is_agent(clicker_id):
            log.warning("card action refused: clicker is not a servicedesk agent")
            return _message_response(NOT_AGENT)
        note = data.get("notitie")
        note = note.strip()[:1000] if isinstance(note, str) and note.strip() else None
        async with services.database.sessions.begin() as session:
            result = await tickets.acknowledge(
                session,
                policy=services.policy,
                now=now,
                ticket_id=ticket_id,
                agent_id=clicker_id,
                agent_name=clicker.name or "Servicedesk",
                note=note,
                seen_version=seen_version if isinstance(seen_version, int) else None,
            )
            ticket = result.ticket
            card = cards.ticket_card(ticket, now=now, tz=services.policy.tz) if ticket is not None else None
        if result.outcome is tickets.Outcome.DONE:
            services.after_commit()
            return _card_response(card)
        if result.outcome is tickets.Outcome.NOT_FOUND:
            return _message_response(UNKNOWN_ACTION)
        if result.outcome is tickets.Outcome.ALREADY:
            return _card_response(card)
        return _card_response(card)  # stale: the fresh card, nothing changed
