"""Regie's sweep: pre-breach warnings, breach notices with their escalation level, the piket alert.

``notice_sweep`` is a plain async function of the injected clock; the scheduler calls it every
minute, tests call it after moving a ``FixedClock``. For every open ticket (and tickets resolved in
the last week, whose late resolution may still be unreported) it derives each clock's deadline and
warning moment from the event log (``sla.deadlines``) and records what is due in the ``notices``
table, whose unique key makes each notice happen once, on one replica, however often the sweep runs.

Rules (DESIGN.md, PvE §2.4.3; the choices this module makes where the documents are silent):

* Clocks: first response, resolution and, where the policy has one, definitive resolution. A clock
  stops at the first acknowledgement (first response), at resolution (both resolution clocks), and
  for P1 where the policy says so at a workaround ("noodoplossing") as well. A paused clock ("wacht
  op derde") has no deadline and gets no notice until it runs again.
* A warning falls at the policy's ``warn_before`` threshold; a breach at the deadline. When a
  breach is due before its warning went out, the warning is recorded as suppressed.
* P2-P4 notices go out only while the service window is open; one that falls outside it goes at the
  next opening (the sweep simply does not record it until then). P1 notices go at any hour.
* A priority change recomputes every deadline from the report time. Notices whose moment lies
  before the change are recorded as suppressed, never sent: a P3 -> P1 change gives regie one
  notice (the "prioriteit verhoogd naar P1" card, which shows what is already late), not a burst.
* Escalation levels, decided when a breach is notified (PvE §2.4.3):
  N1 (operationeel) a single breach;
  N2 (tactisch) the same norm (priority + clock) was breached on another ticket in the last 30
  days, or the disruption hits several processes (several teams, everyone, or a major incident);
  N3 (strategisch) a critical disruption (a P1 that is not a single-employee uplift) breaches, or
  an N2 follows another N2 within 30 days.
  Each notice names the action holder, who to inform, and the start-by date in working days
  (N1 1, N2 3, N3 5 working days).
* Out of hours a new P1 (reported as P1, or raised to P1) alerts the piket contact once: a card in
  the regie channel naming the contact (``PIKET_CONTACT``) and, when ``PIKET_USER_ID`` is set, a
  personal message to that person (who must have the bot installed). A P1 already picked up gets
  no alert, nor one that became P1 more than ``PIKET_WINDOW`` ago (after downtime).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Sequence

from sqlalchemy import or_, select

from sla import events as ev
from sla.calendar import from_us
from sla.clock import Clock
from sla.deadlines import deadlines_from_events, facts_from_events, warning_times
from sla.events import TicketEvent
from sla.policy import CLOCK_24_7, Policy
from storage import notices, outbox
from storage.db import Database
from storage.models import Ticket, TicketEventRow
from storage.tickets import OPEN_STATUSES

log = logging.getLogger("servicedesk.regie")

CLOCKS = ("first_response", "resolution", "definitive_resolution")
RECENTLY_RESOLVED = timedelta(days=7)
PIKET_WINDOW = timedelta(hours=2)
BROAD_SCOPES = ("meerdere_teams", "iedereen")

LEVELS: dict[str, dict[str, Any]] = {
    "N1": {
        "name": "operationeel",
        "owner": "Functioneel Beheer Halt",
        "inform": "intern informeel melden",
        "working_days": 1,
        "action": "Start binnen 1 werkdag; handmatige opvolging in het reguliere operationeel overleg.",
    },
    "N2": {
        "name": "tactisch",
        "owner": "ICT Service Manager (dossiervorming, regie)",
        "inform": "Informatiemanager betrekken",
        "working_days": 3,
        "action": "Overleg met de leverancier binnen 3 werkdagen; wekelijks voortgang en zo nodig contractafspraken aanscherpen.",
    },
    "N3": {
        "name": "strategisch",
        "owner": "Informatiemanager en/of Directeur Bedrijfsvoering",
        "inform": "Informatiemanager en Directeur Bedrijfsvoering informeren",
        "working_days": 5,
        "action": "Escalatie binnen 5 werkdagen; juridische toetsing en besluit over maatregelen.",
    },
}


@dataclass(frozen=True)
class Due:
    """One notice the sweep found due: ``kind`` is warning or breach."""

    kind: str
    clock: str
    priority: str
    at: datetime  # the moment the notice is about (warning moment or deadline)
    due: datetime  # the clock's deadline
    suppressed: bool = False  # record, never send


def _stops(events: Sequence[TicketEvent], *, workaround_counts: bool) -> dict[str, datetime | None]:
    """When each clock stopped for good (None while it runs)."""
    acknowledged = next((e.at for e in events if e.kind == ev.ACKNOWLEDGED), None)
    resolved: datetime | None = None
    workaround: datetime | None = None
    for event in events:
        if event.kind in (ev.RESOLVED, ev.CLOSED):
            if resolved is None:
                resolved = event.at
        elif event.kind == ev.REOPENED:
            resolved = None
        elif event.kind == ev.WORKAROUND and workaround is None:
            workaround = event.at
    resolution = resolved
    if workaround_counts and workaround is not None:
        resolution = workaround if resolution is None else min(resolution, workaround)
    return {"first_response": acknowledged, "resolution": resolution, "definitive_resolution": resolved}


def due_notices(policy: Policy, events: Sequence[TicketEvent], *, now: datetime) -> list[Due]:
    """Every warning and breach whose moment has come, for a ticket's event log (pure)."""
    facts = facts_from_events(events)
    deadlines = deadlines_from_events(policy, events)
    priority = facts.priority
    terms = policy.terms(priority)
    opened = events[0].at
    pauses = [(from_us(start), from_us(end)) for start, end in facts.pauses]
    warnings = warning_times(policy, priority=priority, opened=opened, pauses=pauses)
    stops = _stops(events, workaround_counts=terms.workaround_meets_resolution)
    changed = max((e.at for e in events if e.kind == ev.PRIORITY_CHANGED), default=None)
    result: list[Due] = []
    for clock in CLOCKS:
        due = getattr(deadlines, f"{clock}_due")
        if due is None:
            continue  # no such promise, or the clock stands still (wacht op derde)
        stop = stops[clock]
        breached = now >= due and (stop is None or stop > due)
        warn_at = warnings.get(clock)
        if breached:
            result.append(Due("breach", clock, priority, due, due, suppressed=changed is not None and due < changed))
        if warn_at is not None and now >= warn_at and (stop is None or stop > warn_at):
            overtaken = breached  # a breach that is due makes its warning pointless
            result.append(
                Due(
                    "warning", clock, priority, warn_at, due,
                    suppressed=overtaken or (changed is not None and warn_at < changed),
                )
            )
    return result


def escalation_level(*, same_norm_before: int, broad: bool, critical: bool, n2_before: int) -> tuple[str, str]:
    """(level, why) for a breach, PvE §2.4.3."""
    if critical:
        return "N3", "kritieke verstoring (P1) buiten de norm"
    reasons = []
    if same_norm_before:
        reasons.append("dezelfde norm is in de afgelopen maand al eerder overschreden")
    if broad:
        reasons.append("de verstoring raakt meerdere processen (meerdere teams of iedereen)")
    if reasons:
        if n2_before:
            return "N3", "herhaalde escalatie op niveau N2: " + "; ".join(reasons)
        return "N2", "; ".join(reasons)
    return "N1", "eenmalige overschrijding van de norm"


def _escalation(policy: Policy, level: str, why: str, *, now: datetime) -> dict[str, Any]:
    spec = LEVELS[level]
    start_by = policy.working_calendar.add(now, policy.working_day * spec["working_days"])
    local = start_by.astimezone(policy.tz)
    return {
        "level": level,
        "name": spec["name"],
        "why": why,
        "owner": spec["owner"],
        "inform": spec["inform"],
        "start_by": start_by.isoformat(),
        "start_by_text": f"{local:%d-%m-%Y %H:%M} ({spec['working_days']} werkdag{'en' if spec['working_days'] > 1 else ''})",
        "action": spec["action"],
    }


def _became_p1(events: Sequence[TicketEvent]) -> datetime | None:
    """When the ticket (last) became P1, or None when it is not P1 now."""
    priority = events[0].data.get("priority")
    since = events[0].at if priority == "P1" else None
    for event in events[1:]:
        if event.kind == ev.PRIORITY_CHANGED:
            priority = event.data.get("to")
            since = event.at if priority == "P1" else None
    return since


@dataclass
class SweepResult:
    sent: int = 0
    suppressed: int = 0
    deferred: int = 0  # P2-P4 notices waiting for the service window to open

    def __int__(self) -> int:
        return self.sent


async def notice_sweep(
    *,
    database: Database,
    policy: Policy,
    clock: Clock,
    piket_contact: str = "",
    piket_user_id: str = "",
    after_commit: Callable[[], None] | None = None,
    limit: int = 2000,
) -> SweepResult:
    """Record and queue every regie notice that is due now; returns what it did.

    Safe on several replicas at once: each notice is claimed by its unique key in the same
    transaction that queues its message.
    """
    now = clock.now()
    result = SweepResult()
    async with database.sessions.begin() as session:
        candidates = list(
            (
                await session.execute(
                    select(Ticket)
                    .where(
                        or_(Ticket.status.in_(OPEN_STATUSES), Ticket.resolved_at >= now - RECENTLY_RESOLVED)
                    )
                    .order_by(Ticket.id)
                    .limit(limit)
                )
            ).scalars()
        )
        if not candidates:
            return result
        ids = [t.id for t in candidates]
        histories: dict[int, list[TicketEvent]] = {}
        rows = await session.execute(
            select(TicketEventRow).where(TicketEventRow.ticket_id.in_(ids)).order_by(TicketEventRow.ticket_id, TicketEventRow.id)
        )
        for row in rows.scalars():
            histories.setdefault(row.ticket_id, []).append(TicketEvent(kind=row.kind, at=row.at, data=row.data or {}))
        recorded = await notices.recorded_keys(session, ids)
        for ticket in candidates:
            events = histories.get(ticket.id)
            if not events or events[0].kind != ev.REPORTED:
                continue
            try:
                due_list = due_notices(policy, events, now=now)
            except ValueError:
                log.exception("ticket %s: event log unreadable for notices", ticket.id)
                continue
            for item in sorted(due_list, key=lambda d: (d.kind != "breach", d.at)):
                key = notices.notice_key(ticket.id, item.priority, item.clock, item.kind)
                if key in recorded:
                    continue
                norm = notices.norm(item.priority, item.clock)
                if item.suppressed:
                    if await notices.claim(
                        session, key=key, ticket_id=ticket.id, clock=norm, kind=item.kind + notices.SUPPRESSED, at=now
                    ):
                        result.suppressed += 1
                    recorded.add(key)
                    continue
                if policy.terms(item.priority).clock != CLOCK_24_7 and not policy.working_calendar.is_open(now):
                    result.deferred += 1  # goes at the next opening
                    continue
                if item.kind == "breach":
                    await _breach(session, policy, ticket, item, key=key, norm=norm, now=now, result=result)
                else:
                    if await notices.claim(session, key=key, ticket_id=ticket.id, clock=norm, kind=notices.WARNING, at=now):
                        await outbox.enqueue(
                            session,
                            dedup_key=key,
                            target=outbox.Target.channel("regie"),
                            payload=_payload(ticket, item),
                            now=now,
                            ticket_id=ticket.id,
                        )
                        result.sent += 1
                recorded.add(key)
            await _piket(
                session, policy, ticket, events, now=now, contact=piket_contact, user_id=piket_user_id,
                recorded=recorded, result=result,
            )
    if result.sent:
        log.info("regie sweep queued %d notice(s)", result.sent)
        if after_commit is not None:
            after_commit()
    return result


def _payload(ticket: Ticket, item: Due, escalation: dict[str, Any] | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "kind": "regie_notice",
        "ticket_id": ticket.id,
        "notice": item.kind,
        "clock": item.clock,
        "priority": item.priority,
        "due": item.due.isoformat(),
    }
    if escalation is not None:
        payload["escalation"] = escalation
    return payload


async def _breach(session, policy: Policy, ticket: Ticket, item: Due, *, key: str, norm: str, now: datetime, result: SweepResult) -> None:
    same_norm_before = await notices.breaches_since(session, norm_name=norm, since=now - notices.MONTH, exclude_ticket=ticket.id)
    n2_before = await notices.escalations_since(session, level="N2", since=now - notices.MONTH)
    level, why = escalation_level(
        same_norm_before=same_norm_before,
        broad=ticket.scope in BROAD_SCOPES or bool(ticket.major_incident),
        critical=item.priority == "P1" and not ticket.uplift,
        n2_before=n2_before,
    )
    if not await notices.claim(session, key=key, ticket_id=ticket.id, clock=norm, kind=notices.BREACH, at=now, level=level):
        return
    await notices.claim(
        session,
        key=notices.notice_key(ticket.id, item.priority, item.clock, notices.ESCALATION),
        ticket_id=ticket.id, clock=norm, kind=notices.ESCALATION, at=now, level=level,
    )
    escalation = _escalation(policy, level, why, now=now)
    await outbox.enqueue(
        session,
        dedup_key=key,
        target=outbox.Target.channel("regie"),
        payload=_payload(ticket, item, escalation),
        now=now,
        ticket_id=ticket.id,
    )
    result.sent += 1


async def _piket(
    session, policy: Policy, ticket: Ticket, events: Sequence[TicketEvent], *, now: datetime, contact: str, user_id: str,
    recorded: set[str], result: SweepResult,
) -> None:
    if not (contact or user_id) or ticket.status not in OPEN_STATUSES or ticket.first_response_at is not None:
        return
    since = _became_p1(events)
    if since is None or now - since > PIKET_WINDOW or policy.working_calendar.is_open(since):
        return
    key = f"ticket:{ticket.id}:piket:{since.isoformat()}"
    if key in recorded:
        return
    recorded.add(key)
    if not await notices.claim(session, key=key, ticket_id=ticket.id, clock="P1:piket", kind=notices.PIKET, at=now):
        return
    payload = {"kind": "piket_alert", "ticket_id": ticket.id, "contact": contact or None}
    await outbox.enqueue(
        session, dedup_key=key, target=outbox.Target.channel("regie"), payload=payload, now=now, ticket_id=ticket.id
    )
    if user_id:
        await outbox.enqueue(
            session, dedup_key=key + ":user", target=outbox.Target.user(user_id), payload=payload, now=now, ticket_id=ticket.id
        )
    result.sent += 1
