"""Regie's sweep: pre-breach warnings, breach notices with their escalation level, long waits and
the piket alert.

``notice_sweep`` is a plain async function of the injected clock; the scheduler calls it every
minute, tests call it after moving a ``FixedClock``. For every open ticket (and tickets resolved
recently, whose late resolution or RCA may still be unreported) it folds the event log
(``sla.fold``), asks the rules (``sla.escalation``) which notices are due, and records each in the
``notices`` table, whose unique key makes each notice happen once, on one replica, however often
the sweep runs. What is due, and the escalation levels, are decided in ``sla.escalation``; this
module records, words and sends.

* P2-P4 notices go out only while the service window is open; one that falls outside it goes at the
  next opening (the sweep simply does not record it until then). P1 notices go at any hour.
* A breach opens an escalation (``storage.escalations``): a record with its level, action holder,
  who to inform and the start-by date in working days (N1 1, N2 3, N3 5), whose card in the regie
  and servicedesk channels is the breach notice, updated in place as the escalation moves.
* Out of hours a new P1 (reported as P1, or raised to P1) alerts the piket contact once: a card in
  the regie channel naming the contact (``PIKET_CONTACT``) and, when ``PIKET_USER_ID`` is set, a
  personal message to that person (who must have the bot installed). A P1 already picked up gets
  no alert, nor one that became P1 more than ``PIKET_WINDOW`` ago (after downtime).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import and_, or_, select

from sla import events as ev
from sla.clock import Clock
from sla.escalation import Due, Level, NoticeKind, Trigger, due_notices, escalation_level
from sla.events import TicketEvent
from sla.fold import TicketClocks, fold
from sla.policy import CLOCK_24_7, Policy
from sla.status import OPEN_STATUSES
from storage import escalations, notices, outbox
from storage.db import Database
from storage.outbox import Kind
from storage.models import Ticket, TicketEventRow

log = logging.getLogger("servicedesk.regie")

RECENTLY_RESOLVED = timedelta(days=7)
# A major incident's RCA is due up to 10 working days after its closure (annex T2).
MAJOR_RESOLVED = timedelta(days=31)
PIKET_WINDOW = timedelta(hours=2)
BROAD_SCOPES = ("meerdere_teams", "iedereen")

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
                        or_(
                            Ticket.status.in_(OPEN_STATUSES),
                            Ticket.resolved_at >= now - RECENTLY_RESOLVED,
                            and_(Ticket.major_incident.is_(True), Ticket.resolved_at >= now - MAJOR_RESOLVED),
                        )
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
            select(TicketEventRow.ticket_id, TicketEventRow.kind, TicketEventRow.at, TicketEventRow.data)
            .where(TicketEventRow.ticket_id.in_(ids))
            .order_by(TicketEventRow.ticket_id, TicketEventRow.id)
        )
        for ticket_id, kind, at, data in rows:
            histories.setdefault(ticket_id, []).append(TicketEvent(kind=kind, at=at, data=data or {}))
        recorded = await notices.recorded_keys(session, ids)
        for ticket in candidates:
            events = histories.get(ticket.id)
            if not events or events[0].kind != ev.REPORTED:
                continue
            try:
                clocks = fold(policy, events, now=now)
            except ValueError:
                log.exception("ticket %s: event log unreadable for notices", ticket.id)
                continue
            for item in sorted(due_notices(clocks), key=lambda d: (d.kind is not NoticeKind.BREACH, d.at)):
                key = notices.notice_key(ticket.id, item.priority, item.clock, item.kind.value, item.occurrence)
                if key in recorded:
                    continue
                norm = notices.norm(item.priority, item.clock)
                if item.suppressed:
                    if await notices.claim(
                        session, key=key, ticket_id=ticket.id, clock=norm, kind=item.kind.value + notices.SUPPRESSED, at=now
                    ):
                        result.suppressed += 1
                    recorded.add(key)
                    continue
                if clocks.policy.terms(item.priority).clock != CLOCK_24_7 and not policy.working_calendar.is_open(now):
                    result.deferred += 1  # goes at the next opening
                    continue
                if item.kind is NoticeKind.BREACH:
                    broad = ticket.scope in BROAD_SCOPES or clocks.major_incident
                    await _breach(session, policy, ticket, item, key=key, norm=norm, broad=broad, now=now, result=result)
                elif await notices.claim(session, key=key, ticket_id=ticket.id, clock=norm, kind=item.kind.value, at=now):
                    await outbox.enqueue(
                        session,
                        dedup_key=key,
                        target=outbox.Target.channel("regie"),
                        payload=_payload(ticket, item),
                        op=outbox.SEND_CARD,
                        now=now,
                        ticket_id=ticket.id,
                    )
                    await _redraw_at(session, ticket, key, now)
                    result.sent += 1
                recorded.add(key)
            await _piket(
                session, policy, ticket, clocks, now=now, contact=piket_contact, user_id=piket_user_id,
                recorded=recorded, result=result,
            )
    if result.sent:
        log.info("regie sweep queued %d notice(s)", result.sent)
        if after_commit is not None:
            after_commit()
    return result


def _payload(ticket: Ticket, item: Due) -> dict[str, Any]:
    return {
        "kind": Kind.REGIE_NOTICE,
        "ticket_id": ticket.id,
        "notice": item.kind.value,
        "clock": item.clock,
        "priority": item.priority,
        "due": item.due.isoformat(),
    }


async def _breach(
    session, policy: Policy, ticket: Ticket, item: Due, *, key: str, norm: str, broad: bool, now: datetime, result: SweepResult
) -> None:
    """A breach notice is an escalation: recorded once, its cards posted in regie and servicedesk."""
    same_norm_before = await notices.breaches_since(session, norm_name=norm, since=now - notices.MONTH, exclude_ticket=ticket.id)
    n2_before = await escalations.levels_since(session, level=Level.N2, since=now - notices.MONTH)
    level, reasons = escalation_level(
        same_norm_before=same_norm_before,
        broad=broad,
        critical=item.priority == "P1",
        n2_before=n2_before,
    )
    if not await notices.claim(session, key=key, ticket_id=ticket.id, clock=norm, kind=notices.BREACH, at=now, level=level):
        return
    await escalations.open_escalation(
        session, policy=policy, key=notices.notice_key(ticket.id, item.priority, item.clock, notices.ESCALATION, item.occurrence),
        trigger=Trigger.BREACH, norm=norm, level=level, reasons=reasons, now=now, ticket_id=ticket.id, due=item.due,
    )
    await _redraw_at(session, ticket, key, now)
    result.sent += 1


async def _redraw_at(session, ticket: Ticket, notice: str, now: datetime) -> None:
    """A deadline came near or passed: every card of the ticket is drawn again (its countdown,
    "te laat"), once per notice."""
    await outbox.redraw_card(session, ticket_id=ticket.id, version=notice.removeprefix(f"ticket:{ticket.id}:"), now=now)


async def _piket(
    session, policy: Policy, ticket: Ticket, clocks: TicketClocks, *, now: datetime, contact: str, user_id: str,
    recorded: set[str], result: SweepResult,
) -> None:
    if not (contact or user_id) or ticket.status not in OPEN_STATUSES or ticket.first_response_at is not None:
        return
    if clocks.priority != "P1":
        return
    since = clocks.at(clocks.priority_since_us)
    if now - since > PIKET_WINDOW or policy.working_calendar.is_open(since):
        return
    key = f"ticket:{ticket.id}:piket:{since.isoformat()}"
    if key in recorded:
        return
    recorded.add(key)
    if not await notices.claim(session, key=key, ticket_id=ticket.id, clock="P1:piket", kind=notices.PIKET, at=now):
        return
    payload = {"kind": Kind.PIKET_ALERT, "ticket_id": ticket.id, "contact": contact or None}
    await outbox.enqueue(
        session, dedup_key=key, target=outbox.Target.channel("regie"), payload=payload, now=now, ticket_id=ticket.id
    )
    if user_id:
        await outbox.enqueue(
            session, dedup_key=key + ":user", target=outbox.Target.user(user_id), payload=payload, now=now, ticket_id=ticket.id
        )
    result.sent += 1
