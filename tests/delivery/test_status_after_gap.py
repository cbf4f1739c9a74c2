"""The bot down for two days over a P3 and a P1: on return each reporter gets one status update,
with the ticket's state as it is now and a next moment in the future (exact minutes).

The P3 waits on Dell for a motherboard; the note the agent wrote before that ("ik bel je binnen 5
minuten") is old news and is not quoted. A holding message queued just before the bot went down
is overtaken by the one sent on return, not sent beside it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dialogs import texts
from sla import events as ev
from sla.events import TicketEvent
from storage import tickets, updates
from storage.models import Ticket
from tests.delivery.desk import close_desk, local, open_desk

MONDAY = local(2026, 11, 23, 10, 0)


@pytest.fixture
async def desk(sqlite_database_url):
    d = await open_desk(sqlite_database_url, start=MONDAY)
    await d.link_channels()
    yield d
    await close_desk(d)


def _to(desk, reporter: str, since: int = 0) -> list[str]:
    return [c.text for c in desk.connector.calls[since:] if c.conversation_id == f"a:{reporter}" and c.method == "POST"]


async def _change(desk, action, **kwargs) -> None:
    async with desk.database.sessions.begin() as session:
        done = await action(
            session, policy=desk.policy, now=desk.clock.now(), agent_id="agent-1", agent_name="Karim", seen_version=None, **kwargs
        )
        assert done.outcome is tickets.Outcome.DONE, done


async def _next_update_due(desk, ticket_id: int):
    async with desk.database.sessions() as session:
        return (await session.get(Ticket, ticket_id)).next_update_due


async def test_after_two_days_down_a_p1_and_a_p3_reporter_each_get_one_true_update_with_a_future_promise(desk):
    _, jobs = desk.add_worker("w1")
    p1 = await desk.report(reporter="u-p1", scope="iedereen", category="netwerk", broad_outage=True)
    p3 = await desk.report(reporter="u-p3")
    desk.clock.set(local(2026, 11, 23, 10, 5))
    await _change(desk, tickets.acknowledge, ticket_id=p1, note=None)
    await _change(desk, tickets.acknowledge, ticket_id=p3, note="Ik bel je binnen 5 minuten.")
    desk.clock.set(local(2026, 11, 23, 10, 20))
    await _change(
        desk, tickets.wait_for_third_party, ticket_id=p3, party="Dell", reason="moederbord besteld", expected=date(2026, 11, 27)
    )
    await jobs.outbox_sweep()
    # 10:35: the P1's 10:30 update is owed; the sweep queues it, and the bot goes down before sending it.
    desk.clock.set(local(2026, 11, 23, 10, 35))
    async with desk.database.sessions.begin() as session:
        assert await updates.send_due_updates(session, policy=desk.policy, now=desk.clock.now()) == 1
    before = len(desk.connector.calls)

    desk.clock.set(local(2026, 11, 25, 10, 37))  # Wednesday: back after two days
    await jobs.status_sweep()
    await jobs.status_sweep()  # a second sweep (another replica, the next minute) adds nothing
    await jobs.outbox_sweep()

    (to_p1,) = _to(desk, "u-p1", before)
    assert to_p1 == (
        f"Stand van je melding **{tickets.ticket_label(p1)}**: opgepakt. Karim werkt eraan.\n\n"
        "Er is nog geen nieuws.\n\n"
        "Je volgende update krijg je uiterlijk vandaag om 11:00."
    )
    (to_p3,) = _to(desk, "u-p3", before)
    assert to_p3 == (
        f"Stand van je melding **{tickets.ticket_label(p3)}**: we wachten op een andere partij. Karim werkt eraan.\n\n"
        "We wachten op Dell: moederbord besteld\n\n"
        "Zij verwachten klaar te zijn op vrijdag 27 november.\n\n"
        "Er is nog geen nieuws.\n\n"
        "Je volgende update krijg je uiterlijk morgen om 10:20."
    )
    assert "binnen 5 minuten" not in to_p3 and "bezig" not in to_p1 + to_p3
    now = desk.clock.now()
    assert await _next_update_due(desk, p1) == local(2026, 11, 25, 11, 0) > now
    assert await _next_update_due(desk, p3) == local(2026, 11, 26, 10, 20) > now

    # Nothing more until the promised moments, then one each, at the minute.
    desk.clock.set(local(2026, 11, 25, 10, 59))
    await jobs.status_sweep()
    assert _to(desk, "u-p1", before) == [to_p1]
    desk.clock.set(local(2026, 11, 25, 11, 0))
    await jobs.status_sweep()
    assert len(_to(desk, "u-p1", before)) == 2
    assert _to(desk, "u-p1", before)[-1].endswith("Je volgende update krijg je uiterlijk vandaag om 11:30.")
    desk.clock.set(local(2026, 11, 26, 10, 19))
    await jobs.status_sweep()
    assert len(_to(desk, "u-p3", before)) == 1
    desk.clock.set(local(2026, 11, 26, 10, 20))
    await jobs.status_sweep()
    assert len(_to(desk, "u-p3", before)) == 2


def test_a_servicedesk_message_is_news_only_until_something_newer_reached_the_reporter(desk):
    log = [
        TicketEvent(ev.REPORTED, MONDAY, {"priority": "P2", "ticket": "M-1"}),
        TicketEvent(ev.AGENT_UPDATE, local(2026, 11, 23, 10, 30), {"text": "De printer is besteld."}),
    ]
    at_once = updates.status_now(desk.policy, log, now=local(2026, 11, 23, 10, 31))
    assert at_once.news == "De printer is besteld." and at_once.promise == local(2026, 11, 23, 12, 30)
    assert "Nieuw bericht van de servicedesk: De printer is besteld." in _text(at_once)
    # The promised 12:30 passed without a word: the 10:30 message is no longer news.
    late = updates.status_now(desk.policy, log, now=local(2026, 11, 23, 12, 31))
    assert late.news is None and late.promise == local(2026, 11, 23, 14, 30)
    # A status change told after it (a wait) is newer than the message.
    log.append(TicketEvent(ev.PAUSED, local(2026, 11, 23, 11, 0), {"party": "Ricoh", "reason": "onderdeel"}))
    waiting = updates.status_now(desk.policy, log, now=local(2026, 11, 23, 11, 1))
    assert waiting.news is None and (waiting.wait.party, waiting.wait.reason, waiting.wait.expected) == ("Ricoh", "onderdeel", None)


def _text(current: updates.StatusNow) -> str:
    return texts.status_update(label="M-1", status="opgepakt", owner=None, next_update=None, news=current.news)
