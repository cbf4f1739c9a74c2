"""The scheduler as the app builds it: which jobs, how often, at what local times, in which zone.

The jobs themselves are tested as plain functions of the clock elsewhere; here the schedule is:
APScheduler's triggers are asked for their next fire times from fixed instants, around the DST
switches too, so a wrong hour, day or time zone fails here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs import build_scheduler, schedule_itsm
from sla.policy import load_policy

POLICY = load_policy("halt")
AMS = ZoneInfo("Europe/Amsterdam")
JOBS = (
    "status_sweep", "outbox_sweep", "regie_sweep", "reach_sweep", "privacy_purge", "weekly_summary", "escalation_reminder",
    "monthly_report", "survey_sweep",
)


async def _nothing() -> None:
    return None


def _scheduler(day: str = "mon", time: str = "08:30"):
    jobs = SimpleNamespace(**{name: _nothing for name in JOBS})
    return build_scheduler(jobs=jobs, policy=POLICY, weekly_day=day, weekly_time=time)


def _next(scheduler, job_id: str, after: datetime) -> datetime:
    return scheduler.get_job(job_id).trigger.get_next_fire_time(None, after)


def test_the_scheduler_has_exactly_the_product_jobs_in_the_policy_time_zone():
    scheduler = _scheduler()
    assert sorted(job.id for job in scheduler.get_jobs()) == sorted(JOBS)
    assert str(scheduler.timezone) == "Europe/Amsterdam"


@pytest.mark.parametrize("job_id, seconds", [
    ("status_sweep", 60), ("regie_sweep", 60), ("outbox_sweep", 15), ("reach_sweep", 15), ("monthly_report", 600), ("survey_sweep", 600),
])
def test_sweeps_run_at_a_fixed_interval_once_at_a_time(job_id, seconds):
    job = _scheduler().get_job(job_id)
    assert isinstance(job.trigger, IntervalTrigger)
    assert job.trigger.interval == timedelta(seconds=seconds)
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 60)


def test_the_privacy_purge_runs_daily_at_half_past_three_local_also_on_the_dst_days():
    scheduler = _scheduler()
    job = scheduler.get_job("privacy_purge")
    assert isinstance(job.trigger, CronTrigger) and str(job.trigger.timezone) == "Europe/Amsterdam"
    # 29 March 2026: 02:00 becomes 03:00; 25 October 2026: 03:00 becomes 02:00 once more.
    assert _next(scheduler, "privacy_purge", datetime(2026, 3, 29, 1, 0, tzinfo=AMS)) == datetime(2026, 3, 29, 3, 30, tzinfo=AMS)
    assert _next(scheduler, "privacy_purge", datetime(2026, 10, 25, 1, 0, tzinfo=AMS)) == datetime(2026, 10, 25, 3, 30, tzinfo=AMS)
    assert _next(scheduler, "privacy_purge", datetime(2026, 10, 25, 3, 31, tzinfo=AMS)) == datetime(2026, 10, 26, 3, 30, tzinfo=AMS)
    assert job.misfire_grace_time == 6 * 3600  # a purge missed during a restart still runs that morning


@pytest.mark.parametrize("job_id", ["weekly_summary", "escalation_reminder"])
def test_the_weekly_jobs_run_on_the_configured_day_and_local_time(job_id):
    scheduler = _scheduler()
    # Sunday 29 March 2026 (the spring DST switch) -> Monday 30 March, 08:30 summer time.
    assert _next(scheduler, job_id, datetime(2026, 3, 29, 12, 0, tzinfo=AMS)) == datetime(2026, 3, 30, 8, 30, tzinfo=AMS)
    # Monday 26 October 2026 08:31 (winter time) -> a week later.
    assert _next(scheduler, job_id, datetime(2026, 10, 26, 8, 31, tzinfo=AMS)) == datetime(2026, 11, 2, 8, 30, tzinfo=AMS)
    other = _scheduler(day="fri", time="16:45")
    assert _next(other, job_id, datetime(2026, 11, 30, 9, 0, tzinfo=AMS)) == datetime(2026, 12, 4, 16, 45, tzinfo=AMS)


def test_the_ticket_system_is_read_every_poll_interval_and_written_every_15_seconds():
    scheduler = _scheduler()
    schedule_itsm(scheduler, SimpleNamespace(poll=_nothing, drain=_nothing), poll_seconds=60)
    assert scheduler.get_job("itsm_poll").trigger.interval == timedelta(seconds=60)
    assert scheduler.get_job("itsm_outbox").trigger.interval == timedelta(seconds=15)


async def test_each_scheduled_function_is_the_job_it_names():
    called = []

    def job(name):
        async def run() -> None:
            called.append(name)
        return run

    scheduler = build_scheduler(
        jobs=SimpleNamespace(**{name: job(name) for name in JOBS}), policy=POLICY, weekly_day="mon", weekly_time="08:30"
    )
    for name in JOBS:
        await scheduler.get_job(name).func()
    assert called == list(JOBS)
