"""ServiceNow, through its REST Table API, for creating incidents and reading changes.

The second implementation of ``TicketSystem``: it shows the interface carries another system
without anything outside ``itsm`` changing. Built from ServiceNow's published Table API
documentation (docs.servicenow.com, "Table API"; ``docs/topdesk.md`` lists what was used):

* ``POST /api/now/table/incident`` (201, ``{"result": {...}}``) creates; the bot's ticket number
  goes into ``correlation_id``, the field ServiceNow keeps for an outside system's key, so a retry
  finds the incident (``GET ...?sysparm_query=correlation_id=M-12``) instead of making another;
* ``GET /api/now/table/incident`` with an encoded ``sysparm_query``
  (``sys_updated_on>=...^ORDERBYsys_updated_on``), ``sysparm_limit``/``sysparm_offset`` paging (a
  ``Link`` header with ``rel="next"`` while more records match) and ``sysparm_display_value=all``
  (each field as ``{"value", "display_value"}``: machine values for times, names for people);
* times in ``value`` are UTC, written ``YYYY-MM-DD HH:MM:SS``.

Not built: writing a card's change back (``writes_back`` is False: the worker records such
intents as done without a call), and reading journal entries (comments) as actions.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import aiohttp

from itsm.base import ChangePage, Incident, ItsmError, NewIncident, Person, WriteBack
from itsm.http import call_json
from itsm.mapping import Mapping

NAME = "servicenow"
TABLE = "/api/now/table/incident"
RESOLVED_STATES = ("6", "7")  # Resolved, Closed
ON_HOLD = "3"
FIELDS = (
    "sys_id,number,correlation_id,short_description,description,caller_id,contact_type,category,subcategory,"
    "priority,opened_at,sys_updated_on,assigned_to,assignment_group,state,hold_reason,resolved_at,closed_at,reassignment_count"
)


class ServiceNow:
    name = NAME
    display_name = "ServiceNow"
    writes_back = False

    def __init__(
        self, *, session: aiohttp.ClientSession, url: str, user: str, password: str, mapping: Mapping, timeout: float = 20.0,
    ) -> None:
        self._session = session
        self._url = url.rstrip("/")
        self._auth = aiohttp.BasicAuth(user, password)
        self._mapping = mapping
        self._timeout = timeout

    async def create(self, incident: NewIncident) -> Incident:
        external = self._mapping.external_number(incident.external_number)
        found = await self._get({"sysparm_query": f"correlation_id={external}", "sysparm_limit": 1})
        if found.body["result"]:
            return self._incident(found.body["result"][0])
        terms = self._mapping.priorities[incident.priority]
        category = self._mapping.categories.get(incident.category) or self._mapping.categories["overig"]
        body = {
            "short_description": incident.brief_description[:160],
            "description": incident.request,
            "correlation_id": external,
            "contact_type": self._mapping.new["entry_type"],
            "category": category.category,
            "subcategory": category.subcategory,
            "impact": terms.impact,
            "urgency": terms.urgency,
            "assignment_group": self._mapping.new.get("operator_group"),
            "opened_at": _stamp(incident.reported_at),
        }
        body = {key: value for key, value in body.items() if value}
        answer = await self._call("POST", TABLE, params={"sysparm_display_value": "all", "sysparm_fields": FIELDS}, body=body)
        return self._incident(answer.body["result"])

    async def write_back(self, incident_id: str, change: WriteBack) -> None:
        raise NotImplementedError("ServiceNow is connected for creating and reading only")

    async def changes_since(self, moment: datetime, *, skip: int = 0, limit: int = 100) -> ChangePage:
        query = f"sys_updated_on>={_stamp(moment)}"
        if self._mapping.import_query:
            query += f"^{self._mapping.import_query}"
        answer = await self._get(
            {"sysparm_query": query + "^ORDERBYsys_updated_on", "sysparm_limit": limit, "sysparm_offset": skip}
        )
        more = 'rel="next"' in answer.headers.get("Link", "")
        return ChangePage(incidents=tuple(self._incident(raw) for raw in answer.body["result"]), more=more)

    async def incident(self, incident_id: str) -> Incident:
        answer = await self._call(
            "GET", f"{TABLE}/{incident_id}", params={"sysparm_display_value": "all", "sysparm_fields": FIELDS},
        )
        return self._incident(answer.body["result"])

    async def check(self) -> list[str]:
        try:
            await self._get({"sysparm_limit": 1})
        except ItsmError as error:
            return [f"SERVICENOW_URL / SERVICENOW_USER / SERVICENOW_PASSWORD: {error}"]
        return []

    async def _get(self, params: dict[str, Any]):
        return await self._call("GET", TABLE, params={**params, "sysparm_display_value": "all", "sysparm_fields": FIELDS})

    async def _call(self, method: str, path: str, *, params: dict[str, Any], body: Any = None):
        return await call_json(
            self._session, method, self._url + path, auth=self._auth, timeout=self._timeout, params=params, body=body,
        )

    def _incident(self, raw: dict[str, Any]) -> Incident:
        mapping = self._mapping
        state = _value(raw, "state")
        resolved = _time(_value(raw, "resolved_at")) if state in RESOLVED_STATES else None
        return Incident(
            system=NAME,
            id=_value(raw, "sys_id"),
            number=_value(raw, "number") or "",
            external_number=mapping.ticket_label(_value(raw, "correlation_id")),
            brief_description=_value(raw, "short_description") or "",
            request=_value(raw, "description") or "",
            caller=Person(name=_shown(raw, "caller_id") or "onbekend"),
            channel=mapping.channel_of(_value(raw, "contact_type")),
            category=mapping.category_of(_value(raw, "category"), _value(raw, "subcategory")),
            priority=mapping.priority_of(_shown(raw, "priority")),
            reported_at=_time(_value(raw, "opened_at")),
            modified_at=_time(_value(raw, "sys_updated_on")),
            operator_id=_value(raw, "assigned_to") or None,
            operator=_shown(raw, "assigned_to") or None,
            group_id=_value(raw, "assignment_group") or None,
            group=_shown(raw, "assignment_group") or None,
            line=mapping.line_of(_shown(raw, "assignment_group")),
            status=_shown(raw, "hold_reason") or None,
            waiting=state == ON_HOLD and mapping.is_waiting(_shown(raw, "hold_reason")),
            completed_at=resolved,
            closed_at=_time(_value(raw, "closed_at")) if state == "7" else None,
            first_line=(_value(raw, "reassignment_count") or "0") == "0",
        )


def _field(raw: dict[str, Any], name: str) -> dict[str, Any]:
    value = raw.get(name)
    return value if isinstance(value, dict) else {"value": value, "display_value": value}


def _value(raw: dict[str, Any], name: str) -> str:
    return str(_field(raw, name).get("value") or "")


def _shown(raw: dict[str, Any], name: str) -> str:
    return str(_field(raw, name).get("display_value") or "")


def _time(value: str) -> datetime:
    """The Table API's machine value of a time: UTC, "YYYY-MM-DD HH:MM:SS"."""
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)


def _stamp(moment: datetime) -> str:
    return f"{moment.astimezone(timezone.utc):%Y-%m-%d %H:%M:%S}"
