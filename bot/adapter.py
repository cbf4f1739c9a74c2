"""The bot's own adapter between HTTP and botbuilder's turn pipeline.

Why not the SDK's ``CloudAdapter``: it serialises invoke bodies twice (every Action.Execute
answers HTTP 500), never retries outbound calls, builds two HTTP clients per turn (most of an echo
bot's CPU), and turns bad tokens into 500s. This adapter keeps botbuilder's ``TurnContext``,
middleware and dialogs, and replaces only the edges: inbound authentication happens before a turn
(``bot.http``), outbound calls go through one long-lived ``Connector``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable

from botbuilder.core import BotAdapter, InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ConversationReference, ResourceResponse
from msrest.serialization import Model

from bot import wire
from bot.connector import Connector

log = logging.getLogger("servicedesk.adapter")

INVOKE_RESPONSE_KEY = TurnContext._INVOKE_RESPONSE_KEY  # noqa: SLF001 - the SDK's own key


def serialise(activity: Activity) -> dict[str, Any]:
    """The activity as JSON, exactly as msrest would write it (``bot.wire``: without msrest's cost)."""
    if type(activity) is not Activity:  # noqa: E721 - a subclass may bring its own models module
        return activity.serialize()
    return wire.serialise(activity)


def deserialise_activity(body: dict[str, Any]) -> Activity:
    """``Activity().deserialize(body)``, same result and same errors (``bot.wire``)."""
    return wire.deserialise(body)


def invoke_body(body: Any) -> Any:
    """An invoke response body as JSON: models serialised once, plain values passed through."""
    if isinstance(body, Model):
        return wire.serialise(body)
    return body


class TeamsAdapter(BotAdapter):
    def __init__(self, *, connector: Connector, on_turn_error: Callable[[TurnContext, Exception], Awaitable[None]] | None = None) -> None:
        super().__init__(on_turn_error)
        self._connector = connector

    async def process_activity(self, activity: Activity, logic: Callable[[TurnContext], Awaitable[None]]) -> InvokeResponse | None:
        """Run one turn. Returns the invoke response for invoke activities, else None."""
        context = TurnContext(self, activity)
        await self.run_pipeline(context, logic)
        if activity.type == ActivityTypes.invoke:
            stored = context.turn_state.get(INVOKE_RESPONSE_KEY)
            if stored is None:
                return InvokeResponse(status=501)
            return stored.value
        return None

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        responses: list[ResourceResponse] = []
        for activity in activities:
            if activity.type == ActivityTypes.invoke_response:
                context.turn_state[INVOKE_RESPONSE_KEY] = activity
                responses.append(ResourceResponse())
                continue
            if activity.type == "delay":
                await asyncio.sleep((activity.value or 1000) / 1000)
                responses.append(ResourceResponse())
                continue
            activity_id = await self._connector.send(
                activity.service_url,
                activity.conversation.id,
                serialise(activity),
                reply_to=activity.reply_to_id,
            )
            responses.append(ResourceResponse(id=activity_id or ""))
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        await self._connector.update(activity.service_url, activity.conversation.id, activity.id, serialise(activity))
        return ResourceResponse(id=activity.id)

    async def delete_activity(self, context: TurnContext, reference: ConversationReference) -> None:
        await self._connector.delete(reference.service_url, reference.conversation.id, reference.activity_id)

    async def continue_conversation(self, reference: ConversationReference, callback, bot_id=None, claims_identity=None, audience=None):
        activity = TurnContext.apply_conversation_reference(
            Activity(type=ActivityTypes.event, name="ContinueConversation"), reference, is_incoming=True
        )
        context = TurnContext(self, activity)
        return await self.run_pipeline(context, callback)
