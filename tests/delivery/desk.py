"""A servicedesk without HTTP in front: database, stub connector, delivery and jobs.

Scheduling tests drive the jobs directly with a frozen clock; tickets are created through the
storage lifecycle and reporters' conversations are registered as the bot would.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Awaitable, Callable

import aiohttp
from aiohttp.test_utils import TestServer

from bot.connector import Connector, RetryPolicy
from bot.delivery import Delivery
from bot.jobs import JobOptions, Jobs
from sla.clock import FixedClock
from sla.policy import Policy, load_policy
from sla.priority import IntakeAnswers, decide_priority
from storage import refs, tickets
from storage.db import Database, open_database
from tests.support.connector import StubConnector


@dataclass
class Desk:
    database: Database
    connector: StubConnector
    server: TestServer
    session: aiohttp.ClientSession
    clock: FixedClock
    policy: Policy
    sleeps: list[float] = field(default_factory=list)
    # Pacing and back-off run on a fake monotonic clock that only sleeping moves.
    monotonic: float = 0.0
    workers: list[tuple[Delivery, Jobs]] = field(default_factory=list)

    @property
    def service_url(self) -> str:
        return str(self.server.make_url("/"))

    def add_worker(
        self, name: str, *, lease: timedelta = timedelta(minutes=2), sleep: Callable[[float], Awaitable[None]] | None = None,
        give_up: timedelta = timedelta(hours=24), options: JobOptions = JobOptions(),
        wrap: Callable[[Connector], Connector] | None = None,
    ) -> tuple[Delivery, Jobs]:
        """A bot process's sender; ``sleep`` replaces its back-off waits (default: none, counted);
        ``wrap`` stands in front of its connector (a process that dies mid-way)."""

        async def no_sleep(seconds: float) -> None:
            self.sleeps.append(seconds)
            self.monotonic += seconds
            await asyncio.sleep(0)

        async def no_token() -> None:
            return None

        connector = Connector(
            session=self.session,
            token_source=no_token,
            service_url_allowed=lambda url: True,
            retry=RetryPolicy(attempts=4, base_delay=0.5, max_delay=30),
            sleep=sleep or no_sleep,
            monotonic=lambda: self.monotonic,
        )
        delivery = Delivery(
            database=self.database, connector=wrap(connector) if wrap else connector, clock=self.clock, policy=self.policy, worker_id=name, lease=lease,
            give_up=give_up,
        )
        jobs = Jobs(database=self.database, policy=self.policy, clock=self.clock, delivery=delivery, worker_id=name, options=options)
        self.workers.append((delivery, jobs))
        return delivery, jobs

    async def register(self, *, kind: str, key: str, conversation_id: str) -> None:
        reference = {
            "bot": {"id": "28:bot", "name": "Servicedesk"},
            "user": {"id": f"29:{key}", "aadObjectId": key} if kind == refs.USER else None,
            "conversation": {"id": conversation_id, "conversationType": "personal" if kind == refs.USER else "channel"},
            "channelId": "msteams",
            "serviceUrl": self.service_url,
        }
        async with self.database.sessions.begin() as session:
            await refs.save_reference(session, kind=kind, key=key, reference=reference, now=self.clock.now())

    async def link_channels(self) -> None:
        for role in refs.CHANNEL_ROLES:
            await self.register(kind=refs.CHANNEL, key=role, conversation_id=f"19:{role}")

    async def report(self, *, reporter: str, scope: str = "alleen_ik", category: str = "laptop", broad_outage: bool = False, is_question: bool = False) -> int:
        await self.register(kind=refs.USER, key=reporter, conversation_id=f"a:{reporter}")
        decision = decide_priority(IntakeAnswers(category=category, scope=scope, broad_outage=broad_outage, is_question=is_question))
        async with self.database.sessions.begin() as session:
            ticket = await tickets.create_ticket(
                session,
                policy=self.policy,
                now=self.clock.now(),
                reporter_id=reporter,
                reporter_name=f"Medewerker {reporter}",
                category=category,
                scope=scope,
                description="Het werkt niet",
                decision=decision,
            )
            return ticket.id


async def open_desk(database_url: str, *, start: datetime, policy: str = "halt") -> Desk:
    connector = StubConnector()
    server = TestServer(connector.app(), host="127.0.0.1")
    await server.start_server()
    return Desk(
        database=open_database(database_url),
        connector=connector,
        server=server,
        session=aiohttp.ClientSession(),
        clock=FixedClock(start),
        policy=load_policy(policy),
    )


async def close_desk(desk: Desk) -> None:
    for delivery, _ in desk.workers:
        await delivery.close()
    await desk.session.close()
    await desk.server.close()
    await desk.database.dispose()


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Amsterdam")).astimezone(timezone.utc)
