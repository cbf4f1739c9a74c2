"""A fake TOPdesk on loopback that answers as TOPdesk's published REST API says it does.

Tests drive the bot against it, and play TOPdesk's operators with its helpers (``register``,
``respond``, ``add_action``, ``complete``, ...), which change incidents as TOPdesk's own screens
would: with the fake's clock (the test's ``FixedClock``) as the moment of every change.

Where each behaviour comes from (developers.topdesk.com unless said otherwise):

* Authentication: HTTP Basic with the operator's login name and an application password, on every
  request; a missing or wrong one is answered 401 with ``WWW-Authenticate: Basic`` ("Tutorial",
  section "Application passwords"; TOPdesk's article "Gatekeeping your API: protect your data with
  application passwords": "Just use Basic Authentication to provide the username and
  (application) password to the request").
* ``GET /tas/api/version``: ``{"version": "..."}`` (General API specification).
* ``GET /tas/api/operators/current``: the account's own operator record (Supporting Files API,
  "Operators").
* ``GET /tas/api/incidents`` (Incident API specification, ``getIncidents``): ``pageStart`` (offset,
  default 0) and ``pageSize`` (default 10, at most 10000; more is a 400); ``query``, a FIQL
  selection ("Tutorial", section "Query": ``==``, ``!=``, ``=gt=``, ``=ge=``, ``=lt=``, ``=le=``,
  ``=in=``, ``=out=``; ``;`` is AND, ``,`` is OR, parentheses group; dotted selectors such as
  ``entryType.name``; date values in ISO 8601); ``sort`` as ``field:asc`` or ``field:desc``,
  comma-separated. Answers: 200 with the last (or only) page, **206 Partial Content** when more
  incidents match than the page holds, 204 No Content when none match, 400 with
  ``[{"message": ...}]`` for a selection or sort it cannot use.
* ``POST /tas/api/incidents`` (``createIncident``): 201 Created with the incident. A registered
  caller is looked up with ``callerLookup`` (a person's ``id``, ``email``, ``employeeNumber``,
  ``networkLoginName`` or ``loginName``), an unregistered one given as ``caller.dynamicName``;
  search-list fields (entryType, callType, category, subcategory, impact, urgency, priority,
  operatorGroup, processingStatus) by ``{"id": ...}``. ``briefDescription`` holds at most 80
  characters and ``externalNumber`` 60; what breaks a rule is a 400 with ``[{"message": ...}]``,
  and nothing is created.
* ``GET``/``PATCH /tas/api/incidents/id/{id}`` (``getIncidentById``, ``patchIncidentById``): 200 with
  the incident; 404 with ``[{"message": ...}]`` for an unknown id. A PATCH's ``action`` adds an
  action, hidden from the caller when ``actionInvisibleForCaller`` is true; ``responded`` with
  ``responseDate``, ``completed`` with ``completedDate``, and search-list fields change as sent.
* ``GET /tas/api/incidents/id/{id}/actions`` ("progress trail / actions / requests"): ``start``
  and ``page_size`` paging with 200/206/204 as above; each action has ``id``, ``memoText``,
  ``plainText``, ``flag``, ``invisibleForCaller``, ``entryDate``, ``operator`` and ``person``.
* Search lists: ``/tas/api/incidents/entry_types``, ``call_types``, ``categories``,
  ``subcategories`` (each with its ``category``), ``impacts``, ``urgencies``, ``priorities``,
  ``statuses`` (processing statuses): lists of ``{"id", "name"}``; ``/tas/api/operatorgroups``:
  ``{"id", "groupName"}``.
* Dates are written as TOPdesk writes them: ``2026-04-28T08:15:00.000+0000``.
* Failures a test asks for (``outage``, ``fail_next``, ``hang``, ``lose_create_answers``,
  ``hold_create_answers``) answer as
  an HTTP server in trouble does: 503 or 429 with ``Retry-After`` (RFC 9110 §15.6.4, §10.2.3, and
  RFC 6585 §4), 500, a dropped connection, or no answer at all.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from aiohttp import web

USER = "servicedesk-bot"
APP_PASSWORD = "s3cr3t-app-password-0123456789"
API_OPERATOR = {"id": "0a0a0a0a-0000-4000-8000-000000000001", "name": "Servicedesk-bot (API)"}
MAX_PAGE_SIZE = 10000

LISTS: dict[str, list[str]] = {
    "entry_types": ["Teams", "Telefonisch", "E-mail", "Self Service Desk", "Balie", "Chat"],
    "call_types": ["Storing", "Vraag"],
    "categories": ["Werkplek", "Microsoft 365", "Netwerk", "Account", "Beveiliging", "Overig"],
    "impacts": ["Persoon", "Afdeling", "Organisatie"],
    "urgencies": ["Kan werken", "Kan beperkt werken", "Kan niet werken"],
    "priorities": ["P1 Kritiek", "P2 Hoog", "P3 Normaal", "P4 Laag"],
    "statuses": ["Geregistreerd", "In behandeling", "Wacht op leverancier", "Wacht op gebruiker", "Afgemeld"],
}
SUBCATEGORIES = {"Laptop": "Werkplek", "Printer": "Werkplek", "Outlook": "Microsoft 365", "Wachtwoord": "Account"}
GROUPS = ["Servicedesk", "Werkplekbeheer", "Netwerkbeheer"]
OPERATORS = {"Jan Smit": "op-jan", "Fatima el Amrani": "op-fatima"}


def stamp(moment: datetime) -> str:
    utc = moment.astimezone(timezone.utc)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}+0000"


def _parse_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class BadRequest(Exception):
    pass


# -- FIQL ---------------------------------------------------------------------------------------
_COMPARISON = re.compile(r"(==|!=|=gt=|=ge=|=lt=|=le=|=in=|=out=)")
_SELECTOR = re.compile(r"[A-Za-z][A-Za-z0-9_.]*")


class _Fiql:
    """A FIQL selection (tutorial.html#query), parsed once, evaluated against incident JSON."""

    def __init__(self, text: str) -> None:
        self._text, self._pos = text, 0
        self.tree = self._or()
        if self._pos != len(text):
            raise BadRequest(f"'{text}' is not a valid FIQL selection (at position {self._pos})")

    def _peek(self) -> str:
        return self._text[self._pos] if self._pos < len(self._text) else ""

    def _or(self):
        parts = [self._and()]
        while self._peek() == ",":
            self._pos += 1
            parts.append(self._and())
        return ("or", parts)

    def _and(self):
        parts = [self._constraint()]
        while self._peek() == ";":
            self._pos += 1
            parts.append(self._constraint())
        return ("and", parts)

    def _constraint(self):
        if self._peek() == "(":
            self._pos += 1
            inner = self._or()
            if self._peek() != ")":
                raise BadRequest(f"'{self._text}' is not a valid FIQL selection: missing ')'")
            self._pos += 1
            return inner
        selector = _SELECTOR.match(self._text, self._pos)
        if selector is None:
            raise BadRequest(f"'{self._text}' is not a valid FIQL selection (at position {self._pos})")
        self._pos = selector.end()
        comparison = _COMPARISON.match(self._text, self._pos)
        if comparison is None:
            raise BadRequest(f"'{self._text}' is not a valid FIQL selection: no comparison after {selector.group()}")
        self._pos = comparison.end()
        if comparison.group() in ("=in=", "=out="):
            if self._peek() != "(":
                raise BadRequest(f"{comparison.group()} needs a list in parentheses")
            self._pos += 1
            values = [self._value()]
            while self._peek() == ",":
                self._pos += 1
                values.append(self._value())
            if self._peek() != ")":
                raise BadRequest("missing ')' after a list of values")
            self._pos += 1
            return ("cmp", selector.group(), comparison.group(), values)
        return ("cmp", selector.group(), comparison.group(), [self._value()])

    def _value(self) -> str:
        if self._peek() in ("'", '"'):
            quote = self._peek()
            end = self._text.find(quote, self._pos + 1)
            if end < 0:
                raise BadRequest("an unterminated quoted value")
            value, self._pos = self._text[self._pos + 1:end], end + 1
            return value
        match = re.compile(r"[^;,()]+").match(self._text, self._pos)
        if match is None:
            raise BadRequest(f"a value is missing at position {self._pos}")
        self._pos = match.end()
        return match.group()

    def matches(self, incident: dict[str, Any], tree=None) -> bool:
        kind, *rest = tree or self.tree
        if kind == "or":
            return any(self.matches(incident, part) for part in rest[0])
        if kind == "and":
            return all(self.matches(incident, part) for part in rest[0])
        selector, comparison, values = rest
        actual = _select(incident, selector)
        wanted = [_coerce(selector, actual, value) for value in values]
        if comparison == "==":
            return actual == wanted[0]
        if comparison == "!=":
            return actual != wanted[0]
        if comparison == "=in=":
            return actual in wanted
        if comparison == "=out=":
            return actual not in wanted
        if actual is None:
            return False
        return {"=gt=": actual > wanted[0], "=ge=": actual >= wanted[0], "=lt=": actual < wanted[0], "=le=": actual <= wanted[0]}[comparison]


def _select(incident: dict[str, Any], selector: str) -> Any:
    if selector.split(".")[0] not in incident:
        raise BadRequest(f"'{selector}' is not a field incidents can be selected on")
    value: Any = incident
    for part in selector.split("."):
        value = value.get(part) if isinstance(value, dict) else None  # through an empty field: null
    if isinstance(value, str) and selector.endswith("Date"):
        return _parse_time(value)
    return value


def _coerce(selector: str, actual: Any, value: str) -> Any:
    if selector.endswith("Date"):
        try:
            return _parse_time(value)
        except ValueError as exc:
            raise BadRequest(f"'{value}' is not a date for {selector}") from exc
    if isinstance(actual, bool) or value in ("true", "false"):
        return value == "true"
    if value == "null":
        return None
    return value


# -- the fake -------------------------------------------------------------------------------------
@dataclass
class FakeTopdesk:
    clock: Callable[[], datetime]
    incidents: dict[str, dict[str, Any]] = field(default_factory=dict)
    actions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    persons: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path) of every call
    answers: list[tuple[str, str, int]] = field(default_factory=list)  # (method, path, status) of every answer
    # Failures on request: a status for every call (503: maintenance), a script of statuses for
    # the next calls, calls that never answer, or creates whose answer is lost on the way back.
    outage: int | None = None
    fail_next: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    hang: bool = False
    lose_create_answers: int = 0
    hold_create_answers: bool = False  # the incident is made; the answer waits for ``release``
    _numbers: Any = field(default_factory=lambda: itertools.count(1))
    _ids: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind, names in LISTS.items():
            self._ids[kind] = {name: str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}/{name}")) for name in names}
        self._ids["subcategories"] = {name: str(uuid.uuid5(uuid.NAMESPACE_URL, f"sub/{name}")) for name in SUBCATEGORIES}
        self._ids["operatorgroups"] = {name: str(uuid.uuid5(uuid.NAMESPACE_URL, f"group/{name}")) for name in GROUPS}
        self._never = asyncio.Event()
        self.created = asyncio.Event()  # set whenever an incident is created
        self.release = asyncio.Event()

    # -- the HTTP side ---------------------------------------------------------------------------
    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._gate])
        add = app.router
        add.add_get("/tas/api/version", lambda r: web.json_response({"version": "3.7.0"}))
        add.add_get("/tas/api/operators/current", lambda r: web.json_response({**API_OPERATOR, "loginName": USER}))
        add.add_get("/tas/api/incidents", self._list)
        add.add_post("/tas/api/incidents", self._create)
        add.add_get("/tas/api/incidents/id/{id}", self._get)
        add.add_patch("/tas/api/incidents/id/{id}", self._patch)
        add.add_get("/tas/api/incidents/id/{id}/actions", self._actions)
        for kind in LISTS:
            add.add_get(f"/tas/api/incidents/{kind}", self._search_list(kind))
        add.add_get("/tas/api/incidents/subcategories", self._subcategories)
        add.add_get("/tas/api/operatorgroups", self._groups)
        return app

    @web.middleware
    async def _gate(self, request: web.Request, handler):
        self.requests.append((request.method, request.path))
        if self.hang:
            await self._never.wait()
        if request.headers.get("Authorization") != "Basic " + base64.b64encode(f"{USER}:{APP_PASSWORD}".encode()).decode():
            return web.json_response([{"message": "Unauthorized"}], status=401, headers={"WWW-Authenticate": 'Basic realm="TOPdesk"'})
        if self.outage is not None:
            return web.json_response([{"message": "Service Unavailable"}], status=self.outage, headers={"Retry-After": "60"})
        if self.fail_next:
            status, headers = self.fail_next.pop(0)
            return web.json_response([{"message": f"HTTP {status}"}], status=status, headers=headers)
        try:
            response = await handler(request)
        except BadRequest as error:
            response = web.json_response([{"message": str(error)}], status=400)
        self.answers.append((request.method, request.path, response.status))
        return response

    async def _list(self, request: web.Request) -> web.Response:
        query = request.query
        start = _int(query.get("pageStart", "0"), "pageStart")
        size = _int(query.get("pageSize", "10"), "pageSize")
        if start < 0 or not 1 <= size <= MAX_PAGE_SIZE:
            raise BadRequest(f"pageSize must be between 1 and {MAX_PAGE_SIZE}, pageStart at least 0")
        selected = [self._json(i) for i in self.incidents.values()]
        if query.get("query"):
            fiql = _Fiql(query["query"])
            selected = [i for i in selected if fiql.matches(i)]
        for part in reversed([p for p in query.get("sort", "").split(",") if p]):
            name, _, direction = part.partition(":")
            if direction not in ("asc", "desc") or name not in ("callDate", "creationDate", "modificationDate", "targetDate", "closedDate", "id"):
                raise BadRequest(f"cannot sort on '{part}'")
            selected.sort(key=lambda i: (i.get(name) is None, _select(i, name) or ""), reverse=direction == "desc")
        return _page(selected, start, size)

    async def _create(self, request: web.Request) -> web.Response:
        body = await request.json()
        now = self.clock()
        if len(body.get("briefDescription") or "") > 80:
            raise BadRequest("briefDescription can hold at most 80 characters")
        if len(body.get("externalNumber") or "") > 60:
            raise BadRequest("externalNumber can hold at most 60 characters")
        if body.get("callerLookup"):
            (key, value), = body["callerLookup"].items()
            person = next((p for p in self.persons if p.get(key) == value), None)
            if person is None:
                raise BadRequest(f"No person found with {key} '{value}'")
            caller = {"id": person["id"], "dynamicName": person["dynamicName"], "email": person.get("email"), "phoneNumber": person.get("phoneNumber")}
        elif (body.get("caller") or {}).get("dynamicName"):
            caller = {"id": None, "dynamicName": body["caller"]["dynamicName"], "email": None, "phoneNumber": None}
        else:
            raise BadRequest("A caller is required: callerLookup or caller.dynamicName")
        incident = self._new(
            caller=caller, brief=body.get("briefDescription") or "", request=body.get("request") or "",
            external=body.get("externalNumber") or "", at=_parse_time(body["callDate"]) if body.get("callDate") else now,
            created=now, status=body.get("status") or "firstLine",
        )
        for key in ("entryType", "callType", "category", "subcategory", "impact", "urgency", "priority", "operatorGroup", "processingStatus"):
            if body.get(key):
                incident[key] = self._ref(key, body[key])
        self.created.set()
        if self.lose_create_answers:
            self.lose_create_answers -= 1
            request.transport.close()  # created, but the answer never arrives
        if self.hold_create_answers:
            await self.release.wait()
        return web.json_response(self._json(incident), status=201)

    async def _get(self, request: web.Request) -> web.Response:
        incident = self.incidents.get(request.match_info["id"])
        if incident is None:
            return web.json_response([{"message": "Incident not found"}], status=404)
        return web.json_response(self._json(incident))

    async def _patch(self, request: web.Request) -> web.Response:
        incident = self.incidents.get(request.match_info["id"])
        if incident is None:
            return web.json_response([{"message": "Incident not found"}], status=404)
        body = await request.json()
        now = self.clock()
        for key in ("category", "subcategory", "impact", "urgency", "priority", "operatorGroup", "processingStatus"):
            if key in body:
                incident[key] = self._ref(key, body[key])
        if "responded" in body:
            incident["responded"] = bool(body["responded"])
            incident["responseDate"] = body.get("responseDate") or stamp(now) if body["responded"] else None
        if "completed" in body:
            incident["completed"] = bool(body["completed"])
            incident["completedDate"] = body.get("completedDate") or stamp(now) if body["completed"] else None
        if body.get("action"):
            self._action(incident["id"], body["action"], at=now, operator=API_OPERATOR, visible=not body.get("actionInvisibleForCaller", False))
        self._touch(incident, now, modifier=API_OPERATOR)
        return web.json_response(self._json(incident))

    async def _actions(self, request: web.Request) -> web.Response:
        if request.match_info["id"] not in self.incidents:
            return web.json_response([{"message": "Incident not found"}], status=404)
        start = _int(request.query.get("start", "0"), "start")
        size = _int(request.query.get("page_size", "10"), "page_size")
        newest_first = sorted(self.actions.get(request.match_info["id"], []), key=lambda a: a["entryDate"], reverse=True)
        return _page(newest_first, start, size)

    def _search_list(self, kind: str):
        async def handler(request: web.Request) -> web.Response:
            return web.json_response([{"id": i, "name": n} for n, i in self._ids[kind].items()])

        return handler

    async def _subcategories(self, request: web.Request) -> web.Response:
        return web.json_response([
            {"id": i, "name": n, "category": {"id": self._ids["categories"][SUBCATEGORIES[n]], "name": SUBCATEGORIES[n]}}
            for n, i in self._ids["subcategories"].items()
        ])

    async def _groups(self, request: web.Request) -> web.Response:
        return web.json_response([{"id": i, "groupName": n} for n, i in self._ids["operatorgroups"].items()])

    # -- TOPdesk's operators, at work ------------------------------------------------------------
    def register(
        self, *, entry_type: str, caller: str, brief: str, priority: str = "P3 Normaal", category: str = "Werkplek",
        request: str = "", at: datetime | None = None, phone: str | None = None, branch: str = "Stichting Halt",
        external: str = "",
    ) -> dict[str, Any]:
        """An operator registers a call (a phone call, an e-mail, a portal form)."""
        at = at or self.clock()
        incident = self._new(
            caller={"id": None, "dynamicName": caller, "email": None, "phoneNumber": phone},
            brief=brief, request=request or brief, external=external, at=at, created=at, status="firstLine",
        )
        incident["callerBranch"] = {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"branch/{branch}")), "name": branch}
        incident["entryType"] = self._named("entryType", entry_type)
        incident["priority"] = self._named("priority", priority)
        incident["category"] = self._named("category", category)
        incident["operatorGroup"] = self._named("operatorGroup", "Servicedesk")
        return incident

    def respond(self, incident_id: str, *, operator: str, at: datetime | None = None) -> None:
        incident = self.incidents[incident_id]
        at = at or self.clock()
        incident["operator"] = {"id": OPERATORS[operator], "name": operator}
        incident["responded"], incident["responseDate"] = True, stamp(at)
        incident["processingStatus"] = self._named("processingStatus", "In behandeling")
        self._touch(incident, at)

    def add_action(self, incident_id: str, text: str, *, operator: str, visible: bool = True, at: datetime | None = None) -> None:
        at = at or self.clock()
        self._action(incident_id, text, at=at, operator={"id": OPERATORS[operator], "name": operator}, visible=visible)
        self._touch(self.incidents[incident_id], at)

    def set_priority(self, incident_id: str, name: str, *, at: datetime | None = None) -> None:
        self.incidents[incident_id]["priority"] = self._named("priority", name)
        self._touch(self.incidents[incident_id], at or self.clock())

    def set_status(self, incident_id: str, name: str, *, at: datetime | None = None) -> None:
        self.incidents[incident_id]["processingStatus"] = self._named("processingStatus", name)
        self._touch(self.incidents[incident_id], at or self.clock())

    def assign(self, incident_id: str, *, group: str, operator: str | None = None, at: datetime | None = None) -> None:
        incident = self.incidents[incident_id]
        incident["operatorGroup"] = self._named("operatorGroup", group)
        incident["operator"] = {"id": OPERATORS[operator], "name": operator} if operator else None
        incident["status"] = "firstLine" if group == "Servicedesk" else "secondLine"
        self._touch(incident, at or self.clock())

    def complete(self, incident_id: str, *, at: datetime | None = None) -> None:
        at = at or self.clock()
        incident = self.incidents[incident_id]
        incident["completed"], incident["completedDate"] = True, stamp(at)
        incident["processingStatus"] = self._named("processingStatus", "Afgemeld")
        self._touch(incident, at)

    def close(self, incident_id: str, *, at: datetime | None = None) -> None:
        at = at or self.clock()
        incident = self.incidents[incident_id]
        incident["closed"], incident["closedDate"] = True, stamp(at)
        self._touch(incident, at)

    # -- reading back ------------------------------------------------------------------------------
    def by_external(self, number: str) -> list[dict[str, Any]]:
        return [i for i in self.incidents.values() if i["externalNumber"] == number]

    def actions_of(self, incident_id: str) -> list[dict[str, Any]]:
        return sorted(self.actions.get(incident_id, []), key=lambda a: a["entryDate"])

    def name_of(self, value: dict[str, Any] | None) -> str | None:
        return None if value is None else value.get("name")

    # -- inside ------------------------------------------------------------------------------------
    def _new(self, *, caller, brief, request, external, at, created, status) -> dict[str, Any]:
        number = next(self._numbers)
        incident = {
            "id": str(uuid.uuid4()), "status": status, "number": f"I {at.astimezone(timezone.utc):%y%m} {number:03d}",
            "request": request, "caller": caller, "callerBranch": None, "briefDescription": brief, "externalNumber": external,
            "category": None, "subcategory": None, "callType": None, "entryType": None, "impact": None,
            "urgency": None, "priority": None, "operator": None, "operatorGroup": None,
            "processingStatus": self._named("processingStatus", "Geregistreerd"),
            "responded": False, "responseDate": None, "completed": False, "completedDate": None,
            "closed": False, "closedDate": None, "onHold": False, "callDate": stamp(at),
            "creator": API_OPERATOR, "creationDate": stamp(created), "modifier": API_OPERATOR,
            "modificationDate": stamp(created), "majorCall": False,
        }
        self.incidents[incident["id"]] = incident
        return incident

    def _action(self, incident_id: str, text: str, *, at: datetime, operator: dict[str, str], visible: bool) -> None:
        self.actions.setdefault(incident_id, []).append({
            "id": str(uuid.uuid4()), "memoText": text.replace("\n", "<br>"), "plainText": text, "flag": 0,
            "invisibleForCaller": not visible, "entryDate": stamp(at), "operator": operator, "person": None,
        })

    def _touch(self, incident: dict[str, Any], at: datetime, *, modifier: dict[str, str] | None = None) -> None:
        incident["modificationDate"] = stamp(at)
        incident["modifier"] = modifier or incident.get("operator") or API_OPERATOR

    _KINDS = {
        "entryType": "entry_types", "callType": "call_types", "category": "categories", "subcategory": "subcategories",
        "impact": "impacts", "urgency": "urgencies", "priority": "priorities", "processingStatus": "statuses",
        "operatorGroup": "operatorgroups",
    }

    def _named(self, key: str, name: str) -> dict[str, str]:
        return {"id": self._ids[self._KINDS[key]][name], "name": name}

    def _ref(self, key: str, value: dict[str, Any]) -> dict[str, str]:
        ids = self._ids[self._KINDS[key]]
        name = next((n for n, i in ids.items() if i == value.get("id")), None)
        if name is None:
            raise BadRequest(f"{key}: no {self._KINDS[key]} with id '{value.get('id')}'")
        return {"id": value["id"], "name": name}

    @staticmethod
    def _json(incident: dict[str, Any]) -> dict[str, Any]:
        return dict(incident)


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise BadRequest(f"{name} must be a whole number") from exc


def _page(items: list[dict[str, Any]], start: int, size: int) -> web.Response:
    if not items[start:]:
        return web.Response(status=204)
    page = items[start:start + size]
    return web.json_response(page, status=206 if start + size < len(items) else 200)
