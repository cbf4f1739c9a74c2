"""SQLite statements run on the event loop; the disk and other processes' locks never block it.

``storage.sqlite_inline`` runs statements inline for speed. These tests prove what must not change
with it: a commit (fsync) happens off the event loop, a database locked by another process is
waited for off the event loop, and a lock that outlasts the wait fails clearly with nothing written.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest
from sqlalchemy import event, make_url, text

from storage import sqlite_inline
from storage.db import open_database


@pytest.fixture
async def database(sqlite_database_url):
    db = open_database(sqlite_database_url)
    async with db.engine.begin() as connection:
        await connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"))
    yield db
    await db.dispose()


def _path(db) -> str:
    return make_url(str(db.engine.url)).database


class _Meanwhile:
    """Whether the event loop served other work while a statement waited for a lock off the loop.

    ``storage.sqlite_inline`` hands a locked statement to aiosqlite's worker thread
    (``_waiting_while_busy``); this notes when that happens, and a task on the loop records that it
    ran while the statement was still waiting there. No real time is measured: a wait on the loop
    would keep the task from running until the statement was done.
    """

    def __init__(self, monkeypatch, then=None) -> None:
        self.waiting = threading.Event()
        self.finished = False  # the statement's wait ended (in the worker thread)
        self.served = False
        self._then = then
        original = sqlite_inline._waiting_while_busy

        def noted(fn, timeout):
            run = original(fn, timeout)

            def waiting_run(*args, **kwargs):
                self.waiting.set()
                try:
                    return run(*args, **kwargs)
                finally:
                    self.finished = True

            return waiting_run

        monkeypatch.setattr(sqlite_inline, "_waiting_while_busy", noted)

    async def _watch(self) -> None:
        while not self.waiting.is_set():
            await asyncio.sleep(0)
        self.served = not self.finished
        if self._then is not None:
            self._then()

    def __enter__(self) -> "_Meanwhile":
        self._task = asyncio.get_running_loop().create_task(self._watch())
        return self

    def __exit__(self, *exc) -> None:
        self._task.cancel()


async def test_statements_run_on_the_event_loop_and_commits_in_the_worker_thread(database):
    threads: dict[str, set[int]] = {}

    @event.listens_for(database.engine.sync_engine, "connect")
    def _trace(dbapi_connection, _record):  # a fresh connection for this test: dispose first
        raw = dbapi_connection.driver_connection._conn  # noqa: SLF001 - the sqlite3 connection
        raw.set_trace_callback(lambda sql: threads.setdefault(sql.split()[0].upper(), set()).add(threading.get_ident()))

    await database.engine.dispose()
    async with database.engine.begin() as connection:
        await connection.execute(text("INSERT INTO notes (body) VALUES ('printer kapot')"))
        await connection.execute(text("SELECT body FROM notes"))

    loop_thread = threading.get_ident()
    assert threads["INSERT"] == {loop_thread}
    assert threads["SELECT"] == {loop_thread}
    assert loop_thread not in threads["COMMIT"]


async def test_a_write_waits_off_the_loop_for_another_process_lock_then_succeeds(database, monkeypatch):
    other = sqlite3.connect(_path(database), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process's write transaction holds the lock

    # The other process commits from the event loop while the write waits: only possible if the
    # wait is off the loop (on it, the write would give up after its busy wait).
    with _Meanwhile(monkeypatch, then=lambda: other.execute("COMMIT")) as meanwhile:
        async with database.engine.begin() as connection:
            await connection.execute(text("INSERT INTO notes (body) VALUES ('na het slot')"))

    assert meanwhile.served
    async with database.engine.connect() as connection:
        assert (await connection.execute(text("SELECT body FROM notes"))).scalars().all() == ["na het slot"]
    other.close()


async def test_a_lock_that_outlasts_the_wait_fails_clearly_and_writes_nothing(database, monkeypatch):
    monkeypatch.setattr(sqlite_inline.InlineConnection, "busy_wait_seconds", 0.3)
    other = sqlite3.connect(_path(database), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with _Meanwhile(monkeypatch) as meanwhile, pytest.raises(Exception, match="database is locked"):
            async with database.engine.begin() as connection:
                await connection.execute(text("INSERT INTO notes (body) VALUES ('verloren?')"))
        assert meanwhile.served  # the loop kept serving other turns during the wait
    finally:
        other.execute("ROLLBACK")
        other.close()
    async with database.engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM notes"))).scalar_one() == 0


def test_only_a_lock_held_by_someone_else_counts_as_busy():
    busy = sqlite3.OperationalError("database is locked")
    busy.sqlite_errorcode = sqlite3.SQLITE_BUSY
    stale = sqlite3.OperationalError("database is locked")
    stale.sqlite_errorcode = 517  # SQLITE_BUSY_SNAPSHOT: waiting cannot help
    other = sqlite3.OperationalError("no such table: notes")
    other.sqlite_errorcode = sqlite3.SQLITE_ERROR
    assert sqlite_inline._is_busy(busy)
    assert not sqlite_inline._is_busy(stale)
    assert not sqlite_inline._is_busy(other)
