"""The ticket lifecycle: every change appends events, refreshes the due-time cache and writes the
messages it causes to the outbox, all in the caller's transaction.

Changes that people race for (acknowledging, sending a due status update) are compare-and-set
updates on the ticket row: of 50 simultaneous clicks exactly one matches, on SQLite and PostgreSQL
alike, and only that one writes events and messages.

Beside it: ``storage.labels`` (the "M-12" people see and type), ``storage.reads`` (a ticket, its log,
a reporter's open ones), ``storage.notify`` (who hears of a change) and ``storage.agents`` (agent names
and treatment lines).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable, Sequence

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from sla import events as ev
from sla.deadlines import deadlines_from_events
from sla.fold import DEVICE_FALLBACK, FIRST_LINE, NEEDED, ONSITE, Recorded, TicketClocks, fold
from sla.events import TicketEvent
from sla.policy import Policy
from sla.priority import SECURITY_KINDS, PriorityDecision
from sla.status import ALL_STATUSES, OPEN_STATUSES, WORKING_STATUSES, TicketStatus
from storage import itsm, notify, outbox
from storage.labels import ticket_label
from storage.models import Ticket, TicketEventRow, TicketFollower
from storage.outbox import Kind
from storage.reads import get_ticket, load_events
from storage.statements import insert_unless_exists
from storage.updates import queue_feedback_questions


# The hot statements of a change, built once (values come with each execution): the ORM's unit of
# work and its bulk UPDATE path cost about three times the CPU of these for the same SQL.
_TICKETS = Ticket.__table__
_EVENTS = TicketEventRow.__table__
_INSERT_EVENT = insert(_EVENTS)
_DUE_COLUMNS = ("first_response_due", "resolution_due", "definitive_resolution_due", "next_update_due")
_SET_DUE = (
    update(_TICKETS)
    .where(_TICKETS.c.id == bindparam("ticket_id"))
    .values({name: bindparam(f"new_{name}") for name in _DUE_COLUMNS})
)


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
    privacy_officers: Iterable[str] = (),
) -> Ticket:
    """Store a new ticket, its REPORTED event (with ``details`` such as the intake answers) and
    the messages it causes: the servicedesk card, for P1 the regie notice (unless
    ``notify_regie`` is False: an incident imported when it was already resolved), for a data
    breach the notice to the privacy officer(s) and regie, and the intent to register it in the
    supplier's ticket system when one is connected (``storage.itsm``)."""
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
        "security_incident": decision.security_incident,
        "data_breach": decision.data_breach,
        **(details or {}),
    }
    # A new ticket's log is this one REPORTED event, so the due times follow from it in memory
    # and go into the ticket's INSERT (the same ``deadlines_from_events`` as ``_refresh_due``).
    due = deadlines_from_events(policy, [TicketEvent(kind=ev.REPORTED, at=now, data=data)])
    values: dict[str, Any] = dict(
        reporter_id=reporter_id, reporter_name=reporter_name, category=category, scope=scope,
        description=description, priority=decision.priority, uplift=decision.uplift,
        uplift_motivation=motivation, priority_reasons={"reasons": list(decision.reasons)}, phone=phone,
        status=TicketStatus.NEW, owner_id=None, owner_name=None, treatment_line=None, opened_at=now, first_response_at=None,
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
        payload={"kind": Kind.TICKET_CARD, "ticket_id": ticket.id},
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
            payload={"kind": Kind.REGIE_NEW_P1, "ticket_id": ticket.id},
            op=outbox.SEND_CARD,
            now=now,
            ticket_id=ticket.id,
        )
    if decision.data_breach:
        await notify.data_breach(session, ticket, now, privacy_officers)
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


_ACKNOWLEDGE = (
    update(_TICKETS)
    .where(_TICKETS.c.id == bindparam("ticket_id"), _TICKETS.c.first_response_at.is_(None), _TICKETS.c.status == TicketStatus.NEW)
    .values(
        first_response_at=bindparam("now"),
        owner_id=bindparam("agent_id"),
        owner_name=bindparam("agent_name"),
        treatment_line=bindparam("agent_line"),
        status=TicketStatus.PICKED_UP,
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
    agent_line: str = FIRST_LINE,
) -> ChangeResult:
    """"Oppakken": the agent owns the ticket, exactly once. A new ticket; or one handed to a line's
    queue, which any agent can take (the click that finds it still without owner)."""
    result = await session.execute(
        _ACKNOWLEDGE if seen_version is None else _ACKNOWLEDGE_SEEN,
        {"ticket_id": ticket_id, "now": now, "agent_id": agent_id, "agent_name": agent_name, "agent_line": agent_line,
         "seen_version": seen_version},
    )
    ticket = await session.get(Ticket, ticket_id, populate_existing=True)
    if result.rowcount != 1:
        if ticket is None:
            return ChangeResult(Outcome.NOT_FOUND, None)
        if ticket.owner_id is None and ticket.status in WORKING_STATUSES:
            return await _take_from_queue(
                session, policy, ticket, now=now, agent_id=agent_id, agent_name=agent_name, agent_line=agent_line,
                seen_version=seen_version,
            )
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
        payload={"kind": Kind.ACKNOWLEDGED, "ticket_id": ticket_id, "agent_name": agent_name, "note": note},
        now=now,
        ticket_id=ticket_id,
    )
    return ChangeResult(Outcome.DONE, ticket, events=events)


async def _take_from_queue(
    session: AsyncSession, policy: Policy, ticket: Ticket, *, now: datetime, agent_id: str, agent_name: str,
    agent_line: str, seen_version: int | None,
) -> ChangeResult:
    """An agent takes a ticket that waits in a line's queue: the owner again, told to the reporter."""
    return await _transition(
        session, policy, now=now, ticket_id=ticket.id, agent_id=agent_id,
        seen_version=ticket.version if seen_version is None else seen_version, statuses=WORKING_STATUSES,
        values={"owner_id": agent_id, "owner_name": agent_name, "treatment_line": agent_line},
        kind=ev.ACKNOWLEDGED, data={"agent_name": agent_name, "note": None},
        tell={"kind": Kind.ACKNOWLEDGED, "agent_name": agent_name, "note": None}, followers=False,
        unowned=True,
    )


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
    session: AsyncSession, *, ticket_id: int, seen_version: int | None, statuses: Sequence[str], values: dict[str, Any],
    unowned: bool = False,
) -> Ticket | None:
    """Apply ``values`` (and bump the version) if the row still matches (and, with ``unowned``,
    nobody owns the ticket); the fresh row or None."""
    conditions = [_TICKETS.c.id == ticket_id, _TICKETS.c.status.in_(statuses)]
    if seen_version is not None:
        conditions.append(_TICKETS.c.version == seen_version)
    if unowned:
        conditions.append(_TICKETS.c.owner_id.is_(None))
    result = await session.execute(
        update(_TICKETS).where(*conditions).values(**values, version=_TICKETS.c.version + 1)
    )
    if result.rowcount != 1:
        return None
    return await session.get(Ticket, ticket_id, populate_existing=True)


async def _card_changed(session: AsyncSession, ticket: Ticket, now: datetime) -> None:
    """Every change redraws the servicedesk card in place, for everyone."""
    await outbox.redraw_card(session, ticket_id=ticket.id, version=ticket.version, now=now)


async def _record(
    session: AsyncSession, ticket: Ticket, policy: Policy, *, facts: Sequence[tuple[str, dict[str, Any]]], now: datetime,
    actor_id: str, seen_version: int | None,
) -> list[TicketEvent]:
    """The change's events (one click may record several facts, in order), the due times and the
    card redraw; returns the log after the change. Each fact is also meant for the supplier's
    ticket system, when one is connected (``storage.itsm``)."""
    for kind, data in facts:
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
    unowned: bool = False,
) -> ChangeResult:
    """The shape of every servicedesk action: compare-and-set the row, or say why not; then the
    event, the due times, the card redraw and the message to the reporter, in one transaction."""
    ticket = await _compare_and_set(
        session, ticket_id=ticket_id, seen_version=seen_version, statuses=statuses, values=values, unowned=unowned
    )
    if ticket is None:
        return await _why_not(session, ticket_id, kind=kind, actor_id=agent_id, seen_version=seen_version, statuses=statuses)
    events = await _record(
        session, ticket, policy, facts=[(kind, data)], now=now, actor_id=agent_id, seen_version=seen_version
    )
    if tell is not None:
        await notify.reporter(session, ticket, now, tell, followers=followers)
    if kind in (ev.WORKAROUND, ev.RESOLVED):
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
    ticket = await _compare_and_set(
        session, ticket_id=ticket_id, seen_version=current.version, statuses=statuses, values=_priority_values(new_priority)
    )
    if ticket is None:
        return await _why_not(session, ticket_id, kind=ev.PRIORITY_CHANGED, actor_id=agent_id, seen_version=seen_version, statuses=statuses)
    events = await _record(
        session, ticket, policy, facts=[_priority_change(old_priority, new_priority, reason, agent_name)], now=now,
        actor_id=agent_id, seen_version=seen_version,
    )
    await notify.reporter(
        session, ticket, now,
        {"kind": Kind.PRIORITY_CHANGED, "from": old_priority, "to": new_priority, "reason": reason},
    )
    await notify.regie_of_p1(session, ticket, now, old_priority=old_priority, reason=reason, by=agent_name)
    return ChangeResult(Outcome.DONE, ticket, events=events)


def _priority_change(old: str, new: str, reason: str | None, agent_name: str) -> tuple[str, dict[str, Any]]:
    return ev.PRIORITY_CHANGED, {"from": old, "to": new, "reason": reason, "agent_name": agent_name}


def _priority_values(new_priority: str) -> dict[str, Any]:
    """The row's priority after a change; only a P1 can be a P1-uplift."""
    values: dict[str, Any] = {"priority": new_priority}
    if new_priority != "P1":
        values["uplift"] = False
    return values


async def wait_for_third_party(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    party: str | None, reason: str | None, seen_version: int | None, expected: date | None = None,
) -> ChangeResult:
    """"Wacht op derde": who we wait for, why, and (optionally) the date they expect to be done.
    Which clocks it stops is policy; the wait is always recorded."""
    if not party or not reason:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "party and reason are required")
    if expected is not None and not _ahead(policy, now, expected):
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "expected date in the past or too far ahead")
    statuses = (TicketStatus.PICKED_UP,)
    data: dict[str, Any] = {"party": party, "reason": reason, "agent_name": agent_name}
    if expected is not None:
        data["expected"] = expected.isoformat()
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=statuses, values={"status": TicketStatus.WAITING}, kind=ev.PAUSED, data=data,
        tell={"kind": Kind.WAITING, "party": party, "reason": reason, "expected": data.get("expected")},
    )


MAX_DAYS_AHEAD = 366


def _ahead(policy: Policy, now: datetime, day: date) -> bool:
    """A date someone can promise: today (in the policy's time zone) or later, within a year."""
    today = now.astimezone(policy.tz).date()
    return today <= day <= today + timedelta(days=MAX_DAYS_AHEAD)


async def resume(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    seen_version: int | None,
) -> ChangeResult:
    """"Hervat": the third party is done; the paused clocks run again."""
    statuses = (TicketStatus.WAITING,)
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=statuses, values={"status": TicketStatus.PICKED_UP}, kind=ev.RESUMED,
        data={"agent_name": agent_name},
        tell={"kind": Kind.RESUMED},
    )


async def post_update(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    text: str | None, seen_version: int | None,
) -> ChangeResult:
    """"Update naar melder": the text goes to the reporter at once and restarts the update cadence."""
    return await _words_to_reporter(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name, seen_version=seen_version,
        kind=ev.AGENT_UPDATE, tell=Kind.AGENT_UPDATE, key="text", words=text, missing="no text",
    )


async def record_workaround(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    note: str | None, seen_version: int | None,
) -> ChangeResult:
    """"Noodoplossing": the reporter can work again in a temporary way (P1 stabilisation)."""
    return await _words_to_reporter(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name, seen_version=seen_version,
        kind=ev.WORKAROUND, tell=Kind.WORKAROUND, key="note", words=note, missing="no description of the workaround",
    )


async def _words_to_reporter(
    session: AsyncSession, policy: Policy, *, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    seen_version: int | None, kind: str, tell: Kind, key: str, words: str | None, missing: str,
) -> ChangeResult:
    """An agent's words that reach the reporter at once while the ticket is worked on; they count as
    the supplier's update (the overdue flag goes)."""
    if not words:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), missing)
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=WORKING_STATUSES, values={"update_overdue": False}, kind=kind,
        data={key: words, "agent_name": agent_name},
        tell={"kind": tell, key: words, "agent_name": agent_name},
    )


async def resolve(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    solution: str | None, seen_version: int | None, first_time_fix: bool | None = None,
) -> ChangeResult:
    """"Opgelost" with the solution. The card does not ask whether it was fixed the first time: that
    follows from the hand-overs between treatment lines in the log. A ticket system that knows it
    of its own incidents (TOPdesk's "first line") says so in ``first_time_fix``, which the fold
    counts as it counts that key in old logs."""
    if not solution:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "no solution")
    statuses = WORKING_STATUSES
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=statuses, values={"status": TicketStatus.RESOLVED, "resolved_at": now, "update_overdue": False}, kind=ev.RESOLVED,
        data={"solution": solution, "agent_name": agent_name, **({} if first_time_fix is None else {"first_time_fix": first_time_fix})},
        tell={"kind": Kind.RESOLVED, "solution": solution, "agent_name": agent_name},
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
    statuses = (TicketStatus.RESOLVED,)
    current = await session.get(Ticket, ticket_id, populate_existing=True)
    if current is None:
        return ChangeResult(Outcome.NOT_FOUND, None)
    back_to = TicketStatus.PICKED_UP if current.owner_id else TicketStatus.NEW
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=statuses, values={"status": back_to, "resolved_at": None}, kind=ev.REOPENED,
        data={"reason": reason, "agent_name": agent_name, "by": by},
        tell={"kind": Kind.REOPENED, "reason": reason} if by == ev.BY_AGENT else None,
    )


async def close(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    seen_version: int | None,
) -> ChangeResult:
    """Closed for good after its resolution (the supplier's ticket system closed the incident)."""
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=(TicketStatus.RESOLVED,), values={"status": TicketStatus.CLOSED, "closed_at": now}, kind=ev.CLOSED,
        data={"agent_name": agent_name}, tell=None,
    )


async def hand_over(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    to_agent_id: str | None, to_agent_name: str | None, seen_version: int | None, to_line: str | None = None,
    line_of: Callable[[str | None], str] = lambda owner: FIRST_LINE,
) -> ChangeResult:
    """"Overdragen": to a colleague (``to_agent_id``, checked as an agent by the caller), or to the
    queue of a treatment line (``to_agent_id`` None), where any agent can pick it up.

    The event records the line the ticket left and the line it reached: the line it was at (or,
    for a ticket from before lines were kept, its owner's line by ``line_of``), and ``to_line``, or
    the same line when the caller does not know one (an operator in the supplier's system).
    """
    statuses = WORKING_STATUSES
    current = await session.get(Ticket, ticket_id, populate_existing=True)
    if current is None:
        return ChangeResult(Outcome.NOT_FOUND, None)
    if current.version == seen_version:
        if to_agent_id is not None and (current.owner_id or "").lower() == to_agent_id.lower():
            return ChangeResult(Outcome.INVALID, current, "already the owner")
        if to_agent_id is None and current.owner_id is None and current.treatment_line == to_line:
            return ChangeResult(Outcome.INVALID, current, "already in that queue")
    from_line = current.treatment_line or line_of(current.owner_id)
    to_line = to_line or from_line
    tell = (
        {"kind": Kind.HANDED_OVER, "to_name": to_agent_name}
        if to_agent_id is not None else {"kind": Kind.HANDED_TO_LINE, "line": to_line}
    )
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=statuses, values={"owner_id": to_agent_id, "owner_name": to_agent_name, "treatment_line": to_line},
        kind=ev.HANDED_OVER,
        data={
            "from_agent": current.owner_id, "from_name": current.owner_name, "to_agent": to_agent_id,
            "to_name": to_agent_name, "from_line": from_line, "to_line": to_line, "agent_name": agent_name,
        },
        tell=tell,
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


# --- the first substantive reaction -----------------------------------------------------------


@dataclass(frozen=True)
class Reaction:
    """The annex's "eerste inhoudelijke reactie": the report was assessed, the priority is
    provisionally set (confirmed, or changed with a reason) and the next step is clear."""

    priority: str
    next_step: str | None
    text: str | None = None
    reason: str | None = None


async def react(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    reaction: Reaction, seen_version: int | None, agent_line: str = FIRST_LINE, pick_up: bool = False,
) -> ChangeResult:
    """The first substantive reaction to the reporter, told in one message. Picks the ticket up as
    well when nobody owns it ("Oppakken" and the reaction in one click); with ``pick_up`` only
    then (the click was "Oppakken")."""
    if not reaction.next_step:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "no next step")
    if reaction.priority not in policy.priorities:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), f"unknown priority {reaction.priority!r}")
    current = await session.get(Ticket, ticket_id, populate_existing=True)
    if current is None:
        return ChangeResult(Outcome.NOT_FOUND, None)
    if seen_version is not None and current.version != seen_version:
        return await _why_not(session, ticket_id, kind=ev.REACTION, actor_id=agent_id, seen_version=seen_version, statuses=OPEN_STATUSES)
    if pick_up and current.owner_id is not None:
        return ChangeResult(Outcome.INVALID, current, "already picked up")
    old_priority = current.priority
    changed = reaction.priority != old_priority
    if changed and not reaction.reason:
        return ChangeResult(Outcome.INVALID, current, "a changed priority needs a reason")
    values: dict[str, Any] = {}
    facts: list[tuple[str, dict[str, Any]]] = []
    if current.owner_id is None:
        values.update(owner_id=agent_id, owner_name=agent_name, treatment_line=agent_line)
        if current.status == TicketStatus.NEW:
            values["status"] = TicketStatus.PICKED_UP
        if current.first_response_at is None:
            values["first_response_at"] = now  # as "Oppakken" does
        facts.append((ev.ACKNOWLEDGED, {"agent_name": agent_name, "note": None}))
    if changed:
        values.update(_priority_values(reaction.priority))
        facts.append(_priority_change(old_priority, reaction.priority, reaction.reason, agent_name))
    facts.append(
        (ev.REACTION, {"priority": reaction.priority, "next_step": reaction.next_step, "text": reaction.text, "agent_name": agent_name})
    )
    ticket = await _compare_and_set(session, ticket_id=ticket_id, seen_version=current.version, statuses=OPEN_STATUSES, values=values)
    if ticket is None:
        return await _why_not(session, ticket_id, kind=ev.REACTION, actor_id=agent_id, seen_version=seen_version, statuses=OPEN_STATUSES)
    events = await _record(session, ticket, policy, facts=facts, now=now, actor_id=agent_id, seen_version=seen_version)
    await notify.reporter(
        session, ticket, now,
        {
            "kind": Kind.REACTION, "agent_name": agent_name, "priority": reaction.priority,
            "from": old_priority if changed else None, "reason": reaction.reason if changed else None,
            "next_step": reaction.next_step, "text": reaction.text,
        },
        followers=False,  # the reaction may speak to the reporter alone ("ik bel je om 10:00")
    )
    if changed:
        await notify.regie_of_p1(session, ticket, now, old_priority=old_priority, reason=reaction.reason, by=agent_name)
    return ChangeResult(Outcome.DONE, ticket, events=events)


def _call(reached: bool, note: str | None, agent_name: str) -> tuple[str, dict[str, Any]]:
    return ev.CALL_REGISTERED, {"reached": reached, "note": note, "agent_name": agent_name}


async def register_call(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    reached: bool | None, note: str | None, seen_version: int | None,
) -> ChangeResult:
    """"Gebeld": the agent phoned the reporter, reached or not. Not reached: the reporter reads
    that we tried, so they can call back or keep the phone at hand."""
    if reached is None:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "reached not answered")
    kind, data = _call(reached, note, agent_name)
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=OPEN_STATUSES, values={}, kind=kind, data=data,
        tell=None if reached else {"kind": Kind.CALL_MISSED, "agent_name": agent_name}, followers=False,
    )


async def set_agreed_date(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    agreed: date | None, seen_version: int | None,
) -> ChangeResult:
    """P4 "updates op afgesproken datum": the date agreed with the reporter, told to them with the
    moment the update is due. Only where the policy's update cadence is the agreed date."""
    current = await get_ticket(session, ticket_id)
    if current is None:
        return ChangeResult(Outcome.NOT_FOUND, None)
    if agreed is None or not _ahead(policy, now, agreed):
        return ChangeResult(Outcome.INVALID, current, "no date, or a date in the past or too far ahead")
    if policy.terms(current.priority).update_cadence != "agreed_date":
        return ChangeResult(Outcome.INVALID, current, f"{current.priority} has no agreed update date")
    return await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=OPEN_STATUSES, values={"agreed_date": agreed}, kind=ev.AGREED_DATE_SET,
        data={"date": agreed.isoformat(), "agent_name": agent_name},
        tell={"kind": Kind.AGREED_DATE, "date": agreed.isoformat()}, followers=False,
    )


# --- the facts the other clocks need ----------------------------------------------------------
#
# Each is an event the card records (sla/events.py names them); which clock it starts or stops and
# what is due when is the SLA fold's. These functions only keep the facts consistent: a loaner
# can be delivered only when one was needed, a data breach registered with the authority only
# when there is one, and so on.


async def _record_fact(
    session: AsyncSession, policy: Policy, *, now: datetime, ticket_id: int, agent_id: str, seen_version: int | None,
    statuses: Sequence[str], refused: Callable[[Recorded, TicketClocks], str | None], kind: str, data: dict[str, Any],
    values: dict[str, Any] | None = None, tell: dict[str, Any] | None = None, due_clock: str | None = None,
) -> ChangeResult:
    """One fact from the card: refused (INVALID, with the reason ``refused`` gives) when what the
    ticket's log holds (the SLA fold at ``now``) does not allow it, else recorded as every
    servicedesk action is (``_transition``). The check reads the ticket at the version the card
    was drawn at, so the compare-and-set on that version makes check and change one step.
    ``tell`` goes to the reporter, with the due moment of ``due_clock`` when the fact started it."""
    current = await session.get(Ticket, ticket_id, populate_existing=True)
    if current is None:
        return ChangeResult(Outcome.NOT_FOUND, None)
    if seen_version is not None and current.version != seen_version:
        return await _why_not(session, ticket_id, kind=kind, actor_id=agent_id, seen_version=seen_version, statuses=statuses)
    if current.status not in statuses:
        return ChangeResult(Outcome.INVALID, current, f"status {current.status}")
    clocks = fold(policy, await load_events(session, ticket_id), now=now)
    why = refused(clocks.recorded, clocks)
    if why:
        return ChangeResult(Outcome.INVALID, current, why)
    result = await _transition(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=current.version,
        statuses=statuses, values=values or {}, kind=kind, data=data, tell=None,
    )
    if result.outcome is Outcome.DONE and tell is not None:
        due = fold(policy, result.events, now=now).due(due_clock) if due_clock else None
        await notify.reporter(
            session, result.ticket, now, {**tell, "due": due.isoformat() if due else None}, followers=False
        )
    return result


DEVICE_HOW = ("swap", "loaner", "virtual")


def _once(state: str | None, what: str) -> str | None:
    """A fact that starts a clock: once per ticket (the fold keeps the first)."""
    return f"{what} was already registered" if state is not None else None


def _ends(started: bool, ended: bool, *, what: str) -> str | None:
    """A fact that ends what another started: refused before the start and after the end."""
    if not started:
        return f"no {what} was started"
    return f"{what} already ended" if ended else None


async def need_device_fallback(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    note: str | None, seen_version: int | None,
) -> ChangeResult:
    """"Leentoestel nodig" (PvE §10.1.5): the employee needs a working device; the reporter is
    told by when they will have one."""
    return await _record_fact(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=OPEN_STATUSES, refused=lambda facts, clocks: _once(facts.device_fallback, "a device fallback"),
        kind=ev.DEVICE_FALLBACK_NEEDED, data={"note": note, "agent_name": agent_name},
        tell={"kind": Kind.DEVICE_FALLBACK_NEEDED}, due_clock=DEVICE_FALLBACK,
    )


async def device_fallback_done(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    how: str | None, note: str | None, seen_version: int | None,
) -> ChangeResult:
    """"Toestel geleverd": the employee has a working device again: a swap, a loaner or a virtual
    workplace."""
    if how not in DEVICE_HOW:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "how the device came is not one of " + "/".join(DEVICE_HOW))
    return await _record_fact(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=ALL_STATUSES,
        refused=lambda facts, clocks: _ends(facts.device_fallback is not None, facts.device_fallback != NEEDED, what="device fallback"),
        kind=ev.DEVICE_FALLBACK_DONE, data={"how": how, "note": note, "agent_name": agent_name},
        tell={"kind": Kind.DEVICE_FALLBACK_DONE, "how": how},
    )


async def need_onsite(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    location: str | None, note: str | None, seen_version: int | None,
) -> ChangeResult:
    """"Monteur op locatie nodig" (PvE §10.1.3): an engineer must come; the reporter is told where
    and by when."""
    return await _record_fact(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=OPEN_STATUSES, refused=lambda facts, clocks: _once(facts.onsite, "an engineer on site"),
        kind=ev.ONSITE_NEEDED, data={"location": location, "note": note, "agent_name": agent_name},
        tell={"kind": Kind.ONSITE_NEEDED, "location": location}, due_clock=ONSITE,
    )


async def onsite_done(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    note: str | None, seen_version: int | None,
) -> ChangeResult:
    """"Monteur is ter plaatse": the engineer arrived (the reporter sees them; no message)."""
    return await _record_fact(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=ALL_STATUSES,
        refused=lambda facts, clocks: _ends(facts.onsite is not None, facts.onsite != NEEDED, what="engineer on site"),
        kind=ev.ONSITE_DONE, data={"note": note, "agent_name": agent_name},
    )


async def flag_security(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    kind: str | None, data_breach: bool | None, privacy_officers: Iterable[str], seen_version: int | None,
) -> ChangeResult:
    """"Beveiligingsincident": the ticket is (also) a security incident of ``kind``, a data breach
    or not; the assessment may change later. A data breach is told to the privacy officer(s) and
    regie at once (the first time this ticket is one)."""
    if kind not in SECURITY_KINDS or data_breach is None:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "kind and data breach are required")

    def refused(facts: Recorded, clocks: TicketClocks) -> str | None:
        if clocks.data_breach and not data_breach:
            return "a data breach stays one (the privacy officer decides on the report)"
        return "already flagged so" if (facts.security_kind, clocks.data_breach) == (kind, data_breach) else None

    result = await _record_fact(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=OPEN_STATUSES, refused=refused, kind=ev.SECURITY_FLAGGED,
        data={"kind": kind, "data_breach": data_breach, "agent_name": agent_name},
    )
    if result.outcome is Outcome.DONE and data_breach:
        await notify.data_breach(session, result.ticket, now, privacy_officers)
    return result


async def contain(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    note: str | None, seen_version: int | None,
) -> ChangeResult:
    """"Ingedamd" (annex "Containment"): the security incident is bounded; what was done."""
    if not note:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "no description of the containment")
    return await _record_fact(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version, statuses=ALL_STATUSES,
        refused=lambda facts, clocks: _ends(clocks.security_incident, facts.contained, what="security incident"),
        kind=ev.CONTAINED, data={"note": note, "agent_name": agent_name},
    )


async def report_data_breach(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    note: str | None, seen_version: int | None,
) -> ChangeResult:
    """"Gemeld bij AP": the data breach was reported to the Autoriteit Persoonsgegevens."""
    return await _record_fact(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version, statuses=ALL_STATUSES,
        refused=lambda facts, clocks: _ends(clocks.data_breach, facts.breach_reported, what="data breach"),
        kind=ev.DATA_BREACH_REPORTED, data={"note": note, "agent_name": agent_name},
    )


async def declare_major(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    title: str | None, seen_version: int | None,
) -> ChangeResult:
    """"Major incident" (annex): the servicedesk declares it, with a title; regie hears at once.
    Other reports can then be linked to it."""
    if not title:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "no title")
    result = await _record_fact(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=OPEN_STATUSES, refused=lambda facts, clocks: "already declared" if facts.major_title else None,
        kind=ev.MAJOR_DECLARED, data={"title": title, "agent_name": agent_name}, values={"major_incident": True},
    )
    if result.outcome is Outcome.DONE:
        await outbox.enqueue(
            session, dedup_key=f"ticket:{ticket_id}:major", target=outbox.Target.channel("regie"),
            payload={"kind": Kind.REGIE_MAJOR, "ticket_id": ticket_id, "title": title, "by": agent_name}, now=now,
            ticket_id=ticket_id,
        )
    return result


async def link_to_major(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    major_id: int | None, seen_version: int | None,
) -> ChangeResult:
    """"Koppelen aan major incident": this report belongs to the major incident ``major_id``. The
    major incident's log records the link (TICKET_LINKED); this ticket remembers it
    (``linked_to_ticket_id``), and its reporter follows the major incident's updates from now on.
    Both cards are redrawn."""
    current = await session.get(Ticket, ticket_id, populate_existing=True)
    if current is None:
        return ChangeResult(Outcome.NOT_FOUND, None)
    if seen_version is not None and current.version != seen_version:
        return await _why_not(session, ticket_id, kind=ev.TICKET_LINKED, actor_id=agent_id, seen_version=seen_version, statuses=OPEN_STATUSES)
    major = await session.get(Ticket, major_id, populate_existing=True) if major_id is not None else None
    if major is None or major.id == ticket_id or major.status not in OPEN_STATUSES:
        return ChangeResult(Outcome.INVALID, current, "no open major incident with that number")
    if not fold(policy, await load_events(session, major.id), now=now).recorded.major_title:
        return ChangeResult(Outcome.INVALID, current, "that ticket is not a declared major incident")
    if current.linked_to_ticket_id is not None or current.status not in OPEN_STATUSES:
        return ChangeResult(Outcome.INVALID, current, "already linked, or not open")
    ticket = await _compare_and_set(
        session, ticket_id=ticket_id, seen_version=current.version, statuses=OPEN_STATUSES,
        values={"linked_to_ticket_id": major.id},
    )
    if ticket is None:
        return await _why_not(session, ticket_id, kind=ev.TICKET_LINKED, actor_id=agent_id, seen_version=seen_version, statuses=OPEN_STATUSES)
    # The major incident was open a moment ago; resolved since, the link is still true. Its card
    # changes (a new version), whatever its status now.
    major = await _compare_and_set(session, ticket_id=major.id, seen_version=None, statuses=ALL_STATUSES, values={})
    events = await _refresh_due(session, ticket, policy)
    await _card_changed(session, ticket, now)
    await _record(
        session, major, policy, facts=[(ev.TICKET_LINKED, {"ticket": ticket_label(ticket.id), "agent_name": agent_name})],
        now=now, actor_id=agent_id, seen_version=None,
    )
    await session.execute(
        _FOLLOW, {"ticket_id": major.id, "user_id": ticket.reporter_id, "user_name": ticket.reporter_name, "linked_at": now}
    )
    await notify.reporter(session, ticket, now, {"kind": Kind.LINKED_TO_MAJOR, "major": ticket_label(major.id)}, followers=False)
    return ChangeResult(Outcome.DONE, ticket, events=events)


# The reporter of a linked ticket follows the major incident (known-outage followers, storage.employee);
# a second link of the same person adds nothing. Their own description stays on their own ticket.
_FOLLOW = insert_unless_exists(
    TicketFollower.__table__, ("ticket_id", "user_id", "user_name", "linked_at"), ("ticket_id", "user_id")
)


async def share_rca(
    session: AsyncSession, *, policy: Policy, now: datetime, ticket_id: int, agent_id: str, agent_name: str,
    summary: str | None, link: str | None, seen_version: int | None,
) -> ChangeResult:
    """"RCA gedeeld" (annex T2: "RCA/leerpunten gedocumenteerd en gedeeld", ≤ 10 working days after
    closure): after a major incident is resolved, its root-cause analysis goes to regie."""
    if not summary:
        return ChangeResult(Outcome.INVALID, await get_ticket(session, ticket_id), "no summary")

    result = await _record_fact(
        session, policy, now=now, ticket_id=ticket_id, agent_id=agent_id, seen_version=seen_version,
        statuses=(TicketStatus.RESOLVED, TicketStatus.CLOSED),
        refused=lambda facts, clocks: _ends(bool(facts.major_title), facts.rca_shared, what="major incident's RCA"),
        kind=ev.RCA_SHARED,
        data={"summary": summary, "link": link, "agent_name": agent_name},
    )
    if result.outcome is Outcome.DONE:
        await outbox.enqueue(
            session, dedup_key=f"ticket:{ticket_id}:rca", target=outbox.Target.channel("regie"),
            payload={"kind": Kind.REGIE_RCA, "ticket_id": ticket_id, "summary": summary, "link": link, "by": agent_name},
            now=now, ticket_id=ticket_id,
        )
    return result
