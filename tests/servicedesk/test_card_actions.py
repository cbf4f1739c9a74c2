"""Every servicedesk card action through HTTP, as Teams sends it (``adaptiveCard/action``).

Authorisation by the clicker's object id only, stale cards refused with the fresh card, one
change (and one audit entry) per click however often or however many people click.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

import app as app_module
from sla import events as ev
from storage import audit
from storage.models import AuditEntry
from tests.servicedesk import desk
from tests.servicedesk.desk import REGIE, card_of, click, message_of, new_ticket
from tests.support import activities as acts
from tests.support.cards import actions_in, assert_valid_card
from tests.support.harness import harness_settings, start_harness, stop_harness


@pytest.fixture
async def harness(database_url):
    h = await start_harness(harness_settings(database_url, regie=frozenset({REGIE["aadObjectId"]})))
    await h.link_channels()
    await h.say("help")  # the reporter has talked to the bot: messages can reach them
    h.connector.clear()
    yield h
    await stop_harness(h)


def _sent_to_reporter(harness) -> list[str]:
    return harness.replies_to_employee()


def _card_updates(harness) -> list:
    return [c for c in harness.connector.to("19:servicedesk") if c.method == "PUT"]


async def test_every_action_changes_the_ticket_tells_the_reporter_and_redraws_the_card(harness):
    # Eva has worked on another ticket, so she is offered as someone to hand over to.
    other = await new_ticket(harness, description="printer kapot")
    await click(harness, "oppakken", other, user=acts.OTHER_AGENT)
    ticket_id = await new_ticket(harness, description="Outlook synchroniseert niet")
    posted = [c for c in harness.connector.to("19:servicedesk") if c.method == "POST"][-1]
    assert_valid_card(posted.cards[0])
    assert "Oppakken" in posted.card_text() and "Outlook synchroniseert niet" in posted.card_text()
    before = len(_sent_to_reporter(harness))

    # Oppakken, with the first note to the reporter (the first response).
    harness.clock.advance(timedelta(minutes=5))
    status, body = await click(harness, "oppakken", ticket_id, notitie="Ik kijk er nu naar.")
    assert status == 200
    card = card_of(body)
    assert_valid_card(card)
    t = await desk.ticket(harness, ticket_id)
    assert (t.status, t.owner_name, t.first_response_at) == ("opgepakt", "Karim Bouali", harness.clock.now())
    assert any("Karim Bouali heeft je melding" in m and "Ik kijk er nu naar." in m for m in _sent_to_reporter(harness)[before:])
    assert "Eva Jansen" in " ".join(desk.strings(card))  # hand-over choice

    # Update naar melder: the text reaches the reporter at once, as an AGENT_UPDATE.
    before = len(_sent_to_reporter(harness))
    status, body = await click(harness, "update", ticket_id, update_tekst="We vervangen je profiel, duurt 10 minuten.")
    assert_valid_card(card_of(body))
    assert any("We vervangen je profiel" in m for m in _sent_to_reporter(harness)[before:])
    assert (await desk.events(harness, ticket_id))[-1].kind == ev.AGENT_UPDATE

    # Wacht op derde is recorded and told, but under halt it stops no clock (PvE §10.1.3: the
    # supplier stays responsible "ook met derden"); Hervat ends the wait.
    t = await desk.ticket(harness, ticket_id)
    resolution_before = t.resolution_due
    status, body = await click(harness, "wacht", ticket_id, wacht_partij="Microsoft", wacht_reden="storing bij Exchange Online")
    assert_valid_card(card_of(body))
    assert "Microsoft sinds" in " ".join(desk.strings(card_of(body)))  # the wait on the card
    t = await desk.ticket(harness, ticket_id)
    assert t.status == "wacht_op_derde" and t.resolution_due == resolution_before
    assert any("wachten we op Microsoft" in m for m in _sent_to_reporter(harness))
    harness.clock.advance(timedelta(hours=1))
    before = len(_sent_to_reporter(harness))
    status, body = await click(harness, "hervat", ticket_id)
    assert_valid_card(card_of(body))
    t = await desk.ticket(harness, ticket_id)
    assert t.status == "opgepakt" and t.resolution_due == resolution_before
    (resumed,) = _sent_to_reporter(harness)[before:]  # the reporter hears the deadline as it is now
    assert resumed.startswith("We werken weer aan je melding **M-2**.") and "We willen het uiterlijk " in resumed

    # Prioriteit wijzigen: recomputed from the report time; the reporter is told the reason.
    status, body = await click(harness, "prioriteit", ticket_id, prioriteit="P2", prioriteit_reden="Het hele team heeft er last van")
    assert_valid_card(card_of(body))
    t = await desk.ticket(harness, ticket_id)
    assert t.priority == "P2"
    assert t.first_response_due == t.opened_at + timedelta(hours=1)  # 08:00 + 1 working hour
    (changed,) = [m for m in _sent_to_reporter(harness) if "P3 (normaal) naar P2 (hoog)" in m]
    assert "Het hele team" in changed and changed.endswith("Je hoort elke 2 uur hoe het ervoor staat.")  # the new rhythm

    # Noodoplossing (stabilisation).
    status, body = await click(harness, "noodoplossing", ticket_id, noodoplossing_tekst="Outlook op het web gebruiken")
    assert_valid_card(card_of(body))
    assert (await desk.events(harness, ticket_id))[-1].kind == ev.WORKAROUND
    assert any("noodoplossing" in m and "Outlook op het web" in m for m in _sent_to_reporter(harness))

    # Overdragen to another agent.
    status, body = await click(harness, "overdragen", ticket_id, overdragen_naar=acts.OTHER_AGENT["aadObjectId"])
    assert_valid_card(card_of(body))
    t = await desk.ticket(harness, ticket_id)
    assert (t.owner_id, t.owner_name) == (acts.OTHER_AGENT["aadObjectId"], "Eva Jansen")

    # Opgelost, with the solution (first-time-fix is not asked: the hand-overs between lines tell).
    status, body = await click(harness, "opgelost", ticket_id, user=acts.OTHER_AGENT, oplossing="Profiel opnieuw aangemaakt")
    card = card_of(body)
    assert_valid_card(card)
    t = await desk.ticket(harness, ticket_id)
    assert t.status == "opgelost" and t.resolved_at == harness.clock.now() and t.next_update_due is None
    resolved = (await desk.events(harness, ticket_id))[-1]
    assert resolved.kind == ev.RESOLVED and "first_time_fix" not in resolved.data  # the hand-overs tell
    assert any("is opgelost: Profiel opnieuw aangemaakt" in m for m in _sent_to_reporter(harness))
    assert "Heropenen" in desk.strings(card)

    # Heropenen.
    before = len(_sent_to_reporter(harness))
    status, body = await click(harness, "heropenen", ticket_id, heropen_reden="Je Outlook loopt nog steeds vast")
    assert_valid_card(card_of(body))
    t = await desk.ticket(harness, ticket_id)
    assert t.status == "opgepakt" and t.resolved_at is None
    assert _sent_to_reporter(harness)[before:] == [
        "De servicedesk heeft je melding **M-2** weer geopend en gaat er opnieuw mee aan de slag.\n\n"
        "Dit schreef de servicedesk erbij: Je Outlook loopt nog steeds vast"
    ]

    # Every change redrew the one card in place, for everyone, and is in the audit trail.
    updates = [c for c in _card_updates(harness) if c.activity_id == posted.body.get("id", c.activity_id)]
    assert len(updates) >= 9
    for update in updates:
        assert_valid_card(update.cards[0])
    done = [row.action for row in await desk.audit_rows(harness, ticket_id=ticket_id, result="done")]
    assert done == ["oppakken", "update", "wacht", "hervat", "prioriteit", "noodoplossing", "overdragen", "opgelost", "heropenen"]
    async with harness.app[app_module.DATABASE].sessions() as session:
        assert (await audit.verify(session)).ok


async def test_unauthorised_clicker_is_refused_ticket_unchanged_refusal_audited(harness):
    ticket_id = await new_ticket(harness)
    await click(harness, "oppakken", ticket_id)
    before = await desk.ticket(harness, ticket_id)
    n_events = len(await desk.events(harness, ticket_id))
    # The card's data claims a role and an owner: it grants nothing.
    status, body = await click(
        harness, "opgelost", ticket_id, user=acts.STRANGER,
        oplossing="klaar", role="admin", aadObjectId=acts.AGENT["aadObjectId"],
    )
    assert status == 200 and "Alleen medewerkers van de servicedesk" in message_of(body)
    status, body = await click(harness, "oppakken", ticket_id, user=acts.STRANGER)
    assert "Alleen medewerkers van de servicedesk" in message_of(body)
    # Regie may change a priority, but not resolve.
    status, body = await click(harness, "opgelost", ticket_id, user=REGIE, oplossing="klaar")
    assert "Alleen medewerkers" in message_of(body)
    after = await desk.ticket(harness, ticket_id)
    assert (after.version, after.status, after.resolved_at) == (before.version, "opgepakt", None)
    assert len(await desk.events(harness, ticket_id)) == n_events
    refused = await desk.audit_rows(harness, result="refused_not_authorised")
    assert [(r.actor_id, r.action, r.ticket_id) for r in refused] == [
        (acts.STRANGER["aadObjectId"], "opgelost", ticket_id),
        (acts.STRANGER["aadObjectId"], "oppakken", ticket_id),
        (REGIE["aadObjectId"], "opgelost", ticket_id),
    ]
    status, body = await click(harness, "prioriteit", ticket_id, user=REGIE, prioriteit="P2", prioriteit_reden="meerdere teams")
    assert_valid_card(card_of(body))
    assert (await desk.ticket(harness, ticket_id)).priority == "P2"


async def test_a_stale_card_is_refused_with_the_fresh_card(harness):
    ticket_id = await new_ticket(harness)
    drawn_at = (await desk.ticket(harness, ticket_id)).version
    await click(harness, "oppakken", ticket_id, user=acts.OTHER_AGENT)
    current = await desk.ticket(harness, ticket_id)
    status, body = await click(harness, "update", ticket_id, version=drawn_at, update_tekst="oud bericht")
    card = card_of(body)
    assert_valid_card(card)
    assert "verouderd" in card["body"][0]["text"]
    executes = [a for a in actions_in(card) if a.get("type") == "Action.Execute"]
    assert executes and all(a["data"]["versie"] == current.version for a in executes)
    after = await desk.ticket(harness, ticket_id)
    assert after.version == current.version
    assert all(e.kind != ev.AGENT_UPDATE for e in await desk.events(harness, ticket_id))
    assert not any("oud bericht" in m for m in harness.replies_to_employee())
    assert [r.result for r in await desk.audit_rows(harness, action="update")] == ["refused_stale"]
    # A card without a version is never taken as current.
    status, body = await harness.execute("update", {"ticket": ticket_id, "update_tekst": "zonder versie"})
    assert "verouderd" in card_of(body)["body"][0]["text"]




async def test_a_double_click_changes_the_ticket_once(harness):
    ticket_id = await new_ticket(harness)
    await click(harness, "oppakken", ticket_id)
    version = (await desk.ticket(harness, ticket_id)).version
    first, second = await asyncio.gather(
        click(harness, "wacht", ticket_id, version=version, wacht_partij="Dell", wacht_reden="onderdeel"),
        click(harness, "wacht", ticket_id, version=version, wacht_partij="Dell", wacht_reden="onderdeel"),
    )
    for status, body in (first, second):
        assert status == 200
        card = card_of(body)
        assert_valid_card(card)
        assert "verouderd" not in str(card["body"][0])  # the same click again is not an error
    assert [e.kind for e in await desk.events(harness, ticket_id)].count(ev.PAUSED) == 1
    assert len(await desk.audit_rows(harness, action="wacht")) == 1
    assert sum("wachten we op Dell" in m for m in harness.replies_to_employee()) == 1


async def test_fifty_concurrent_acknowledge_clicks_from_three_agents_change_the_ticket_once(harness):
    ticket_id = await new_ticket(harness, priority="P1", phone="0612345678")
    before = len(harness.replies_to_employee())
    version = (await desk.ticket(harness, ticket_id)).version
    agents = (acts.AGENT, acts.OTHER_AGENT, acts.THIRD_AGENT)
    results = await asyncio.gather(
        *(
            harness.execute("oppakken", {"ticket": ticket_id, "versie": version, "notitie": f"klik {i}"}, user=agents[i % 3])
            for i in range(50)
        )
    )
    await harness.settle()
    for status, body in results:
        assert status == 200
        assert_valid_card(card_of(body))
    t = await desk.ticket(harness, ticket_id)
    assert t.status == "opgepakt" and t.version == version + 1
    assert [e.kind for e in await desk.events(harness, ticket_id)].count(ev.ACKNOWLEDGED) == 1
    rows = await desk.audit_rows(harness, ticket_id=ticket_id)
    assert len(rows) == 1 and (rows[0].action, rows[0].result, rows[0].actor_id) == ("oppakken", "done", t.owner_id)
    told = [m for m in harness.replies_to_employee()[before:] if "heeft je melding" in m and "opgepakt" in m]
    assert len(told) == 1 and t.owner_name in told[0]
    assert await desk.count(harness, AuditEntry) == 1


async def test_action_submit_fallback_is_handled_like_action_execute(harness):
    ticket_id = await new_ticket(harness)
    posted = [c for c in harness.connector.to("19:servicedesk") if c.method == "POST"][-1]
    card_activity = posted.body.get("id") or "sent-1"

    def submit(value: dict, user=acts.AGENT) -> dict:
        activity = acts.channel_message(harness.service_url, "", user=user, channel="19:servicedesk")
        activity["text"] = ""
        activity.pop("entities", None)
        activity["value"] = value
        activity["replyToId"] = card_activity
        return activity

    status, _ = await harness.post(submit({"verb": "oppakken", "ticket": ticket_id, "versie": 1, "notitie": "Ik bel je."}))
    assert status == 200
    t = await desk.ticket(harness, ticket_id)
    assert t.status == "opgepakt" and t.owner_name == "Karim Bouali"
    assert any("Ik bel je." in m for m in harness.replies_to_employee())
    # A stale submit: the clicked card is redrawn in place and the clicker is told.
    harness.connector.clear()
    status, _ = await harness.post(submit({"verb": "update", "ticket": ticket_id, "versie": 1, "update_tekst": "x"}))
    assert status == 200
    calls = harness.connector.to("19:servicedesk")
    assert any(c.method == "PUT" for c in calls)
    assert any("verouderd" in c.text for c in calls if c.method == "POST")
    # Not an agent: refused in words, nothing changes.
    status, _ = await harness.post(
        submit({"verb": "opgelost", "ticket": ticket_id, "versie": t.version, "oplossing": "x"}, user=acts.STRANGER)
    )
    assert (await desk.ticket(harness, ticket_id)).status == "opgepakt"
    assert any("Alleen medewerkers" in c.text for c in harness.connector.to("19:servicedesk"))


async def test_missing_input_is_refused_with_a_clear_message(harness):
    ticket_id = await new_ticket(harness)
    await click(harness, "oppakken", ticket_id)
    version = (await desk.ticket(harness, ticket_id)).version
    for verb, inputs in (
        ("prioriteit", {"prioriteit": "P2"}),
        ("prioriteit", {"prioriteit": "P9", "prioriteit_reden": "x"}),
        ("wacht", {"wacht_partij": "Dell"}),
        ("opgelost", {"oplossing": "   "}),
        ("update", {"update_tekst": "   "}),
        ("overdragen", {"overdragen_naar": acts.STRANGER["aadObjectId"]}),
        ("hervat", {}),
        ("heropenen", {"heropen_reden": "x"}),
    ):
        status, body = await click(harness, verb, ticket_id, **inputs)
        assert status == 200 and message_of(body), verb
    assert (await desk.ticket(harness, ticket_id)).version == version
    status, body = await harness.execute("bestaat-niet", {"ticket": ticket_id, "versie": version})
    assert message_of(body) == "Deze knop ken ik niet."


NEW_ACTIONS = [
    ("reactie", {"prioriteit_voorlopig": "P3", "vervolgstap": "ik bel je"}),
    ("gebeld", {"gebeld_bereikt": "ja"}),
    ("afspraak", {"afgesproken_datum": "2026-05-05"}),
    ("leentoestel", {}),
    ("toestel_geleverd", {"toestel_hoe": "loaner"}),
    ("monteur", {"monteur_locatie": "Utrecht"}),
    ("monteur_ter_plaatse", {}),
    ("beveiliging", {"beveiliging_soort": "datalek", "datalek": "ja"}),
    ("ingedamd", {"ingedamd_notitie": "geblokkeerd"}),
    ("gemeld_bij_ap", {}),
    ("major_incident", {"major_titel": "Storing"}),
    ("koppelen", {"koppelen_aan": "M-1"}),
    ("rca", {"rca_samenvatting": "oorzaak"}),
]


@pytest.mark.parametrize("verb, inputs", NEW_ACTIONS, ids=[verb for verb, _ in NEW_ACTIONS])
async def test_a_stranger_or_a_card_claiming_a_role_changes_nothing_with_any_new_action(harness, verb, inputs):
    ticket_id = await new_ticket(harness)
    await click(harness, "oppakken", ticket_id)
    before = await desk.ticket(harness, ticket_id)
    n_events = len(await desk.events(harness, ticket_id))
    harness.connector.clear()
    status, body = await click(
        harness, verb, ticket_id, user=acts.STRANGER, role="admin", aadObjectId=acts.AGENT["aadObjectId"], **inputs
    )
    assert status == 200 and "Alleen medewerkers van de servicedesk" in message_of(body)
    after = await desk.ticket(harness, ticket_id)
    assert after.version == before.version and len(await desk.events(harness, ticket_id)) == n_events
    assert harness.replies_to_employee() == [] and not [c for c in harness.connector.calls if c.method == "PUT"]
    [refused] = await desk.audit_rows(harness, result="refused_not_authorised")
    assert (refused.actor_id, refused.action, refused.ticket_id) == (acts.STRANGER["aadObjectId"], verb, ticket_id)
