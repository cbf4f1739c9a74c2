"""The ticket lifecycle: every change appends events, refreshes the due-time cache and writes the
messages it causes to the outbox, all in the caller's transaction.

Changes that people race for (acknowledging, sending a due status update) are compare-and-set
updates on the ticket row: of 50 simultaneous clicks exactly one matches, on SQLite and PostgreSQL
alike, and only that one writes events and messages.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Sequence

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from sla import events as ev
from sla.deadlines import deadlines_from_events
from sla.events import TicketEvent
from sla.policy import Policy
from sla.priority import PriorityDecision
from storage import itsm, outbox
from storage.models import Ticket, TicketEventRow

OPEN_STATUSES = ("nieuw", "opgepakt", "wacht_op_derde")


# The largest number an Integer column holds on PostgreSQL (SQLite's holds more). A larger number
# from outside cannot name a ticket or a version, and must not reach the database: asyncpg and
# sqlite3 raise OverflowError on it instead of finding nothing.
MAX_NUMBER = 2**31 - 1
LABEL_DIGITS = len(str(MAX_NUMBER))


def ticket_label(ticket_id: int) -> str:
    """The number people see and type: "M-1042" (a number no ticket can have is cut: "M-999999999…")."""
    digits = str(ticket_id)
    return f"M-{digits}" if len(digits) <= LABEL_DIGITS else f"M-{digits[:LABEL_DIGITS - 1]}…"


def number_from(value: Any) -> int | None:
    """A ticket id or version from outside (typed, or a card's data): an int, or a string of ASCII
    digits, within ``MAX_NUMBER``; anything else (a bool, "²", a number past the column) is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if -MAX_NUMBER <= value <= MAX_NUMBER else None
    if isinstance(value, str):
        digits = value.strip()
        if digits.isascii() and digits.isdigit() and len(digits) <= LABEL_DIGITS and int(digits) <= MAX_NUMBER:
            return int(digits)
    return None


def parse_ticket_label(text: str) -> int | None:
    """The ticket id in "M-12", "m12", "#12" or "12"; None when it names no ticket there can be."""
    cleaned = text.strip().upper().removeprefix("M-").removeprefix("M").removeprefix("#").strip()
    return number_from(cleaned)


# The hot statements of a change, built once (values come with each execution): the ORM's unit of
# work and its bulk UPDATE path cost about three times the CPU of these for the same SQL.
_TICKETS = Ticket.__table__
_EVENTS = TicketEventRow.__table__
_INSERT_EVENT = insert(_EVENTS)
_EVENTS_OF = (
    select(_EVENTS.c.kind, _EVENTS.c.at, _EVENTS.c.data)
    .where(_EVENTS.c.ticket_id == bindparam("ticket_id"))
    .order_by(_EVENTS.c.id)
)
_DUE_COLUMNS = ("first_response_due", "resolution_due", "definitive_resolution_due", "next_update_due")
_SET_DUE = (
    update(_TICKETS)
    .where(_TICKETS.c.id == bindparam("ticket_id"))
    .values({name: bindparam(f"new_{name}") for name in _DUE_COLUMNS})
)


async def load_events(session: AsyncSession, ticket_id: int) -> list[TicketEvent]:
    """A ticket's log in order: the input of every deadline."""
    rows = await session.execute(_EVENTS_OF, {"ticket_id": ticket_id})
    return [TicketEvent(kind=kind, at=at, data=data or {}) for kind, at, data in rows]


async def _append(
    session: AsyncSession, *, ticket_id: int, kind: str, at: datetime, actor_id: str | None, data: dict[str, Any]
) -> None:
    await session.execute(
        _INSERT_EVENT, {"ticket_id": ticket_id, "kind": kind, "at": at, "actor_id": actor_id, "data": data}
    )


async def _refresh_due(session: AsyncSession, ticket: Ticket, policy: Policy) -> list[TicketEvent]:
    """Recompute the cached due times from the full event log (the log is the truth) and store
    them; returns the log, so the caller can draw the card without reading it again."""
    await session.flush()  # events the ORM still holds belong in the log that is read below
    events = await load_events(session, ticket.id)
    due = deadlines_from_events(policy, events)
    values = {
        "first_response_due": due.first_response_due,
        "resolution_due": due.resolution_due,
        "definitive_resolution_due": due.definitive_resolution_due,
        "next_update_due": due.next_update_due if ticket.status in OPEN_STATUSES else None,
    }
    await session.execute(_SET_DUE, {"ticket_id": ticket.id, **{f"new_{k}": v for k, v in values.items()}})
    for name, value in values.items():  # stored just now: nothing left for the ORM to flush
        set_committed_value(ticket, name, value)
    return events


# A new ticket and its first event are Core INSERTs of statements built once (the values come with
# each execution): about 1.0 ms of CPU per create_ticket transaction, against 1.45 ms for the ORM's
# unit of work and 1.65 ms for an insert built with .values() per call (bench: a loop on PostgreSQL).
_INSERT_TICKET = insert(_TICKETS).returning(_TICKETS.c.id)


async def create_ticket(
    session: AsyncSession,
    *,
    policy: Policy,
    now: datetime,
    reporter_id: str,
    reporter_name: str,
    category: str,
    scope: str,
    description: str,
    decision: PriorityDecision,
    motivation: str | None = None,
    phone: str | None = None,
    major_incident: bool = False,
    details: dict[str, Any] | None = None,
    channel: str = "teams",
    notify_regie: bool = True,
) -> Ticket:
    """Store a new ticket, its REPORTED event (with ``details`` such as the intake answers) and
    the messages it causes: the servicedesk card, for P1 the regie notice (unless
    ``notify_regie`` is False: an incident imported when it was already resolved), and the intent
    to register it in the supplier's ticket system when one is connected (``storage.itsm``)."""
    major_incident = major_incident or decision.major_incident
    data = {
        "ticket": None,  # the label, filled in once the ticket has its id
        "priority": decision.priority,
        "uplift": decision.uplift,
        "motivation": motivation,
        "category": category,
        "scope": scope,
        "reasons": list(decision.reasons),
        "major_incident": major_incident,
        "channel": channel,
        **(details or {}),
    }
    # A new ticket's log is this one REPORTED event, so the due times follow from it in memory
    # and go into the ticket's INSERT (the same ``deadlines_from_events`` as ``_refresh_due``).
    due = deadlines_from_events(policy, [TicketEvent(kind=ev.REPORTED, at=now, data=data)])
    values: dict[str, Any] = dict(
        reporter_id=reporter_id, reporter_name=reporter_name, category=category, scope=scope,
        description=description, priority=decision.priority, uplift=decision.uplift,
        uplift_motivation=motivation, priority_reasons={"reasons": list(decision.reasons)}, phone=phone,
        status="nieuw", owner_id=None, owner_name=None, opened_at=now, first_response_at=None,
        resolved_at=None, first_response_due=due.first_response_due, resolution_due=due.resolution_due,
        definitive_resolution_due=due.definitive_resolution_due, next_update_due=due.next_update_due,
        version=1, agreed_date=None, major_incident=major_incident, update_overdue=False,
        linked_to_ticket_id=None, public_title=None, closed_at=None, personal_data_removed_at=None, channel=channel,
        external_number=None,
    )
    ticket_id = (await session.execute(_INSERT_TICKET, values)).scalar_one()
    if "ticket" not in (details or {}):
        data["ticket"] = ticket_label(ticket_id)
    await session.execute(
        _INSERT_EVENT, {"ticket_id": ticket_id, "kind": ev.REPORTED, "at": now, "actor_id": reporter_id, "data": data}
    )
    # The ticket as stored, in the session as if loaded: the caller reads and changes it as usual.
    ticket = Ticket(id=ticket_id, **values)
    make_transient_to_detached(ticket)
    session.add(ticket)
    await outbox.enqueue(
        session,
        dedup_key=f"ticket:{ticket.id}:card",
        target=outbox.Target.channel("servicedesk"),
        payload={"kind": "ticket_card", "ticket_id": ticket.id},
        op=outbox.SEND_CARD,
        now=now,
        ticket_id=ticket.id,
    )
    await itsm.intend_create(session, ticket_id=ticket.id, now=now)
    if decision.priority == "P1" and notify_regie:
        await outbox.enqueue(
            session,
            dedup_key=f"ticket:{ticket.id}:regie:new-p1",
            target=outbox.Target.channel("regie"),
            payload={"kind": "regie_new_p1", "ticket_id": ticket.id},
            now=now,
            ticket_id=ticket.id,
        )
    return ticket


class Outcome(enum.Enum):
    DONE = "done"
    ALREADY = "already"  # someone did it first (or this is the same click again); nothing changed
    STALE = "stale"  # the card was drawn at an older version
    NOT_FOUND = "not_found"
    NOT_ALLOWED = "not_allowed"
    INVALID = "invalid"  # the ticket's status does not allow it, or the input is not usable


@dataclass(frozen=True)
class ChangeResult:
    outcome: Outcome
    ticket: Ticket | None
    reason: str = ""  # for INVALID: what was wrong, in words for the log and the audit trail
    # The ticket's log after a change that read it (DONE), so its card needs no second read.
    events: Sequence[TicketEvent] | None = None


async def get_ticket(session: AsyncSession, ticket_id: int) -> Ticket | None:
    return await session.get(Ticket, ticket_id)


_ACKNOWLEDGE = (
    update(_TICKETS)
    .where(_TICKETS.c.id == bindparam("ticket_id"), _TICKETS.c.first_response_at.is_(None), _TICKETS.c.status == "nieuw")
    .values(
        first_response_at=bindparam("now"),
        owner_id=bindparam("agent_id"),
        owner_name=bindparam("agent_name"),
        status="opgepakt",
        version=_TICKETS.c.version + 1,
    )
)
_ACKNOWLEDGE_SEEN = _ACKNOWLEDGE.where(_TICKETS.c.version == bindparam("seen_version"))


async def acknowledge(
    session: AsyncSession,
    *,
    policy: Policy,
    now: datetime,
    ticket_id: int,
    agent_id: str,
    agent_name: str,
    note: str | None,
    seen_version: int | None,
) -> ChangeResult:
    """Record the first substantive reaction and the owner, exactly once."""
    result = await session.execute(
        _ACKNOWLEDGE if seen_version is None else _ACKNOWLEDGE_SEEN,
        {"ticket_id": ticket_id, "now": now, "agent_id": agent_id, "agent_name": agent_name, "seen_version": seen_version},
    )
    ticket = await session.get(Ticket, ticket_id, populate_existing=True)
    if result.rowcount != 1:
        if ticket is None:
            return ChangeResult(Outcome.NOT_FOUND, None)
        if ticket.first_response_at is not None:
            return ChangeResult(Outcome.ALREADY, ticket)
        return ChangeResult(Outcome.STALE, ticket)
    await _append(
        session,
        ticket_id=ticket_id,
        kind=ev.ACKNOWLEDGED,
        at=now,
        actor_id=agent_id,
        data={"agent_id": agent_id, "agent_name": agent_name, "note": note, "from_version": seen_version},
    )
    await itsm.intend_write(
        session, ticket_id=ticket_id, version=ticket.version, kind=ev.ACKNOWLEDGED,
        data={"agent_name": agent_name, "note": note}, now=now,
    )
    events = await _refresh_due(session, ticket, policy)
    await outbox.redraw_card(session, ticket_id=ticket_id, version=ticket.version, now=now)
    await outbox.enqueue(
        session,
        dedup_key=f"ticket:{ticket_id}:acknowledged:reporter",
        target=outbox.Target.user(ticket.reporter_id),
        payload={"kind": "acknowledged", "ticket_id": ticket_id, "agent_name": agent_name, "note": note},
        now=now,
        ticket_id=ticket_id,
    )
    return ChangeResult(Outcome.DONE, ticket, events=events)


async def open_tickets_of(session: AsyncSession, *, reporter_id: str) -> Sequence[Ticket]:
    query = (
        select(Ticket)
        .where(Ticket.reporter_id == reporter_id, Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.id)
    )
    return list((await session.execute(query)).scalars())


# --- agent actions ------------------------------------------------------------------------------
#
# Every action below is one compare-and-set on the ticket row: it changes the row only if the row
# still has the version the card was drawn at (and a status that allows the action). Of any number
# of simultaneous clicks exactly one matches; only that one appends events, bumps the version and
# queues messages. A click that matches nothing is told apart afterwards:
#   * ALREADY: the ticket's latest event is this very action by this very person from this very
#     version (a double click, a retried request): nothing to report, show the fresh card;
#   * STALE: the ticket changed since the card was drawn: show the fresh card, ask to try again;
#   * INVALID: the version matches but the status does not allow the action.
# Authorisation (who may click) is the caller's job (bot.card_actions), by Entra object id.

ALL_STATUSES = ("nieuw", "opgepakt", "wacht_op_derde", "opgelost", "gesloten")
WORKING_STATUSES = ("opgepakt", "wacht_op_derde")
MAX_TEXT = 2000


def clean_text(value: Any, *, limit: int = MAX_TEXT) -> str | None:
    """People's own words from a card input: stripped, cut to ``limit``, None when empty."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text[:limit] if text else None


async def _latest_event(session: AsyncSession, ticket_id: int) -> TicketEventRow | None:
    query = (
        select(TicketEventRow)
        .where(TicketEventRow.ticket_id == ticket_id)
        .order_by(TicketEventRow.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def _why_not(
    session: AsyncSession, ticket_id: int, *, kind: str, actor_id: str, seen_version: int | None, statuses: Sequence[str]
) -> ChangeResult:
    ticket = await session.get(Ticket, ticket_id, populate_existing=True)
    if ticket is None:
        return ChangeResult(Outcome.NOT_FOUND, None)
    if seen_version is not None and ticket.version != seen_version:
        latest = await _latest_event(session, ticket_id)
        if (
            latest is not None
            and latest.kind == kind
            and latest.actor_id == actor_id
            and (latest.data or {}).get("from_version") == seen_version
        ):
            return ChangeResult(Outcome.ALREADY, ticket)
        return ChangeResult(Outcome.STALE, ticket)
    if ticket.status not in statuses:
        return ChangeResult(Outcome.INVALID, ticket, f"status {ticket.status}")
    return ChangeResult(Outcome.STALE, ticket)


async def _compare_and_set(
    session: AsyncSession, *, ticket_id: int, seen_version: int | None, statuses: Sequence[str], values: dict[str, Any]
) -> Ticket | None:
    """Apply ``values`` (and bump the version) if the row still matches; the fresh row or None."""
    conditions = [_TICKETS.c.id == ticket_id, _TICKETS.c.status.in_(statuses)]
    if seen_version is not None:
        conditions.append(_TICKETS.c.version == seen_version)
    result = await session.execute(
        update(_TICKETS).where(*conditions).values(**values, version=_TICKETS.c.version + 1)
    )
    if result.rowcount != 1:
        return None
    return await session.get(Ticket, ticket_id, populate_existing=True)


async def _card_changed(session: AsyncSession, ticket: Ticket, now: datetime) -> None:
    """Every change redraws the servicedesk card in place, for everyone."""
    await outbox.redraw_card(session, ticket_id=ticket.id, version=ticket.version, now=now)


async def _tell_reporter(session: AsyncSession, ticket: Ticket, now: datetime, payload: dict[str, Any], *, followers: bool = True) -> None:
    """A message to the reporter (and to employees who follow the ticket), once per version."""
    from storage.models import TicketFollower

    recipients = [ticket.reporter_id]
    if followers:
        rows = await session.execute(select(TicketFollower.user_id).where(TicketFollower.ticket_id == ticket.id))
        recipients += [user_id for user_id in rows.scalars() if user_id != ticket.reporter_id]
    for user_id in recipients:
        suffix = "" if user_id == ticket.reporter_id else f":{user_id}"
        await outbox.enqueue(
            session,
            dedup_key=f"ticket:{ticket.id}:v{ticket.version}:{payload['kind']}{suffix}",
            target=outbox.Target.user(user_id),
            payload={**payload, "ticket_id": ticket.id},
            now=now,
            ticket_id=ticket.id,
        )


async def _record(
    session: AsyncSession, ticket: Ticket, policy: Policy, *, kind: str, now: datetime, actor_id: str, seen_version: int | None, data: dict[str, Any]
) -> list[TicketEvent]:
    """The change's event, the due times and the card redraw; returns the log after the change."""
    await _append(
        session,
        ticket_id=ticket.id,
        kind=kind,
        at=now,
        actor_id=actor_id,
        data={**data, "agent_id": actor_id, "from_version": seen_version},
    )
    await itsm.intend_write(session, ticket_id=ticket.id, version=ticket.version, kind=kind, data=data, now=now)
    events = await _refresh_due(session, ticket, policy)
    await _card_changed(session, ticket, now)
    return events


async def _transition(
    session: AsyncSession,
    policy: Policy,
    *,
    now: datetime,
    ticket_id: int,
    agent_id: str,
    seen_version: int | None,
    statuses: Sequence[str],
    values: dict[str, Any],
    kind: str,
    data: dict[str, Any],
    tell: dict[str, Any] | None,
    followers: bool = True,
) -> ChangeResult:
    """The shape of every servicedesk action: compare-and-set the row, or say why not; then the
    event, the due times, the card redraw and the message to the reporter, in one transaction."""
    ticket = await _compare_and_set(session, ticket_id=ticket_id, seen_version=seen_version, statuses=statuses, values=values)
    if ticket is None:
        return await _why_not(session, ticket_id, kind=kind, actor_id=agent_id, seen_version=seen_version, statuses=statuses)
    events = await _record(session, ticket, policy, kind=kind, now=now, actor_id=agent_id, seen_version=seen_version, data=data)
    if tell is not None:
        await _tell_reporter(session, ticket, now, tell, followers=followers)
    if kind in (ev.WORKAROUND, ev.RESOLVED):
        from storage.updates import queue_feedback_questions  # updates imports this module

        await queue_feedback_questions(session, ticket=ticket, event_kind=kind, cause=f"{kind}:v{ticket.version}", now=now)
    return ChangeResult(Outcome.DONE, ticket, events=events)


async def change_priority(
    session: AsyncSession,
    *,
    policy: Policy,
    now: datetime,
    ticket_id: int,
    agent_id: str,
    agent_name: str,
    new_priority: str,
    reason: str | None,
    seen_version: int | None,
) -> ChangeResult:
    """A new priority with a reason; every deadline is recomputed from the original report time."""
    statuses = OPEN_STATUSES
    if new_priority not in policy.priorities:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), f"unknown priority {new_priority!r}")
    if not reason:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "no reason")
    current = await session.get(Ticket, ticket_id, populate_existing=True)
    if current is None:
        return ChangeResult(Outcome.NOT_FOUND, None)
    if seen_version is not None and current.version != seen_version:
        return await _why_not(session, ticket_id, kind=ev.PRIORITY_CHANGED, actor_id=agent_id, seen_version=seen_version, statuses=statuses)
    old_priority = current.priority
    if new_priority == old_priority:
        return ChangeResult(Outcome.INVALID, current, "same priority")
    values: dict[str, Any] = {"priority": new_priority}
    if new_priority != "P1":
        values["uplift"] = False
    ticket = await _compare_and_set(
        session, ticket_id=ticket_id, seen_version=current.version, statuses=statuses, values=values
    )
    if ticket is None:
        return await _why_not(session, ticket_id, kind=ev.PRIORITY_CHANGED, actor_id=agent_id, seen_version=seen_version, statuses=statuses)
    events = await _record(
        session, ticket, policy, kind=ev.PRIORITY_CHANGED, now=now, actor_id=agent_id, seen_version=seen_version,
        data={"from": old_priority, "to": new_priority, "reason": reason, "agent_name": agent_name},
    )
    await _tell_reporter(
        session, ticket, now,
        {"kind": "priority_changed", "from": old_priority, "to": new_priority, "reason": reason},
    )
    if new_priority == "P1":
        # Regie hears of every P1 at once: one notice that says the change and what is already late.
        await outbox.enqueue(
            session,
            dedup_key=f"ticket:{ticket.id}:v{ticket.version}:regie:p1",
            target=outbox.Target.channel("regie"),
            payload={"kind": "regie_new_p1", "ticket_id": ticket.id, "changed_from": old_priority, "reason": reason, "by": agent_name},
            now=now,
            ticket_id=ticket.id,
        )
    return ChangeResult(Outcome.DONE, ticket, events=events)


async def wait_for_third_party(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    party: str | None, reason: str | None, seen_version: int | None,
) -> ChangeResult:
    """"Wacht op derde": pauses the clocks the policy lets a third party stop (not status updates)."""
    if not party or not reason:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "party and reason are required")
    statuses = ("opgepakt",)
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=statuses, values={"status": "wacht_op_derde"}, kind=ev.PAUSED,
        data={"party": party, "reason": reason, "agent_name": agent_name},
        tell={"kind": "waiting", "party": party, "reason": reason},
    )


async def resume(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    seen_version: int | None,
) -> ChangeResult:
    """"Hervat": the third party is done; the paused clocks run again."""
    statuses = ("wacht_op_derde",)
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=statuses, values={"status": "opgepakt"}, kind=ev.RESUMED,
        data={"agent_name": agent_name},
        tell={"kind": "resumed"},
    )


async def post_update(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    text: str | None, seen_version: int | None,
) -> ChangeResult:
    """"Update naar melder": the text goes to the reporter at once and restarts the update cadence."""
    if not text:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "no text")
    statuses = WORKING_STATUSES
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=statuses, values={"update_overdue": False}, kind=ev.AGENT_UPDATE,
        data={"text": text, "agent_name": agent_name},
        tell={"kind": "agent_update", "text": text, "agent_name": agent_name},
    )


async def record_workaround(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    note: str | None, seen_version: int | None,
) -> ChangeResult:
    """"Noodoplossing": the reporter can work again in a temporary way (P1 stabilisation)."""
    if not note:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "no description of the workaround")
    statuses = WORKING_STATUSES
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=statuses, values={"update_overdue": False}, kind=ev.WORKAROUND,
        data={"note": note, "agent_name": agent_name},
        tell={"kind": "workaround", "note": note, "agent_name": agent_name},
    )


async def resolve(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    solution: str | None, first_time_fix: bool | None, seen_version: int | None,
) -> ChangeResult:
    """"Opgelost" with the solution and whether it was fixed without a hand-off (first-time-fix)."""
    if not solution:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "no solution")
    if first_time_fix is None:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "first-time-fix not answered")
    statuses = WORKING_STATUSES
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=statuses, values={"status": "opgelost", "resolved_at": now, "update_overdue": False}, kind=ev.RESOLVED,
        data={"solution": solution, "first_time_fix": bool(first_time_fix), "agent_name": agent_name},
        tell={"kind": "resolved", "solution": solution, "agent_name": agent_name},
    )


async def reopen(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    reason: str | None, seen_version: int | None, by: str = ev.BY_AGENT,
) -> ChangeResult:
    """"Heropenen": a resolved ticket is open again; its clocks run on from the original report.

    ``by`` ``BY_REPORTER``: the employee said it still fails ("nog niet"). The bot answers them in the
    chat itself, as "je"; the reason is written for the servicedesk, so it is not sent to them.
    """
    if not reason:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "no reason")
    statuses = ("opgelost",)
    current = await session.get(Ticket, ticket_id, populate_existing=True)
    if current is None:
        return ChangeResult(Outcome.NOT_FOUND, None)
    back_to = "opgepakt" if current.owner_id else "nieuw"
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=statuses, values={"status": back_to, "resolved_at": None}, kind=ev.REOPENED,
        data={"reason": reason, "agent_name": agent_name, "by": by},
        tell={"kind": "reopened", "reason": reason} if by == ev.BY_AGENT else None,
    )


async def close(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    seen_version: int | None,
) -> ChangeResult:
    """Closed for good after its resolution (the supplier's ticket system closed the incident)."""
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=("opgelost",), values={"status": "gesloten", "closed_at": now}, kind=ev.CLOSED,
        data={"agent_name": agent_name}, tell=None,
    )


async def hand_over(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    to_agent_id: str, to_agent_name: str, seen_version: int | None,
) -> ChangeResult:
    """"Overdragen": another agent becomes the owner (checked as an agent by the caller)."""
    statuses = WORKING_STATUSES
    current = await session.get(Ticket, ticket_id, populate_existing=True)
    if current is None:
        return ChangeResult(Outcome.NOT_FOUND, None)
    if current.owner_id and current.owner_id.lower() == to_agent_id.lower() and current.version == seen_version:
        return ChangeResult(Outcome.INVALID, current, "already the owner")
    previous = (current.owner_id, current.owner_name)
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=statuses, values={"owner_id": to_agent_id, "owner_name": to_agent_name}, kind=ev.HANDED_OVER,
        data={
            "from_agent": previous[0], "from_name": previous[1], "to_agent": to_agent_id, "to_name": to_agent_name,
            "agent_name": agent_name,
        },
        tell={"kind": "handed_over", "to_name": to_agent_name},
        followers=False,
    )


PUBLIC_TITLE_MAX = 80


async def set_public_title(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    title: str | None, seen_version: int | None,
) -> ChangeResult:
    """The outage's title other employees see ("Storing Outlook"), set or confirmed by an agent.

    Until it is set, the outage is offered to nobody: its description is the reporter's words,
    which no other employee may read. The title is cached on the row for that offer.
    """
    if not title:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "no title")
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=OPEN_STATUSES, values={"public_title": title}, kind=ev.PUBLIC_TITLE_SET,
        data={"title": title, "agent_name": agent_name}, tell=None,
    )


async def known_agents(session: AsyncSession, *, limit: int = 500) -> dict[str, str]:
    """Object id -> name of people who acted on tickets recently (the hand-over choices)."""
    rows = await session.execute(
        select(TicketEventRow.actor_id, TicketEventRow.data)
        .where(TicketEventRow.kind.in_((ev.ACKNOWLEDGED, ev.AGENT_UPDATE, ev.RESOLVED, ev.HANDED_OVER, ev.PAUSED, ev.WORKAROUND)))
        .order_by(TicketEventRow.id.desc())
        .limit(limit)
    )
    names: dict[str, str] = {}
    for actor_id, data in rows:
        data = data or {}
        if actor_id and data.get("agent_name") and actor_id not in names:
            names[actor_id] = data["agent_name"]
        if data.get("to_agent") and data.get("to_name") and data["to_agent"] not in names:
            names[data["to_agent"]] = data["to_name"]
    return names


class KnownAgents:
    """``known_agents``, read at most once per ``ttl`` seconds: only an optimisation.

    Every ticket card lists the agents to hand over to, and drawing one read the last 500 agent
    events and decoded their JSON: two draws per click on a card (the answer and the redraw for
    everyone), about a sixth of an acknowledge's CPU (bench/turns.py). An agent acting through
    this process is in the list at once (``saw``); one who acted through another replica shows up
    in the hand-over choices within ``ttl``. Who may receive a ticket is checked against the
    configured agents at the click, never against this list.
    """

    def __init__(self, *, ttl: float = 60.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._monotonic = monotonic
        self._names: dict[str, str] | None = None
        self._read_at = 0.0

    async def get(self, session: AsyncSession) -> dict[str, str]:
        if self._names is None or self._monotonic() - self._read_at >= self._ttl:
            self._names = await known_agents(session)
            self._read_at = self._monotonic()
        return dict(self._names)

    def saw(self, agent_id: str, name: str) -> None:
        """An agent acted through this process: in the list at once, not after the next read."""
        if self._names is not None and agent_id not in self._names:
            self._names[agent_id] = name
