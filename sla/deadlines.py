"""A ticket's deadlines as the outside world reads them: the `sla deadlines` JSON object and the
due-time cache on the ticket row. Both are views of the one fold (``sla.fold``); this module adds
no rule of its own.

``compute_deadlines`` answers "what are the deadlines of a ticket reported then, with these waits
and this agreed date?" by folding the log such a ticket would have (REPORTED, PAUSED/RESUMED per
wait, AGREED_DATE_SET), so the command line and the product can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sla import events as ev
from sla.calendar import Pause, from_us, merge_pauses_us, to_us
from sla.fold import CONTAINMENT, DEFINITIVE_RESOLUTION, FIRST_RESPONSE, RESOLUTION, TicketClocks, fold
from sla.policy import Policy

# The JSON keys DESIGN.md fixes for `sla deadlines`.
JSON_KEYS = ("first_response_due", "resolution_due", "definitive_resolution_due", "next_update_due")


@dataclass(frozen=True, slots=True)
class Deadlines:
    """When each promise falls due; None where the policy promises nothing or it is not yet known
    (a clock that stands still while a wait is open)."""

    first_response_due: datetime | None
    resolution_due: datetime | None
    definitive_resolution_due: datetime | None
    next_update_due: datetime | None
    containment_due: datetime | None = None
    priority: str = ""
    paused_since: datetime | None = None  # set while "wacht op derde" is open


def deadlines_of(ticket: TicketClocks) -> Deadlines:
    """The fold's deadlines; ``next_update_due`` is when the bot owes the reporter a message."""
    wait = ticket.open_wait
    return Deadlines(
        first_response_due=ticket.due(FIRST_RESPONSE),
        resolution_due=ticket.due(RESOLUTION),
        definitive_resolution_due=ticket.due(DEFINITIVE_RESOLUTION),
        next_update_due=ticket.updates.next_due,
        containment_due=ticket.due(CONTAINMENT),
        priority=ticket.priority,
        paused_since=wait.start if wait is not None else None,
    )


def deadlines_from_events(policy: Policy, events: Sequence[ev.TicketEvent], *, now: datetime | None = None) -> Deadlines:
    """Deadlines from a ticket's event log, as known at ``now`` (default: its last event)."""
    return deadlines_of(fold(policy, events, now=now))


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
    """Deadlines for a ticket reported at ``opened`` with ``priority``, these waits and this date.

    ``pauses`` are (start, end) pairs; at most one may be open (end None) and it must be the last.
    The agreed date counts as agreed at the report; ``last_update`` is an update the servicedesk
    wrote to the reporter.
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
    log = [
        ev.TicketEvent(ev.REPORTED, opened, {
            "priority": priority, "major_incident": major_incident, "security_incident": security_incident,
        })
    ]
    if agreed is not None:
        log.append(ev.TicketEvent(ev.AGREED_DATE_SET, opened, {"date": agreed.isoformat()}))
    for start, end in merged:
        if end <= opened_us:
            continue  # a wait before the report changes nothing
        log.append(ev.TicketEvent(ev.PAUSED, from_us(max(start, opened_us)), {}))
        log.append(ev.TicketEvent(ev.RESUMED, from_us(end), {}))
    if open_pause is not None:
        log.append(ev.TicketEvent(ev.PAUSED, from_us(max(open_pause, opened_us)), {}))
    if last_update is not None:
        log.append(ev.TicketEvent(ev.AGENT_UPDATE, last_update, {}))
    log.sort(key=lambda event: event.at)
    return deadlines_from_events(policy, log)


def deadlines_json(policy: Policy, deadlines: Deadlines) -> dict[str, str | None]:
    """The `sla deadlines` object: ISO 8601 with UTC offset in the policy's time zone, or null."""
    return {
        key: (value.astimezone(policy.tz).isoformat() if value is not None else None)
        for key in JSON_KEYS
        for value in (getattr(deadlines, key),)
    }
