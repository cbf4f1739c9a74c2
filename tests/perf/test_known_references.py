"""The in-process cache of user references (``bot.teams_bot.KnownReferences``) is only an
optimisation: it saves the transaction of an unchanged reference, never a change, and what another
process changed is put right within its time-to-live."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import app as app_module
from bot.teams_bot import KnownReferences
from dialogs import texts
from storage import refs
from storage.models import ConversationRef
from tests.support import activities as acts
from tests.support.harness import harness_settings, start_harness, stop_harness


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_hit_needs_the_same_reference_within_the_ttl_and_does_not_extend_it():
    clock = FakeMonotonic()
    known = KnownReferences(ttl=60, monotonic=clock)
    assert not known.unchanged("u", {"a": 1})
    known.verified("u", {"a": 1})
    assert known.unchanged("u", {"a": 1})
    assert not known.unchanged("u", {"a": 2})  # a changed reference is always written
    clock.now += 59
    assert known.unchanged("u", {"a": 1})
    clock.now += 1  # 60 s after the database was last checked, hits or not
    assert not known.unchanged("u", {"a": 1})


def test_it_is_bounded():
    known = KnownReferences(max_entries=3, monotonic=FakeMonotonic())
    for n in range(10):
        known.verified(f"u{n}", {"n": n})
    assert len(known) == 3
    assert not known.unchanged("u0", {"n": 0})
    assert known.unchanged("u9", {"n": 9})


@pytest.fixture
async def harness(sqlite_database_url):
    h = await start_harness(harness_settings(sqlite_database_url))
    yield h
    await stop_harness(h)


async def _reference(harness) -> ConversationRef | None:
    async with harness.app[app_module.DATABASE].sessions() as session:
        return await refs.get_reference(session, kind=refs.USER, key=acts.EMPLOYEE["aadObjectId"])


async def test_a_reference_deactivated_elsewhere_is_active_again_after_the_ttl(harness):
    bot = harness.app[app_module.ENDPOINT].logic.__self__
    clock = FakeMonotonic()
    bot._known = KnownReferences(ttl=60, monotonic=clock)
    assert await harness.say("hallo") == 200
    assert (await _reference(harness)).active is True
    # Another process (the outbox after a 403, another replica) deactivates it.
    async with harness.app[app_module.DATABASE].sessions.begin() as session:
        await refs.deactivate(session, kind=refs.USER, key=acts.EMPLOYEE["aadObjectId"], now=harness.clock.now())
    clock.now += 60
    assert await harness.say("hallo") == 200
    assert (await _reference(harness)).active is True


async def test_a_changed_reference_is_written_at_once(harness):
    assert await harness.say("hallo") == 200
    moved = harness.service_url.replace("127.0.0.1", "localhost")
    status, _ = await harness.post(acts.personal_message(moved, "hallo"))
    assert status == 200
    assert (await _reference(harness)).reference["serviceUrl"] == moved


async def test_an_installation_always_writes_even_when_cached(harness):
    bot = harness.app[app_module.ENDPOINT].logic.__self__
    assert await harness.say("hallo") == 200
    async with harness.app[app_module.DATABASE].sessions.begin() as session:
        await session.execute(ConversationRef.__table__.delete())
    added = acts.personal_message(harness.service_url, None)
    added.update(type="conversationUpdate", membersAdded=[acts.EMPLOYEE])
    status, _ = await harness.post(added)
    assert status == 200
    assert (await _reference(harness)) is not None
    assert len(bot._known) == 1


async def _commits_during(harness, send) -> int:
    from sqlalchemy import event

    engine = harness.app[app_module.DATABASE].engine.sync_engine
    commits = []

    def count(_connection) -> None:
        commits.append(1)

    event.listen(engine, "commit", count)
    try:
        await send()
    finally:
        event.remove(engine, "commit", count)
    return len(commits)


async def test_on_sqlite_a_new_employees_reference_is_stored_with_the_dialog_state_in_one_commit(harness):
    assert await harness.say("hallo", user=acts.STRANGER) == 200  # the process's first turn (prunes old claims)
    # A description from someone the bot has never seen: the activity's claim, then the reference
    # and the conversation's state (the new intake) together; before, the reference had its own.
    commits = await _commits_during(harness, lambda: harness.say("mijn laptop start niet op"))

    assert commits == 2
    assert (await _reference(harness)).active is True


async def test_a_reference_that_was_to_be_stored_with_the_state_is_kept_in_the_cache_only_once_stored(harness):
    bot = harness.app[app_module.ENDPOINT].logic.__self__
    assert await harness.say("mijn laptop start niet op") == 200

    assert len(bot._known) == 1  # verified after the commit, so the next message skips the write
    assert (await _reference(harness)) is not None


async def test_an_employee_who_installs_the_bot_is_greeted_once(harness):
    added = acts.personal_message(harness.service_url, None)
    added.update(type="conversationUpdate", membersAdded=[acts.EMPLOYEE, acts.BOT])
    status, _ = await harness.post(added)
    assert status == 200
    assert harness.replies_to_employee() == [texts.WELCOME]
