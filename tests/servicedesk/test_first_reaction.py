"""The first substantive reaction, as the annex defines it and the PvE asks it of a P1, recorded
from the servicedesk card over HTTP into SQLite and PostgreSQL.

Annex, "Eerste inhoudelijke reactie": "De eerste terugkoppeling aan de melder waaruit blijkt dat de
melding inhoudelijk is beoordeeld, de prioriteit voorlopig is vastgesteld en duidelijk is welke
vervolgstap wordt gezet." PvE §10.1 P1: "Reactietijd: ≤ 15 min (telefonisch contact verplicht)".
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from sla import events as ev
from tests.servicedesk import desk
from tests.servicedesk.desk import REGIE, card_of, click, message_of, new_ticket
from tests.support import activities as acts
from tests.support.cards import assert_valid_card
from tests.support.harness import stop_harness

MISSING = "Nog nodig voor de eerste reactie"
CLOCK = "Eerste inhoudelijke reactie"  # the fold's clock on the card


@pytest.fixture
async def harness(database_url):
    h = await desk.open_desk(database_url, regie=frozenset({REGIE["aadObjectId"]}))
    yield h
    await stop_harness(h)


def _kinds(events) -> list[str]:
    return [e.kind for e in events]


async def test_annex_first_reaction_given_with_oppakken_tells_the_reporter_priority_and_next_step(harness):
    ticket_id = await new_ticket(harness, description="Mijn laptop start niet op")
    posted = [c for c in harness.connector.to("19:servicedesk") if c.method == "POST"][-1]
    assert_valid_card(posted.cards[0])
    assert "Volgende stap" in posted.card_text() and "Prioriteit (voorlopig)" in posted.card_text()
    harness.clock.advance(timedelta(minutes=20))
    status, body = await click(
        harness, "oppakken", ticket_id, prioriteit_voorlopig="P3",
        vervolgstap="Ik zet een leenlaptop voor je klaar.", notitie="Kom om 11:00 langs bij de balie.",
    )
    card = card_of(body)
    assert_valid_card(card)
    assert desk.line(card, MISSING) is None and "Oppakken" not in desk.strings(card)
    assert desk.line(card, CLOCK) == "gedaan vandaag om 08:20"  # the reaction is the first response
    events = await desk.events(harness, ticket_id)
    assert _kinds(events)[1:] == [ev.ACKNOWLEDGED, ev.REACTION]
    reaction = events[-1].data
    assert (reaction["priority"], reaction["next_step"], reaction["text"], reaction["agent_name"]) == (
        "P3", "Ik zet een leenlaptop voor je klaar.", "Kom om 11:00 langs bij de balie.", "Karim Bouali"
    )
    t = await desk.ticket(harness, ticket_id)
    assert (t.status, t.owner_name, t.treatment_line) == ("opgepakt", "Karim Bouali", "1")
    [told] = harness.replies_to_employee()  # one message: picked up, assessed, what comes next
    assert "Karim Bouali heeft je melding **M-1** bekeken." in told
    assert "De prioriteit is voorlopig P3 (normaal)." in told
    assert "Volgende stap: Ik zet een leenlaptop voor je klaar." in told
    assert "Bericht van Karim Bouali: Kom om 11:00 langs bij de balie." in told
    [entry] = await desk.audit_rows(harness, ticket_id=ticket_id)
    assert (entry.action, entry.result, entry.details["reaction"]) == ("oppakken", "done", True)


async def test_annex_a_bare_pick_up_is_no_first_reaction_and_the_card_says_what_is_missing(harness):
    ticket_id = await new_ticket(harness)
    status, body = await click(harness, "oppakken", ticket_id, notitie="Ik kijk ernaar.")
    card = card_of(body)
    assert_valid_card(card)
    assert desk.line(card, MISSING) == (
        "de prioriteit voorlopig vaststellen en de volgende stap aan de melder laten weten (Reageren)"
    )
    assert desk.line(card, CLOCK).startswith("uiterlijk vandaag om 12:00")  # "Oppakken" does not stop it
    assert "Reageren" in desk.strings(card)
    assert _kinds(await desk.events(harness, ticket_id))[-1] == ev.ACKNOWLEDGED
    assert any("Karim Bouali heeft je melding" in m and "Ik kijk ernaar." in m for m in harness.replies_to_employee())

    harness.connector.clear()
    status, body = await click(harness, "reactie", ticket_id, prioriteit_voorlopig="P3", vervolgstap="Ik bel je om 10:00.")
    card = card_of(body)
    assert_valid_card(card)
    assert desk.line(card, MISSING) is None
    assert "Reageren" not in desk.strings(card) and "Update naar melder" in desk.strings(card)
    [told] = harness.replies_to_employee()
    assert "Volgende stap: Ik bel je om 10:00." in told and "Bericht van" not in told
    # Everyone's copy of the card was redrawn in place too.
    redrawn = [c for c in harness.connector.to("19:servicedesk") if c.method == "PUT"]
    assert redrawn and desk.line(redrawn[-1].cards[0], MISSING) is None


async def test_annex_priority_changed_in_the_first_reaction_needs_a_reason_and_a_p1_reaches_regie(harness):
    ticket_id = await new_ticket(harness)
    await click(harness, "oppakken", ticket_id)
    before = await desk.ticket(harness, ticket_id)
    status, body = await click(harness, "reactie", ticket_id, prioriteit_voorlopig="P1", vervolgstap="Ik bel je nu.")
    assert "geef dan ook de reden" in message_of(body)
    assert (await desk.ticket(harness, ticket_id)).version == before.version
    harness.connector.clear()
    status, body = await click(
        harness, "reactie", ticket_id, prioriteit_voorlopig="P1", prioriteit_voorlopig_reden="Je moet om 10:00 op zitting.",
        vervolgstap="Ik bel je nu.",
    )
    assert_valid_card(card_of(body))
    t = await desk.ticket(harness, ticket_id)
    assert t.priority == "P1" and t.resolution_due == t.opened_at + timedelta(hours=4)
    events = await desk.events(harness, ticket_id)
    assert _kinds(events)[-2:] == [ev.PRIORITY_CHANGED, ev.REACTION]
    assert events[-2].data["reason"] == "Je moet om 10:00 op zitting." and events[-1].data["priority"] == "P1"
    [told] = harness.replies_to_employee()
    assert "De prioriteit is nu P1 (kritiek); eerst was dat P3 (normaal). Reden: Je moet om 10:00 op zitting." in told
    assert "We willen het uiterlijk vandaag om 12:00 opgelost hebben." in told
    regie = [c for c in harness.connector.to("19:regie") if c.method == "POST"]
    assert len(regie) == 1 and "Prioriteit verhoogd naar P1 (kritiek): M-1 (was P3)" in regie[0].card_text()


async def test_pve_p1_telephone_contact_is_registered_with_gebeld_reached_or_not(harness):
    ticket_id = await new_ticket(harness, priority="P1", phone="0612345678")
    posted = [c for c in harness.connector.to("19:servicedesk") if c.method == "POST"][-1]
    assert "Gebeld" in desk.strings(posted.cards[0]) and "de melder bellen (Gebeld)" in desk.line(posted.cards[0], MISSING)
    status, body = await click(harness, "oppakken", ticket_id, prioriteit_voorlopig="P1", vervolgstap="Ik bel je direct.")
    card = card_of(body)
    assert desk.line(card, MISSING) == "de melder bellen (Gebeld)"
    assert desk.line(card, CLOCK + " (bel de melder)").startswith("uiterlijk vandaag om 08:15")

    harness.connector.clear()
    harness.clock.advance(timedelta(minutes=3))
    status, body = await click(harness, "gebeld", ticket_id, gebeld_bereikt="nee", gebeld_notitie="voicemail")
    assert_valid_card(card_of(body))
    [told] = harness.replies_to_employee()
    assert "Karim Bouali belde je over je melding **M-1**, maar kreeg je niet te pakken." in told
    assert "we bellen je opnieuw" in told
    assert "voicemail" not in told  # the note is for the servicedesk

    harness.connector.clear()
    status, body = await click(harness, "gebeld", ticket_id, gebeld_bereikt="ja")
    card = card_of(body)
    assert_valid_card(card)
    assert desk.line(card, MISSING) is None
    assert desk.line(card, CLOCK + " (bel de melder)") == "gedaan vandaag om 08:03"  # reaction and a call that reached
    assert harness.replies_to_employee() == []  # they just spoke on the phone
    calls = [e for e in await desk.events(harness, ticket_id) if e.kind == ev.CALL_REGISTERED]
    assert [(e.data["reached"], e.data["note"]) for e in calls] == [(False, "voicemail"), (True, None)]
    assert [r.action for r in await desk.audit_rows(harness, ticket_id=ticket_id, result="done")] == ["oppakken", "gebeld", "gebeld"]


async def test_a_forged_or_unauthorised_reaction_or_call_changes_nothing(harness):
    ticket_id = await new_ticket(harness, priority="P1", phone="0612345678")
    await click(harness, "oppakken", ticket_id, user=acts.OTHER_AGENT)
    before = await desk.ticket(harness, ticket_id)
    n_events = len(await desk.events(harness, ticket_id))
    harness.connector.clear()
    status, body = await click(harness, "reactie", ticket_id, user=acts.STRANGER, prioriteit_voorlopig="P1", vervolgstap="x")
    assert "Alleen medewerkers" in message_of(body)
    status, body = await click(harness, "gebeld", ticket_id, user=REGIE, gebeld_bereikt="ja")
    assert "Alleen medewerkers" in message_of(body)
    # "Oppakken" with a next step on a ticket that someone owns is no pick-up, whatever the card says.
    status, body = await click(harness, "oppakken", ticket_id, prioriteit_voorlopig="P1", vervolgstap="ik neem het over")
    assert "Je kunt deze melding niet meer oppakken." in message_of(body)
    status, body = await click(harness, "gebeld", ticket_id, gebeld_bereikt="misschien")
    assert "Kies of je de melder hebt bereikt" in message_of(body)
    after = await desk.ticket(harness, ticket_id)
    assert (after.version, after.owner_name) == (before.version, "Eva Jansen")
    assert len(await desk.events(harness, ticket_id)) == n_events
    assert harness.replies_to_employee() == []
    results = [(r.actor_id, r.action, r.result) for r in await desk.audit_rows(harness, ticket_id=ticket_id)][1:]
    assert results == [
        (acts.STRANGER["aadObjectId"], "reactie", "refused_not_authorised"),
        (REGIE["aadObjectId"], "gebeld", "refused_not_authorised"),
        (acts.AGENT["aadObjectId"], "oppakken", "refused_invalid"),
        (acts.AGENT["aadObjectId"], "gebeld", "refused_invalid"),
    ]
