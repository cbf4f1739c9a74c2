"""Regie notices with a frozen clock: warnings and breaches exactly once, P2-P4 only in working
hours, no burst after a P3 -> P1 change, escalation levels, the out-of-hours piket alert."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

import app as app_module
from sla import events as ev
from sla.escalation import escalation_level
from storage.models import Notice
from tests.servicedesk.desk import PIKET, click, local, new_ticket, sweep
from tests.support import activities as acts
from tests.support import facts
from tests.support.cards import assert_valid_card
from tests.support.harness import harness_settings, start_harness, stop_harness


async def _start(database_url, **overrides):
    h = await start_harness(harness_settings(database_url, **overrides))
    await h.link_channels()
    await h.say("help")
    h.connector.clear()
    return h


@pytest.fixture
async def harness(database_url):
    h = await _start(database_url)
    yield h
    await stop_harness(h)


def regie_cards(harness) -> list[str]:
    calls = [c for c in harness.connector.to("19:regie") if c.method == "POST"]
    for call in calls:
        for card in call.cards:
            assert_valid_card(card)
    return [c.card_text() for c in calls]


async def record(harness, ticket_id: int, kind: str, when: str, **data) -> None:
    """A fact the card buttons of the other branch will write (tests.support.facts)."""
    await facts.record(
        harness.app[app_module.DATABASE], harness.app[app_module.POLICY], ticket_id, kind, local(harness, when),
        actor_id=acts.AGENT["aadObjectId"], agent_id=acts.AGENT["aadObjectId"], **data,
    )


async def keep_informed(harness, ticket_id: int, start: str, end: str) -> None:
    """The servicedesk writes to the reporter every 25 minutes from ``start`` to ``end`` (facts in
    the future are not known until the clock gets there)."""
    moment, stop = local(harness, start), local(harness, end)
    while moment <= stop:
        await record(harness, ticket_id, ev.AGENT_UPDATE, moment.astimezone(harness.app[app_module.POLICY].tz).strftime("%Y-%m-%d %H:%M"), text="We werken eraan.")
        moment += timedelta(minutes=25)


async def react(harness, ticket_id: int, when: str, *, call_at: str | None = None) -> None:
    """The first substantive reaction (priority, next step) and, for a P1, the registered call."""
    await record(harness, ticket_id, ev.REACTION, when, priority="P1", next_step="Ik bel je nu.")
    if call_at:
        await record(harness, ticket_id, ev.CALL_REGISTERED, call_at, reached=True)


async def test_p1_warning_and_breach_each_exactly_once(harness):
    ticket_id = await new_ticket(harness, priority="P1", phone="0612345678")  # Tue 28 April 08:00
    assert len(regie_cards(harness)) == 1  # the new-P1 notice at creation
    harness.clock.set(local(harness, "2026-04-28 08:10"))
    assert await sweep(harness) == 0
    harness.clock.set(local(harness, "2026-04-28 08:11"))  # 15 min, warn when 33 % (4 min) remain
    assert await sweep(harness) == 1
    assert await sweep(harness) == 0
    warning = regie_cards(harness)[-1]
    assert "Dreigt te laat" in warning and "reactietermijn" in warning and "08:15" in warning
    harness.clock.set(local(harness, "2026-04-28 08:15"))
    assert await sweep(harness) == 1
    breach = regie_cards(harness)[-1]
    assert "Overschreden" in breach and "reactietermijn" in breach
    # A P1 is a critical disruption: N3, with who acts and by when.
    assert "Escalatie N3" in breach and "Directeur Bedrijfsvoering" in breach and "Start uiterlijk" in breach
    await react(harness, ticket_id, "2026-04-28 08:16", call_at="2026-04-28 08:17")
    await keep_informed(harness, ticket_id, "2026-04-28 08:40", "2026-04-28 14:00")
    for minute in range(16, 60, 7):
        harness.clock.set(local(harness, f"2026-04-28 08:{minute:02d}"))
        assert await sweep(harness) == 0
    # Reacted late, but kept informed; the resolution clock warns at 11:00, breaches at 12:00, once each.
    harness.clock.set(local(harness, "2026-04-28 11:00"))
    assert await sweep(harness) == 1 and "oplostermijn" in regie_cards(harness)[-1]
    harness.clock.set(local(harness, "2026-04-28 12:00"))
    assert await sweep(harness) == 1 and "Overschreden" in regie_cards(harness)[-1]
    harness.clock.set(local(harness, "2026-04-28 14:00"))
    assert await sweep(harness) == 0
    assert len(regie_cards(harness)) == 5


async def test_p1_workaround_in_time_stops_the_resolution_notices(harness):
    ticket_id = await new_ticket(harness, priority="P1", uplift=True, motivation="zitting om 10:00", phone="0612345678")
    await click(harness, "oppakken", ticket_id, notitie="Ik bel je")
    await react(harness, ticket_id, "2026-04-28 08:05", call_at="2026-04-28 08:06")
    await keep_informed(harness, ticket_id, "2026-04-28 08:30", "2026-04-28 13:00")
    harness.clock.set(local(harness, "2026-04-28 10:30"))
    await click(harness, "noodoplossing", ticket_id, noodoplossing_tekst="leenlaptop")
    for at in ("11:00", "12:00", "13:00"):
        harness.clock.set(local(harness, f"2026-04-28 {at}"))
        assert await sweep(harness) == 0


async def test_p2_notices_wait_for_the_service_window(harness):
    harness.clock.set(local(harness, "2026-04-28 17:00"))  # Tuesday, one working hour left
    await new_ticket(harness, priority="P2", scope="meerdere_teams")
    harness.clock.set(local(harness, "2026-04-28 17:41"))  # 1 h first response, warn 19 min before 18:00
    assert await sweep(harness) == 1
    assert "Dreigt te laat" in regie_cards(harness)[-1]
    for at in ("2026-04-28 18:00", "2026-04-28 18:30", "2026-04-28 23:59", "2026-04-29 03:00", "2026-04-29 07:59"):
        harness.clock.set(local(harness, at))
        assert await sweep(harness) == 0, at
    assert len(regie_cards(harness)) == 1
    harness.clock.set(local(harness, "2026-04-29 08:00"))  # the next opening
    assert await sweep(harness) == 1
    breach = regie_cards(harness)[-1]
    assert "Overschreden" in breach and "reactietermijn" in breach
    # Several teams hit: N2, the ICT Service Manager acts within 3 working days.
    assert "Escalatie N2" in breach and "ICT Service Manager" in breach and "3 werkdagen" in breach
    assert await sweep(harness) == 0


async def test_a_p3_to_p1_change_gives_regie_one_notice_not_a_burst(harness):
    ticket_id = await new_ticket(harness, priority="P3")  # 08:00, P3: nothing for regie
    assert regie_cards(harness) == []
    harness.clock.set(local(harness, "2026-04-28 13:00"))
    status, body = await click(harness, "prioriteit", ticket_id, prioriteit="P1", prioriteit_reden="Hele regio kan niet inloggen")
    assert status == 200
    await keep_informed(harness, ticket_id, "2026-04-28 13:25", "2026-04-28 20:00")
    cards = regie_cards(harness)
    assert len(cards) == 1
    assert "Prioriteit verhoogd naar P1" in cards[0] and "Hele regio kan niet inloggen" in cards[0]
    assert "te laat" in cards[0]  # what is already late is on that one card
    for at in ("13:00", "13:01", "14:00", "20:00"):
        harness.clock.set(local(harness, f"2026-04-28 {at}"))
        assert await sweep(harness) == 0
    assert len(regie_cards(harness)) == 1
    async with harness.app[app_module.DATABASE].sessions() as session:
        from sqlalchemy import select

        kinds = sorted(n.kind for n in (await session.execute(select(Notice))).scalars())
    assert kinds == ["breach-suppressed", "breach-suppressed", "warning-suppressed", "warning-suppressed"]


async def test_p3_to_p1_change_still_warns_for_moments_after_the_change(harness):
    ticket_id = await new_ticket(harness, priority="P3")
    harness.clock.set(local(harness, "2026-04-28 08:05"))
    await click(harness, "prioriteit", ticket_id, prioriteit="P1", prioriteit_reden="toch breder")
    harness.clock.set(local(harness, "2026-04-28 08:11"))
    assert await sweep(harness) == 1 and "Dreigt te laat" in regie_cards(harness)[-1]


async def test_escalation_levels_n1_n2_n3(harness):
    # Three P3 tickets for one employee each, never picked up: the same norm is breached again.
    for _ in range(3):
        await new_ticket(harness, priority="P3")
    harness.clock.set(local(harness, "2026-04-28 12:00"))  # 4 working hours
    assert await sweep(harness) == 3
    breaches = [c for c in regie_cards(harness) if "Overschreden" in c]
    levels = sorted(next(level for level in ("N1", "N2", "N3") if f"Escalatie {level}" in c) for c in breaches)
    assert levels == ["N1", "N2", "N3"]
    n1 = next(c for c in breaches if "Escalatie N1" in c)
    assert "Functioneel Beheer Halt" in n1 and "1 werkdag" in n1 and "29-04-2026 12:00" in n1


def test_escalation_rules():
    assert escalation_level(same_norm_before=0, broad=False, critical=False, n2_before=0)[0] == "N1"
    assert escalation_level(same_norm_before=1, broad=False, critical=False, n2_before=0)[0] == "N2"
    assert escalation_level(same_norm_before=0, broad=True, critical=False, n2_before=0)[0] == "N2"
    assert escalation_level(same_norm_before=1, broad=False, critical=False, n2_before=1)[0] == "N3"
    assert escalation_level(same_norm_before=0, broad=False, critical=True, n2_before=0)[0] == "N3"


async def test_concurrent_sweeps_send_each_notice_once(harness):
    await new_ticket(harness, priority="P1")
    harness.clock.set(local(harness, "2026-04-28 08:20"))
    results = await asyncio.gather(*(sweep(harness) for _ in range(5)), return_exceptions=True)
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 1  # the warning is overtaken by the breach: one notice
    assert len([c for c in regie_cards(harness) if "Overschreden" in c]) == 1
    assert await sweep(harness) == 0


async def test_out_of_hours_p1_alerts_piket_once(database_url):
    h = await _start(
        database_url,
        piket_contact="Piketdienst ICT, 088 123 4567",
        piket_user_id=PIKET["aadObjectId"],
    )
    try:
        await h.say("help", user=PIKET)
        h.connector.clear()
        h.clock.set(local(h, "2026-04-28 22:30"))
        ticket_id = await new_ticket(h, priority="P1", uplift=True, motivation="crisisoverleg om 23:00", phone="0612345678")
        h.clock.set(local(h, "2026-04-28 22:31"))
        assert await sweep(h) >= 1
        piket_regie = [c for c in regie_cards(h) if "Piket" in c]
        assert len(piket_regie) == 1 and "088 123 4567" in piket_regie[0] and "0612345678" in piket_regie[0]
        personal = [c for c in h.connector.to(f"a:personal-{PIKET['aadObjectId']}") if c.cards]
        assert len(personal) == 1 and "crisisoverleg om 23:00" in personal[0].card_text()
        h.clock.set(local(h, "2026-04-28 22:32"))
        await sweep(h)
        assert len([c for c in regie_cards(h) if "Piket" in c]) == 1
        # In office hours a new P1 does not page the piket.
        h.clock.set(local(h, "2026-04-29 10:00"))
        await new_ticket(h, priority="P1", phone="0612345678")
        await sweep(h)
        assert len([c for c in regie_cards(h) if "Piket" in c]) == 1
        assert ticket_id
    finally:
        await stop_harness(h)
