"""Duplicate deliveries change nothing a second time (``storage.dedup`` via ``bot.http``)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

import app as app_module
from sla.clock import FixedClock
from storage.dedup import ActivityClaims, activity_key
from storage.db import open_database
from storage.models import ProcessedActivity, Ticket
from tests.security.conftest import AuthHarness, row_counts
from tests.security.intake import complete_intake
from tests.support import activities as acts
from tests.support.activities import person

SECOND = person("Joost Bakker", "aaaaaaaa-0000-0000-0000-00000000000b")


async def _tickets_of(harness, user) -> int:
    async with harness.app[app_module.DATABASE].sessions() as session:
        query = select(func.count(Ticket.id)).where(Ticket.reporter_id == user["aadObjectId"])
        return (await session.execute(query)).scalar_one()


async def test_100_concurrent_copies_of_the_final_answer_make_one_ticket(auth_harness: AuthHarness):
    """On SQLite and PostgreSQL: the answer that creates the ticket arrives 100 times at once."""
    h, bot = auth_harness, auth_harness.bot
    await h.link_channels()
    # Learn a complete intake with one employee ...
    answers = await complete_intake(bot, h.say, "de printer op de tweede verdieping geeft een papierstoring")
    assert answers and await _tickets_of(bot, acts.EMPLOYEE) == 1
    # ... and replay it with another, up to the final answer.
    assert await h.say("de printer op de derde verdieping geeft een papierstoring", user=SECOND) == 200
    for answer in answers[:-1]:
        assert await h.say(None, user=SECOND, value=answer) == 200
    assert await _tickets_of(bot, SECOND) == 0
    prefix = f"a:personal-{SECOND['aadObjectId']}"
    replies_before = len(bot.connector.to(prefix))
    turns_before = len(h.turns)

    final = acts.personal_message(bot.service_url, None, user=SECOND, value=answers[-1])
    body = json.dumps(final)
    headers = {"Authorization": h.authorization(), "Content-Type": "application/json"}

    async def deliver() -> int:
        response = await bot.client.post("/api/messages", data=body, headers=headers)
        await response.read()
        return response.status

    statuses = await asyncio.gather(*(deliver() for _ in range(100)))
    await bot.settle()
    assert statuses == [200] * 100
    assert await _tickets_of(bot, SECOND) == 1
    assert len(h.turns) - turns_before == 1
    confirmations = [t for t in bot.connector.texts_to(prefix)[replies_before:] if "is aangemaakt" in t]
    assert len(confirmations) == 1

    # A re-send after a timeout (the same activity, later) changes nothing either.
    before = await row_counts(bot)
    bot.clock.advance(timedelta(minutes=3))
    assert await deliver() == 200
    await bot.settle()
    assert await _tickets_of(bot, SECOND) == 1
    assert await row_counts(bot) == before


async def test_a_failed_turn_releases_its_claim_so_a_redelivery_runs(sqlite_auth_harness: AuthHarness):
    h, bot = sqlite_auth_harness, sqlite_auth_harness.bot
    endpoint = bot.app[app_module.ENDPOINT]
    real = endpoint.logic
    calls = []

    async def failing_once(context):
        calls.append(context.activity.id)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        await real(context)

    endpoint.logic = failing_once
    activity = acts.personal_message(bot.service_url, "hallo")
    status, _ = await h.post(activity)
    assert status == 200  # the user got an apology; no 500
    async with bot.app[app_module.DATABASE].sessions() as session:
        assert (await session.execute(select(func.count()).select_from(ProcessedActivity))).scalar_one() == 0
    status, _ = await h.post(activity)  # Teams redelivers
    assert status == 200 and len(calls) == 2
    status, _ = await h.post(activity)  # and now it is a duplicate
    assert status == 200 and len(calls) == 2


async def test_old_claims_are_pruned(sqlite_database_url):
    database = open_database(sqlite_database_url)
    clock = FixedClock(datetime(2026, 4, 28, 6, tzinfo=timezone.utc))
    claims = ActivityClaims(database=database, clock=clock, keep=timedelta(hours=48), prune_every=timedelta(hours=1))
    try:
        assert await claims.claim("msteams|a:1|one") is True
        assert await claims.claim("msteams|a:1|one") is False
        clock.advance(timedelta(hours=49))
        assert await claims.claim("msteams|a:1|two") is True  # prunes on the way
        assert await claims.claim("msteams|a:1|one") is True  # forgotten after the window
    finally:
        await database.dispose()


def test_activity_keys():
    assert activity_key({"id": "1", "conversation": {"id": "a:x"}, "channelId": "msteams"}) == "msteams|a:x|1"
    assert activity_key({"conversation": {"id": "a:x"}}) is None
    long = activity_key({"id": "1" * 500, "conversation": {"id": "a:x"}})
    assert long is not None and long.startswith("sha256:") and len(long) <= 400
