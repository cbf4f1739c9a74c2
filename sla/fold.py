"""The one fold of a ticket's event log: every clock and per-ticket figure the contracts define.

Deadlines, KPIs, regie's notices, the status-update sweep, the export, the reports and the cards
all read ``fold(policy, events, now=...)`` and nothing else reads the log for a clock. What each
clock and figure means, with the documents' words and the choices made where they leave room, is
written down in ``docs/kpi-definitions.md``; this docstring is the short version.

* The policy version is the one in force at the report (``Policy.in_force``): a ticket is held to
  the promise made when it was reported. Every priority-bound clock starts at the report and uses
  the ticket's *last* priority (a P3 raised to P1 counts from the report, DESIGN.md).
* ``now`` is the moment the log is read at; events after it are ignored. A running clock whose due
  has passed at ``now`` is OVERDUE (a breach), a stopped one is MET or MISSED.
* First substantive reaction: the first REACTION (priority confirmed, next step); where the policy
  says ``call_required`` (P1 and so P1-uplift) also a CALL_REGISTERED with ``reached``. The clock
  stops when both are there. ACKNOWLEDGED ("oppakken") and the bot's confirmation never stop it.
* Resolution: the final RESOLVED or CLOSED (not followed by REOPENED); where the policy says
  ``workaround_meets_resolution`` the first WORKAROUND if earlier. Definitive resolution: the final
  resolution.
* "Wacht op derde" is always recorded as a wait (party, reason, from, until); it stops only the
  clocks in the policy's ``pause.stops`` (halt: none; sib: containment), measured in the clock's
  own calendar. While a wait is open a stopped clock has no due (it stands still). A wait longer
  than the priority's ``max_wait`` is ``exceeded`` (regie is told).
* Containment (security incidents) runs from the report when the report was a security incident,
  else from the first SECURITY_FLAGGED (the triage), to the first CONTAINED. The data-breach clock
  (AVG, clock hours) runs from the report or the SECURITY_FLAGGED that says ``data_breach`` to
  DATA_BREACH_REPORTED.
* Onsite and device fallback run from ONSITE_NEEDED / DEVICE_FALLBACK_NEEDED (the moment the need
  is registered) to the first matching _DONE; a same-day swap also meets the P1 device fallback.
* RCA (major incidents) runs from the final resolution to the first RCA_SHARED.
* Updates to the reporter: a schedule of promised moments from the report (or the major-incident
  declaration), each next one a cadence after the last update that counted or, when one was
  missed, after the missed moment. Counts: AGENT_UPDATE, REACTION, the status changes the reporter
  is told of with a person's words (PRIORITY_CHANGED, PAUSED, RESUMED, WORKAROUND, REOPENED,
  AGREED_DATE_SET; not a reopen by the reporter's own "nog niet", which only restarts the cadence)
  and a legacy STATUS_UPDATE_SENT that says ``holding: false``. The bot's
  HOLDING_SENT (and a legacy STATUS_UPDATE_SENT with ``holding`` true or absent) keeps the reporter
  informed and is recorded apart: it never meets a promised moment. Resolution ends the schedule.
* First-time-fix: resolved, never reopened, never handed over to another line (HANDED_OVER with
  ``to_line`` different from the line that had it; the servicedesk is line "1"); a legacy
  ``first_time_fix: false`` on RESOLVED also counts against it. Single owner: from the first
  ACKNOWLEDGED to resolution always one named owner (a hand-over to a person keeps it, one to a
  queue breaks it). MTTP counts only reporters who said at intake they could not work.

Inside, instants are integer microseconds (UTC) as in ``sla.calendar``; the result exposes aware
datetimes in the policy's time zone through properties, computed only when asked. The results are
named tuples, frozen like a dataclass but built three times faster: the KPI pass folds 100,000
tickets within its two seconds (``bench/sla_bench.py``).
"""

from __future__ import annotations

import enum
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from operator import attrgetter
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sla import events as ev
from sla.events import (
    ACKNOWLEDGED,
    AGENT_UPDATE,
    AGREED_DATE_SET,
    BY_REPORTER,
    CALL_REGISTERED,
    CLOSED,
    CONTAINED,
    CSAT,
    DATA_BREACH_REPORTED,
    DEVICE_FALLBACK_DONE,
    DEVICE_FALLBACK_NEEDED,
    HANDED_OVER,
    HOLDING_SENT,
    MAJOR_DECLARED,
    ONSITE_DONE,
    ONSITE_NEEDED,
    PAUSED,
    PRIORITY_CHANGED,
    PRODUCTIVE_AGAIN,
    RCA_SHARED,
    REACTION,
    REOPENED,
    REPORTED,
    RESOLVED,
    RESUMED,
    SECURITY_FLAGGED,
    STATUS_UPDATE_SENT,
    TICKET_LINKED,
    WORKAROUND,
)
from sla.calendar import EPOCH, ONE_US, from_us, merge_pauses_us, to_us
from sla.policy import DayDeadline, Policy, PriorityTerms, Term

FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"
DEFINITIVE_RESOLUTION = "definitive_resolution"
CONTAINMENT = "containment"
ONSITE = "onsite"
DEVICE_FALLBACK = "device_fallback"
DATA_BREACH = "data_breach"
RCA = "rca"

# The servicedesk is the first line; a HANDED_OVER to another line breaks first-time-fix.
FIRST_LINE = "1"
# What the reporter answered to "kun je werken?" when they could not (dialogs.texts.WORK_CHOICES).
COULD_NOT_WORK = "nee"



class BreachCause(enum.StrEnum):
    """Why a clock was breached (``breach_cause``), as a code: the layers that show it find the
    words in ``dialogs.texts.BREACH_CAUSES``."""

    LATE = "late"  # plainly late: nothing else to blame
    PRIORITY_CHANGED = "priority_changed"  # in time under the priority before the last change
    WAITED_ON_THIRD_PARTY = "waited_on_third_party"  # in time had the wait not counted
    PAUSED = "paused"  # late although the waits were already excluded
    NO_UPDATE = "no_update"  # a promised update to the reporter that did not come (sla.kpi)


# The events that keep the reporter informed as the supplier's update (see the module docstring).
UPDATE_KINDS = frozenset(
    {
        AGENT_UPDATE, REACTION, PRIORITY_CHANGED, PAUSED, RESUMED, WORKAROUND,
        REOPENED, AGREED_DATE_SET,
    }
)
_NEVER = 2**62
# Updates after which the next promised moment follows a new or restarted cadence.
_CADENCE_STARTS = frozenset({PRIORITY_CHANGED, REOPENED, AGREED_DATE_SET})


class ClockState(enum.Enum):
    RUNNING = "running"  # not stopped, due not passed
    PAUSED = "paused"  # stands still while a wait is open (only clocks the policy lets a wait stop)
    MET = "met"  # stopped at or before its due
    MISSED = "missed"  # stopped after its due
    OVERDUE = "overdue"  # not stopped and its due has passed

    @property
    def breached(self) -> bool:
        return self is ClockState.MISSED or self is ClockState.OVERDUE


def _local(micros: int | None, tz: ZoneInfo) -> datetime | None:
    """An instant of the fold (UTC microseconds) as people read it: aware, in the policy's zone."""
    return None if micros is None else from_us(micros).astimezone(tz)


_MET, _MISSED, _PAUSED, _OVERDUE, _RUNNING = (
    ClockState.MET, ClockState.MISSED, ClockState.PAUSED, ClockState.OVERDUE, ClockState.RUNNING
)


class Clock(NamedTuple):
    """One contract clock of one ticket."""

    name: str
    start_us: int
    due_us: int | None  # None only while it stands still for a wait
    stop_us: int | None  # the moment it was met (or met late); None while it runs
    state: ClockState
    tz: ZoneInfo

    @property
    def start(self) -> datetime:
        return _local(self.start_us, self.tz)

    @property
    def due(self) -> datetime | None:
        return _local(self.due_us, self.tz)

    @property
    def stopped(self) -> datetime | None:
        return _local(self.stop_us, self.tz)

    @property
    def breached(self) -> bool:
        return self.state.breached


class Wait(NamedTuple):
    """One "wacht op derde": always recorded, whether or not the policy lets it stop a clock."""

    party: str | None
    reason: str | None
    start_us: int
    end_us: int | None  # RESUMED or resolution; None while it lasts
    limit_us: int | None  # start + the priority's max_wait; past it regie is told
    exceeded: bool
    tz: ZoneInfo
    expected: date | None = None  # the day the party expects to be done, as the servicedesk recorded it

    @property
    def start(self) -> datetime:
        return _local(self.start_us, self.tz)

    @property
    def end(self) -> datetime | None:
        return _local(self.end_us, self.tz)

    @property
    def limit(self) -> datetime | None:
        return _local(self.limit_us, self.tz)


class Updates(NamedTuple):
    """The reporter's status updates: what was promised, what was given, what the bot sent."""

    given_us: tuple[int, ...]  # updates that count (a person's words or a status change told)
    missed_us: tuple[int, ...]  # promised moments that passed without one
    missed_major_us: tuple[int, ...]  # of those, the ones under the major-incident cadence
    runs: tuple[int, ...]  # indexes into missed_us where a run of misses begins (after an update)
    holding_us: tuple[int, ...]  # the bot's own "nog geen nieuws" messages, shown apart
    pending_us: int | None  # the next promised moment (not passed at ``now``); None: none owed
    next_due_us: int | None  # when the bot owes the reporter a message (may be past: send now)
    promise_us: int | None  # what a message sent at ``now`` promises: always after ``now``
    long_running: bool  # still open when the first update fell due ("langer dan verwacht")
    tz: ZoneInfo

    @property
    def kept_informed(self) -> bool | None:
        """No promised moment missed; None when the ticket never ran long enough to owe one."""
        return (not self.missed_us) if self.long_running else None

    def at(self, micros: int | None) -> datetime | None:
        return _local(micros, self.tz)

    @property
    def next_due(self) -> datetime | None:
        return self.at(self.next_due_us)

    @property
    def promise(self) -> datetime | None:
        return self.at(self.promise_us)


NEEDED, DONE = "needed", "done"


class Recorded(NamedTuple):
    """What the servicedesk recorded on the card, as the card shows it and its actions check it
    (a loaner is delivered only when one was needed, the AP told only of a data breach, ...)."""

    reacted: bool = False  # a first substantive reaction (REACTION)
    called: bool = False  # a call that reached the reporter (CALL_REGISTERED, reached)
    device_fallback: str | None = None  # NEEDED once registered, DONE once delivered
    onsite: str | None = None  # NEEDED once registered, DONE once the engineer is there
    security_kind: str | None = None  # what happened, while the ticket is a security incident
    contained: bool = False
    breach_reported: bool = False
    major_title: str | None = None  # set once the servicedesk declared a major incident
    rca_shared: bool = False


def _state(needed: int | None, done: int | None) -> str | None:
    return None if needed is None else (NEEDED if done is None else DONE)


class TicketClocks(NamedTuple):
    """Everything the contracts measure on one ticket, as known at ``now_us``."""

    policy: Policy  # the version in force at the report
    ticket: str | None
    opened_us: int
    now_us: int
    priority: str
    previous_priority: str | None  # the priority before the last change, if any
    priority_since_us: int  # when the ticket got its current priority (report or last change)
    uplift: bool
    motivation: str | None
    clocks: Mapping[str, Clock]  # only the clocks that apply, in policy.CLOCK_NAMES order
    updates: Updates
    waits: tuple[Wait, ...]
    resolved_us: int | None  # the final resolution; None while open
    reopened: bool
    resolved_spans: tuple[tuple[int, int | None], ...]  # (resolved, reopened or None), in order
    major_incident: bool
    major_updates_kept: bool | None  # no missed update under the major-incident cadence
    security_incident: bool
    data_breach: bool
    linked: tuple[str, ...]
    first_time_fix: bool | None  # None while open
    single_owner: bool | None  # None while open
    could_work: str | None  # the intake answer ("nee", "omweg", "ja"), None when not asked
    productive_us: int | None
    csat: tuple[int, int, str | None] | None  # (at, score, remark) of the reporter's last score
    channel: str  # how the report came in: REPORTED's channel, "teams" when it names none
    recorded: Recorded  # what the servicedesk recorded on the card

    # -- convenient views ---------------------------------------------------------------------
    @property
    def tz(self) -> ZoneInfo:
        return self.policy.tz

    def at(self, micros: int | None) -> datetime | None:
        """An instant of this ticket as an aware datetime in the policy's time zone."""
        return _local(micros, self.tz)

    @property
    def opened(self) -> datetime:
        return _local(self.opened_us, self.tz)

    def open_at(self, instant: int) -> bool:
        """Whether the ticket was reported and not resolved at ``instant`` (UTC microseconds)."""
        if instant <= self.opened_us:
            return False
        for done, again in self.resolved_spans:
            if done <= instant and (again is None or instant < again):
                return False
        return True

    def clock(self, name: str) -> Clock | None:
        return self.clocks.get(name)

    def due(self, name: str) -> datetime | None:
        clock = self.clocks.get(name)
        return None if clock is None else clock.due

    @property
    def open_wait(self) -> Wait | None:
        return self.waits[-1] if self.waits and self.waits[-1].end_us is None else None

    @property
    def mttr_us(self) -> int | None:
        """Report to final resolution, wall-clock (PvE §10.1.4 MTTR)."""
        return None if self.resolved_us is None else self.resolved_us - self.opened_us

    @property
    def could_not_work(self) -> bool:
        return self.could_work == COULD_NOT_WORK

    @property
    def mttp_us(self) -> int | None:
        """Report to "ik kan weer werken", only for a reporter who could not work (PvE §10.1.4)."""
        if self.productive_us is None or not self.could_not_work:
            return None
        return self.productive_us - self.opened_us

    @property
    def waited_us(self) -> int:
        """Wall-clock time spent waiting on third parties (up to ``now``)."""
        return sum((w.end_us if w.end_us is not None else self.now_us) - w.start_us for w in self.waits)


# --- the fold ----------------------------------------------------------------------------------


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# What the update schedule needs from the log, as (at, code, value) marks in time order.
_UPDATE, _RESTART, _AGREED, _REOPEN, _MAJOR, _HOLDING, _CLOSE, _RESUME = range(8)


def _step(rules: "_Rules", major: bool, first: bool) -> tuple[Any, int] | None:
    """(calendar, step) of the cadence in force; None for P4's agreed date or no cadence."""
    if major:
        calendar, first_step, then = rules.major
        return calendar, (first_step if first else then)
    return rules.cadence


def _agreed_moment(policy: Policy, agreed: date | None, base: int) -> int | None:
    """P4: at the close of the agreed date (the next working day's if it is closed); kept by an
    update on or after that date, and then nothing is owed until a new date is agreed."""
    if agreed is None or from_us(base).astimezone(policy.tz).date() >= agreed:
        return None
    return _close_from(policy, agreed)


def _updates(policy: Policy, priority: str, opened: int, major: bool, marks: list, now: int, end: int) -> tuple[Updates, bool]:
    """The promised update moments, walked once over the marks (integers, local state).

    Each next promised moment runs from the last update that counted or, when one was missed,
    from the missed moment. An update only moves the next moment, and most are followed by
    another mark before that moment could pass, so it is computed when needed (``floor``, a cheap
    lower bound: working time never runs faster than the clock). Where a cadence starts (the
    report, a priority change, a major incident, an agreed date, a reopen) it is computed at once;
    within one cadence later moments are never earlier, so ``earliest`` stays exact. Returns the
    result and whether a major-incident cadence applied.
    """
    rules = _rules(policy, priority)
    major = major and policy.major_incident_cadence is not None
    first = major  # the next moment is a major incident's first update
    agreed: date | None = None
    is_open = True
    given: list[int] = []
    missed: list[int] = []
    missed_major: list[int] = []
    runs: list[int] = []
    holding: list[int] = []
    run_open = False  # the last promised moment was missed and no update came since
    answered = opened  # the last moment the reporter heard anything, bot included
    step = _step(rules, major, first)

    def after(base: int) -> int | None:
        return step[0].add_us(base, step[1]) if step is not None else _agreed_moment(policy, agreed, base)

    due = after(opened)
    earliest = due  # the earliest moment ever promised
    lazy: int | None = None  # the update the next moment runs from, not computed yet
    floor = _NEVER if due is None else due

    def advance(until: int) -> None:
        """Every promised moment before ``until`` without an update is missed."""
        nonlocal due, lazy, floor, run_open, first, step
        if lazy is not None:
            due, lazy = after(lazy), None
        while is_open and due is not None and due < until:
            if not run_open:
                runs.append(len(missed))
                run_open = True
            missed.append(due)
            if major:
                missed_major.append(due)
            if first:
                first = False
                step = _step(rules, major, first)
            if step is None:
                due = after(due)
                continue
            found, due = step[0].steps_us(due, step[1], until)  # a fixed cadence: all at once
            missed.extend(found)
            if major:
                missed_major.extend(found)
        floor = _NEVER if due is None else due

    for at, code, value in marks:
        if floor < at:
            advance(at)
        if code <= _RESTART:  # an update that counts
            given.append(at)
            run_open = False
            if at > answered:
                answered = at
            if not is_open:
                continue
            if first:
                first = False
                step = _step(rules, major, first)
            if code == _RESTART:  # the cadence starts again: plan it now
                if value != priority:
                    priority, rules = value, _rules(policy, value)
                    step = _step(rules, major, first)
                due, lazy = after(at), None
                floor = _NEVER if due is None else due
                if due is not None and (earliest is None or due < earliest):
                    earliest = due
            elif step is None:
                due, lazy = after(at), None
                floor = _NEVER if due is None else due
            else:
                due, lazy, floor = None, at, at + step[1]
        elif code == _HOLDING:
            holding.append(at)
            if at > answered:
                answered = at
        elif code == _AGREED:
            agreed = value
        elif code == _REOPEN:
            is_open = True
        elif code == _RESUME:  # open again without an update: the cadence starts from here
            if value != priority:
                priority, rules = value, _rules(policy, value)
                step = _step(rules, major, first)
            due, lazy = after(at), None
            floor = _NEVER if due is None else due
            if due is not None and (earliest is None or due < earliest):
                earliest = due
        elif code == _MAJOR:
            if policy.major_incident_cadence is not None and not major:
                major = first = True
                step = _step(rules, major, first)
                if is_open:
                    due, lazy = after(at), None
                    floor = _NEVER if due is None else due
                    if due is not None and (earliest is None or due < earliest):
                        earliest = due
        else:  # _CLOSE: resolution is told to the reporter and ends the schedule
            given.append(at)
            is_open = False
            due, lazy, floor = None, None, _NEVER
    advance(end)
    pending = due if is_open else None
    next_due = None
    if is_open:
        index = bisect_right(missed, answered)
        next_due = missed[index] if index < len(missed) else pending
    promise = pending
    if promise is not None and promise <= now:  # the moment after it, had it passed
        if first:
            first = False
            step = _step(rules, major, first)
        promise = after(promise)
    return Updates(  # positional: built for every ticket of a month
        tuple(given), tuple(missed), tuple(missed_major), tuple(runs), tuple(holding), pending, next_due, promise,
        # Open at a moment an update was promised: "langer dan verwacht" (annex O3).
        earliest is not None and earliest < end,
        policy.tz,
    ), major


def fold(policy: Policy, events: Sequence[ev.TicketEvent], *, now: datetime | None = None) -> TicketClocks:
    """Every clock and figure of one ticket from its event log, as known at ``now``.

    ``now`` None reads the whole log as of its last event. The log starts with REPORTED;
    anything else is a ValueError (the caller's data is broken, not the ticket).
    """
    if not events or events[0].kind != REPORTED:
        raise ValueError("a ticket's event log starts with REPORTED")
    return fold_us(policy, events, None if now is None else to_us(now))


def fold_us(policy: Policy, events: Sequence[ev.TicketEvent], now: int | None) -> TicketClocks:
    """``fold`` with ``now`` in UTC microseconds (the KPI pass's integer path)."""
    first = events[0]
    data = first.data
    opened = to_us(first.at)
    policy = policy.in_force_us(opened)
    priority = data["priority"]
    policy.terms(priority)  # an unknown priority is named, not a KeyError
    now_us = max(to_us(events[-1].at), opened) if now is None else now
    previous: str | None = None
    priority_since = opened
    uplift = bool(data.get("uplift", False))
    major = bool(data.get("major_incident", False))
    security_at = opened if data.get("security_incident") else None
    breach_at = opened if data.get("data_breach") else None
    intake = data.get("intake")
    could_work = intake.get("work") if type(intake) is dict else None
    security_kind = ((intake.get("security") if type(intake) is dict else None) or "anders") if security_at else None
    major_title: str | None = None
    marks: list[tuple[int, int, Any]] = []  # for the update schedule (``_updates``)
    priority0, major0 = priority, major
    waits: list[list[Any]] = []  # [party, reason, start, end]
    reaction = call = workaround = resolved = contained = breach_reported = rca_shared = None
    fallback_needed = fallback_done = onsite_needed = onsite_done = productive = None
    fallback_how = None
    reopened = line_handover = legacy_not_ftf = ownerless = False
    line = FIRST_LINE
    owner: str | None = None
    owned = False
    csat: tuple[int, int, str | None] | None = None
    linked: list[str] = []
    spans: list[tuple[int, int | None]] = []

    last = opened
    for event in events[1:]:
        at = (event.at - EPOCH) // ONE_US  # to_us without its check: REPORTED's was checked
        if at < last:
            # Legacy logs wrote some events at their due time, after later ones: read in time order.
            return fold_us(policy, [first, *sorted(events[1:], key=attrgetter("at"))], now)
        last = at
        if at > now_us:
            continue  # not known yet at ``now`` (and a later one out of order still resorts the log)
        kind = event.kind
        edata = event.data
        # The common kinds first: every event of every ticket of a month passes this chain.
        if kind == AGENT_UPDATE:
            marks.append((at, _UPDATE, None))
        elif kind == REACTION:
            if reaction is None:
                reaction = at
            marks.append((at, _UPDATE, None))
        elif kind == ACKNOWLEDGED:
            if owner is None:
                owner = edata.get("agent_id") or "?"
                owned = True
        elif kind == RESOLVED or kind == CLOSED:
            if resolved is None:
                resolved = at
            if kind == RESOLVED and edata.get("first_time_fix") is False:
                legacy_not_ftf = True
            if waits and waits[-1][3] is None:
                waits[-1][3] = at  # resolving ends the wait
            marks.append((at, _CLOSE, None))
        elif kind == PRODUCTIVE_AGAIN:
            if productive is None:
                productive = at
        elif kind == CSAT:
            csat = (at, int(edata["score"]), edata.get("remark") or None)
        elif kind == HOLDING_SENT:
            marks.append((at, _HOLDING, None))
        elif kind == CALL_REGISTERED:
            if call is None and edata.get("reached", True):
                call = at
        elif kind in UPDATE_KINDS:  # the other updates that count
            if kind == PRIORITY_CHANGED:
                previous, priority, priority_since = priority, edata["to"], at
                policy.terms(priority)
                if edata.get("security_incident") and security_at is None:
                    security_at = at
                if priority != "P1":
                    uplift = False
            elif kind == PAUSED:
                if not waits or waits[-1][3] is not None:
                    expected = edata.get("expected")
                    waits.append([edata.get("party"), edata.get("reason"), at, None, _as_date(expected) if expected else None])
            elif kind == RESUMED:
                if waits and waits[-1][3] is None:
                    waits[-1][3] = at
            elif kind == WORKAROUND:
                if workaround is None:
                    workaround = at
            elif kind == REOPENED:
                if resolved is not None:
                    spans.append((resolved, at))
                resolved = None
                reopened = True
                marks.append((at, _REOPEN, None))
                if edata.get("by") == BY_REPORTER:  # "nog niet": open again, but nobody wrote yet
                    marks.append((at, _RESUME, priority))
                    continue
            elif kind == AGREED_DATE_SET:
                marks.append((at, _AGREED, _as_date(edata["date"])))
            marks.append((at, _RESTART, priority) if kind in _CADENCE_STARTS else (at, _UPDATE, None))
            if kind == PRIORITY_CHANGED and edata.get("major_incident") and not major:
                major = True
                marks.append((at, _MAJOR, None))
        elif kind == HANDED_OVER:
            to_line = edata.get("to_line")
            from_line = edata.get("from_line") or line
            if to_line is not None:
                if str(to_line) != str(from_line):
                    line_handover = True
                line = str(to_line)
            to_agent = edata.get("to_agent")
            if to_agent:
                owner = to_agent
                owned = True
            elif owned:
                owner = None
                ownerless = True
        elif kind == STATUS_UPDATE_SENT:
            # Legacy: holding false means it carried the servicedesk's own note.
            marks.append((at, _UPDATE if edata.get("holding") is False else _HOLDING, None))
        elif kind == MAJOR_DECLARED:
            major_title = major_title or edata.get("title") or "-"
            if not major:
                major = True
                marks.append((at, _MAJOR, None))
        elif kind == SECURITY_FLAGGED:
            security_kind = edata.get("kind") or "anders"
            if security_at is None:
                security_at = at
            if edata.get("data_breach") and breach_at is None:
                breach_at = at
        elif kind == CONTAINED:
            if contained is None:
                contained = at
        elif kind == DATA_BREACH_REPORTED:
            if breach_reported is None:
                breach_reported = at
        elif kind == DEVICE_FALLBACK_NEEDED:
            if fallback_needed is None:
                fallback_needed = at
        elif kind == DEVICE_FALLBACK_DONE:
            if fallback_needed is not None and fallback_done is None:
                fallback_done, fallback_how = at, edata.get("how")
        elif kind == ONSITE_NEEDED:
            if onsite_needed is None:
                onsite_needed = at
        elif kind == ONSITE_DONE:
            if onsite_needed is not None and onsite_done is None:
                onsite_done = at
        elif kind == RCA_SHARED:
            if rca_shared is None:
                rca_shared = at
        elif kind == TICKET_LINKED:
            label = edata.get("ticket")
            if label:
                linked.append(str(label))

    terms = policy.terms(priority)
    tz = policy.tz
    end = resolved if resolved is not None else now_us
    updates, major_cadence = _updates(policy, priority0, opened, major0, marks, now_us, end)
    first_stop = reaction
    if terms.call_required:
        first_stop = None if reaction is None or call is None else max(reaction, call)
    resolution_stop = resolved
    if terms.workaround_meets_resolution and workaround is not None:
        resolution_stop = workaround if resolved is None or workaround < resolved else resolved
    wanted = [
        (FIRST_RESPONSE, opened, first_stop, None), (RESOLUTION, opened, resolution_stop, None),
        (DEFINITIVE_RESOLUTION, opened, resolved, None),
    ]
    if security_at is not None:
        wanted.append((CONTAINMENT, security_at, contained, None))
    if onsite_needed is not None:
        wanted.append((ONSITE, onsite_needed, onsite_done, None))
    if fallback_needed is not None:
        wanted.append((DEVICE_FALLBACK, fallback_needed, fallback_done, terms.device_fallback_swap if fallback_how == "swap" else None))
    if breach_at is not None:
        wanted.append((DATA_BREACH, breach_at, breach_reported, None))
    if major and resolved is not None:
        wanted.append((RCA, resolved, rca_shared, None))
    rules = _rules(policy, priority).clocks
    stops = policy.pause_stops
    make = None  # the pause rules and day deadlines, only where a clock needs them
    clocks: dict[str, Clock] = {}
    for name, start, stop, also in wanted:
        rule = rules.get(name)
        if rule is None:
            continue  # no term for this clock under this priority
        term, duration, calendar = rule
        if duration is not None and also is None and (not waits or name not in stops):
            due = calendar.add_us(start, duration)
        else:
            if make is None:
                pauses = merge_pauses_us([(w[2], w[3]) for w in waits if w[3] is not None])
                make = _ClockMaker(policy, pauses, waits[-1][2] if waits and waits[-1][3] is None else None)
            due = make.due(name, start, term, calendar, stop=stop)
            if also is not None and due is not None:
                due = max(due, make.due(name, start, also, calendar, stop=stop))
        if stop is not None:
            state = _MET if stop <= due else _MISSED
        elif due is None:
            state = _PAUSED
        else:
            state = _OVERDUE if now_us > due else _RUNNING
        clocks[name] = Clock(name, start, due, stop, state, tz)

    wait_results = []
    if waits:
        max_wait = terms.max_wait
        wait_calendar = policy.calendar(priority)
        for party, reason, start, stop, expected in waits:
            limit = None if max_wait is None else wait_calendar.add_us(start, max_wait // ONE_US)
            exceeded = limit is not None and (stop if stop is not None else now_us) > limit
            wait_results.append(Wait(party, reason, start, stop, limit, exceeded, tz, expected))

    ticket = data.get("ticket")
    is_resolved = resolved is not None
    return TicketClocks(  # positional, in field order: built for every ticket of a month
        policy,
        str(ticket) if ticket is not None else None,
        opened,
        now_us,
        priority,
        previous,
        priority_since,
        uplift,
        data.get("motivation"),
        clocks,
        updates,
        tuple(wait_results),
        resolved,
        reopened,
        (*spans, (resolved, None)) if is_resolved else tuple(spans),
        major,
        (not updates.missed_major_us) if major_cadence else None,  # major_updates_kept
        security_at is not None,
        breach_at is not None,
        tuple(linked),
        (not (reopened or line_handover or legacy_not_ftf)) if is_resolved else None,  # first_time_fix
        (owned and not ownerless) if is_resolved else None,  # single_owner
        could_work,
        productive,
        csat,
        data.get("channel") or "teams",
        Recorded(
            reaction is not None, call is not None, _state(fallback_needed, fallback_done), _state(onsite_needed, onsite_done),
            security_kind, contained is not None, breach_reported is not None, major_title, rca_shared is not None,
        ),
    )


class _ClockMaker:
    """The deadlines that need more than one addition: a day rule, or waits that stop the clock."""

    __slots__ = ("policy", "pauses", "open_pause")

    def __init__(self, policy: Policy, pauses, open_pause) -> None:
        self.policy, self.pauses, self.open_pause = policy, pauses, open_pause

    def due(self, name: str, start: int, term: Term, calendar, *, stop: int | None = None, paused: bool | None = None) -> int | None:
        """The deadline; None while a wait that stops this clock is still open."""
        if isinstance(term, DayDeadline):
            return _day_deadline(self.policy, start, term)
        duration = term // ONE_US
        if not ((name in self.policy.pause_stops) if paused is None else paused):
            return calendar.add_us(start, duration)
        pauses, open_pause = self.pauses, self.open_pause
        if open_pause is not None and stop is not None:
            # Stopped during the open wait: the wait counts up to the stop.
            pauses, open_pause = merge_pauses_us([*pauses, (open_pause, max(open_pause, stop))]), None
        due = calendar.add_paused_us(start, duration, pauses)
        if open_pause is not None and due > open_pause:
            return None  # stands still until the wait ends
        return due


def breach_cause(ticket: TicketClocks, clock: Clock) -> BreachCause:
    """Why a breached clock was breached, the first that applies (the weekly card's "oorzaak"):
    it would have been in time under the priority before the last change; it would have been in
    time had the wait on a third party not counted (the policy lets no wait stop this clock);
    it was late although the waits were already excluded; or it was plainly late."""
    waits = ticket.waits
    previous = ticket.previous_priority
    if not waits and (previous is None or previous == ticket.priority):
        return BreachCause.LATE  # the common case: nothing else to blame
    policy, name, start, stop = ticket.policy, clock.name, clock.start_us, clock.stop_us
    moment = stop if stop is not None else ticket.now_us
    pauses = merge_pauses_us([(w.start_us, w.end_us) for w in waits if w.end_us is not None])
    open_pause = waits[-1].start_us if waits and waits[-1].end_us is None else None
    make = _ClockMaker(policy, pauses, open_pause)
    if previous is not None and previous != ticket.priority and start == ticket.opened_us:
        before, before_calendar = clock_rule(policy, previous, name)
        if before is not None:
            due = make.due(name, start, before, before_calendar, stop=stop)
            if due is not None and moment <= due:
                return BreachCause.PRIORITY_CHANGED
    waited = any(s < moment and e > start for s, e in pauses) or (open_pause is not None and open_pause < moment)
    if waited:
        if name in policy.pause_stops:
            return BreachCause.PAUSED
        term, calendar = clock_rule(policy, ticket.priority, name)
        excluded = make.due(name, start, term, calendar, stop=moment, paused=True)
        if excluded is not None and moment <= excluded:
            return BreachCause.WAITED_ON_THIRD_PARTY
    return BreachCause.LATE


class _Rules(NamedTuple):
    """One policy version's rules for one priority, looked up once (the fold runs per ticket)."""

    terms: PriorityTerms
    clocks: dict[str, tuple[Term, int | None, Any]]  # (term, microseconds or None for a day rule, calendar)
    cadence: tuple[Any, int] | None  # (calendar, step) of a fixed update cadence
    major: tuple[Any, int, int] | None  # (calendar, first, then) of the major-incident cadence


@lru_cache(maxsize=256)
def _rules(policy: Policy, priority: str) -> _Rules:
    terms = policy.terms(priority)
    calendar = policy.calendar(priority)
    rules = [(name, terms.term(name), calendar) for name in _PRIORITY_CLOCK_ORDER]
    # Data breach: clock hours (the law's 72 hours); RCA: working days; the rest: the priority's.
    rules += [(DATA_BREACH, policy.data_breach_within, policy.clock_calendar), (RCA, policy.rca_within, policy.working_calendar)]
    clocks = {
        name: (term, term // ONE_US if isinstance(term, timedelta) else None, cal)
        for name, term, cal in rules if term is not None
    }
    cadence = terms.update_cadence
    if cadence is None or cadence == "agreed_date":
        step = None
    elif cadence == "working_day":
        step = (policy.working_calendar, policy.working_day // ONE_US)
    else:
        step = (calendar, cadence // ONE_US)
    major = policy.major_incident_cadence
    return _Rules(
        terms, clocks, step, None if major is None else (calendar, major.first // ONE_US, major.then // ONE_US)
    )


_PRIORITY_CLOCK_ORDER = (FIRST_RESPONSE, RESOLUTION, DEFINITIVE_RESOLUTION, CONTAINMENT, ONSITE, DEVICE_FALLBACK)


def clock_rule(policy: Policy, priority: str, name: str) -> tuple[Term | None, Any]:
    """(term, calendar) of a clock for a priority, (None, None) where it has none: the one place
    that says which calendar a clock runs in."""
    term, _, calendar = _rules(policy, priority).clocks.get(name, (None, None, None))
    return term, calendar


def _day_deadline(policy: Policy, start: int, term: DayDeadline) -> int:
    """ "zelfde dag": local midnight after the start; "volgende werkdag": the next working day's close."""
    day = from_us(start).astimezone(policy.tz).date() + timedelta(days=1)
    if term.rule == "same_day":
        return to_us(datetime(day.year, day.month, day.day, tzinfo=policy.tz))
    return _close_from(policy, day)


def _close_from(policy: Policy, day: date) -> int:
    """The close of the service window on ``day``, or on the first working day after it."""
    for _ in range(366):
        close = policy.working_calendar.close_on(day)
        if close is not None:
            return to_us(close)
        day += timedelta(days=1)
    raise ValueError("no working day within a year; check the service windows")
