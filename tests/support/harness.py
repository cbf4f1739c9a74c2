"""The bot on a real HTTP port with a stub Bot Connector: drive it as Teams would.

``BotHarness`` posts Teams-shaped activities to ``/api/messages`` and reads what the bot sent
back through the stub connector. Time is a ``FixedClock`` the test moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

import app as app_module
from bot.settings import Settings
from sla.clock import FixedClock
from tests.support import activities as acts
from tests.support.connector import StubConnector

# Tuesday 28 April 2026, 08:00 in Amsterdam (CEST, UTC+2).
DEFAULT_START = datetime(2026, 4, 28, 6, 0, tzinfo=timezone.utc)


def harness_settings(database_url: str, **overrides: Any) -> Settings:
    base = Settings(
        database_url=database_url,
        admins=frozenset({acts.ADMIN["aadObjectId"]}),
        agents=frozenset(
            {acts.AGENT["aadObjectId"], acts.OTHER_AGENT["aadObjectId"], acts.THIRD_AGENT["aadObjectId"]}
        ),
        scheduler_enabled=False,
        worker_id="test-worker",
    )
    return base.model_copy(update=overrides)


@dataclass
class BotHarness:
    client: TestClient
    connector: StubConnector
    connector_server: TestServer
    clock: FixedClock

    @property
    def app(self):
        return self.client.server.app

    @property
    def service_url(self) -> str:
        return str(self.connector_server.make_url("/"))

    async def post(self, activity: dict[str, Any], headers: dict[str, str] | None = None):
        response = await self.client.post("/api/messages", json=activity, headers=headers or {})
        body = await response.read()
        await self.settle()
        return response.status, body

    async def say(self, text: str | None, *, user: dict[str, Any] = acts.EMPLOYEE, value: Any = None) -> int:
        status, _ = await self.post(acts.personal_message(self.service_url, text, user=user, value=value))
        return status

    async def in_channel(self, text: str, *, user: dict[str, Any] = acts.ADMIN) -> int:
        status, _ = await self.post(acts.channel_message(self.service_url, text, user=user))
        return status

    async def link_channels(self) -> None:
        for role, channel in (("servicedesk", "19:servicedesk"), ("regie", "19:regie"), ("overleg", "19:overleg")):
            activity = acts.channel_message(self.service_url, f"koppel dit kanaal als {role}", channel=channel)
            status, _ = await self.post(activity)
            assert status == 200

    async def execute(self, verb: str, data: dict[str, Any], *, user: dict[str, Any] = acts.AGENT):
        import json

        status, body = await self.post(acts.card_execute(self.service_url, verb, data, user=user, channel="19:servicedesk"))
        return status, (json.loads(body) if body else None)

    async def settle(self) -> None:
        """Wait until messages queued by the last turn have been sent."""
        await self.app[app_module.DELIVERY].wait_idle()

    def replies_to_employee(self, user: dict[str, Any] = acts.EMPLOYEE) -> list[str]:
        return self.connector.texts_to(f"a:personal-{user['aadObjectId']}")


async def start_harness(settings: Settings, clock: FixedClock | None = None) -> BotHarness:
    connector = StubConnector()
    connector_server = TestServer(connector.app(), host="127.0.0.1")
    await connector_server.start_server()
    clock = clock or FixedClock(DEFAULT_START)
    application = app_module.create_app(settings, clock=clock)
    client = TestClient(TestServer(application, host="127.0.0.1"))
    try:
        await client.start_server()
    except BaseException:
        await client.close()
        await connector_server.close()
        raise
    return BotHarness(client=client, connector=connector, connector_server=connector_server, clock=clock)


async def stop_harness(harness: BotHarness) -> None:
    await harness.client.close()
    await harness.connector_server.close()
