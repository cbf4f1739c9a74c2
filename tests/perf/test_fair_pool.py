"""The database connection goes to turns in the order they asked for it (``storage.fair_pool``).

SQLite has one shared connection, and a turn checks it out about five times. SQLAlchemy's own
asyncio pool let a turn that asked just now take a connection that had been handed to a turn
already waiting, which then queued again at the back: under load some turns were overtaken again
and again (bench/turns.py: a p95 half as high again as the median). What must hold: nobody
overtakes a waiter, and a waiter that gives up never takes the connection with it.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import exc, text
from sqlalchemy.ext.asyncio import create_async_engine

from storage.db import open_database
from storage.fair_pool import FairAsyncPool
from tests.support.databases import sqlite_url


def _waiting(engine) -> int:
    queue = engine.sync_engine.pool._pool
    if hasattr(queue, "waiting"):
        return queue.waiting()
    return sum(1 for getter in queue._queue._getters if not getter.done())  # SQLAlchemy's own pool


async def _until_waiting(engine, count: int) -> None:
    for _ in range(100):
        if _waiting(engine) == count:
            return
        await asyncio.sleep(0)
    raise AssertionError(f"expected {count} waiting checkouts")


async def _checkout_and_note(engine, order: list[str], name: str) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
        order.append(name)


async def test_a_turn_that_asks_again_at_once_does_not_overtake_one_already_waiting(tmp_path):
    database = open_database(sqlite_url(tmp_path))  # SQLite: one shared connection
    order: list[str] = []
    try:
        holder = await database.engine.connect()
        waiter = asyncio.create_task(_checkout_and_note(database.engine, order, "waiting turn"))
        await _until_waiting(database.engine, 1)

        await holder.close()  # the connection goes back ...
        await _checkout_and_note(database.engine, order, "same turn, next transaction")  # ... and is asked for at once
        await waiter

        assert order == ["waiting turn", "same turn, next transaction"]
    finally:
        await database.dispose()


async def test_waiting_turns_get_the_connection_in_the_order_they_asked(tmp_path):
    database = open_database(sqlite_url(tmp_path))
    order: list[str] = []
    try:
        holder = await database.engine.connect()
        waiters = []
        for n in range(5):
            waiters.append(asyncio.create_task(_checkout_and_note(database.engine, order, f"turn {n}")))
            await _until_waiting(database.engine, n + 1)
        await holder.close()
        await asyncio.gather(*waiters)

        assert order == [f"turn {n}" for n in range(5)]
    finally:
        await database.dispose()


async def test_a_checkout_that_times_out_fails_clearly_and_loses_no_connection(tmp_path):
    engine = create_async_engine(
        sqlite_url(tmp_path), poolclass=FairAsyncPool, pool_size=1, max_overflow=0, pool_timeout=0.05
    )
    try:
        holder = await engine.connect()
        with pytest.raises(exc.TimeoutError, match="QueuePool limit"):
            await engine.connect()
        await holder.close()

        async with engine.connect() as connection:  # the pool still has its one connection
            assert (await connection.execute(text("SELECT 1"))).scalar_one() == 1
        assert engine.sync_engine.pool.checkedin() == 1
    finally:
        await engine.dispose()


async def test_a_turn_cancelled_just_as_it_was_handed_the_connection_passes_it_on(tmp_path):
    engine = create_async_engine(
        sqlite_url(tmp_path), poolclass=FairAsyncPool, pool_size=1, max_overflow=0, pool_timeout=2
    )
    order: list[str] = []
    try:
        holder = await engine.connect()
        cancelled = asyncio.create_task(_checkout_and_note(engine, order, "cancelled turn"))
        await _until_waiting(engine, 1)
        next_turn = asyncio.create_task(_checkout_and_note(engine, order, "next turn"))
        await _until_waiting(engine, 2)

        await holder.close()  # handed to the first waiter, which has not run yet ...
        cancelled.cancel()  # ... and is cancelled before it could use it
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        await next_turn  # would time out after 2 s if the connection had been lost

        assert order == ["next turn"]
        assert engine.sync_engine.pool.checkedin() == 1
    finally:
        await engine.dispose()
