"""Engine and sessions for SQLite (the embedded default) and PostgreSQL (production, replicas)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlalchemy import event, exc, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage.fair_pool import FairAsyncPool
from storage.sqlite_inline import inline_connector

DEFAULT_SQLITE_FILE = "servicedesk.sqlite3"


def default_database_url(workdir: Path | None = None) -> str:
    path = (workdir or Path.cwd()) / DEFAULT_SQLITE_FILE
    return f"sqlite+aiosqlite:///{path}"


def normalise_url(url: str) -> str:
    """Accept the URLs operators write ("postgresql://", "sqlite:///x") and pick the async driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url[len("postgresql://") :]
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (None for PostgreSQL or an in-memory database)."""
    parsed = make_url(normalise_url(url))
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets another process (the CLI) read while the bot writes. Lock waits are not SQLite's
    # busy timeout but storage.sqlite_inline's, off the event loop.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@dataclass
class Database:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    # For work that is one statement (atomic on its own): the hot per-turn reads and writes. On
    # PostgreSQL it autocommits, one round trip instead of three (BEGIN, the statement, COMMIT or
    # ROLLBACK); on SQLite it is ``engine`` itself (pysqlite begins only before a write anyway).
    single_statement: AsyncEngine
    # PostgreSQL only: connections that hold a conversation's turn lock (``storage.turns``) while
    # the turn does its work on ``engine``'s. None on SQLite, whose one process needs no such lock.
    turn_locks: AsyncEngine | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def commits_are_costly(self) -> bool:
        """Whether two writes of a turn are better committed together than one by one.

        On SQLite each commit waits for an fsync and is handed to aiosqlite's thread (about
        0.3 ms of CPU beside the statement, and the one connection is held meanwhile); on
        PostgreSQL a single statement autocommits in one round trip, and a transaction around
        two would cost two more (BEGIN and COMMIT).
        """
        return self.is_sqlite

    async def problem(self) -> str | None:
        """None when the database can be read and written now; otherwise what is wrong, in words.

        Read-only is checked on the files themselves, never by writing: SQLite writes its WAL
        index through a memory map of the ``-shm`` file, and a write to one that can no longer be
        written kills the process with SIGBUS (no exception, no log line). Locked is checked with
        a short ``BEGIN IMMEDIATE`` of a connection of its own (another process holding the write
        lock made every turn wait 5 s for a 503 while /readyz said ready).
        """
        if self.is_sqlite:
            path = make_url(self.engine.url).database
            if path and path != ":memory:":
                if _read_only(Path(path)):
                    return "read-only: the database file, its -wal/-shm files or its folder cannot be written"
                try:
                    await asyncio.to_thread(_take_write_lock, path)
                except sqlite3.OperationalError as error:
                    return "locked by another process" if "locked" in str(error) else f"cannot be written: {error}"
        try:
            async with self.engine.connect() as conn:
                if not self.is_sqlite and (await conn.execute(text("SHOW transaction_read_only"))).scalar() == "on":
                    return "read-only (a standby, or a server in read-only mode)"
                await conn.execute(text("SELECT 1"))
        except Exception as error:  # noqa: BLE001 - readiness reports any failure as "not ready"
            return f"unreachable ({type(error).__name__})"
        return None

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.turn_locks is not None:
            await self.turn_locks.dispose()


class DatabaseReadOnly(RuntimeError):
    """The SQLite database's files cannot be written: nothing is read or written until they can."""


def _refuse_when_read_only(engine: AsyncEngine, database: Path) -> None:
    """Refuse every use of the connection while the database's files cannot be written.

    SQLite keeps its WAL index in a memory map of the ``-shm`` file; once that file (or the
    database) can no longer be written, SQLite's next write through the map kills the process with
    SIGBUS: no exception, no log line, and a restart loop. So before each statement (two ``access``
    calls, about a microsecond each) the files are looked at, and a request meets
    ``DatabaseReadOnly`` instead: the endpoint answers 503 with one clear log line, ``/readyz`` says
    "read-only". Not at the pool's checkout: a refused checkout closes the connection, and closing
    SQLite's last connection checkpoints the WAL, which is a write.
    """
    watched = (database, Path(f"{database}-shm"))

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _check(*_statement) -> None:
        if any(not os.access(f, os.W_OK) for f in watched if f.exists()):
            raise DatabaseReadOnly(f"the database {database} cannot be written (read-only file or file system)")


def _read_only(database: Path) -> bool:
    """Whether SQLite could not write ``database`` (or create its -wal/-shm files beside it)."""
    folder = database.parent
    files = [f for f in (database, Path(f"{database}-wal"), Path(f"{database}-shm")) if f.exists()]
    if not os.access(folder, os.W_OK | os.X_OK) or any(not os.access(f, os.W_OK) for f in files):
        return True
    return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)


def _take_write_lock(path: str) -> None:
    """Take SQLite's write lock for a moment on a connection of its own (raises when it cannot)."""
    connection = sqlite3.connect(path, timeout=1.0)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
    finally:
        connection.close()


# A pooled PostgreSQL connection is checked before use only when it lay idle this long.
PING_AFTER_IDLE_SECONDS = 10.0


def _ping_after_idle(engine: AsyncEngine, *, idle_seconds: float, monotonic: Callable[[], float]) -> None:
    """Check a pooled connection before use only when it lay idle ``idle_seconds`` or longer.

    SQLAlchemy's ``pool_pre_ping`` checks on every checkout, and asyncpg's ping is three round
    trips (BEGIN, a query, ROLLBACK): with several checkouts per turn that was about a sixth of a
    mid-intake turn's CPU (bench/turns.py). A connection that served a turn moments ago is as good
    as the one the turn had; one that lay idle (a quiet night, a database restart meanwhile) is
    pinged, and a failed ping makes the pool open a fresh connection instead (the pessimistic
    check of SQLAlchemy's documentation). A connection the server has closed meanwhile (a
    restart, a failover, an idle-session timeout) is known to asyncpg without a round trip, as soon
    as the event loop saw the socket close (``is_closed()``): it is never handed out, used or not
    minutes ago, so the first request after a database restart is served, not answered 503.
    """

    @event.listens_for(engine.sync_engine, "checkin")
    def _idle_from_now(_dbapi_connection, record) -> None:
        record.info["idle_since"] = monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
        if record.driver_connection.is_closed():
            raise exc.DisconnectionError("the server closed this connection")
        since = record.info.get("idle_since")
        if since is None or monotonic() - since < idle_seconds:
            return  # fresh, or in use moments ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001 - any failed ping: do not hand this connection out
            raise exc.DisconnectionError(f"idle connection failed its ping: {error}") from error


def open_database(
    url: str,
    *,
    echo: bool = False,
    ping_after_idle: float = PING_AFTER_IDLE_SECONDS,
    monotonic: Callable[[], float] = time.monotonic,
) -> Database:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        # One connection, shared in turn: SQLite lets one writer in at a time anyway, and one bot
        # process owns the file (``storage.single_instance``). Queueing in the pool (FIFO, on the
        # event loop) replaces SQLite's busy handler, which sleeps 1-100 ms per retry and gave
        # "database is locked" after 5 s at 20 concurrent turns (bench/turns.py: p95 585 -> 225 ms).
        # Statements run on the event loop's thread, commits and lock waits in aiosqlite's
        # (``storage.sqlite_inline``: about a fifth less CPU per turn).
        engine = create_async_engine(
            url, echo=echo, pool_size=1, max_overflow=0, poolclass=FairAsyncPool,
            async_creator=inline_connector(make_url(url).database or ":memory:"),
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        path = make_url(url).database
        if path and path != ":memory:":
            _refuse_when_read_only(engine, Path(path))
    else:
        # 20 kept connections: at 20 concurrent turns a pool of 10 opened and closed overflow
        # connections all the time (py-spy: 4 % of a turn in connect and TLS negotiation).
        engine = create_async_engine(url, echo=echo, pool_size=20, max_overflow=10, poolclass=FairAsyncPool)
        _ping_after_idle(engine, idle_seconds=ping_after_idle, monotonic=monotonic)
    if url.startswith("sqlite"):
        return Database(engine=engine, sessions=async_sessionmaker(engine, expire_on_commit=False), single_statement=engine)
    # One connection per personal-chat turn in progress, held while the turn runs: as many as
    # there are concurrent turns at most, kept few when idle (each replica adds these to the server's
    # connection count: max 30 of ``engine`` + 30 here).
    turn_locks = create_async_engine(
        url, echo=echo, pool_size=5, max_overflow=25, poolclass=FairAsyncPool, isolation_level="AUTOCOMMIT"
    )
    _ping_after_idle(turn_locks, idle_seconds=ping_after_idle, monotonic=monotonic)
    return Database(
        engine=engine, sessions=async_sessionmaker(engine, expire_on_commit=False),
        single_statement=engine.execution_options(isolation_level="AUTOCOMMIT"), turn_locks=turn_locks,
    )
