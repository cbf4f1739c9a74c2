"""Database tables.

One module holds every table so a newcomer sees the whole data model at once. Times are stored as
UTC and always come back timezone-aware (``UtcDateTime``), on SQLite as on PostgreSQL.

- ``tickets``: the current state of each ticket, plus its due times. The due times are a cache of
  what the SLA engine derives from the event log; they exist so the scheduler can find due work
  with an index instead of replaying every log.
- ``ticket_events``: the append-only history; the source of truth for deadlines and KPIs.
- ``conversation_refs``: where the bot can reach a user (personal chat) or a channel role
  (servicedesk, regie, overleg) proactively.
- ``card_refs``: which posted message shows a ticket's card (or an escalation's), so it can be
  updated in place.
- ``escalations``: regie's escalations (PvE §2.4.3) with their level, cause, action and evaluation.
- ``outbox``: every outbound message, written in the same transaction as the change that causes it.
- ``job_runs``: one row per (job, period) so a periodic job runs once, whatever the replica count.
- ``bot_state``: the dialog state documents with an eTag for optimistic concurrency.
- ``itsm_links``, ``itsm_state``: which incident in the supplier's ticket system a ticket is, and
  the connection's shared state (read cursor, poll lease, outage).
- ``policy_versions``: each SLA policy version that was in force, with its digest.
- ``directory_employees``: who works where (location, team), from the operator's directory import.
- ``campaigns``, ``campaign_recipients``, ``reach_pace``: one message to many employees (``reach``):
  the campaign, one row per recipient (each employee once), and the tenant's next free send slot.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from datetime import date

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from sla.status import TicketStatus


class UtcDateTime(TypeDecorator):
    """An aware UTC datetime on every backend (SQLite drops the offset otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: pass an aware UTC instant")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class StatusType(TypeDecorator):
    """A ticket's status (``sla.status.TicketStatus``): stored as its value, read back as the member.

    A value that is no status is refused when it is written, not discovered when it is read.
    """

    impl = String(20)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else TicketStatus(value).value

    def process_result_value(self, value: str | None, dialect) -> TicketStatus | None:
        return None if value is None else TicketStatus(value)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JSON}


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reporter_id: Mapped[str] = mapped_column(String(64), index=True)  # Entra object id
    reporter_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40))
    scope: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(2))
    uplift: Mapped[bool] = mapped_column(Boolean, default=False)
    uplift_motivation: Mapped[str | None] = mapped_column(Text, nullable=True)
    priority_reasons: Mapped[dict[str, Any]] = mapped_column(default=dict)
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    status: Mapped[TicketStatus] = mapped_column(StatusType, default=TicketStatus.NEW)
    owner_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    owner_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # The treatment line ("1" servicedesk, "2", "3") of the owner, or of the queue the ticket was
    # handed to (owner None); None until someone picks it up.
    treatment_line: Mapped[str | None] = mapped_column(String(10), nullable=True)
    opened_at: Mapped[datetime]
    first_response_at: Mapped[datetime | None] = mapped_column(nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    first_response_due: Mapped[datetime | None] = mapped_column(nullable=True)
    resolution_due: Mapped[datetime | None] = mapped_column(nullable=True)
    definitive_resolution_due: Mapped[datetime | None] = mapped_column(nullable=True)
    next_update_due: Mapped[datetime | None] = mapped_column(nullable=True)
    # Bumped on every change; a card drawn at an older version is stale.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # P4: the date agreed with the reporter for the update/resolution.
    agreed_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    # sib: a major incident has its own update cadence (30 min, then hourly).
    major_incident: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when a status update went out without news from the servicedesk ("update te laat").
    update_overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    # Known outage: this report was linked to (and follows) another ticket instead of its own.
    linked_to_ticket_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The outage's title as the servicedesk set or confirmed it (PUBLIC_TITLE_SET, cached here):
    # the only text of this ticket other employees may see. None: not offered to anyone.
    public_title: Mapped[str | None] = mapped_column(String(120), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # Privacy: when the personal data of this closed ticket was removed (SLA figures stay).
    personal_data_removed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # How the report came in: "teams", or the channel of an incident imported from the supplier's
    # ticket system ("telefoon", "e-mail", "portaal", ...). A reporter outside Teams has an empty
    # ``reporter_id``: the bot cannot reach them, and sends them nothing.
    channel: Mapped[str] = mapped_column(String(20), default="teams", server_default="teams")
    # The number the supplier's ticket system gave this ticket ("I 2604 017"), shown on the cards.
    external_number: Mapped[str | None] = mapped_column(String(60), nullable=True)

    __table_args__ = (Index("ix_tickets_next_update_due", "next_update_due"),)


class TicketEventRow(Base):
    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime]
    actor_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = (Index("ix_ticket_events_ticket", "ticket_id", "id"),)


class ConversationRef(Base):
    __tablename__ = "conversation_refs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))  # "user" or "channel"
    key: Mapped[str] = mapped_column(String(200))  # user: Entra object id; channel: role
    reference: Mapped[dict[str, Any]]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (UniqueConstraint("kind", "key", name="uq_conversation_refs_kind_key"),)


class CardRef(Base):
    """Where a card was posted, per channel role: a ticket's card (``ticket_id``) or an
    escalation's (``escalation_id``; then ``ticket_id`` is empty: one ticket can have several)."""

    __tablename__ = "card_refs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), nullable=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"), nullable=True)
    # A campaign's sender card (``reach``): its progress is redrawn in place.
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=True)
    role: Mapped[str] = mapped_column(String(20))  # "servicedesk", "regie"
    conversation_id: Mapped[str] = mapped_column(String(300))
    activity_id: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("ticket_id", "role", name="uq_card_refs_ticket_role"),
        UniqueConstraint("escalation_id", "role", name="uq_card_refs_escalation_role"),
        UniqueConstraint("campaign_id", "role", name="uq_card_refs_campaign_role"),
    )


class EscalationRow(Base):
    """One escalation (PvE §2.4.3): opened once by its ``key`` (the rules of ``sla.escalation``),
    then moved by regie and the supplier from its cards (``storage.escalations``). States, levels
    and triggers are the enums of ``sla.escalation``."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # "Exactly once": a breach's key is its notice's (storage.notices), a missed norm's
    # "norm:{month}:{norm}". Of two replicas opening the same one, one insert wins.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    trigger: Mapped[str] = mapped_column(String(20))  # sla.escalation.Trigger
    ticket_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    norm: Mapped[str] = mapped_column(String(40))  # "P2:resolution", "P1:update", "csat", ...
    period: Mapped[str | None] = mapped_column(String(10), nullable=True)  # a missed norm's month
    due: Mapped[datetime | None] = mapped_column(nullable=True)  # the deadline a breach concerns
    figures: Mapped[dict[str, Any]] = mapped_column(default=dict)  # a missed norm's share and norm
    proposed_level: Mapped[str] = mapped_column(String(2))  # sla.escalation.Level
    level: Mapped[str] = mapped_column(String(2))
    reasons: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"why": [Escalation values]}
    state: Mapped[str] = mapped_column(String(12))  # sla.escalation.State
    opened_at: Mapped[datetime]
    start_by: Mapped[datetime]
    level_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    level_by_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    level_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    level_at: Mapped[datetime | None] = mapped_column(nullable=True)
    cause: Mapped[str | None] = mapped_column(Text, nullable=True)
    action: Mapped[str | None] = mapped_column(Text, nullable=True)
    action_owner: Mapped[str | None] = mapped_column(String(200), nullable=True)
    action_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    action_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    action_by_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    action_at: Mapped[datetime | None] = mapped_column(nullable=True)
    evaluation: Mapped[str | None] = mapped_column(Text, nullable=True)
    closed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    closed_by_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # Bumped on every step; a card drawn at an older version is stale (as a ticket's).
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (Index("ix_escalations_state_level", "state", "level"), Index("ix_escalations_opened", "opened_at"))


class OutboxMessage(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Idempotency: the same logical message (e.g. "status update 3 of ticket 12") is written once.
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    ticket_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    target_kind: Mapped[str] = mapped_column(String(10))  # "user" or "channel"
    target_key: Mapped[str] = mapped_column(String(200))
    op: Mapped[str] = mapped_column(String(20))  # "send", "send_card", "update_card"
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(12), default="pending")  # storage.outbox.Status
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    lease_until: Mapped[datetime | None] = mapped_column(nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    activity_id: Mapped[str | None] = mapped_column(String(300), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # When Teams first refused it (403/404 from a channel, 5xx after retries): the give-up time
    # (OUTBOX_GIVE_UP_HOURS) counts from here. None while nothing went wrong.
    failing_since: Mapped[datetime | None] = mapped_column(nullable=True)

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)


class JobRun(Base):
    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(40))
    claimed_at: Mapped[datetime]
    claimed_by: Mapped[str] = mapped_column(String(80))

    __table_args__ = (UniqueConstraint("job", "period", name="uq_job_runs_job_period"),)


class TicketAttachment(Base):
    """A photo or screenshot the employee sent: a reference the servicedesk can open."""

    __tablename__ = "ticket_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    content_url: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime]
    added_by: Mapped[str] = mapped_column(String(64))


class TicketFollower(Base):
    """An employee who gets a ticket's updates without being its reporter (known outage)."""

    __tablename__ = "ticket_followers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    user_name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    linked_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("ticket_id", "user_id", name="uq_ticket_followers_ticket_user"),)


class AuditEntry(Base):
    """Append-only, hash-chained record of every change: who, what, when, ticket, result."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    action: Mapped[str] = mapped_column(String(60))
    ticket_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    result: Mapped[str] = mapped_column(String(40))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Notice(Base):
    """A notice that was sent (pre-breach warning, breach, escalation): each key once."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notice_key: Mapped[str] = mapped_column(String(200), unique=True)
    ticket_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    clock: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))  # warning, breach, escalation
    level: Mapped[str | None] = mapped_column(String(4), nullable=True)  # N1, N2, N3
    at: Mapped[datetime]


class ProcessedActivity(Base):
    """Inbound activities already handled: a duplicate delivery changes nothing a second time."""

    __tablename__ = "processed_activities"

    activity_key: Mapped[str] = mapped_column(String(400), primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)


class BotStateRow(Base):
    __tablename__ = "bot_state"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    etag: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class ItsmLink(Base):
    """Which incident in the supplier's ticket system a ticket is, and what was last seen of it.

    ``seen`` holds the incident's fields as last read or written (priority, operator, group,
    status flags, the ids of actions already applied): a field changes on the ticket only when it
    changed in the ticket system since, so a change made on a card is never undone by an older
    value read back, and nothing is applied twice.
    """

    __tablename__ = "itsm_links"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)
    system: Mapped[str] = mapped_column(String(20))
    incident_id: Mapped[str] = mapped_column(String(100))
    seen: Mapped[dict[str, Any]] = mapped_column(default=dict)
    linked_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("system", "incident_id", name="uq_itsm_links_incident"),)


class ItsmState(Base):
    """The connection's shared state, one row per key (read cursor and poll lease, outage)."""

    __tablename__ = "itsm_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(default=dict)
    lease_until: Mapped[datetime | None] = mapped_column(nullable=True)
    updated_at: Mapped[datetime]


class PolicyVersionRow(Base):
    """An SLA policy version that was in force, with the digest of its text: a version that
    changed after it took effect is refused (``storage.policy_versions``)."""

    __tablename__ = "policy_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    policy: Mapped[str] = mapped_column(String(100))
    effective_from: Mapped[str] = mapped_column(String(10))  # ISO date, "" for an unversioned file
    digest: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]  # the last time a report was computed under this policy

    __table_args__ = (UniqueConstraint("policy", "effective_from", name="uq_policy_versions_policy_effective"),)


class DirectoryEmployee(Base):
    """One employee from the organisation's directory export (``servicedesk directory import``):
    only what reaching them by location or team needs. Keyed by the Entra object id, as Teams
    names them (``conversation_refs.key``)."""

    __tablename__ = "directory_employees"

    object_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(100), default="", index=True)
    team: Mapped[str] = mapped_column(String(100), default="", index=True)
    imported_at: Mapped[datetime]


class Campaign(Base):
    """One message to many employees (``reach``): an announcement, its follow-ups, a survey round.

    ``kind``, ``state`` and the audience's kind are the enums of ``reach.enums``; ``payload`` is
    what the message kind's renderer needs (an announcement's what, when, what to do meanwhile).
    """

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))  # reach.enums.Kind
    message_kind: Mapped[str] = mapped_column(String(40))  # the outbox payload kind each recipient gets
    audience: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"who": "team", "value": "Noord"}
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    parent_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)  # a follow-up's announcement
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)  # a P1 disruption: not quiet, not capped
    state: Mapped[str] = mapped_column(String(12), index=True)  # reach.enums.State
    refusal: Mapped[str | None] = mapped_column(String(40), nullable=True)  # why it waits for regie
    created_by: Mapped[str] = mapped_column(String(64))
    created_by_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    approved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    approved_by_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    not_before: Mapped[datetime]  # no recipient gets it earlier
    drawn: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the counts the sender's card last showed
    drawn_at: Mapped[datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class CampaignRecipient(Base):
    """One employee of a campaign: each employee at most once (the unique constraint), and the
    outbox message keyed by it (``reach:{campaign}:{object id}``)."""

    __tablename__ = "campaign_recipients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    object_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12))  # reach.enums.Recipient
    week: Mapped[str | None] = mapped_column(String(8), nullable=True)  # ISO week it counts in ("2026-W49")
    due_at: Mapped[datetime | None] = mapped_column(nullable=True)  # postponed (weekly maximum) until
    queued_at: Mapped[datetime | None] = mapped_column(nullable=True)

    __table_args__ = (
        UniqueConstraint("campaign_id", "object_id", name="uq_campaign_recipients_campaign_employee"),
        Index("ix_campaign_recipients_state", "campaign_id", "state", "id"),
        Index("ix_campaign_recipients_week", "object_id", "week"),
    )


class ReachPace(Base):
    """The next free send slot of the app in the tenant, shared by every replica (``reach``)."""

    __tablename__ = "reach_pace"

    key: Mapped[str] = mapped_column(String(20), primary_key=True)
    next_slot: Mapped[datetime]
class SurveyRound(Base):
    """One experience survey round (XLA, PvE §10.5): open from ``started_at`` until it is closed.
    ``norms`` are the policy's ``[xla.norms]`` in force at the start (a question: "8" or None), so a
    later policy version cannot change the round's verdict."""

    __tablename__ = "survey_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # "2026-03" for a scheduled round (one per month at most, whatever the replicas), else unique
    # by its start ("op verzoek 2026-11-30T10:00").
    label: Mapped[str] = mapped_column(String(60), unique=True)
    started_at: Mapped[datetime]
    started_by: Mapped[str | None] = mapped_column(String(200), nullable=True)  # None: the schedule
    remind_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True, index=True)
    closed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    norms: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The round's campaigns (``reach``): the invitation to everyone, and the one reminder.
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), nullable=True)
    reminder_campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), nullable=True)
    invited: Mapped[int | None] = mapped_column(Integer, nullable=True)  # reached, counted at the close


class SurveyResponse(Base):
    """One employee asked in one round: written with the round's invitation campaign, one per
    recipient (once per person per round), then their scores, the optional remark (personal text:
    regie only, purged with the retention period) and where they are in the questions (``step``)."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    asked_at: Mapped[datetime]
    prompted_at: Mapped[datetime]  # when the current step was put to them (the round's start, an answer)
    workplace: Mapped[int | None] = mapped_column(Integer, nullable=True)
    servicedesk: Mapped[int | None] = mapped_column(Integer, nullable=True)
    information: Mapped[int | None] = mapped_column(Integer, nullable=True)
    remark: Mapped[str | None] = mapped_column(Text, nullable=True)
    step: Mapped[str] = mapped_column(String(20))  # a sla.xla.Question value, "opmerking" or "klaar"
    answered_at: Mapped[datetime | None] = mapped_column(nullable=True)  # the last score

    __table_args__ = (UniqueConstraint("round_id", "user_id", name="uq_survey_responses_round_user"),)


class SurveyOptOut(Base):
    """An employee who said "geen enquêtes": not asked again until they say "wel enquêtes" (then
    the row goes; the audit trail keeps both moments)."""

    __tablename__ = "survey_opt_outs"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[datetime]
