"""Privacy (AVG): retention, inzage (export) and erasure of one person's data.

What counts as personal data here, and what happens to it:

==========================  ============================================================
where                       after the retention period (``purge``) / on ``erase``
==========================  ============================================================
tickets                     reporter name and id → "verwijderd"; description →
                            "verwijderd"; uplift motivation → "verwijderd" (so "with
                            motivation" still counts); phone → empty
ticket_events.data          every free text (notes, updates, solutions, reasons, remarks,
                            intake answers, names, phone) → "verwijderd"; kinds, times,
                            priorities and the flags the SLA engine reads stay
ticket_events.actor_id      the reporter's id → empty (servicedesk agents' ids stay)
ticket_attachments          deleted
ticket_followers            name → "verwijderd", id → a per-row placeholder, text → empty
outbox                      the ticket's messages deleted (payloads hold notes)
survey_responses            the remark of a survey round closed longer ago → empty (the
                            scores stay: the round's figures do not change); on erase
                            also the person's id → a per-row placeholder
survey_opt_outs             on erase: deleted
conversation_refs           a person's personal-chat reference deleted once they have no
                            open ticket left (they are reachable again at their next message),
                            unless they are in the directory: announcements still reach them
                            (on ``erase`` it goes anyway)
directory_employees         kept until the next import leaves them out; deleted on ``erase``
campaign_recipients         who an announcement or survey reached: the object id → a
                            per-row placeholder once the campaign finished longer ago than
                            the retention period, and on ``erase`` (the counts stay); the
                            campaign's outbox messages older than that are deleted
bot_state                   the dialog state of that personal chat deleted (unless it was
                            written in the last day: an intake under way)
==========================  ============================================================

What stays, so that the SLA figures for every past period stay exactly as they were: ticket
numbers, categories, scope, priorities, uplift flags, every event's kind and time, the owner (a
servicedesk agent), CSAT scores, the due-time cache. ``sla.kpi.compute_kpis`` over the event
logs gives the same report before and after, except that an uplift motivation reads
"verwijderd".

The audit trail is append-only and hash-chained; it is not rewritten. It holds object ids,
actions and results, never ticket text (``storage.audit``).

Every run (``purge``, ``export_user``, ``erase_user``) appends one audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import String, cast, delete, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sla.status import OPEN_STATUSES
from storage import audit, outbox
from storage.db import Database
from storage.models import (
    AuditEntry,
    BotStateRow,
    Campaign,
    CampaignRecipient,
    ConversationRef,
    DirectoryEmployee,
    OutboxMessage,
    ProcessedActivity,
    Ticket,
    TicketAttachment,
    TicketEventRow,
    TicketFollower,
)
from storage.models import SurveyOptOut, SurveyResponse, SurveyRound

REMOVED = "verwijderd"
# Event data the SLA engine, the KPIs and the cards read, and nothing personal: kept as it is.
KEPT_EVENT_KEYS = frozenset(
    {
        "ticket", "priority", "uplift", "category", "scope", "reasons", "major_incident",
        "security_incident", "from", "to", "first_time_fix", "score", "date", "due", "holding",
        "agent_id", "from_agent", "to_agent", "party", "cause", "stabilised", "workaround", "channel",
        "kind", "how", "expected", "from_line", "to_line", "data_breach", "reached",
    }
)
BATCH = 200
PROCESSED_ACTIVITY_KEEP = timedelta(days=2)
ACTIVE_STATE_GRACE = timedelta(days=1)


def scrub_event_data(data: dict[str, Any] | None) -> dict[str, Any]:
    """Event data without personal data: free texts become "verwijderd", structure stays."""
    clean: dict[str, Any] = {}
    for key, value in (data or {}).items():
        if key in KEPT_EVENT_KEYS and (not isinstance(value, str) or _is_code(value)):
            clean[key] = value
        elif isinstance(value, str):
            clean[key] = REMOVED if value.strip() else value
        elif value is None or isinstance(value, bool):
            clean[key] = value
        elif isinstance(value, (int, float)):
            clean[key] = value
        else:  # lists and objects of free input (e.g. intake answers): gone
            clean[key] = None
    return clean


def _is_code(value: str) -> bool:
    """Short machine values (priorities, ISO dates, object ids, ticket labels) are not free text."""
    return len(value) <= 64 and " " not in value.strip()


@dataclass
class PurgeResult:
    cutoff: datetime
    tickets: list[int] = field(default_factory=list)
    references_removed: int = 0
    states_removed: int = 0
    recipients_anonymised: int = 0
    survey_remarks_removed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "cutoff": self.cutoff.isoformat(),
            "tickets": len(self.tickets),
            "references_removed": self.references_removed,
            "states_removed": self.states_removed,
            "recipients_anonymised": self.recipients_anonymised,
            "survey_remarks_removed": self.survey_remarks_removed,
        }


async def _anonymise_ticket(session: AsyncSession, ticket: Ticket, now: datetime) -> set[str]:
    """Remove one ticket's personal data; returns the user ids whose references may go."""
    people = {ticket.reporter_id}
    reporter_id = ticket.reporter_id
    ticket.reporter_name = REMOVED
    ticket.reporter_id = REMOVED
    ticket.description = REMOVED
    if ticket.uplift_motivation:
        ticket.uplift_motivation = REMOVED
    ticket.phone = None
    ticket.personal_data_removed_at = now
    events = (await session.execute(select(TicketEventRow).where(TicketEventRow.ticket_id == ticket.id))).scalars()
    for event in events:
        event.data = scrub_event_data(event.data)
        if event.actor_id == reporter_id:
            event.actor_id = None
    followers = (await session.execute(select(TicketFollower).where(TicketFollower.ticket_id == ticket.id))).scalars()
    for follower in followers:
        if not follower.user_id.startswith(REMOVED):
            people.add(follower.user_id)
        follower.user_id = f"{REMOVED}-{follower.id}"
        follower.user_name = REMOVED
        follower.description = None
    await session.execute(delete(TicketAttachment).where(TicketAttachment.ticket_id == ticket.id))
    # Sent, failed and (long stale) pending messages of the ticket: their payloads hold notes.
    await session.execute(delete(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id))
    return people - {REMOVED}


async def _has_open_ticket(session: AsyncSession, user_id: str) -> bool:
    reported = select(Ticket.id).where(Ticket.reporter_id == user_id, Ticket.status.in_(OPEN_STATUSES)).limit(1)
    if (await session.execute(reported)).first() is not None:
        return True
    followed = (
        select(TicketFollower.id)
        .join(Ticket, Ticket.id == TicketFollower.ticket_id)
        .where(TicketFollower.user_id == user_id, Ticket.status.in_(OPEN_STATUSES))
        .limit(1)
    )
    return (await session.execute(followed)).first() is not None


def _state_keys(reference: dict[str, Any] | None) -> list[str]:
    conversation = (reference or {}).get("conversation") or {}
    conversation_id = conversation.get("id") if isinstance(conversation, dict) else None
    if not isinstance(conversation_id, str) or not conversation_id:
        return []
    channel = (reference or {}).get("channelId") or "msteams"
    return [f"{channel}/conversations/{conversation_id}"]


async def _forget_person(
    session: AsyncSession, user_id: str, now: datetime, *, keep_recent_state: bool = True
) -> tuple[int, int]:
    """Delete a person's personal-chat reference and dialog state; returns (refs, states)."""
    ref = (
        await session.execute(select(ConversationRef).where(ConversationRef.kind == "user", ConversationRef.key == user_id))
    ).scalar_one_or_none()
    if ref is None:
        return 0, 0
    states = 0
    keys = _state_keys(ref.reference)
    if keys:
        condition = [BotStateRow.key.in_(keys)]
        if keep_recent_state:
            condition.append(BotStateRow.updated_at < now - ACTIVE_STATE_GRACE)
        states = (await session.execute(delete(BotStateRow).where(*condition))).rowcount or 0
    await session.delete(ref)
    return 1, states


async def _anonymise_recipients(session: AsyncSession, *where) -> int:
    """Who a campaign reached, as a per-row placeholder: its counts stay, the person goes."""
    placeholder = literal(f"{REMOVED}-") + cast(CampaignRecipient.id, String)
    done = await session.execute(
        update(CampaignRecipient).where(*where, CampaignRecipient.object_id.not_like(f"{REMOVED}-%")).values(object_id=placeholder)
    )
    return done.rowcount or 0


async def purge(*, database: Database, clock: Any, retention_days: int, actor_id: str | None = None) -> PurgeResult:
    """Remove the personal data of tickets closed (or resolved, if never closed) more than
    ``retention_days`` ago. Idempotent and cheap to run daily: done tickets are marked
    (``personal_data_removed_at``) and skipped; work goes in batches of 200 tickets."""
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    now = clock.now()
    cutoff = now - timedelta(days=retention_days)
    result = PurgeResult(cutoff=cutoff)
    due = (
        Ticket.personal_data_removed_at.is_(None),
        Ticket.status.not_in(OPEN_STATUSES),
        or_(
            Ticket.closed_at < cutoff,
            (Ticket.closed_at.is_(None)) & (Ticket.resolved_at < cutoff),
        ),
    )
    people: set[str] = set()
    while True:
        async with database.sessions.begin() as session:
            batch = list(
                (await session.execute(select(Ticket).where(*due).order_by(Ticket.id).limit(BATCH))).scalars()
            )
            for ticket in batch:
                people |= await _anonymise_ticket(session, ticket, now)
                result.tickets.append(ticket.id)
        if len(batch) < BATCH:
            break
    async with database.sessions.begin() as session:
        in_directory = set((await session.execute(
            select(DirectoryEmployee.object_id).where(DirectoryEmployee.object_id.in_(people))
        )).scalars()) if people else set()
        for user_id in sorted(people - in_directory):  # an employee in the directory stays reachable
            if await _has_open_ticket(session, user_id):
                continue
            refs, states = await _forget_person(session, user_id, now)
            result.references_removed += refs
            result.states_removed += states
        await session.execute(delete(ProcessedActivity).where(ProcessedActivity.at < now - PROCESSED_ACTIVITY_KEEP))
        finished = select(Campaign.id).where(Campaign.finished_at < cutoff)
        result.recipients_anonymised = await _anonymise_recipients(session, CampaignRecipient.campaign_id.in_(finished))
        # A campaign's messages name their recipient (target, payload): gone with the names.
        await session.execute(delete(OutboxMessage).where(
            OutboxMessage.dedup_key.like(f"{outbox.CAMPAIGN_KEY}%"), OutboxMessage.created_at < cutoff,
            OutboxMessage.status.in_((outbox.Status.SENT, outbox.Status.FAILED, outbox.Status.DISCARDED)),
        ))
        old_rounds = select(SurveyRound.id).where(SurveyRound.closed_at < cutoff)
        remarks = await session.execute(
            update(SurveyResponse)
            .where(SurveyResponse.round_id.in_(old_rounds), SurveyResponse.remark.is_not(None))
            .values(remark=None)
        )
        result.survey_remarks_removed = remarks.rowcount or 0
        await audit.append(
            session,
            at=now,
            actor_id=actor_id,
            action="privacy.purge",
            ticket_id=None,
            result="done",
            details={"retention_days": retention_days, **result.to_dict(), "ticket_ids": result.tickets[:50]},
        )
    return result


# -- inzage --------------------------------------------------------------------------------------


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _ticket_json(ticket: Ticket) -> dict[str, Any]:
    columns = [c.key for c in Ticket.__table__.columns]
    return {name: _iso(getattr(ticket, name)) for name in columns}


async def export_user(*, database: Database, clock: Any, user_id: str, actor_id: str | None = None) -> dict[str, Any]:
    """Everything the bot stores about one person (Entra object id), as JSON-ready data."""
    user_id = user_id.strip()
    if not user_id:
        raise ValueError("an object id is required")
    now = clock.now()
    async with database.sessions.begin() as session:
        reported = list(
            (await session.execute(select(Ticket).where(Ticket.reporter_id == user_id).order_by(Ticket.id))).scalars()
        )
        tickets = []
        for ticket in reported:
            entry = _ticket_json(ticket)
            entry["events"] = [
                {"kind": e.kind, "at": _iso(e.at), "actor_id": e.actor_id, "data": e.data or {}}
                for e in (
                    await session.execute(
                        select(TicketEventRow).where(TicketEventRow.ticket_id == ticket.id).order_by(TicketEventRow.id)
                    )
                ).scalars()
            ]
            entry["attachments"] = [
                {"name": a.name, "content_type": a.content_type, "content_url": a.content_url, "added_at": _iso(a.added_at)}
                for a in (
                    await session.execute(select(TicketAttachment).where(TicketAttachment.ticket_id == ticket.id))
                ).scalars()
            ]
            tickets.append(entry)
        followed = [
            {"ticket_id": f.ticket_id, "name": f.user_name, "description": f.description, "linked_at": _iso(f.linked_at)}
            for f in (
                await session.execute(select(TicketFollower).where(TicketFollower.user_id == user_id))
            ).scalars()
        ]
        acted = [
            {"ticket_id": e.ticket_id, "kind": e.kind, "at": _iso(e.at)}
            for e in (
                await session.execute(
                    select(TicketEventRow)
                    .where(TicketEventRow.actor_id == user_id)
                    .order_by(TicketEventRow.id)
                )
            ).scalars()
            if e.ticket_id not in {t.id for t in reported}
        ]
        references = list(
            (
                await session.execute(
                    select(ConversationRef).where(ConversationRef.kind == "user", ConversationRef.key == user_id)
                )
            ).scalars()
        )
        state_keys = [key for ref in references for key in _state_keys(ref.reference)]
        states = [
            {"key": s.key, "updated_at": _iso(s.updated_at), "document": s.document}
            for s in (
                await session.execute(select(BotStateRow).where(BotStateRow.key.in_(state_keys)))
            ).scalars()
        ] if state_keys else []
        messages = [
            {
                "created_at": _iso(m.created_at), "status": m.status, "ticket_id": m.ticket_id,
                "kind": (m.payload or {}).get("kind"), "sent_at": _iso(m.sent_at),
            }
            for m in (
                await session.execute(
                    select(OutboxMessage)
                    .where(OutboxMessage.target_kind == "user", OutboxMessage.target_key == user_id)
                    .order_by(OutboxMessage.id)
                )
            ).scalars()
        ]
        directory = [
            {"name": d.name, "location": d.location, "team": d.team, "imported_at": _iso(d.imported_at)}
            for d in (await session.execute(select(DirectoryEmployee).where(DirectoryEmployee.object_id == user_id))).scalars()
        ]
        received = [
            {"campaign_id": c.id, "kind": c.kind, "created_at": _iso(c.created_at), "state": r.state, "week": r.week}
            for r, c in (
                await session.execute(
                    select(CampaignRecipient, Campaign).join(Campaign, Campaign.id == CampaignRecipient.campaign_id)
                    .where(CampaignRecipient.object_id == user_id).order_by(Campaign.id)
                )
            ).all()
        ]
        survey_answers = [
            {"round_id": r.round_id, "asked_at": _iso(r.asked_at),
             "werkplek": r.workplace, "servicedesk": r.servicedesk, "informatie": r.information, "remark": r.remark}
            for r in (
                await session.execute(select(SurveyResponse).where(SurveyResponse.user_id == user_id).order_by(SurveyResponse.id))
            ).scalars()
        ]
        opted_out = await session.get(SurveyOptOut, user_id)
        audit_entries = [
            {"at": _iso(a.at), "action": a.action, "ticket_id": a.ticket_id, "result": a.result}
            for a in (
                await session.execute(select(AuditEntry).where(AuditEntry.actor_id == user_id).order_by(AuditEntry.id))
            ).scalars()
        ]
        await audit.append(
            session,
            at=now,
            actor_id=actor_id,
            action="privacy.export",
            ticket_id=None,
            result="done",
            details={"subject": user_id, "tickets": len(tickets), "followed": len(followed)},
        )
    return {
        "subject": user_id,
        "generated_at": _iso(now),
        "tickets_reported": tickets,
        "tickets_followed": followed,
        "servicedesk_actions": acted,
        "conversation_references": [
            {"kind": r.kind, "key": r.key, "active": r.active, "updated_at": _iso(r.updated_at), "reference": r.reference}
            for r in references
        ],
        "dialog_state": states,
        "messages_to_person": messages,
        "directory": directory,
        "announcements_and_surveys": received,
        "survey_answers": survey_answers,
        "survey_opt_out": _iso(opted_out.at) if opted_out is not None else None,
        "audit_entries_as_actor": audit_entries,
    }


# -- erasure --------------------------------------------------------------------------------------


@dataclass
class EraseResult:
    subject: str
    tickets: list[int] = field(default_factory=list)
    followed: int = 0
    references_removed: int = 0
    states_removed: int = 0
    pending_messages_removed: int = 0
    recipients_anonymised: int = 0
    survey_answers: int = 0  # survey responses whose remark and link to the person were removed
    refused_open: list[int] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return not self.refused_open

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "tickets": len(self.tickets),
            "followed": self.followed,
            "references_removed": self.references_removed,
            "states_removed": self.states_removed,
            "pending_messages_removed": self.pending_messages_removed,
            "recipients_anonymised": self.recipients_anonymised,
            "survey_answers": self.survey_answers,
            "refused_open_tickets": self.refused_open,
        }


async def open_tickets_of(session: AsyncSession, user_id: str) -> list[int]:
    query = select(Ticket.id).where(Ticket.reporter_id == user_id, Ticket.status.in_(OPEN_STATUSES)).order_by(Ticket.id)
    return [row[0] for row in (await session.execute(query)).all()]


async def erase_user(
    *, database: Database, clock: Any, user_id: str, include_open: bool = False, actor_id: str | None = None
) -> EraseResult:
    """Remove one person's personal data everywhere (AVG art. 17), in one transaction.

    Their tickets are anonymised as by ``purge`` (the SLA figures stay). An open ticket would no
    longer be workable, so with open tickets nothing is changed unless ``include_open``; the
    refusal is audited as well.
    """
    user_id = user_id.strip()
    if not user_id or user_id.startswith(REMOVED):
        raise ValueError("an object id is required")
    now = clock.now()
    result = EraseResult(subject=user_id)
    async with database.sessions.begin() as session:
        open_ids = await open_tickets_of(session, user_id)
        if open_ids and not include_open:
            result.refused_open = open_ids
        else:
            tickets = list(
                (await session.execute(select(Ticket).where(Ticket.reporter_id == user_id).order_by(Ticket.id))).scalars()
            )
            for ticket in tickets:
                await _anonymise_ticket(session, ticket, now)
                result.tickets.append(ticket.id)
            for follower in (
                await session.execute(select(TicketFollower).where(TicketFollower.user_id == user_id))
            ).scalars():
                follower.user_id = f"{REMOVED}-{follower.id}"
                follower.user_name = REMOVED
                follower.description = None
                result.followed += 1
            refs, states = await _forget_person(session, user_id, now, keep_recent_state=False)
            result.references_removed, result.states_removed = refs, states
            pending = await session.execute(
                delete(OutboxMessage).where(OutboxMessage.target_kind == "user", OutboxMessage.target_key == user_id)
            )
            result.pending_messages_removed = pending.rowcount or 0
            await session.execute(delete(DirectoryEmployee).where(DirectoryEmployee.object_id == user_id))
            result.recipients_anonymised = await _anonymise_recipients(session, CampaignRecipient.object_id == user_id)
            for response in (
                await session.execute(select(SurveyResponse).where(SurveyResponse.user_id == user_id))
            ).scalars():
                response.user_id, response.remark = f"{REMOVED}-{response.id}", None
                result.survey_answers += 1
            await session.execute(delete(SurveyOptOut).where(SurveyOptOut.user_id == user_id))
            # Actions this person took as a servicedesk agent keep their actor id (accountability).
        await audit.append(
            session,
            at=now,
            actor_id=actor_id,
            action="privacy.erase",
            ticket_id=None,
            result="done" if result.done else "refused_open_tickets",
            details=result.to_dict(),
        )
    return result
