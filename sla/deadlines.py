"""A ticket's deadlines, derived from the policy and the ticket's facts or event log.

Rules (DESIGN.md "SLA rules"), and the decisions this module makes where the contracts are silent:

* Every clock starts at the original report time. A priority change recomputes every deadline
  from that moment with the new priority (P3 -> P1 counts from the report, not the change).
* Working-hours clocks start counting at the next opening when a ticket arrives outside the window;
  a deadline landing exactly at a window's close is that close (18:00).
* "Wacht op derde" pauses stop only the clocks the policy lists in ``pause.stops`` and are measured
  in that clock's own calendar (a night-long pause costs a working-hours clock nothing).
* An open pause (paused, not yet resumed) makes every deadline it stops *unknown*: the field is
  None while the clock stands still, unless the deadline already fell before the pause began
  (then the pause cannot move it and it is returned). The scheduler has nothing to chase while a
  ticket waits on a third party; when RESUMED arrives the deadline is known again.
* Status updates run from the report, or from the last update the reporter actually received
  (STATUS_UPDATE_SENT or AGENT_UPDATE). "working_day" cadence = same time next working day. P4
  ("agreed_date") is due at the close of the service window on the agreed date (the next working
  day's close if that date is closed), None without an agreed date, and None once an update was
  given on or after that date (until a new date is agreed). A resolved ticket owes no updates.
* Major incidents (policy ``major_incident``, sib): first update within 30 min of the report,
  then every 60 min from the last update; flagged by ``major_incident: true`` in the REPORTED or
  PRIORITY_CHANGED event data.
* Security incidents (``security_incident: true`` in REPORTED or PRIORITY_CHANGED data) get a
  containment deadline where the policy has one for the priority.

Results are aware datetimes in the policy's time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sla import events as ev
from sla.calendar import ONE_US, Pause, from_us, merge_pauses_us, to_us
from sla.policy import Policy, PriorityTerms

# The JSON keys DESIGN.md fixes for `sla deadlines`.
JSON_KEYS = ("first_response_due", "resolution_due", "definitive_resolution_due", "next_update_due")


@dataclass(frozen=True, slots=True)
class Deadlines:
    """When each promise falls due; None where the policy promises nothing or it is not yet known."""

    first_response_due: datetime
    resolution_due: datetime | None
    definitive_resolution_due: datetime | None
    next_update_due: datetime | None
    containment_due: datetime | None = None
    priority: str = ""
    paused_since: datetime | None = None  # set while "wacht op derde" is open


@dataclass(frozen=True, slots=True)
class TicketFacts:
    """What the deadlines depend on, read from an event log (integers are UTC microseconds)."""

    ticket: str | None
    opened: int
    priority: str
    previous_priority: str | None  # the priority before the last change, if any
    pauses: tuple[tuple[int, int], ...]  # closed pauses, merged
    open_pause: int | None  # start of a pause still open
    last_update: int | None
    agreed: date | None
    major_incident: bool
    security_incident: bool
    resolved: bool


# --- integer core (shared with sla.kpi) --------------------------------------------------------


def due_us(
    policy: Policy,
    terms: PriorityTerms,
    priority: str,
    clock_name: str,
    term: timedelta,
    opened: int,
    pauses: Sequence[tuple[int, int]],
    open_pause: int | None,
) -> int | None:
    """The deadline of one clock; pauses count only if the policy says they stop this clock."""
    calendar = policy.calendar(priority)
    duration = term // ONE_US
    if clock_name not in policy.pause_stops:
        return calendar.add_us(opened, duration)
    due = calendar.add_paused_us(opened, duration, pauses)
    if open_pause is not None and due > open_pause:
        return None  # the clock stands still until the pause ends
    return due


def next_update_us(
    policy: Policy,
    terms: PriorityTerms,
    priority: str,
    opened: int,
    last_update: int | None,
    agreed: date | None,
    major_incident: bool,
) -> int | None:
    """When the reporter is owed the next status update (not paused by "wacht op derde")."""
    major = policy.major_incident_cadence if major_incident else None
    if major is not None:
        calendar = policy.calendar(priority)
        if last_update is None:
            return calendar.add_us(opened, major.first // ONE_US)
        return calendar.add_us(last_update, major.then // ONE_US)
    cadence = terms.update_cadence
    if cadence is None:
        return None
    if cadence == "agreed_date":
        if agreed is None:
            return None
        calendar = policy.working_calendar
        if last_update is not None and from_us(last_update).astimezone(policy.tz).date() >= agreed:
            return None
        day = agreed
        for _ in range(366):
            close = calendar.close_on(day)
            if close is not None:
                return to_us(close)
            day += timedelta(days=1)
        return None
    base = last_update if last_update is not None else opened
    if cadence == "working_day":
        return policy.working_calendar.add_us(base, policy.working_day // ONE_US)
    return policy.calendar(priority).add_us(base, cadence // ONE_US)


def compute_us(policy: Policy, facts: TicketFacts) -> tuple[int, int | None, int | None, int | None, int | None]:
    """(first response, resolution, definitive, next update, containment) for the facts."""
    priority = facts.priority
    terms = policy.terms(priority)
    args = (facts.opened, facts.pauses, facts.open_pause)
    first = due_us(policy, terms, priority, "first_response", terms.first_response, *args)
    resolution = due_us(policy, terms, priority, "resolution", terms.resolution, *args)
    definitive = (
        due_us(policy, terms, priority, "definitive_resolution", terms.definitive_resolution, *args)
        if terms.definitive_resolution is not None else None
    )
    containment = (
        due_us(policy, terms, priority, "containment", terms.containment, *args)
        if facts.security_incident and terms.containment is not None else None
    )
    update = None if facts.resolved else next_update_us(
        policy, terms, priority, facts.opened, facts.last_update, facts.agreed, facts.major_incident
    )
    return first, resolution, definitive, update, containment


def _local(policy: Policy, micros: int | None) -> datetime | None:
    return None if micros is None else from_us(micros).astimezone(policy.tz)


def _deadlines(policy: Policy, facts: TicketFacts) -> Deadlines:
    first, resolution, definitive, update, containment = compute_us(policy, facts)
    return Deadlines(
        first_response_due=_local(policy, first),
        resolution_due=_local(policy, resolution),
        definitive_resolution_due=_local(policy, definitive),
        next_update_due=_local(policy, update),
        containment_due=_local(policy, containment),
        priority=facts.priority,
        paused_since=_local(policy, facts.open_pause),
    )


# --- public API -----------------------------------------------------------------------------


def compute_deadlines(
    policy: Policy,
    *,
    priority: str,
    opened: datetime,
    pauses: Sequence[Pause] = (),
    agreed: date | None = None,
    last_update: datetime | None = None,
    major_incident: bool = False,
    security_incident: bool = False,
) -> Deadlines:
    """Deadlines for a ticket reported at ``opened`` with ``priority``.

    ``pauses`` are (start, end) pairs; at most one may be open (end None) and it must be the last.
    """
    policy.terms(priority)  # unknown priority -> ValueError naming the policy's priorities
    opened_us = to_us(opened)
    closed: list[tuple[int, int]] = []
    open_pause: int | None = None
    for start, end in pauses:
        if end is None:
            if open_pause is not None:
                raise ValueError("only one pause can be open")
            open_pause = to_us(start)
            continue
        start_us, end_us = to_us(start), to_us(end)
        if end_us < start_us:
            raise ValueError(f"pause ends before it starts: {start.isoformat()}/{end.isoformat()}")
        closed.append((start_us, end_us))
    merged = merge_pauses_us(closed)
    if open_pause is not None and merged and merged[-1][1] > open_pause:
        raise ValueError("the open pause must start after every closed pause has ended")
    facts = TicketFacts(
        ticket=None,
        opened=opened_us,
        priority=priority,
        previous_priority=None,
        pauses=tuple(merged),
        open_pause=open_pause,
        last_update=to_us(last_update) if last_update is not None else None,
        agreed=agreed,
        major_incident=major_incident,
        security_incident=security_incident,
        resolved=False,
    )
    return _deadlines(policy, facts)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def facts_from_events(events: Sequence[ev.TicketEvent]) -> TicketFacts:
    """Read the facts deadlines depend on from an append-only, chronological event log."""
    if not events or events[0].kind != ev.REPORTED:
        raise ValueError("a ticket's event log starts with REPORTED")
    first = events[0]
    data = first.data
    opened = to_us(first.at)
    priority = data["priority"]
    previous = None
    major = bool(data.get("major_incident", False))
    security = bool(data.get("security_incident", False))
    pauses: list[tuple[int, int]] = []
    open_pause: int | None = None
    last_update: int | None = None
    agreed: date | None = None
    resolved = False
    for event in events[1:]:
        kind = event.kind
        if kind == ev.PAUSED:
            if open_pause is None:
                open_pause = to_us(event.at)
        elif kind == ev.RESUMED:
            if open_pause is not None:
                pauses.append((open_pause, to_us(event.at)))
                open_pause = None
        elif kind in (ev.STATUS_UPDATE_SENT, ev.AGENT_UPDATE):
            last_update = to_us(event.at)
        elif kind == ev.PRIORITY_CHANGED:
            previous = priority
            priority = event.data["to"]
            major = bool(event.data.get("major_incident", major))
            security = bool(event.data.get("security_incident", security))
        elif kind == ev.AGREED_DATE_SET:
            agreed = _as_date(event.data["date"])
        elif kind in (ev.RESOLVED, ev.CLOSED):
            resolved = True
            if open_pause is not None:  # resolving ends the wait
                pauses.append((open_pause, to_us(event.at)))
                open_pause = None
        elif kind == ev.REOPENED:
            resolved = False
    ticket = data.get("ticket")
    return TicketFacts(
        ticket=str(ticket) if ticket is not None else None,
        opened=opened,
        priority=priority,
        previous_priority=previous,
        pauses=tuple(merge_pauses_us(pauses)),
        open_pause=open_pause,
        last_update=last_update,
        agreed=agreed,
        major_incident=major,
        security_incident=security,
        resolved=resolved,
    )


def deadlines_from_events(policy: Policy, events: Sequence[ev.TicketEvent]) -> Deadlines:
    """Deadlines from a ticket's event log (see the module docstring for the rules)."""
    facts = facts_from_events(events)
    policy.terms(facts.priority)
    return _deadlines(policy, facts)


def warning_times(
    policy: Policy, *, priority: str, opened: datetime, pauses: Sequence[Pause] = ()
) -> dict[str, datetime]:
    """When the pre-breach notice for each clock is due (policy ``warn_before``).

    The notice falls when the remaining working time equals the policy's lead, i.e. at
    opened + (term - lead) in the clock's calendar, with the same pause rule as the deadline.
    """
    terms = policy.terms(priority)
    calendar = policy.calendar(priority)
    opened_us = to_us(opened)
    closed = merge_pauses_us((to_us(s), to_us(e)) for s, e in pauses if e is not None)
    result = {}
    for clock_name, term in (
        ("first_response", terms.first_response),
        ("resolution", terms.resolution),
        ("definitive_resolution", terms.definitive_resolution),
    ):
        if term is None:
            continue
        lead = policy.warn_lead(priority, clock_name, term)
        if lead is None:
            continue
        use = closed if clock_name in policy.pause_stops else ()
        at = calendar.add_paused_us(opened_us, (term - lead) // ONE_US, use)
        result[clock_name] = from_us(at).astimezone(policy.tz)
    return result


def deadlines_json(policy: Policy, deadlines: Deadlines) -> dict[str, str | None]:
    """The `sla deadlines` object: ISO 8601 with UTC offset in the policy's time zone, or null."""
    return {
        key: (value.astimezone(policy.tz).isoformat() if value is not None else None)
        for key in JSON_KEYS
        for value in (getattr(deadlines, key),)
    }
