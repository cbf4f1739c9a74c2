"""The real app over HTTP in authentication mode: locally signed tokens, a loopback OpenID
endpoint (``tests.auth.tokens``) and the stub Bot Connector on loopback.

Outbound calls need an Azure AD token in production (MSAL, over the internet); offline the
token source is replaced by a constant, which the stub connector does not check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import func, select

import app as app_module
from bot.connector import AppTokenSource
from storage.models import Base
from tests.auth.tokens import APP_ID, TokenKit, key_server, token_kit  # noqa: F401  (fixtures)
from tests.support import activities as acts
from tests.support.harness import BotHarness, harness_settings, start_harness, stop_harness

APP_PASSWORD = "app-secret-Qx7!never-log-this"
OUTBOUND_TOKEN = "outbound-token-for-tests-only"


@pytest.fixture
def offline_outbound_token(monkeypatch):
    async def constant(self) -> str | None:
        return OUTBOUND_TOKEN if self._credentials is not None else None

    monkeypatch.setattr(AppTokenSource, "__call__", constant)


def auth_settings(database_url: str, kit: TokenKit, **overrides: Any):
    values: dict[str, Any] = dict(
        app_id=APP_ID,
        app_password=APP_PASSWORD,
        allowed_tenants=frozenset({acts.TENANT}),
        openid_metadata_url=kit.server.metadata_url,
        auth_key_fetch_timeout=2.0,
        allow_loopback_service_url=True,
    )
    values.update(overrides)
    return harness_settings(database_url, **values)


@dataclass
class AuthHarness:
    bot: BotHarness
    kit: TokenKit
    turns: list[str]

    def authorization(self, **claims: Any) -> str:
        claims.setdefault("serviceurl", self.bot.service_url)
        return self.kit.authorization(**claims)

    async def post(self, activity: dict[str, Any], authorization: str | None = "valid"):
        headers = {}
        if authorization == "valid":
            authorization = self.authorization()
        if authorization is not None:
            headers["Authorization"] = authorization
        return await self.bot.post(activity, headers=headers)

    async def say(self, text: str | None, **kwargs: Any) -> int:
        status, _ = await self.post(acts.personal_message(self.bot.service_url, text, **kwargs))
        return status

    async def link_channels(self) -> None:
        for role in ("servicedesk", "regie", "overleg"):
            activity = acts.channel_message(self.bot.service_url, f"koppel dit kanaal als {role}", channel=f"19:{role}")
            status, _ = await self.post(activity)
            assert status == 200


def count_turns(harness: BotHarness) -> list[str]:
    """Wrap the endpoint's turn logic; the returned list grows by one activity type per turn."""
    endpoint = harness.app[app_module.ENDPOINT]
    inner = endpoint.logic
    turns: list[str] = []

    async def counting(context):
        turns.append(context.activity.type)
        await inner(context)

    endpoint.logic = counting
    return turns


async def row_counts(harness: BotHarness) -> dict[str, int]:
    counts = {}
    async with harness.app[app_module.DATABASE].sessions() as session:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = (await session.execute(select(func.count()).select_from(table))).scalar_one()
    return counts


@pytest_asyncio.fixture
async def auth_harness(database_url, token_kit, offline_outbound_token):
    bot = await start_harness(auth_settings(database_url, token_kit), clock=token_kit.clock)
    try:
        yield AuthHarness(bot=bot, kit=token_kit, turns=count_turns(bot))
    finally:
        await stop_harness(bot)


@pytest_asyncio.fixture
async def sqlite_auth_harness(sqlite_database_url, token_kit, offline_outbound_token):
    bot = await start_harness(auth_settings(sqlite_database_url, token_kit), clock=token_kit.clock)
    try:
        yield AuthHarness(bot=bot, kit=token_kit, turns=count_turns(bot))
    finally:
        await stop_harness(bot)
