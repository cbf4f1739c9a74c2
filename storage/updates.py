"""Status updates and feedback questions owed to reporters.

A status update says the status, the servicedesk's latest note (if any) and when the next
update comes. When the servicedesk wrote nothing since the previous update, the reporter gets a
short holding message and the servicedesk card is flagged "update te laat", so the promise to the
reporter holds and the servicedesk sees that it slipped.

After stabilisation or resolution the reporter is asked whether they can work again (MTTP); at
resolution also for a CSAT score, once per resolution (a reopen allows a new score).

Every function runs inside the caller's transaction; the compare-and-set on ``next_update_due``
and the outbox dedup keys make each message happen once, whatever number of replicas sweep.
"""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sla import events as ev
from sla.policy import Policy
from storage import outbox
from storage.models import Ticket, TicketEventRow, TicketFollower
from sla.deadlines import deadlines_from_events
from sla.events import TicketEvent
from storage.tickets import OPEN_STATUSES

AGENT_NOTE_KINDS = (ev.ACKNOWLEDGED, ev.AGENT_UPDATE, ev.WORKAROUND)


def latest_agent_note(rows: Sequence[TicketEventRow]) -> tuple[str | None, bool]:
    """The servicedesk's latest note, and whether it came after the previous status update."""
    note: str | None = None
    fresh = False
    for row in rows:
        if row.kind in AGENT_NOTE_KINDS:
            text = (row.data or {}).get("text") or (row.data or {}).get("note")
            if text:
                note, fresh = text, True
        elif row.kind == ev.STATUS_UPDATE_SENT:
            fresh = False
    return note, fresh


async def due_for_status_update(session: AsyncSession, *, now: datetime, limit: int = 500) -> list[Ticket]:
    """Open tickets whose next update is due; served by ``ix_tickets_next_update_due``.

    On PostgreSQL the rows are locked with SKIP LOCKED: replicas sweeping at the same moment
    split the due tickets between them instead of queueing behind each other's locks.
    """
    query = (
        select(Ticket)
        .where(Ticket.next_update_due.is_not(None), Ticket.next_update_due <= now)
        .order_by(Ticket.next_update_due)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list((await session.execute(query)).scalars())


async def send_due_update(session: AsyncSession, *, policy: Policy, now: datetime, ticket: Ticket) -> bool:
    """Queue the due status update for one ticket (and its followers), exactly once."""
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
        return False  # another sweep (replica) took it
    await session.refresh(ticket)  # the row may have changed since the sweep read it
    rows = list(
        (
            await session.execute(
                select(TicketEventRow).where(TicketEventRow.ticket_id == ticket.id).order_by(TicketEventRow.id)
            )
        ).scalars()
    )
    note, fresh = latest_agent_note(rows)
    holding = not fresh
    sent = TicketEventRow(
        ticket_id=ticket.id, kind=ev.STATUS_UPDATE_SENT, at=due, actor_id=None, data={"due": due.isoformat(), "holding": holding}
    )
    session.add(sent)
    if holding and not ticket.update_overdue:
        ticket.update_overdue = True
        ticket.version += 1
        await outbox.enqueue(
            session,
            dedup_key=f"ticket:{ticket.id}:v{ticket.version}:card",
            target=outbox.Target.channel("servicedesk"),
            payload={"kind": "ticket_card", "ticket_id": ticket.id},
            op=outbox.UPDATE_CARD,
            now=now,
            ticket_id=ticket.id,
        )
    # The log just read plus the new event: no second read to recompute the due times.
    history = [TicketEvent(kind=row.kind, at=row.at, data=row.data or {}) for row in rows + [sent]]
    ticket.next_update_due = deadlines_from_events(policy, history).next_update_due
    payload = {"kind": "status_update", "ticket_id": ticket.id, "due": due.isoformat(), "holding": holding, "note": note}
    recipients = [ticket.reporter_id] + [
        follower.user_id
        for follower in (
            await session.execute(select(TicketFollower).where(TicketFollower.ticket_id == ticket.id))
        ).scalars()
    ]
    for user_id in recipients:
        await outbox.enqueue(
            session,
            dedup_key=f"ticket:{ticket.id}:status:{due.isoformat()}:{user_id}",
            target=outbox.Target.user(user_id),
            payload=payload,
            now=now,
            ticket_id=ticket.id,
        )
    return True


async def queue_feedback_questions(
    session: AsyncSession, *, ticket: Ticket, event_kind: str, cause: str, now: datetime
) -> None:
    """Queue the questions a workaround or resolution owes the reporter, in the same transaction.

    ``cause`` names the causing event uniquely (e.g. "resolved:v7"), so a retried action
    queues nothing twice. After a workaround: MTTP only; after a resolution: MTTP (unless the
    reporter already said they can work again) and CSAT.
    """
    if not await _has_event(session, ticket.id, ev.PRODUCTIVE_AGAIN):
        await outbox.enqueue(
            session,
            dedup_key=f"ticket:{ticket.id}:feedback:mttp:{cause}",
            target=outbox.Target.user(ticket.reporter_id),
            payload={"kind": "mttp_question", "ticket_id": ticket.id},
            now=now,
            ticket_id=ticket.id,
        )
    if event_kind == ev.RESOLVED:
        await outbox.enqueue(
            session,
            dedup_key=f"ticket:{ticket.id}:feedback:csat:{cause}",
            target=outbox.Target.user(ticket.reporter_id),
            payload={"kind": "csat_question", "ticket_id": ticket.id},
            now=now,
            ticket_id=ticket.id,
        )


async def _has_event(session: AsyncSession, ticket_id: int, kind: str) -> bool:
    query = select(TicketEventRow.id).where(TicketEventRow.ticket_id == ticket_id, TicketEventRow.kind == kind)
    return (await session.execute(query.limit(1))).first() is not None
