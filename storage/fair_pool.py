"""A connection pool that hands a returned connection to the turn that has waited longest.

Why: SQLAlchemy's asyncio pool keeps idle connections in an ``asyncio.Queue``, and a checkout
first tries ``get_nowait()``. When a turn returns the connection, the queue wakes the first
waiter, but that waiter only runs when the event loop gets to it; a turn arriving in between finds
the connection idle and takes it, and the woken waiter finds the queue empty and queues again, at
the back. With SQLite's single shared connection (``storage.db``) a busy bot does about five
checkouts per turn, so some turns were overtaken again and again: at 20 concurrent create turns
(bench/turns.py) the p95 was half as high again as the median.

``FairQueue`` never lets a newcomer overtake: a returned connection goes straight to the oldest
waiter, and ``get`` only takes an idle connection when nobody is waiting. A waiter that gives up
(pool timeout, cancellation) after it was handed a connection passes it on, so none is lost.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from sqlalchemy.pool import AsyncAdaptedQueuePool
from sqlalchemy.util.queue import AsyncAdaptedQueue, Empty, Full


class FairQueue(AsyncAdaptedQueue):
    """The idle connections of a pool, handed out in the order the turns asked for them."""

    def __init__(self, maxsize: int = 0, use_lifo: bool = False) -> None:
        super().__init__(maxsize, use_lifo)
        self._idle: deque[Any] = deque()
        self._waiters: deque[asyncio.Future] = deque()

    def empty(self) -> bool:
        return not self._idle

    def full(self) -> bool:
        return 0 < self.maxsize <= len(self._idle)

    def qsize(self) -> int:
        return len(self._idle)

    def waiting(self) -> int:
        """How many checkouts wait for a connection now (those given up on are not counted)."""
        return sum(1 for waiter in self._waiters if not waiter.done())

    def put_nowait(self, item: Any) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():  # skip waiters that gave up
                waiter.set_result(item)
                return
        if self.full():
            raise Full()
        self._idle.append(item)

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        self.put_nowait(item)  # handing over never waits: a waiter or an idle slot takes it

    def get_nowait(self) -> Any:
        if not self._idle:
            raise Empty()
        return self._idle.pop() if self.use_lifo else self._idle.popleft()

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        if self._idle:  # never while a turn waits: put_nowait hands a returned one to it
            return self.get_nowait()
        if not block:
            raise Empty()
        return self.await_(self._wait(timeout))

    async def _wait(self, timeout: float | None) -> Any:
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(timeout):
                return await waiter
        except BaseException as error:
            if waiter.done() and not waiter.cancelled():
                self.put_nowait(waiter.result())  # handed one just as it gave up: pass it on
            else:
                waiter.cancel()  # put_nowait skips it; its deque entry goes when reached
            if isinstance(error, TimeoutError):
                raise Empty() from None
            raise


class FairAsyncPool(AsyncAdaptedQueuePool):
    """``AsyncAdaptedQueuePool`` with a ``FairQueue``: first come, first served."""

    _queue_class = FairQueue
