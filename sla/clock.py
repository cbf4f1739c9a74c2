"""The one clock.

Every part of the product asks an injected ``Clock`` for the time; nothing else reads the wall
clock. Production uses ``SystemClock``; tests use ``FixedClock`` and move it by hand, so an SLA
sweep "30 minutes later" is a function call, not a sleep.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware start")
        self._now = start.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now

    def set(self, instant: datetime) -> datetime:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware instant")
        self._now = instant.astimezone(timezone.utc)
        return self._now


class ShiftableClock:
    """System time plus an offset that only grows: a development clock you can move forward.

    Used by the local development server with ``SERVICEDESK_DEV_TOOLS=1`` so that a status update
    or the weekly summary can be seen without waiting (``bot/devtools.py``).
    """

    def __init__(self, start: datetime | None = None, *, system: Clock | None = None) -> None:
        self._system = system or SystemClock()
        self._offset = timedelta(0)
        if start is not None:
            if start.tzinfo is None:
                raise ValueError("ShiftableClock needs a timezone-aware start")
            self._offset = start - self._system.now()

    def now(self) -> datetime:
        return self._system.now() + self._offset

    @property
    def offset(self) -> timedelta:
        return self._offset

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward")
        self._offset += delta
        return self.now()
