"""The outbound token source: no token in local development; with credentials, the SDK's MSAL
credentials asked once per half hour of the injected clock, and once for callers that ask together."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timedelta, timezone

import pytest
from botframework.connector.auth import MicrosoftAppCredentials

from bot.connector import AppTokenSource
from sla.clock import FixedClock

T0 = datetime(2026, 4, 28, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def issued(monkeypatch):
    """MSAL's token call (``MicrosoftAppCredentials.get_access_token``), counted: token-1, token-2, ..."""
    tokens: list[str] = []
    lock = threading.Lock()

    def get_access_token(self, force_refresh: bool = False) -> str:
        with lock:
            tokens.append(f"token-{len(tokens) + 1}")
            return tokens[-1]

    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", get_access_token)
    return tokens


async def test_without_an_app_id_there_is_no_token(issued):
    source = AppTokenSource(app_id="", password="", tenant_id=None, clock=FixedClock(T0))
    assert await source() is None
    assert issued == []


async def test_a_token_is_reused_for_half_an_hour_of_the_clock_then_fetched_again(issued):
    clock = FixedClock(T0)
    source = AppTokenSource(app_id="app-id", password="secret", tenant_id="tenant-1", clock=clock)
    assert await source() == "token-1"
    clock.advance(timedelta(minutes=29, seconds=59))
    assert await source() == "token-1"
    clock.advance(timedelta(seconds=1))
    assert await source() == "token-2"
    assert issued == ["token-1", "token-2"]


async def test_callers_that_ask_together_share_one_fetch(issued):
    source = AppTokenSource(app_id="app-id", password="secret", tenant_id=None, clock=FixedClock(T0))
    assert await asyncio.gather(*(source() for _ in range(10))) == ["token-1"] * 10
    assert issued == ["token-1"]


def test_a_single_tenant_app_gets_its_token_from_its_own_tenant():
    source = AppTokenSource(app_id="app-id", password="secret", tenant_id="tenant-1", clock=FixedClock(T0))
    assert source._credentials.oauth_endpoint == "https://login.microsoftonline.com/tenant-1"
    assert source._credentials.oauth_scope == "https://api.botframework.com"
