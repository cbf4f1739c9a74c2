"""What regie is told about a ticket, and at which escalation level (PvE §2.4.3); pure rules.

``due_notices(ticket)`` reads one ticket's fold (``sla.fold``) and lists every notice whose moment
has come at the fold's ``now``; ``bot.regie`` records each once and sends it. The rules, and the
choices made where the documents are silent:

* Every clock the fold keeps (first response, resolution, definitive resolution, containment,
  onsite, device fallback, data breach, RCA) gets a pre-breach warning where the policy has a
  ``warn_before`` threshold for it, and a breach notice at its due when it was not met by then. A
  clock that stands still for a wait has no due and gets nothing until it runs again.
* A missed status update is a breach notice where the policy says ``notify_missed_update`` for the
  priority, or for the major-incident cadence. One notice per run of missed moments (the first one
  of a run), not one per half hour: regie needs to know the reporter is left without news, not a
  stream of the same fact.
* A wait on a third party longer than the priority's ``max_wait`` is one notice ("wacht te lang").
* After a priority change, notices whose moment lies before the change are suppressed (recorded,
  never sent): the change's own notice shows what is already late, no burst follows.
* Escalation levels, decided when a breach is notified: N1 a single breach; N2 the same norm was
  breached on another ticket in the last 30 days, or the disruption hits several processes
  (several teams, everyone, a major incident); N3 a critical disruption (every P1, P1-uplift
  included: PvE §10.1.3 "P1-uplift volgt exact dezelfde communicatie- en escalatieregels als P1"),
  or an N2 that follows another N2 within 30 days.
* A monthly norm missed (PvE §10.1.3 "Afwijkingen worden in de maandelijkse SLR verklaard en
  voorzien van concrete verbeteracties met eigenaar en datum") is an escalation of its own: N2
  ("herhaling/structureel probleem": a month's share is many tickets), N3 when the same norm was
  missed the month before too (§2.4.3 A N3 "(dreigende) contractbreuk": the contract's monthly
  measurement failing again).

An escalation is a record with a life cycle (§2.4.3 B): the rules open it with a proposed level
(step 1, "signalering & registratie"); regie (the ICT Service Manager) assigns the level, confirming
or changing it with a reason ("wijst het niveau toe"); the supplier records the cause and the
corrective action with owner and date (steps 2-3, "herstelacties, termijnen en eigenaarschap");
open N2/N3 escalations are brought up weekly (step 4, "Bij N2/N3: minimaal wekelijkse interne
update"); regie closes it with an evaluation (step 5, "evaluatie op oplossingskwaliteit, snelheid
en samenwerking"). ``STEPS`` says in which states each step may be taken; each level's start term
in working days is ``START_WORKING_DAYS`` (§2.4.3 A "Doorlooptijd start").
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sla.calendar import ONE_US, merge_pauses_us
from sla.fold import Clock, TicketClocks, clock_rule
from sla.kpi import KpiReport
from sla.policy import Policy

UPDATE = "update"  # the norm name of the reporter's status updates
WAIT = "wait"  # the norm name of a wait on a third party


class NoticeKind(enum.Enum):
    WARNING = "warning"
    BREACH = "breach"
    WAIT_TOO_LONG = "wait_too_long"


class Escalation(enum.Enum):
    """Why an escalation gets its level (``dialogs.texts.ESCALATION_WHY`` words it)."""

    SINGLE = "single"
    REPEATED_NORM = "repeated_norm"
    BROAD = "broad"
    CRITICAL = "critical"
    REPEATED_N2 = "repeated_n2"
    NORM_MISSED = "norm_missed"
    NORM_MISSED_AGAIN = "norm_missed_again"


class Level(enum.StrEnum):
    """PvE §2.4.3 A: operationeel, tactisch, strategisch."""

    N1 = "N1"
    N2 = "N2"
    N3 = "N3"


# §2.4.3 A "Doorlooptijd start": N1 within 1 working day, N2 consultation within 3, N3 within 5.
START_WORKING_DAYS = {Level.N1: 1, Level.N2: 3, Level.N3: 5}
# §2.4.3 B4: "Bij N2/N3: minimaal wekelijkse interne update".
REMINDED_WEEKLY = frozenset({Level.N2, Level.N3})


class Trigger(enum.StrEnum):
    BREACH = "breach"  # a deadline of one ticket passed (a breach notice)
    NORM_MISSED = "norm_missed"  # a month's share missed its norm


class State(enum.StrEnum):
    OPEN = "open"  # opened by the rules with a proposed level; regie has not assigned it yet
    ASSIGNED = "assigned"  # regie confirmed or changed the level
    CLOSED = "closed"  # regie closed it with an evaluation


class Step(enum.StrEnum):
    ASSIGN = "assign"  # regie confirms or changes the level, with a reason
    ACTION = "action"  # the supplier records cause and corrective action (owner, date)
    CLOSE = "close"  # regie closes it with an evaluation


# Which step may be taken in which state. Regie may assign again (a level can change as things
# develop) and close without assigning first (closing is the strongest assignment); the supplier
# may correct its cause and action until the escalation is closed.
STEPS: dict[Step, frozenset[State]] = {
    Step.ASSIGN: frozenset({State.OPEN, State.ASSIGNED}),
    Step.ACTION: frozenset({State.OPEN, State.ASSIGNED}),
    Step.CLOSE: frozenset({State.OPEN, State.ASSIGNED}),
}
AFTER_STEP = {Step.ASSIGN: State.ASSIGNED, Step.CLOSE: State.CLOSED}  # ACTION leaves the state


@dataclass(frozen=True)
class Due:
    """One notice whose moment has come."""

    kind: NoticeKind
    clock: str  # a clock name, UPDATE or WAIT
    priority: str
    at: datetime  # the moment the notice is about (warning moment, deadline, missed update)
    due: datetime  # the deadline it concerns
    suppressed: bool = False  # record, never send
    occurrence: str = ""  # which one, for notices that can happen more than once per ticket


def warning_us(ticket: TicketClocks, clock: Clock) -> int | None:
    """When the pre-breach notice of ``clock`` falls: when the working time left equals the
    policy's lead, i.e. start + (term - lead) in the clock's calendar, with the same waits."""
    policy = ticket.policy
    term, calendar = clock_rule(policy, ticket.priority, clock.name)
    if not isinstance(term, timedelta) or clock.due_us is None:
        return None  # a day rule ("zelfde dag") has no lead to warn by
    lead = policy.warn_lead(ticket.priority, clock.name, term)
    if lead is None:
        return None
    left = (term - lead) // ONE_US
    if clock.name not in policy.pause_stops:
        return calendar.add_us(clock.start_us, left)
    pauses = merge_pauses_us((w.start_us, w.end_us) for w in ticket.waits if w.end_us is not None)
    return calendar.add_paused_us(clock.start_us, left, pauses)


def due_notices(ticket: TicketClocks) -> list[Due]:
    """Every warning, breach and wait notice whose moment has come at ``ticket.now_us``."""
    now = ticket.now_us
    changed = ticket.priority_since_us if ticket.previous_priority is not None else None
    priority = ticket.priority
    at = ticket.at
    result: list[Due] = []

    def suppressed(moment: int) -> bool:
        return changed is not None and moment < changed

    for clock in ticket.clocks.values():
        due = clock.due_us
        if due is None:
            continue  # the clock stands still while a wait is open
        stop = clock.stop_us
        breached = now >= due and (stop is None or stop > due)
        if breached:
            result.append(Due(NoticeKind.BREACH, clock.name, priority, at(due), at(due), suppressed(due)))
        warn = warning_us(ticket, clock)
        if warn is not None and now >= warn and (stop is None or stop > warn):
            # A breach that is due makes its warning pointless: recorded, not sent.
            result.append(Due(NoticeKind.WARNING, clock.name, priority, at(warn), at(due), breached or suppressed(warn)))

    policy = ticket.policy
    updates = ticket.updates
    major = policy.major_incident_cadence
    notify_major = major is not None and major.notify_missed_update
    notify = policy.terms(priority).notify_missed_update
    for index in updates.runs:  # one notice per run of missed moments
        missed = updates.missed_us[index]
        is_major = missed in updates.missed_major_us
        if (notify_major and is_major) or (notify and not is_major):
            result.append(
                Due(NoticeKind.BREACH, UPDATE, priority, at(missed), at(missed), suppressed(missed), at(missed).isoformat())
            )
    for wait in ticket.waits:
        if wait.exceeded and wait.limit_us <= now:
            result.append(
                Due(NoticeKind.WAIT_TOO_LONG, WAIT, priority, at(wait.limit_us), at(wait.limit_us),
                    suppressed(wait.limit_us), at(wait.start_us).isoformat())
            )
    return result


def escalation_level(*, same_norm_before: int, broad: bool, critical: bool, n2_before: int) -> tuple[Level, tuple[Escalation, ...]]:
    """(level, why) for a breach, PvE §2.4.3 (see the module docstring)."""
    if critical:
        return Level.N3, (Escalation.CRITICAL,)
    reasons = []
    if same_norm_before:
        reasons.append(Escalation.REPEATED_NORM)
    if broad:
        reasons.append(Escalation.BROAD)
    if reasons:
        if n2_before:
            return Level.N3, (Escalation.REPEATED_N2, *reasons)
        return Level.N2, tuple(reasons)
    return Level.N1, (Escalation.SINGLE,)


def norm_level(*, missed_month_before: bool) -> tuple[Level, tuple[Escalation, ...]]:
    """(level, why) for a monthly norm missed: structural (N2), or again after last month (N3)."""
    if missed_month_before:
        return Level.N3, (Escalation.NORM_MISSED_AGAIN,)
    return Level.N2, (Escalation.NORM_MISSED,)


def start_by(policy: Policy, level: Level, opened: datetime) -> datetime:
    """When the escalation must have started: ``START_WORKING_DAYS`` working days after it opened."""
    return policy.working_calendar.add(opened, policy.working_day * START_WORKING_DAYS[level])


def may(step: Step, state: State) -> bool:
    return state in STEPS[step]


class MissedNorm(NamedTuple):
    """One norm a period's figures missed: ``name`` is ``{priority}:{clock}`` or a figure's name."""

    name: str
    priority: str | None
    figure: str  # a clock name, or kept_informed, first_time_fix, single_owner, csat, backlog, ...


def missed_norms(report: KpiReport) -> list[MissedNorm]:
    """Every norm the period's figures missed (each verdict exactly as ``sla.kpi`` decided it)."""
    missed = [
        MissedNorm(f"{p.priority}:{name}", p.priority, name)
        for p in report.priorities for name, share in p.clocks.items() if share.met is False
    ]
    missed += [MissedNorm(name, None, name) for name, share in report.clocks.items() if share.met is False]
    shares = {
        "kept_informed": report.kept_informed, "major_incident_updates": report.major_incident_updates,
        "first_time_fix": report.first_time_fix, "single_owner": report.single_owner,
    }
    missed += [MissedNorm(name, None, name) for name, share in shares.items() if share is not None and share.met is False]
    if report.csat.average_met is False or report.csat.share_met is False:
        missed.append(MissedNorm("csat", None, "csat"))
    if not report.backlog.within_limits:
        missed.append(MissedNorm("backlog", None, "backlog"))
    return missed
