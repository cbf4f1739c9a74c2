"""The outbox: every outbound message is a row written in the same transaction as its cause.

A row holds an *intent* ("post the card of ticket 12 in the servicedesk channel", "status update 3
to the reporter"), not a rendered activity: ``bot/`` renders it from the ticket's state when it is
sent, so a card never shows a state older than the moment it left. The dedup key makes enqueueing
idempotent: the same logical message is written once, however often the cause is retried.

Sending claims rows with a lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so a replica that dies
between claiming and sending gives its rows back when the lease runs out. Each message's outcome is
recorded on its own, right after Teams answered it: a crash, or a neighbour in the same batch held
up by throttling, never makes a message that Teams accepted go again.

A message that cannot be delivered stays pending and is tried again with back-off until it has
failed for the give-up time (``OUTBOX_GIVE_UP_HOURS``); then it is ``failed``, reported, and an
operator can list it, send it again or discard it (``servicedesk outbox list|retry|discard``).

Intents for the supplier's ticket system (target kind ``itsm``) live in the same table, written in
the same transactions, but are claimed and recorded on their own path (``storage.itsm``): Teams
delivery never takes them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Sequence

from sqlalchemy import Row, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CardRef, EscalationRow, OutboxMessage
from storage.statements import insert_unless_exists

# Compiled once (``storage.statements``): a duplicate dedup key adds nothing.
_ENQUEUE = insert_unless_exists(
    OutboxMessage.__table__,
    ("dedup_key", "ticket_id", "target_kind", "target_key", "op", "payload", "status", "attempts", "next_attempt_at", "created_at"),
    ("dedup_key",),
)

USER = "user"
CHANNEL = "channel"
ITSM = "itsm"  # the supplier's ticket system: storage.itsm claims these, Teams delivery never does
TEAMS_KINDS = (USER, CHANNEL)


class Status(enum.StrEnum):
    PENDING = "pending"  # to be sent (now, or at next_attempt_at)
    SENT = "sent"  # Teams accepted it (or a later message made it redundant)
    FAILED = "failed"  # given up: reported, waits for an operator (retry or discard)
    DISCARDED = "discarded"  # an operator decided it is not to be sent

SEND = "send"
CAMPAIGN_KEY = "reach:"  # the dedup keys of a campaign's messages: "reach:{campaign}:{object id}" (reach)
SEND_CARD = "send_card"
UPDATE_CARD = "update_card"


class Kind(enum.StrEnum):
    """What a message is: its payload's ``kind``, the one list of them.

    A Teams message is rendered when it is sent by the renderer registered for its kind in
    ``bot.delivery`` (``@renders(Kind.X)``). Adding a kind is three steps, each in one place:

    1. a member here (its value is stored in the outbox's payload; never change a value once
       written);
    2. where its cause is recorded, ``enqueue(..., payload={"kind": Kind.X, ...})`` in the same
       transaction, with a dedup key that names the cause;
    3. ``@renders(Kind.X)`` (``ticket=True`` when the payload carries ``ticket_id``) on one function
       in ``bot/delivery.py`` that builds the activity from the state at sending time; Dutch copy
       comes from ``dialogs.texts``, a card from its own builder module.

    ``tests/delivery/test_kinds.py`` fails while a Teams kind has no renderer.
    """

    # -- to the servicedesk channel
    TICKET_CARD = "ticket_card"  # a ticket's card, posted and then redrawn in place
    DELIVERY_GIVEN_UP = "delivery_given_up"  # a message the outbox gave up on
    REPORTER_UNREACHABLE = "reporter_unreachable"  # the reporter removed or blocked the bot
    LOW_CSAT = "low_csat"  # a low score, with the remark
    ITSM_OUTAGE = "itsm_outage"  # the supplier's ticket system cannot be reached
    ITSM_RESTORED = "itsm_restored"  # ... and is back
    CAMPAIGN_CARD = "campaign_card"  # an announcement's (or survey's) sender card, redrawn as it goes (reach)
    CAMPAIGN_UNREACHABLE = "campaign_unreachable"  # who a campaign could not reach, by name (reach)
    # -- to regie (and the piket, the privacy officer)
    REGIE_NEW_P1 = "regie_new_p1"
    REGIE_NOTICE = "regie_notice"  # pre-breach, breach, no news, a long wait
    DATA_BREACH = "data_breach"
    REGIE_MAJOR = "regie_major"
    REGIE_RCA = "regie_rca"
    PIKET_ALERT = "piket_alert"
    ESCALATION = "escalation"  # an escalation's card, in regie's and the servicedesk's channel
    ESCALATION_REMINDER = "escalation_reminder"  # the weekly card of open N2/N3 escalations
    MONTHLY_REPORT = "monthly_report"  # regie's monthly card with the report's link
    # -- to the overleg
    WEEKLY_SUMMARY = "weekly_summary"
    # -- to every employee of a campaign's audience (reach)
    ANNOUNCEMENT = "announcement"  # an announcement, its follow-up or "opgelost"
    # -- to one employee
    WELCOME = "welcome"  # the greeting when the app is installed for them (one per installation)
    # -- to the reporter (and who follows the ticket)
    ACKNOWLEDGED = "acknowledged"
    STATUS_UPDATE = "status_update"  # the scheduled update; ``holding``: the bot's holding message
    ITSM_LINKED = "itsm_linked"  # the ticket's number in the supplier's system
    MTTP_QUESTION = "mttp_question"
    CSAT_QUESTION = "csat_question"
    # what changed on the card, told in one sentence (``bot.cards.REPORTER_TEXTS``)
    PRIORITY_CHANGED = "priority_changed"
    REACTION = "reaction"
    CALL_MISSED = "call_missed"
    WAITING = "waiting"
    RESUMED = "resumed"
    AGENT_UPDATE = "agent_update"
    WORKAROUND = "workaround"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    HANDED_OVER = "handed_over"
    HANDED_TO_LINE = "handed_to_line"
    AGREED_DATE = "agreed_date"
    DEVICE_FALLBACK_NEEDED = "device_fallback_needed"
    DEVICE_FALLBACK_DONE = "device_fallback_done"
    ONSITE_NEEDED = "onsite_needed"
    LINKED_TO_MAJOR = "linked_to_major"
    # -- the experience surveys (XLA, ``reach.surveys``)
    SURVEY_QUESTION = "survey_question"  # a question to an employee (the invitation asks the first)
    SURVEY_REMINDER = "survey_reminder"  # the round's one reminder
    SURVEY_RESULT = "survey_result"  # the round's figures and remarks, to regie when it closes
    # -- to the supplier's ticket system (target ``itsm``; ``storage.itsm`` and ``itsm.sync`` send them)
    ITSM_CREATE = "itsm_create"
    ITSM_WRITE = "itsm_write"


ITSM_KINDS = frozenset({Kind.ITSM_CREATE, Kind.ITSM_WRITE})


@dataclass(frozen=True)
class Target:
    kind: str  # USER or CHANNEL
    key: str  # user: Entra object id; channel: role name

    @classmethod
    def user(cls, object_id: str) -> "Target":
        return cls(USER, object_id)

    @classmethod
    def channel(cls, role: str) -> "Target":
        return cls(CHANNEL, role)

    @classmethod
    def itsm(cls, system: str) -> "Target":
        return cls(ITSM, system)

    @property
    def unreachable(self) -> bool:
        """A reporter outside Teams (phone, e-mail) has no user id: nothing can be sent to them."""
        return self.kind == USER and not self.key


async def enqueue(
    session: AsyncSession,
    *,
    dedup_key: str,
    target: Target,
    payload: dict[str, Any],
    now: datetime,
    op: str = SEND,
    ticket_id: int | None = None,
) -> bool:
    """Add a message unless one with the same dedup key exists. Returns whether it was added."""
    if target.unreachable:
        return False
    values = dict(
        dedup_key=dedup_key,
        ticket_id=ticket_id,
        target_kind=target.kind,
        target_key=target.key,
        op=op,
        payload=payload,
        status=Status.PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    result = await session.execute(_ENQUEUE, values)
    return result.rowcount == 1


@dataclass(frozen=True)
class Intent:
    """One message to queue (see ``enqueue``), for writing many in one statement."""

    dedup_key: str
    target: Target
    payload: dict[str, Any]
    op: str = SEND
    ticket_id: int | None = None
    at: datetime | None = None  # not sent before this moment (default: now)


async def enqueue_many(session: AsyncSession, intents: list[Intent], *, now: datetime) -> None:
    """``enqueue`` for a batch: one round trip, duplicates skipped by their dedup keys."""
    if not intents:
        return
    rows = [
        dict(
            dedup_key=i.dedup_key, ticket_id=i.ticket_id, target_kind=i.target.kind, target_key=i.target.key,
            op=i.op, payload=i.payload, status=Status.PENDING, attempts=0, next_attempt_at=i.at or now, created_at=now,
        )
        for i in intents
        if not i.target.unreachable
    ]
    if rows:
        await session.execute(_ENQUEUE, rows)


def card_redraw(ticket_id: int, version: int | str) -> Intent:
    """Redraw a ticket's servicedesk card in place, once per ticket version."""
    return Intent(
        dedup_key=f"ticket:{ticket_id}:v{version}:card",
        target=Target.channel("servicedesk"),
        payload={"kind": Kind.TICKET_CARD, "ticket_id": ticket_id},
        op=UPDATE_CARD,
        ticket_id=ticket_id,
    )


# Notices about a ticket posted in a channel beside its own card (regie: a new P1, a deadline at
# risk): each is a card of its own, remembered under "{role}#{message id}" and redrawn with the
# ticket, so none keeps showing a state that has passed.
NOTICE_CARDS = frozenset({Kind.REGIE_NEW_P1, Kind.REGIE_NOTICE})


def notice_card_role(role: str, message_id: int) -> str:
    return f"{role}#{message_id}"


def escalation_card(escalation_id: int, role: str, *, ticket_id: int | None, version: int | str | None = None) -> Intent:
    """Post (``version`` None) or redraw an escalation's card in ``role``'s channel."""
    if version is None:
        key, op = f"escalation:{escalation_id}:card:{role}", SEND_CARD
    else:
        key, op = f"escalation:{escalation_id}:v{version}:card:{role}", UPDATE_CARD
    return Intent(
        dedup_key=key, target=Target.channel(role), payload={"kind": Kind.ESCALATION, "escalation_id": escalation_id, "role": role},
        op=op, ticket_id=ticket_id,
    )


async def redraw_card(session: AsyncSession, *, ticket_id: int, version: int | str, now: datetime) -> None:
    """Redraw every card that shows the ticket, in place, once per ``version`` (a ticket version,
    or the moment a deadline came near or passed): the servicedesk's card, the notices about it
    (``NOTICE_CARDS``) and the escalations it caused, so no card shows a state that has passed."""
    intents = [card_redraw(ticket_id, version)]
    places = await session.execute(
        select(CardRef.role, CardRef.escalation_id, EscalationRow.version)
        .outerjoin(EscalationRow, EscalationRow.id == CardRef.escalation_id)
        .where(or_(CardRef.ticket_id == ticket_id, EscalationRow.ticket_id == ticket_id))
        .order_by(CardRef.id)
    )
    notices: dict[int, str] = {}
    for role, escalation_id, escalation_version in places:
        if escalation_id is not None:
            intents.append(escalation_card(escalation_id, role, ticket_id=ticket_id, version=f"{escalation_version}.t{version}"))
        elif "#" in role:
            notices[int(role.partition("#")[2])] = role
    if notices:
        originals = await session.execute(select(_OUTBOX.c.id, _OUTBOX.c.target_key, _OUTBOX.c.payload).where(_OUTBOX.c.id.in_(notices)))
        for message_id, channel, payload in originals:
            role = notices[message_id]
            intents.append(Intent(
                dedup_key=f"ticket:{ticket_id}:v{version}:card:{role}", target=Target.channel(channel),
                payload={**payload, "card_role": role}, op=UPDATE_CARD, ticket_id=ticket_id,
            ))
    await enqueue_many(session, intents, now=now)


_OUTBOX = OutboxMessage.__table__
# Built once: the delivery claims after every turn that queued a message.
_CLAIMABLE = (
    select(
        _OUTBOX.c.id, _OUTBOX.c.op, _OUTBOX.c.target_kind, _OUTBOX.c.target_key, _OUTBOX.c.payload, _OUTBOX.c.ticket_id,
        _OUTBOX.c.failing_since,
    )
    .where(
        _OUTBOX.c.status == Status.PENDING,
        _OUTBOX.c.target_kind.in_(TEAMS_KINDS),
        _OUTBOX.c.next_attempt_at <= bindparam("now"),
        or_(_OUTBOX.c.lease_until.is_(None), _OUTBOX.c.lease_until <= bindparam("now")),
    )
    .order_by(_OUTBOX.c.id)
    .limit(bindparam("batch"))
    .with_for_update(skip_locked=True)
)
_LEASE = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(bindparam("claimed_ids", expanding=True)))
    .values(lease_until=bindparam("until"), claimed_by=bindparam("worker"))
)


async def claim_due(
    session: AsyncSession, *, now: datetime, worker: str, lease: timedelta, limit: int = 50
) -> list[Row]:
    """Claim pending rows whose time has come and whose lease (if any) has run out.

    Rows are taken in id order, so a ticket's card is posted before its updates are attempted.
    Each claimed row has ``id``, ``op``, ``target_kind``, ``target_key``, ``payload``,
    ``ticket_id`` and ``failing_since``; the lease is written in the caller's transaction.
    """
    rows = list((await session.execute(_CLAIMABLE, {"now": now, "batch": limit})).all())
    if rows:
        await session.execute(_LEASE, {"claimed_ids": [row.id for row in rows], "until": now + lease, "worker": worker})
    return rows


_MARK_SENT = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("message_id"), _OUTBOX.c.claimed_by == bindparam("worker"), _OUTBOX.c.status == Status.PENDING)
    .values(
        status=Status.SENT, sent_at=bindparam("now"), activity_id=bindparam("sent_activity_id"), lease_until=None,
        last_error=None, failing_since=None,
    )
)  # built once: every message sent runs it
_RENEW = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("message_id"), _OUTBOX.c.claimed_by == bindparam("worker"), _OUTBOX.c.status == Status.PENDING)
    .values(lease_until=bindparam("until"))
)


async def mark_sent(session: AsyncSession, *, message_id: int, worker: str, now: datetime, activity_id: str | None) -> bool:
    result = await session.execute(
        _MARK_SENT, {"message_id": message_id, "worker": worker, "now": now, "sent_activity_id": activity_id}
    )
    return result.rowcount == 1


async def renew_lease(session: AsyncSession, *, message_id: int, worker: str, until: datetime) -> bool:
    """Keep a claimed message this worker's until ``until``; False when it is no longer its to send."""
    result = await session.execute(_RENEW, {"message_id": message_id, "worker": worker, "until": until})
    return result.rowcount == 1


async def mark_retry(
    session: AsyncSession, *, message_id: int, worker: str, at: datetime, error: str, failing_since: datetime | None = None
) -> None:
    """Try again at ``at``. ``failing_since``: when Teams first refused it (kept once set)."""
    values: dict[str, Any] = dict(
        attempts=_OUTBOX.c.attempts + 1, next_attempt_at=at, lease_until=None, claimed_by=None, last_error=error[:300]
    )
    if failing_since is not None:
        values["failing_since"] = func.coalesce(_OUTBOX.c.failing_since, failing_since)
    await session.execute(update(_OUTBOX).where(_OUTBOX.c.id == message_id, _OUTBOX.c.claimed_by == worker).values(**values))


async def mark_failed(session: AsyncSession, *, message_id: int, worker: str, error: str, now: datetime | None = None) -> None:
    """Given up: nobody sends it again unless an operator says so (``retry``). ``now``: when it
    failed, kept as ``failing_since`` unless an earlier refusal set it."""
    await session.execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id == message_id, _OUTBOX.c.claimed_by == worker)
        .values(
            status=Status.FAILED, attempts=_OUTBOX.c.attempts + 1, lease_until=None, last_error=error[:300],
            failing_since=func.coalesce(_OUTBOX.c.failing_since, now),
        )
    )


# -- the operator's commands -----------------------------------------------------------------------

async def undelivered(session: AsyncSession, *, failed_only: bool = False) -> Sequence[OutboxMessage]:
    """Messages not delivered (yet): pending and failed ones, or only the failed, oldest first."""
    statuses = (Status.FAILED,) if failed_only else (Status.PENDING, Status.FAILED)
    query = select(OutboxMessage).where(OutboxMessage.status.in_(statuses)).order_by(OutboxMessage.id)
    return list((await session.execute(query)).scalars())


async def count_failed(session: AsyncSession, *, target: Target | None = None) -> int:
    query = select(func.count(_OUTBOX.c.id)).where(_OUTBOX.c.status == Status.FAILED)
    if target is not None:
        query = query.where(_OUTBOX.c.target_kind == target.kind, _OUTBOX.c.target_key == target.key)
    return int((await session.execute(query)).scalar_one())


async def send_again(session: AsyncSession, *, message_ids: Sequence[int] | None, now: datetime) -> list[int]:
    """Failed messages back to pending, due now (``None``: every failed one); returns their ids."""
    query = update(_OUTBOX).where(_OUTBOX.c.status == Status.FAILED)
    if message_ids is not None:
        query = query.where(_OUTBOX.c.id.in_(message_ids))
    result = await session.execute(
        query.values(
            status=Status.PENDING, attempts=0, next_attempt_at=now, failing_since=None, lease_until=None, claimed_by=None
        ).returning(_OUTBOX.c.id)
    )
    return sorted(result.scalars())


async def discard(session: AsyncSession, *, message_id: int) -> bool:
    """A pending or failed message is not to be sent (an operator's decision)."""
    result = await session.execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id == message_id, _OUTBOX.c.status.in_((Status.PENDING, Status.FAILED)))
        .values(status=Status.DISCARDED, lease_until=None, claimed_by=None)
    )
    return result.rowcount == 1
