"""Who hears of a ticket's change, written to the outbox in the change's own transaction.

Each message has a dedup key that names its cause (the ticket's version), so a retried change
queues nothing twice. What the messages say is drawn when they are sent (``bot.delivery``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox
from storage.models import Ticket, TicketFollower
from storage.outbox import Kind


async def reporter(session: AsyncSession, ticket: Ticket, now: datetime, payload: dict[str, Any], *, followers: bool = True) -> None:
    """A message to the reporter (and to employees who follow the ticket), once per version."""
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


async def regie_of_p1(session: AsyncSession, ticket: Ticket, now: datetime, *, old_priority: str, reason: str | None, by: str) -> None:
    """Regie hears of every P1 at once: one notice that says the change and what is already late."""
    if ticket.priority != "P1":
        return
    await outbox.enqueue(
        session,
        dedup_key=f"ticket:{ticket.id}:v{ticket.version}:regie:p1",
        target=outbox.Target.channel("regie"),
        payload={"kind": Kind.REGIE_NEW_P1, "ticket_id": ticket.id, "changed_from": old_priority, "reason": reason, "by": by},
        op=outbox.SEND_CARD,
        now=now,
        ticket_id=ticket.id,
    )


async def data_breach(session: AsyncSession, ticket: Ticket, now: datetime, privacy_officers: Iterable[str]) -> None:
    """A data breach is told at once, once per ticket: to regie in its channel (always reachable)
    and to each privacy officer personally, who decides on the report to the authority (AVG art.
    33: within 72 hours)."""
    payload = {"kind": Kind.DATA_BREACH, "ticket_id": ticket.id}
    key = f"ticket:{ticket.id}:data_breach"
    await outbox.enqueue_many(
        session,
        [outbox.Intent(key, outbox.Target.channel("regie"), payload, ticket_id=ticket.id)]
        + [
            outbox.Intent(f"{key}:{officer}", outbox.Target.user(officer), payload, ticket_id=ticket.id)
            for officer in sorted(privacy_officers)
        ],
        now=now,
    )
