"""Reading tickets: one ticket, its event log (the input of every deadline), a reporter's open ones."""

from __future__ import annotations

from typing import Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from sla.events import TicketEvent
from sla.status import OPEN_STATUSES
from storage.models import Ticket, TicketEventRow

_EVENTS = TicketEventRow.__table__
_EVENTS_OF = (
    select(_EVENTS.c.kind, _EVENTS.c.at, _EVENTS.c.data)
    .where(_EVENTS.c.ticket_id == bindparam("ticket_id"))
    .order_by(_EVENTS.c.id)
)


async def load_events(session: AsyncSession, ticket_id: int) -> list[TicketEvent]:
    """A ticket's log in order: the input of every deadline."""
    rows = await session.execute(_EVENTS_OF, {"ticket_id": ticket_id})
    return [TicketEvent(kind=kind, at=at, data=data or {}) for kind, at, data in rows]


async def get_ticket(session: AsyncSession, ticket_id: int) -> Ticket | None:
    return await session.get(Ticket, ticket_id)


async def open_tickets_of(session: AsyncSession, *, reporter_id: str) -> Sequence[Ticket]:
    query = (
        select(Ticket)
        .where(Ticket.reporter_id == reporter_id, Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.id)
    )
    return list((await session.execute(query)).scalars())
