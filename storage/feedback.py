"""The reporter's answers after a workaround or resolution: "weer productief" (MTTP) and CSAT.

Each closing question is open from the moment it is asked until it is answered, and both are read
from the ticket's events in one place (``_mttp`` and ``_csat``), whether the answer comes from a
button on the card or is typed in the chat (``open_questions``):

* "Kun je weer verder met je werk?" is asked by a WORKAROUND or RESOLVED. "Ja" is the MTTP moment
  (PRODUCTIVE_AGAIN, once). "Nog niet" after a resolution reopens the ticket (REOPENED, by
  BY_REPORTER); after a workaround the ticket is still open, and the answer is recorded as an
  INFO_ADDED with ``can_work`` False. Either answers the question until the next workaround or
  resolution asks it again.
* The score is asked by the latest RESOLVED, once; a reopen withdraws it until the next resolution.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sla import events as ev
from sla.policy import Policy
from sla.status import OPEN_STATUSES
from storage import outbox, tickets
from storage.models import Ticket, TicketEventRow
from storage.outbox import Kind

MTTP = "mttp"
CSAT = "csat"


class FeedbackOutcome(enum.Enum):
    RECORDED = "recorded"
    REOPENED = "reopened"  # "nog niet" after a resolution: the ticket is open again
    ALREADY = "already"
    NOT_YOURS = "not_yours"
    NOT_ASKED = "not_asked"


class _State(enum.Enum):
    NOT_ASKED = "not_asked"
    OPEN = "open"
    ANSWERED = "answered"


def _not_yet(row: TicketEventRow) -> bool:
    """The reporter's "nog niet" to "Kun je weer verder met je werk?"."""
    data = row.data or {}
    if row.kind == ev.REOPENED:
        return data.get("by") == ev.BY_REPORTER
    return row.kind == ev.INFO_ADDED and data.get("can_work") is False


def _mttp(rows: Sequence[TicketEventRow]) -> _State:
    asked = max((i for i, row in enumerate(rows) if row.kind in (ev.WORKAROUND, ev.RESOLVED)), default=None)
    if asked is None:
        return _State.NOT_ASKED
    if any(row.kind == ev.PRODUCTIVE_AGAIN for row in rows) or any(_not_yet(row) for row in rows[asked + 1 :]):
        return _State.ANSWERED
    return _State.OPEN


def _csat(rows: Sequence[TicketEventRow]) -> _State:
    asked = max((i for i, row in enumerate(rows) if row.kind == ev.RESOLVED), default=None)
    if asked is None or any(row.kind == ev.REOPENED for row in rows[asked + 1 :]):
        return _State.NOT_ASKED
    if any(row.kind == ev.CSAT for row in rows[asked + 1 :]):
        return _State.ANSWERED
    return _State.OPEN


_FEEDBACK_KINDS = (ev.WORKAROUND, ev.RESOLVED, ev.REOPENED, ev.PRODUCTIVE_AGAIN, ev.INFO_ADDED, ev.CSAT)


async def _events(session: AsyncSession, ticket_id: int) -> list[TicketEventRow]:
    query = (
        select(TicketEventRow)
        .where(TicketEventRow.ticket_id == ticket_id, TicketEventRow.kind.in_(_FEEDBACK_KINDS))
        .order_by(TicketEventRow.id)
    )
    return list((await session.execute(query)).scalars())


@dataclass(frozen=True)
class OpenQuestion:
    ticket_id: int
    kind: str  # MTTP or CSAT
    asked_at: datetime


async def open_questions(session: AsyncSession, *, reporter_id: str) -> list[OpenQuestion]:
    """The closing questions this reporter has not answered yet, the most recently asked first.

    A typed "ja hoor" or "een 8" answers the newest one it fits, as a tap on its card would."""
    query = (
        select(TicketEventRow)
        .join(Ticket, Ticket.id == TicketEventRow.ticket_id)
        .where(Ticket.reporter_id == reporter_id, TicketEventRow.kind.in_(_FEEDBACK_KINDS))
        .order_by(TicketEventRow.ticket_id, TicketEventRow.id)
    )
    by_ticket: dict[int, list[TicketEventRow]] = {}
    for row in (await session.execute(query)).scalars():
        by_ticket.setdefault(row.ticket_id, []).append(row)
    found: list[OpenQuestion] = []
    for ticket_id, rows in by_ticket.items():
        if _mttp(rows) is _State.OPEN:
            asked = next(row.at for row in reversed(rows) if row.kind in (ev.WORKAROUND, ev.RESOLVED))
            found.append(OpenQuestion(ticket_id, MTTP, asked))
        if _csat(rows) is _State.OPEN:
            asked = next(row.at for row in reversed(rows) if row.kind == ev.RESOLVED)
            found.append(OpenQuestion(ticket_id, CSAT, asked))
    return sorted(found, key=lambda question: (question.asked_at, question.ticket_id), reverse=True)


async def record_productive_again(
    session: AsyncSession,
    *,
    policy: Policy,
    ticket_id: int,
    reporter_id: str,
    can_work: bool,
    not_yet_note: str,
    now: datetime,
) -> FeedbackOutcome:
    """The answer to "Kun je weer verder met je werk?". ``not_yet_note`` is what the servicedesk
    reads for a "nog niet" (the reopen reason, or the added information after a workaround)."""
    ticket = await session.get(Ticket, ticket_id, with_for_update=True)
    if ticket is None or ticket.reporter_id != reporter_id:
        return FeedbackOutcome.NOT_YOURS
    rows = await _events(session, ticket_id)
    state = _mttp(rows)
    if state is _State.NOT_ASKED:
        return FeedbackOutcome.NOT_ASKED
    if any(row.kind == ev.PRODUCTIVE_AGAIN for row in rows) or (state is _State.ANSWERED and not can_work):
        return FeedbackOutcome.ALREADY
    if can_work:
        session.add(TicketEventRow(ticket_id=ticket_id, kind=ev.PRODUCTIVE_AGAIN, at=now, actor_id=reporter_id, data={}))
    elif ticket.status not in OPEN_STATUSES:
        reopened = await tickets.reopen(
            session, policy=policy, now=now, ticket_id=ticket_id, agent_id=reporter_id,
            agent_name=ticket.reporter_name, reason=not_yet_note, seen_version=None, by=ev.BY_REPORTER,
        )
        return FeedbackOutcome.REOPENED if reopened.outcome is tickets.Outcome.DONE else FeedbackOutcome.NOT_ASKED
    else:
        session.add(
            TicketEventRow(
                ticket_id=ticket_id, kind=ev.INFO_ADDED, at=now, actor_id=reporter_id,
                data={"text": not_yet_note, "can_work": False},
            )
        )
    ticket.version += 1
    await outbox.redraw_card(session, ticket_id=ticket_id, version=ticket.version, now=now)
    return FeedbackOutcome.RECORDED


LOW_SCORE = 6


async def record_csat(
    session: AsyncSession, *, ticket_id: int, reporter_id: str, score: int, remark: str | None, now: datetime
) -> FeedbackOutcome:
    """One score per resolution: a score after the latest RESOLVED (and no REOPENED since) ends it."""
    ticket = await session.get(Ticket, ticket_id, with_for_update=True)
    if ticket is None or ticket.reporter_id != reporter_id:
        return FeedbackOutcome.NOT_YOURS
    rows = await _events(session, ticket_id)
    state = _csat(rows)
    if state is _State.NOT_ASKED:
        return FeedbackOutcome.NOT_ASKED
    if state is _State.ANSWERED:
        return FeedbackOutcome.ALREADY
    last_resolved = max(row.id for row in rows if row.kind == ev.RESOLVED)
    session.add(
        TicketEventRow(ticket_id=ticket_id, kind=ev.CSAT, at=now, actor_id=reporter_id, data={"score": score, "remark": remark})
    )
    ticket.version += 1
    await outbox.redraw_card(session, ticket_id=ticket_id, version=ticket.version, now=now)
    if score < LOW_SCORE:
        await outbox.enqueue(
            session,
            dedup_key=f"ticket:{ticket_id}:low-csat:{last_resolved}",
            target=outbox.Target.channel("servicedesk"),
            payload={"kind": Kind.LOW_CSAT, "ticket_id": ticket_id, "score": score, "remark": remark},
            now=now,
            ticket_id=ticket_id,
        )
    return FeedbackOutcome.RECORDED
