"""The outbox loses nothing and doubles nothing: crashes, restarts, throttling, removed bots."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from sla.clock import SystemClock
from storage import outbox, refs
from storage.models import ConversationRef, OutboxMessage
from tests.delivery.desk import close_desk, local, open_desk


@pytest.fixture
async def desk(database_url):
    d = await open_desk(database_url, start=local(2026, 11, 23, 10, 0))
    await d.link_channels()
    yield d
    await close_desk(d)


async def _rows(desk) -> list[OutboxMessage]:
    async with desk.database.sessions() as session:
        return list((await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars())


async def test_a_replica_that_dies_after_claiming_hands_its_messages_over_after_the_lease(desk):
    await desk.report(reporter="u1")
    # A replica claims the ticket's messages, then dies before sending them.
    async with desk.database.sessions.begin() as session:
        claimed = await outbox.claim_due(session, now=desk.clock.now(), worker="dead", lease=timedelta(minutes=2))
    assert len(claimed) == 1
    delivery, _ = desk.add_worker("alive")
    assert await delivery.drain() == 0  # still leased: not taken over yet
    assert desk.connector.calls == []
    desk.clock.advance(timedelta(minutes=2, seconds=1))
    assert await delivery.drain() == 1
    assert await delivery.drain() == 0
    assert len(desk.connector.to("19:servicedesk")) == 1
    assert [r.status for r in await _rows(desk)] == ["sent"]


async def test_a_shutdown_finishes_the_batch_in_hand_and_leaves_the_backlog_for_the_next_start(desk):
    for n in range(60):  # more than one batch (50), all for the one servicedesk channel
        await desk.report(reporter=f"u{n}")
    stopping, _ = desk.add_worker("stopping")
    stopping.kick()
    while len(desk.connector.to("19:servicedesk")) < 5:  # the first batch is being sent
        await asyncio.sleep(0)
    await stopping.close()
    assert len(desk.connector.to("19:servicedesk")) == 50
    rows = await _rows(desk)
    assert [r.status for r in rows].count("sent") == 50
    left = [r for r in rows if r.status == "pending"]
    assert len(left) == 10 and all(r.lease_until is None for r in left)  # not claimed: free at once
    stopping.kick()  # a late wake-up while stopping starts nothing
    await stopping.close()
    assert len(desk.connector.to("19:servicedesk")) == 50

    next_start, _ = desk.add_worker("next-start")
    assert await next_start.drain() == 10
    cards = [call for call in desk.connector.to("19:servicedesk") if call.method == "POST"]
    assert len(cards) == 60  # every card once


async def test_after_a_clean_restart_no_due_update_is_missed_or_repeated(desk):
    _, jobs = desk.add_worker("first")
    await desk.report(reporter="u1")  # P3: next update tomorrow 10:00
    await jobs.status_sweep()
    # The process stops; it is down while the update falls due, then a new one starts.
    desk.clock.set(local(2026, 11, 24, 10, 45))
    _, restarted = desk.add_worker("second")
    assert await restarted.status_sweep() == 1
    assert await restarted.status_sweep() == 0
    desk.clock.advance(timedelta(minutes=1))
    assert await jobs.status_sweep() == 0  # the first one, back, finds nothing due either
    updates = [c for c in desk.connector.calls if c.conversation_id == "a:u1"]
    assert len(updates) == 1


async def test_throttling_is_retried_with_back_off_honouring_retry_after(desk):
    delivery, _ = desk.add_worker("w1")
    desk.connector.script = [(429, {"Retry-After": "3"}), (503, {}), (502, {})]
    await desk.report(reporter="u1")
    assert await delivery.drain() == 1
    attempts = [c.method for c in desk.connector.to("19:servicedesk")]
    assert attempts == ["POST->429", "POST->503", "POST->502", "POST"]
    assert desk.sleeps[0] == 3.0  # Retry-After honoured
    assert 0.5 <= desk.sleeps[1] <= 1.0 and 1.0 <= desk.sleeps[2] <= 2.0  # exponential, jittered
    assert [r.status for r in await _rows(desk)] == ["sent"]


async def test_when_retries_run_out_the_message_waits_in_the_outbox_and_is_sent_later(desk):
    delivery, _ = desk.add_worker("w1")
    desk.connector.script = [(503, {})] * 4
    await desk.report(reporter="u1")
    assert await delivery.drain() == 0
    (row,) = await _rows(desk)
    assert row.status == "pending" and row.attempts == 1 and row.next_attempt_at > desk.clock.now()
    desk.clock.advance(timedelta(minutes=1))
    assert await delivery.drain() == 1
    assert [c.method for c in desk.connector.to("19:servicedesk")][-1] == "POST"


async def test_a_removed_bot_403_is_not_retried_and_the_servicedesk_is_told(desk):
    delivery, _ = desk.add_worker("w1")
    ticket_id = await desk.report(reporter="u1")
    await delivery.drain()
    async with desk.database.sessions.begin() as session:
        await outbox.enqueue(
            session, dedup_key="t-403", target=outbox.Target.user("u1"),
            payload={"kind": "status_update", "ticket_id": ticket_id, "holding": True}, now=desk.clock.now(), ticket_id=ticket_id,
        )
    desk.connector.script = [(403, {})]
    await delivery.drain()
    await delivery.drain()
    assert [c.method for c in desk.connector.to("a:u1")] == ["POST->403"]  # exactly one attempt
    async with desk.database.sessions() as session:
        reference = (await session.execute(select(ConversationRef).where(ConversationRef.key == "u1"))).scalar_one()
    assert reference.active is False
    notices = [c.text for c in desk.connector.to("19:servicedesk") if "niet bereikbaar via Teams" in c.text]
    assert len(notices) == 1


@pytest.mark.parametrize("status", [400, 413])
async def test_400_and_413_give_up_at_once(desk, status):
    delivery, _ = desk.add_worker("w1")
    await desk.report(reporter="u1", scope="iedereen", category="netwerk", broad_outage=True)  # P1: regie too
    desk.connector.scripts_for["19:regie"] = [(status, {})]
    await delivery.drain()
    desk.clock.advance(timedelta(minutes=5))
    await delivery.drain()
    assert [c.method for c in desk.connector.to("19:regie")] == [f"POST->{status}"]  # never the same again
    (notice,) = [c.text for c in desk.connector.to("19:servicedesk") if "niet bezorgen" in c.text]
    assert notice.startswith("Ik kon de melding van een nieuwe P1 over **M-1** niet bezorgen in het regiekanaal")
    assert f"status {status}" in notice and "servicedesk outbox retry" in notice


async def test_messages_wait_for_a_channel_that_is_not_linked_yet(sqlite_database_url):
    d = await open_desk(sqlite_database_url, start=local(2026, 11, 23, 10, 0))
    try:
        delivery, _ = d.add_worker("w1")
        await d.report(reporter="u1")
        assert await delivery.drain() == 0
        await d.register(kind=refs.CHANNEL, key="servicedesk", conversation_id="19:servicedesk")
        d.clock.advance(timedelta(minutes=1))
        assert await delivery.drain() == 1
    finally:
        await close_desk(d)


async def test_a_busy_channel_is_kept_under_seven_operations_per_second(desk):
    delivery, _ = desk.add_worker("w1")
    for n in range(30):
        await desk.report(reporter=f"u{n}")
    assert await delivery.drain() == 30
    posts = desk.connector.to("19:servicedesk")
    assert len(posts) == 30
    # 30 posts to one conversation at no more than 7 a second take at least 4 (fake) seconds.
    assert desk.monotonic >= 4.0
    assert all(s > 0 for s in desk.sleeps)


async def test_a_card_shows_the_ticket_as_it_is_when_it_leaves_not_when_its_batch_was_claimed(desk):
    from storage import tickets

    delivery, _ = desk.add_worker("w1")
    ids = [await desk.report(reporter=f"u{n}") for n in range(8)]  # 8 cards for one channel: 7 per second
    pacer = delivery._connector._pacer  # noqa: SLF001 - the test moves time where pacing waits
    paced_sleep = pacer._sleep

    async def meanwhile_picked_up(seconds: float) -> None:
        async with desk.database.sessions.begin() as session:
            await tickets.acknowledge(
                session, policy=desk.policy, now=desk.clock.now(), ticket_id=ids[-1],
                agent_id="agent-1", agent_name="Ahmet Yilmaz", note=None, seen_version=None,
            )
        pacer._sleep = paced_sleep
        await paced_sleep(seconds)

    pacer._sleep = meanwhile_picked_up
    assert await delivery.drain() == 8
    cards = desk.connector.to("19:servicedesk")
    assert len(cards) == 8
    assert "Ahmet Yilmaz" in cards[-1].card_text()  # drawn after the wait, with the pick-up
    assert "Ahmet Yilmaz" not in cards[0].card_text()


async def _cli(argv: list[str]) -> int:
    """``python app.py ARGS`` as an operator runs it (its own event loop, beside the bot's)."""
    import app as app_module

    return await asyncio.to_thread(app_module.main, argv)


def _accepted(desk, conversation: str) -> list:
    """The calls to one conversation that Teams accepted (200)."""
    return [c for c in desk.connector.calls if c.conversation_id == conversation and "->" not in c.method]


async def test_a_kill_while_one_message_of_a_claimed_batch_is_held_by_a_429_sends_none_of_the_others_twice(desk):
    """The batch: two P1s, so two cards (servicedesk) and two notices (regie). Regie answers the
    first notice 429 and the process dies in the back-off wait; the cards went meanwhile. After
    the restart, only what Teams never accepted goes: the two notices, each once."""
    for n in range(2):
        await desk.report(reporter=f"u{n}", scope="iedereen", category="netwerk", broad_outage=True)
    desk.connector.scripts_for["19:regie"] = [(429, {"Retry-After": "30"})]
    backing_off = asyncio.Event()

    async def held(seconds: float) -> None:  # the 429's back-off, which the kill interrupts
        backing_off.set()
        await asyncio.Event().wait()

    dying, _ = desk.add_worker("dying", sleep=held)
    drain = asyncio.create_task(dying.drain())
    await backing_off.wait()
    for _ in range(20_000):  # the servicedesk lane goes on beside the held one: let it finish (bounded)
        cards = [r.status for r in await _rows(desk) if r.target_key == "servicedesk"]
        if cards == ["sent", "sent"]:
            break
        await asyncio.sleep(0)
    drain.cancel()  # the kill: nothing of the dying process runs after this point
    with pytest.raises(asyncio.CancelledError):
        await drain
    assert len(_accepted(desk, "19:servicedesk")) == 2 and _accepted(desk, "19:regie") == []

    desk.clock.advance(timedelta(minutes=2, seconds=1))  # the dead process's lease runs out
    restarted, _ = desk.add_worker("restarted")
    assert await restarted.drain() == 2
    assert len(_accepted(desk, "19:servicedesk")) == 2  # no card twice
    assert len(_accepted(desk, "19:regie")) == 2  # each notice once
    assert [r.status for r in await _rows(desk)] == ["sent"] * 4


async def _sweep(desk, delivery, *, until) -> None:
    """The outbox sweep, run at each moment a message is due, until the clock reaches ``until``."""
    while True:
        pending = [r for r in await _rows(desk) if r.status == "pending"]
        if not pending:
            return
        due = min(r.next_attempt_at for r in pending)
        if due > until:
            return
        desk.clock.set(max(due, desk.clock.now()))
        await delivery.drain()


async def test_a_channel_refusing_403_for_ten_minutes_gets_its_notice_once_late(desk):
    delivery, _ = desk.add_worker("w1")
    started = desk.clock.now()
    await desk.report(reporter="u1", scope="iedereen", category="netwerk", broad_outage=True)
    desk.connector.scripts_for["19:regie"] = [(403, {})] * 1000
    await _sweep(desk, delivery, until=started + timedelta(minutes=10))
    refused = [c.method for c in desk.connector.to("19:regie")]
    assert refused and set(refused) == {"POST->403"} and len(refused) >= 4  # tried again, with back-off
    desk.connector.scripts_for["19:regie"].clear()  # the channel works again
    await _sweep(desk, delivery, until=started + timedelta(hours=2))
    (notice,) = _accepted(desk, "19:regie")
    assert "Nieuwe P1" in notice.card_text()
    assert started + timedelta(minutes=10) < desk.clock.now() <= started + timedelta(minutes=20)  # late, not lost
    assert not [c for c in desk.connector.to("19:servicedesk") if "niet bezorgen" in c.text]
    assert {r.status for r in await _rows(desk)} == {"sent"}


async def test_a_message_refused_for_the_give_up_time_is_reported_and_an_operator_sends_it_again(desk, database_url, monkeypatch, capsys):
    delivery, _ = desk.add_worker("w1")
    started = desk.clock.now()
    await desk.report(reporter="u1", scope="iedereen", category="netwerk", broad_outage=True)
    desk.connector.scripts_for["19:regie"] = [(403, {})] * 1000
    await _sweep(desk, delivery, until=started + timedelta(hours=30))
    (failed,) = [r for r in await _rows(desk) if r.status == "failed"]
    assert failed.target_key == "regie" and failed.failing_since == started
    assert started + timedelta(hours=24) <= desk.clock.now() < started + timedelta(hours=25)  # about a day, then no more
    tries = len(desk.connector.to("19:regie"))
    assert 24 < tries < 40  # back-off: no hammering of a closed channel
    (notice,) = [c.text for c in desk.connector.to("19:servicedesk") if "niet bezorgen" in c.text]
    assert notice == (
        "Ik kon de melding van een nieuwe P1 over **M-1** niet bezorgen in het regiekanaal: Teams weigerde het 24 uur lang "
        f"(status 403). Werkt het weer? Dan stuurt een beheerder het opnieuw met `servicedesk outbox retry {failed.id}`."
    )

    monkeypatch.setenv("DATABASE_URL", database_url)
    assert await _cli(["outbox", "list", "--failed"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and listed[1].startswith(f"{failed.id}\tfailed\tchannel:regie\tregie_new_p1\tM-1\t")
    assert await _cli(["outbox", "retry", "999"]) == 1
    assert "no given-up message with id 999" in capsys.readouterr().err
    desk.connector.scripts_for["19:regie"].clear()  # the channel's permissions are back
    assert await _cli(["outbox", "retry", str(failed.id), "--by", "beheerder"]) == 0
    assert f"1 message queued again: {failed.id}" in capsys.readouterr().out
    await _sweep(desk, delivery, until=max(desk.clock.now(), SystemClock().now()) + timedelta(minutes=1))  # due at once
    assert len(_accepted(desk, "19:regie")) == 1
    assert await _cli(["outbox", "list", "--failed"]) == 0
    assert capsys.readouterr().out.strip() == "no messages given up"


async def test_an_operator_can_discard_a_message_and_it_is_never_sent(desk, database_url, monkeypatch, capsys):
    await desk.report(reporter="u1")
    (row,) = await _rows(desk)
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert await _cli(["outbox", "list"]) == 0
    assert f"{row.id}\tpending\tchannel:servicedesk\tticket_card\tM-1" in capsys.readouterr().out
    assert await _cli(["outbox", "discard", str(row.id)]) == 0
    assert await _cli(["outbox", "discard", str(row.id)]) == 1  # only pending or failed ones
    delivery, _ = desk.add_worker("w1")
    assert await delivery.drain() == 0 and desk.connector.calls == []
    assert [r.status for r in await _rows(desk)] == ["discarded"]


async def test_a_message_the_servicedesk_channel_itself_refuses_is_said_in_the_log_and_on_readyz(sqlite_database_url, caplog):
    from tests.servicedesk.desk import new_ticket
    from tests.support.harness import harness_settings, start_harness, stop_harness

    h = await start_harness(harness_settings(sqlite_database_url))
    try:
        await h.link_channels()
        h.connector.scripts_for["19:servicedesk"] = [(413, {})]  # the card is too large for Teams, say
        ticket_id = await new_ticket(h)
        errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR" and r.name == "servicedesk.delivery"]
        assert len(errors) == 1 and "to the servicedesk channel given up (status 413)" in errors[0]
        assert "servicedesk outbox retry" in errors[0]
        response = await h.client.get("/readyz")
        body = await response.json()
        assert response.status == 200 and body["outbox"] == {"failed": 1, "failed_to_servicedesk": 1}
        assert ticket_id == 1 and not [c for c in h.connector.calls if "niet bezorgen" in c.text]
    finally:
        await stop_harness(h)
