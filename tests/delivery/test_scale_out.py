"""Three replicas on one PostgreSQL database for a simulated week: every due message once."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from sla import events as ev
from storage.models import OutboxMessage, Ticket, TicketEventRow
from tests.delivery.desk import close_desk, local, open_desk

pytestmark = pytest.mark.postgres


@pytest.mark.timeout(600)  # a week of sweeps on three replicas: minutes on a loaded machine
async def test_three_schedulers_send_every_due_message_exactly_once_for_a_week(postgres_database_url):
    desk = await open_desk(postgres_database_url, start=local(2026, 11, 23, 7, 0))
    try:
        await desk.link_channels()
        replicas = [desk.add_worker(f"replica-{n}") for n in range(3)]
        rng = random.Random(20261123)
        kinds = ["P3"] * 300 + ["P2"] * 30 + ["P4"] * 168 + ["P1"] * 2
        rng.shuffle(kinds)
        for number, kind in enumerate(kinds):
            scope, broad, question = {
                "P1": ("iedereen", True, False), "P2": ("meerdere_teams", False, False),
                "P3": ("alleen_ik", False, False), "P4": ("alleen_ik", False, True),
            }[kind]
            await desk.report(reporter=f"user-{number}", scope=scope, broad_outage=broad, is_question=question)
        # A simulated week in half-hour steps; the three replicas sweep at the same moment.
        until = local(2026, 11, 30, 9, 0)
        while desk.clock.now() < until:
            desk.clock.advance(timedelta(minutes=30))
            await asyncio.gather(*(jobs.status_sweep() for _, jobs in replicas))
            if desk.clock.now() == local(2026, 11, 30, 8, 30):
                results = await asyncio.gather(*(jobs.weekly_summary() for _, jobs in replicas))
                assert sorted(results) == [False, False, True]
        await asyncio.gather(*(delivery.drain() for delivery, _ in replicas))

        async with desk.database.sessions() as session:
            updates_recorded = (
                await session.execute(select(func.count()).where(TicketEventRow.kind == ev.HOLDING_SENT))
            ).scalar_one()
            pending = (await session.execute(select(func.count()).where(OutboxMessage.status != "sent"))).scalar_one()
            overdue = (
                await session.execute(select(func.count()).where(Ticket.next_update_due <= desk.clock.now()))
            ).scalar_one()
            queued_per_reporter = dict(
                (
                    await session.execute(
                        select(OutboxMessage.target_key, func.count())
                        .where(OutboxMessage.target_kind == "user")
                        .group_by(OutboxMessage.target_key)
                    )
                ).all()
            )
        sent_to_reporters = [c for c in desk.connector.calls if c.conversation_id.startswith("a:") and c.method == "POST"]
        # Every holding message was queued once (dedup keys), delivered once per queued row, and
        # recorded once, when Teams took it.
        assert len(sent_to_reporters) == updates_recorded == sum(queued_per_reporter.values()) > 1000
        delivered_per_reporter = Counter(c.conversation_id.removeprefix("a:") for c in sent_to_reporters)
        assert delivered_per_reporter == Counter(queued_per_reporter)
        assert pending == 0 and overdue == 0
        assert len(desk.connector.to("19:overleg")) == 1
        # Every ticket's card was posted exactly once.
        assert len([c for c in desk.connector.to("19:servicedesk") if c.method == "POST"]) == 500
    finally:
        await close_desk(desk)
