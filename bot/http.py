"""HTTP routes: ``POST /api/messages``, ``GET /healthz``, ``GET /readyz``.

Every request is checked before a turn runs: size (413), JSON shape (400), authentication (401)
and tenant (403) — a refused request runs no turn, touches no table and calls nobody.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot.adapter import TeamsAdapter, invoke_body
from bot.auth import AuthError, InboundAuthenticator, tenant_allowed
from bot.service_urls import service_url_allowed
from bot.settings import Settings

log = logging.getLogger("servicedesk.http")

REQUIRED_FIELDS = ("type", "serviceUrl", "conversation", "from")


@dataclass
class MessageEndpoint:
    settings: Settings
    adapter: TeamsAdapter
    logic: Callable[[TurnContext], Awaitable[None]]
    authenticator: InboundAuthenticator | None  # None in local development mode

    async def handle(self, request: web.Request) -> web.StreamResponse:
        limit = self.settings.max_body_bytes
        if request.content_length is not None and request.content_length > limit:
            log.info("request refused: body of %s bytes over the limit", request.content_length)
            return web.json_response({"error": "body too large"}, status=413)
        raw = await request.content.read(limit + 1)
        if len(raw) > limit:
            log.info("request refused: body over the limit")
            return web.json_response({"error": "body too large"}, status=413)
        body = _parse(raw)
        if body is None:
            log.info("request refused: not a JSON activity")
            return web.json_response({"error": "malformed activity"}, status=400)
        if self.authenticator is not None:
            try:
                await self.authenticator.authenticate(request.headers.get("Authorization"), body)
            except AuthError as error:
                return web.json_response({"error": error.reason}, status=error.status)
        else:
            if not service_url_allowed(body["serviceUrl"], self.settings.allowed_service_hosts, allow_loopback=True):
                log.info("request refused: serviceUrl host not allowed")
                return web.json_response({"error": "service url not allowed"}, status=400)
            if self.settings.allowed_tenants and not tenant_allowed(body, self.settings.allowed_tenants):
                log.info("request refused: tenant not allowed")
                return web.json_response({"error": "tenant not allowed"}, status=403)
        try:
            activity = Activity().deserialize(body)
        except Exception:  # noqa: BLE001 - msrest raises several kinds on bad shapes
            log.info("request refused: activity does not deserialise")
            return web.json_response({"error": "malformed activity"}, status=400)
        response = await self.adapter.process_activity(activity, self.logic)
        if response is None:
            return web.Response(status=200)
        return web.json_response(invoke_body(response.body), status=response.status or 200)


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(body, dict):
        return None
    for field in REQUIRED_FIELDS:
        if not body.get(field):
            return None
    if not isinstance(body["type"], str) or not isinstance(body["serviceUrl"], str):
        return None
    if not isinstance(body["conversation"], dict) or not isinstance(body["conversation"].get("id"), str):
        return None
    if not isinstance(body["from"], dict) or not isinstance(body["from"].get("id"), str):
        return None
    return body
