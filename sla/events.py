"""The ticket event vocabulary.

A ticket's history is an append-only list of events. Storage writes them; the SLA engine derives
every deadline and KPI from them, so stored due times are only a cache. Each event has a kind
(one of the constants below), the instant it happened (timezone-aware) and a small data mapping
whose keys are listed per kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

# data: priority ("P1".."P4"), uplift (bool), motivation (str|None), category, scope, reasons (list[str])
REPORTED = "reported"
# data: agent_id, note -- the first substantive human reaction counts as first response
ACKNOWLEDGED = "acknowledged"
# data: from, to, reason, agent_id
PRIORITY_CHANGED = "priority_changed"
# data: party, reason, agent_id -- "wacht op derde" starts a pause
PAUSED = "paused"
# data: agent_id -- ends the open pause
RESUMED = "resumed"
# data: text, agent_id -- a servicedesk update written for the reporter
AGENT_UPDATE = "agent_update"
# data: holding (bool) -- a status update actually delivered to the reporter (by the bot's schedule)
STATUS_UPDATE_SENT = "status_update_sent"
# data: note, agent_id -- P1 stabilisation / workaround ("noodoplossing")
WORKAROUND = "workaround"
# data: solution, first_time_fix (bool), agent_id
RESOLVED = "resolved"
# data: reason, agent_id
REOPENED = "reopened"
# data: {} -- closed for good (after resolution)
CLOSED = "closed"
# data: from_agent, to_agent -- ownership changes (first ACKNOWLEDGED sets the first owner)
HANDED_OVER = "handed_over"
# data: {} -- the employee says they can work again (MTTP moment)
PRODUCTIVE_AGAIN = "productive_again"
# data: score (1..10), remark (str|None)
CSAT = "csat"
# data: date (ISO date) -- P4: the agreed date for the update/resolution
AGREED_DATE_SET = "agreed_date_set"
# data: text -- the reporter added information
INFO_ADDED = "info_added"

ALL_KINDS = frozenset(
    {
        REPORTED, ACKNOWLEDGED, PRIORITY_CHANGED, PAUSED, RESUMED, AGENT_UPDATE,
        STATUS_UPDATE_SENT, WORKAROUND, RESOLVED, REOPENED, CLOSED, HANDED_OVER,
        PRODUCTIVE_AGAIN, CSAT, AGREED_DATE_SET, INFO_ADDED,
    }
)


@dataclass(frozen=True, slots=True)
class TicketEvent:
    kind: str
    at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)
