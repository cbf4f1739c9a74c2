"""The greeting at an installation goes through the outbox: once per installation, again after a
refusal, and at the pace Teams allows the app in the tenant when the whole organisation gets the app
at once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import delete, select

import app as app_module
from bot.connector import TENANT_PER_SECOND, Connector
from bot.delivery import FIRST_RETRY
from dialogs import texts
from storage.models import OutboxMessage, ProcessedActivity
from storage.outbox import Kind
from tests.reach.campaigns import busiest_second
from tests.support import activities as acts
from tests.support.harness import harness_settings, start_harness, stop_harness


@pytest.fixture
async def harness(database_url):
    h = await start_harness(harness_settings(database_url))
    yield h
    await stop_harness(h)


def installation(harness, user=acts.EMPLOYEE) -> dict:
    """Teams' event when the app is installed for ``user``: the employee and the bot added."""
    added = acts.personal_message(harness.service_url, None, user=user)
    added.update(type="conversationUpdate", membersAdded=[user, acts.BOT])
    return added


async def _welcomes(harness) -> list[OutboxMessage]:
    async with harness.app[app_module.DATABASE].sessions() as session:
        rows = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
        return [row for row in rows if row.payload.get("kind") == Kind.WELCOME]


async def test_an_installation_greets_the_employee_once_through_the_outbox_and_a_reinstallation_again(harness):
    event = installation(harness)
    assert (await harness.post(event))[0] == 200
    assert harness.replies_to_employee() == [texts.WELCOME]
    (row,) = await _welcomes(harness)
    assert (row.target_kind, row.target_key, row.status) == ("user", acts.EMPLOYEE["aadObjectId"], "sent")

    # Teams delivers the same event again: once while the endpoint's claim on it is kept, and once
    # after it is gone (pruned, or released by a turn that failed after its commit).
    assert (await harness.post(event))[0] == 200
    async with harness.app[app_module.DATABASE].sessions.begin() as session:
        await session.execute(delete(ProcessedActivity))
    assert (await harness.post(event))[0] == 200
    assert harness.replies_to_employee() == [texts.WELCOME]
    assert len(await _welcomes(harness)) == 1

    # Removed and installed again later: a new event, a new greeting.
    assert (await harness.post(installation(harness)))[0] == 200
    assert harness.replies_to_employee() == [texts.WELCOME, texts.WELCOME]


async def test_a_greeting_teams_throttles_arrives_when_the_outbox_tries_it_again(harness):
    # Every attempt of the connector's first round refused (it retries 5 times): the turn itself
    # is fine, the greeting waits in the outbox.
    harness.connector.script = [(429, {"Retry-After": "0"})] * 5
    assert (await harness.post(installation(harness)))[0] == 200
    assert harness.replies_to_employee() == []
    (row,) = await _welcomes(harness)
    assert row.status == "pending" and row.next_attempt_at > harness.clock.now()

    delivery = harness.app[app_module.DELIVERY]
    assert await delivery.drain() == 0  # not due yet
    harness.clock.advance(FIRST_RETRY)
    assert await delivery.drain() == 1
    assert harness.replies_to_employee() == [texts.WELCOME]
    methods = [c.method for c in harness.connector.to(f"a:personal-{acts.EMPLOYEE['aadObjectId']}")]
    assert methods == ["POST->429"] * 5 + ["POST"]
    assert [r.status for r in await _welcomes(harness)] == ["sent"]


def _paced_on_the_injected_clock(harness, delivery) -> tuple[list, aiohttp.ClientSession]:
    """Give the outbox a connector whose pacing waits move the injected clock (no real time), and
    stamp each call to Teams with that clock as it leaves; returns the stamps and the session to close."""
    started: list = []
    monotonic = [0.0]
    tracing = aiohttp.TraceConfig()

    async def on_start(session, context, params) -> None:
        started.append(harness.clock.now())

    async def sleep(seconds: float) -> None:
        until = monotonic[0] + seconds
        await asyncio.sleep(0)
        if until > monotonic[0]:  # several waiting at once: time moves to the latest, not their sum
            harness.clock.advance(timedelta(seconds=until - monotonic[0]))
            monotonic[0] = until

    async def no_token() -> None:
        return None

    tracing.on_request_start.append(on_start)
    session = aiohttp.ClientSession(trace_configs=[tracing])
    delivery._connector = Connector(  # noqa: SLF001 - the test replaces time where pacing waits
        session=session, token_source=no_token, service_url_allowed=lambda url: True, sleep=sleep,
        monotonic=lambda: monotonic[0],
    )
    return started, session


async def test_an_installation_for_the_whole_organisation_greets_each_employee_once_at_the_tenants_pace(harness):
    employees = [acts.person(f"Medewerker {n}", f"eeeeeeee-0000-0000-0000-{n:012d}") for n in range(200)]
    delivery = harness.app[app_module.DELIVERY]
    started, session = _paced_on_the_injected_clock(harness, delivery)
    try:
        # Teams sends the events side by side, as the installation reaches each employee.
        responses = await asyncio.gather(
            *(harness.client.post("/api/messages", json=installation(harness, user)) for user in employees)
        )
        assert [r.status for r in responses] == [200] * len(employees)
        await harness.settle()
        while await delivery.drain():  # what a kick during the last batch left
            pass
    finally:
        await session.close()

    for user in employees:
        assert harness.replies_to_employee(user) == [texts.WELCOME]
    assert len(started) == len(employees)  # every greeting through the outbox's connector, none inline
    assert busiest_second(started) <= TENANT_PER_SECOND
    assert started[-1] - started[0] >= timedelta(seconds=3)  # the pace held them back: 200 at 50 per second
