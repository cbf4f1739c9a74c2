"""The /_dev routes exist only in local development mode with SERVICEDESK_DEV_TOOLS=1.

No Node, no browser: these run everywhere. The end-to-end scenarios use the routes to move the
clock and run scheduled jobs; production must never have them.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from aiohttp.test_utils import TestClient, TestServer

import app as app_module
from bot.devtools import ShiftableClock, dev_clock, dev_tools_enabled
from bot.settings import SettingsError
from tests.support.harness import harness_settings

ROUTES = [("/_dev/clock/advance", {"minutes": 30}), ("/_dev/jobs/status_sweep", {}), ("/_dev/jobs/weekly_summary", {})]


async def _client(settings, clock=None) -> TestClient:
    client = TestClient(TestServer(app_module.create_app(settings, clock=clock), host="127.0.0.1"))
    await client.start_server()
    return client


@pytest.mark.parametrize("flag", [None, "0", "yes"])
async def test_dev_mode_without_the_flag_has_no_dev_routes(sqlite_database_url, monkeypatch, flag):
    if flag is None:
        monkeypatch.delenv("SERVICEDESK_DEV_TOOLS", raising=False)
    else:
        monkeypatch.setenv("SERVICEDESK_DEV_TOOLS", flag)
    settings = harness_settings(sqlite_database_url)
    assert settings.dev_mode
    client = await _client(settings)
    try:
        for path, body in ROUTES:
            assert (await client.post(path, json=body)).status == 404, path
    finally:
        await client.close()


async def test_production_mode_has_no_dev_routes_even_with_the_flag(sqlite_database_url, monkeypatch):
    monkeypatch.setenv("SERVICEDESK_DEV_TOOLS", "1")
    settings = harness_settings(sqlite_database_url, app_id="11111111-2222-3333-4444-555555555555", app_password="x")
    assert not settings.dev_mode and not dev_tools_enabled(settings)
    assert dev_clock(settings) is None
    app = app_module.create_app(settings)
    paths = {getattr(r.resource, "canonical", None) for r in app.router.routes()}
    assert not any(p and p.startswith("/_dev") for p in paths), paths


async def test_dev_mode_with_the_flag_moves_the_clock_and_runs_jobs(sqlite_database_url, monkeypatch):
    monkeypatch.setenv("SERVICEDESK_DEV_TOOLS", "1")
    start = datetime(2026, 4, 28, 7, 0, tzinfo=timezone.utc)
    monkeypatch.setenv("SERVICEDESK_DEV_CLOCK_START", start.isoformat())
    settings = harness_settings(sqlite_database_url)
    clock = dev_clock(settings)
    assert isinstance(clock, ShiftableClock)
    assert abs(clock.now() - start) < timedelta(seconds=5)
    client = await _client(settings, clock=clock)
    try:
        response = await client.post("/_dev/clock/advance", json={"minutes": 90})
        assert response.status == 200
        body = await response.json()
        assert abs(datetime.fromisoformat(body["now"]) - (start + timedelta(minutes=90))) < timedelta(seconds=5)
        assert abs(clock.now() - (start + timedelta(minutes=90))) < timedelta(seconds=5)
        for bad in ({"minutes": -5}, {"minutes": 0}, {"minutes": "10"}, {"minuten": 5}, {"minutes": True}):
            assert (await client.post("/_dev/clock/advance", json=bad)).status == 400, bad
        for name in ("status_sweep", "outbox_sweep", "weekly_summary"):
            response = await client.post(f"/_dev/jobs/{name}")
            assert response.status == 200, name
            assert (await response.json())["job"] == name
        assert (await client.post("/_dev/jobs/drop_tables")).status == 404
    finally:
        await client.close()


def test_a_bad_clock_start_names_the_variable(monkeypatch):
    settings = harness_settings("sqlite+aiosqlite:///unused.sqlite3")
    with pytest.raises(SettingsError, match="SERVICEDESK_DEV_CLOCK_START"):
        dev_clock(settings, env={"SERVICEDESK_DEV_TOOLS": "1", "SERVICEDESK_DEV_CLOCK_START": "dinsdag"})
    with pytest.raises(SettingsError, match="SERVICEDESK_DEV_CLOCK_START"):
        dev_clock(settings, env={"SERVICEDESK_DEV_TOOLS": "1", "SERVICEDESK_DEV_CLOCK_START": "2026-04-28T09:00:00"})


def test_the_shiftable_clock_only_moves_forward():
    clock = ShiftableClock()
    before = clock.now()
    assert clock.advance(timedelta(minutes=10)) - before >= timedelta(minutes=10)
    with pytest.raises(ValueError):
        clock.advance(timedelta(minutes=-1))
