"""KPIs over a period: the sum of each ticket's fold (``sla.fold``), measured against the policy.

Contract managers hold these figures next to the supplier's own report, so every figure is a sum
of per-ticket facts that the export (``storage.export``) shows per ticket: the monthly report and
the CSV agree on every ticket because both read the same fold at the same ``now``. What each
figure means, with the documents' words, is in ``docs/kpi-definitions.md``. The period is
half-open (``start <= t < end``); events after ``now`` are not known yet.

Which tickets count where
-------------------------
* **Clock norms** (per priority: first response, resolution, definitive resolution, containment,
  onsite, device fallback; over all tickets: data breach, RCA): every ticket whose *deadline* fell
  in the period, open ones included. It counts once decided: stopped (within when at or before
  the deadline) or still running with its deadline passed at ``now`` (a breach). A clock that
  stands still for a wait has no deadline and does not count until it runs again.
* The norm is the one of the policy version in force at the period's start; each ticket's clocks
  use the version in force at its report (``Policy.in_force``).
* A share meets its norm when ``within / counted >= norm / 100``, compared as exact fractions;
  nothing is rounded before the verdict. Shown percentages are cut, never rounded up, toward the
  verdict ("97.95 %" is shown as 97.95, never as 98), so a shown figure cannot contradict its ✓/✗.
  With nothing counted there is no share and no verdict.
* **Per-ticket figures** (first-time-fix, single owner, kept informed, major-incident updates,
  MTTR): tickets finally resolved in the period. **MTTP**: tickets whose reporter said "ik kan
  weer werken" in the period, only reporters who said at intake they could not work. **CSAT**: the
  reporter's last score on a ticket, in the period it was given; the average against the policy's
  ``csat_average`` (PvE) and the share of 7 or more against ``csat_share_7_or_more`` (annex).
* **Backlog**: at ``min(end, now)``, tickets reported before then and not resolved at that moment;
  "old" when more than ``age_working_days`` working days have passed since the report. Within
  limits when the share of old tickets is at most ``max_share_percent`` and their number at most
  ``max_count``.
* **Channels**: tickets reported in the period per channel (REPORTED's ``channel``; missing means
  Teams), so a report that also counts phone, e-mail and portal incidents says how many.
* **CSAT distribution and remarks**: the same scores per value 1..10, and the remarks given with
  them (a person's words: shown only through ``dialogs.plain`` or a template's autoescaping).
* **Waits per third party**: the waits that began in the period, per party as the agent named it.
* **Ticket lists** for the monthly report: P1 tickets (P1-uplift included) and security incidents
  reported in the period, and major incidents reported in it or whose RCA fell due in it, each
  with the state of its clocks as the fold decided it.
* **Breaches**: every breached clock counted above, each with its cause (``sla.fold.BreachCause``),
  and every run of promised updates that passed without one (the first moment in the period, and
  how many moments of the run fell in it). The bot's own holding messages and the waits on third
  parties are counted apart.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from operator import attrgetter
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sla import events as ev
from sla.calendar import ONE_US, from_us, to_us
from sla.fold import DATA_BREACH, RCA, BreachCause, TicketClocks, breach_cause, fold_us
from sla.policy import CLOCK_NAMES, PRIORITIES, Policy

UPDATE = "update"
GENERAL_CLOCKS = (DATA_BREACH, RCA)  # clocks with one norm over all priorities
PRIORITY_CLOCKS = tuple(name for name in CLOCK_NAMES if name not in GENERAL_CLOCKS)
_MINUTE = 60_000_000


def shown_percent(part: int, whole: int, *, at_most: bool = False) -> float | None:
    """``part/whole`` in percent with two decimals, cut toward the verdict's safe side: down for
    an "at least" norm, up for an "at most" norm. Never used for a verdict."""
    if not whole:
        return None
    scaled = Fraction(part * 10_000, whole)
    return (math.ceil(scaled) if at_most else math.floor(scaled)) / 100


@dataclass(frozen=True)
class Share:
    """``within`` of ``counted`` tickets, against an exact norm in percent (at least)."""

    counted: int
    within: int
    norm: Fraction | None
    source: str = ""

    @property
    def share_percent(self) -> float | None:
        return shown_percent(self.within, self.counted)

    @property
    def met(self) -> bool | None:
        if not self.counted or self.norm is None:
            return None
        return 100 * self.within >= self.norm * self.counted

    def to_dict(self) -> dict[str, Any]:
        return {
            "counted": self.counted, "within": self.within, "share_percent": self.share_percent,
            "norm_percent": None if self.norm is None else float(self.norm), "met": self.met, "source": self.source,
        }


@dataclass(frozen=True)
class Mean:
    """A mean duration: ``total_us`` over ``count`` tickets (exact)."""

    total_us: int
    count: int
    source: str = ""

    @property
    def minutes(self) -> float | None:
        return self.total_us / self.count / _MINUTE if self.count else None

    def to_dict(self) -> dict[str, Any]:
        return {"minutes": None if self.minutes is None else round(self.minutes, 1), "count": self.count, "source": self.source}


@dataclass(frozen=True)
class PriorityKpis:
    priority: str
    reported: int
    resolved: int
    clocks: dict[str, Share]  # the clocks this priority has a term for, in CLOCK_NAMES order
    mttr: Mean
    mttp: Mean

    @property
    def first_response(self) -> Share | None:
        return self.clocks.get("first_response")

    @property
    def resolution(self) -> Share | None:
        return self.clocks.get("resolution")

    @property
    def definitive_resolution(self) -> Share | None:
        return self.clocks.get("definitive_resolution")

    @property
    def mttr_minutes(self) -> float | None:
        return self.mttr.minutes

    @property
    def mttp_minutes(self) -> float | None:
        return self.mttp.minutes

    def to_dict(self) -> dict[str, Any]:
        return {
            "priority": self.priority, "reported": self.reported, "resolved": self.resolved,
            **{name: share.to_dict() for name, share in self.clocks.items()},
            "mttr_minutes": self.mttr.to_dict()["minutes"], "mttp_minutes": self.mttp.to_dict()["minutes"],
        }


@dataclass(frozen=True)
class BacklogFigure:
    at: datetime
    open_count: int
    older_count: int
    age_working_days: int
    max_share_percent: float
    max_count: int
    source: str = ""

    @property
    def older_share_percent(self) -> float | None:
        return shown_percent(self.older_count, self.open_count, at_most=True)

    @property
    def within_limits(self) -> bool:
        share_ok = 100 * self.older_count <= Fraction(repr(self.max_share_percent)) * self.open_count
        return share_ok and self.older_count <= self.max_count

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(), "open_count": self.open_count,
            "older_count": self.older_count, "older_share_percent": self.older_share_percent,
            "age_working_days": self.age_working_days, "max_share_percent": self.max_share_percent,
            "max_count": self.max_count, "within_limits": self.within_limits, "source": self.source,
        }


@dataclass(frozen=True)
class CsatFigure:
    """The reporters' last scores: the average (PvE §10.4) and the share of 7 or more (annex O3),
    how many gave each score (1..10), and the remarks given with a score."""

    responses: int
    score_total: int
    seven_or_more: int
    average_norm: Fraction | None
    share_norm: Fraction | None
    source: str = ""
    scores: tuple[int, ...] = (0,) * 10  # scores[n - 1]: how many gave n
    remarks: tuple[tuple[int, str], ...] = ()  # (score, remark), in the order given

    @property
    def average(self) -> float | None:
        return math.floor(Fraction(self.score_total * 100, self.responses)) / 100 if self.responses else None

    @property
    def share_7_or_more_percent(self) -> float | None:
        return shown_percent(self.seven_or_more, self.responses)

    @property
    def average_met(self) -> bool | None:
        if not self.responses or self.average_norm is None:
            return None
        return self.score_total >= self.average_norm * self.responses

    @property
    def share_met(self) -> bool | None:
        if not self.responses or self.share_norm is None:
            return None
        return 100 * self.seven_or_more >= self.share_norm * self.responses

    def to_dict(self) -> dict[str, Any]:
        return {
            "responses": self.responses, "average": self.average,
            "average_norm": None if self.average_norm is None else float(self.average_norm),
            "average_met": self.average_met,
            "share_7_or_more_percent": self.share_7_or_more_percent,
            "share_norm_percent": None if self.share_norm is None else float(self.share_norm),
            "share_met": self.share_met, "source": self.source,
            "scores": {str(n): count for n, count in enumerate(self.scores, start=1)},
            "remarks": [{"score": score, "remark": remark} for score, remark in self.remarks],
        }


class TicketLine(NamedTuple):
    """One ticket in a list of the monthly report: when, and how each of its clocks stands."""

    ticket: str | None
    priority: str
    uplift: bool
    reported: datetime
    resolved: datetime | None
    clocks: dict[str, str]  # clock name -> ClockState value, for the clocks the ticket has
    data_breach: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "ticket": self.ticket, "priority": self.priority, "uplift": self.uplift,
            "reported": self.reported.isoformat(), "resolved": self.resolved.isoformat() if self.resolved else None,
            "clocks": dict(self.clocks), "data_breach": self.data_breach,
        }


@dataclass(frozen=True)
class Uplift:
    ticket: str | None
    reported: datetime
    motivation: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"ticket": self.ticket, "reported": self.reported.isoformat(), "motivation": self.motivation}


class Breach(NamedTuple):
    """A deadline the supplier missed (kept as integers: a month can hold thousands)."""

    due_us: int
    ticket: str | None
    priority: str
    clock: str  # a clock name, or "update" for a promised update that did not come
    stopped_us: int | None  # None: still not done at ``now``
    cause: BreachCause
    tz: ZoneInfo
    count: int = 1  # missed updates: how many promised moments of one run fell in the period

    @property
    def due(self) -> datetime:
        return from_us(self.due_us).astimezone(self.tz)

    @property
    def stopped(self) -> datetime | None:
        return None if self.stopped_us is None else from_us(self.stopped_us).astimezone(self.tz)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ticket": self.ticket, "priority": self.priority, "clock": self.clock,
            "due": self.due.isoformat(),
            "stopped": self.stopped.isoformat() if self.stopped else None, "cause": self.cause,
            "count": self.count,
        }


@dataclass(frozen=True)
class Waits:
    """Waits on third parties that began in the period: recorded whether or not they stop a clock."""

    count: int
    total_us: int
    too_long: int
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "minutes": self.total_us // _MINUTE, "too_long": self.too_long, "source": self.source}


@dataclass(frozen=True)
class KpiReport:
    policy: str
    policy_version: str  # effective_from of the version the norms come from ("" if unversioned)
    start: datetime
    end: datetime
    now: datetime
    priorities: tuple[PriorityKpis, ...]
    clocks: dict[str, Share]  # the clocks with one norm over all priorities (data breach, RCA)
    mttr: Mean
    mttp: Mean
    backlog: BacklogFigure
    csat: CsatFigure
    kept_informed: Share
    major_incident_updates: Share | None
    first_time_fix: Share
    single_owner: Share
    holding_messages: int
    waits: Waits
    uplifts: tuple[Uplift, ...]
    breaches: tuple[Breach, ...]
    channels: dict[str, int] = field(default_factory=dict)  # reported in the period, per channel
    waits_by_party: dict[str, Waits] = field(default_factory=dict)  # the same waits, per third party
    p1_tickets: tuple[TicketLine, ...] = ()
    security_incidents: tuple[TicketLine, ...] = ()
    major_incidents: tuple[TicketLine, ...] = ()

    def priority(self, name: str) -> PriorityKpis:
        return next(p for p in self.priorities if p.priority == name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: datetimes as ISO 8601 with offset, shares cut to 2 decimals."""
        return {
            "policy": self.policy,
            "policy_version": self.policy_version,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "now": self.now.isoformat(),
            "priorities": [p.to_dict() for p in self.priorities],
            "clocks": {name: share.to_dict() for name, share in self.clocks.items()},
            "mttr_minutes": self.mttr.to_dict()["minutes"],
            "mttp_minutes": self.mttp.to_dict()["minutes"],
            "mttr_source": self.mttr.source,
            "mttp_source": self.mttp.source,
            "backlog": self.backlog.to_dict(),
            "csat": self.csat.to_dict(),
            "kept_informed": self.kept_informed.to_dict(),
            "major_incident_updates": None if self.major_incident_updates is None else self.major_incident_updates.to_dict(),
            "first_time_fix": self.first_time_fix.to_dict(),
            "single_owner": self.single_owner.to_dict(),
            "holding_messages": self.holding_messages,
            "waits": self.waits.to_dict(),
            "uplifts": [u.to_dict() for u in self.uplifts],
            "breaches": [b.to_dict() for b in self.breaches],
            "channels": dict(sorted(self.channels.items())),
            "waits_by_party": {party: waits.to_dict() for party, waits in sorted(self.waits_by_party.items())},
            "p1_tickets": [t.to_dict() for t in self.p1_tickets],
            "security_incidents": [t.to_dict() for t in self.security_incidents],
            "major_incidents": [t.to_dict() for t in self.major_incidents],
        }


class _Tally:
    """Counters while the tickets stream past: [counted, within] per figure, sums per priority."""

    __slots__ = ("reported", "resolved", "clocks", "mttr", "mttp")

    def __init__(self) -> None:
        self.reported = self.resolved = 0
        self.clocks: dict[str, list[int]] = {}
        self.mttr = [0, 0]
        self.mttp = [0, 0]


@dataclass
class _Run:
    policy: Policy  # the version whose norms apply to the period
    start: int
    end: int
    now: int
    tallies: dict[str, _Tally] = field(default_factory=lambda: {p: _Tally() for p in PRIORITIES})
    general: dict[str, list[int]] = field(default_factory=lambda: {name: [0, 0] for name in GENERAL_CLOCKS})
    shares: dict[str, list[int]] = field(default_factory=lambda: {
        name: [0, 0] for name in ("kept_informed", "major_incident_updates", "first_time_fix", "single_owner")
    })
    backlog_open: int = 0
    backlog_old: int = 0
    csat: list[int] = field(default_factory=lambda: [0, 0, 0])
    csat_scores: list[int] = field(default_factory=lambda: [0] * 10)
    csat_remarks: list[tuple[int, int, str]] = field(default_factory=list)  # (at, score, remark)
    holding: int = 0
    waits: list[int] = field(default_factory=lambda: [0, 0, 0])
    parties: dict[str, list[int]] = field(default_factory=dict)
    p1: list[TicketLine] = field(default_factory=list)
    security: list[TicketLine] = field(default_factory=list)
    major: list[TicketLine] = field(default_factory=list)
    uplifts: list[Uplift] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)
    channels: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cut = min(self.end, self.now)  # the backlog's moment
        self.backlog_age = (self.policy.working_day * self.policy.backlog.age_working_days) // ONE_US

    def add(self, ticket: TicketClocks) -> None:
        start, end, now = self.start, self.end, self.now
        if ticket.opened_us > now:
            return  # not reported yet at ``now``
        tally = self.tallies.get(ticket.priority)
        if tally is None:
            raise ValueError(f"ticket {ticket.ticket or '?'}: priority {ticket.priority!r} not in policy {self.policy.name}")
        tz = self.policy.tz
        reported_in = start <= ticket.opened_us < end
        if reported_in:
            tally.reported += 1
            self.channels[ticket.channel] = self.channels.get(ticket.channel, 0) + 1
            if ticket.uplift:
                self.uplifts.append(Uplift(ticket.ticket, ticket.opened, ticket.motivation))
            if ticket.priority == "P1":
                self.p1.append(_line(ticket))
            if ticket.security_incident:
                self.security.append(_line(ticket))
        if ticket.major_incident:
            rca = ticket.clocks.get(RCA)
            if reported_in or (rca is not None and rca.due_us is not None and start <= rca.due_us < end):
                self.major.append(_line(ticket))

        for name, clock in ticket.clocks.items():
            due = clock.due_us
            if due is None or not start <= due < end:
                continue
            if clock.stop_us is None and now <= due:
                continue  # still running, not decided yet
            counts = self.general[name] if name in self.general else tally.clocks.setdefault(name, [0, 0])
            counts[0] += 1
            if clock.state.breached:
                self.breaches.append(Breach(due, ticket.ticket, ticket.priority, name, clock.stop_us, breach_cause(ticket, clock), tz))
            else:
                counts[1] += 1

        updates = ticket.updates
        missed = updates.missed_us
        if missed and missed[-1] >= start:
            low, high = bisect_left(missed, start), bisect_left(missed, end)
            if low < high:  # one breach per run of missed moments, with how many fell in the period
                runs = updates.runs
                bounds = [low, *(i for i in runs[bisect_right(runs, low):] if i < high), high]
                for first, after in zip(bounds, bounds[1:]):
                    self.breaches.append(
                        Breach(missed[first], ticket.ticket, ticket.priority, UPDATE, None, BreachCause.NO_UPDATE, tz, after - first)
                    )
        holding = updates.holding_us
        if holding:
            self.holding += bisect_left(holding, end) - bisect_left(holding, start)
        for wait in ticket.waits:
            if start <= wait.start_us < end:
                waited = (wait.end_us if wait.end_us is not None else now) - wait.start_us
                party = self.parties.setdefault((wait.party or "").strip() or "?", [0, 0, 0])
                for counts in (self.waits, party):
                    counts[0] += 1
                    counts[1] += waited
                    counts[2] += wait.exceeded

        resolved = ticket.resolved_us
        if resolved is not None and start <= resolved < end:
            tally.resolved += 1
            tally.mttr[0] += resolved - ticket.opened_us
            tally.mttr[1] += 1
            shares = self.shares
            if updates.long_running:
                shares["kept_informed"][0] += 1
                shares["kept_informed"][1] += not updates.missed_us
            if ticket.major_updates_kept is not None:
                shares["major_incident_updates"][0] += 1
                shares["major_incident_updates"][1] += ticket.major_updates_kept
            shares["first_time_fix"][0] += 1
            shares["first_time_fix"][1] += ticket.first_time_fix
            shares["single_owner"][0] += 1
            shares["single_owner"][1] += ticket.single_owner

        mttp = ticket.mttp_us
        if mttp is not None and start <= ticket.productive_us < end:
            tally.mttp[0] += mttp
            tally.mttp[1] += 1

        cut = self.cut
        if ticket.open_at(cut):
            self.backlog_open += 1
            if self.policy.working_calendar.between_us(ticket.opened_us, cut) > self.backlog_age:
                self.backlog_old += 1

        if ticket.csat is not None and start <= ticket.csat[0] < end:
            at, score, remark = ticket.csat
            self.csat[0] += 1
            self.csat[1] += score
            self.csat[2] += score >= 7
            if 1 <= score <= 10:
                self.csat_scores[score - 1] += 1
            if remark:
                self.csat_remarks.append((at, score, remark))

    def report(self, start: datetime, end: datetime, now: datetime) -> KpiReport:
        policy = self.policy
        sources = policy.sources
        norms = policy.norms
        rows = []
        mttr = [0, 0]
        mttp = [0, 0]
        for priority in PRIORITIES:
            tally = self.tallies[priority]
            terms = policy.priorities[priority]
            clocks = {}
            for name in PRIORITY_CLOCKS:
                counted, within = tally.clocks.get(name, (0, 0))
                if terms.term(name) is not None or counted:
                    clocks[name] = Share(counted, within, terms.norm(name), sources.get(name, ""))
            rows.append(PriorityKpis(
                priority=priority, reported=tally.reported, resolved=tally.resolved, clocks=clocks,
                mttr=Mean(tally.mttr[0], tally.mttr[1], sources.get("mttr", "")),
                mttp=Mean(tally.mttp[0], tally.mttp[1], sources.get("mttp", "")),
            ))
            mttr = [mttr[0] + tally.mttr[0], mttr[1] + tally.mttr[1]]
            mttp = [mttp[0] + tally.mttp[0], mttp[1] + tally.mttp[1]]
        general = {}
        for name in GENERAL_CLOCKS:
            counted, within = self.general[name]
            has_term = (policy.data_breach_within if name == DATA_BREACH else policy.rca_within) is not None
            if has_term or counted:
                general[name] = Share(counted, within, norms.get(name), sources.get(name, ""))

        def share(name: str) -> Share:
            counted, within = self.shares[name]
            return Share(counted, within, norms.get(name), sources.get(name, ""))

        limits = policy.backlog
        major = share("major_incident_updates")
        return KpiReport(
            policy=policy.name,
            policy_version=policy.effective_from.isoformat() if policy.effective_from else "",
            start=start, end=end, now=now,
            priorities=tuple(rows),
            clocks=general,
            mttr=Mean(mttr[0], mttr[1], sources.get("mttr", "")),
            mttp=Mean(mttp[0], mttp[1], sources.get("mttp", "")),
            backlog=BacklogFigure(
                at=from_us(min(self.end, self.now)).astimezone(policy.tz),
                open_count=self.backlog_open, older_count=self.backlog_old,
                age_working_days=limits.age_working_days,
                max_share_percent=limits.max_share_percent, max_count=limits.max_count,
                source=sources.get("backlog", ""),
            ),
            csat=CsatFigure(
                self.csat[0], self.csat[1], self.csat[2], norms.get("csat_average"), norms.get("csat_share_7_or_more"),
                sources.get("csat", ""), tuple(self.csat_scores),
                tuple((score, remark) for _, score, remark in sorted(self.csat_remarks, key=lambda r: r[0])),
            ),
            kept_informed=share("kept_informed"),
            major_incident_updates=major if policy.major_incident_cadence is not None or major.counted else None,
            first_time_fix=share("first_time_fix"),
            single_owner=share("single_owner"),
            holding_messages=self.holding,
            waits=Waits(self.waits[0], self.waits[1], self.waits[2], sources.get("wait", "")),
            uplifts=tuple(sorted(self.uplifts, key=lambda u: u.reported)),
            breaches=tuple(sorted(self.breaches, key=attrgetter("due_us"))),  # ties: in ticket order
            channels=dict(self.channels),
            waits_by_party={party: Waits(*counts, sources.get("wait", "")) for party, counts in self.parties.items()},
            p1_tickets=tuple(sorted(self.p1, key=attrgetter("reported"))),
            security_incidents=tuple(sorted(self.security, key=attrgetter("reported"))),
            major_incidents=tuple(sorted(self.major, key=attrgetter("reported"))),
        )


def _line(ticket: TicketClocks) -> TicketLine:
    return TicketLine(
        ticket.ticket, ticket.priority, ticket.uplift, ticket.opened, ticket.at(ticket.resolved_us),
        {name: clock.state.value for name, clock in ticket.clocks.items()}, ticket.data_breach,
    )


def compute_kpis(
    policy: Policy,
    tickets: Iterable[Sequence[ev.TicketEvent]],
    *,
    start: datetime,
    end: datetime,
    now: datetime,
) -> KpiReport:
    """The period's figures (see the module docstring for exactly which tickets count where)."""
    (report,) = compute_periods(policy, tickets, periods=[(start, end)], now=now)
    return report


def compute_periods(
    policy: Policy,
    tickets: Iterable[Sequence[ev.TicketEvent]],
    *,
    periods: Sequence[tuple[datetime, datetime]],
    now: datetime,
) -> list[KpiReport]:
    """The figures of several periods (a week and the week before), folding each ticket once."""
    now_us = to_us(now)
    runs = []
    for start, end in periods:
        start_us, end_us = to_us(start), to_us(end)
        if end_us <= start_us:
            raise ValueError("the period must end after it starts")
        runs.append(_Run(policy.in_force_us(start_us), start_us, end_us, now_us))
    # A batch of tickets is folded, then added: alternating the two for every ticket costs about
    # a seventh more CPU (the KPI benchmark, bench/sla_bench.py), and a batch keeps memory small.
    batch: list[TicketClocks] = []
    for events in tickets:
        if not events:
            continue
        if events[0].kind != ev.REPORTED:
            raise ValueError("a ticket's event log starts with REPORTED")
        batch.append(fold_us(policy, events, now_us))
        if len(batch) == _BATCH:
            _add(runs, batch)
    _add(runs, batch)
    return [run.report(start, end, now) for run, (start, end) in zip(runs, periods)]


_BATCH = 200


def _add(runs: list[_Run], batch: list[TicketClocks]) -> None:
    for run in runs:
        for ticket in batch:
            run.add(ticket)
    batch.clear()
