"""The bot on HTTP with a fake TOPdesk beside it: one clock for both, the app's own ITSM worker.

``start_itsm_desk`` serves the fake TOPdesk (``tests.support.fake_topdesk``) and the bot with
``ITSM_BACKEND=topdesk`` and the repository's example mapping file (so the documented example is
the one tested). The scheduler is off: tests run the sync service's jobs themselves after moving
the clock, as the scheduler would.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestServer
from sqlalchemy import select

import app as app_module
from itsm.sync import ItsmSync
from sla.clock import FixedClock
from storage.models import OutboxMessage
from tests.support.fake_topdesk import APP_PASSWORD, USER, FakeTopdesk
from tests.support.harness import DEFAULT_START, BotHarness, harness_settings, start_harness, stop_harness

EXAMPLE_MAPPING = Path(__file__).resolve().parents[2] / "docs" / "itsm-mapping.example.toml"


@dataclass
class ItsmDesk:
    harness: BotHarness
    system: Any  # the fake ticket system beside the bot
    server: TestServer

    @property
    def topdesk(self) -> FakeTopdesk:
        return self.system

    @property
    def sync(self) -> ItsmSync:
        return self.harness.app[app_module.ITSM]

    @property
    def clock(self) -> FixedClock:
        return self.harness.clock

    async def settle(self) -> None:
        """Until the ITSM worker and Teams delivery have nothing left to do now."""
        await self.sync.wait_idle()
        await self.harness.settle()

    async def drain(self) -> int:
        # A commit kicks the app's own worker; a drain of ours beside it could find its intents
        # leased and send nothing, so the worker finishes first.
        await self.sync.wait_idle()
        sent = await self.sync.drain()
        await self.settle()
        return sent

    async def poll(self) -> int:
        changed = await self.sync.poll()
        await self.harness.settle()
        return changed

    async def outbox(self, **where: Any) -> list[OutboxMessage]:
        async with self.harness.app[app_module.DATABASE].sessions() as session:
            query = select(OutboxMessage).order_by(OutboxMessage.id)
            for key, value in where.items():
                query = query.where(getattr(OutboxMessage, key) == value)
            return list((await session.execute(query)).scalars())

    async def readyz(self) -> dict[str, Any]:
        response = await self.harness.client.get("/readyz")
        return await response.json()


def itsm_settings(database_url: str, topdesk_url: str, **overrides: Any):
    values = dict(
        itsm_backend="topdesk", topdesk_url=topdesk_url, topdesk_user=USER, topdesk_app_password=APP_PASSWORD,
        itsm_mapping_file=str(EXAMPLE_MAPPING),
    )
    return harness_settings(database_url, **(values | overrides))


async def start_itsm_desk(database_url: str, *, clock: FixedClock | None = None, **overrides: Any) -> ItsmDesk:
    clock = clock or FixedClock(DEFAULT_START)
    topdesk = FakeTopdesk(clock=clock.now)
    server = TestServer(topdesk.app(), host="127.0.0.1")
    await server.start_server()
    try:
        harness = await start_harness(itsm_settings(database_url, str(server.make_url("")).rstrip("/"), **overrides), clock)
    except BaseException:
        await server.close()
        raise
    return ItsmDesk(harness=harness, system=topdesk, server=server)


async def stop_itsm_desk(desk: ItsmDesk) -> None:
    await desk.sync.close()
    await stop_harness(desk.harness)
    await desk.server.close()
