"""Experience survey rounds (XLA, PvE §10.5): who is asked, their answers, opt-outs, the figures.

A round is open from its start until it is closed (on demand, or ``closes_at``). The employees are
the people the bot can reach in their personal chat (an active user reference) who did not say
"geen enquêtes". Each is invited once per round: the invitation writes their response row (unique
per round and person) and the outbox intent in one transaction, so a crash or a second replica
never asks anyone twice. One reminder goes, after ``remind_at``, to those who have given no score.

Answers are checked against the stored row, never against what a card carries: a score for a round
that is closed, for a round the person was not asked in, or for a question already answered
changes nothing (``Outcome``). The figures are ``sla.xla``'s, held against the norms the round
stored when it started.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sla.policy import Policy
from sla.xla import QUESTIONS, Question, QuestionResult, next_question, results, valid_score
from storage import audit, outbox, refs
from storage.models import ConversationRef, SurveyOptOut, SurveyResponse, SurveyRound

REMARK = "opmerking"  # the step after the three scores: the optional remark
DONE = "klaar"
REGIE = "regie"
# Where each question's score is kept on the response row.
COLUMNS = {Question.WORKPLACE: "workplace", Question.SERVICEDESK: "servicedesk", Question.INFORMATION: "information"}
MAX_REMARK = 1000


class Outcome(enum.Enum):
    RECORDED = "recorded"
    ALREADY = "already"  # that question was answered before: nothing changes
    CLOSED = "closed"  # the round is over
    NOT_ASKED = "not_asked"  # no such round, or this person was not asked in it


class StartRefused(Exception):
    """A round is open already: one at a time."""


def scores_of(row: SurveyResponse) -> dict[Question, int | None]:
    return {question: getattr(row, column) for question, column in COLUMNS.items()}


def norms_of(round_: SurveyRound) -> dict[Question, Fraction | None]:
    return {q: (Fraction(round_.norms[q.value]) if round_.norms.get(q.value) is not None else None) for q in QUESTIONS}


# -- rounds ----------------------------------------------------------------------------------------

async def open_round(session: AsyncSession, *, lock: bool = False) -> SurveyRound | None:
    """The open round. ``lock``: hold its row for this transaction (PostgreSQL ``FOR UPDATE``), so
    replicas inviting and reminding at the same moment take turns and each sees the other's rows."""
    query = select(SurveyRound).where(SurveyRound.closed_at.is_(None)).order_by(SurveyRound.id.desc()).limit(1)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def latest_round(session: AsyncSession) -> SurveyRound | None:
    return (await session.execute(select(SurveyRound).order_by(SurveyRound.id.desc()).limit(1))).scalar_one_or_none()


async def start_round(
    session: AsyncSession, *, policy: Policy, now: datetime, label: str, by: str | None,
    remind_after: timedelta, open_for: timedelta,
) -> SurveyRound:
    """Open a round (refused while one is open); it holds the norms in force now. Audited."""
    if await open_round(session) is not None:
        raise StartRefused("a survey round is open already")
    terms = policy.in_force(now).xla
    norms = {q.value: (str(terms.norms[q]) if terms is not None and terms.norms.get(q) is not None else None) for q in QUESTIONS}
    row = SurveyRound(
        label=label, started_at=now, started_by=by, remind_at=now + remind_after, closes_at=now + open_for, norms=norms
    )
    session.add(row)
    await session.flush()
    await audit.append(
        session, at=now, actor_id=by, action="survey.start", ticket_id=None, result="done",
        details={"round": row.id, "label": label, "closes_at": row.closes_at.isoformat()},
    )
    return row


async def close_round(session: AsyncSession, *, round_: SurveyRound, now: datetime, by: str | None) -> None:
    """Close the round and queue its results for regie (once: the dedup key). Audited."""
    round_.closed_at, round_.closed_by = now, by
    await outbox.enqueue(
        session, dedup_key=f"survey:{round_.id}:result", target=outbox.Target.channel(REGIE),
        payload={"kind": outbox.Kind.SURVEY_RESULT, "round_id": round_.id}, now=now,
    )
    await audit.append(
        session, at=now, actor_id=by, action="survey.close", ticket_id=None, result="done", details={"round": round_.id},
    )


async def due_to_close(session: AsyncSession, *, now: datetime) -> list[SurveyRound]:
    """Open rounds past their closing time, locked: of two replicas one closes each."""
    query = select(SurveyRound).where(SurveyRound.closed_at.is_(None), SurveyRound.closes_at <= now).with_for_update()
    return list((await session.execute(query)).scalars())


async def closed_between(session: AsyncSession, *, start: datetime, end: datetime) -> list[SurveyRound]:
    query = (
        select(SurveyRound)
        .where(SurveyRound.closed_at >= start, SurveyRound.closed_at < end)
        .order_by(SurveyRound.closed_at)
    )
    return list((await session.execute(query)).scalars())


# -- invitations and the reminder ------------------------------------------------------------------

async def invite_due(session: AsyncSession, *, round_: SurveyRound, now: datetime, limit: int = 500) -> int:
    """Invite up to ``limit`` reachable employees not asked in this round yet (and not opted out):
    a response row and the first question's intent each. Returns how many were invited."""
    asked = select(SurveyResponse.user_id).where(SurveyResponse.round_id == round_.id)
    out = select(SurveyOptOut.user_id)
    query = (
        select(ConversationRef.key)
        .where(
            ConversationRef.kind == refs.USER, ConversationRef.active.is_(True),
            ConversationRef.key.not_in(asked), ConversationRef.key.not_in(out),
        )
        .order_by(ConversationRef.key)
        .limit(limit)
    )
    users = list((await session.execute(query)).scalars())
    first = QUESTIONS[0]
    for user_id in users:
        session.add(SurveyResponse(round_id=round_.id, user_id=user_id, asked_at=now, prompted_at=now, step=first.value))
    await session.flush()
    await outbox.enqueue_many(
        session,
        [
            outbox.Intent(
                dedup_key=f"survey:{round_.id}:{user_id}:invite", target=outbox.Target.user(user_id),
                payload={"kind": outbox.Kind.SURVEY_QUESTION, "round_id": round_.id, "question": first.value, "invitation": True},
            )
            for user_id in users
        ],
        now=now,
    )
    return len(users)


async def remind_due(session: AsyncSession, *, round_: SurveyRound, now: datetime, limit: int = 500) -> int:
    """The one reminder, after ``remind_at``, to those asked who gave no score (and did not opt out
    since). Returns how many were reminded."""
    if now < round_.remind_at or round_.closed_at is not None:
        return 0
    query = (
        select(SurveyResponse)
        .where(
            SurveyResponse.round_id == round_.id, SurveyResponse.reminded_at.is_(None),
            SurveyResponse.answered_at.is_(None), SurveyResponse.user_id.not_in(select(SurveyOptOut.user_id)),
        )
        .order_by(SurveyResponse.id)
        .limit(limit)
    )
    rows = list((await session.execute(query)).scalars())
    for row in rows:
        row.reminded_at = row.prompted_at = now
    await outbox.enqueue_many(
        session,
        [
            outbox.Intent(
                dedup_key=f"survey:{round_.id}:{row.user_id}:reminder", target=outbox.Target.user(row.user_id),
                payload={"kind": outbox.Kind.SURVEY_REMINDER, "round_id": round_.id, "question": row.step},
            )
            for row in rows
        ],
        now=now,
    )
    return len(rows)


# -- answers ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Answered:
    outcome: Outcome
    next_step: str | None = None  # after a recorded score: the next question, REMARK, or None


async def _response(session: AsyncSession, *, round_id: int, user_id: str) -> tuple[SurveyRound | None, SurveyResponse | None]:
    round_ = await session.get(SurveyRound, round_id)
    if round_ is None:
        return None, None
    query = (
        select(SurveyResponse)
        .where(SurveyResponse.round_id == round_id, SurveyResponse.user_id == user_id)
        .with_for_update()
    )
    return round_, (await session.execute(query)).scalar_one_or_none()


async def record_score(
    session: AsyncSession, *, round_id: int, user_id: str, question: Question, score: int, now: datetime,
    remark: str | None = None,
) -> Answered:
    """One score (and, with the last one from the card, the remark) from the person asked."""
    if not valid_score(score):
        raise ValueError(f"score {score!r} outside 1-10")
    round_, row = await _response(session, round_id=round_id, user_id=user_id)
    if round_ is None or row is None:
        return Answered(Outcome.NOT_ASKED)
    if round_.closed_at is not None:
        return Answered(Outcome.CLOSED)
    if getattr(row, COLUMNS[question]) is not None:
        return Answered(Outcome.ALREADY)
    setattr(row, COLUMNS[question], score)
    if remark and row.remark is None:
        row.remark = remark[:MAX_REMARK]
    following = next_question(scores_of(row))
    if following is None:
        row.answered_at = now
        row.step = DONE if row.remark is not None else REMARK
    else:
        row.step = following.value
    row.prompted_at = now
    return Answered(Outcome.RECORDED, next_step=None if row.step == DONE else row.step)


async def record_remark(session: AsyncSession, *, round_id: int, user_id: str, remark: str | None, now: datetime) -> Outcome:
    """The optional remark after the three scores; None: "nee", nothing to add."""
    round_, row = await _response(session, round_id=round_id, user_id=user_id)
    if round_ is None or row is None:
        return Outcome.NOT_ASKED
    if round_.closed_at is not None:
        return Outcome.CLOSED
    if row.step != REMARK:
        return Outcome.ALREADY
    row.remark = remark[:MAX_REMARK] if remark else None
    row.step = DONE
    row.prompted_at = now
    return Outcome.RECORDED


@dataclass(frozen=True)
class OpenStep:
    round_id: int
    step: str  # a Question value or REMARK
    prompted_at: datetime
    closed_at: datetime | None  # the round is over: an answer now is told so


async def open_step(session: AsyncSession, *, user_id: str) -> OpenStep | None:
    """What this person was asked last and has not answered, in the newest round that asked them."""
    query = (
        select(SurveyResponse.round_id, SurveyResponse.step, SurveyResponse.prompted_at, SurveyRound.closed_at)
        .join(SurveyRound, SurveyRound.id == SurveyResponse.round_id)
        .where(SurveyResponse.user_id == user_id, SurveyResponse.step != DONE)
        .order_by(SurveyResponse.round_id.desc())
        .limit(1)
    )
    found = (await session.execute(query)).first()
    return OpenStep(*found) if found else None


# -- opting out ------------------------------------------------------------------------------------

async def is_opted_out(session: AsyncSession, *, user_id: str) -> bool:
    return await session.get(SurveyOptOut, user_id) is not None


async def set_opt_out(session: AsyncSession, *, user_id: str, out: bool, now: datetime) -> bool:
    """Record "geen enquêtes" (``out``) or "wel enquêtes"; audited. Returns whether it changed.
    An open step of the current round is closed with it: the person is not asked further."""
    current = await session.get(SurveyOptOut, user_id)
    if (current is not None) == out:
        return False
    if out:
        session.add(SurveyOptOut(user_id=user_id, at=now))
        open_round_ids = select(SurveyRound.id).where(SurveyRound.closed_at.is_(None))
        await session.execute(
            update(SurveyResponse)
            .where(SurveyResponse.user_id == user_id, SurveyResponse.round_id.in_(open_round_ids), SurveyResponse.step != DONE)
            .values(step=DONE)
        )
    else:
        await session.execute(delete(SurveyOptOut).where(SurveyOptOut.user_id == user_id))
    await audit.append(
        session, at=now, actor_id=user_id, action="survey.opt_out" if out else "survey.opt_in", ticket_id=None, result="done",
    )
    return True


# -- figures ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RoundFigures:
    round: SurveyRound
    invited: int
    respondents: int  # gave at least one score
    questions: list[QuestionResult]
    remarks: list[str]

    @property
    def response_rate_percent(self) -> float | None:
        return None if not self.invited else round(100 * self.respondents / self.invited, 1)

    def to_dict(self, tz) -> dict[str, Any]:
        row = self.round
        return {
            "round_id": row.id, "label": row.label,
            "started": row.started_at.astimezone(tz).isoformat(),
            "closed": row.closed_at.astimezone(tz).isoformat() if row.closed_at else None,
            "invited": self.invited, "respondents": self.respondents,
            "response_rate_percent": self.response_rate_percent,
            "questions": [q.to_dict() for q in self.questions],
        }


async def figures(session: AsyncSession, *, round_: SurveyRound, with_remarks: bool = False) -> RoundFigures:
    rows = list((await session.execute(select(SurveyResponse).where(SurveyResponse.round_id == round_.id))).scalars())
    scores = {q: [s for row in rows if (s := getattr(row, COLUMNS[q])) is not None] for q in QUESTIONS}
    respondents = sum(1 for row in rows if any(v is not None for v in scores_of(row).values()))
    remarks = [row.remark for row in sorted(rows, key=lambda r: r.id) if row.remark] if with_remarks else []
    return RoundFigures(
        round=round_, invited=len(rows), respondents=respondents,
        questions=results(scores, invited=len(rows), norms=norms_of(round_)), remarks=remarks,
    )


async def counts(session: AsyncSession, *, round_: SurveyRound) -> dict[str, int]:
    """For ``survey status``: asked, answered (all three), reminded, opted out (everyone)."""
    base = select(func.count(SurveyResponse.id)).where(SurveyResponse.round_id == round_.id)
    return {
        "asked": int((await session.execute(base)).scalar_one()),
        "answered": int((await session.execute(base.where(SurveyResponse.answered_at.is_not(None)))).scalar_one()),
        "reminded": int((await session.execute(base.where(SurveyResponse.reminded_at.is_not(None)))).scalar_one()),
        "opted_out": int((await session.execute(select(func.count()).select_from(SurveyOptOut))).scalar_one()),
    }
