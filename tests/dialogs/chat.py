"""Drive the employee's conversation with botbuilder's ``TestAdapter``, as Teams would.

``Chat`` sends Teams-shaped personal-chat activities (channel ``msteams``, an Entra object id on
the sender, a personal conversation) to ``EmployeeConversation`` over a real migrated database,
and turns what the bot sends back into what the employee reads: plain text, and Adaptive Cards
rendered as Markdown lines (every card is validated against the Adaptive Cards 1.5 schema on the
way). A ``Transcript`` records both sides for ``docs/transcripts/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, Attachment, ChannelAccount, ConversationAccount

from dialogs.conversation import EmployeeConversation
from dialogs.services import DeskServices
from sla.clock import FixedClock
from sla.policy import load_policy
from storage.bot_state import SqlConversationState, SqlStorage
from storage.db import Database
from tests.support.cards import ADAPTIVE_CARD, assert_valid_card

# Tuesday 28 April 2026, 08:00 in Amsterdam (CEST, UTC+2): the same start as the HTTP harness.
START = datetime(2026, 4, 28, 6, 0, tzinfo=timezone.utc)
TENANT = "0d0d0d0d-1111-2222-3333-444444444444"


@dataclass(frozen=True)
class Person:
    name: str
    object_id: str


SANNE = Person("Sanne de Vries", "aaaaaaaa-0000-0000-0000-000000000001")
JOOST = Person("Joost Bakker", "aaaaaaaa-0000-0000-0000-000000000007")


def render_card(card: dict[str, Any]) -> list[str]:
    """An Adaptive Card as the lines a person reads on it (buttons as [Knop])."""
    lines: list[str] = []

    def element(node: dict[str, Any]) -> None:
        kind = node.get("type")
        if kind == "TextBlock":
            text = node.get("text", "")
            lines.append(f"**{text}**" if node.get("weight") == "Bolder" and "**" not in text else text)
        elif kind == "RichTextBlock":
            lines.append("> " + "".join(run.get("text", "") for run in node.get("inlines", [])))
        elif kind == "FactSet":
            lines.extend(f"{f['title']}: {f['value']}" for f in node.get("facts", []))
        elif kind == "ActionSet":
            lines.append(" ".join(f"[{a['title']}]" for a in node.get("actions", [])))
        elif kind in ("Container", "Column"):
            for item in node.get("items", []):
                element(item)
        elif kind == "ColumnSet":
            for column in node.get("columns", []):
                element(column)

    for node in card.get("body", []):
        element(node)
    if card.get("actions"):
        lines.append(" ".join(f"[{a['title']}]" for a in card["actions"]))
    return lines


@dataclass
class Reply:
    text: str
    cards: list[dict[str, Any]]

    @property
    def read(self) -> str:
        """What the employee reads in this message."""
        parts = [self.text] if self.text else []
        for card in self.cards:
            parts.append("\n".join(render_card(card)))
        return "\n".join(parts)


@dataclass
class Transcript:
    title: str
    lines: list[str] = field(default_factory=list)

    def employee(self, shown: str) -> None:
        self.lines.append(f"**Medewerker:** {shown}")

    def bot(self, reply: Reply) -> None:
        body = reply.read.replace("\n\n", "\n").strip().splitlines()
        self.lines.append("**Bot:**\n" + "\n".join(f"> {line}" if line else ">" for line in body))

    def note(self, text: str) -> None:
        self.lines.append(f"*({text})*")

    def markdown(self) -> str:
        return f"## {self.title}\n\n" + "\n\n".join(self.lines) + "\n"


def _reply_of(activity: Activity) -> Reply:
    cards = []
    for attachment in activity.attachments or []:
        if attachment.content_type == ADAPTIVE_CARD:
            assert_valid_card(attachment.content)
            cards.append(attachment.content)
    return Reply(text=activity.text or "", cards=cards)


class Chat:
    """One employee's personal chat with the bot, over ``services`` (its database and clock)."""

    def __init__(self, services: DeskServices, *, person: Person = SANNE, locale: str = "nl-NL", transcript: Transcript | None = None) -> None:
        self.services = services
        self.person = person
        self.transcript = transcript
        self.conversation = EmployeeConversation(
            services=services,
            conversation_state=SqlConversationState(SqlStorage(database=services.database, clock=services.clock)),
        )
        template = Activity(
            channel_id="msteams",
            service_url="https://smba.trafficmanager.net/emea/",
            from_property=ChannelAccount(id=f"29:{person.object_id}", name=person.name, aad_object_id=person.object_id),
            recipient=ChannelAccount(id="28:servicedesk-bot", name="Servicedesk"),
            conversation=ConversationAccount(
                id=f"a:personal-{person.object_id}", conversation_type="personal", tenant_id=TENANT
            ),
            locale=locale,
        )
        self.adapter = TestAdapter(self._logic, template_or_conversation=template)
        self.all_replies: list[Reply] = []

    async def _logic(self, turn_context: TurnContext) -> None:
        if turn_context.activity.type == ActivityTypes.message:
            await self.conversation.on_message(turn_context)

    def restart(self) -> "Chat":
        """A new bot process: new dialog set and conversation state over the same database."""
        return Chat(self.services, person=self.person, locale=self.adapter.template.locale, transcript=self.transcript)

    async def send(self, text: str | None = None, *, value: dict | None = None, attachments: list[dict] | None = None, shown: str | None = None) -> list[Reply]:
        activity = Activity(type=ActivityTypes.message, text=text or "", value=value)
        if attachments:
            activity.attachments = [
                Attachment(content_type=a["contentType"], content_url=a.get("contentUrl"), name=a.get("name"), content=a.get("content"))
                for a in attachments
            ]
        before = len(self.adapter.activity_buffer)
        await self.adapter.receive_activity(activity)
        replies = [_reply_of(a) for a in self.adapter.activity_buffer[before:] if a.type == ActivityTypes.message]
        self.all_replies.extend(replies)
        if self.transcript is not None:
            self.transcript.employee(shown or (f"[{value.get('antwoord')}]" if value and not text else (text or "")) or "(foto)")
            for reply in replies:
                self.transcript.bot(reply)
        return replies

    def receive(self, *, text: str = "", card: dict[str, Any] | None = None) -> str:
        """A message the bot sends outside a turn (from the outbox), as the employee reads it:
        recorded like a reply, so ``tap`` finds its buttons. The card is validated too."""
        if card is not None:
            assert_valid_card(card)
        reply = Reply(text=text, cards=[card] if card is not None else [])
        self.all_replies.append(reply)
        if self.transcript is not None:
            self.transcript.bot(reply)
        return reply.read

    async def say(self, text: str | None = None, **kwargs: Any) -> str:
        """Send and return everything the employee reads in answer, as one string."""
        return "\n".join(r.read for r in await self.send(text, **kwargs))

    async def tap(self, answer: str) -> str:
        """Tap a button (by its answer value) on the newest card the bot sent that has one."""

        def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
            found = list(card.get("actions", []))
            for node in card.get("body", []):
                if node.get("type") == "ActionSet":
                    found.extend(node["actions"])
            return found

        action = next(
            a for r in reversed(self.all_replies) for c in reversed(r.cards) for a in actions(c) if a["data"].get("antwoord") == answer
        )
        return await self.say(None, value=dict(action["data"]), shown=f"[{action['title']}]")

    def last_card(self) -> dict[str, Any]:
        return next(c for r in reversed(self.all_replies) for c in reversed(r.cards))


def make_services(database: Database, clock: FixedClock | None = None, **overrides: Any) -> DeskServices:
    return DeskServices(database=database, policy=load_policy("halt"), clock=clock or FixedClock(START), **overrides)
