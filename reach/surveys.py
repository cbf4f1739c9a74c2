"""Experience survey rounds (XLA, PvE §10.5): who is asked, their answers, opt-outs, the figures.

A survey round is built on ``reach``: starting it starts a campaign (``reach.service.start``,
kind ``SURVEY``) to everyone, without the employees who said "geen enquêtes", and writes one
response row per recipient in the same transaction (unique per round and person: asked once).
``reach`` sends the questions at the tenant's pace, never in quiet hours, and within the weekly
maximum of non-ticket messages (a survey question over it waits for the next week). The one
reminder, after ``remind_at``, is a campaign of its own to the invitation's recipients who gave no
score. Closing a round stops what has not gone yet, records how many it reached, and queues the
results card for regie.

Answers are checked against the stored rows, never against what a card carries: a score for a
round that is closed, for a round the person was not asked in, or for a question already answered
changes nothing (``Outcome``). A typed answer counts only once the question really reached the
person (the recipient is sent). The figures are ``sla.xla``'s, held against the norms the round
stored when it started; the response rate is over the employees the invitation reached.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import Select, delete, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reach import service
from reach.audience import Target
from reach.enums import Audience, Kind as CampaignKind, Recipient
from sla.policy import Policy
from sla.xla import QUESTIONS, Question, QuestionResult, next_question, results, valid_score
from storage import audit, outbox
from storage.models import Campaign, CampaignRecipient, SurveyOptOut, SurveyResponse, SurveyRound

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
    session: AsyncSession, *, policy: Policy, now: datetime, label: str, by: str | None, by_name: str,
    remind_after: timedelta, open_for: timedelta, what: str,
) -> SurveyRound:
    """Open a round (refused while one is open): it holds the norms in force now, its invitation
    campaign goes to everyone without the opt-outs, and each recipient gets a response row. Audited."""
    if await open_round(session) is not None:
        raise StartRefused("a survey round is open already")
    terms = policy.in_force(now).xla
    norms = {q.value: (str(terms.norms[q]) if terms is not None and terms.norms.get(q) is not None else None) for q in QUESTIONS}
    row = SurveyRound(
        label=label, started_at=now, started_by=by, remind_at=now + remind_after, closes_at=now + open_for, norms=norms
    )
    session.add(row)
    await session.flush()
    campaign = await service.start(
        session, kind=CampaignKind.SURVEY, message_kind=outbox.Kind.SURVEY_QUESTION, audience=Target(Audience.EVERYONE),
        payload={"round_id": row.id, "what": what}, created_by=by or "", created_by_name=by_name, now=now,
        exclude=select(SurveyOptOut.user_id),
    )
    row.campaign_id = campaign.id
    recipients = select(
        literal(row.id), CampaignRecipient.object_id, literal(now), literal(now), literal(QUESTIONS[0].value)
    ).where(CampaignRecipient.campaign_id == campaign.id)
    await session.execute(
        SurveyResponse.__table__.insert().from_select(["round_id", "user_id", "asked_at", "prompted_at", "step"], recipients)
    )
    await audit.append(
        session, at=now, actor_id=by, action="survey.start", ticket_id=None, result="done",
        details={"round": row.id, "label": label, "campaign": campaign.id, "closes_at": row.closes_at.isoformat()},
    )
    return row


def _gave_a_score() -> Any:
    return or_(SurveyResponse.workplace.is_not(None), SurveyResponse.servicedesk.is_not(None), SurveyResponse.information.is_not(None))


async def remind(session: AsyncSession, *, round_: SurveyRound, now: datetime, what: str) -> bool:
    """The one reminder, once ``remind_at`` has come: a campaign to the invitation's recipients who
    gave no score and did not opt out (since). Returns whether it started it now."""
    if round_.closed_at is not None or round_.reminder_campaign_id is not None or now < round_.remind_at:
        return False
    answered: Select = select(SurveyResponse.user_id).where(
        SurveyResponse.round_id == round_.id, or_(_gave_a_score(), SurveyResponse.step == DONE)
    )
    campaign = await service.start(
        session, kind=CampaignKind.SURVEY_REMINDER, message_kind=outbox.Kind.SURVEY_REMINDER,
        audience=Target(Audience.EVERYONE), payload={"round_id": round_.id, "what": what},
        created_by=round_.started_by or "", created_by_name=what, now=now, parent_id=round_.campaign_id,
        exclude=answered.union(select(SurveyOptOut.user_id)),
    )
    round_.reminder_campaign_id = campaign.id
    return True


async def _reached(session: AsyncSession, round_: SurveyRound) -> int:
    """Employees the invitation reached (Teams took it), and any who answered without it showing."""
    reached = select(CampaignRecipient.object_id).where(
        CampaignRecipient.campaign_id == round_.campaign_id, CampaignRecipient.state == Recipient.SENT
    )
    query = select(func.count()).select_from(SurveyResponse).where(
        SurveyResponse.round_id == round_.id, or_(SurveyResponse.user_id.in_(reached), _gave_a_score())
    )
    return int((await session.execute(query)).scalar_one())


async def close_round(session: AsyncSession, *, round_: SurveyRound, now: datetime, by: str | None) -> None:
    """Close the round: what has not gone out yet stops, the number reached is kept for the
    figures, and its results are queued for regie (once: the dedup key). Audited."""
    round_.closed_at, round_.closed_by = now, by
    round_.invited = await _reached(session, round_)
    for campaign_id in (round_.campaign_id, round_.reminder_campaign_id):
        if campaign_id is not None:
            await service.cancel(session, campaign_id=campaign_id, now=now)
    await outbox.enqueue(
        session, dedup_key=f"survey:{round_.id}:result", target=outbox.Target.channel(REGIE),
        payload={"kind": outbox.Kind.SURVEY_RESULT, "round_id": round_.id}, now=now,
    )
    await audit.append(
        session, at=now, actor_id=by, action="survey.close", ticket_id=None, result="done",
        details={"round": round_.id, "reached": round_.invited},
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


async def question_for(session: AsyncSession, *, campaign_id: Any, user_id: Any) -> tuple[SurveyRound, Question] | None:
    """The round of a survey campaign's message and the question this person is at (the first,
    unless they answered some before a reminder); None when the campaign or round is gone."""
    campaign = await session.get(Campaign, campaign_id) if isinstance(campaign_id, int) else None
    round_ = await session.get(SurveyRound, (campaign.payload or {}).get("round_id")) if campaign is not None else None
    if round_ is None:
        return None
    step = (
        await session.execute(
            select(SurveyResponse.step).where(SurveyResponse.round_id == round_.id, SurveyResponse.user_id == user_id)
        )
    ).scalar_one_or_none()
    return round_, Question(step) if step in {q.value for q in QUESTIONS} else QUESTIONS[0]


@dataclass(frozen=True)
class OpenStep:
    round_id: int
    step: str  # a Question value or REMARK
    prompted_at: datetime
    closed_at: datetime | None  # the round is over: an answer now is told so


async def open_step(session: AsyncSession, *, user_id: str) -> OpenStep | None:
    """What this person was asked last and has not answered, in the newest round whose question
    reached them."""
    reached = select(CampaignRecipient.campaign_id).where(
        CampaignRecipient.object_id == user_id, CampaignRecipient.state == Recipient.SENT
    )
    query = (
        select(SurveyResponse.round_id, SurveyResponse.step, SurveyResponse.prompted_at, SurveyRound.closed_at)
        .join(SurveyRound, SurveyRound.id == SurveyResponse.round_id)
        .where(SurveyResponse.user_id == user_id, SurveyResponse.step != DONE, SurveyRound.campaign_id.in_(reached))
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
    invited = round_.invited if round_.invited is not None else await _reached(session, round_)
    return RoundFigures(
        round=round_, invited=invited, respondents=respondents,
        questions=results(scores, invited=invited, norms=norms_of(round_)), remarks=remarks,
    )


async def counts(session: AsyncSession, *, round_: SurveyRound) -> dict[str, Any]:
    """For ``survey status``: asked (the round's audience), reached, answered all three, the
    reminder's progress, and how many said "geen enquêtes" (everyone)."""
    base = select(func.count(SurveyResponse.id)).where(SurveyResponse.round_id == round_.id)
    reminder = await service.progress(session, round_.reminder_campaign_id) if round_.reminder_campaign_id else None
    invitation = await service.progress(session, round_.campaign_id) if round_.campaign_id else None
    return {
        "asked": int((await session.execute(base)).scalar_one()),
        "answered": int((await session.execute(base.where(SurveyResponse.answered_at.is_not(None)))).scalar_one()),
        "invitation": invitation.as_json() if invitation else None,
        "reminder": reminder.as_json() if reminder else None,
        "opted_out": int((await session.execute(select(func.count()).select_from(SurveyOptOut))).scalar_one()),
    }
