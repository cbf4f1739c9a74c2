"""Deadlines as people say them, for the chat: "vandaag om 10:17", "dinsdag 28 april om 08:30"."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sla import humanize


def say_when(instant: datetime, *, now: datetime, tz: ZoneInfo) -> str:
    return humanize.humanize_deadline(instant, now=now, tz=tz)
