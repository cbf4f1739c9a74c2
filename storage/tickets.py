"""The ticket lifecycle: every change appends events, refreshes the due-time cache and writes the
messages it causes to the outbox, all in the caller's transaction.

Changes that people race for (acknowledging, sending a due status update) are compare-and-set
updates on the ticket row: of 50 simultaneous clicks exactly one matches, on SQLite and PostgreSQL
alike, and only that one writes events and messages.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sla import events as ev
from sla.deadlines import deadlines_from_events
from sla.events import TicketEvent
from sla.policy import Policy
from sla.priority import PriorityDecision
from storage import outbox
from storage.models import Ticket, TicketEventRow

OPEN_STATUSES = ("nieuw", "opgepakt", "wacht_op_derde")


def ticket_label(ticket_id: int) -> str:
    """The number people see and type: "M-1042"."""
    return f"M-{ticket_id}"


def parse_ticket_label(text: str) -> int | None:
    cleaned = text.strip().upper().removeprefix("M-").removeprefix("M").removeprefix("#").strip()
    return int(cleaned) if cleaned.isdigit() else None


async def load_events(session: AsyncSession, ticket_id: int) -> list[TicketEvent]:
    rows = await session.execute(
        select(TicketEventRow).where(TicketEventRow.ticket_id == ticket_id).order_by(TicketEventRow.id)
    )
    return [TicketEvent(kind=row.kind, at=row.at, data=row.data or {}) for row in rows.scalars()]


async def _append(
    session: AsyncSession, *, ticket_id: int, kind: str, at: datetime, actor_id: str | None, data: dict[str, Any]
) -> None:
    session.add(TicketEventRow(ticket_id=ticket_id, kind=kind, at=at, actor_id=actor_id, data=data))


async def _refresh_due(session: AsyncSession, ticket: Ticket, policy: Policy) -> None:
    """Recompute the cached due times from the full event log (the log is the truth)."""
    await session.flush()
    events = await load_events(session, ticket.id)
    due = deadlines_from_events(policy, events)
    ticket.first_response_due = due.first_response_due
    ticket.resolution_due = due.resolution_due
    ticket.definitive_resolution_due = due.definitive_resolution_due
    ticket.next_update_due = due.next_update_due if ticket.status in OPEN_STATUSES else None


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
) -> Ticket:
    """Store a new ticket, its REPORTED event (with ``details`` such as the intake answers) and
    the messages it causes: the servicedesk card, and for P1 the regie notice."""
    ticket = Ticket(
        reporter_id=reporter_id,
        reporter_name=reporter_name,
        category=category,
        scope=scope,
        description=description,
        priority=decision.priority,
        uplift=decision.uplift,
        uplift_motivation=motivation,
        priority_reasons={"reasons": list(decision.reasons)},
        phone=phone,
        status="nieuw",
        opened_at=now,
        version=1,
        major_incident=major_incident,
    )
    session.add(ticket)
    await session.flush()
    await _append(
        session,
        ticket_id=ticket.id,
        kind=ev.REPORTED,
        at=now,
        actor_id=reporter_id,
        data={
            "ticket": ticket_label(ticket.id),
            "priority": decision.priority,
            "uplift": decision.uplift,
            "motivation": motivation,
            "category": category,
            "scope": scope,
            "reasons": list(decision.reasons),
            "major_incident": major_incident,
            **(details or {}),
        },
    )
    await _refresh_due(session, ticket, policy)
    await outbox.enqueue(
        session,
        dedup_key=f"ticket:{ticket.id}:card",
        target=outbox.Target.channel("servicedesk"),
        payload={"kind": "ticket_card", "ticket_id": ticket.id},
        op=outbox.SEND_CARD,
        now=now,
        ticket_id=ticket.id,
    )
    if decision.priority == "P1":
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
    ALREADY = "already"  # someone did it first; nothing changed
    STALE = "stale"  # the card was drawn at an older version
    NOT_FOUND = "not_found"
    NOT_ALLOWED = "not_allowed"


@dataclass(frozen=True)
class ChangeResult:
    outcome: Outcome
    ticket: Ticket | None


async def get_ticket(session: AsyncSession, ticket_id: int) -> Ticket | None:
    return await session.get(Ticket, ticket_id)


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
    conditions = [Ticket.id == ticket_id, Ticket.first_response_at.is_(None), Ticket.status == "nieuw"]
    if seen_version is not None:
        conditions.append(Ticket.version == seen_version)
    result = await session.execute(
        update(Ticket)
        .where(*conditions)
        .values(
            first_response_at=now,
            owner_id=agent_id,
            owner_name=agent_name,
            status="opgepakt",
            version=Ticket.version + 1,
        )
        .execution_options(synchronize_session=False)
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
        data={"agent_id": agent_id, "agent_name": agent_name, "note": note},
    )
    await _refresh_due(session, ticket, policy)
    await outbox.enqueue(
        session,
        dedup_key=f"ticket:{ticket_id}:v{ticket.version}:card",
        target=outbox.Target.channel("servicedesk"),
        payload={"kind": "ticket_card", "ticket_id": ticket_id},
        op=outbox.UPDATE_CARD,
        now=now,
        ticket_id=ticket_id,
    )
    await outbox.enqueue(
        session,
        dedup_key=f"ticket:{ticket_id}:acknowledged:reporter",
        target=outbox.Target.user(ticket.reporter_id),
        payload={"kind": "acknowledged", "ticket_id": ticket_id, "agent_name": agent_name, "note": note},
        now=now,
        ticket_id=ticket_id,
    )
    return ChangeResult(Outcome.DONE, ticket)


async def due_for_status_update(session: AsyncSession, *, now: datetime, limit: int = 200) -> Sequence[Ticket]:
    query = (
        select(Ticket)
        .where(Ticket.next_update_due.is_not(None), Ticket.next_update_due <= now)
        .order_by(Ticket.next_update_due)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def send_status_update(session: AsyncSession, *, policy: Policy, now: datetime, ticket: Ticket) -> bool:
    """Queue the due status update for one ticket, once, even if replicas race for it.

    The update is claimed by moving ``next_update_due`` only if it still holds the value this
    sweep saw; a second sweep sees the new value and does nothing.
    """
    due = ticket.next_update_due
    if due is None or ticket.status not in OPEN_STATUSES:
        return False
    claimed = await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.next_update_due == due)
        .values(next_update_due=None)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    await session.refresh(ticket)
    await _append(
        session,
        ticket_id=ticket.id,
        kind=ev.STATUS_UPDATE_SENT,
        at=due,
        actor_id=None,
        data={"due": due.isoformat()},
    )
    await _refresh_due(session, ticket, policy)
    await outbox.enqueue(
        session,
        dedup_key=f"ticket:{ticket.id}:status:{due.isoformat()}",
        target=outbox.Target.user(ticket.reporter_id),
        payload={"kind": "status_update", "ticket_id": ticket.id, "due": due.isoformat()},
        now=now,
        ticket_id=ticket.id,
    )
    return True


async def open_tickets_of(session: AsyncSession, *, reporter_id: str) -> Sequence[Ticket]:
    query = (
        select(Ticket)
        .where(Ticket.reporter_id == reporter_id, Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.id)
    )
    return list((await session.execute(query)).scalars())
