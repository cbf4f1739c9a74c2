"""Survey remarks are personal text: kept for the retention period after their round closed, then
removed while the scores (and so the round's figures) stay; inzage shows a person's answers and
erasure unlinks them. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from sla.clock import FixedClock
from sla.policy import load_policy
from sla.xla import Question
from reach import surveys
from storage import refs
from storage.db import open_database
from storage.privacy import erase_user, export_user, purge

START = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)
OLD, RECENT = "aaaaaaaa-2222-0000-0000-000000000001", "aaaaaaaa-2222-0000-0000-000000000002"


@pytest.fixture
async def database(database_url):
    db = open_database(database_url)
    yield db
    await db.dispose()


async def _round_with_remark(database, *, now: datetime, user_id: str, remark: str) -> int:
    policy = load_policy("halt")
    async with database.sessions.begin() as session:
        await refs.save_reference(session, kind=refs.USER, key=user_id, reference={"user": {"id": user_id}}, now=now)
        row = await surveys.start_round(session, policy=policy, now=now, label=f"r-{now:%Y%m}", by="cli", by_name="cli",
                                        remind_after=timedelta(days=7), open_for=timedelta(days=14), what="Enquête")
        for question, score in zip(Question, (9, 6, 7)):
            await surveys.record_score(session, round_id=row.id, user_id=user_id, question=question, score=score, now=now,
                                       remark=remark if question is Question.INFORMATION else None)
        await surveys.close_round(session, round_=row, now=now + timedelta(days=14), by=None)
        await refs.deactivate(session, kind=refs.USER, key=user_id, now=now)  # the next round asks only the next one
        return row.id


async def test_a_remark_goes_after_the_retention_period_and_the_figures_stay(database):
    old = await _round_with_remark(database, now=START, user_id=OLD, remark="Laptop van Alice is traag")
    recent = await _round_with_remark(database, now=START + timedelta(days=300), user_id=RECENT, remark="Wifi op locatie Zwolle valt weg")
    clock = FixedClock(START + timedelta(days=14 + 366))

    exported = await export_user(database=database, clock=clock, user_id=OLD)
    assert exported["survey_answers"][0]["remark"] == "Laptop van Alice is traag"
    assert (exported["survey_answers"][0]["werkplek"], exported["survey_answers"][0]["informatie"]) == (9, 7)

    result = await purge(database=database, clock=clock, retention_days=365)
    assert result.survey_remarks_removed == 1
    async with database.sessions() as session:
        old_round, recent_round = await session.get(surveys.SurveyRound, old), await session.get(surveys.SurveyRound, recent)
        old_figures = await surveys.figures(session, round_=old_round, with_remarks=True)
        recent_figures = await surveys.figures(session, round_=recent_round, with_remarks=True)
    assert old_figures.remarks == [] and [q.mean_rounded for q in old_figures.questions] == [9, 6, 7]
    assert recent_figures.remarks == ["Wifi op locatie Zwolle valt weg"]

    erased = await erase_user(database=database, clock=clock, user_id=RECENT)
    assert erased.survey_answers == 1
    assert (await export_user(database=database, clock=clock, user_id=RECENT))["survey_answers"] == []
    async with database.sessions() as session:
        after = await surveys.figures(session, round_=recent_round, with_remarks=True)
    assert after.remarks == [] and [q.mean_rounded for q in after.questions] == [9, 6, 7]
