"""The audit trail: hash-chained, append-only, verified by ``python app.py audit verify``."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select, text, update

import app as app_module
from storage import audit
from storage.db import open_database
from storage.migrate import upgrade
from storage.models import AuditEntry
from tests.support.databases import sqlite_url

T0 = datetime(2026, 4, 28, 6, 0, tzinfo=timezone.utc)


async def _fill(url: str, n: int) -> None:
    database = open_database(url)
    try:
        for start in range(0, n, 100):
            async with database.sessions.begin() as session:
                for i in range(start, min(n, start + 100)):
                    await audit.append(
                        session,
                        at=T0 + timedelta(seconds=i, microseconds=i),
                        actor_id=f"agent-{i % 7}",
                        action=("oppakken", "update", "opgelost")[i % 3],
                        ticket_id=i // 3 + 1,
                        result="done" if i % 5 else "refused_stale",
                        details={"version": i, "name": "Karim", "ratio": 0.5, "nested": {"n": [1, 2]}},
                    )
    finally:
        await database.dispose()


async def _execute(url: str, statement) -> None:
    database = open_database(url)
    try:
        async with database.sessions.begin() as session:
            await session.execute(statement)
    finally:
        await database.dispose()


def _cli(monkeypatch, capsys, url: str) -> tuple[int, str]:
    monkeypatch.setenv("DATABASE_URL", url)
    code = app_module.main(["audit", "verify"])
    return code, capsys.readouterr().out


def test_audit_verify_finds_one_altered_row_among_1000(tmp_path, monkeypatch, capsys):
    url = sqlite_url(tmp_path)
    upgrade(url)
    asyncio.run(_fill(url, 1000))
    code, out = _cli(monkeypatch, capsys, url)
    assert code == 0 and "OK" in out and "1000" in out

    asyncio.run(_execute(url, update(AuditEntry).where(AuditEntry.id == 617).values(result="done", actor_id="iemand-anders")))
    code, out = _cli(monkeypatch, capsys, url)
    assert code == 1 and "entry 617" in out and "altered" in out


def test_audit_verify_finds_an_altered_detail_a_deleted_row_and_a_rehashed_row(tmp_path, monkeypatch, capsys):
    url = sqlite_url(tmp_path)
    upgrade(url)
    asyncio.run(_fill(url, 50))
    # Changing only the JSON details is found.
    asyncio.run(_execute(url, text("UPDATE audit_log SET details = '{\"version\": 999}' WHERE id = 20")))
    code, out = _cli(monkeypatch, capsys, url)
    assert code == 1 and "entry 20" in out

    url2 = sqlite_url(tmp_path / "b")
    (tmp_path / "b").mkdir()
    upgrade(url2)
    asyncio.run(_fill(url2, 50))
    asyncio.run(_execute(url2, delete(AuditEntry).where(AuditEntry.id == 30)))
    code, out = _cli(monkeypatch, capsys, url2)
    assert code == 1 and "entry 31" in out and "prev_hash" in out

    # Recomputing the altered row's own hash does not help: the next link breaks.
    url3 = sqlite_url(tmp_path / "c")
    (tmp_path / "c").mkdir()
    upgrade(url3)
    asyncio.run(_fill(url3, 50))

    async def rehash() -> None:
        database = open_database(url3)
        try:
            async with database.sessions.begin() as session:
                row = await session.get(AuditEntry, 10)
                row.result = "done"
                row.actor_id = "vervalst"
                await session.flush()
                row.hash = audit.chain_hash(row.prev_hash, audit.entry_of(row))
        finally:
            await database.dispose()

    asyncio.run(rehash())
    code, out = _cli(monkeypatch, capsys, url3)
    assert code == 1 and "entry 11" in out


async def test_chain_holds_under_concurrent_appends_on_both_databases(database_url):
    database = open_database(database_url)
    try:
        async def one(i: int) -> None:
            async with database.sessions.begin() as session:
                await audit.append(session, at=T0, actor_id=f"a{i}", action="x", ticket_id=i, result="done", details={})

        await asyncio.gather(*(one(i) for i in range(40)))
        async with database.sessions() as session:
            result = await audit.verify(session)
        assert result.ok and result.checked == 40
    finally:
        await database.dispose()


async def test_no_tokens_or_secrets_are_stored(sqlite_database_url):
    database = open_database(sqlite_database_url)
    try:
        async with database.sessions.begin() as session:
            await audit.append(
                session, at=T0, actor_id="a", action="x", ticket_id=None, result="done",
                details={
                    "token": "eyJhbGciOi", "Authorization": "Bearer abc", "app_password": "p", "client_secret": "s",
                    "nested": {"access_token": "t", "keep": 1}, "keep": "ja",
                },
            )
        async with database.sessions() as session:
            row = (await session.execute(select(AuditEntry))).scalar_one()
        assert row.details == {"nested": {"keep": 1}, "keep": "ja"}
    finally:
        await database.dispose()
