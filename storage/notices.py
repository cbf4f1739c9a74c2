"""Regie notices, each recorded once: the ``notices`` table's unique key is the "exactly once".

A notice is *claimed* by inserting its key (``INSERT ... ON CONFLICT DO NOTHING``) in the same
transaction that queues its message in the outbox; of two replicas sweeping at once, one insert
wins and only that one queues the message. A notice that must not go out (its moment lies before
a priority change, or a breach already overtook a warning) is recorded with a ``-suppressed`` kind,
so it is neither sent now nor later.

Keys: ``ticket:{id}:{priority}:{clock}:{kind}`` for warnings and breaches (one per clock and
priority: a priority change brings the new priority's clocks), ``ticket:{id}:piket`` for the on-call
alert. The escalation a breach opens (``storage.escalations``) is keyed
``ticket:{id}:{priority}:{clock}:escalation``. A
missed update and a long wait can happen more than once: ``{clock}@{moment}`` in their keys.
The ``clock`` column holds the norm as ``{priority}:{clock}`` ("P2:resolution") so repeated
breaches of the same norm can be counted for the escalation level.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from sla.escalation import NoticeKind
from storage.models import Notice

BREACH = NoticeKind.BREACH.value
ESCALATION = "escalation"
PIKET = "piket"
SUPPRESSED = "-suppressed"


def notice_key(ticket_id: int, priority: str, clock: str, kind: str, occurrence: str = "") -> str:
    """``occurrence`` tells apart notices that can happen more than once per ticket and clock (a
    missed update, a long wait: the ISO moment it began)."""
    where = f"{clock}@{occurrence}" if occurrence else clock
    return f"ticket:{ticket_id}:{priority}:{where}:{kind}"


def norm(priority: str, clock: str) -> str:
    return f"{priority}:{clock}"


async def claim(
    session: AsyncSession,
    *,
    key: str,
    ticket_id: int | None,
    clock: str,
    kind: str,
    at: datetime,
    level: str | None = None,
) -> bool:
    """Record a notice; True only for the one caller that recorded it first."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(Notice)
        .values(notice_key=key, ticket_id=ticket_id, clock=clock, kind=kind, level=level, at=at)
        .on_conflict_do_nothing(index_elements=["notice_key"])
    )
    result = await session.execute(statement)
    return result.rowcount == 1


async def recorded_keys(session: AsyncSession, ticket_ids: list[int]) -> set[str]:
    if not ticket_ids:
        return set()
    rows = await session.execute(select(Notice.notice_key).where(Notice.ticket_id.in_(ticket_ids)))
    return set(rows.scalars())


async def breaches_since(session: AsyncSession, *, norm_name: str | None = None, since: datetime, exclude_ticket: int | None = None) -> int:
    """Breach notices sent since ``since`` (of one norm, or of all), other tickets only."""
    query = select(func.count(Notice.id)).where(Notice.kind == BREACH, Notice.at >= since)
    if norm_name is not None:
        query = query.where(Notice.clock == norm_name)
    if exclude_ticket is not None:
        query = query.where(Notice.ticket_id != exclude_ticket)
    return int((await session.execute(query)).scalar_one())


MONTH = timedelta(days=30)
