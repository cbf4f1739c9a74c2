"""When a campaign's message may reach an employee: pure rules, no I/O, exact to the minute.

- **Quiet hours** (issue 19, PvE §10.5): no announcement or survey between 18:00 and 08:00, at
  weekends or on the policy's holidays, unless it is a P1 disruption. "Allowed" is exactly the
  service window of the SLA policy's working calendar (``sla.calendar``: Monday to Friday
  08:00-18:00 Europe/Amsterdam minus the observed holidays), so there is one calendar, not two. A
  message due in a quiet period waits until the next allowed moment.
- **Weekly maximum**: nobody gets more than ``MAX_NOTICES_PER_WEEK`` non-ticket messages in one
  ISO week (Monday to Sunday, local time). A follow-up or "opgelost" of an announcement does not
  count again (it belongs to the news the person already got), and neither does a P1 disruption.
  Over the maximum an announcement is dropped (a maintenance notice a week late misleads), a
  survey question is postponed to the next week's first allowed moment (``Excess``).
- **48 hours and office hours** (PvE §10.1.3): planned maintenance is announced at least 48 hours
  ahead and takes place outside office hours; otherwise the announcement is refused with its
  reason, unless regie approves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from reach.enums import Excess, Kind
from sla.calendar import BusinessCalendar

MAINTENANCE_NOTICE = timedelta(hours=48)


class Refusal:
    """Why a planned maintenance announcement waits for regie (stored on the campaign)."""

    TOO_LATE = "minder_dan_48_uur"
    OFFICE_HOURS = "binnen_kantoortijd"


def quiet(calendar: BusinessCalendar, at: datetime, *, urgent: bool) -> bool:
    """Whether ``at`` is in a quiet period for a non-urgent message."""
    return not urgent and not calendar.is_open(at)


def next_allowed(calendar: BusinessCalendar, at: datetime, *, urgent: bool) -> datetime:
    """``at`` itself when a message may go then, else the next opening of the service window."""
    return at if not quiet(calendar, at, urgent=urgent) else calendar.next_open(at)


def week_of(at: datetime, calendar: BusinessCalendar) -> str:
    """The ISO week ``at`` falls in, in the calendar's time zone: "2026-W49"."""
    year, week, _ = at.astimezone(calendar.tz).isocalendar()
    return f"{year}-W{week:02d}"


def counts_for_cap(kind: Kind, *, urgent: bool) -> bool:
    """Whether a message of this campaign counts towards (and is held to) the weekly maximum."""
    return not urgent and kind not in (Kind.FOLLOW_UP, Kind.RESOLVED)


@dataclass(frozen=True)
class CapDecision:
    send: bool
    at: datetime | None = None  # postponed: not before this moment (None: dropped, or send now)


def over_cap(calendar: BusinessCalendar, at: datetime, *, received: int, maximum: int, excess: Excess) -> CapDecision:
    """What to do with one more counted message at ``at`` for someone who got ``received`` this week."""
    if received < maximum:
        return CapDecision(send=True)
    if excess is Excess.DROP:
        return CapDecision(send=False)
    local = at.astimezone(calendar.tz)
    monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return CapDecision(send=False, at=calendar.next_open(monday + timedelta(days=7)))


def maintenance_refusals(
    calendar: BusinessCalendar, *, now: datetime, starts: datetime, ends: datetime
) -> tuple[str, ...]:
    """Why planned maintenance from ``starts`` to ``ends`` may not be announced at ``now`` without
    regie: fewer than 48 hours ahead, and/or any minute of it inside office hours (the service
    window). Empty when it may go."""
    reasons = []
    if starts - now < MAINTENANCE_NOTICE:
        reasons.append(Refusal.TOO_LATE)
    if ends > starts and calendar.between(starts, ends) > timedelta(0):
        reasons.append(Refusal.OFFICE_HOURS)
    return tuple(reasons)
