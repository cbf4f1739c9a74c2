"""PostgreSQL connections are checked only after lying idle, and a dead one is replaced unnoticed.

``storage.db`` pings a pooled connection before use only when it lay idle for a while (asyncpg's
ping is three round trips; pinging on every checkout cost a sixth of a turn). What must hold: a
connection the server dropped during a quiet spell never reaches a turn, and a connection in use
moments ago is not pinged again.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from storage.db import open_database

pytestmark = pytest.mark.postgres


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _backend_pid(db) -> int:
    async with db.engine.connect() as connection:
        return (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()


async def _terminate(db, pid: int) -> None:
    async with db.engine.connect() as connection:  # a second pooled connection does the killing
        await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


async def test_a_connection_dropped_during_a_quiet_spell_is_replaced_before_a_turn_gets_it(postgres_database_url):
    clock = _Clock()
    db = open_database(postgres_database_url, ping_after_idle=10.0, monotonic=clock)
    try:
        async with db.engine.connect() as first, db.engine.connect() as second:  # two pooled connections
            victim = (await first.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            await second.execute(text("SELECT 1"))
        await _terminate(db, victim)  # e.g. the server restarted, or a firewall cut the idle link
        clock.now += 60  # a quiet minute

        for _ in range(2):  # both pooled connections are handed out again, and both work
            assert await _backend_pid(db) != victim
    finally:
        await db.dispose()


async def test_a_connection_used_moments_ago_is_not_pinged_again(postgres_database_url, monkeypatch):
    clock = _Clock()
    db = open_database(postgres_database_url, ping_after_idle=10.0, monotonic=clock)
    pings: list[object] = []
    real_ping = db.engine.dialect.do_ping
    monkeypatch.setattr(db.engine.dialect, "do_ping", lambda connection: pings.append(connection) or real_ping(connection))
    try:
        for _ in range(5):
            await _backend_pid(db)
            clock.now += 1
        assert pings == []
        clock.now += 30
        await _backend_pid(db)
        assert len(pings) == 1
    finally:
        await db.dispose()
