"""Deadlines as people say them, for the chat: "vandaag om 10:17", "dinsdag 28 april om 08:30"."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dialogs import texts
from sla import humanize
from sla.fold import Wait


def say_when(instant: datetime, *, now: datetime, tz: ZoneInfo) -> str:
    return humanize.humanize_deadline(instant, now=now, tz=tz)


def say_period(start: str | None, end: str | None, *, now: datetime, tz: ZoneInfo) -> str | None:
    """An announcement's window from its ISO instants: "van zaterdag 2 mei om 19:00 tot …"."""
    from_text = say_when(datetime.fromisoformat(start), now=now, tz=tz) if start else None
    until_text = say_when(datetime.fromisoformat(end), now=now, tz=tz) if end else None
    return texts.period(start=from_text, end=until_text)


def wait_words(wait: Wait | None) -> tuple[str | None, str | None, str | None] | None:
    """An open "wacht op derde" for a status update: (party, reason, the expected day in words)."""
    if wait is None:
        return None
    return wait.party, wait.reason, humanize.humanize_day(wait.expected) if wait.expected else None
