"""Escalation as PvE §2.4.3 runs it, through HTTP into a real database: a breach opens an
escalation (its card in the regie and the servicedesk channel), regie assigns the level with a
reason, the supplier records cause and corrective action, open N2/N3 escalations come back every
week, regie closes with an evaluation. Each step once, across a restart and across replicas; every
step audited, a forged click refused; both cards updated in place."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

import app as app_module
from sla.clock import FixedClock
from sla.escalation import State
from storage.models import AuditEntry, CardRef, EscalationRow, OutboxMessage
from tests.servicedesk.desk import REGIE, audit_rows, card_of, line, local, message_of, new_ticket, strings, sweep
from tests.support import activities as acts
from tests.support.cards import actions_in, assert_valid_card
from tests.support.harness import harness_settings, start_harness, stop_harness


def _settings(database_url: str):
    return harness_settings(database_url, regie=frozenset({REGIE["aadObjectId"]}))


async def _start(database_url: str, clock=None):
    h = await start_harness(_settings(database_url), clock=clock)
    await h.link_channels()
    h.connector.clear()
    return h


@pytest.fixture
async def harness(database_url):
    h = await _start(database_url)
    yield h
    await stop_harness(h)


async def escalations(harness) -> list[EscalationRow]:
    async with harness.app[app_module.DATABASE].sessions() as session:
        return list((await session.execute(select(EscalationRow).order_by(EscalationRow.id))).scalars())


def posted(harness, channel: str) -> list:
    calls = [c for c in harness.connector.to(channel) if c.cards]
    for call in calls:
        for card in call.cards:
            assert_valid_card(card)
    return calls


async def click(harness, verb: str, row: EscalationRow, *, user, role: str = "regie", version: int | None = None, **inputs):
    data = {"escalatie": row.id, "versie": row.version if version is None else version, "rol": role, **inputs}
    status, body = await harness.execute(verb, data, user=user)
    assert status == 200
    return body


async def breach_one_p3(harness) -> EscalationRow:
    """A P3 reported at 08:00 that nobody reacts to: at 12:00 its reaction term (4 h) is breached."""
    await new_ticket(harness, priority="P3", description="Mijn laptop start niet op; wachtwoord staat op een briefje")
    harness.clock.set(local(harness, "2026-04-28 12:00"))
    assert await sweep(harness) == 1
    (row,) = await escalations(harness)
    return row


async def test_a_breach_opens_one_escalation_with_its_card_in_regie_and_servicedesk_once(harness):
    row = await breach_one_p3(harness)
    assert (row.level, row.proposed_level, row.state, row.norm) == ("N1", "N1", State.OPEN.value, "P3:first_response")
    assert row.start_by == local(harness, "2026-04-29 12:00")  # N1: start within 1 working day
    regie, desk = posted(harness, "19:regie"), posted(harness, "19:servicedesk")
    (regie_card,) = [c for c in regie if "Overschreden" in c.card_text()]
    (desk_card,) = [c for c in desk if "Overschreden" in c.card_text()]
    text = regie_card.card_text()
    assert "Escalatie N1 (operationeel)" in text and "Functioneel Beheer Halt" in text and "29-04-2026 12:00 (1 werkdag)" in text
    assert "laptop of computer, P3 (normaal)" in text  # its subject: never the reporter's words
    assert "briefje" not in text and "briefje" not in desk_card.card_text()
    assert "geen oorzaak opgegeven door de leverancier" in text
    # Regie's copy lets regie assign and close; the servicedesk's lets the supplier record the cause.
    assert {"escalatie_niveau", "escalatie_afsluiten"} <= _verbs(regie_card.cards[0])
    assert _verbs(desk_card.cards[0]) == {"escalatie_actie"}
    # Swept again, and after a restart (another process on the same database): nothing new.
    for at in ("2026-04-28 12:01", "2026-04-28 15:00"):
        harness.clock.set(local(harness, at))
        assert await sweep(harness) == 0
    assert len(await escalations(harness)) == 1
    assert len([c for c in posted(harness, "19:regie") if c.method == "POST" and "Overschreden" in c.card_text()]) == 1


async def test_regie_assigns_the_level_with_a_reason_and_both_cards_change_in_place(harness):
    row = await breach_one_p3(harness)
    before = len(harness.connector.calls)
    # An agent may not assign a level; a forged card (the right data, the wrong person) changes nothing.
    answer = await click(harness, "escalatie_niveau", row, user=acts.AGENT, escalatie_niveau_keuze="N3", escalatie_niveau_reden="zelf")
    assert message_of(answer) == "Alleen regie kan het niveau van een escalatie vaststellen."
    assert (await escalations(harness))[0].level == "N1"
    # Without a reason nothing changes either.
    answer = await click(harness, "escalatie_niveau", row, user=REGIE, escalatie_niveau_keuze="N2")
    assert "geef een reden" in message_of(answer)
    answer = await click(harness, "escalatie_niveau", row, user=REGIE, escalatie_niveau_keuze="N2",
                         escalatie_niveau_reden="Derde keer deze maand; dossier aanleggen.")
    card = card_of(answer)
    assert_valid_card(card)
    assert "Escalatie N2 (tactisch)" in strings(card) and "Niveau vastgesteld door Rita Regie (voorgesteld: N1): " in strings(card)
    (after,) = await escalations(harness)
    assert (after.level, after.proposed_level, after.state, after.version) == ("N2", "N1", State.ASSIGNED.value, 2)
    assert after.start_by == local(harness, "2026-05-01 12:00")  # N2: 3 working days from the opening
    await harness.settle()
    updates = [c for c in harness.connector.calls[before:] if c.method == "PUT"]
    assert sorted(c.conversation_id for c in updates) == ["19:regie", "19:servicedesk"]  # both copies, in place
    async with harness.app[app_module.DATABASE].sessions() as session:
        places = (await session.execute(select(CardRef).where(CardRef.escalation_id == row.id))).scalars().all()
    assert {(p.role, p.activity_id) for p in places} == {(c.conversation_id[3:], c.activity_id) for c in updates}
    # The same click on the card as it was drawn before: stale, nothing changes.
    answer = await click(harness, "escalatie_niveau", row, user=REGIE, escalatie_niveau_keuze="N3", escalatie_niveau_reden="nog een keer")
    assert "Deze kaart was verouderd" in card_of(answer)["body"][0]["text"]
    assert (await escalations(harness))[0].level == "N2"
    results = [(e.action, e.actor_id, e.result) for e in await audit_rows(harness) if e.action == "escalatie_niveau"]
    assert results == [
        ("escalatie_niveau", acts.AGENT["aadObjectId"], "refused_not_authorised"),
        ("escalatie_niveau", REGIE["aadObjectId"], "refused_invalid"),
        ("escalatie_niveau", REGIE["aadObjectId"], "done"),
        ("escalatie_niveau", REGIE["aadObjectId"], "refused_stale"),
    ]


async def test_the_supplier_records_cause_and_action_and_the_weekly_card_and_report_show_it(harness):
    row = await breach_one_p3(harness)
    answer = await click(harness, "escalatie_actie", row, user=REGIE, role="servicedesk", escalatie_oorzaak="x",
                         escalatie_herstelactie="y", escalatie_eigenaar="z", escalatie_datum="2026-05-08")
    assert message_of(answer) == "Alleen de servicedesk legt oorzaak en herstelactie vast."
    answer = await click(harness, "escalatie_actie", row, user=acts.AGENT, role="servicedesk",
                         escalatie_oorzaak="Bezetting te krap op dinsdagochtend.", escalatie_herstelactie="Extra dienst op dinsdag.",
                         escalatie_eigenaar="Teamleider servicedesk", escalatie_datum="2026-05-08")
    card = card_of(answer)
    assert "Bezetting te krap op dinsdagochtend." in strings(card) and "08-05-2026" in strings(card)
    assert _verbs(card) == {"escalatie_actie"}  # the servicedesk's copy, drawn again for the clicker
    (after,) = await escalations(harness)
    assert (after.cause, after.action_owner, after.state) == ("Bezetting te krap op dinsdagochtend.", "Teamleider servicedesk", "open")

    # The week's overleg card names the breach with its cause and action, and the open action.
    harness.clock.set(local(harness, "2026-05-04 08:30"))
    assert await harness.app[app_module.JOBS].weekly_summary() is True
    (summary,) = [c for c in posted(harness, "19:overleg")]
    text = summary.card_text()
    assert "oorzaak: Bezetting te krap op dinsdagochtend. (klok: te laat); actie: Extra dienst op dinsdag. (Teamleider servicedesk, 2026-05-08)" in text
    assert "Open acties: 1" in text and "Open escalaties: 1" in text


async def test_open_n2_escalations_are_brought_up_weekly_until_regie_closes_them(database_url):
    h = await _start(database_url)
    try:
        row = await breach_one_p3(h)
        jobs = h.app[app_module.JOBS]
        h.clock.set(local(h, "2026-05-04 08:30"))  # week 19: only an N1, nothing to remind
        assert await jobs.escalation_reminder() is True
        assert [c for c in posted(h, "19:regie") if "Open escalaties" in c.card_text()] == []
        await click(h, "escalatie_niveau", row, user=REGIE, escalatie_niveau_keuze="N2", escalatie_niveau_reden="Structureel.")
        h.clock.set(local(h, "2026-05-11 08:30"))  # week 20
        assert await jobs.escalation_reminder() is True
        assert await jobs.escalation_reminder() is False  # once per week
    finally:
        await stop_harness(h)
    # After a restart (a new process on the same database): still once in week 20, and again in week 21.
    h = await _start(database_url, clock=None)
    try:
        jobs = h.app[app_module.JOBS]
        h.clock.set(local(h, "2026-05-11 09:00"))
        assert await jobs.escalation_reminder() is False
        h.clock.set(local(h, "2026-05-18 08:30"))
        assert await jobs.escalation_reminder() is True
        (reminder,) = [c for c in posted(h, "19:regie") if "Open escalaties" in c.card_text()]
        assert "Open escalaties N2/N3, week 2026-W21: 1" in reminder.card_text()
        row = (await escalations(h))[0]
        answer = await click(h, "escalatie_afsluiten", row, user=acts.AGENT, escalatie_evaluatie="klaar")
        assert message_of(answer) == "Alleen regie kan een escalatie afsluiten."
        answer = await click(h, "escalatie_afsluiten", row, user=REGIE,
                             escalatie_evaluatie="Snel opgelost, goede samenwerking; les: bezetting op dinsdag.")
        assert "Evaluatie" in strings(card_of(answer)) and not _verbs(card_of(answer))
        closed = (await escalations(h))[0]
        assert closed.state == State.CLOSED.value and closed.closed_at == local(h, "2026-05-18 08:30")
        answer = await click(h, "escalatie_afsluiten", closed, user=REGIE, escalatie_evaluatie="nog eens")
        assert "Een afgesloten escalatie kan niet nog eens dicht." in message_of(answer)
        h.clock.set(local(h, "2026-05-25 08:30"))  # week 22: nothing open, no reminder
        assert await jobs.escalation_reminder() is True
        assert [c for c in posted(h, "19:regie") if "Open escalaties" in c.card_text()] == [reminder]
        async with h.app[app_module.DATABASE].sessions() as session:
            audited = (await session.execute(select(func.count()).select_from(AuditEntry).where(AuditEntry.result == "done"))).scalar_one()
        assert audited == 2  # the level and the closure, each in its own transaction with its change
    finally:
        await stop_harness(h)


@pytest.mark.postgres
async def test_two_replicas_sweeping_and_clicking_at_once_open_and_move_each_escalation_once(postgres_database_url):
    first = await _start(postgres_database_url)
    second = await start_harness(_settings(postgres_database_url), clock=first.clock)
    try:
        for _ in range(3):
            await new_ticket(first, priority="P3")
        first.clock.set(local(first, "2026-04-28 12:00"))
        results = await asyncio.gather(*(sweep(h) for h in (first, second, first, second)))
        assert sum(results) == 3
        rows = await escalations(first)
        assert sorted(r.level for r in rows) == ["N1", "N2", "N3"]  # the same norm again, then an N2 after an N2
        async with first.app[app_module.DATABASE].sessions() as session:
            cards = (await session.execute(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.payload["kind"].as_string() == "escalation"))).scalar_one()
        assert cards == 6  # one per escalation and channel
        # Regie on two devices, two replicas: one click wins, the other sees a fresh card.
        row = rows[0]
        answers = await asyncio.gather(*(
            click(h, "escalatie_niveau", row, user=REGIE, escalatie_niveau_keuze=level, escalatie_niveau_reden="tegelijk")
            for h, level in ((first, "N2"), (second, "N3"))
        ))
        stale = [a for a in answers if "Deze kaart was verouderd" in card_of(a)["body"][0]["text"]]
        assert len(stale) == 1
        assert (await escalations(first))[0].version == 2
        # The weekly reminder and the monthly job: once, whichever replica asks.
        await click(first, "escalatie_niveau", (await escalations(first))[0], user=REGIE, escalatie_niveau_keuze="N2", escalatie_niveau_reden="n2")
        first.clock.set(local(first, "2026-05-04 08:30"))
        assert sorted(await asyncio.gather(first.app[app_module.JOBS].escalation_reminder(), second.app[app_module.JOBS].escalation_reminder())) == [False, True]
    finally:
        await stop_harness(second)
        await stop_harness(first)


async def test_a_missed_monthly_norm_becomes_an_escalation_on_the_first_working_day_once(harness):
    await breach_one_p3(harness)  # April: P3 reaction 0 of 1 within norm, and its resolution (due 30 April 12:00)
    jobs = harness.app[app_module.JOBS]
    harness.clock.set(local(harness, "2026-05-01 08:59"))  # Friday 1 May: the month's first working day
    assert await jobs.monthly_report() is False  # not before 09:00 on the first working day
    harness.clock.set(local(harness, "2026-05-01 09:00"))
    assert await jobs.monthly_report() is True
    assert await jobs.monthly_report() is False
    norm = [r for r in await escalations(harness) if r.trigger == "norm_missed"]
    assert [(r.norm, r.level, r.period) for r in norm] == [("P3:first_response", "N2", "2026-04"), ("P3:resolution", "N2", "2026-04")]
    (card,) = [c for c in posted(harness, "19:regie") if "Servicelevelrapport" in c.card_text()]
    text = card.card_text()
    assert "Servicelevelrapport april 2026" in text and "report monthly --month 2026-04" in text  # no link set up: the command
    assert any("Maandnorm niet gehaald (2026-04): P3 reactietermijn" in c.card_text() for c in posted(harness, "19:regie"))
    harness.clock.set(local(harness, "2026-05-20 09:00"))
    assert await jobs.monthly_report() is False


async def test_a_missed_backlog_norm_shows_how_many_open_tickets_are_too_old(database_url):
    # The backlog norm: at most 5% (and 20) of the open tickets older than 10 working days.
    h = await _start(database_url, clock=FixedClock(datetime(2026, 4, 1, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))))
    try:
        await new_ticket(h, priority="P3", description="Scanner op de tweede verdieping")  # still open on 30 April
        h.clock.set(local(h, "2026-05-01 09:00"))
        assert await h.app[app_module.JOBS].monthly_report() is True
        (call,) = [c for c in posted(h, "19:regie") if "Maandnorm niet gehaald (2026-04): achterstand" in c.card_text()]
        assert line(call.cards[0], "Resultaat") == "1 van 1 open ouder dan 10 werkdagen"
    finally:
        await stop_harness(h)


def _verbs(card: dict) -> set[str]:
    return {action["verb"] for action in actions_in(card) if action["type"] == "Action.Execute"}


def test_the_escalation_steps_are_allowed_only_in_open_states():
    from sla.escalation import STEPS, Step, may

    assert all(may(step, State.OPEN) and may(step, State.ASSIGNED) for step in Step)
    assert not any(may(step, State.CLOSED) for step in STEPS)
