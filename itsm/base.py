"""The supplier's ticket system, reached through one narrow interface.

Four operations carry everything the bot and the system say to each other:

* ``create``: a new ticket becomes an incident. Retry-safe: the bot's ticket number goes in as
  the incident's external number, and an incident that already carries it is returned instead of
  a second one made (a retry after a crash, or after an answer that was lost on the way);
* ``write_back``: what an agent did on a Teams card (a pick-up, an update for the reporter, a
  priority, a wait, a resolution) becomes an action or a status in the system;
* ``changes_since``: the incidents changed at or after a moment, oldest change first, a page at a
  time, each with its actions;
* ``incident``: one incident as it is now.

Values travel in the bot's own words: priorities P1..P4, the bot's categories and channels, a
"waiting on a third party" flag. Each implementation translates with the organisation's mapping
file (``itsm.mapping``), so the sync service (``itsm.sync``) and the rest of the product never see
a system's own names, and do not know which system is connected.

Every failure is an ``ItsmError`` whose ``fault`` says what kind it was and whether trying again
can help; the callers decide when to try again (``itsm.sync``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, Sequence


class Fault(enum.Enum):
    """What went wrong with a call, in words an operator reads on ``/readyz`` and in the log."""

    UNREACHABLE = "unreachable (no answer in time, or no connection)"
    CREDENTIALS = "credentials refused"
    FORBIDDEN = "permission missing"
    THROTTLED = "too many requests"
    SERVER_ERROR = "server error"
    REJECTED = "request rejected"

    @property
    def transient(self) -> bool:
        """Whether the same call may succeed later without anyone changing anything here.

        A refused credential or a missing permission is fixed by the supplier's administrator while
        the bot keeps trying, so those count as transient: nothing is given up. Only a request the
        system rejects as such (400, 404, 409, 422) is not tried again.
        """
        return self is not Fault.REJECTED


class ItsmError(Exception):
    """A call to the ticket system failed; ``retry_after`` is the system's own wish (429, 503)."""

    def __init__(self, fault: Fault, detail: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(f"{fault.value}: {detail}")
        self.fault = fault
        self.detail = detail
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class Person:
    """The reporter: for a Teams reporter the Entra object id is how the system finds them."""

    name: str
    email: str | None = None
    phone: str | None = None
    entra_id: str | None = None


@dataclass(frozen=True)
class NewIncident:
    """A Teams ticket, as the ticket system should register it."""

    external_number: str  # the bot's ticket number ("M-12"): what makes ``create`` retry-safe
    caller: Person
    brief_description: str
    request: str
    category: str  # the bot's category ("laptop", "m365", ...)
    priority: str  # P1..P4
    reported_at: datetime


@dataclass(frozen=True)
class Action:
    """An entry in an incident's progress trail: what an operator wrote."""

    id: str
    at: datetime
    text: str
    visible: bool  # visible to the caller (the reporter), or an internal note
    operator: str | None  # the operator's name, when an operator wrote it
    ours: bool  # written by this connector's own account (a card's action written back)


@dataclass(frozen=True)
class Incident:
    """One incident, in the bot's words; times are the system's own, timezone-aware."""

    system: str
    id: str  # the system's key for API calls
    number: str  # what people see and say ("I 2604 017")
    external_number: str | None  # the bot's ticket number ("M-12") when the bot made it, else None
    brief_description: str
    request: str
    caller: Person
    channel: str | None  # the bot's channel ("telefoon", ...) or None for one the mapping does not import
    category: str  # the bot's category
    priority: str | None  # P1..P4, or None when the mapping does not know the system's priority
    reported_at: datetime
    modified_at: datetime
    operator_id: str | None = None
    operator: str | None = None
    group_id: str | None = None
    group: str | None = None
    line: str | None = None  # the group's treatment line ("1", "2", ...) from the mapping
    responded_at: datetime | None = None
    status: str | None = None  # the system's processing status, as its operators read it
    waiting: bool = False  # waiting on a third party (a mapped processing status)
    completed_at: datetime | None = None  # resolved ("afgemeld")
    closed_at: datetime | None = None
    first_line: bool = True  # never went to a second line: the system's own first-time-fix fact
    actions: tuple[Action, ...] = ()


class Status(enum.Enum):
    """The states the bot can put an incident in."""

    RESPONDED = "responded"  # picked up: the first reaction was given
    WAITING = "waiting"  # waiting on a third party
    WORKING = "working"  # in progress again
    RESOLVED = "resolved"
    REOPENED = "reopened"


@dataclass(frozen=True)
class WriteBack:
    """What happened on a Teams card, for the ticket system (rendered from the ticket when sent)."""

    kind: str  # the ticket event's kind (sla.events)
    at: datetime
    actor: str  # the agent's name
    text: str | None = None  # an action's text; None writes no action
    visible: bool = False  # whether the caller may see the action
    priority: str | None = None  # a new priority, P1..P4
    status: Status | None = None


@dataclass(frozen=True)
class ChangePage:
    """Incidents changed at or after a moment, oldest change first; ``more`` when a page was cut."""

    incidents: Sequence[Incident] = field(default_factory=tuple)
    more: bool = False


class TicketSystem(Protocol):
    """One connected ticket system. Implementations: ``itsm.topdesk``, ``itsm.servicenow``."""

    name: str  # "topdesk": what the outbox and the links record
    display_name: str  # "TOPdesk": what people read
    # Whether ``write_back`` does anything (a system connected for reading and creating only).
    writes_back: bool

    async def create(self, incident: NewIncident) -> Incident: ...

    async def write_back(self, incident_id: str, change: WriteBack) -> None: ...

    async def changes_since(self, moment: datetime, *, skip: int = 0, limit: int = 100) -> ChangePage: ...

    async def incident(self, incident_id: str) -> Incident: ...

    async def check(self) -> list[str]:
        """Test the connection, the account and the mapping: one line per problem, none when fine."""
        ...
