"""SQLite statements on the event loop's own thread; commits and lock waits in aiosqlite's thread.

Why: aiosqlite runs every call in a worker thread and hands each result back through the event
loop's self-pipe, and SQLAlchemy's adapter makes four such calls per statement (cursor, execute,
fetch, close). On a local SQLite file a statement takes tens of microseconds; the hand-overs cost
several times that, and under load every one of them also waits its turn in a busy event loop while
the one shared connection is held (``storage.db``). Running the statement inline cut about a fifth
of the CPU of a mid-intake turn (bench/README.md, "Turns").

What stays in the worker thread, so the event loop never blocks on the disk or on another process:

- ``COMMIT`` (and closing): with ``synchronous=FULL`` a commit waits for fsync, which is what makes a
  confirmed ticket survive a power failure;
- waiting for a lock: the connection has no busy timeout, so a statement that finds the database
  locked (an operator's ``app.py privacy purge`` in another process, say) fails at once with
  SQLITE_BUSY without having changed anything. It is then run again in the worker thread, retried
  with back-off for up to ``BUSY_WAIT_SECONDS``, as SQLite's own busy handler would have done.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any, Callable

import aiosqlite

BUSY_WAIT_SECONDS = 5.0
_OFF_LOOP = frozenset({"commit", "close"})


def _is_busy(error: sqlite3.OperationalError) -> bool:
    """A lock held by another connection, worth waiting for (a stale WAL snapshot is not)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return "database is locked" in str(error)
    return code & 0xFF == sqlite3.SQLITE_BUSY and code != getattr(sqlite3, "SQLITE_BUSY_SNAPSHOT", 517)


def _waiting_while_busy(fn: Callable[..., Any], timeout: float) -> Callable[..., Any]:
    """``fn`` retried while the database is locked, sleeping 1 ms doubling to 50 ms (worker thread)."""

    def run(*args: Any, **kwargs: Any) -> Any:
        deadline = time.monotonic() + timeout
        delay = 0.001
        while True:
            try:
                return fn(*args, **kwargs)
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or time.monotonic() >= deadline:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    return run


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection whose statements run inline (see the module docstring)."""

    busy_wait_seconds = BUSY_WAIT_SECONDS

    async def _execute(self, fn, *args: Any, **kwargs: Any):
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        if getattr(fn, "__self__", None) is self._connection and getattr(fn, "__name__", "") in _OFF_LOOP:
            return await super()._execute(_waiting_while_busy(fn, self.busy_wait_seconds), *args, **kwargs)
        try:
            return fn(*args, **kwargs)
        except sqlite3.OperationalError as error:
            if not _is_busy(error):
                raise
        return await super()._execute(_waiting_while_busy(fn, self.busy_wait_seconds), *args, **kwargs)


def inline_connector(path: str) -> Callable[[], Any]:
    """``async_creator`` for SQLAlchemy's aiosqlite dialect: opens ``path`` as an InlineConnection."""

    def connect() -> sqlite3.Connection:
        # No busy timeout: a locked database must fail at once on the event loop (see above).
        # The pool hands the connection to one user at a time; only the thread it runs on changes.
        return sqlite3.connect(path, timeout=0, check_same_thread=False)

    async def create() -> InlineConnection:
        connection = InlineConnection(connect, 64)
        connection._thread.daemon = True  # noqa: SLF001 - as SQLAlchemy's dialect does for aiosqlite
        return await connection

    return create
