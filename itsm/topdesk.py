"""TOPdesk, through its REST API (``/tas/api``), as the ``TicketSystem`` interface asks.

Built from TOPdesk's published documentation (``docs/topdesk.md`` lists the pages):

* authentication: HTTP Basic with the operator's login name and an application password, one
  request at a time, no session token (developers.topdesk.com, "Tutorial"; TOPdesk's article on
  application passwords);
* incidents: ``GET /incidents`` with ``pageStart``/``pageSize`` (answered 206 Partial Content while
  more incidents match, 200 for the last page, 204 for none), a FIQL ``query`` and ``sort``;
  ``POST /incidents`` (201), ``GET``/``PATCH /incidents/id/{id}``, and an incident's actions at
  ``GET /incidents/id/{id}/actions`` (``start``/``page_size``); the Incident API specification on
  developers.topdesk.com ("Incident Management" in the API explorer);
* the search lists a new incident needs (entry types, call types, categories, subcategories,
  impacts, urgencies, priorities, processing statuses) under ``/incidents/...``, operator groups
  at ``/operatorgroups`` and the account itself at ``/operators/current`` (Supporting Files API).

Reading changes: incidents with ``modificationDate=ge=<moment>``, oldest change first. TOPdesk's
API gives no history of a field, only its value now, so ``itsm.sync`` compares each read with the
one before; actions come with their own ``entryDate``, and those written by this connector's own
operator account are marked ``ours`` so a card's text written to TOPdesk never comes back as news.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone
from typing import Any

import aiohttp

from itsm.base import (
    Action, ChangePage, Fault, Incident, ItsmError, NewIncident, Person, Status, WriteBack,
)
from itsm.http import call_json
from itsm.mapping import Mapping

NAME = "topdesk"
BRIEF_DESCRIPTION_MAX = 80  # TOPdesk's limit on briefDescription
ACTIONS_PAGE = 100
# Search lists a new incident refers to by id: where each is read, and what TOPdesk calls them.
LISTS = {
    "entry_type": ("/incidents/entry_types", "entry types"),
    "call_type": ("/incidents/call_types", "call types"),
    "category": ("/incidents/categories", "categories"),
    "subcategory": ("/incidents/subcategories", "subcategories"),
    "impact": ("/incidents/impacts", "impacts"),
    "urgency": ("/incidents/urgencies", "urgencies"),
    "priority": ("/incidents/priorities", "priorities"),
    "status": ("/incidents/statuses", "processing statuses"),
    "operator_group": ("/operatorgroups", "operator groups"),
}
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>|</p>|</div>", re.I)


class Topdesk:
    """One TOPdesk environment; ``session`` is the app's long-lived client session."""

    name = NAME
    display_name = "TOPdesk"
    writes_back = True

    def __init__(
        self, *, session: aiohttp.ClientSession, url: str, user: str, app_password: str, mapping: Mapping,
        timeout: float = 20.0,
    ) -> None:
        self._session = session
        self._api = url.rstrip("/") + "/tas/api"
        self._auth = aiohttp.BasicAuth(user, app_password)
        self._mapping = mapping
        self._timeout = timeout
        self._lists: dict[str, list[dict[str, Any]]] = {}  # search lists, read once per process
        self._own_operator: str | None = None

    # -- the interface ----------------------------------------------------------------------------
    async def create(self, incident: NewIncident) -> Incident:
        existing = await self._find_external(self._mapping.external_number(incident.external_number))
        if existing is not None:
            return await self._incident(existing, with_actions=False)
        body = await self._new_incident_body(incident)
        lookup = self._mapping.new.get("caller_lookup")
        if lookup and incident.caller.entra_id:
            try:
                answer = await self._call("POST", "/incidents", body={**body, "callerLookup": {lookup: incident.caller.entra_id}})
                return await self._incident(answer.body, with_actions=False)
            except ItsmError as error:
                if error.fault is not Fault.REJECTED:
                    raise
                # No person with that id: register the reporter by name (an unregistered caller).
        answer = await self._call("POST", "/incidents", body={**body, "caller": {"dynamicName": incident.caller.name[:100]}})
        return await self._incident(answer.body, with_actions=False)

    async def write_back(self, incident_id: str, change: WriteBack) -> None:
        body: dict[str, Any] = {}
        if change.text:
            body["action"] = change.text
            body["actionInvisibleForCaller"] = not change.visible
        if change.priority:
            body.update(await self._priority_fields(change.priority))
        status = change.status
        if status is Status.RESPONDED:
            body["responded"] = True
            body["responseDate"] = _stamp(change.at)
        if status in (Status.WORKING, Status.REOPENED) and self._mapping.in_progress:
            body["processingStatus"] = {"id": await self._id("status", self._mapping.in_progress)}
        if status is Status.WAITING and self._mapping.waiting:
            body["processingStatus"] = {"id": await self._id("status", self._mapping.waiting[0])}
        if status is Status.RESOLVED:
            body["completed"] = True
            body["completedDate"] = _stamp(change.at)
        if status is Status.REOPENED:
            body["completed"] = False
        if body:
            await self._call("PATCH", f"/incidents/id/{incident_id}", body=body)

    async def changes_since(self, moment: datetime, *, skip: int = 0, limit: int = 100) -> ChangePage:
        query = f"modificationDate=ge={_fiql_time(moment)}"
        if self._mapping.import_query:  # this organisation's incidents, and always the bot's own
            query += f';(({self._mapping.import_query}),entryType.name=="{self._mapping.new["entry_type"]}")'
        answer = await self._call(
            "GET", "/incidents",
            params={"query": query, "sort": "modificationDate:asc", "pageStart": skip, "pageSize": limit},
        )
        raws = answer.body or []
        incidents = [await self._incident(raw, with_actions=True) for raw in raws]
        return ChangePage(incidents=tuple(incidents), more=answer.status == 206)

    async def incident(self, incident_id: str) -> Incident:
        answer = await self._call("GET", f"/incidents/id/{incident_id}")
        return await self._incident(answer.body, with_actions=True)

    async def check(self) -> list[str]:
        try:
            await self._call("GET", "/version")
            await self._own_operator_id()
            await self._call("GET", "/incidents", params={"pageSize": 1})
        except ItsmError as error:
            return [_account_problem(error)]
        problems: list[str] = []
        wanted = [(f"new.{key}", key, name) for key, name in self._mapping.new.items() if key in LISTS]
        for priority, terms in self._mapping.priorities.items():
            for key in ("priority", "impact", "urgency"):
                if getattr(terms, key):
                    wanted.append((f"priorities.{priority}.{key}", key, getattr(terms, key)))
        for ours, terms in self._mapping.categories.items():
            wanted.append((f"categories.{ours}.category", "category", terms.category))
            if terms.subcategory:
                wanted.append((f"categories.{ours}.subcategory", "subcategory", terms.subcategory))
        wanted += [("channels", "entry_type", name) for name in self._mapping.channels]
        if self._mapping.in_progress:
            wanted.append(("statuses.in_progress", "status", self._mapping.in_progress))
        wanted += [("statuses.waiting", "status", name) for name in self._mapping.waiting]
        wanted += [("lines", "operator_group", name) for name in self._mapping.lines]
        self._lists.clear()  # a check reads TOPdesk as it is now
        for key, kind, name in wanted:
            try:
                known = await self._list(kind)
            except ItsmError as error:
                problems.append(f"mapping {key}: cannot read TOPdesk's {LISTS[kind][1]} ({error})")
                continue
            if _find(known, name) is None:
                names = ", ".join(sorted(_name(item) for item in known)[:12]) or "none"
                problems.append(f"mapping {key}: {name!r} is not one of TOPdesk's {LISTS[kind][1]} ({names})")
        try:
            unmapped = [_name(p) for p in await self._list("priority") if self._mapping.priority_of(_name(p)) is None]
        except ItsmError as error:
            unmapped = []
            problems.append(f"mapping priorities: cannot read TOPdesk's priorities ({error})")
        for name in unmapped:
            problems.append(f"mapping priorities: TOPdesk's priority {name!r} is none of P1..P4: incidents with it are not imported")
        if self._mapping.import_query:
            try:
                await self._call("GET", "/incidents", params={"query": self._mapping.import_query, "pageSize": 1})
            except ItsmError as error:
                problems.append(f"mapping import.query: TOPdesk does not accept it ({error.detail})")
        return problems

    # -- reading ----------------------------------------------------------------------------------
    async def _find_external(self, external_number: str) -> dict[str, Any] | None:
        answer = await self._call(
            "GET", "/incidents", params={"query": f'externalNumber=="{external_number}"', "pageSize": 1},
        )
        return (answer.body or [None])[0]

    async def _incident(self, raw: dict[str, Any], *, with_actions: bool) -> Incident:
        mapping = self._mapping
        caller = raw.get("caller") or {}
        group = raw.get("operatorGroup") or {}
        operator = raw.get("operator") or {}
        actions = await self._actions(raw["id"]) if with_actions else ()
        return Incident(
            system=NAME,
            id=raw["id"],
            number=raw.get("number") or "",
            external_number=mapping.ticket_label(raw.get("externalNumber")),
            brief_description=raw.get("briefDescription") or "",
            request=_plain(raw.get("request") or ""),
            caller=Person(
                name=caller.get("dynamicName") or "onbekend",
                email=caller.get("email") or None,
                phone=caller.get("phoneNumber") or caller.get("mobileNumber") or None,
            ),
            channel=mapping.channel_of(_name(raw.get("entryType"))),
            category=mapping.category_of(_name(raw.get("category")), _name(raw.get("subcategory"))),
            priority=mapping.priority_of(_name(raw.get("priority"))),
            reported_at=_time(raw.get("callDate") or raw.get("creationDate")),
            modified_at=_time(raw.get("modificationDate") or raw.get("creationDate")),
            operator_id=operator.get("id"),
            operator=operator.get("name"),
            group_id=group.get("id"),
            group=group.get("name"),
            line=mapping.line_of(group.get("name")),
            responded_at=_time(raw["responseDate"]) if raw.get("responded") and raw.get("responseDate") else None,
            status=_name(raw.get("processingStatus")),
            waiting=mapping.is_waiting(_name(raw.get("processingStatus"))),
            completed_at=_time(raw["completedDate"]) if raw.get("completed") and raw.get("completedDate") else None,
            closed_at=_time(raw["closedDate"]) if raw.get("closed") and raw.get("closedDate") else None,
            first_line=str(raw.get("status") or "firstLine").startswith("firstLine"),
            actions=actions,
        )

    async def _actions(self, incident_id: str) -> tuple[Action, ...]:
        own = await self._own_operator_id()
        found: list[Action] = []
        start = 0
        while True:
            answer = await self._call(
                "GET", f"/incidents/id/{incident_id}/actions", params={"start": start, "page_size": ACTIONS_PAGE},
            )
            for raw in answer.body or []:
                operator = raw.get("operator") or {}
                found.append(
                    Action(
                        id=raw["id"],
                        at=_time(raw["entryDate"]),
                        text=_plain(raw.get("plainText") or raw.get("memoText") or ""),
                        visible=not raw.get("invisibleForCaller", False),
                        operator=operator.get("name"),
                        ours=operator.get("id") == own,
                    )
                )
            if answer.status != 206:
                break
            start += ACTIONS_PAGE
        return tuple(sorted(found, key=lambda action: (action.at, action.id)))

    async def _own_operator_id(self) -> str:
        """The connector's own operator account: its actions are the cards' own, written back."""
        if self._own_operator is None:
            answer = await self._call("GET", "/operators/current")
            self._own_operator = (answer.body or {}).get("id") or ""
        return self._own_operator

    # -- writing ----------------------------------------------------------------------------------
    async def _new_incident_body(self, incident: NewIncident) -> dict[str, Any]:
        mapping = self._mapping
        category = mapping.categories.get(incident.category) or mapping.categories["overig"]
        body: dict[str, Any] = {
            "status": "firstLine",
            "briefDescription": incident.brief_description[:BRIEF_DESCRIPTION_MAX],
            "request": incident.request,
            "externalNumber": self._mapping.external_number(incident.external_number),
            # The report's own moment, so TOPdesk's clocks start where the bot's do.
            "callDate": _stamp(incident.reported_at),
            "entryType": {"id": await self._id("entry_type", mapping.new["entry_type"])},
            "category": {"id": await self._id("category", category.category)},
        }
        if category.subcategory:
            body["subcategory"] = {"id": await self._id("subcategory", category.subcategory)}
        if mapping.new.get("call_type"):
            body["callType"] = {"id": await self._id("call_type", mapping.new["call_type"])}
        if mapping.new.get("operator_group"):
            body["operatorGroup"] = {"id": await self._id("operator_group", mapping.new["operator_group"])}
        body.update(await self._priority_fields(incident.priority))
        return body

    async def _priority_fields(self, priority: str) -> dict[str, Any]:
        terms = self._mapping.priorities[priority]
        fields: dict[str, Any] = {}
        for key in ("impact", "urgency", "priority"):
            name = getattr(terms, key)
            if name:
                fields[key] = {"id": await self._id(key, name)}
        return fields

    async def _id(self, kind: str, name: str) -> str:
        item = _find(await self._list(kind), name)
        if item is None:
            raise ItsmError(Fault.REJECTED, f"{name!r} is not one of TOPdesk's {LISTS[kind][1]} (run `itsm check`)")
        return item["id"]

    async def _list(self, kind: str) -> list[dict[str, Any]]:
        if kind not in self._lists:
            answer = await self._call("GET", LISTS[kind][0])
            self._lists[kind] = list(answer.body or [])
        return self._lists[kind]

    async def _call(self, method: str, path: str, *, params: dict[str, Any] | None = None, body: Any = None):
        return await call_json(
            self._session, method, self._api + path, auth=self._auth, timeout=self._timeout, params=params, body=body,
        )


def _account_problem(error: ItsmError) -> str:
    if error.fault is Fault.CREDENTIALS:
        return f"TOPDESK_USER / TOPDESK_APP_PASSWORD: TOPdesk refuses them ({error.detail})"
    if error.fault is Fault.FORBIDDEN:
        return f"the TOPdesk account lacks a permission (REST API, incidents, operators): {error.detail}"
    return f"TOPDESK_URL: {error}"


def _name(item: Any) -> str | None:
    if not isinstance(item, dict):
        return None
    return item.get("name") or item.get("groupName")


def _find(items: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    wanted = name.strip().casefold()
    return next((item for item in items if (_name(item) or "").strip().casefold() == wanted), None)


def _time(value: str | None) -> datetime:
    """TOPdesk's instants ("2026-04-28T08:15:00.000+0200", or ISO 8601 with Z) as aware UTC."""
    if not value:
        raise ItsmError(Fault.SERVER_ERROR, "an incident without its dates")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ItsmError(Fault.SERVER_ERROR, f"a date without its offset: {value!r}")
    return moment.astimezone(timezone.utc)


def _stamp(moment: datetime) -> str:
    """An instant as TOPdesk writes them: milliseconds and a numeric offset."""
    utc = moment.astimezone(timezone.utc)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}+0000"


def _fiql_time(moment: datetime) -> str:
    """A FIQL date value, to the second (rounded down: ``=ge=`` then re-reads at most a second)."""
    return f"{moment.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%SZ}"


def _plain(text: str) -> str:
    """Action and request texts are HTML in TOPdesk (memoText); people read them as plain text."""
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", text))).strip()
