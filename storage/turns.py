"""One turn at a time per conversation: in this process, and across replicas on PostgreSQL.

Why a lock, and not a retry on an eTag conflict: before a turn saves its dialog state it has often
done things that cannot be undone. It sent replies (a retried turn would send them again), and it
may have committed data of its own (an aanvulling's INFO_ADDED event, a follower linked to an
outage). Two messages of one person at once (a double tap, a photo and its caption) both read the
same state; the second to save it lost the eTag race, and the employee got "Sorry, er ging bij mij
iets mis" with HTTP 200, which Teams does not retry: one message lost. Serialised, the second turn
reads what the first saved, as if it had been sent a moment later.

How:

- in this process, an ``asyncio.Lock`` per conversation: FIFO, so messages are answered in the
  order they arrived, and it costs nothing when nobody waits (the entry goes when unused);
- on PostgreSQL also ``pg_advisory_lock`` on a hash of the conversation, held on a connection of
  its own (``Database.turn_locks``, a small pool apart from the one turns use for their work, so a
  turn waiting for the lock can never take the last connection the turn before it needs). Two
  replicas behind a load balancer get one person's messages in turn; PostgreSQL's lock queue is
  FIFO too. A process that dies mid-turn drops its connection, and with it the lock.
- SQLite serves one process (``storage.single_instance``): the process's own lock is the lock.

A turn that cannot start within ``wait_seconds`` (the one before it is stuck, say on a throttled
channel) raises ``TurnsBusy``: the endpoint answers 503, so Teams delivers the message again
later, instead of holding the request past Teams' own timeout.
"""

from __future__ import annotations

import asyncio
import hashlib
from contextlib import asynccontextmanager
from typing import AsyncIterator

from sqlalchemy import bindparam, func, select

from storage.db import Database

_LOCK = select(func.pg_advisory_lock(bindparam("turn_key")))
_UNLOCK = select(func.pg_advisory_unlock(bindparam("turn_key")))


class TurnsBusy(Exception):
    """The conversation's previous turn did not finish within the wait: try this one again later."""


def lock_key(conversation: str) -> int:
    """A signed 64-bit number for ``pg_advisory_lock`` (two conversations sharing one only wait)."""
    return int.from_bytes(hashlib.blake2b(conversation.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big", signed=True)


class _Local:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0  # turns of this conversation holding or waiting for the lock


class ConversationTurns:
    def __init__(self, database: Database, *, wait_seconds: float = 10.0) -> None:
        self._db = database
        self._wait = wait_seconds
        self._local: dict[str, _Local] = {}

    def queued(self, conversation: str) -> int:
        """How many turns of ``conversation`` this process runs or holds back now."""
        entry = self._local.get(conversation)
        return entry.users if entry is not None else 0

    @asynccontextmanager
    async def one_at_a_time(self, conversation: str) -> AsyncIterator[None]:
        """Run the body as the conversation's only turn; ``TurnsBusy`` if it cannot start in time."""
        deadline = asyncio.get_running_loop().time() + self._wait
        entry = self._local.get(conversation)
        if entry is None:
            entry = self._local[conversation] = _Local()
        entry.users += 1
        try:
            try:
                async with asyncio.timeout_at(deadline):
                    await entry.lock.acquire()
            except TimeoutError:
                raise TurnsBusy(conversation) from None
            try:
                if self._db.turn_locks is None:
                    yield
                else:
                    async with self._across_replicas(conversation, deadline):
                        yield
            finally:
                entry.lock.release()
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._local[conversation]

    @asynccontextmanager
    async def _across_replicas(self, conversation: str, deadline: float) -> AsyncIterator[None]:
        key = {"turn_key": lock_key(conversation)}
        try:
            async with asyncio.timeout_at(deadline):
                connection = await self._db.turn_locks.connect()
        except TimeoutError:
            raise TurnsBusy(conversation) from None
        try:
            try:
                async with asyncio.timeout_at(deadline):
                    await connection.execute(_LOCK, key)
            except BaseException as error:
                # Given up (or failed) while waiting; the lock may have been granted just then.
                # Closing the connection ends the wait and frees whatever it holds.
                await connection.invalidate()
                if isinstance(error, TimeoutError):
                    raise TurnsBusy(conversation) from None
                raise
            try:
                yield
            finally:
                try:
                    await connection.execute(_UNLOCK, key)
                except BaseException:  # noqa: BLE001 - a broken connection: the lock goes with it
                    await connection.invalidate()
        finally:
            await connection.close()
