"""The ticket event vocabulary.

A ticket's history is an append-only list of events. Storage writes them; the SLA engine derives
every deadline and KPI from them, so stored due times are only a cache. Each event has a kind
(one of the constants below), the instant it happened (timezone-aware) and a small data mapping
whose keys are listed per kind. Every event an agent causes also carries ``agent_id`` and
``agent_name``; keys marked "optional" may be missing in logs written before they existed.

What the contracts call a clock is folded from these events in one place (``sla``'s fold); this
module only names the facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

# -- the report ---------------------------------------------------------------------------------
# data: priority ("P1".."P4"), uplift (bool), motivation (str|None), category, scope,
#       reasons (list[str]), ticket (label), major_incident (bool), security_incident (bool),
#       data_breach (bool, optional), details {intake: {work, security, ...}, attachments},
#       channel (optional; missing means "teams": how the report came in, e.g. "telefoon",
#       "e-mail", "portaal" for incidents imported from the supplier's ticket system, so the
#       figures can show every channel)
REPORTED = "reported"
# data: text, attachments (how many, optional), can_work (optional: False when this is the
#       reporter's "nog niet" to "Kun je weer verder met je werk?" after a workaround, which leaves
#       the ticket open; after a resolution that answer is a REOPENED by BY_REPORTER)
#       -- the reporter added information
INFO_ADDED = "info_added"

# -- the servicedesk's reaction -----------------------------------------------------------------
# data: note -- "oppakken": the agent takes ownership. By itself not a substantive reaction.
ACKNOWLEDGED = "acknowledged"
# data: priority (the priority the agent confirms, provisionally), next_step (text, non-empty),
#       text (optional: what else the reporter was told) -- the annex's "eerste inhoudelijke
#       reactie": assessed, priority provisionally set, next step clear. Sent to the reporter.
REACTION = "reaction"
# data: reached (bool), note (optional) -- the agent registers a phone call with the reporter
#       (PvE P1: "telefonisch contact verplicht").
CALL_REGISTERED = "call_registered"
# data: from, to, reason
PRIORITY_CHANGED = "priority_changed"
# data: from_agent, from_name, to_agent (None when handed to a line's queue), to_name,
#       from_line, to_line (optional; the treatment line, e.g. "1", "2", "3", or a third party)
HANDED_OVER = "handed_over"

# -- keeping the reporter informed ---------------------------------------------------------------
# data: text -- a servicedesk update written by a person for the reporter
AGENT_UPDATE = "agent_update"
# data: due (ISO), holding (bool) -- LEGACY (logs before holding messages were recorded apart):
#       a status update the bot's schedule queued at its due time. New logs write HOLDING_SENT.
STATUS_UPDATE_SENT = "status_update_sent"
# data: due (ISO, the moment it was owed) -- the bot's own holding message ("er is nog geen
#       nieuws"), recorded at the moment Teams accepted it. Keeps the reporter informed; never
#       the supplier's update.
HOLDING_SENT = "holding_sent"
# data: date (ISO date) -- P4: the date agreed with the reporter for the update
AGREED_DATE_SET = "agreed_date_set"

# -- waiting --------------------------------------------------------------------------------------
# data: party, reason, expected (ISO date, optional) -- "wacht op derde"; which clocks it stops is
#       policy (pause.stops), the wait is always recorded
PAUSED = "paused"
# data: {} -- ends the open wait
RESUMED = "resumed"

# -- extra clocks the card starts and stops -------------------------------------------------------
# data: note (optional) -- "leentoestel nodig": the device-fallback clock applies (PvE §10.1.5)
DEVICE_FALLBACK_NEEDED = "device_fallback_needed"
# data: how ("swap" | "loaner" | "virtual"), note (optional) -- the employee has a working device
DEVICE_FALLBACK_DONE = "device_fallback_done"
# data: location (optional), note (optional) -- "monteur op locatie": the onsite clock applies
#       (PvE §10.1.3)
ONSITE_NEEDED = "onsite_needed"
# data: note (optional) -- the engineer is on site
ONSITE_DONE = "onsite_done"

# -- security ------------------------------------------------------------------------------------
# data: kind (e.g. "datalek", "actieve_aanval", "account_gehackt", "phishing", "malware",
#       "kwijt"), data_breach (bool) -- the ticket is (also) a security incident
SECURITY_FLAGGED = "security_flagged"
# data: note -- containment: the incident is bounded (annex "Containment")
CONTAINED = "contained"
# data: note (optional) -- the privacy officer registered the data breach with the authority
#       (AVG art. 33: within 72 hours of discovery)
DATA_BREACH_REPORTED = "data_breach_reported"

# -- major incidents -----------------------------------------------------------------------------
# data: title -- the servicedesk declares a major incident (annex "Major incident")
MAJOR_DECLARED = "major_declared"
# data: ticket (label of the other ticket) -- another report is linked to this one
TICKET_LINKED = "ticket_linked"
# data: summary, link (optional) -- the root-cause analysis was documented and shared
RCA_SHARED = "rca_shared"
# data: title -- the servicedesk sets or confirms the public title of an outage
#       ("Storing Outlook"), the only text of this ticket other employees may see
PUBLIC_TITLE_SET = "public_title_set"

# -- the end -------------------------------------------------------------------------------------
# data: note -- P1 stabilisation / workaround ("noodoplossing")
WORKAROUND = "workaround"
# data: solution, first_time_fix (bool, LEGACY: ticked by the agent; the fold derives it)
RESOLVED = "resolved"
# data: reason, by (BY_AGENT | BY_REPORTER)
REOPENED = "reopened"
BY_AGENT = "agent"  # the servicedesk or regie reopened it from the card
BY_REPORTER = "reporter"  # the employee said "nog niet" after the resolution
# data: {} -- closed for good (after resolution)
CLOSED = "closed"
# data: {} -- the employee says they can work again (MTTP moment)
PRODUCTIVE_AGAIN = "productive_again"
# data: score (1..10), remark (str|None)
CSAT = "csat"


@dataclass(frozen=True, slots=True)
class TicketEvent:
    kind: str
    at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)
