"""Campaigns: start one, queue its recipients at the tenant's pace, record each outcome, show progress.

How a campaign travels
----------------------
1. ``start`` writes the campaign and, once it may go (not waiting for regie), one row per recipient
   with a single ``INSERT … SELECT`` (``reach.audience``); the unique (campaign, employee) pair
   makes each employee get it once, whatever is retried.
2. ``pump`` (the scheduler's reach sweep, every 15 seconds, and right after a start) queues the
   next chunk of waiting recipients in the outbox, each message keyed ``reach:{campaign}:{employee}``
   and due at its own *send slot*: the app's slots in the tenant are handed out at
   ``REACH_PER_SECOND`` from one row shared by every replica (``reach_pace``), at most a minute
   ahead, so the outbox never holds more than a minute of a campaign and several replicas together
   stay under Teams' limit. Quiet periods and the weekly maximum (``reach.rules``) are decided
   here, per recipient, for the moment it will be sent. An employee without a conversation with the
   bot (the app is not installed for them) is counted unreachable at once.
3. The outbox sends (``bot.delivery``); each outcome is written on the recipient's row in the
   transaction that records the message (``record``): sent, failed, or unreachable (Teams answered
   403/404: the app was removed or blocked). A 429 is retried by the outbox with back-off and never
   sends twice: a message is marked sent only when Teams took it.
4. ``pump`` redraws the sender's card in the servicedesk channel when ``redraw_every`` more
   recipients have an outcome or ``redraw_seconds`` have passed, not per message; when nobody is
   left waiting or queued the campaign is done, the card drawn a last time, and the servicedesk is
   told who could not be reached.

A crash loses nothing: waiting recipients wait in the database, queued ones in the outbox (leased,
taken over by another sender when the lease runs out).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Sequence

from sqlalchemy import Select, and_, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reach import rules
from reach.audience import Target, object_ids, without
from reach.enums import ANNOUNCEMENTS, Excess, Kind, Recipient, State
from sla.calendar import BusinessCalendar
from storage import outbox, refs
from storage.models import Campaign, CampaignRecipient, ConversationRef, DirectoryEmployee, ReachPace

log = logging.getLogger("servicedesk.reach")

CARD = outbox.Kind.CAMPAIGN_CARD  # the sender's card in the servicedesk channel
UNREACHABLE = outbox.Kind.CAMPAIGN_UNREACHABLE  # the servicedesk told who could not be reached
PACE_KEY = "tenant"
SERVICEDESK = "servicedesk"


@dataclass(frozen=True)
class Options:
    """The settings ``reach`` works with (``bot.settings``: ``REACH_PER_SECOND``,
    ``MAX_NOTICES_PER_WEEK``); the rest are sensible constants a test may change."""

    per_second: int = 30
    max_per_week: int = 3
    chunk: int = 500  # recipients queued per transaction
    horizon: timedelta = timedelta(minutes=1)  # how far ahead send slots are handed out
    redraw_every: int = 500  # outcomes between two redraws of the sender's card
    redraw_seconds: int = 30  # ... or seconds, whichever comes first


def dedup_key(campaign_id: int, object_id: str) -> str:
    return f"{outbox.CAMPAIGN_KEY}{campaign_id}:{object_id}"


async def start(
    session: AsyncSession,
    *,
    kind: Kind,
    message_kind: str,
    audience: Target,
    payload: dict[str, Any],
    created_by: str,
    created_by_name: str,
    now: datetime,
    not_before: datetime | None = None,
    urgent: bool = False,
    parent_id: int | None = None,
    refusal: str | None = None,
    exclude: Select | None = None,
) -> Campaign:
    """Write a campaign and post its card in the servicedesk channel (through the outbox).

    ``refusal``: a rule refused it; it waits for regie (``approve``) and reaches nobody before.
    ``exclude``: a ``SELECT`` of object ids to leave out (the survey's "geen enquêtes").
    A follow-up (``parent_id``) goes to the parent's recipients whom it reached or will reach.
    """
    campaign = Campaign(
        kind=kind.value, message_kind=message_kind, audience=audience.as_json(), payload=payload, parent_id=parent_id,
        urgent=urgent, state=(State.AWAITING_REGIE if refusal else State.SENDING).value, refusal=refusal,
        created_by=created_by, created_by_name=created_by_name[:200], created_at=now, not_before=not_before or now,
        drawn={}, version=1,
    )
    session.add(campaign)
    await session.flush()
    if campaign.state == State.SENDING:
        await _add_recipients(session, campaign, exclude=exclude)
    await outbox.enqueue(
        session, dedup_key=f"campaign:{campaign.id}:card", target=outbox.Target.channel(SERVICEDESK),
        payload={"kind": CARD, "campaign_id": campaign.id}, now=now, op=outbox.SEND_CARD,
    )
    log.info("campaign %s (%s) started: %s", campaign.id, kind.value, campaign.state)
    return campaign


async def approve(session: AsyncSession, *, campaign_id: int, by: str, by_name: str, now: datetime, seen_version: int) -> Campaign | None:
    """Regie lets a refused campaign go; None when it is not waiting (any more) or the card was stale."""
    campaign = await session.get(Campaign, campaign_id, with_for_update=True)
    if campaign is None or campaign.state != State.AWAITING_REGIE or campaign.version != seen_version:
        return None
    campaign.state, campaign.approved_by, campaign.approved_by_name, campaign.approved_at = State.SENDING.value, by, by_name[:200], now
    campaign.version += 1
    await _add_recipients(session, campaign, exclude=None)
    await _redraw(session, campaign, now)
    return campaign


async def _add_recipients(session: AsyncSession, campaign: Campaign, *, exclude: Select | None) -> None:
    if campaign.parent_id is not None:
        ids = select(CampaignRecipient.object_id).where(
            CampaignRecipient.campaign_id == campaign.parent_id,
            CampaignRecipient.state.in_((Recipient.QUEUED, Recipient.SENT, Recipient.WAITING)),
        )
    else:
        ids = object_ids(Target.from_json(campaign.audience))
    chosen = without(ids, exclude).subquery()
    rows = select(literal(campaign.id), chosen.c.object_id, literal(Recipient.WAITING.value)).where(chosen.c.object_id != "")
    await session.execute(
        insert(CampaignRecipient).from_select(["campaign_id", "object_id", "state"], rows)
    )


# -- queuing -----------------------------------------------------------------------------------

async def pump(session: AsyncSession, *, calendar: BusinessCalendar, options: Options, now: datetime) -> int:
    """Queue what may be queued now, for every campaign that is sending; returns how many
    recipients it handled (queued, or found unreachable or over their weekly maximum)."""
    campaigns = (
        await session.execute(select(Campaign).where(Campaign.state == State.SENDING).order_by(Campaign.id))
    ).scalars().all()
    queued = 0
    for campaign in campaigns:
        queued += await _queue_chunk(session, campaign, calendar=calendar, options=options, now=now)
        await _progress(session, campaign, options=options, now=now)
    return queued


async def _next_slot(session: AsyncSession, now: datetime) -> tuple[ReachPace, datetime]:
    pace = await session.get(ReachPace, PACE_KEY, with_for_update=True)
    if pace is None:
        pace = ReachPace(key=PACE_KEY, next_slot=now)
        session.add(pace)
    return pace, max(pace.next_slot, now)


async def _queue_chunk(session: AsyncSession, campaign: Campaign, *, calendar: BusinessCalendar, options: Options, now: datetime) -> int:
    if now < campaign.not_before:
        return 0
    urgent = campaign.urgent
    pace, slot = await _next_slot(session, now)
    slot = rules.next_allowed(calendar, slot, urgent=urgent)
    if slot > now + options.horizon:
        return 0  # a minute of sending is queued already, or it is quiet now
    room = int((now + options.horizon - slot).total_seconds() * options.per_second) + 1
    waiting = (
        await session.execute(
            select(CampaignRecipient)
            .where(
                CampaignRecipient.campaign_id == campaign.id, CampaignRecipient.state == Recipient.WAITING,
                or_(CampaignRecipient.due_at.is_(None), CampaignRecipient.due_at <= now),
            )
            .order_by(CampaignRecipient.id)
            .limit(min(room, options.chunk))
            .with_for_update(skip_locked=True)
        )
    ).scalars().all()
    if not waiting:
        return 0
    reachable = await _reachable(session, [r.object_id for r in waiting])
    counted = rules.counts_for_cap(Kind(campaign.kind), urgent=urgent)
    excess = Excess.POSTPONE if campaign.kind in (Kind.SURVEY, Kind.SURVEY_REMINDER) else Excess.DROP
    received = await _received(session, [r.object_id for r in waiting], calendar=calendar, at=slot) if counted else {}
    step = timedelta(seconds=1) / options.per_second
    intents: list[outbox.Intent] = []
    for recipient in waiting:
        if recipient.object_id not in reachable:
            recipient.state = Recipient.UNREACHABLE.value
            continue
        slot = rules.next_allowed(calendar, slot, urgent=urgent)
        if counted:
            week = rules.week_of(slot, calendar)
            decision = rules.over_cap(
                calendar, slot, received=received.get((recipient.object_id, week), 0), maximum=options.max_per_week, excess=excess
            )
            if not decision.send:
                if decision.at is None:
                    recipient.state = Recipient.CAPPED.value
                else:
                    recipient.due_at = decision.at
                continue
            recipient.week = week
            received[(recipient.object_id, week)] = received.get((recipient.object_id, week), 0) + 1
        recipient.state, recipient.queued_at = Recipient.QUEUED.value, now
        intents.append(outbox.Intent(
            dedup_key=dedup_key(campaign.id, recipient.object_id), target=outbox.Target.user(recipient.object_id),
            payload={"kind": campaign.message_kind, "campaign_id": campaign.id, "user": recipient.object_id}, at=slot,
        ))
        slot += step
    await outbox.enqueue_many(session, intents, now=now)
    pace.next_slot = max(pace.next_slot, slot)
    return len(waiting)


async def _reachable(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    """Of ``keys``, the employees with an active conversation with the bot."""
    query = select(ConversationRef.key).where(
        ConversationRef.kind == refs.USER, ConversationRef.key.in_(keys), ConversationRef.active.is_(True)
    )
    return set((await session.execute(query)).scalars())


async def _received(session: AsyncSession, keys: Sequence[str], *, calendar: BusinessCalendar, at: datetime) -> dict[tuple[str, str], int]:
    """(employee, week) → counted messages queued for them, for this week and the next."""
    weeks = {rules.week_of(at, calendar), rules.week_of(at + timedelta(days=7), calendar)}
    query = (
        select(CampaignRecipient.object_id, CampaignRecipient.week, func.count())
        .where(
            CampaignRecipient.object_id.in_(keys), CampaignRecipient.week.in_(weeks),
            CampaignRecipient.state.in_((Recipient.QUEUED, Recipient.SENT)),
        )
        .group_by(CampaignRecipient.object_id, CampaignRecipient.week)
    )
    return {(key, week): count for key, week, count in (await session.execute(query)).all()}


# -- outcomes and progress -----------------------------------------------------------------------

_OUTCOMES = {"sent": Recipient.SENT, "failed": Recipient.FAILED, "unreachable": Recipient.UNREACHABLE}


async def record(session: AsyncSession, *, payload: dict[str, Any], outcome: str) -> None:
    """The outbox recorded a campaign message's outcome (``bot.delivery``, same transaction):
    ``sent``, ``failed`` (given up) or ``unreachable`` (403/404); a retry leaves it queued."""
    state = _OUTCOMES.get(outcome)
    if state is None or "campaign_id" not in payload:
        return
    await session.execute(
        update(CampaignRecipient)
        .where(CampaignRecipient.campaign_id == payload["campaign_id"], CampaignRecipient.object_id == payload.get("user"))
        .values(state=state.value)
    )


@dataclass(frozen=True)
class Progress:
    sent: int = 0
    pending: int = 0  # waiting or queued
    failed: int = 0
    unreachable: int = 0
    skipped: int = 0  # over the weekly maximum

    @property
    def total(self) -> int:
        return self.sent + self.pending + self.failed + self.unreachable + self.skipped

    def as_json(self) -> dict[str, int]:
        return {"sent": self.sent, "pending": self.pending, "failed": self.failed, "unreachable": self.unreachable, "skipped": self.skipped}


async def progress(session: AsyncSession, campaign_id: int) -> Progress:
    rows = (
        await session.execute(
            select(CampaignRecipient.state, func.count()).where(CampaignRecipient.campaign_id == campaign_id).group_by(CampaignRecipient.state)
        )
    ).all()
    by = {Recipient(state): count for state, count in rows}
    return Progress(
        sent=by.get(Recipient.SENT, 0), pending=by.get(Recipient.WAITING, 0) + by.get(Recipient.QUEUED, 0),
        failed=by.get(Recipient.FAILED, 0), unreachable=by.get(Recipient.UNREACHABLE, 0), skipped=by.get(Recipient.CAPPED, 0),
    )


async def _progress(session: AsyncSession, campaign: Campaign, *, options: Options, now: datetime) -> None:
    """Redraw the sender's card when enough changed; finish the campaign when nobody is left."""
    current = await progress(session, campaign.id)
    drawn = campaign.drawn or {}
    if current.as_json() == drawn:
        return
    done = current.pending == 0
    moved = current.total - current.pending - (drawn.get("sent", 0) + drawn.get("failed", 0) + drawn.get("unreachable", 0) + drawn.get("skipped", 0))
    due = campaign.drawn_at is None or now - campaign.drawn_at >= timedelta(seconds=options.redraw_seconds)
    if not (done or due or moved >= options.redraw_every):
        return
    campaign.drawn, campaign.drawn_at = current.as_json(), now
    if done:
        campaign.state, campaign.finished_at = State.DONE.value, now
        if current.unreachable:
            await outbox.enqueue(
                session, dedup_key=f"campaign:{campaign.id}:unreachable", target=outbox.Target.channel(SERVICEDESK),
                payload={"kind": UNREACHABLE, "campaign_id": campaign.id}, now=now,
            )
        log.info("campaign %s done: %s", campaign.id, current.as_json())
    campaign.version += 1
    await _redraw(session, campaign, now)


async def cancel(session: AsyncSession, *, campaign_id: int, now: datetime) -> bool:
    """Stop a campaign that is still going (a survey round closed): nobody waiting gets it any more
    (what is queued in the outbox already still goes); its card says so. False: it was not going."""
    campaign = await session.get(Campaign, campaign_id, with_for_update=True)
    if campaign is None or campaign.state not in (State.SENDING, State.AWAITING_REGIE):
        return False
    campaign.state, campaign.finished_at = State.CANCELLED.value, now
    campaign.version += 1
    await _redraw(session, campaign, now)
    return True


async def _redraw(session: AsyncSession, campaign: Campaign, now: datetime) -> None:
    await outbox.enqueue(
        session, dedup_key=f"campaign:{campaign.id}:card:v{campaign.version}", target=outbox.Target.channel(SERVICEDESK),
        payload={"kind": CARD, "campaign_id": campaign.id}, now=now, op=outbox.UPDATE_CARD,
    )


async def unreachable_names(session: AsyncSession, campaign_id: int, *, limit: int = 50) -> tuple[list[str], int]:
    """The names (from the directory; else the object id) of the employees the campaign could not
    reach, up to ``limit``, and how many there are in all."""
    where = and_(CampaignRecipient.campaign_id == campaign_id, CampaignRecipient.state == Recipient.UNREACHABLE)
    total = (await session.execute(select(func.count()).select_from(CampaignRecipient).where(where))).scalar_one()
    rows = (
        await session.execute(
            select(func.coalesce(DirectoryEmployee.name, CampaignRecipient.object_id))
            .select_from(CampaignRecipient)
            .outerjoin(DirectoryEmployee, DirectoryEmployee.object_id == CampaignRecipient.object_id)
            .where(where)
            .order_by(func.coalesce(DirectoryEmployee.name, CampaignRecipient.object_id))
            .limit(limit)
        )
    ).scalars().all()
    return list(rows), int(total)


# -- what an employee who reports something should see first ------------------------------------

async def announced(session: AsyncSession, *, category: str, object_id: str, now: datetime) -> Campaign | None:
    """The announcement for ``category`` whose window holds ``now`` and whose audience holds
    ``object_id`` (whether or not it reached them), not yet resolved; the most recent one.

    The window: from its start (or when it was made) until its end (or, without one, until
    "opgelost"). Only announcements that went (not one waiting for regie)."""
    resolved = select(Campaign.parent_id).where(Campaign.kind == Kind.RESOLVED, Campaign.parent_id.is_not(None))
    candidates = (
        await session.execute(
            select(Campaign)
            .join(CampaignRecipient, and_(CampaignRecipient.campaign_id == Campaign.id, CampaignRecipient.object_id == object_id))
            .where(
                Campaign.kind.in_([kind.value for kind in ANNOUNCEMENTS]), Campaign.state.in_((State.SENDING, State.DONE)),
                Campaign.parent_id.is_(None), Campaign.id.not_in(resolved), Campaign.created_at <= now,
            )
            .order_by(Campaign.id.desc())
            .limit(20)
        )
    ).scalars().all()
    for campaign in candidates:
        data = campaign.payload
        starts = datetime.fromisoformat(data["starts"]) if data.get("starts") else campaign.created_at
        ends = datetime.fromisoformat(data["ends"]) if data.get("ends") else None
        if data.get("category") == category and starts <= now and (ends is None or now <= ends):
            return campaign
    return None
