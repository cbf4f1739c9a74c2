"""One row per ticket with its SLA figures, derived from the event log (for Power BI or Qlik)."""

from __future__ import annotations

from typing import Any, AsyncIterator

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sla import events as ev
from sla.deadlines import deadlines_from_events, facts_from_events
from sla.events import TicketEvent
from sla.policy import Policy
from storage.models import Ticket, TicketEventRow
from storage.tickets import ticket_label


def ticket_row(policy: Policy, ticket: Ticket, events: list[TicketEvent]) -> dict[str, Any]:
    """Times in the policy's time zone with their offset, as the contract reads them."""

    def _iso(value) -> str:
        return value.astimezone(policy.tz).isoformat() if value is not None else ""

    due = deadlines_from_events(policy, events)
    facts = facts_from_events(events)
    first_response = next((e.at for e in events if e.kind == ev.ACKNOWLEDGED), None)
    resolved = None
    for event in events:
        if event.kind == ev.RESOLVED:
            resolved = event.at
        elif event.kind == ev.REOPENED:
            resolved = None
    csat = next((e.data.get("score") for e in reversed(events) if e.kind == ev.CSAT), None)
    productive = next((e.at for e in events if e.kind == ev.PRODUCTIVE_AGAIN), None)
    paused_us = sum(end - start for start, end in facts.pauses)
    return {
        "ticket": ticket_label(ticket.id),
        "priority": due.priority or ticket.priority,
        "uplift": "ja" if ticket.uplift else "nee",
        "category": ticket.category,
        "scope": ticket.scope,
        "status": ticket.status,
        "opened_at": _iso(ticket.opened_at),
        "first_response_due": _iso(due.first_response_due),
        "first_response_at": _iso(first_response),
        "first_response_within_norm": "" if first_response is None else ("ja" if first_response <= due.first_response_due else "nee"),
        "resolution_due": _iso(due.resolution_due),
        "resolved_at": _iso(resolved),
        "resolution_within_norm": ""
        if resolved is None or due.resolution_due is None
        else ("ja" if resolved <= due.resolution_due else "nee"),
        "paused_minutes": paused_us // 60_000_000,
        "owner_changes": sum(1 for e in events if e.kind == ev.HANDED_OVER),
        "csat": csat if csat is not None else "",
        "productive_again_at": _iso(productive),
        "channel": ticket.channel,
        "external_number": ticket.external_number or "",
    }


async def ticket_rows(session: AsyncSession, *, policy: Policy) -> AsyncIterator[dict[str, Any]]:
    tickets = {t.id: t for t in (await session.execute(select(Ticket).order_by(Ticket.id))).scalars()}
    rows = await session.execute(
        select(TicketEventRow.ticket_id, TicketEventRow.kind, TicketEventRow.at, TicketEventRow.data).order_by(
            TicketEventRow.ticket_id, TicketEventRow.id
        )
    )
    current_id, events = None, []
    for ticket_id, kind, at, data in rows:
        if ticket_id != current_id and events:
            yield ticket_row(policy, tickets[current_id], events)
            events = []
        current_id = ticket_id
        events.append(TicketEvent(kind=kind, at=at, data=data or {}))
    if events:
        yield ticket_row(policy, tickets[current_id], events)
