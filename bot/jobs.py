"""Scheduled work, as plain async functions of the injected clock.

APScheduler only decides *when* to call them; tests call them directly after moving a
``FixedClock``. Each job is safe to run on several replicas at once: status updates are claimed
per ticket with a compare-and-set, periodic jobs per (job, period).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.delivery import Delivery
from bot.metrics import Metrics
from bot.regie import notice_sweep
from bot.report_links import ReportLinks
from bot.summary import share_text
from dialogs import texts
from itsm.sync import ItsmSync
from storage.privacy import purge
from reach import service as reach
from sla.clock import Clock
from sla.policy import Policy
from sla.escalation import Trigger, missed_norms, norm_level
from sla.xla import scheduled_start
from reach import surveys
from storage import escalations
from storage import jobs as job_claims
from storage import outbox
from storage.db import Database
from storage.outbox import Kind
from bot.reports.slr import weekly_overleg
from storage.reporting import last_complete_week, month_period, period_reports, summary_payload
from storage.updates import send_due_updates

log = logging.getLogger("servicedesk.jobs")

WEEKLY_SUMMARY = "weekly_summary"
ESCALATION_REMINDER = "escalation_reminder"
MONTHLY_REPORT = "monthly_report"
MONTHLY_REPORT_HOUR = 9  # the first working day of the month at 09:00 (issue 17)
PRIVACY_PURGE = "privacy_purge"
SURVEY_ROUND = "survey_round"
SWEEP_BATCH = 1000


@dataclass(frozen=True)
class JobOptions:
    """What the jobs need from the settings (kept narrow so tests build Jobs without Settings)."""

    piket_contact: str = ""
    piket_user_id: str = ""
    retention_days: int = 365
    report_links: ReportLinks | None = None  # the monthly card's link to the full report, when set up
    reach: reach.Options = reach.Options()  # campaigns' pace and the weekly maximum
    survey_months: tuple[int, ...] = (3, 10)  # SURVEY_MONTHS: a round starts in these months
    survey_reminder_days: int = 7
    survey_open_days: int = 14


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

    async def reach_sweep(self) -> int:
        """Queue the next send slots of every campaign that is sending (``reach``), send what is
        due, then redraw their sender cards with those outcomes (and finish those with nobody
        left); returns how many recipients it handled."""
        handled = await self._pump()
        await self._delivery.drain()
        handled += await self._pump()
        await self._delivery.drain()
        return handled

    async def _pump(self) -> int:
        handled = 0
        while True:
            async with self._db.sessions.begin() as session:
                batch = await reach.pump(
                    session, calendar=self._policy.working_calendar, options=self._options.reach, now=self._clock.now()
                )
            handled += batch
            if batch == 0:
                return handled

    async def weekly_summary(self) -> bool:
        """Post last week's SLA summary to the overleg channel, once per ISO week."""
        now = self._clock.now()
        period = last_complete_week(now, self._policy)
        async with self._db.sessions.begin() as session:
            if not await job_claims.claim_period(session, job=WEEKLY_SUMMARY, period=period.label, worker=self._worker, now=now):
                return False
            figures = await weekly_overleg(session, policy=self._policy, period=period, now=now)
            await outbox.enqueue(
                session,
                dedup_key=f"{WEEKLY_SUMMARY}:{period.label}",
                target=outbox.Target.channel("overleg"),
                payload={"kind": Kind.WEEKLY_SUMMARY, **figures},
                now=now,
            )
        log.info("weekly summary %s queued", period.label)
        await self._delivery.drain()
        return True


    async def escalation_reminder(self) -> bool:
        """The open N2/N3 escalations to the regie channel, once per ISO week (PvE §2.4.3 B4)."""
        now = self._clock.now()
        year, week, _ = now.astimezone(self._policy.tz).isocalendar()
        label = f"{year}-W{week:02d}"
        async with self._db.sessions.begin() as session:
            if not await job_claims.claim_period(session, job=ESCALATION_REMINDER, period=label, worker=self._worker, now=now):
                return False
            if await escalations.reminded(session):
                await outbox.enqueue(
                    session, dedup_key=f"{ESCALATION_REMINDER}:{label}", target=outbox.Target.channel("regie"),
                    payload={"kind": Kind.ESCALATION_REMINDER, "week": label}, now=now,
                )
        await self._delivery.drain()
        return True

    async def monthly_report(self) -> bool:
        """On the first working day of a month from 09:00: last month's missed norms become
        escalations, and regie gets the key figures with a link to the full report; once per month
        whatever the replicas (and still that month after downtime)."""
        now = self._clock.now()
        if now < first_working_morning(self._policy, now):
            return False
        local = now.astimezone(self._policy.tz)
        month = month_period(f"{local.year}-{local.month:02d}", self._policy).previous(self._policy)
        async with self._db.sessions.begin() as session:
            if not await job_claims.claim_period(session, job=MONTHLY_REPORT, period=month.label, worker=self._worker, now=now):
                return False
            before = month.previous(self._policy)
            current, previous = await period_reports(session, policy=self._policy, periods=[month, before], now=now)
            missed_before = {norm.name for norm in missed_norms(previous)}
            figures = summary_payload(self._policy, period=month, current=current, previous=previous)
            opened = 0
            for norm in missed_norms(current):
                level, reasons = norm_level(missed_month_before=norm.name in missed_before)
                opened += await escalations.open_escalation(
                    session, policy=self._policy, key=escalations.norm_key(month.label, norm.name), trigger=Trigger.NORM_MISSED,
                    norm=norm.name, level=level, reasons=reasons, now=now, period=month.label,
                    figures={"result": _result_text(figures["report"], norm)},
                ) is not None
            link = None
            if self._options.report_links is not None:
                link = self._options.report_links.url(month.label, expires=now + self._options.report_links.valid_for)
            await outbox.enqueue(
                session, dedup_key=f"{MONTHLY_REPORT}:{month.label}", target=outbox.Target.channel("regie"),
                payload={"kind": Kind.MONTHLY_REPORT, **figures, "open_escalations": len(await escalations.reminded(session)),
                         "norms_missed": opened, "link": link},
                now=now,
            )
        log.info("monthly report %s queued (%d missed norm(s) escalated)", month.label, opened)
        await self._delivery.drain()
        return True

    async def survey_sweep(self) -> dict[str, int]:
        """The experience surveys (XLA): start a scheduled round (10:00 on the first working day
        of a SURVEY_MONTHS month, once per month whatever the replicas), start a round's one
        reminder when it is due, and close the rounds whose time is up (regie gets the results).
        ``reach`` sends the questions (``reach_sweep``: at the tenant's pace, never in quiet
        hours, within the weekly maximum; ``queued``: how many it queued right after a start or
        the reminder). Returns what it did."""
        now = self._clock.now()
        options = self._options
        done = {"started": 0, "reminded": 0, "closed": 0, "queued": 0}
        local = now.astimezone(self._policy.tz)
        start = scheduled_start(self._policy.working_calendar, year=local.year, month=local.month)
        if local.month in options.survey_months and start is not None and now >= start:
            label = f"{local.year}-{local.month:02d}"
            async with self._db.sessions.begin() as session:
                if await job_claims.claim_period(session, job=SURVEY_ROUND, period=label, worker=self._worker, now=now):
                    try:
                        await surveys.start_round(
                            session, policy=self._policy, now=now, label=label, by=None, by_name=texts.SURVEY_SCHEDULED,
                            remind_after=timedelta(days=options.survey_reminder_days),
                            open_for=timedelta(days=options.survey_open_days), what=texts.survey_what(label),
                        )
                        done["started"] = 1
                    except surveys.StartRefused:
                        log.info("scheduled survey round %s not started: one is open", label)
        async with self._db.sessions.begin() as session:
            for round_ in await surveys.due_to_close(session, now=now):
                await surveys.close_round(session, round_=round_, now=now, by=None)
                done["closed"] += 1
            round_ = await surveys.open_round(session, lock=True)
            if round_ is not None and await surveys.remind(session, round_=round_, now=now, what=texts.survey_reminder_what(round_.label)):
                done["reminded"] = 1
        if any(done.values()):
            log.info("survey sweep: %s", done)
        if done["started"] or done["reminded"]:
            done["queued"] = await self.reach_sweep()  # the first questions go now (inside working hours)
        else:
            await self._delivery.drain()
        return done


def first_working_morning(policy: Policy, now: datetime) -> datetime:
    """09:00 on the first working day of ``now``'s month (local time)."""
    local = now.astimezone(policy.tz)
    day = local.date().replace(day=1)
    while policy.working_calendar.close_on(day) is None:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, MONTHLY_REPORT_HOUR, tzinfo=policy.tz)


def _result_text(report: dict, norm) -> str:
    """The missed figure as the cards show it ("93,1% ✗ (norm 95%, 27/29)")."""
    if norm.priority is not None:
        figure = next(p for p in report["priorities"] if p["priority"] == norm.priority)[norm.figure]
        return share_text(figure)
    if norm.figure in report.get("clocks", {}):
        return share_text(report["clocks"][norm.figure])
    if norm.figure == "csat":
        csat = report["csat"]
        return f"{texts.csat_average(str(csat['average']))}, {texts.csat_share(str(csat['share_7_or_more_percent']) + '%')}"
    if norm.figure == "backlog":
        backlog = report["backlog"]
        return texts.backlog_text(older=backlog["older_count"], open_count=backlog["open_count"]) + texts.older_than(
            working_days=backlog["age_working_days"]
        )
    return share_text(report[norm.figure])


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
    """Every minute: status updates and regie notices; every 15 s: the outbox and the campaigns; daily at 03:30:
    the privacy purge; weekly: the SLA summary and regie's reminder of open N2/N3 escalations;
    monthly (from 09:00 on the first working day): the missed norms' escalations and regie's card
    of the month's report; every 10 minutes: the experience surveys (``Jobs.survey_sweep``). Each run is counted in ``metrics``.

    No job is scheduled between 02:00 and 03:00 local time, where DST switches skip or repeat
    the hour (settings refuse such a weekly time).
    """
    scheduler = AsyncIOScheduler(timezone=policy.tz)
    counted = (metrics or Metrics()).job
    common = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 60}
    scheduler.add_job(counted("status_sweep", jobs.status_sweep), IntervalTrigger(minutes=1), id="status_sweep", **common)
    scheduler.add_job(counted("outbox_sweep", jobs.outbox_sweep), IntervalTrigger(seconds=15), id="outbox_sweep", **common)
    scheduler.add_job(counted("regie_sweep", jobs.regie_sweep), IntervalTrigger(minutes=1), id="regie_sweep", **common)
    scheduler.add_job(counted("reach_sweep", jobs.reach_sweep), IntervalTrigger(seconds=15), id="reach_sweep", **common)
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
    for name, job in ((WEEKLY_SUMMARY, jobs.weekly_summary), (ESCALATION_REMINDER, jobs.escalation_reminder)):
        scheduler.add_job(
            counted(name, job),
            CronTrigger(day_of_week=weekly_day, hour=hour, minute=minute, timezone=policy.tz),
            id=name,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=6 * 3600,
        )
    # Every 10 minutes: it does nothing before the first working day's 09:00 and, claimed per
    # month, nothing after the report went (so a report missed during downtime still goes).
    scheduler.add_job(
        counted(MONTHLY_REPORT, jobs.monthly_report), IntervalTrigger(minutes=10), id=MONTHLY_REPORT, **common
    )
    # Every 10 minutes too: a scheduled survey round starts (claimed per month), rounds close, and
    # inside working hours the invitations and reminders go in batches.
    scheduler.add_job(counted("survey_sweep", jobs.survey_sweep), IntervalTrigger(minutes=10), id="survey_sweep", **common)
    return scheduler
