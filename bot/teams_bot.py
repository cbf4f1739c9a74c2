"""The activity handler: routes each Teams activity to the right part of the product.

- personal chat → the employee's conversation (``dialogs``);
- a team channel → channel commands ("koppel dit kanaal als servicedesk") for admins;
- ``adaptiveCard/action`` invokes (Action.Execute), and channel messages from the Action.Submit
  fallback → ``bot.card_actions``, authorised on the server by the clicker's Entra object id,
  never by what the card carries.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections import OrderedDict
from typing import Callable

from botbuilder.core import ActivityHandler, CardFactory, InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import ChannelAccount

from bot import announcements, wire
from bot.card_actions import CardActions
from bot.settings import Settings
from dialogs.conversation import EmployeeConversation
from dialogs import texts
from dialogs.recognize import ANNOUNCE_COMMAND_WORDS, normalise
from dialogs.services import DeskServices
from storage import outbox, refs
from storage.outbox import Kind

log = logging.getLogger("servicedesk.bot")

LINK_COMMAND = re.compile(r"^koppel (?:dit )?kanaal (?:als|aan) (servicedesk|regie|overleg)$")
# Every "<at>…</at>" in a message's text: the mentions of the bot (and anyone else) in a channel.
MENTION = re.compile(r"<at\b[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)


def _object_id(account: ChannelAccount | None) -> str | None:
    if account is None:
        return None
    return getattr(account, "aad_object_id", None) or None


def without_mentions(text: str | None) -> str:
    """The message's text without its mentions, read from the text alone.

    Not botbuilder's ``remove_recipient_mention``: it reads the ``entities`` Teams sends along and
    raised on malformed ones (a mention without ``mentioned``, an entity without a type), and it
    used the mention's name as a regular expression. A channel command needs none of that.
    """
    return MENTION.sub(" ", text or "")


def _is_personal(context: TurnContext) -> bool:
    conversation = context.activity.conversation
    return (getattr(conversation, "conversation_type", None) or "personal") == "personal"


def _reference_json(context: TurnContext) -> dict:
    reference = TurnContext.get_conversation_reference(context.activity)
    reference.activity_id = None
    return wire.serialise(reference)


def welcome_key(object_id: str, activity_id: str) -> str:
    """The welcome's dedup key: one greeting per employee per installation event (the outbox's
    keys hold 200 characters; a long id is hashed)."""
    key = f"welcome:{object_id}:{activity_id}"
    if len(key) <= 200:
        return key
    return "welcome:" + hashlib.sha256(f"{object_id}|{activity_id}".encode("utf-8", "surrogatepass")).hexdigest()


class KnownReferences:
    """Which user references this process wrote or found unchanged recently: only an optimisation.

    Every personal message used to cost a transaction (read the stored reference, write it when it
    changed). A reference is skipped only when it is exactly the one this process verified in the
    database less than ``ttl`` seconds ago (a monotonic clock; a hit does not extend it). So a
    reference that another process changed meanwhile (the outbox deactivated it after a 403, a
    privacy erasure removed it, another replica wrote it) is put right by the first message after
    at most ``ttl`` seconds, exactly as before. Bounded: the oldest entries go first.
    """

    def __init__(self, *, ttl: float = 60.0, max_entries: int = 10_000, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._monotonic = monotonic
        self._seen: OrderedDict[str, tuple[dict, float]] = OrderedDict()

    def unchanged(self, key: str, reference: dict) -> bool:
        entry = self._seen.get(key)
        if entry is None:
            return False
        stored, verified_at = entry
        if self._monotonic() - verified_at >= self._ttl:
            del self._seen[key]
            return False
        return stored == reference

    def verified(self, key: str, reference: dict) -> None:
        self._seen.pop(key, None)
        self._seen[key] = (reference, self._monotonic())
        while len(self._seen) > self._max:
            self._seen.popitem(last=False)

    def forget(self, key: str) -> None:
        self._seen.pop(key, None)

    def __len__(self) -> int:
        return len(self._seen)


class ServicedeskBot(ActivityHandler):
    def __init__(
        self,
        *,
        settings: Settings,
        services: DeskServices,
        conversation: EmployeeConversation,
        known_references: KnownReferences | None = None,
    ) -> None:
        self._settings = settings
        self._services = services
        self._conversation = conversation
        self._known = known_references if known_references is not None else KnownReferences()

    # -- messages --------------------------------------------------------------------------
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        if _is_personal(turn_context):
            await self._remember_user(turn_context)
            await self._conversation.on_message(turn_context)
            return
        await self._on_channel_message(turn_context)

    @staticmethod
    def _user_reference(turn_context: TurnContext) -> tuple[str, dict]:
        """The employee's key (Entra object id) and where the bot reaches them."""
        object_id = _object_id(turn_context.activity.from_property) or turn_context.activity.from_property.id
        return object_id, _reference_json(turn_context)

    async def _remember_user(self, turn_context: TurnContext) -> None:
        object_id, reference = self._user_reference(turn_context)
        if self._known.unchanged(object_id, reference):
            return  # this process stored or checked exactly this reference moments ago
        services = self._services
        self._known.forget(object_id)
        now = services.clock.now()

        async def write(connection) -> None:
            await refs.remember_user(connection, key=object_id, reference=reference, now=now)

        def verified() -> None:
            self._known.verified(object_id, reference)

        if self._conversation.write_with_state(turn_context, write, then=verified):
            return  # stored with the turn's dialog state (SQLite: one commit instead of two)
        async with services.database.single_statement.begin() as connection:
            await write(connection)
        verified()

    async def _on_channel_message(self, turn_context: TurnContext) -> None:
        if CardActions.is_submit(turn_context.activity):  # Action.Submit fallback of a card button
            await CardActions(settings=self._settings, services=self._services).on_submit(turn_context)
            return
        text = normalise(without_mentions(turn_context.activity.text))
        if text in ANNOUNCE_COMMAND_WORDS:
            # The form; who may send it is decided when it is sent (bot.card_actions).
            today = self._services.clock.now().astimezone(self._services.policy.tz).date()
            await turn_context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(announcements.form_card(today=today))))
            return
        match = LINK_COMMAND.match(text)
        if not match:
            await turn_context.send_activity(texts.CHANNEL_HELP)
            return
        clicker = _object_id(turn_context.activity.from_property)
        role = match.group(1)
        if not self._settings.is_admin(clicker):
            log.warning("channel link refused: not an admin")
            await turn_context.send_activity(texts.CHANNEL_NOT_ADMIN)
            return
        services = self._services
        async with services.database.sessions.begin() as session:
            await refs.save_reference(
                session, kind=refs.CHANNEL, key=role, reference=_reference_json(turn_context), now=services.clock.now(), by=clicker
            )
        log.info("channel linked as %s", role)
        await turn_context.send_activity(texts.CHANNEL_LINKED[role])
        services.after_commit()  # messages waiting for this channel can go now

    # -- installation ----------------------------------------------------------------------
    async def on_members_added_activity(self, members_added, turn_context: TurnContext) -> None:
        if not _is_personal(turn_context):
            return
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(member.id != bot_id for member in members_added):
            await self._welcome(turn_context)

    async def _welcome(self, turn_context: TurnContext) -> None:
        """An (re)installation: store where the bot reaches the employee, cached or not, and queue
        the greeting in the same transaction; the outbox sends it.

        Not a reply in the turn: an installation for the whole organisation brings one of these
        events per employee, thousands within the hour, and the outbox sends at the pace Teams
        allows the app in the tenant and tries a refused greeting again later. The dedup key names
        the event: Teams delivering it again greets once, a later reinstallation greets again.
        """
        services = self._services
        object_id, reference = self._user_reference(turn_context)
        self._known.forget(object_id)
        now = services.clock.now()
        async with services.database.sessions.begin() as session:
            await refs.remember_user(session, key=object_id, reference=reference, now=now)
            await outbox.enqueue(
                session, dedup_key=welcome_key(object_id, turn_context.activity.id or now.isoformat()),
                target=outbox.Target.user(object_id), payload={"kind": Kind.WELCOME}, now=now,
            )
        self._known.verified(object_id, reference)
        services.after_commit()

    # -- card actions ----------------------------------------------------------------------
    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        if turn_context.activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)
        return await CardActions(settings=self._settings, services=self._services).on_execute(turn_context)
