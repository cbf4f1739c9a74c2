"""HTTP routes: ``POST /api/messages``, ``GET /healthz``, ``GET /readyz``.

Every request is checked before a turn runs, in this order:

1. content type: anything but JSON gets 415;
2. size: the body is read to its end, however many segments or chunks it arrives in; one over
   ``max_body_bytes`` (announced or counted while reading) gets 413;
3. JSON: a body that is not a JSON object gets 400, with or without a valid token: it says nothing
   about who sent it, so it never counts toward the authentication alert;
4. authentication (when app credentials are configured): every failure gets 401, a tenant outside
   the allow-list 403 (``bot.auth``); an unauthenticated caller never learns more than that;
5. shape: not an activity with type, serviceUrl, conversation.id and from.id gets 400;
6. in local development mode (no authentication): serviceUrl on the allow-list or loopback (400)
   and the tenant allow-list (403);
7. duplicates: the activity's key is claimed in ``processed_activities``; a copy that finds it
   taken gets 200 and runs nothing (``storage.dedup``). A failed turn releases the claim;
8. one at a time: the turns of one personal chat run one after the other, in the order they came
   (``storage.turns``, across replicas too), so two messages sent at once are answered as if sent
   one after the other. A turn that cannot start within its wait answers 503 (Teams retries).
   Channel turns are not serialised: they keep no conversation state, and the clicks of fifty
   agents on one card are decided by the ticket's compare-and-set, not by queueing.

Why the body is read in a loop: ``StreamReader.read(n)`` returns what has arrived so far, and a
large activity (a card submit with a long description, a photo's metadata) often arrives in
several TCP segments. Teams does not retry a 4xx, so a body cut off was a message lost.

A refused request runs no turn, touches no table and calls nobody. Nothing here answers 500: an
unexpected error before the turn answers 503 (so Teams retries), a failing turn is handled by the
adapter's ``on_turn_error`` (an apology to the user) and answers 200.

Each request gets a correlation id (``bot.logging_setup.correlation_id``) that every log line of
its turn carries.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Awaitable, Callable

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot.adapter import TeamsAdapter, deserialise_activity, invoke_body
from bot.auth import AuthError, InboundAuthenticator, tenant_allowed
from bot.logging_setup import correlation_id, new_correlation_id
from bot.metrics import Metrics
from bot.service_urls import service_url_allowed
from bot.settings import Settings
from storage.db import DatabaseReadOnly
from storage.dedup import ActivityClaims, activity_key
from storage.turns import ConversationTurns, TurnsBusy

log = logging.getLogger("servicedesk.http")

REQUIRED_FIELDS = ("type", "serviceUrl", "conversation", "from")
JSON_CONTENT_TYPE = "application/json"


@dataclass
class MessageEndpoint:
    settings: Settings
    adapter: TeamsAdapter
    logic: Callable[[TurnContext], Awaitable[None]]
    authenticator: InboundAuthenticator | None  # None in local development mode
    # Duplicate detection needs the database; without it (unit tests of the endpoint) every
    # delivery runs a turn.
    database: Any = None
    clock: Any = None
    claims: ActivityClaims | None = field(default=None)
    metrics: Metrics = field(default_factory=Metrics)
    turns: ConversationTurns | None = field(default=None)

    def __post_init__(self) -> None:
        if self.claims is None and self.database is not None and self.clock is not None:
            self.claims = ActivityClaims(
                database=self.database, clock=self.clock, keep=timedelta(hours=self.settings.dedup_keep_hours)
            )
        if self.turns is None and self.database is not None:
            self.turns = ConversationTurns(self.database)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        token = correlation_id.set(new_correlation_id())
        try:
            return await self._handle(request)
        except DatabaseReadOnly as error:
            log.error("request answered 503, Teams retries: %s", error)  # one line; /readyz says it too
            return web.json_response({"error": "temporarily unavailable"}, status=503)
        except Exception as error:  # noqa: BLE001 - never a 500 for what a caller sent
            log.error("request failed before or around the turn (%s)", type(error).__name__, exc_info=error)
            return web.json_response({"error": "temporarily unavailable"}, status=503)
        finally:
            correlation_id.reset(token)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.content_type != JSON_CONTENT_TYPE:
            log.info("request refused: status=415 (content type %s)", _short(request.content_type))
            return web.json_response({"error": "content type must be application/json"}, status=415)
        raw = await _whole_body(request, self.settings.max_body_bytes)
        if raw is None:
            log.info("request refused: status=413 (body over the limit)")
            return web.json_response({"error": "body too large"}, status=413)
        document = _json(raw)
        if not isinstance(document, dict):
            log.info("request refused: status=400 (not a JSON object)")
            return web.json_response({"error": "malformed activity"}, status=400)
        if self.authenticator is not None:
            try:
                await self.authenticator.authenticate(request.headers.get("Authorization"), document)
            except AuthError as error:
                # One line per failure at DEBUG only; the authenticator's monitor raises one
                # WARNING alert per window when failures pile up.
                log.debug("request refused: status=%d reason=%s", error.status, error.reason)
                self.metrics.auth_refused(error.reason)
                return web.json_response({"error": error.reason}, status=error.status)
        body = document if _well_formed(document) else None
        if body is None:
            log.info("request refused: status=400 (not a JSON activity)")
            return web.json_response({"error": "malformed activity"}, status=400)
        if self.authenticator is None:
            if not service_url_allowed(body["serviceUrl"], self.settings.allowed_service_hosts, allow_loopback=True):
                log.info("request refused: status=400 (serviceUrl host not allowed)")
                return web.json_response({"error": "service url not allowed"}, status=400)
            if self.settings.allowed_tenants and not tenant_allowed(body, self.settings.allowed_tenants):
                log.info("request refused: status=403 (tenant not allowed)")
                return web.json_response({"error": "tenant not allowed"}, status=403)
        try:
            activity = deserialise_activity(body)
        except Exception:  # noqa: BLE001 - msrest raises several kinds on bad shapes
            log.info("request refused: status=400 (activity does not deserialise)")
            return web.json_response({"error": "malformed activity"}, status=400)
        correlation_id.set(new_correlation_id(body.get("id")))

        key = activity_key(body) if self.claims is not None else None
        if key is not None and not await self.claims.claim(key):
            log.info("duplicate delivery ignored: type=%s", _short(body["type"]))
            self.metrics.turn(body["type"], "duplicate")
            return web.Response(status=200)
        return await self._run_turn(activity, key, _personal_chat(body))

    async def _run_turn(self, activity: Activity, key: str | None, chat: str | None) -> web.StreamResponse:
        failed = False

        async def logic(context: TurnContext) -> None:
            nonlocal failed
            try:
                await self.logic(context)
            except BaseException:
                failed = True
                raise

        started = time.monotonic()
        try:
            if chat is None or self.turns is None:
                response = await self.adapter.process_activity(activity, logic)
            else:
                async with self.turns.one_at_a_time(chat):
                    response = await self.adapter.process_activity(activity, logic)
        except TurnsBusy:
            failed = True
            log.warning("turn not started: the one before it in this chat is still running; Teams retries")
            self.metrics.turn(activity.type, "busy")
            return web.json_response({"error": "temporarily unavailable"}, status=503)
        except BaseException:
            failed = True
            raise
        finally:
            if failed and key is not None:
                await asyncio.shield(self._release(key))
        seconds = time.monotonic() - started
        log.info("turn %s: type=%s ms=%d", "failed" if failed else "done", _short(activity.type), int(seconds * 1000))
        self.metrics.turn(activity.type, "failed" if failed else "done", seconds)
        if response is None:
            return web.Response(status=200)
        status = response.status or 200
        if status >= 500 and status != 501:
            status = 503
        return web.json_response(invoke_body(response.body), status=status)

    async def _release(self, key: str) -> None:
        try:
            await self.claims.release(key)  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - the claim then simply expires with the keep window
            log.warning("could not release the claim of a failed turn")


def _personal_chat(body: dict[str, Any]) -> str | None:
    """The key of the personal chat this activity belongs to, or None for a channel or group chat."""
    conversation = body["conversation"]
    if (conversation.get("conversationType") or "personal") != "personal":
        return None
    channel = body.get("channelId") if isinstance(body.get("channelId"), str) else ""
    return f"{channel}|{conversation['id']}"


def _short(value: object) -> str:
    return value[:40] if isinstance(value, str) else type(value).__name__


async def _whole_body(request: web.Request, limit: int) -> bytes | None:
    """The request body to its end, or None as soon as it is known to be over ``limit`` bytes."""
    if request.content_length is not None and request.content_length > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_any():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _json(raw: bytes) -> object:
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if _SURROGATE_ESCAPE.search(raw):
        document = _without_lone_surrogates(document)
    return document


# A lone surrogate ("\ud800" without its pair) is valid JSON but no text: no database can store
# it, so a turn with one failed at its first write, and again at every redelivery. Only an escape
# can bring one in (a raw surrogate is no valid UTF-8), so bodies without one are not walked.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings (keys too) replaced by U+FFFD."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(key): _without_lone_surrogates(item) for key, item in value.items()}
    return value


def _well_formed(body: object) -> bool:
    if not isinstance(body, dict):
        return False
    for name in REQUIRED_FIELDS:
        if not body.get(name):
            return False
    if not isinstance(body["type"], str) or not isinstance(body["serviceUrl"], str):
        return False
    if not isinstance(body["conversation"], dict) or not isinstance(body["conversation"].get("id"), str):
        return False
    if not body["conversation"]["id"].strip("."):
        return False  # "." or "..": a URL's path drops it, so no reply could reach that conversation
    if not isinstance(body["from"], dict) or not isinstance(body["from"].get("id"), str):
        return False
    return True
