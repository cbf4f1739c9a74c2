"""Scheduled work, as plain async functions of the injected clock.

APScheduler only decides *when* to call them; tests call them directly after moving a
``FixedClock``. Each job is safe to run on several replicas at once: status updates are claimed
per ticket with a compare-and-set, periodic jobs per (job, period).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.delivery import Delivery
from bot.metrics import Metrics
from bot.regie import notice_sweep
from itsm.sync import ItsmSync
from storage.privacy import purge
from sla.clock import Clock
from sla.policy import Policy
from storage import jobs as job_claims
from storage import outbox
from storage.db import Database
from storage.reporting import last_complete_week, report_with_previous
from storage.updates import send_due_updates

log = logging.getLogger("servicedesk.jobs")

WEEKLY_SUMMARY = "weekly_summary"
PRIVACY_PURGE = "privacy_purge"
SWEEP_BATCH = 1000


@dataclass(frozen=True)
class JobOptions:
    """What the jobs need from the settings (kept narrow so tests build Jobs without Settings)."""

    piket_contact: str = ""
    piket_user_id: str = ""
    retention_days: int = 365


class Jobs:
    def __init__(
        self,
        *,
        database: Database,
        policy: Policy,
        clock: Clock,
        delivery: Delivery,
        worker_id: str,
        options: JobOptions = JobOptions(),
    ) -> None:
        self._db = database
        self._policy = policy
        self._clock = clock
        self._delivery = delivery
        self._worker = worker_id
        self._options = options

    async def status_sweep(self) -> int:
        """Queue every status update that is due now, then send; returns how many were queued."""
        now = self._clock.now()
        queued = 0
        while True:
            async with self._db.sessions.begin() as session:
                batch = await send_due_updates(session, policy=self._policy, now=now, limit=SWEEP_BATCH)
            queued += batch
            if batch < SWEEP_BATCH:
                break
        if queued:
            log.info("status sweep queued %d update(s)", queued)
        await self._delivery.drain()
        return queued

    async def regie_sweep(self) -> int:
        """Pre-breach warnings, breach notices with escalation levels, the piket alert."""
        result = await notice_sweep(
            database=self._db,
            policy=self._policy,
            clock=self._clock,
            piket_contact=self._options.piket_contact,
            piket_user_id=self._options.piket_user_id,
        )
        await self._delivery.drain()
        return result.sent

    async def privacy_purge(self) -> bool:
        """Remove personal data past the retention period, once a day whatever the replicas."""
        now = self._clock.now()
        day = now.astimezone(self._policy.tz).date().isoformat()
        async with self._db.sessions.begin() as session:
            if not await job_claims.claim_period(session, job=PRIVACY_PURGE, period=day, worker=self._worker, now=now):
                return False
        await purge(database=self._db, clock=self._clock, retention_days=self._options.retention_days)
        return True

    async def outbox_sweep(self) -> int:
        """Send what is due in the outbox (retries, messages left by a crashed replica)."""
        return await self._delivery.drain()

    async def weekly_summary(self) -> bool:
        """Post last week's SLA summary to the overleg channel, once per ISO week."""
        now = self._clock.now()
        period = last_complete_week(now, self._policy)
        async with self._db.sessions.begin() as session:
            if not await job_claims.claim_period(session, job=WEEKLY_SUMMARY, period=period.label, worker=self._worker, now=now):
                return False
            figures = await report_with_previous(session, policy=self._policy, period=period, now=now)
            await outbox.enqueue(
                session,
                dedup_key=f"{WEEKLY_SUMMARY}:{period.label}",
                target=outbox.Target.channel("overleg"),
                payload={"kind": "weekly_summary", **figures},
                now=now,
            )
        log.info("weekly summary %s queued", period.label)
        await self._delivery.drain()
        return True


def schedule_itsm(scheduler: AsyncIOScheduler, sync: ItsmSync, *, poll_seconds: int, metrics: Metrics | None = None) -> None:
    """The supplier's ticket system: read its changes every ``poll_seconds``, send what waits for
    it every 15 s (new tickets and card changes are also sent right after their commit)."""
    counted = (metrics or Metrics()).job
    common = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 60}
    scheduler.add_job(counted("itsm_poll", sync.poll), IntervalTrigger(seconds=poll_seconds), id="itsm_poll", **common)
    scheduler.add_job(counted("itsm_outbox", sync.drain), IntervalTrigger(seconds=15), id="itsm_outbox", **common)


def build_scheduler(
    *, jobs: Jobs, policy: Policy, weekly_day: str, weekly_time: str, metrics: Metrics | None = None
) -> AsyncIOScheduler:
    """Every minute: status updates and regie notices; every 15 s: the outbox; daily at 03:30:
    the privacy purge; weekly: the SLA summary. Each run is counted in ``metrics``.

    No job is scheduled between 02:00 and 03:00 local time, where DST switches skip or repeat
    the hour (settings refuse such a weekly time).
    """
    scheduler = AsyncIOScheduler(timezone=policy.tz)
    counted = (metrics or Metrics()).job
    common = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 60}
    scheduler.add_job(counted("status_sweep", jobs.status_sweep), IntervalTrigger(minutes=1), id="status_sweep", **common)
    scheduler.add_job(counted("outbox_sweep", jobs.outbox_sweep), IntervalTrigger(seconds=15), id="outbox_sweep", **common)
    scheduler.add_job(counted("regie_sweep", jobs.regie_sweep), IntervalTrigger(minutes=1), id="regie_sweep", **common)
    # 03:30: clear of the 02:00-03:00 hour that DST switches skip or repeat.
    scheduler.add_job(
        counted(PRIVACY_PURGE, jobs.privacy_purge),
        CronTrigger(hour=3, minute=30, timezone=policy.tz),
        id=PRIVACY_PURGE,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=6 * 3600,
    )
    hour, minute = (int(p) for p in weekly_time.split(":"))
    scheduler.add_job(
        counted(WEEKLY_SUMMARY, jobs.weekly_summary),
        CronTrigger(day_of_week=weekly_day, hour=hour, minute=minute, timezone=policy.tz),
        id=WEEKLY_SUMMARY,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=6 * 3600,
    )
    return scheduler
