"""Engine and sessions for SQLite (the embedded default) and PostgreSQL (production, replicas)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

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


def sync_url(url: str) -> str:
    """The same database for Alembic's synchronous side (run through the async engine)."""
    return normalise_url(url)


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

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - readiness reports any failure as "not ready"
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()


def open_database(url: str, *, echo: bool = False) -> Database:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        # One connection, shared in turn: SQLite lets one writer in at a time anyway, and one bot
        # process owns the file (``storage.single_instance``). Queueing in the pool (FIFO, on the
        # event loop) replaces SQLite's busy handler, which sleeps 1-100 ms per retry and gave
        # "database is locked" after 5 s at 20 concurrent turns (bench/turns.py: p95 585 -> 225 ms).
        # Statements run on the event loop's thread, commits and lock waits in aiosqlite's
        # (``storage.sqlite_inline``: about a fifth less CPU per turn).
        engine = create_async_engine(
            url, echo=echo, pool_size=1, max_overflow=0,
            async_creator=inline_connector(make_url(url).database or ":memory:"),
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        # 20 kept connections: at 20 concurrent turns a pool of 10 opened and closed overflow
        # connections all the time (py-spy: 4 % of a turn in connect and TLS negotiation).
        engine = create_async_engine(url, echo=echo, pool_size=20, max_overflow=10, pool_pre_ping=True)
    return Database(engine=engine, sessions=async_sessionmaker(engine, expire_on_commit=False))
