"""A directory of employees, their chats with the bot, and campaigns run to the end, for reach's tests."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.jobs import JobOptions
from reach import directory, service
from reach.audience import Target
from reach.enums import Audience, Kind
from storage import refs
from storage.outbox import Kind as MessageKind
from storage.models import Campaign, ConversationRef, DirectoryEmployee
from tests.delivery.desk import Desk


def employee_id(n: int) -> str:
    return str(uuid.UUID(int=n + 1))


async def add_employees(
    desk: Desk, count: int, *, locations: tuple[str, ...] = ("Utrecht",), teams: tuple[str, ...] = ("Noord",),
    without_chat: frozenset[int] = frozenset(), first: int = 0,
) -> list[str]:
    """``count`` employees in the directory, each with a personal chat with the bot except the
    numbers in ``without_chat`` (the app is not installed for them)."""
    entries = [
        directory.Entry(employee_id(n), f"Medewerker {n}", locations[n % len(locations)], teams[n % len(teams)])
        for n in range(first, first + count)
    ]
    now = desk.clock.now()
    async with desk.database.sessions.begin() as session:
        existing = await session.execute(select(ConversationRef.key).where(ConversationRef.kind == refs.USER))
        known = set(existing.scalars())
        await session.execute(
            ConversationRef.__table__.insert(),
            [
                dict(kind=refs.USER, key=e.object_id, reference=_reference(desk, e.object_id), active=True, updated_at=now)
                for n, e in zip(range(first, first + count), entries)
                if n not in without_chat and e.object_id not in known
            ],
        )
    async with desk.database.sessions.begin() as session:
        old = [
            directory.Entry(r.object_id, r.name, r.location, r.team)
            for r in (await session.execute(select(DirectoryEmployee))).scalars()
        ]
        await directory.replace(session, old + entries, now=now)
    return [e.object_id for e in entries]


def _reference(desk: Desk, key: str) -> dict[str, Any]:
    return {
        "bot": {"id": "28:bot", "name": "Servicedesk"},
        "user": {"id": f"29:{key}", "aadObjectId": key},
        "conversation": {"id": f"a:{key}", "conversationType": "personal"},
        "channelId": "msteams",
        "serviceUrl": desk.service_url,
    }


async def announce(
    desk: Desk, *, audience: Target = Target(Audience.EVERYONE), kind: Kind = Kind.DISRUPTION, what: str = "Outlook werkt traag",
    urgent: bool = False, not_before: datetime | None = None, parent_id: int | None = None, **payload: Any,
) -> int:
    async with desk.database.sessions.begin() as session:
        campaign = await service.start(
            session, kind=kind, message_kind=MessageKind.ANNOUNCEMENT, audience=audience, payload={"what": what, **payload},
            created_by="agent-1", created_by_name="Sanne de Servicedesk", now=desk.clock.now(), urgent=urgent,
            not_before=not_before, parent_id=parent_id,
        )
        return campaign.id


async def campaign(desk: Desk, campaign_id: int) -> Campaign:
    async with desk.database.sessions() as session:
        return await session.get(Campaign, campaign_id)


def options(**changes: Any) -> JobOptions:
    return JobOptions(reach=service.Options(**changes))


async def run_until_done(desk: Desk, jobs, campaign_id: int, *, step: timedelta = timedelta(seconds=1), limit: int = 100_000) -> int:
    """Sweep, and move the clock ``step`` when nothing is due, until the campaign is done; returns
    the sweeps it took. Bounded: a campaign that never ends fails the test."""
    for sweeps in range(1, limit + 1):
        await jobs.reach_sweep()
        if (await campaign(desk, campaign_id)).state == "klaar":
            await jobs.outbox_sweep()  # the last card and the names of the unreachable
            return sweeps
        desk.clock.advance(step)
        await asyncio.sleep(0)
    raise AssertionError(f"campaign {campaign_id} not done after {limit} sweeps")


def per_recipient(desk: Desk, prefix: str = "a:") -> Counter:
    """How many messages each employee's chat got (Teams accepted: answered 200)."""
    return Counter(c.conversation_id for c in desk.connector.calls if c.conversation_id.startswith(prefix) and c.method == "POST")


def busiest_second(moments) -> int:
    """The most calls within any one second (a sliding window over their times)."""
    times = sorted(moments)
    most, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= timedelta(seconds=1):
            start += 1
        most = max(most, end - start + 1)
    return most
