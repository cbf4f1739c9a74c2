"""One row per ticket with its SLA figures (for Power BI or Qlik), read from the ticket's fold.

Every figure the monthly report sums is here per ticket, with the moment that decides the period it
counts in: a clock counts in the month of its ``_due`` once ``_within_norm`` says "ja" or "nee";
first-time-fix, single owner, kept informed and the time to resolve in the month of
``resolved_at``; MTTP in the month of ``productive_again_at``; CSAT in the month of ``csat_at``; a
missed update in the month of its moment in ``updates_missed_at``. Filter the rows that way and
they add up to the report (``sla.kpi``) exactly: both read the same fold at the same ``now``.
Times are in the policy's time zone with their offset; durations in seconds, exact to the
microsecond.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, AsyncIterator

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sla.events import TicketEvent
from sla.fold import TicketClocks, fold
from sla.policy import CLOCK_NAMES, Policy
from storage.labels import ticket_label
from storage.models import Ticket, TicketEventRow
from storage.policy_versions import check_and_record

CLOCK_COLUMNS = tuple(f"{clock}_{part}" for clock in CLOCK_NAMES for part in ("start", "due", "at", "within_norm"))
COLUMNS = (
    "ticket", "priority", "uplift", "category", "scope", "status", "policy_version", "opened_at", "resolved_at",
    *CLOCK_COLUMNS,
    "updates_given", "updates_missed", "updates_missed_at", "holding_messages", "holding_sent_at", "kept_informed",
    "major_incident", "major_incident_updates_kept", "linked_tickets", "security_incident", "data_breach",
    "first_time_fix", "single_owner", "time_to_resolve_s", "could_work", "productive_again_at",
    "time_to_productive_s", "csat", "csat_at", "waits", "waited_s", "waits_too_long", "channel", "external_number",
)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("ja" if value else "nee")


def _seconds(micros: int | None) -> str:
    """Exact: whole seconds, and the microseconds only when there are any."""
    if micros is None:
        return ""
    seconds, rest = divmod(micros, 1_000_000)
    return f"{seconds}.{rest:06d}".rstrip("0").rstrip(".") if rest else str(seconds)


def ticket_row(ticket: Ticket, clocks: TicketClocks) -> dict[str, Any]:
    """The export row of one ticket from its fold (``clocks``) and its row (category, status)."""

    def iso(micros: int | None) -> str:
        value = clocks.at(micros)
        return value.isoformat() if value is not None else ""

    row: dict[str, Any] = {
        "ticket": ticket_label(ticket.id),
        "priority": clocks.priority,
        "uplift": _yes_no(clocks.uplift),
        "category": ticket.category,
        "scope": ticket.scope,
        "status": ticket.status,
        "policy_version": clocks.policy.effective_from.isoformat() if clocks.policy.effective_from else "",
        "opened_at": iso(clocks.opened_us),
        "resolved_at": iso(clocks.resolved_us),
    }
    for name in CLOCK_NAMES:
        clock = clocks.clock(name)
        decided = clock is not None and (clock.stop_us is not None or clock.breached)
        row[f"{name}_start"] = "" if clock is None else iso(clock.start_us)
        row[f"{name}_due"] = "" if clock is None else iso(clock.due_us)
        row[f"{name}_at"] = "" if clock is None else iso(clock.stop_us)
        row[f"{name}_within_norm"] = _yes_no(not clock.breached) if decided else ""
    updates = clocks.updates
    row.update(
        updates_given=len(updates.given_us),
        updates_missed=len(updates.missed_us),
        updates_missed_at=";".join(iso(at) for at in updates.missed_us),
        holding_messages=len(updates.holding_us),
        holding_sent_at=";".join(iso(at) for at in updates.holding_us),
        kept_informed=_yes_no(updates.kept_informed),
        major_incident=_yes_no(clocks.major_incident),
        major_incident_updates_kept=_yes_no(clocks.major_updates_kept),
        linked_tickets=" ".join(clocks.linked),
        security_incident=_yes_no(clocks.security_incident),
        data_breach=_yes_no(clocks.data_breach),
        first_time_fix=_yes_no(clocks.first_time_fix),
        single_owner=_yes_no(clocks.single_owner),
        time_to_resolve_s=_seconds(clocks.mttr_us),
        could_work=clocks.could_work or "",
        productive_again_at=iso(clocks.productive_us),
        time_to_productive_s=_seconds(clocks.mttp_us),
        csat="" if clocks.csat is None else clocks.csat[1],
        csat_at="" if clocks.csat is None else iso(clocks.csat[0]),
        waits=len(clocks.waits),
        waited_s=_seconds(clocks.waited_us),
        waits_too_long=sum(1 for wait in clocks.waits if wait.exceeded),
        channel=ticket.channel,
        external_number=ticket.external_number or "",
    )
    return row


async def ticket_rows(session: AsyncSession, *, policy: Policy, now: datetime) -> AsyncIterator[dict[str, Any]]:
    """Every ticket's row, as its log is known at ``now`` (refused when a policy version that was
    in force changed since: ``storage.policy_versions``)."""
    await check_and_record(session, policy=policy, now=now)
    tickets = {t.id: t for t in (await session.execute(select(Ticket).order_by(Ticket.id))).scalars()}
    rows = await session.execute(
        select(TicketEventRow.ticket_id, TicketEventRow.kind, TicketEventRow.at, TicketEventRow.data).order_by(
            TicketEventRow.ticket_id, TicketEventRow.id
        )
    )
    current_id, events = None, []
    for ticket_id, kind, at, data in rows:
        if ticket_id != current_id and events:
            yield ticket_row(tickets[current_id], fold(policy, events, now=now))
            events = []
        current_id = ticket_id
        events.append(TicketEvent(kind=kind, at=at, data=data or {}))
    if events:
        yield ticket_row(tickets[current_id], fold(policy, events, now=now))
