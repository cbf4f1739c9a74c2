"""Deadlines as people say them, for the chat: "vandaag om 10:17", "dinsdag 28 april om 08:30"."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dialogs import texts
from sla.fold import Wait


def say_when(instant: datetime, *, now: datetime, tz: ZoneInfo) -> str:
    """``instant`` relative to ``now`` (the injected clock's, never the wall clock), both seen in
    the policy's time zone ``tz``."""
    if instant.tzinfo is None or now.tzinfo is None:
        raise ValueError("say_when needs timezone-aware datetimes")
    local = instant.astimezone(tz)
    return texts.moment(day=local.date(), time=f"{local:%H:%M}", today=now.astimezone(tz).date())


def say_period(start: str | None, end: str | None, *, now: datetime, tz: ZoneInfo) -> str | None:
    """An announcement's window from its ISO instants: "van zaterdag 2 mei om 19:00 tot …"."""
    from_text = say_when(datetime.fromisoformat(start), now=now, tz=tz) if start else None
    until_text = say_when(datetime.fromisoformat(end), now=now, tz=tz) if end else None
    return texts.period(start=from_text, end=until_text)


def wait_words(wait: Wait | None) -> tuple[str | None, str | None, str | None] | None:
    """An open "wacht op derde" for a status update: (party, reason, the expected day in words)."""
    if wait is None:
        return None
    return wait.party, wait.reason, texts.day_name(wait.expected) if wait.expected else None
