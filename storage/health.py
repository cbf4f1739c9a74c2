"""What an operator watches, read from the database: for ``servicedesk status`` and ``/metrics``.

Every read here is an aggregate that returns a handful of rows, never a row per ticket or message.
The outbox figures go through ``ix_outbox_due`` (status first), so they cost in proportion to the
backlog and the failed messages, not to the millions of messages sent. The open-ticket figures
read the tickets table, which has no index on status; ``bot.metrics`` therefore reads them on a
timer, not per scrape.

The clock state of an open ticket comes from the due times cached on its row
(:func:`open_ticket_clocks`, the one place that reads them for this): when the fold of the event
log in ``sla/`` defines the clocks, only that function changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from sla.status import OPEN_STATUSES
from storage import refs
from storage.models import ConversationRef, JobRun, OutboxMessage, Ticket
from storage.outbox import Status

PENDING = Status.PENDING
FAILED = Status.FAILED

# The clock states of an open ticket (``open_ticket_clocks``).
RUNNING = "running"
PAUSED = "paused"
BREACHED = "breached"


@dataclass(frozen=True)
class OutboxFigures:
    pending: int
    oldest_pending_at: datetime | None
    failed: int
    # worker id -> messages it holds under a live lease (the senders at work right now)
    leases: dict[str, int] = field(default_factory=dict)


async def outbox_figures(session: AsyncSession, *, now: datetime) -> OutboxFigures:
    """The backlog (pending messages and when the oldest was written), the failed messages, the leases."""
    table = OutboxMessage.__table__
    counts = dict(
        (await session.execute(
            select(table.c.status, func.count()).where(table.c.status.in_((PENDING, FAILED))).group_by(table.c.status)
        )).all()
    )
    # Ids grow with time, so the lowest pending id is the oldest message waiting.
    oldest_id = select(func.min(table.c.id)).where(table.c.status == PENDING).scalar_subquery()
    oldest_at = (await session.execute(select(table.c.created_at).where(table.c.id == oldest_id))).scalar()
    leases = dict(
        (await session.execute(
            select(table.c.claimed_by, func.count())
            .where(table.c.status == PENDING, table.c.lease_until > now)
            .group_by(table.c.claimed_by)
        )).all()
    )
    return OutboxFigures(
        pending=counts.get(PENDING, 0), oldest_pending_at=oldest_at, failed=counts.get(FAILED, 0), leases=leases
    )


@dataclass(frozen=True)
class LinkedChannel:
    role: str
    active: bool
    linked_at: datetime
    linked_by: str | None


async def linked_channels(session: AsyncSession) -> dict[str, LinkedChannel]:
    """The channel roles (servicedesk, regie, overleg) that are linked, by role."""
    rows = await session.execute(
        select(ConversationRef.key, ConversationRef.active, ConversationRef.updated_at, ConversationRef.updated_by)
        .where(ConversationRef.kind == refs.CHANNEL)
    )
    return {key: LinkedChannel(key, active, at, by) for key, active, at, by in rows}


@dataclass(frozen=True)
class JobRunFigure:
    job: str
    period: str
    claimed_at: datetime
    claimed_by: str


async def last_job_runs(session: AsyncSession) -> dict[str, JobRunFigure]:
    """The latest claimed period of each periodic job (weekly summary, privacy purge), by job."""
    latest = select(JobRun.job, func.max(JobRun.claimed_at).label("at")).group_by(JobRun.job).subquery()
    rows = await session.execute(
        select(JobRun.job, JobRun.period, JobRun.claimed_at, JobRun.claimed_by)
        .join(latest, and_(JobRun.job == latest.c.job, JobRun.claimed_at == latest.c.at))
    )
    return {job: JobRunFigure(job, period, at, by) for job, period, at, by in rows}


def _clock_state(stopped_at, due, now: datetime):
    """One clock of an open ticket, from the cached due time: None when it has stopped (met)."""
    return case(
        (stopped_at.is_not(None), literal(None)),
        (due.is_(None), literal(PAUSED)),  # a "wacht op derde" the policy lets stop this clock
        (due < now, literal(BREACHED)),
        else_=literal(RUNNING),
    )


@dataclass(frozen=True)
class OpenTickets:
    # (priority, state) -> open tickets; a ticket is breached when one of its clocks is, else paused
    # when one is, else running
    by_state: dict[tuple[str, str], int]
    # (priority, clock, state) -> open tickets whose clock is in that state (stopped clocks: none)
    by_clock: dict[tuple[str, str, str], int]


async def open_ticket_clocks(session: AsyncSession, *, now: datetime) -> OpenTickets:
    """Open tickets counted by priority and the state of their clocks (first response, resolution).

    One pass over the tickets, grouped in the database: a few dozen rows come back, whatever the
    number of tickets. The states come from the due times on the ticket row, a cache of the event
    log's fold; a clock that has stopped (the first response was given) is not counted.
    """
    table = Ticket.__table__
    clocks = (
        select(
            table.c.priority,
            _clock_state(table.c.first_response_at, table.c.first_response_due, now).label("first_response"),
            _clock_state(table.c.resolved_at, table.c.resolution_due, now).label("resolution"),
        )
        .where(table.c.status.in_(OPEN_STATUSES))
        .subquery()
    )
    rows = await session.execute(
        select(clocks.c.priority, clocks.c.first_response, clocks.c.resolution, func.count())
        .group_by(clocks.c.priority, clocks.c.first_response, clocks.c.resolution)
    )
    by_state: dict[tuple[str, str], int] = {}
    by_clock: dict[tuple[str, str, str], int] = {}
    for priority, first_state, resolution_state, count in rows:
        states = {"first_response": first_state, "resolution": resolution_state}
        overall = next((s for s in (BREACHED, PAUSED) if s in states.values()), RUNNING)
        by_state[(priority, overall)] = by_state.get((priority, overall), 0) + count
        for clock, state in states.items():
            if state is not None:
                by_clock[(priority, clock, state)] = by_clock.get((priority, clock, state), 0) + count
    return OpenTickets(by_state=by_state, by_clock=by_clock)
