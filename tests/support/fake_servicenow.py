"""A fake ServiceNow instance on loopback: the REST Table API for the incident table.

What it follows (docs.servicenow.com, "Table API", and the "REST API" overview):

* HTTP Basic authentication; a missing or wrong one is 401 with
  ``{"error": {"message": "User Not Authenticated", "detail": ...}, "status": "failure"}``.
* ``GET /api/now/table/incident``: ``sysparm_query`` as an encoded query (conditions joined by
  ``^``, operators ``=``, ``!=``, ``>``, ``>=``, ``<``, ``<=``, and ``ORDERBY``/``ORDERBYDESC``),
  ``sysparm_limit`` (default 10000) and ``sysparm_offset``, ``sysparm_fields``, and
  ``sysparm_display_value`` (``all``: each field as ``{"value", "display_value"}``). The answer
  is 200 with ``{"result": [...]}`` (an empty list when nothing matches), an ``X-Total-Count``
  header, and a ``Link`` header with ``rel="next"`` while more records follow.
* ``GET /api/now/table/incident/{sys_id}``: 200 ``{"result": {...}}``, 404 when unknown.
* ``POST /api/now/table/incident``: 201 with ``{"result": {...}}``; the priority follows from
  impact and urgency by ServiceNow's default priority lookup (1/1 is 1 - Critical, ... 3/3 is
  5 - Planning).
* Times (``opened_at``, ``sys_updated_on``, ``resolved_at``, ``closed_at``) are stored and returned
  as UTC ``YYYY-MM-DD HH:MM:SS`` values; state 1 New, 2 In Progress, 3 On Hold, 6 Resolved,
  7 Closed; ``hold_reason`` 4 Awaiting Vendor.
"""

from __future__ import annotations

import base64
import itertools
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from aiohttp import web

USER = "servicedesk.bot"
PASSWORD = "servicenow-password-0123"
PRIORITIES = {1: "1 - Critical", 2: "2 - High", 3: "3 - Moderate", 4: "4 - Low", 5: "5 - Planning"}
CONTACT_TYPES = {"phone": "Phone", "email": "Email", "self-service": "Self-service", "virtual_agent": "Virtual Agent"}
HOLD_REASONS = {"1": "Awaiting Caller", "4": "Awaiting Vendor"}
STATES = {"1": "New", "2": "In Progress", "3": "On Hold", "6": "Resolved", "7": "Closed"}
_CONDITION = re.compile(r"([a-z_]+)(>=|<=|!=|=|>|<)(.*)")


def when(moment: datetime) -> str:
    return f"{moment.astimezone(timezone.utc):%Y-%m-%d %H:%M:%S}"


@dataclass
class FakeServiceNow:
    clock: Callable[[], datetime]
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    lose_create_answers: int = 0
    _numbers: Any = field(default_factory=lambda: itertools.count(10001))

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._auth])
        app.router.add_get("/api/now/table/incident", self._list)
        app.router.add_post("/api/now/table/incident", self._create)
        app.router.add_get("/api/now/table/incident/{sys_id}", self._get)
        return app

    @web.middleware
    async def _auth(self, request: web.Request, handler):
        if request.headers.get("Authorization") != "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode():
            return web.json_response(
                {"error": {"message": "User Not Authenticated", "detail": "Required to provide Auth information"}, "status": "failure"},
                status=401,
            )
        return await handler(request)

    async def _list(self, request: web.Request) -> web.Response:
        query = request.query
        records = list(self.records.values())
        order: list[tuple[str, bool]] = []
        for part in filter(None, query.get("sysparm_query", "").split("^")):
            if part.startswith("ORDERBYDESC"):
                order.append((part[len("ORDERBYDESC"):], True))
            elif part.startswith("ORDERBY"):
                order.append((part[len("ORDERBY"):], False))
            else:
                name, op, value = _CONDITION.fullmatch(part).groups()
                records = [r for r in records if _holds(str(r.get(name) or ""), op, value)]
        for name, descending in reversed(order):
            records.sort(key=lambda r: str(r.get(name) or ""), reverse=descending)
        offset, limit = int(query.get("sysparm_offset", "0")), int(query.get("sysparm_limit", "10000"))
        page = records[offset:offset + limit]
        headers = {"X-Total-Count": str(len(records))}
        if offset + limit < len(records):
            headers["Link"] = f'<{request.url.with_query({**query, "sysparm_offset": str(offset + limit)})}>;rel="next"'
        return web.json_response({"result": [self._shown(r, query) for r in page]}, headers=headers)

    async def _get(self, request: web.Request) -> web.Response:
        record = self.records.get(request.match_info["sys_id"])
        if record is None:
            return web.json_response({"error": {"message": "No Record found"}, "status": "failure"}, status=404)
        return web.json_response({"result": self._shown(record, request.query)})

    async def _create(self, request: web.Request) -> web.Response:
        body = await request.json()
        record = self._new(body, at=datetime.strptime(body["opened_at"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc) if body.get("opened_at") else self.clock())
        if self.lose_create_answers:
            self.lose_create_answers -= 1
            request.transport.close()
        return web.json_response({"result": self._shown(record, request.query)}, status=201)

    # -- the supplier's agents, at work -------------------------------------------------------------
    def register(self, *, contact_type: str, caller: str, short_description: str, impact: str = "2", urgency: str = "2",
                 at: datetime | None = None) -> dict[str, Any]:
        return self._new({"contact_type": contact_type, "caller_id": caller, "short_description": short_description,
                          "impact": impact, "urgency": urgency, "category": "inquiry"}, at=at or self.clock())

    def resolve(self, sys_id: str, *, at: datetime | None = None) -> None:
        at = at or self.clock()
        self.records[sys_id].update(state="6", resolved_at=when(at), sys_updated_on=when(at))

    def by_correlation(self, external: str) -> list[dict[str, Any]]:
        return [r for r in self.records.values() if r.get("correlation_id") == external]

    # -- inside ---------------------------------------------------------------------------------------
    def _new(self, body: dict[str, Any], *, at: datetime) -> dict[str, Any]:
        impact, urgency = int(body.get("impact") or 3), int(body.get("urgency") or 3)
        record = {
            "sys_id": uuid.uuid4().hex, "number": f"INC00{next(self._numbers)}", "state": "1", "hold_reason": "",
            "short_description": body.get("short_description", ""), "description": body.get("description", ""),
            "correlation_id": body.get("correlation_id", ""), "contact_type": body.get("contact_type", ""),
            "caller_id": body.get("caller_id", ""), "category": body.get("category", ""),
            "subcategory": body.get("subcategory", ""), "impact": str(impact), "urgency": str(urgency),
            "priority": str(min(5, impact + urgency - 1)), "assigned_to": "", "assignment_group": body.get("assignment_group", ""),
            "opened_at": when(at), "sys_created_on": when(self.clock()), "sys_updated_on": when(self.clock()),
            "resolved_at": "", "closed_at": "", "reassignment_count": "0",
        }
        self.records[record["sys_id"]] = record
        return record

    @staticmethod
    def _shown(record: dict[str, Any], query) -> dict[str, Any]:
        fields = query.get("sysparm_fields")
        names = fields.split(",") if fields else list(record)
        labels = {"priority": lambda v: PRIORITIES.get(int(v or 5), v), "contact_type": lambda v: CONTACT_TYPES.get(v, v),
                  "hold_reason": lambda v: HOLD_REASONS.get(v, v), "state": lambda v: STATES.get(v, v)}
        if query.get("sysparm_display_value") != "all":
            return {name: record.get(name, "") for name in names}
        return {
            name: {"value": record.get(name, ""), "display_value": labels.get(name, lambda v: v)(record.get(name, ""))}
            for name in names
        }


def _holds(actual: str, op: str, value: str) -> bool:
    return {"=": actual == value, "!=": actual != value, ">": actual > value, ">=": actual >= value,
            "<": actual < value, "<=": actual <= value}[op]
