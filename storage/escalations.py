"""Escalations (PvE §2.4.3) as records: opened once, moved by regie and the supplier, audited.

* **Opened once.** ``open_escalation`` inserts the row by its unique key (``INSERT ... ON CONFLICT
  DO NOTHING``) in the caller's transaction, the same claim as ``storage.notices``: of two replicas
  (or a sweep after a restart) only the first insert opens it and queues its cards. The level, its
  reasons and the start term come from ``sla.escalation``.
* **Two cards, one escalation.** The card goes to the regie channel (regie assigns the level and
  closes) and to the servicedesk channel (the supplier's agents record cause and corrective
  action). Each card's place is a ``card_refs`` row of the escalation (``storage.refs``); every step
  redraws both in place through the outbox, once per version.
* **Steps** (``step``): a compare-and-set on the row's version and state (``sla.escalation.STEPS``),
  so of two clicks on cards drawn at the same version one wins and the other gets a fresh card.
  The caller (``bot.card_actions``) writes the audit entry in the same transaction.
* **Weekly reminder**: ``reminded`` lists the open N2/N3 escalations for the regie channel's
  weekly card (``bot.jobs``, claimed once per week).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Sequence

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sla.escalation import (
    AFTER_STEP, REMINDED_WEEKLY, STEPS, Escalation, Level, State, Step, Trigger, start_by,
)
from sla.policy import Policy
from storage import outbox
from storage.models import EscalationRow
from storage.statements import insert_unless_exists
from storage.tickets import ChangeResult, Outcome

# Both channels show the escalation: regie assigns and closes, the servicedesk records the action.
CARD_ROLES = ("regie", "servicedesk")

_COLUMNS = (
    "key", "trigger", "ticket_id", "norm", "period", "due", "figures", "proposed_level", "level", "reasons", "state",
    "opened_at", "start_by", "version",
)
_OPEN = insert_unless_exists(EscalationRow.__table__, _COLUMNS, ("key",))


def norm_key(period: str, norm: str) -> str:
    """The key of a missed monthly norm: once per month and norm."""
    return f"norm:{period}:{norm}"


card = outbox.escalation_card


async def open_escalation(
    session: AsyncSession,
    *,
    policy: Policy,
    key: str,
    trigger: Trigger,
    norm: str,
    level: Level,
    reasons: Sequence[Escalation],
    now: datetime,
    ticket_id: int | None = None,
    due: datetime | None = None,
    period: str | None = None,
    figures: dict[str, Any] | None = None,
) -> int | None:
    """Open the escalation and queue its cards; its id, or None when it was opened before."""
    values = dict(
        key=key, trigger=trigger.value, ticket_id=ticket_id, norm=norm, period=period, due=due, figures=figures or {},
        proposed_level=level.value, level=level.value, reasons={"why": [r.value for r in reasons]},
        state=State.OPEN.value, opened_at=now, start_by=start_by(policy, level, now), version=1,
    )
    if (await session.execute(_OPEN, values)).rowcount != 1:
        return None
    escalation_id = (await session.execute(select(EscalationRow.id).where(EscalationRow.key == key))).scalar_one()
    await outbox.enqueue_many(session, [card(escalation_id, role, ticket_id=ticket_id) for role in CARD_ROLES], now=now)
    return escalation_id


async def get(session: AsyncSession, escalation_id: int) -> EscalationRow | None:
    return await session.get(EscalationRow, escalation_id, populate_existing=True)


@dataclass(frozen=True)
class Assign:
    level: Level
    reason: str


@dataclass(frozen=True)
class Action:
    cause: str
    action: str
    owner: str
    due: date


@dataclass(frozen=True)
class Close:
    evaluation: str


def _values(change: Assign | Action | Close, *, policy: Policy, row: EscalationRow, by: str, by_name: str, now: datetime) -> dict[str, Any]:
    if isinstance(change, Assign):
        return dict(
            level=change.level.value, level_reason=change.reason, level_by=by, level_by_name=by_name, level_at=now,
            start_by=start_by(policy, change.level, row.opened_at),
        )
    if isinstance(change, Action):
        return dict(
            cause=change.cause, action=change.action, action_owner=change.owner, action_due=change.due,
            action_by=by, action_by_name=by_name, action_at=now,
        )
    return dict(evaluation=change.evaluation, closed_by=by, closed_by_name=by_name, closed_at=now)


STEP_OF = {Assign: Step.ASSIGN, Action: Step.ACTION, Close: Step.CLOSE}


async def step(
    session: AsyncSession,
    *,
    policy: Policy,
    escalation_id: int,
    change: Assign | Action | Close,
    by: str,
    by_name: str,
    seen_version: int,
    now: datetime,
) -> tuple[ChangeResult, EscalationRow | None]:
    """Take one step of the life cycle if the card was drawn at the current version and the state
    allows it; the result says what happened (DONE, STALE, INVALID, NOT_FOUND) and the fresh row."""
    row = await get(session, escalation_id)
    if row is None:
        return ChangeResult(Outcome.NOT_FOUND, None), None
    kind = STEP_OF[type(change)]
    if row.version != seen_version:
        return ChangeResult(Outcome.STALE, None), row
    allowed = STEPS[kind]
    if State(row.state) not in allowed:
        return ChangeResult(Outcome.INVALID, None, f"state {row.state}"), row
    values = _values(change, policy=policy, row=row, by=by, by_name=by_name, now=now)
    if kind in AFTER_STEP:
        values["state"] = AFTER_STEP[kind].value
    table = EscalationRow.__table__
    result = await session.execute(
        update(table)
        .where(table.c.id == escalation_id, table.c.version == seen_version, table.c.state.in_([s.value for s in allowed]))
        .values(**values, version=table.c.version + 1)
    )
    row = await get(session, escalation_id)
    if result.rowcount != 1:
        return ChangeResult(Outcome.STALE, None), row
    await outbox.enqueue_many(
        session, [card(row.id, role, ticket_id=row.ticket_id, version=row.version) for role in CARD_ROLES], now=now
    )
    return ChangeResult(Outcome.DONE, None), row


async def levels_since(session: AsyncSession, *, level: Level, since: datetime) -> int:
    """Escalations opened since ``since`` whose level is now ``level`` (as regie assigned it)."""
    query = select(func.count(EscalationRow.id)).where(EscalationRow.level == level.value, EscalationRow.opened_at >= since)
    return int((await session.execute(query)).scalar_one())


async def missed_before(session: AsyncSession, *, period: str, norm: str) -> bool:
    return (await session.execute(select(EscalationRow.id).where(EscalationRow.key == norm_key(period, norm)))).first() is not None


async def reminded(session: AsyncSession) -> list[EscalationRow]:
    """The open N2/N3 escalations regie hears about every week, oldest first."""
    query = (
        select(EscalationRow)
        .where(EscalationRow.state != State.CLOSED.value, EscalationRow.level.in_([lv.value for lv in REMINDED_WEEKLY]))
        .order_by(EscalationRow.opened_at, EscalationRow.id)
    )
    return list((await session.execute(query)).scalars())


async def in_period(session: AsyncSession, *, start: datetime, end: datetime) -> list[EscalationRow]:
    """Escalations opened in the period, or opened before it and not closed before it began: what a
    report of the period shows (its overview and its open actions)."""
    query = (
        select(EscalationRow)
        .where(
            EscalationRow.opened_at < end,
            or_(EscalationRow.opened_at >= start, EscalationRow.closed_at.is_(None), EscalationRow.closed_at >= start),
        )
        .order_by(EscalationRow.opened_at, EscalationRow.id)
    )
    return list((await session.execute(query)).scalars())


async def for_tickets(session: AsyncSession, ticket_ids: Sequence[int]) -> list[EscalationRow]:
    """The breach escalations of these tickets (to put the supplier's cause beside a breach)."""
    if not ticket_ids:
        return []
    query = select(EscalationRow).where(
        and_(EscalationRow.trigger == Trigger.BREACH.value, EscalationRow.ticket_id.in_(list(ticket_ids)))
    )
    return list((await session.execute(query)).scalars())
