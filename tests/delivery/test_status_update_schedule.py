"""Status updates to reporters arrive at exactly the moments the policy promises.

A frozen clock steps through a P1 ticket's first four hours (every 30 minutes, also after the
office closes) and a P3 ticket's week (every working day at the time of the report, never at
night or at the weekend), and nothing comes after resolution.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from storage import tickets
from storage.models import Ticket
from tests.delivery.desk import close_desk, local, open_desk

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
async def desk(sqlite_database_url):
    d = await open_desk(sqlite_database_url, start=local(2026, 11, 23, 16, 0))
    await d.link_channels()
    yield d
    await close_desk(d)


async def _run(desk, jobs, *, until, step: timedelta) -> list[str]:
    """Step the clock, sweeping at every step; return the local times updates reached the reporter."""
    moments = []
    while desk.clock.now() < until:
        desk.clock.advance(step)
        before = len(desk.connector.calls)
        await jobs.status_sweep()
        for call in desk.connector.calls[before:]:
            if call.conversation_id.startswith("a:") and "Stand van je melding" in call.text:
                moments.append(desk.clock.now().astimezone(AMS).strftime("%a %H:%M"))
    return moments


async def _resolve(desk, ticket_id: int) -> None:
    """The servicedesk picks the ticket up and resolves it, as the card actions do."""
    policy, now = desk.policy, desk.clock.now()
    async with desk.database.sessions.begin() as session:
        done = await tickets.acknowledge(
            session, policy=policy, now=now, ticket_id=ticket_id, agent_id="agent-1", agent_name="Karim",
            note="Ik kijk ernaar.", seen_version=None,
        )
        assert done.outcome is tickets.Outcome.DONE
        done = await tickets.resolve(
            session, policy=policy, now=now, ticket_id=ticket_id, agent_id="agent-1", agent_name="Karim",
            solution="Router herstart.", seen_version=None,
        )
        assert done.outcome is tickets.Outcome.DONE


async def test_p1_reporter_hears_every_30_minutes_also_after_closing_time(desk):
    _, jobs = desk.add_worker("w1")
    ticket_id = await desk.report(reporter="u-p1", scope="iedereen", category="netwerk", broad_outage=True)
    moments = await _run(desk, jobs, until=local(2026, 11, 23, 20, 0), step=timedelta(minutes=1))
    assert moments == [
        "Mon 16:30", "Mon 17:00", "Mon 17:30", "Mon 18:00",
        "Mon 18:30", "Mon 19:00", "Mon 19:30", "Mon 20:00",
    ]
    await _resolve(desk, ticket_id)
    assert await _run(desk, jobs, until=local(2026, 11, 23, 22, 0), step=timedelta(minutes=1)) == []


async def test_p3_reporter_hears_each_working_day_at_the_report_time_never_at_night_or_weekend(desk):
    desk.clock.set(local(2026, 11, 23, 10, 0))  # Monday
    _, jobs = desk.add_worker("w1")
    await desk.report(reporter="u-p3")
    moments = await _run(desk, jobs, until=local(2026, 11, 30, 12, 0), step=timedelta(minutes=15))
    assert moments == ["Tue 10:00", "Wed 10:00", "Thu 10:00", "Fri 10:00", "Mon 10:00"]


async def test_without_news_the_reporter_gets_a_holding_message_and_the_card_is_flagged(desk):
    _, jobs = desk.add_worker("w1")
    ticket_id = await desk.report(reporter="u-p2", scope="meerdere_teams")
    await jobs.outbox_sweep()
    desk.clock.advance(timedelta(hours=2))
    await jobs.status_sweep()
    to_reporter = [c.text for c in desk.connector.calls if c.conversation_id == "a:u-p2"]
    assert len(to_reporter) == 1 and "nog geen nieuws" in to_reporter[0]
    async with desk.database.sessions() as session:
        assert (await session.get(Ticket, ticket_id)).update_overdue is True
    assert any(c.method == "PUT" for c in desk.connector.calls if c.conversation_id == "19:servicedesk")


async def test_a_p2_update_falling_in_the_night_waits_for_the_next_opening(desk):
    desk.clock.set(local(2026, 11, 23, 17, 0))  # one working hour left today
    _, jobs = desk.add_worker("w1")
    await desk.report(reporter="u-p2", scope="meerdere_teams")
    moments = await _run(desk, jobs, until=local(2026, 11, 24, 12, 0), step=timedelta(minutes=15))
    assert moments == ["Tue 09:00", "Tue 11:00"]


async def test_under_sib_a_major_incident_updates_within_30_minutes_then_hourly(sqlite_database_url):
    desk = await open_desk(sqlite_database_url, start=local(2026, 11, 23, 16, 0), policy="sib")
    try:
        await desk.link_channels()
        _, jobs = desk.add_worker("w1")
        await desk.report(reporter="u-major", scope="iedereen", category="netwerk", broad_outage=True)
        moments = await _run(desk, jobs, until=local(2026, 11, 23, 19, 30), step=timedelta(minutes=1))
        assert moments == ["Mon 16:30", "Mon 17:30", "Mon 18:30", "Mon 19:30"]
    finally:
        await close_desk(desk)
