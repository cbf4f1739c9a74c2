"""The per-reporter abuse limit: at most ``DeskServices.max_tickets_per_hour`` new tickets an hour.

Checked when an intake starts (so nobody fills in a whole form to be refused) and again just
before the ticket is made (two intakes side by side). The answer says when it works again.
"""

from __future__ import annotations

from datetime import timedelta

from botbuilder.core import TurnContext

from dialogs import texts
from dialogs.services import DeskServices
from dialogs.when import say_when
from storage import employee


async def recent_tickets(session, services: DeskServices, reporter_id: str) -> list:
    """When each of the reporter's tickets of the last hour was reported (oldest first)."""
    since = services.clock.now() - timedelta(hours=1)
    return await employee.tickets_reported_since(session, reporter_id=reporter_id, since=since)


def refusal(services: DeskServices, recent: list) -> str | None:
    """The Dutch refusal when ``recent`` reaches the limit (saying when it works again), else None."""
    if len(recent) < services.max_tickets_per_hour:
        return None
    oldest_counted = recent[len(recent) - services.max_tickets_per_hour]
    retry = say_when(oldest_counted + timedelta(hours=1), now=services.clock.now(), tz=services.policy.tz)
    return texts.TOO_MANY_TICKETS.format(count=len(recent), retry=retry)


async def refuse_if_over_limit(turn_context: TurnContext, services: DeskServices, reporter_id: str) -> bool:
    """Tell the employee and return True when they reached the hourly limit."""
    async with services.database.sessions() as session:
        message = refusal(services, await recent_tickets(session, services, reporter_id))
    if message is None:
        return False
    await turn_context.send_activity(message)
    return True
