"""KPIs over a period, from ticket event logs, measured against the policy.

Contract managers hold these figures next to the supplier's own report, so what counts where is
written down here and nowhere else. The period is half-open: ``start <= t < end``. Events after
``now`` are ignored (the log as known at ``now``).

Which tickets count
-------------------
* **First response** (per priority): tickets *reported* in the period. Within norm when the first
  ACKNOWLEDGED (the first substantive human reaction; the bot's confirmation is no event) is at or
  before the deadline. A ticket without a reaction counts as a breach once its deadline has passed
  at ``now``; before that it is still pending and not counted.
* **Resolution** (per priority): tickets whose resolution clock *stopped* in the period. It stops
  at the final RESOLVED (one not followed by REOPENED); for priorities with
  ``workaround_meets_resolution`` (P1: "noodoplossing"/stabilisation) at the first WORKAROUND if
  that came earlier. **Definitive resolution** (sib P1): tickets finally resolved in the period.
* The priority is the ticket's last priority; deadlines are computed from the report time with it
  (a priority change recomputes from the report, see ``sla.deadlines``).
* Share within norm = within / counted, compared with the priority's ``norm_percent``; with
  nothing counted the share and verdict are None (no tickets, no verdict).
* **MTTR**: mean elapsed clock time from report to final resolution, for tickets finally resolved
  in the period (minutes). **MTTP**: mean elapsed clock time from report to the employee's first
  PRODUCTIVE_AGAIN, for tickets whose PRODUCTIVE_AGAIN falls in the period. Both wall-clock,
  because "weer productief" is felt in real time; the norms above use the contract's clocks.
* **Backlog**: at ``min(end, now)``, tickets reported before then and not resolved at that moment;
  "old" when more than ``age_working_days`` working days (of ``working_day`` hours each, in the
  working-hours calendar) have passed since the report. Within limits when the share of old tickets
  is at most ``max_share_percent`` and their number at most ``max_count``.
* **CSAT**: CSAT events in the period: average score and share of scores >= 7.
* **First-time-fix**: tickets finally resolved in the period whose RESOLVED says
  ``first_time_fix`` and that were never reopened.
* **Single owner**: tickets finally resolved in the period without any HANDED_OVER.
* **Kept informed**: among tickets finally resolved in the period that were still open when their
  first status update fell due ("long-running"), the share where no due update was missed: every
  update came at or before the time it was due, and none was due and missing at resolution.
* **P1-uplifts**: tickets reported in the period with ``uplift`` in REPORTED, with motivation.
* **Channels**: tickets reported in the period per channel (REPORTED's ``channel``; missing means
  Teams), so a report that also counts phone, e-mail and portal incidents says how many.
* **Breaches**: every first-response, resolution or definitive-resolution breach counted above,
  plus tickets still open whose resolution deadline fell in the period and passed before ``now``
  (``stopped`` null). Each has one cause, the first that applies:
    - "prioriteit gewijzigd": it would have been in time under the priority before the last change;
    - "wachtte op derde": the ticket waited on a third party, this clock is not paused by that,
      and it would have been in time had the waiting been excluded;
    - "gepauzeerd": the waiting time was already excluded (the clock was paused) and it was
      still late;
    - "te laat": plainly late.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sla import events as ev
from sla.calendar import EPOCH, ONE_US, from_us, merge_pauses_us, to_us
from sla.deadlines import next_update_us
from sla.policy import PRIORITIES, Policy

CAUSE_PRIORITY_CHANGED = "prioriteit gewijzigd"
CAUSE_WAITED_ON_THIRD_PARTY = "wachtte op derde"
CAUSE_PAUSED = "gepauzeerd"
CAUSE_LATE = "te laat"

_MINUTE = 60_000_000


def _pct(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(frozen=True)
class NormFigure:
    """How many counted tickets stayed within the deadline, against the norm."""

    counted: int
    within: int
    norm_percent: float

    @property
    def share_percent(self) -> float | None:
        return _pct(self.within, self.counted)

    @property
    def met(self) -> bool | None:
        share = self.share_percent
        return None if share is None else share >= self.norm_percent

    def to_dict(self) -> dict[str, Any]:
        return {
            "counted": self.counted, "within": self.within, "share_percent": _r(self.share_percent),
            "norm_percent": self.norm_percent, "met": self.met,
        }


@dataclass(frozen=True)
class ShareFigure:
    """A plain share: ``yes`` out of ``counted``."""

    counted: int
    yes: int

    @property
    def share_percent(self) -> float | None:
        return _pct(self.yes, self.counted)

    def to_dict(self) -> dict[str, Any]:
        return {"counted": self.counted, "yes": self.yes, "share_percent": _r(self.share_percent)}


@dataclass(frozen=True)
class PriorityKpis:
    priority: str
    reported: int
    resolved: int
    first_response: NormFigure
    resolution: NormFigure
    definitive_resolution: NormFigure | None
    mttr_minutes: float | None
    mttp_minutes: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "priority": self.priority,
            "reported": self.reported,
            "resolved": self.resolved,
            "first_response": self.first_response.to_dict(),
            "resolution": self.resolution.to_dict(),
            "definitive_resolution": (
                self.definitive_resolution.to_dict() if self.definitive_resolution else None
            ),
            "mttr_minutes": _r(self.mttr_minutes, 1),
            "mttp_minutes": _r(self.mttp_minutes, 1),
        }


@dataclass(frozen=True)
class BacklogFigure:
    at: datetime
    open_count: int
    older_count: int
    age_working_days: int
    max_share_percent: float
    max_count: int

    @property
    def older_share_percent(self) -> float | None:
        return _pct(self.older_count, self.open_count)

    @property
    def within_limits(self) -> bool:
        share = self.older_share_percent or 0.0
        return share <= self.max_share_percent and self.older_count <= self.max_count

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(), "open_count": self.open_count,
            "older_count": self.older_count, "older_share_percent": _r(self.older_share_percent),
            "age_working_days": self.age_working_days, "max_share_percent": self.max_share_percent,
            "max_count": self.max_count, "within_limits": self.within_limits,
        }


@dataclass(frozen=True)
class CsatFigure:
    responses: int
    score_total: int
    seven_or_more: int

    @property
    def average(self) -> float | None:
        return self.score_total / self.responses if self.responses else None

    @property
    def share_7_or_more_percent(self) -> float | None:
        return _pct(self.seven_or_more, self.responses)

    def to_dict(self) -> dict[str, Any]:
        return {
            "responses": self.responses, "average": _r(self.average),
            "share_7_or_more_percent": _r(self.share_7_or_more_percent),
        }


@dataclass(frozen=True)
class Uplift:
    ticket: str | None
    reported: datetime
    motivation: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"ticket": self.ticket, "reported": self.reported.isoformat(), "motivation": self.motivation}


@dataclass(frozen=True)
class Breach:
    ticket: str | None
    priority: str
    clock: str  # "first_response" | "resolution" | "definitive_resolution"
    due: datetime
    stopped: datetime | None  # None: still not done at ``now``
    cause: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "ticket": self.ticket, "priority": self.priority, "clock": self.clock,
            "due": self.due.isoformat(),
            "stopped": self.stopped.isoformat() if self.stopped else None, "cause": self.cause,
        }


@dataclass(frozen=True)
class KpiReport:
    policy: str
    start: datetime
    end: datetime
    now: datetime
    priorities: tuple[PriorityKpis, ...]
    mttr_minutes: float | None
    mttp_minutes: float | None
    backlog: BacklogFigure
    csat: CsatFigure
    first_time_fix: ShareFigure
    single_owner: ShareFigure
    kept_informed: ShareFigure
    uplifts: tuple[Uplift, ...]
    breaches: tuple[Breach, ...]
    channels: dict[str, int] = field(default_factory=dict)  # reported in the period, per channel

    def priority(self, name: str) -> PriorityKpis:
        return next(p for p in self.priorities if p.priority == name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: datetimes as ISO 8601 with offset, shares rounded to 2 decimals."""
        return {
            "policy": self.policy,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "now": self.now.isoformat(),
            "priorities": [p.to_dict() for p in self.priorities],
            "mttr_minutes": _r(self.mttr_minutes, 1),
            "mttp_minutes": _r(self.mttp_minutes, 1),
            "backlog": self.backlog.to_dict(),
            "csat": self.csat.to_dict(),
            "first_time_fix": self.first_time_fix.to_dict(),
            "single_owner": self.single_owner.to_dict(),
            "kept_informed": self.kept_informed.to_dict(),
            "uplifts": [u.to_dict() for u in self.uplifts],
            "breaches": [b.to_dict() for b in self.breaches],
            "channels": dict(sorted(self.channels.items())),
        }


class _Tally:
    """Mutable counters per priority while the tickets stream past."""

    __slots__ = ("reported", "resolved", "fr_counted", "fr_within", "res_counted", "res_within",
                 "def_counted", "def_within", "mttr_total", "mttr_n", "mttp_total", "mttp_n")

    def __init__(self) -> None:
        for name in self.__slots__:
            setattr(self, name, 0)


class _KpiRun:
    """One pass over the tickets; integer microseconds throughout for speed."""

    def __init__(self, policy: Policy, start: int, end: int, now: int) -> None:
        self.policy = policy
        self.start, self.end, self.now = start, end, now
        self.cut = min(end, now)
        self.stops = policy.pause_stops
        self.tallies = {p: _Tally() for p in PRIORITIES}
        self.backlog_open = self.backlog_old = 0
        self.backlog_age = (policy.working_day * policy.backlog.age_working_days) // ONE_US
        self.csat_n = self.csat_total = self.csat_7 = 0
        self.ftf = [0, 0]
        self.owner = [0, 0]
        self.informed = [0, 0]
        self.uplifts: list[Uplift] = []
        self.breaches: list[Breach] = []
        self.channels: dict[str, int] = {}

    # -- deadlines --------------------------------------------------------------------------
    def due(self, priority: str, clock: str, opened: int, pauses, open_pause, *, with_pauses=None):
        terms = self.policy.priorities.get(priority)
        if terms is None:
            return None
        term = getattr(terms, clock)
        if term is None:
            return None
        calendar = self.policy.calendar(priority)
        use_pauses = (clock in self.stops) if with_pauses is None else with_pauses
        if not use_pauses:
            return calendar.add_us(opened, term // ONE_US)
        due = calendar.add_paused_us(opened, term // ONE_US, pauses)
        if open_pause is not None and due > open_pause:
            return None
        return due

    def cause(self, t, clock: str, stopped: int | None) -> str:
        moment = stopped if stopped is not None else self.now
        if t.previous is not None and t.previous != t.priority:
            before = self.due(t.previous, clock, t.opened, t.pauses, t.open_pause)
            if before is not None and moment <= before:
                return CAUSE_PRIORITY_CHANGED
        waited = any(s < moment and e > t.opened for s, e in t.pauses) or (
            t.open_pause is not None and t.open_pause < moment
        )
        if waited:
            if clock not in self.stops:
                excluded = self.due(t.priority, clock, t.opened, t.pauses, None, with_pauses=True)
                if excluded is not None and moment <= excluded:
                    return CAUSE_WAITED_ON_THIRD_PARTY
                return CAUSE_LATE
            return CAUSE_PAUSED
        return CAUSE_LATE

    def breach(self, t, clock: str, due: int, stopped: int | None) -> None:
        tz = self.policy.tz
        self.breaches.append(Breach(
            ticket=t.ticket, priority=t.priority, clock=clock,
            due=from_us(due).astimezone(tz),
            stopped=from_us(stopped).astimezone(tz) if stopped is not None else None,
            cause=self.cause(t, clock, stopped),
        ))

    # -- one ticket ---------------------------------------------------------------------------
    def add(self, events: Sequence[ev.TicketEvent]) -> None:
        t = _read(events, self.now, self.cut)
        if t is None:
            return
        start, end, now = self.start, self.end, self.now
        tally = self.tallies.get(t.priority)
        if tally is None:
            raise ValueError(f"ticket {t.ticket or '?'}: priority {t.priority!r} not in policy {self.policy.name}")
        terms = self.policy.priorities[t.priority]

        if start <= t.opened < end:
            tally.reported += 1
            self.channels[t.channel] = self.channels.get(t.channel, 0) + 1
            if t.uplift:
                self.uplifts.append(Uplift(t.ticket, from_us(t.opened).astimezone(self.policy.tz), t.motivation))
            due = self.due(t.priority, "first_response", t.opened, t.pauses, t.open_pause)
            if due is not None and (t.ack is not None or now > due):
                tally.fr_counted += 1
                if t.ack is not None and t.ack <= due:
                    tally.fr_within += 1
                else:
                    self.breach(t, "first_response", due, t.ack)

        stop = t.resolved
        if terms.workaround_meets_resolution and t.workaround is not None:
            stop = t.workaround if stop is None or t.workaround < stop else stop
        if stop is not None and start <= stop < end:
            due = self.due(t.priority, "resolution", t.opened, t.pauses, None)
            tally.res_counted += 1
            if stop <= due:
                tally.res_within += 1
            else:
                self.breach(t, "resolution", due, stop)
        elif stop is None:
            due = self.due(t.priority, "resolution", t.opened, t.pauses, t.open_pause)
            if due is not None and start <= due < end and due < now:
                self.breach(t, "resolution", due, None)

        resolved = t.resolved
        if resolved is not None and start <= resolved < end:
            tally.resolved += 1
            tally.mttr_total += resolved - t.opened
            tally.mttr_n += 1
            if terms.definitive_resolution is not None:
                due = self.due(t.priority, "definitive_resolution", t.opened, t.pauses, None)
                tally.def_counted += 1
                if resolved <= due:
                    tally.def_within += 1
                else:
                    self.breach(t, "definitive_resolution", due, resolved)
            self.ftf[0] += 1
            self.ftf[1] += t.first_time_fix and not t.reopened
            self.owner[0] += 1
            self.owner[1] += t.handovers == 0
            self.kept_informed(t, terms, resolved)

        if t.productive is not None and start <= t.productive < end:
            tally.mttp_total += t.productive - t.opened
            tally.mttp_n += 1

        if t.open_at_cut:
            self.backlog_open += 1
            if self.policy.working_calendar.between_us(t.opened, self.cut) > self.backlog_age:
                self.backlog_old += 1

        for at, score in t.csat:
            if start <= at < end:
                self.csat_n += 1
                self.csat_total += score
                self.csat_7 += score >= 7

    def kept_informed(self, t, terms, resolved: int) -> None:
        policy, priority = self.policy, t.priority
        due = next_update_us(policy, terms, priority, t.opened, None, t.agreed, t.major)
        if due is None or due >= resolved:
            return  # not long-running: resolved before any update fell due
        self.informed[0] += 1
        for update in t.updates:
            if update >= resolved:
                break
            if update > due:
                return
            due = next_update_us(policy, terms, priority, t.opened, update, t.agreed, t.major)
            if due is None:
                break
        if due is not None and resolved > due:
            return
        self.informed[1] += 1

    # -- the report ---------------------------------------------------------------------------
    def report(self, start: datetime, end: datetime, now: datetime) -> KpiReport:
        policy = self.policy
        rows = []
        mttr_total = mttr_n = mttp_total = mttp_n = 0
        for priority in PRIORITIES:
            tally = self.tallies[priority]
            terms = policy.priorities[priority]
            norm = terms.norm_percent
            rows.append(PriorityKpis(
                priority=priority,
                reported=tally.reported,
                resolved=tally.resolved,
                first_response=NormFigure(tally.fr_counted, tally.fr_within, norm),
                resolution=NormFigure(tally.res_counted, tally.res_within, norm),
                definitive_resolution=(
                    NormFigure(tally.def_counted, tally.def_within, norm)
                    if terms.definitive_resolution is not None else None
                ),
                mttr_minutes=tally.mttr_total / tally.mttr_n / _MINUTE if tally.mttr_n else None,
                mttp_minutes=tally.mttp_total / tally.mttp_n / _MINUTE if tally.mttp_n else None,
            ))
            mttr_total += tally.mttr_total
            mttr_n += tally.mttr_n
            mttp_total += tally.mttp_total
            mttp_n += tally.mttp_n
        limits = policy.backlog
        return KpiReport(
            policy=policy.name,
            start=start, end=end, now=now,
            priorities=tuple(rows),
            mttr_minutes=mttr_total / mttr_n / _MINUTE if mttr_n else None,
            mttp_minutes=mttp_total / mttp_n / _MINUTE if mttp_n else None,
            backlog=BacklogFigure(
                at=from_us(self.cut).astimezone(policy.tz),
                open_count=self.backlog_open, older_count=self.backlog_old,
                age_working_days=limits.age_working_days,
                max_share_percent=limits.max_share_percent, max_count=limits.max_count,
            ),
            csat=CsatFigure(self.csat_n, self.csat_total, self.csat_7),
            first_time_fix=ShareFigure(*self.ftf),
            single_owner=ShareFigure(*self.owner),
            kept_informed=ShareFigure(*self.informed),
            uplifts=tuple(sorted(self.uplifts, key=lambda u: u.reported)),
            breaches=tuple(sorted(self.breaches, key=lambda b: (b.due, b.ticket or ""))),
            channels=dict(self.channels),
        )


class _Ticket:
    """The facts one KPI pass needs from a ticket's log."""

    __slots__ = ("ticket", "opened", "priority", "previous", "uplift", "motivation", "pauses",
                 "open_pause", "ack", "workaround", "resolved", "first_time_fix", "reopened",
                 "handovers", "productive", "updates", "agreed", "major", "csat", "open_at_cut", "channel")


def _us(instant: datetime) -> int:
    return (instant - EPOCH) // ONE_US


def _read(events: Sequence[ev.TicketEvent], now: int, cut: int) -> _Ticket | None:
    if not events:
        return None
    first = events[0]
    if first.kind != ev.REPORTED:
        raise ValueError("a ticket's event log starts with REPORTED")
    opened = to_us(first.at)
    if opened > now:
        return None
    data = first.data
    t = _Ticket()
    ticket = data.get("ticket")
    t.ticket = str(ticket) if ticket is not None else None
    t.opened = opened
    t.priority = data["priority"]
    t.previous = None
    t.uplift = bool(data.get("uplift", False))
    t.motivation = data.get("motivation")
    t.major = bool(data.get("major_incident", False))
    t.channel = data.get("channel") or "teams"
    pauses: list[tuple[int, int]] = []
    open_pause = ack = workaround = resolved = productive = None
    first_time_fix = reopened = False
    handovers = 0
    updates: list[int] = []
    csat: list[tuple[int, int]] = []
    agreed = None
    open_at_cut = opened < cut
    for event in events[1:]:
        at = _us(event.at)
        if at > now:
            break
        kind = event.kind
        if kind == ev.STATUS_UPDATE_SENT or kind == ev.AGENT_UPDATE:
            updates.append(at)
        elif kind == ev.ACKNOWLEDGED:
            if ack is None:
                ack = at
        elif kind == ev.RESOLVED or kind == ev.CLOSED:
            if resolved is None:
                resolved = at
                if kind == ev.RESOLVED:
                    first_time_fix = bool(event.data.get("first_time_fix", False))
            if open_pause is not None:
                pauses.append((open_pause, at))
                open_pause = None
            if at <= cut:
                open_at_cut = False
        elif kind == ev.REOPENED:
            resolved = None
            reopened = True
            if at <= cut and opened < cut:
                open_at_cut = True
        elif kind == ev.PAUSED:
            if open_pause is None:
                open_pause = at
        elif kind == ev.RESUMED:
            if open_pause is not None:
                pauses.append((open_pause, at))
                open_pause = None
        elif kind == ev.WORKAROUND:
            if workaround is None:
                workaround = at
        elif kind == ev.PRIORITY_CHANGED:
            t.previous = t.priority
            t.priority = event.data["to"]
            t.major = bool(event.data.get("major_incident", t.major))
        elif kind == ev.HANDED_OVER:
            handovers += 1
        elif kind == ev.PRODUCTIVE_AGAIN:
            if productive is None:
                productive = at
        elif kind == ev.CSAT:
            csat.append((at, int(event.data["score"])))
        elif kind == ev.AGREED_DATE_SET:
            value = event.data["date"]
            agreed = value if isinstance(value, date) else date.fromisoformat(str(value))
    t.pauses = merge_pauses_us(pauses) if len(pauses) > 1 else pauses
    t.open_pause = open_pause
    t.ack = ack
    t.workaround = workaround
    t.resolved = resolved
    t.first_time_fix = first_time_fix
    t.reopened = reopened
    t.handovers = handovers
    t.productive = productive
    t.updates = updates
    t.agreed = agreed
    t.csat = csat
    t.open_at_cut = open_at_cut
    return t


def compute_kpis(
    policy: Policy,
    tickets: Iterable[Sequence[ev.TicketEvent]],
    *,
    start: datetime,
    end: datetime,
    now: datetime,
) -> KpiReport:
    """The period's figures (see the module docstring for exactly which tickets count where)."""
    start_us, end_us, now_us = to_us(start), to_us(end), to_us(now)
    if end_us <= start_us:
        raise ValueError("the period must end after it starts")
    run = _KpiRun(policy, start_us, end_us, now_us)
    for events in tickets:
        run.add(events)
    return run.report(start, end, now)
