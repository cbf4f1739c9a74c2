"""Deadlines as people say them, in Dutch: "vandaag om 10:17", "dinsdag 28 april om 08:30".

The chat shows "uiterlijk vandaag om 10:17" rather than an ISO timestamp, in the policy's time
zone, relative to the injected clock's ``now`` (never the wall clock). The year is only added
when it differs from the current year.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def humanize_deadline(due: datetime, *, now: datetime, tz: tzinfo) -> str:
    """``due`` relative to ``now`` as a Dutch phrase, both seen in ``tz``."""
    if due.tzinfo is None or now.tzinfo is None:
        raise ValueError("humanize_deadline needs timezone-aware datetimes")
    local_due = due.astimezone(tz)
    today = now.astimezone(tz).date()
    clock = f"om {local_due:%H:%M}"
    days_ahead = (local_due.date() - today).days
    if days_ahead == 0:
        return f"vandaag {clock}"
    if days_ahead == 1:
        return f"morgen {clock}"
    if days_ahead == -1:
        return f"gisteren {clock}"
    day = local_due.date()
    text = humanize_day(day)
    if day.year != today.year:
        text += f" {day.year}"
    return f"{text} {clock}"


def humanize_day(day: date) -> str:
    """A date as people say it: "dinsdag 5 mei"."""
    return f"{WEEKDAYS_NL[day.weekday()]} {day.day} {MONTHS_NL[day.month - 1]}"
