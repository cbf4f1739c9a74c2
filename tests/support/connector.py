"""A stub Bot Connector on loopback that records what the bot sends and answers like Teams."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable
from urllib.parse import unquote

from aiohttp import web


@dataclass
class Call:
    method: str
    conversation_id: str
    activity_id: str | None
    body: dict[str, Any]
    at: datetime | None = None  # the injected clock's time when Teams got it (``StubConnector.clock``)
    sent_id: str | None = None  # the id a POST was answered with: later PUTs name it

    @property
    def text(self) -> str:
        return self.body.get("text") or ""

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a.get("content") or {}
            for a in self.body.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    def card_text(self) -> str:
        """Every string in the cards, joined: for asserting what people read on a card."""
        out: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in ("text", "title", "value", "label") and isinstance(value, str):
                        out.append(value)
                    else:
                        walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk(self.cards)
        return " | ".join(out)


@dataclass
class StubConnector:
    calls: list[Call] = field(default_factory=list)
    # Scripted answers: a list of statuses (with optional headers) used before answering 200.
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    # Scripted answers for one conversation only (by id prefix), used before ``script``.
    scripts_for: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    # Calls to these conversations (by id prefix) get no answer until the event is set: a slow Teams.
    holds: dict[str, asyncio.Event] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    url: str = ""
    # The injected clock, to stamp each call with (for asserting Teams' rate limits).
    clock: Callable[[], datetime] | None = None

    def app(self) -> web.Application:
        app = web.Application()
        # Conversation and activity ids may hold any character, "/" included: the bot
        # percent-encodes each, so they are read from the raw path, one encoded segment each
        # (the router would match on the decoded path, where an id's "/" splits it).
        app.router.add_post("/v3/conversations/{rest:.+}", self._send)
        app.router.add_put("/v3/conversations/{rest:.+}", self._update)
        return app

    @staticmethod
    def _path_ids(request: web.Request) -> tuple[str, str | None]:
        """(conversation id, activity id or None) of ``/v3/conversations/{id}/activities[/{id}]``."""
        segments = request.raw_path.split("?", 1)[0].split("/")
        if len(segments) not in (5, 6) or segments[4] != "activities":  # "", "v3", "conversations", ...
            raise web.HTTPNotFound()
        return unquote(segments[3]), (unquote(segments[5]) if len(segments) == 6 else None)

    def _scripted(self, conversation: str) -> web.Response | None:
        own = next((answers for prefix, answers in self.scripts_for.items() if conversation.startswith(prefix) and answers), None)
        if own is not None:
            status, headers = own.pop(0)
            return web.json_response({"error": {"code": str(status)}}, status=status, headers=headers)
        if self.script:
            status, headers = self.script.pop(0)
            return web.json_response({"error": {"code": str(status)}}, status=status, headers=headers)
        return None

    async def _held(self, conversation: str) -> None:
        for prefix, released in self.holds.items():
            if conversation.startswith(prefix):
                await released.wait()

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.json()
        conversation, activity = self._path_ids(request)
        await self._held(conversation)
        scripted = self._scripted(conversation)
        self.calls.append(Call("POST", conversation, activity, body, self.clock() if self.clock else None))
        if scripted is not None:
            self.calls[-1].method = f"POST->{scripted.status}"
            return scripted
        self.calls[-1].sent_id = f"sent-{next(self._ids)}"
        return web.json_response({"id": self.calls[-1].sent_id})

    async def _update(self, request: web.Request) -> web.Response:
        body = await request.json()
        conversation, activity = self._path_ids(request)
        if activity is None:
            raise web.HTTPNotFound()
        await self._held(conversation)
        scripted = self._scripted(conversation)
        self.calls.append(Call("PUT", conversation, activity, body, self.clock() if self.clock else None))
        if scripted is not None:
            self.calls[-1].method = f"PUT->{scripted.status}"
            return scripted
        return web.json_response({"id": activity})

    # -- reading what was sent ---------------------------------------------------------------
    def to(self, conversation_prefix: str) -> list[Call]:
        return [c for c in self.calls if c.conversation_id.startswith(conversation_prefix)]

    def cards_now(self, conversation_prefix: str) -> dict[str, dict[str, Any]]:
        """Each card posted in the conversation, as its latest post or update drew it (by activity id)."""
        shown: dict[str, dict[str, Any]] = {}
        for call in self.to(conversation_prefix):
            if call.cards and call.method in ("POST", "PUT"):
                shown[call.sent_id or call.activity_id or ""] = call.cards[0]
        return shown

    def texts_to(self, conversation_prefix: str) -> list[str]:
        return [c.text for c in self.to(conversation_prefix) if c.method == "POST"]

    def clear(self) -> None:
        self.calls.clear()
