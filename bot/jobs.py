"""Scheduled work, as plain async functions of the injected clock.

APScheduler only decides *when* to call them; tests call them directly after moving a
``FixedClock``. Each job is safe to run on several replicas at once: status updates are claimed
per ticket with a compare-and-set, periodic jobs per (job, period).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select

from bot.delivery import Delivery
from sla.events import TicketEvent
from sla.kpi import compute_kpis
from sla.clock import Clock
from sla.policy import Policy
from storage import jobs as job_claims
from storage import outbox
from storage.db import Database
from storage.models import Ticket, TicketEventRow
from storage.tickets import due_for_status_update, send_status_update

log = logging.getLogger("servicedesk.jobs")

WEEKLY_SUMMARY = "weekly_summary"


class Jobs:
    def __init__(self, *, database: Database, policy: Policy, clock: Clock, delivery: Delivery, worker_id: str) -> None:
        self._db = database
        self._policy = policy
        self._clock = clock
        self._delivery = delivery
        self._worker = worker_id

    async def status_sweep(self) -> int:
        """Queue every status update that is due now; returns how many were queued."""
        now = self._clock.now()
        queued = 0
        async with self._db.sessions.begin() as session:
            for ticket in await due_for_status_update(session, now=now):
                if await send_status_update(session, policy=self._policy, now=now, ticket=ticket):
                    queued += 1
        if queued:
            log.info("status sweep queued %d update(s)", queued)
        await self._delivery.drain()
        return queued

    async def outbox_sweep(self) -> int:
        """Send what is due in the outbox (retries, messages left by a crashed replica)."""
        return await self._delivery.drain()

    async def weekly_summary(self) -> bool:
        """Post last week's SLA summary to the overleg channel, once per ISO week."""
        now = self._clock.now()
        local = now.astimezone(self._policy.tz)
        this_monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
        start = (this_monday - timedelta(days=7)).astimezone(now.tzinfo)
        end = this_monday.astimezone(now.tzinfo)
        year, week, _ = (this_monday - timedelta(days=7)).isocalendar()
        period = f"{year}-W{week:02d}"
        async with self._db.sessions.begin() as session:
            if not await job_claims.claim_period(session, job=WEEKLY_SUMMARY, period=period, worker=self._worker, now=now):
                return False
            histories = await ticket_histories(session, start=start, end=end)
            report = compute_kpis(self._policy, histories, start=start, end=end, now=now)
            await outbox.enqueue(
                session,
                dedup_key=f"{WEEKLY_SUMMARY}:{period}",
                target=outbox.Target.channel("overleg"),
                payload={"kind": "weekly_summary", "period": period, "report": report.to_dict()},
                now=now,
            )
        log.info("weekly summary %s queued", period)
        await self._delivery.drain()
        return True


async def ticket_histories(session, *, start: datetime, end: datetime) -> list[list[TicketEvent]]:
    """The event logs of every ticket reported before ``end`` that was still open at ``start``."""
    ticket_ids = select(Ticket.id).where(
        Ticket.opened_at < end, (Ticket.resolved_at.is_(None)) | (Ticket.resolved_at >= start)
    )
    rows = await session.execute(
        select(TicketEventRow).where(TicketEventRow.ticket_id.in_(ticket_ids)).order_by(TicketEventRow.ticket_id, TicketEventRow.id)
    )
    histories: dict[int, list[TicketEvent]] = {}
    for row in rows.scalars():
        histories.setdefault(row.ticket_id, []).append(TicketEvent(kind=row.kind, at=row.at, data=row.data or {}))
    return list(histories.values())


def build_scheduler(*, jobs: Jobs, policy: Policy, weekly_day: str, weekly_time: str) -> AsyncIOScheduler:
    """Every minute: status updates; every 15 s: the outbox; weekly: the SLA summary.

    No job is scheduled between 02:00 and 03:00 local time, where DST switches skip or repeat
    the hour (settings refuse such a weekly time).
    """
    scheduler = AsyncIOScheduler(timezone=policy.tz)
    common = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 60}
    scheduler.add_job(jobs.status_sweep, IntervalTrigger(minutes=1), id="status_sweep", **common)
    scheduler.add_job(jobs.outbox_sweep, IntervalTrigger(seconds=15), id="outbox_sweep", **common)
    hour, minute = (int(p) for p in weekly_time.split(":"))
    scheduler.add_job(
        jobs.weekly_summary,
        CronTrigger(day_of_week=weekly_day, hour=hour, minute=minute, timezone=policy.tz),
        id=WEEKLY_SUMMARY,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=6 * 3600,
    )
    return scheduler
