"""Messages one person sends at once are answered one after the other, in the order they came.

Through HTTP, on SQLite (one process) and on PostgreSQL with two replicas of the bot behind an
imaginary load balancer (messages alternate between them). The first message's reply is held at
the stub connector (a slow Teams), so every later message arrives while the first turn still runs;
each is sent only once the one before it is queued, so the order they came in is known. Then the
connector answers again, and every message must be answered, in that order, with no apology, and
the dialog must end where ten messages typed one by one would have brought it.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select, text

import app as app_module
from dialogs import texts
from sla import events as ev
from storage.models import Ticket, TicketEventRow
from tests.support import activities as acts
from tests.support.harness import BotHarness, harness_settings, start_harness, stop_harness

CHAT = f"msteams|a:personal-{acts.EMPLOYEE['aadObjectId']}"
# (what the employee types, what the answer to it starts with), in the order a person would type.
TEN = [
    ("mijn laptop start niet op na de update", r"Waar gaat het over"),
    ("laptop", r"Wie heeft er last van"),
    ("alleen ik", r"Kun je nog werken"),
    ("met een omweg", r"Drie korte vragen"),
    ("nee", r"Klopt dit"),
    ("ja", r"Je melding \*\*M-1\*\* is aangemaakt"),
    ("mijn meldingen", r"Je open meldingen"),
    ("status M-1", r"Stand van je melding \*\*M-1\*\*"),
    ("aanvulling M-1: het scherm flikkert ook", r"Dank je\. Ik heb je aanvulling bij \*\*M-1\*\* gezet"),
    ("help", r"Dit kan ik voor je doen"),
]


@dataclass
class Replica:
    client: TestClient

    @property
    def app(self):
        return self.client.server.app


async def _second_replica(first: BotHarness) -> Replica:
    """Another bot process on the same database, answering through the same stub connector."""
    settings = first.app[app_module.SETTINGS].model_copy(update={"worker_id": "test-worker-b"})
    client = TestClient(TestServer(app_module.create_app(settings, clock=first.clock), host="127.0.0.1"))
    await client.start_server()
    return Replica(client)


async def _until(condition, what: str) -> None:
    """Let the event loop run until ``condition()`` holds (bounded: a failure, never a hang).

    The bound is a guard against a hang, not a measurement: on a loaded machine a PostgreSQL
    round trip of the other replica can take longer than thousands of bare yields, so the loop
    gives the I/O a moment between looks and gives up only after a minute.
    """
    for _ in range(60_000):
        if await condition():
            return
        await asyncio.sleep(0.001)
    raise AssertionError(f"gave up waiting until {what}")


# Conversation locks of this test's own database (other tests may share the server meanwhile).
_ADVISORY_LOCKS = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


async def _advisory_locks(first: BotHarness, expected: int) -> bool:
    """Whether ``expected`` turns hold or wait for a conversation lock in PostgreSQL."""
    async with first.app[app_module.DATABASE].engine.connect() as connection:
        return (await connection.execute(_ADVISORY_LOCKS)).scalar_one() == expected


async def _send_at_once(first: BotHarness, replicas: list, messages: list[tuple[str, str]]) -> tuple[list[int], list[str]]:
    held = first.connector.holds[f"a:personal-{acts.EMPLOYEE['aadObjectId']}"] = asyncio.Event()
    sent: list[asyncio.Task] = []
    activities = []
    for number, (typed, _) in enumerate(messages):
        replica = replicas[number % len(replicas)]
        activity = acts.personal_message(first.service_url, typed)
        activities.append(activity)
        sent.append(asyncio.create_task(replica.client.post("/api/messages", json=activity)))

        async def queued(n=number + 1) -> bool:
            return sum(r.app[app_module.ENDPOINT].turns.queued(CHAT) for r in replicas) == n

        await _until(queued, f"message {number + 1} is queued")
        if len(replicas) > 1 and number < len(replicas):
            # A replica's first turn is in line only once its request reached PostgreSQL's lock
            # queue; counted in-process alone, the next replica's turn could overtake it there.
            await _until(lambda n=number + 1: _advisory_locks(first, n), f"message {number + 1} is in PostgreSQL's lock queue")
    held.set()  # Teams answers again: the first turn finishes, the others follow
    responses = await asyncio.gather(*sent)
    for replica in replicas:
        await replica.app[app_module.DELIVERY].wait_idle()
    for response in responses:
        await response.read()
    return [response.status for response in responses], [a["id"] for a in activities]


def _answers_in_order(first: BotHarness, activity_ids: list[str]) -> list[str]:
    """The replies, grouped by the message they answer, in the order they were sent (one group
    per message: a group split in two would mean two turns ran at once)."""
    groups: list[tuple[str, list[str]]] = []
    for call in first.connector.to(f"a:personal-{acts.EMPLOYEE['aadObjectId']}"):
        if call.activity_id not in activity_ids:
            continue
        said = call.text + " " + call.card_text()
        if groups and groups[-1][0] == call.activity_id:
            groups[-1][1].append(said)
        else:
            groups.append((call.activity_id, [said]))
    assert [replied_to for replied_to, _ in groups] == activity_ids, "answered out of order, or interleaved"
    return [" ".join(said) for _, said in groups]


async def _check(first: BotHarness, replicas, messages) -> None:
    statuses, ids = await _send_at_once(first, replicas, messages)
    assert statuses == [200] * len(messages)
    answers = _answers_in_order(first, ids)
    for (typed, expected), answer in zip(messages, answers):
        assert re.search(expected, answer), (typed, answer)
    assert texts.TURN_FAILED not in " ".join(answers)  # no apology


@pytest.fixture
async def sqlite_bot(sqlite_database_url):
    h = await start_harness(harness_settings(sqlite_database_url))
    await h.link_channels()
    yield h
    await stop_harness(h)


@pytest.fixture
async def two_replicas(postgres_database_url):
    first = await start_harness(harness_settings(postgres_database_url))
    second = await _second_replica(first)
    await first.link_channels()
    yield first, [Replica(first.client), second]
    await second.client.close()
    await stop_harness(first)


async def _dialog_ended_as_typed_one_by_one(first: BotHarness) -> None:
    async with first.app[app_module.DATABASE].sessions() as session:
        (ticket,) = (await session.execute(select(Ticket))).scalars().all()
        added = (await session.execute(select(TicketEventRow).where(TicketEventRow.kind == ev.INFO_ADDED))).scalars().all()
    assert (ticket.description, ticket.category, ticket.scope, ticket.priority) == (TEN[0][0], "laptop", "alleen_ik", "P3")
    assert [event.data["text"] for event in added] == ["het scherm flikkert ook"]
    await first.say("stop")
    assert first.replies_to_employee()[-1].startswith("Er loopt nu niets om te stoppen")  # no dialog left open


async def test_two_messages_at_once_are_answered_one_after_the_other_on_sqlite(sqlite_bot):
    await _check(sqlite_bot, [Replica(sqlite_bot.client)], TEN[:2])
    await sqlite_bot.say("alleen ik")  # the dialog went on from the second message
    assert "Kun je nog werken?" in sqlite_bot.connector.to("a:personal-")[-1].card_text()


async def test_ten_messages_at_once_are_answered_in_order_on_sqlite(sqlite_bot):
    await _check(sqlite_bot, [Replica(sqlite_bot.client)], TEN)
    await _dialog_ended_as_typed_one_by_one(sqlite_bot)


@pytest.mark.postgres
async def test_two_messages_at_once_on_two_replicas_are_answered_one_after_the_other(two_replicas):
    first, replicas = two_replicas
    await _check(first, replicas, TEN[:2])
    await first.say("alleen ik")
    assert "Kun je nog werken?" in first.connector.to("a:personal-")[-1].card_text()


@pytest.mark.postgres
async def test_ten_messages_at_once_on_two_replicas_are_answered_in_order(two_replicas):
    first, replicas = two_replicas
    await _check(first, replicas, TEN)
    await _dialog_ended_as_typed_one_by_one(first)


async def test_a_message_that_cannot_wait_for_the_turn_before_it_gets_503_and_runs_when_teams_sends_it_again(sqlite_bot):
    from storage.turns import ConversationTurns

    endpoint = sqlite_bot.app[app_module.ENDPOINT]
    endpoint.turns = ConversationTurns(sqlite_bot.app[app_module.DATABASE], wait_seconds=0)  # no time to wait
    held = sqlite_bot.connector.holds["a:personal-"] = asyncio.Event()
    first = asyncio.create_task(sqlite_bot.client.post("/api/messages", json=acts.personal_message(sqlite_bot.service_url, TEN[0][0])))

    async def first_runs() -> bool:
        return endpoint.turns.queued(CHAT) == 1

    await _until(first_runs, "the first message runs")
    second = acts.personal_message(sqlite_bot.service_url, TEN[1][0])
    response = await sqlite_bot.client.post("/api/messages", json=second)
    assert response.status == 503  # Teams delivers it again later
    held.set()
    assert (await first).status == 200
    status, _ = await sqlite_bot.post(second)  # the redelivery, with the same activity id
    assert status == 200
    assert "Wie heeft er last van?" in sqlite_bot.connector.to("a:personal-")[-1].card_text()


@pytest.mark.postgres
async def test_a_turn_that_gives_up_waiting_on_postgresql_leaves_no_lock_and_no_waiter_behind(postgres_database_url):
    from storage.db import open_database
    from storage.turns import ConversationTurns, TurnsBusy, lock_key

    database = open_database(postgres_database_url)
    other_replica = open_database(postgres_database_url)
    try:
        async with other_replica.turn_locks.connect() as holder:  # a turn of this chat runs elsewhere
            await holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock_key(CHAT)})
            with pytest.raises(TurnsBusy):
                async with ConversationTurns(database, wait_seconds=0.05).one_at_a_time(CHAT):
                    raise AssertionError("ran beside the other replica's turn")
            async with database.engine.connect() as connection:
                waiting = text(_ADVISORY_LOCKS.text + " AND NOT granted")
                assert (await connection.execute(waiting)).scalar_one() == 0  # the waiter went with its connection
            await holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key(CHAT)})
        ran = []
        async with ConversationTurns(database, wait_seconds=5).one_at_a_time(CHAT):
            ran.append(True)
        assert ran and database.turn_locks.pool.checkedout() == 0
    finally:
        await database.dispose()
        await other_replica.dispose()
