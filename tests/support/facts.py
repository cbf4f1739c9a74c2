"""Recording a contract fact on a stored ticket without its card button.

The card buttons for the new facts (a substantive reaction, a registered call, "leentoestel
nodig", "monteur op locatie", a security flag, a major incident, ...) belong to another piece of
work; these tests need only the fact in the log and the ticket's due-time cache refreshed from it,
which is exactly what each storage transition does after appending its event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sla.policy import Policy
from storage import tickets
from storage.db import Database
from storage.models import Ticket, TicketEventRow


async def record(
    database: Database, policy: Policy, ticket_id: int, kind: str, at: datetime, *, actor_id: str | None = None, **data: Any
) -> None:
    """Append ``kind`` at ``at`` with ``data`` and refresh the ticket's cached due times."""
    async with database.sessions.begin() as session:
        session.add(TicketEventRow(ticket_id=ticket_id, kind=kind, at=at, actor_id=actor_id, data=data))
        ticket = await session.get(Ticket, ticket_id)
        await tickets._refresh_due(session, ticket, policy)
