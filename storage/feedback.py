"""The reporter's answers after a workaround or resolution: "weer productief" (MTTP) and CSAT."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sla import events as ev
from storage import outbox
from storage.models import Ticket, TicketEventRow


class FeedbackOutcome(enum.Enum):
    RECORDED = "recorded"
    ALREADY = "already"
    NOT_YOURS = "not_yours"
    NOT_ASKED = "not_asked"


async def _events(session: AsyncSession, ticket_id: int) -> list[TicketEventRow]:
    return list(
        (
            await session.execute(
                select(TicketEventRow).where(TicketEventRow.ticket_id == ticket_id).order_by(TicketEventRow.id)
            )
        ).scalars()
    )


async def record_productive_again(
    session: AsyncSession, *, ticket_id: int, reporter_id: str, can_work: bool, now: datetime
) -> FeedbackOutcome:
    ticket = await session.get(Ticket, ticket_id, with_for_update=True)
    if ticket is None or ticket.reporter_id != reporter_id:
        return FeedbackOutcome.NOT_YOURS
    rows = await _events(session, ticket_id)
    if not any(row.kind in (ev.WORKAROUND, ev.RESOLVED) for row in rows):
        return FeedbackOutcome.NOT_ASKED
    if any(row.kind == ev.PRODUCTIVE_AGAIN for row in rows):
        return FeedbackOutcome.ALREADY
    if can_work:
        session.add(TicketEventRow(ticket_id=ticket_id, kind=ev.PRODUCTIVE_AGAIN, at=now, actor_id=reporter_id, data={}))
    else:
        session.add(
            TicketEventRow(
                ticket_id=ticket_id, kind=ev.INFO_ADDED, at=now, actor_id=reporter_id,
                data={"text": "De melder kan nog niet verder met het werk.", "from": "melder"},
            )
        )
    ticket.version += 1
    await outbox.redraw_card(session, ticket_id=ticket_id, version=ticket.version, now=now)
    return FeedbackOutcome.RECORDED


LOW_SCORE = 6


async def record_csat(
    session: AsyncSession, *, ticket_id: int, reporter_id: str, score: int, remark: str | None, now: datetime
) -> FeedbackOutcome:
    """One score per resolution: a score after the latest RESOLVED (and no REOPENED since) ends it."""
    ticket = await session.get(Ticket, ticket_id, with_for_update=True)
    if ticket is None or ticket.reporter_id != reporter_id:
        return FeedbackOutcome.NOT_YOURS
    rows = await _events(session, ticket_id)
    last_resolved = max((row.id for row in rows if row.kind == ev.RESOLVED), default=None)
    last_reopened = max((row.id for row in rows if row.kind == ev.REOPENED), default=None)
    if last_resolved is None or (last_reopened is not None and last_reopened > last_resolved):
        return FeedbackOutcome.NOT_ASKED
    if any(row.kind == ev.CSAT and row.id > last_resolved for row in rows):
        return FeedbackOutcome.ALREADY
    session.add(
        TicketEventRow(ticket_id=ticket_id, kind=ev.CSAT, at=now, actor_id=reporter_id, data={"score": score, "remark": remark})
    )
    ticket.version += 1
    await outbox.redraw_card(session, ticket_id=ticket_id, version=ticket.version, now=now)
    if score < LOW_SCORE:
        await outbox.enqueue(
            session,
            dedup_key=f"ticket:{ticket_id}:low-csat:{last_resolved}",
            target=outbox.Target.channel("servicedesk"),
            payload={"kind": "low_csat", "ticket_id": ticket_id, "score": score, "remark": remark},
            now=now,
            ticket_id=ticket_id,
        )
    return FeedbackOutcome.RECORDED
