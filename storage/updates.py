"""Status updates and feedback questions owed to reporters.

The servicedesk keeps the reporter informed by writing (an update, a reaction, a status change
they are told of); each of those goes out at once and restarts the cadence (``sla.fold``). When a
promised moment comes without one, the sweep sends the bot's own holding message ("er is nog geen
nieuws") and flags the servicedesk card "update te laat", so the reporter is not left in silence
and the servicedesk sees that it slipped. The holding message is never the supplier's update: it
is recorded as HOLDING_SENT at the moment Teams accepted it (``record_sent``, called by the
delivery) and counted apart. After a gap (the bot was down) one holding message goes out, and the
next promised moment it names is always in the future.

After stabilisation or resolution the reporter is asked whether they can work again (MTTP); at
resolution also for a CSAT score, once per resolution (a reopen allows a new score).

Every function runs inside the caller's transaction; the compare-and-set on ``next_update_due``
and the outbox dedup keys make each message happen once, whatever number of replicas sweep.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, Sequence

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sla import events as ev
from sla.calendar import to_us
from sla.events import TicketEvent
from sla.fold import Wait, fold
from sla.policy import Policy
from sla.status import OPEN_STATUSES
from storage import outbox
from storage.models import Ticket, TicketEventRow, TicketFollower
from storage.outbox import Kind


# The servicedesk's messages to the reporter, and where their words are.
_MESSAGE_TEXT = {ev.AGENT_UPDATE: "text", ev.REACTION: "text", ev.ACKNOWLEDGED: "note"}


@dataclass(frozen=True)
class StatusNow:
    """What a status update tells the reporter at ``now``, read from the one fold."""

    wait: Wait | None  # the open "wacht op derde" (party, reason, expected day)
    news: str | None  # the servicedesk's newest message, only while nothing newer was told
    promise: datetime | None  # the next update this message promises: always after ``now``


def status_now(policy: Policy, events: Sequence[TicketEvent], *, now: datetime) -> StatusNow:
    """The content of a status update: the current wait, and the servicedesk's newest message only
    if it is still the newest thing the reporter heard (no status change, holding message or
    promised moment came after it): a note from before a gap or before a wait is old news."""
    clocks = fold(policy, events, now=now)
    updates = clocks.updates
    news = None
    message = next((e for e in reversed(events) if (e.data or {}).get(_MESSAGE_TEXT.get(e.kind, ""))), None)
    if message is not None:
        at, now_us = to_us(message.at), to_us(now)
        later = [*(u for u in updates.given_us if u > at), *(h for h in updates.holding_us if h > at)]
        missed = [m for m in updates.missed_us if at < m <= now_us]
        if not later and not missed:
            news = str(message.data[_MESSAGE_TEXT[message.kind]])
    return StatusNow(wait=clocks.open_wait, news=news, promise=updates.promise)


async def send_due_updates(session: AsyncSession, *, policy: Policy, now: datetime, limit: int = 1000) -> int:
    """Queue every holding message due now (up to ``limit``), set-based; returns how many due
    tickets were handled (a ticket someone wrote to since only gets its cache fixed).

    Each due ticket is claimed by a row lock (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
    replicas sweeping at once split the work; SQLite runs one instance) and by a compare-and-set
    on ``next_update_due``. A handful of statements serve the whole batch: the due tickets, their
    event logs and followers are read once; the outbox messages and due times are written in bulk.
    Served by ``ix_tickets_next_update_due``.
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

    intents: list[outbox.Intent] = []
    changes: list[dict] = []
    for row in due_rows:
        updates = fold(policy, histories[row.id], now=now).updates
        owed = updates.next_due
        if owed is None or owed > now:
            # Someone wrote since the cache was set: nothing is owed now, only the cache is fixed.
            changes.append(
                {"b_id": row.id, "b_old_due": row.next_update_due, "next_due": owed, "overdue": row.update_overdue, "new_version": row.version}
            )
            continue
        flag = not row.update_overdue
        version = row.version + 1 if flag else row.version
        changes.append(
            {"b_id": row.id, "b_old_due": row.next_update_due, "next_due": updates.promise, "overdue": True, "new_version": version}
        )
        if flag:
            intents.append(outbox.card_redraw(row.id, version))
        for user_id in [row.reporter_id, *followers.get(row.id, [])]:
            intents.append(
                outbox.Intent(
                    dedup_key=f"ticket:{row.id}:status:{owed.isoformat()}:{user_id}",
                    target=outbox.Target.user(user_id),
                    payload={
                        "kind": Kind.STATUS_UPDATE, "ticket_id": row.id, "due": owed.isoformat(), "holding": True,
                        # The reporter's copy records HOLDING_SENT when Teams accepts it (record_sent).
                        "to_reporter": user_id == row.reporter_id,
                    },
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
    await outbox.enqueue_many(session, intents, now=now)
    return len(due_rows)


async def record_sent(session: AsyncSession, *, payload: Mapping[str, Any], ticket_id: int | None, at: datetime) -> None:
    """The delivery's hook for a message Teams accepted: the reporter's holding message becomes
    HOLDING_SENT at that moment (``due``: the moment it was owed), in the delivery's transaction."""
    if payload.get("kind") != Kind.STATUS_UPDATE or not payload.get("to_reporter") or ticket_id is None:
        return
    await session.execute(
        TicketEventRow.__table__.insert(),
        {"ticket_id": ticket_id, "kind": ev.HOLDING_SENT, "at": at, "actor_id": None, "data": {"due": payload.get("due")}},
    )


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
            payload={"kind": Kind.MTTP_QUESTION, "ticket_id": ticket.id},
            now=now,
            ticket_id=ticket.id,
        )
    if event_kind == ev.RESOLVED:
        await outbox.enqueue(
            session,
            dedup_key=f"ticket:{ticket.id}:feedback:csat:{cause}",
            target=outbox.Target.user(ticket.reporter_id),
            payload={"kind": Kind.CSAT_QUESTION, "ticket_id": ticket.id},
            now=now,
            ticket_id=ticket.id,
        )


async def _has_event(session: AsyncSession, ticket_id: int, kind: str) -> bool:
    query = select(TicketEventRow.id).where(TicketEventRow.ticket_id == ticket_id, TicketEventRow.kind == kind)
    return (await session.execute(query.limit(1))).first() is not None
