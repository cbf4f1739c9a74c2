"""`servicedesk status`: what an operator sees after linking channels, and when something needs them."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest

import app
from cli.common import EXIT_OK, EXIT_PROBLEM
from sla.clock import SystemClock
from storage import jobs, outbox, refs
from storage.db import open_database
from storage.migrate import head_revision, upgrade


@pytest.fixture
def database(tmp_path, monkeypatch):
    from bot.settings import Settings

    for name in Settings.environment_names():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'servicedesk.sqlite3'}"
    upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def seed(url: str, work) -> None:
    """Run ``work(session)`` in one transaction (the commands under test run their own event loop)."""

    async def run() -> None:
        db = open_database(url)
        try:
            async with db.sessions.begin() as session:
                await work(session)
        finally:
            await db.dispose()

    asyncio.run(run())


async def linked_channels(session) -> None:
    for role in refs.CHANNEL_ROLES:
        await refs.save_reference(
            session, kind=refs.CHANNEL, key=role, reference={"conversation": {"id": f"19:{role}"}},
            now=SystemClock().now(), by="beheerder-1",
        )


def status(capsys, *args: str) -> tuple[int, str]:
    code = app.main(["status", *args])
    return code, capsys.readouterr().out


def test_a_new_install_names_each_channel_still_to_link_and_exits_1(database, capsys):
    code, out = status(capsys)
    assert code == EXIT_PROBLEM
    assert f"schema:    {head_revision()} (needed: {head_revision()})" in out
    assert "policy:    halt (Europe/Amsterdam)" in out
    for role in refs.CHANNEL_ROLES:
        assert f"channel {role} is not linked: an admin types `@Servicedesk koppel dit kanaal als {role}`" in out


def test_a_healthy_bot_shows_channels_backlog_leases_and_job_runs_and_exits_0(database, capsys):
    now = SystemClock().now()

    async def work(session):
        await linked_channels(session)
        await outbox.enqueue(session, dedup_key="a", target=outbox.Target.channel("regie"), payload={"kind": "x"}, now=now - timedelta(minutes=12))
        await outbox.enqueue(session, dedup_key="b", target=outbox.Target.channel("regie"), payload={"kind": "x"}, now=now)
        await outbox.claim_due(session, now=now, worker="bot-a", lease=timedelta(minutes=2), limit=1)
        await jobs.claim_period(session, job="weekly_summary", period="2026-W47", worker="bot-b", now=datetime(2026, 11, 23, 7, 30, tzinfo=timezone.utc))

    seed(database, work)
    code, out = status(capsys)
    assert code == EXIT_OK, out
    assert "channel:   servicedesk: linked" in out and "by beheerder-1" in out
    assert "outbox:    2 waiting, oldest 12.0 min; 0 failed for good" in out
    assert "lease:     bot-a is sending 1 message" in out
    assert "job:       weekly_summary: last 2026-W47 at 2026-11-23T07:30:00+00:00 by bot-b" in out
    assert "keys:      not needed (local development mode)" in out
    assert "PROBLEM" not in out


def test_a_failed_message_is_a_problem_and_json_has_the_same_figures(database, capsys):
    now = SystemClock().now()

    async def work(session):
        await linked_channels(session)
        await outbox.enqueue(session, dedup_key="a", target=outbox.Target.user("medewerker-1"), payload={"kind": "x"}, now=now)
        (row,) = await outbox.claim_due(session, now=now, worker="bot-a", lease=timedelta(minutes=2))
        await outbox.mark_failed(session, message_id=row.id, worker="bot-a", error="connector answered 403")

    seed(database, work)
    code, out = status(capsys, "--json")
    assert code == EXIT_PROBLEM
    report = json.loads(out)
    assert report["outbox"]["failed"] == 1 and report["outbox"]["pending"] == 0
    assert report["problems"] == ["1 message failed for good: see docs/operations.md (failed messages)"]


def test_an_old_schema_is_the_one_problem_status_names(tmp_path, monkeypatch, capsys):
    from bot.settings import Settings

    for name in Settings.environment_names():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'servicedesk.sqlite3'}"
    upgrade(url, "0001")
    monkeypatch.setenv("DATABASE_URL", url)
    code, out = status(capsys)
    assert code == EXIT_PROBLEM
    assert f"PROBLEM:   schema is at 0001, this version needs {head_revision()}: run `servicedesk db upgrade`" in out


def test_in_production_status_says_whether_the_signing_keys_can_be_fetched(database, monkeypatch, capsys):
    seed(database, linked_channels)
    monkeypatch.setenv("MICROSOFT_APP_ID", "0b0b0b0b-0000-0000-0000-000000000001")
    monkeypatch.setenv("MICROSOFT_APP_PASSWORD", "geheim")
    monkeypatch.setenv("OPENID_METADATA_URL", "https://127.0.0.1:9/openid")  # nothing listens there
    monkeypatch.setenv("AUTH_KEY_FETCH_TIMEOUT", "2")
    code, out = status(capsys)
    assert code == EXIT_PROBLEM
    assert "keys:      0 signing keys from https://127.0.0.1:9/openid" in out
    assert "PROBLEM:   signing keys cannot be fetched" in out
