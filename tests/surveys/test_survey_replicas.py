"""Three replicas on PostgreSQL run the survey and reach jobs at the same moments: one round
starts, every employee is asked once and reminded once, the round closes once and regie gets one
card."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from storage import refs
from tests.delivery.desk import close_desk, local, open_desk

pytestmark = pytest.mark.postgres
EMPLOYEES = [f"aaaaaaaa-3333-0000-0000-{n:012d}" for n in range(1, 41)]


async def test_three_replicas_ask_each_employee_once_and_close_the_round_once(postgres_database_url):
    desk = await open_desk(postgres_database_url, start=local(2026, 10, 1, 10, 5))  # October: a survey month
    try:
        replicas = [desk.add_worker(f"replica-{n}") for n in range(3)]
        await desk.link_channels()
        for key in EMPLOYEES:
            await desk.register(kind=refs.USER, key=key, conversation_id=f"a:{key}")

        async def all_sweep() -> list[dict[str, int]]:
            return list(await asyncio.gather(*(jobs.survey_sweep() for _, jobs in replicas)))

        async def deliver() -> None:  # reach sends at its pace: a few seconds of sweeps, side by side
            for _ in range(4):
                desk.clock.advance(timedelta(seconds=1))
                await asyncio.gather(*(jobs.reach_sweep() for _, jobs in replicas))

        assert sum(r["started"] for r in await all_sweep()) == 1
        assert sum(r["started"] for r in await all_sweep()) == 0
        await deliver()
        for key in EMPLOYEES:
            assert len(desk.connector.to(f"a:{key}")) == 1, key

        desk.clock.advance(timedelta(days=7))  # Thursday 8 October, 10:05: nobody answered
        assert sum(r["reminded"] for r in await all_sweep()) == 1
        assert sum(r["reminded"] for r in await all_sweep()) == 0
        await deliver()
        for key in EMPLOYEES:
            assert len(desk.connector.to(f"a:{key}")) == 2, key

        desk.clock.advance(timedelta(days=7))
        assert sum(r["closed"] for r in await all_sweep()) == 1
        await asyncio.gather(*(delivery.drain() for delivery, _ in replicas))
        results = [c for c in desk.connector.to("19:regie") if "Enquête ICT-beleving gesloten" in c.card_text()]
        assert len(results) == 1 and "0 van 40 medewerkers gaven antwoord (0%)" in results[0].card_text()
    finally:
        await close_desk(desk)
