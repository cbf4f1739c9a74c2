"""Contract rules through the running product: the status sweep, the delivery, regie's sweep and
the reports, on a real database with a frozen clock. Facts the card buttons of the other branch
will record (a reaction, a call, a wait limit...) are written as storage writes them
(``tests.support.facts``).
"""

from __future__ import annotations


import pytest
from sqlalchemy import select

from bot.regie import notice_sweep
from sla import events as ev
from sla.kpi import compute_kpis
from storage import tickets
from storage.models import TicketEventRow
from storage.reporting import month_period, ticket_histories
from tests.delivery.desk import close_desk, local, open_desk
from tests.support import facts


@pytest.fixture
async def desk(sqlite_database_url):
    d = await open_desk(sqlite_database_url, start=local(2026, 11, 23, 10, 0))  # Monday
    await d.link_channels()
    yield d
    await close_desk(d)


async def _events(desk, ticket_id: int, kind: str) -> list[TicketEventRow]:
    async with desk.database.sessions() as session:
        rows = await session.execute(
            select(TicketEventRow).where(TicketEventRow.ticket_id == ticket_id, TicketEventRow.kind == kind).order_by(TicketEventRow.id)
        )
        return list(rows.scalars())


async def _react(desk, ticket_id: int, *, call: bool = False) -> None:
    await facts.record(desk.database, desk.policy, ticket_id, ev.REACTION, desk.clock.now(), priority="P2", next_step="Ik kijk ernaar.")
    if call:
        await facts.record(desk.database, desk.policy, ticket_id, ev.CALL_REGISTERED, desk.clock.now(), reached=True)


def _to_reporter(desk, reporter: str) -> list[str]:
    return [c.text for c in desk.connector.calls if c.conversation_id == f"a:{reporter}" and c.method == "POST"]


async def test_pve_statusupdate_a_holding_message_is_recorded_when_teams_took_it_and_is_no_update(desk):
    _, jobs = desk.add_worker("w1")
    ticket_id = await desk.report(reporter="u-p2", scope="meerdere_teams")
    await _react(desk, ticket_id)
    await jobs.outbox_sweep()
    # Teams is busy when the update falls due at 12:00: the message goes at the next attempt.
    desk.clock.set(local(2026, 11, 23, 12, 0))
    desk.connector.script = [(503, {})] * 40
    await jobs.status_sweep()
    assert await _events(desk, ticket_id, ev.HOLDING_SENT) == []  # not accepted, not recorded
    desk.connector.script = []
    desk.clock.set(local(2026, 11, 23, 12, 5))
    await jobs.outbox_sweep()
    (holding,) = await _events(desk, ticket_id, ev.HOLDING_SENT)
    assert holding.at == local(2026, 11, 23, 12, 5) and holding.data["due"].startswith("2026-11-23T12:00")
    assert "nog geen nieuws" in _to_reporter(desk, "u-p2")[-1]
    november = month_period("2026-11", desk.policy)
    async with desk.database.sessions() as session:
        histories = await ticket_histories(session, start=november.start, end=november.end)
    report = compute_kpis(desk.policy, histories, start=november.start, end=november.end, now=local(2026, 11, 30, 0, 0))
    assert report.holding_messages >= 1
    updates = [b for b in report.breaches if b.clock == "update"]
    assert updates and updates[0].due == local(2026, 11, 23, 12, 0)  # the holding message met nothing


async def test_after_a_gap_the_reporter_gets_one_message_and_a_next_moment_in_the_future(desk):
    _, jobs = desk.add_worker("w1")
    ticket_id = await desk.report(reporter="u-gap", scope="meerdere_teams")  # P2, Monday 10:00
    await _react(desk, ticket_id)  # 10:00: the next update is owed at 12:00
    await jobs.outbox_sweep()
    before = len(_to_reporter(desk, "u-gap"))
    desk.clock.set(local(2026, 11, 23, 15, 10))  # the bot was down from 11:00 to 15:10
    await jobs.status_sweep()
    await jobs.status_sweep()
    sent = _to_reporter(desk, "u-gap")[before:]
    assert len(sent) == 1 and "uiterlijk vandaag om 16:00" in sent[0]
    (holding,) = await _events(desk, ticket_id, ev.HOLDING_SENT)
    assert holding.at == local(2026, 11, 23, 15, 10)
    desk.clock.set(local(2026, 11, 23, 16, 0))
    await jobs.status_sweep()
    assert len(_to_reporter(desk, "u-gap")[before:]) == 2


async def test_annex_o1_major_incident_updates_a_missed_hourly_update_is_a_regie_notice(sqlite_database_url):
    desk = await open_desk(sqlite_database_url, start=local(2026, 11, 23, 10, 0), policy="sib")
    try:
        await desk.link_channels()
        delivery, jobs = desk.add_worker("w1")
        ticket_id = await desk.report(reporter="u-mi", scope="iedereen", category="netwerk", broad_outage=True)
        await _react(desk, ticket_id)
        await facts.record(desk.database, desk.policy, ticket_id, ev.MAJOR_DECLARED, desk.clock.now(), title="Storing netwerk")
        await facts.record(desk.database, desk.policy, ticket_id, ev.AGENT_UPDATE, local(2026, 11, 23, 10, 25), text="We zoeken de oorzaak.")
        desk.clock.set(local(2026, 11, 23, 11, 26))  # the hourly update was owed at 11:25
        result = await notice_sweep(database=desk.database, policy=desk.policy, clock=desk.clock)
        await delivery.drain()
        regie = [c.card_text() for c in desk.connector.to("19:regie") if c.cards]
        assert result.sent >= 1
        assert any("Melder zonder nieuws" in card and "11:25" in card and "Escalatie N3" in card for card in regie)
    finally:
        await close_desk(desk)


async def test_pve_p1_uplift_breach_escalates_as_p1_to_n3(desk):
    delivery, jobs = desk.add_worker("w1")
    async with desk.database.sessions.begin() as session:
        from sla.priority import PriorityDecision

        ticket = await tickets.create_ticket(
            session, policy=desk.policy, now=desk.clock.now(), reporter_id="u-up", reporter_name="Pieter",
            category="laptop", scope="alleen_ik", description="Laptop start niet, zitting om 11:00",
            decision=PriorityDecision("P1", True, ("P1-uplift",)), motivation="zitting om 11:00",
        )
    await desk.register(kind="user", key="u-up", conversation_id="a:u-up")
    desk.clock.set(local(2026, 11, 23, 10, 15))
    await notice_sweep(database=desk.database, policy=desk.policy, clock=desk.clock)
    await delivery.drain()
    breach = [c.card_text() for c in desk.connector.to("19:regie") if c.cards and "Overschreden" in c.card_text()]
    assert breach and "Escalatie N3" in breach[0] and "P1-uplift" in breach[0]
    assert ticket.uplift


async def test_pve_10_1_3_a_wait_longer_than_the_maximum_alerts_regie_once(desk):
    delivery, jobs = desk.add_worker("w1")
    ticket_id = await desk.report(reporter="u-wait")  # P3, Monday 10:00
    await _react(desk, ticket_id)
    async with desk.database.sessions.begin() as session:
        done = await tickets.acknowledge(
            session, policy=desk.policy, now=desk.clock.now(), ticket_id=ticket_id, agent_id="a1", agent_name="Karim",
            note=None, seen_version=None,
        )
        assert done.outcome is tickets.Outcome.DONE
        waited = await tickets.wait_for_third_party(
            session, policy=desk.policy, now=desk.clock.now(), ticket_id=ticket_id, agent_id="a1", agent_name="Karim",
            party="Dell", reason="onderdeel besteld", seen_version=None,
        )
        assert waited.outcome is tickets.Outcome.DONE
    # max_wait for a P3 is 12 working hours: Tuesday 12:00 is still allowed, a minute later not.
    for day, hour, minute, expected in ((24, 11, 0, 0), (24, 12, 0, 0), (24, 12, 1, 1), (24, 16, 0, 1), (25, 9, 0, 1)):
        desk.clock.set(local(2026, 11, day, hour, minute))
        await notice_sweep(database=desk.database, policy=desk.policy, clock=desk.clock)
        await delivery.drain()
        alerts = [c.card_text() for c in desk.connector.to("19:regie") if c.method == "POST" and c.cards and "Wacht te lang" in c.card_text()]
        assert len(alerts) == expected
    assert "sinds gisteren om 12:00" not in alerts[0] and "sinds vandaag om 12:00" in alerts[0]
