"""What the employee's conversation asks of the database, beyond creating a ticket.

- a known outage: an open broad-impact ticket in a category whose public title the servicedesk
  set, so a new report can follow it;
- following a ticket (``ticket_followers``) instead of opening a duplicate;
- the reporter adding information to an open ticket (an INFO_ADDED event, and the servicedesk
  card redrawn in place through the outbox, like ``storage.tickets.acknowledge`` does);
- photo and screenshot references kept with a ticket;
- how many tickets a reporter opened in the last hour (the abuse limit).

Every function works in the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Sequence

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sla import events as ev
from sla.status import OPEN_STATUSES
from storage import outbox
from storage.models import Ticket, TicketAttachment, TicketEventRow, TicketFollower

BROAD_PRIORITIES = ("P1", "P2")
BROAD_SCOPES = ("meerdere_teams", "iedereen")
MAX_ATTACHMENT_NAME = 300
MAX_INFO_TEXT = 4000


def may_be_known_outage(ticket: Ticket) -> bool:
    """Whether other employees may be offered to follow this ticket, once it has a public title."""
    return (
        ticket.status in OPEN_STATUSES
        and ticket.priority in BROAD_PRIORITIES
        and ticket.scope in BROAD_SCOPES
        and ticket.linked_to_ticket_id is None
    )


async def known_outage(session: AsyncSession, *, category: str, reporter_id: str) -> Ticket | None:
    """The most recent open P1/P2 ticket in ``category`` that hits several teams or everyone, has a
    public title (the only text of it another employee may read), and is not ``reporter_id``'s own."""
    query = (
        select(Ticket)
        .where(
            Ticket.category == category,
            Ticket.status.in_(OPEN_STATUSES),
            Ticket.priority.in_(BROAD_PRIORITIES),
            Ticket.scope.in_(BROAD_SCOPES),
            Ticket.linked_to_ticket_id.is_(None),
            Ticket.public_title.is_not(None),
            Ticket.reporter_id != reporter_id,
        )
        .order_by(Ticket.opened_at.desc(), Ticket.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalars().first()


async def follow(
    session: AsyncSession, *, ticket_id: int, user_id: str, user_name: str, description: str | None, now: datetime
) -> bool:
    """Make ``user_id`` a follower of the ticket. Returns False when they already followed it."""
    existing = await session.execute(
        select(TicketFollower.id).where(TicketFollower.ticket_id == ticket_id, TicketFollower.user_id == user_id)
    )
    if existing.first() is not None:
        return False
    session.add(
        TicketFollower(ticket_id=ticket_id, user_id=user_id, user_name=user_name, description=description, linked_at=now)
    )
    await session.flush()
    return True


async def followed_open_tickets(session: AsyncSession, *, user_id: str) -> Sequence[Ticket]:
    query = (
        select(Ticket)
        .join(TicketFollower, TicketFollower.ticket_id == Ticket.id)
        .where(TicketFollower.user_id == user_id, Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.id)
    )
    return list((await session.execute(query)).scalars())


async def is_follower(session: AsyncSession, *, ticket_id: int, user_id: str) -> bool:
    found = await session.execute(
        select(TicketFollower.id).where(TicketFollower.ticket_id == ticket_id, TicketFollower.user_id == user_id)
    )
    return found.first() is not None


def _clean_attachments(attachments: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    cleaned = []
    for item in attachments:
        url = str(item.get("content_url") or "").strip()
        if not url:
            continue
        cleaned.append(
            {
                "name": str(item.get("name") or "bijlage")[:MAX_ATTACHMENT_NAME],
                "content_type": str(item.get("content_type") or "application/octet-stream")[:100],
                "content_url": url,
            }
        )
    return cleaned


async def add_attachments(
    session: AsyncSession, *, ticket_id: int, attachments: Iterable[dict[str, Any]], added_by: str, now: datetime
) -> int:
    """Keep references (name, type, URL the servicedesk can open) to what the employee sent."""
    cleaned = _clean_attachments(attachments)
    for item in cleaned:
        session.add(TicketAttachment(ticket_id=ticket_id, added_at=now, added_by=added_by, **item))
    if cleaned:
        await session.flush()
    return len(cleaned)


async def add_information(
    session: AsyncSession,
    *,
    ticket_id: int,
    reporter_id: str,
    text: str | None,
    attachments: Iterable[dict[str, Any]] = (),
    now: datetime,
) -> Ticket | None:
    """The reporter adds information to their open ticket.

    Appends an INFO_ADDED event (``text``, ``attachments``: how many), stores the attachment
    references, bumps the ticket's version (the card changed) and queues the servicedesk card's
    update in place. Returns None when the ticket is not this reporter's or no longer open.
    """
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None or ticket.reporter_id != reporter_id or ticket.status not in OPEN_STATUSES:
        return None
    text = (text or "").strip()[:MAX_INFO_TEXT] or None
    count = await add_attachments(session, ticket_id=ticket_id, attachments=attachments, added_by=reporter_id, now=now)
    if text is None and count == 0:
        return None
    await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id)
        .values(version=Ticket.version + 1)
        .execution_options(synchronize_session=False)
    )
    event = TicketEventRow(
        ticket_id=ticket_id, kind=ev.INFO_ADDED, at=now, actor_id=reporter_id, data={"text": text, "attachments": count}
    )
    session.add(event)
    await session.flush()
    ticket = await session.get(Ticket, ticket_id, populate_existing=True)
    await outbox.redraw_card(session, ticket_id=ticket_id, version=f"info{event.id}", now=now)
    return ticket


_TICKET = Ticket.__table__.c
_REPORTED_SINCE = (
    select(_TICKET.opened_at)
    .where(_TICKET.reporter_id == bindparam("reporter_id"), _TICKET.opened_at > bindparam("since"))
    .order_by(_TICKET.opened_at)
)  # built once: every "ja" on the summary card runs it


async def tickets_reported_since(session: AsyncSession, *, reporter_id: str, since: datetime) -> list[datetime]:
    """When this reporter opened tickets after ``since`` (oldest first): for the hourly limit."""
    return list((await session.execute(_REPORTED_SINCE, {"reporter_id": reporter_id, "since": since})).scalars())


async def latest_note(session: AsyncSession, *, ticket_id: int) -> str | None:
    """The last message the servicedesk wrote for the reporter (an update or the pick-up note)."""
    query = (
        select(TicketEventRow)
        .where(TicketEventRow.ticket_id == ticket_id, TicketEventRow.kind.in_((ev.AGENT_UPDATE, ev.ACKNOWLEDGED)))
        .order_by(TicketEventRow.id.desc())
    )
    for row in (await session.execute(query)).scalars():
        data = row.data or {}
        note = data.get("text") if row.kind == ev.AGENT_UPDATE else data.get("note")
        if note:
            return str(note)
    return None
