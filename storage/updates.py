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

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sla import events as ev
from sla.policy import Policy
from storage import outbox
from storage.models import Ticket, TicketEventRow, TicketFollower
from sla.deadlines import deadlines_from_events
from sla.events import TicketEvent
from storage.tickets import OPEN_STATUSES

AGENT_NOTE_KINDS = (ev.ACKNOWLEDGED, ev.AGENT_UPDATE, ev.WORKAROUND)


def latest_agent_note(history: Sequence[TicketEvent]) -> tuple[str | None, bool]:
    """The servicedesk's latest note, and whether it came after the previous status update."""
    note: str | None = None
    fresh = False
    for row in history:
        if row.kind in AGENT_NOTE_KINDS:
            text = (row.data or {}).get("text") or (row.data or {}).get("note")
            if text:
                note, fresh = text, True
        elif row.kind == ev.STATUS_UPDATE_SENT:
            fresh = False
    return note, fresh


async def send_due_updates(session: AsyncSession, *, policy: Policy, now: datetime, limit: int = 1000) -> int:
    """Queue every status update due now (up to ``limit``), set-based; returns how many.

    Each due ticket is claimed by a row lock (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
    replicas sweeping at once split the work; SQLite runs one instance) and by a compare-and-set
    on ``next_update_due``. A handful of statements serve the whole batch: the due tickets, their
    event logs and followers are read once; the new events, outbox messages and due times are
    written in bulk. Served by ``ix_tickets_next_update_due``.
    """
    due_rows = (
        await session.execute(
            select(Ticket.id, Ticket.next_update_due, Ticket.reporter_id, Ticket.update_overdue, Ticket.version)
            .where(Ticket.next_update_due.is_not(None), Ticket.next_update_due <= now, Ticket.status.in_(OPEN_STATUSES))
            # A reporter outside Teams (an incident imported from the supplier's ticket system):
            # the bot cannot reach them, so it records no holding message it never sent.
            .where(Ticket.reporter_id != "")
            .order_by(Ticket.next_update_due)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()
    if not due_rows:
        return 0
    ids = [row.id for row in due_rows]
    histories: dict[int, list[TicketEvent]] = {ticket_id: [] for ticket_id in ids}
    for ticket_id, kind, at, data in await session.execute(
        select(TicketEventRow.ticket_id, TicketEventRow.kind, TicketEventRow.at, TicketEventRow.data)
        .where(TicketEventRow.ticket_id.in_(ids))
        .order_by(TicketEventRow.ticket_id, TicketEventRow.id)
    ):
        histories[ticket_id].append(TicketEvent(kind=kind, at=at, data=data or {}))
    followers: dict[int, list[str]] = {}
    for ticket_id, user_id in await session.execute(
        select(TicketFollower.ticket_id, TicketFollower.user_id).where(TicketFollower.ticket_id.in_(ids))
    ):
        followers.setdefault(ticket_id, []).append(user_id)

    new_events: list[dict] = []
    intents: list[outbox.Intent] = []
    changes: list[dict] = []
    for row in due_rows:
        due = row.next_update_due
        note, fresh = latest_agent_note(histories[row.id])
        holding = not fresh
        sent = TicketEvent(kind=ev.STATUS_UPDATE_SENT, at=due, data={"due": due.isoformat(), "holding": holding})
        new_events.append({"ticket_id": row.id, "kind": sent.kind, "at": due, "actor_id": None, "data": dict(sent.data)})
        next_due = deadlines_from_events(policy, histories[row.id] + [sent]).next_update_due
        flag = holding and not row.update_overdue
        version = row.version + 1 if flag else row.version
        changes.append(
            {"b_id": row.id, "b_old_due": due, "next_due": next_due, "overdue": row.update_overdue or flag, "new_version": version}
        )
        if flag:
            intents.append(outbox.card_redraw(row.id, version))
        payload = {"kind": "status_update", "ticket_id": row.id, "due": due.isoformat(), "holding": holding, "note": note}
        for user_id in [row.reporter_id, *followers.get(row.id, [])]:
            intents.append(
                outbox.Intent(
                    dedup_key=f"ticket:{row.id}:status:{due.isoformat()}:{user_id}",
                    target=outbox.Target.user(user_id),
                    payload=payload,
                    ticket_id=row.id,
                )
            )
    table = Ticket.__table__
    claimed = await session.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.next_update_due == bindparam("b_old_due"))
        .values(next_update_due=bindparam("next_due"), update_overdue=bindparam("overdue"), version=bindparam("new_version")),
        changes,
    )
    if claimed.supports_sane_multi_rowcount() and claimed.rowcount != len(changes):
        # Only possible if something bypassed the row locks; roll back rather than send twice.
        raise RuntimeError("due tickets changed during the sweep; rolled back, the next sweep retries")
    await session.execute(TicketEventRow.__table__.insert(), new_events)
    await outbox.enqueue_many(session, intents, now=now)
    return len(due_rows)


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
