"""The sync service: the bot's tickets and the supplier's incidents kept as one.

Two jobs, both safe with several replicas and across crashes, both driven by the injected clock:

* ``drain`` sends the outbox's ITSM intents (``storage.itsm``): a new Teams ticket becomes an
  incident, a card's change becomes an action or a status. Each intent is claimed with a lease, sent
  outside any transaction and recorded in one of its own. A create is retry-safe by the ticket's
  number (``TicketSystem.create``), so a crash between sending and recording makes no second
  incident. When the system is down the batch stops: nothing is lost, the intents wait with
  back-off (doubling from 30 s to 15 min, longer when the system asks with ``Retry-After``).
* ``poll`` reads the incidents changed since the cursor, oldest change first, and turns what
  changed into the same ticket events the cards produce, through the same storage transitions
  (``storage.tickets``), with the system's own timestamps: the employee gets the same messages,
  regie the same notices, the SLA the same clocks. Incidents that came in through another channel
  (phone, e-mail, portal) become tickets with their history and their channel, so the figures
  cover every channel. One replica polls at a time (a lease in ``itsm_state``); each incident is
  applied in one transaction with the cursor, so a crash repeats at most that incident, which
  changes nothing the second time.

Which side wins, per field (``docs/topdesk.md`` says it for the supplier):

* a field changes on a ticket only when it changed in the ticket system since it was last read or
  written (``itsm_links.seen``), so an older value read back never undoes a card's change, and a
  card's change not yet written is never overwritten;
* otherwise the later change wins: a card's change is written to the system, rendered from the
  ticket as it is when sent; a change in the system is applied when it is read;
* the system's API gives no history of a field, only its value now: a priority, operator or status
  change is dated by the incident's last modification (never after its completion), and values
  that came and went between two reads are not seen. Actions, the response and the completion
  carry their own moments;
* an action written by the connector's own account is a card's own text: never applied again.

A failed call leaves a clear state: on ``/readyz`` (``readiness``) at once, and in the servicedesk
channel after ``alert_after`` (once per outage, and once when it is over).
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Awaitable, Callable

from dialogs import texts
from itsm.base import Incident, ItsmError, NewIncident, Person, Status, TicketSystem, WriteBack
from sla import events as ev
from sla.clock import Clock
from sla.policy import Policy
from sla.priority import PriorityDecision
from sla.status import TicketStatus
from storage import itsm as store
from storage import labels, outbox, reads, tickets
from storage.db import Database
from storage.models import Ticket
from storage.outbox import Kind

log = logging.getLogger("servicedesk.itsm")

POLL = "poll"
OUTAGE = "outage"
TEAMS = "teams"
_OUR_LABEL = re.compile(r"M-(\d+)")


@dataclass(frozen=True)
class SyncOptions:
    poll_seconds: int = 60
    alert_after: timedelta = timedelta(minutes=15)
    lookback: timedelta = timedelta(days=7)  # how far the first poll reads back
    page_size: int = 100
    max_pages: int = 20  # per poll; the rest follows at the next
    lease: timedelta = timedelta(minutes=2)  # longer than any call's timeout
    first_retry: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(minutes=15)


def backoff(options: SyncOptions, failures: int, retry_after: float | None = None) -> timedelta:
    """How long to wait after ``failures`` failed attempts in a row (at least what the system asked)."""
    wait = min(options.first_retry * (2 ** max(failures - 1, 0)), options.max_backoff)
    if retry_after is not None:
        wait = max(wait, timedelta(seconds=retry_after))
    return wait


@dataclass
class Health:
    """This replica's view of the connection, for ``/readyz``."""

    system: str
    checked: bool = False
    failing_since: datetime | None = None
    error: ItsmError | None = None

    def describe(self) -> str:
        if not self.checked:
            return f"{self.system}: not contacted yet"
        if self.error is None:
            return f"{self.system}: ok"
        return f"{self.system}: {self.error.fault.value} since {self.failing_since.isoformat()} ({self.error.detail})"


@dataclass
class _Step:
    """One change read from the system, to apply as a ticket event."""

    at: datetime
    rank: int  # order of steps at the same moment
    kind: str
    text: str | None = None
    agent: str | None = None
    agent_key: str | None = None
    value: Any = None


class ItsmSync:
    def __init__(
        self,
        *,
        database: Database,
        system: TicketSystem,
        policy: Policy,
        clock: Clock,
        worker_id: str,
        options: SyncOptions = SyncOptions(),
        after_commit: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = database
        self._system = system
        self._policy = policy
        self._clock = clock
        self._worker = worker_id
        self._options = options
        self._after_commit = after_commit
        self.health = Health(system.name)
        self._poll_failures = 0
        self._next_poll: datetime | None = None
        self._task: asyncio.Task | None = None
        self._closing = False

    @property
    def display_name(self) -> str:
        return self._system.display_name

    def readiness(self) -> str:
        return self.health.describe()

    # -- waking up --------------------------------------------------------------------------------
    def kick(self) -> None:
        """Send soon after a commit that wrote intents. A drain already under way may have claimed
        its last batch before them: then the next sweep (every 15 s) sends them."""
        if not self._closing and (self._task is None or self._task.done()):
            self._task = asyncio.get_running_loop().create_task(self._drain_logged())

    async def _drain_logged(self) -> None:
        try:
            await self.drain()
        except Exception:  # noqa: BLE001 - what is pending stays pending; the next sweep tries again
            log.exception("itsm drain failed; the next sweep retries")

    async def wait_idle(self) -> None:
        if self._task is not None:
            await asyncio.shield(self._task)

    async def close(self) -> None:
        """Finish the call in hand and start no more (what is pending stays for the next start)."""
        self._closing = True
        await asyncio.gather(*([self._task] if self._task is not None else []), return_exceptions=True)

    # -- sending intents --------------------------------------------------------------------------
    async def drain(self, *, limit: int = 20) -> int:
        """Send every due intent; returns how many reached the system. Stops when it is down."""
        sent = 0
        while not self._closing:
            now = self._clock.now()
            async with self._db.sessions.begin() as session:
                rows = await store.claim(session, now=now, worker=self._worker, lease=self._options.lease, limit=limit)
            if not rows:
                return sent
            for index, row in enumerate(rows):
                try:
                    await self._send(row)
                except ItsmError as error:
                    await self._not_sent(row, error, rest=rows[index + 1:])
                    if error.fault.transient:
                        return sent
                    continue
                sent += 1
                await self._reached(now)
            if len(rows) < limit:
                return sent
        return sent

    async def _send(self, row) -> None:
        payload = row.payload
        if payload.get("kind") == Kind.ITSM_CREATE:
            await self._create(row)
        else:
            await self._write(row)

    async def _create(self, row) -> None:
        async with self._db.sessions() as session:
            ticket = await session.get(Ticket, row.ticket_id)
            linked = await store.link_of(session, row.ticket_id) if ticket is not None else None
            events = await reads.load_events(session, ticket.id) if ticket is not None and linked is None else []
        if ticket is None or linked is not None:
            await self._record_done(row, note=None if ticket is not None else "ticket no longer exists")
            return
        incident = await self._system.create(_new_incident(ticket, events))
        now = self._clock.now()
        async with self._db.sessions.begin() as session:
            await store.link(
                session, ticket_id=ticket.id, system=self._system.name, incident_id=incident.id,
                number=incident.number, seen=_as_created(incident), now=now,
            )
            await store.done(session, message_id=row.id, worker=self._worker, now=now)
        log.info("ticket %s registered as incident %s", ticket.id, incident.number)
        self._after_commit()

    async def _write(self, row) -> None:
        payload = row.payload
        async with self._db.sessions() as session:
            ticket = await session.get(Ticket, row.ticket_id)
            linked = await store.link_of(session, row.ticket_id)
        if ticket is None or linked is None:
            await self._record_done(row, note="no incident to write to")
            return
        change = _write_back(payload, ticket)
        if change is None or not self._system.writes_back:
            await self._record_done(row, note=None if change is None else f"{self._system.name} is connected for reading only")
            return
        await self._system.write_back(linked.incident_id, change)
        written = dict(_SEEN_AFTER.get(change.status, {}))
        if change.priority:
            written["priority"] = change.priority
        async with self._db.sessions.begin() as session:
            await store.note_written(session, ticket_id=ticket.id, fields=written)
            await store.done(session, message_id=row.id, worker=self._worker, now=self._clock.now())

    async def _record_done(self, row, *, note: str | None) -> None:
        async with self._db.sessions.begin() as session:
            await store.done(session, message_id=row.id, worker=self._worker, now=self._clock.now(), note=note)

    async def _not_sent(self, row, error: ItsmError, *, rest) -> None:
        now = self._clock.now()
        async with self._db.sessions.begin() as session:
            if not error.fault.transient:
                await store.give_up(session, message_id=row.id, worker=self._worker, error=str(error))
                log.error("itsm intent %s rejected for good: %s", row.id, error)
                return
            at = now + backoff(self._options, row.attempts + 1, error.retry_after)
            await store.again(session, message_id=row.id, worker=self._worker, at=at, error=str(error))
            for other in rest:  # never reached the system: waits as long, without counting an attempt
                await store.again(session, message_id=other.id, worker=self._worker, at=at, error=str(error), count=False)
        log.warning("itsm intent %s not sent, next attempt at %s: %s", row.id, at.isoformat(), error)
        await self._failed(error, now)

    # -- reading changes --------------------------------------------------------------------------
    async def poll(self) -> int:
        """Apply what changed in the system since the cursor; returns how many incidents changed."""
        now = self._clock.now()
        if self._next_poll is not None and now < self._next_poll:
            await self._tell_if_lasting(now)  # backing off; the servicedesk hears once it lasts
            return 0
        async with self._db.sessions.begin() as session:
            state = await store.take_lease(session, POLL, now=now, until=now + self._options.lease)
        if state is None:
            return 0  # another replica is polling
        cursor = datetime.fromisoformat(state["cursor"]) if state.get("cursor") else now - self._options.lookback
        applied = 0
        try:
            applied = await self._read_pages(cursor)
        except ItsmError as error:
            self._poll_failures += 1
            self._next_poll = now + backoff(self._options, self._poll_failures, error.retry_after)
            log.warning("itsm poll failed, next poll at %s: %s", self._next_poll.isoformat(), error)
            await self._failed(error, now)
        else:
            self._poll_failures = 0
            self._next_poll = None
            await self._reached(now)
        finally:
            async with self._db.sessions.begin() as session:
                await store.release_lease(session, POLL, now=self._clock.now())
        if applied:
            self._after_commit()
        return applied

    async def _read_pages(self, cursor: datetime) -> int:
        """Pages of changes from ``cursor``, each incident applied with the cursor moved past it.

        Every page asks again from the cursor (``=ge=``), so an incident changed while the pages
        are read moves to a later page instead of pushing an unread one out of sight; a page of
        nothing but incidents already applied at the same moment is skipped with ``pageStart``.
        """
        done: set[tuple[str, datetime]] = set()
        applied = skip = 0
        for _ in range(self._options.max_pages):
            page = await self._system.changes_since(cursor, skip=skip, limit=self._options.page_size)
            fresh = [i for i in page.incidents if (i.id, i.modified_at) not in done]
            for incident in fresh:
                if await self._apply(incident):
                    applied += 1
                done.add((incident.id, incident.modified_at))
                cursor = max(cursor, incident.modified_at)
            if not page.more:
                break
            skip = skip + len(page.incidents) if not fresh else 0
        return applied

    async def _apply(self, incident: Incident) -> bool:
        """One incident's changes, the cursor with them, in one transaction."""
        async with self._db.sessions.begin() as session:
            store.from_ticket_system(session)
            changed = await self._apply_in(session, incident)
            await store.write_state(session, POLL, {"cursor": incident.modified_at.isoformat()}, now=self._clock.now())
        return changed

    async def _apply_in(self, session, incident: Incident) -> bool:
        """Whether the incident changed a ticket (or became one)."""
        link = await store.link_for_incident(session, system=incident.system, incident_id=incident.id)
        linked_now = link is None
        if link is None:
            ticket_id = await self._ours(session, incident)
            if ticket_id is not None:  # a create whose answer was lost: the ticket is this incident
                before = _as_created(incident)
            elif incident.channel in (None, TEAMS):
                return False  # a channel the mapping does not import
            elif incident.priority is None:
                log.warning("incident %s not imported: the mapping knows no priority for it", incident.number)
                return False
            else:
                ticket_id = await self._import(session, incident)
                before = {}
            await store.link(
                session, ticket_id=ticket_id, system=incident.system, incident_id=incident.id,
                number=incident.number, seen=before, now=incident.reported_at,
            )
            link = await store.link_of(session, ticket_id)
        steps = _steps(link.seen or {}, incident)
        for step in steps:
            await self._step(session, link.ticket_id, step, incident)
        await store.remember(session, ticket_id=link.ticket_id, seen=_seen(incident))
        return linked_now or bool(steps)

    async def _ours(self, session, incident: Incident) -> int | None:
        """The Teams ticket this incident was made for, when its create's answer never came back."""
        match = _OUR_LABEL.fullmatch(incident.external_number or "")
        if match is None:
            return None
        ticket = await session.get(Ticket, int(match.group(1)))
        if ticket is None or ticket.channel != TEAMS or await store.link_of(session, ticket.id) is not None:
            return None
        return ticket.id

    async def _import(self, session, incident: Incident) -> int:
        """An incident from another channel becomes a ticket, reported when the system says."""
        ticket = await tickets.create_ticket(
            session,
            policy=self._policy,
            now=incident.reported_at,
            reporter_id="",  # not in Teams: the bot sends them nothing
            reporter_name=incident.caller.name[:200],
            category=incident.category,
            scope="alleen_ik",
            description=incident.request or incident.brief_description or incident.number,
            decision=PriorityDecision(incident.priority, False, (texts.ITSM_IMPORTED_REASON,)),
            phone=(incident.caller.phone or None) and incident.caller.phone[:40],
            channel=incident.channel,
            notify_regie=incident.completed_at is None,
        )
        log.info("incident %s (%s) imported as ticket %s", incident.number, incident.channel, ticket.id)
        return ticket.id

    async def _step(self, session, ticket_id: int, step: _Step, incident: Incident) -> None:
        """Apply one change through the transition a card uses; one the ticket's status does not
        allow (a priority on a resolved ticket) is left out, as it would be on a card. A response,
        an answer or a completion on a ticket nobody picked up yet is its first reaction too."""
        ticket = await session.get(Ticket, ticket_id, populate_existing=True)
        common = dict(policy=self._policy, now=step.at, ticket_id=ticket_id, agent_id=step.agent_key, agent_name=step.agent, seen_version=None)
        if step.kind in ("respond", "update", "resolve") and ticket.status == TicketStatus.NEW:
            await tickets.acknowledge(session, note=step.text if step.kind == "update" else None, **common)
            if step.kind != "resolve":
                return
        if step.kind == "owner" and ticket.owner_id == step.value:
            return
        apply = _TRANSITIONS.get(step.kind)
        if apply is not None:
            await apply(session, step, incident, common)

    # -- health -----------------------------------------------------------------------------------
    async def _failed(self, error: ItsmError, now: datetime) -> None:
        """Record a failure: at once on /readyz, in the servicedesk channel once it lasts."""
        self.health.checked, self.health.error = True, error
        async with self._db.sessions.begin() as session:
            outage = await store.read_state(session, OUTAGE) or {}
            if not outage.get("since"):
                outage = {"since": now.isoformat(), "notified": False}
            outage["fault"] = error.fault.name
            told = await self._tell(session, outage, now)
            await store.write_state(session, OUTAGE, outage, now=now)
        self.health.failing_since = datetime.fromisoformat(outage["since"])
        if told:
            self._after_commit()

    async def _tell_if_lasting(self, now: datetime) -> None:
        if self.health.error is None:
            return
        async with self._db.sessions.begin() as session:
            outage = await store.read_state(session, OUTAGE) or {}
            told = bool(outage.get("since")) and await self._tell(session, outage, now)
            if told:
                await store.write_state(session, OUTAGE, outage, now=now)
        if told:
            self._after_commit()

    async def _tell(self, session, outage: dict[str, Any], now: datetime) -> bool:
        """The servicedesk channel hears of an outage once it lasted ``alert_after``, once."""
        if outage.get("notified") or now - datetime.fromisoformat(outage["since"]) < self._options.alert_after:
            return False
        await outbox.enqueue(
            session, dedup_key=f"itsm:outage:{outage['since']}", target=outbox.Target.channel("servicedesk"),
            payload={"kind": Kind.ITSM_OUTAGE, "system": self.display_name, "since": outage["since"], "fault": outage["fault"]},
            now=now,
        )
        outage["notified"] = True
        log.error("%s unreachable since %s; the servicedesk channel is told", self.display_name, outage["since"])
        return True

    async def _reached(self, now: datetime) -> None:
        """A call succeeded: the outage, if this replica saw one or has not looked yet, is over."""
        if self.health.checked and self.health.error is None:
            return
        self.health.checked, self.health.error, self.health.failing_since = True, None, None
        async with self._db.sessions.begin() as session:
            outage = await store.read_state(session, OUTAGE) or {}
            if not outage.get("since"):
                return
            if outage.get("notified"):
                await outbox.enqueue(
                    session, dedup_key=f"itsm:restored:{outage['since']}", target=outbox.Target.channel("servicedesk"),
                    payload={"kind": Kind.ITSM_RESTORED, "system": self.display_name, "since": outage["since"]},
                    now=now,
                )
            await store.write_state(session, OUTAGE, {}, now=now)
        log.info("%s reachable again (outage since %s)", self.display_name, outage["since"])
        self._after_commit()


# The card transition each kind of step goes through ("respond" on a picked-up ticket: nothing).
_TRANSITIONS: dict[str, Callable[..., Awaitable[Any]]] = {
    "update": lambda session, step, incident, common: tickets.post_update(session, text=step.text, **common),
    "priority": lambda session, step, incident, common: tickets.change_priority(
        session, new_priority=step.value, reason=texts.ITSM_PRIORITY_REASON, **common
    ),
    "owner": lambda session, step, incident, common: tickets.hand_over(
        session, to_agent_id=step.value, to_agent_name=step.text, **common
    ),
    "wait": lambda session, step, incident, common: tickets.wait_for_third_party(
        session, party=texts.ITSM_WAIT_PARTY, reason=texts.ITSM_WAIT_REASON.format(status=step.text or "-"), **common
    ),
    "resume": lambda session, step, incident, common: tickets.resume(session, **common),
    "resolve": lambda session, step, incident, common: tickets.resolve(
        session, solution=step.text or texts.ITSM_RESOLVED, first_time_fix=incident.first_line, **common
    ),
    "reopen": lambda session, step, incident, common: tickets.reopen(session, reason=texts.ITSM_REOPEN_REASON, **common),
    "close": lambda session, step, incident, common: tickets.close(session, **common),
}


# -- what a read changed ---------------------------------------------------------------------------
def _seen(incident: Incident) -> dict[str, Any]:
    """The fields the next read is compared with (``itsm_links.seen``)."""
    return {
        "priority": incident.priority,
        "operator": incident.operator_id,
        "group": incident.group_id,
        "responded": incident.responded_at is not None,
        "waiting": incident.waiting,
        "completed": incident.completed_at is not None,
        "closed": incident.closed_at is not None,
        "actions": [a.id for a in incident.actions],
    }


def _as_created(incident: Incident) -> dict[str, Any]:
    """An incident the bot created, as it was then: what happened to it since becomes steps."""
    return {
        "priority": incident.priority, "operator": incident.operator_id, "group": incident.group_id,
        "responded": False, "waiting": False, "completed": False, "closed": False, "actions": [],
    }


# What a write leaves in the system, so the next read does not take it for the system's own change.
_SEEN_AFTER: dict[Status | None, dict[str, Any]] = {
    Status.RESPONDED: {"responded": True},
    Status.WAITING: {"waiting": True},
    Status.WORKING: {"waiting": False},
    Status.RESOLVED: {"completed": True},
    Status.REOPENED: {"completed": False},
}


def _steps(before: dict[str, Any], incident: Incident) -> list[_Step]:
    """What changed since ``before``, as steps in the order they happened.

    An incident seen for the first time (``before`` empty) is compared with a fresh one: its whole
    history so far becomes steps.
    """
    fresh = not before
    operator_name = incident.operator or incident.group or texts.SUPPLIER_DESK
    agent_key = f"{incident.system}:{incident.operator_id or incident.group_id or 'desk'}"
    # Changes without a moment of their own: the last modification, never after the completion.
    moment = min(incident.modified_at, incident.completed_at or incident.modified_at)
    moment = max(moment, incident.reported_at)
    steps: list[_Step] = []

    def add(at, rank, kind, **more):
        steps.append(_Step(at=at, rank=rank, kind=kind, agent=more.pop("agent", operator_name), agent_key=agent_key, **more))

    if incident.responded_at is not None and not before.get("responded"):
        add(max(incident.responded_at, incident.reported_at), 0, "respond")
    seen_actions = set(before.get("actions") or ())
    for action in incident.actions:
        if action.id not in seen_actions and action.visible and not action.ours:
            add(max(action.at, incident.reported_at), 1, "update", text=action.text, agent=action.operator or operator_name)
    if incident.priority and not fresh and incident.priority != before.get("priority"):
        add(moment, 2, "priority", value=incident.priority)
    owner_changed = incident.operator_id != before.get("operator") or incident.group_id != before.get("group")
    if owner_changed and (incident.operator_id or incident.group_id) and not fresh:
        to_name = incident.operator or incident.group
        if incident.operator is None and incident.line:
            to_name = f"{incident.group} ({incident.line}e lijn)"
        add(moment, 3, "owner", value=agent_key, text=to_name)
    if incident.waiting != bool(before.get("waiting")) and incident.completed_at is None:
        add(moment, 4, "wait" if incident.waiting else "resume", text=incident.status)
    if incident.completed_at is not None and not before.get("completed"):
        solution = next((a.text for a in reversed(incident.actions) if a.visible and a.at <= incident.completed_at), None)
        add(incident.completed_at, 5, "resolve", text=solution)
    elif incident.completed_at is None and before.get("completed"):
        add(moment, 6, "reopen")
    if incident.closed_at is not None and not before.get("closed"):
        add(max(incident.closed_at, incident.completed_at or incident.closed_at), 7, "close")
    return sorted(steps, key=lambda step: (step.at, step.rank))


# -- what a card's change becomes ------------------------------------------------------------------
def _new_incident(ticket: Ticket, events) -> NewIncident:
    reported = next((e for e in events if e.kind == ev.REPORTED), None)
    data = dict(reported.data) if reported is not None else {}
    priority = texts.UPLIFT_LABEL if ticket.uplift else texts.PRIORITY_LABELS.get(ticket.priority, ticket.priority)
    label = labels.ticket_label(ticket.id)
    return NewIncident(
        external_number=label,
        caller=Person(name=ticket.reporter_name, phone=ticket.phone, entra_id=ticket.reporter_id or None),
        brief_description=ticket.description.splitlines()[0] if ticket.description else label,
        request=texts.itsm_request(
            description=ticket.description, label=label, category=ticket.category, scope=ticket.scope,
            priority=priority, reasons=list(data.get("reasons") or []), motivation=ticket.uplift_motivation,
            phone=ticket.phone, answers=dict((data.get("intake") or {})),
        ),
        category=ticket.category,
        priority=ticket.priority,
        reported_at=ticket.opened_at,
    )


_CHANGES: dict[str, tuple[Status | None, bool]] = {
    # event kind -> (status in the system, whether the caller may read the action)
    ev.ACKNOWLEDGED: (Status.RESPONDED, False),
    ev.AGENT_UPDATE: (None, True),
    ev.PRIORITY_CHANGED: (None, False),
    ev.PAUSED: (Status.WAITING, False),
    ev.RESUMED: (Status.WORKING, False),
    ev.WORKAROUND: (None, True),
    ev.RESOLVED: (Status.RESOLVED, True),
    ev.REOPENED: (Status.REOPENED, False),
    ev.HANDED_OVER: (None, False),
}


def _write_back(payload: dict[str, Any], ticket: Ticket) -> WriteBack | None:
    """A card's change as the system should hear it; None for a change it needs not hear."""
    kind = payload.get("event")
    if kind not in _CHANGES:
        return None
    status, visible = _CHANGES[kind]
    data = {key: ("-" if value is None else value) for key, value in (payload.get("data") or {}).items()}
    template = texts.ITSM_ACTIONS[kind]
    if kind == ev.ACKNOWLEDGED and payload["data"].get("note"):
        template, visible = texts.ITSM_ACKNOWLEDGED_NOTE, True
    return WriteBack(
        kind=kind,
        at=datetime.fromisoformat(payload["at"]),
        actor=str(data.get("agent_name") or ""),
        text=template.format_map(_Missing(data)),
        visible=visible,
        # Rendered from the ticket as it is now: a later change on either side is what counts.
        priority=ticket.priority if kind == ev.PRIORITY_CHANGED else None,
        status=status,
    )


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "-"
