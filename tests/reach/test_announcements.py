"""The servicedesk announces from its channel; regie approves what the rules refuse (issue 19).

Through HTTP with real activities: the agent's "aankondiging" in the servicedesk channel, the form
sent with Action.Execute, regie's click on the card, the employees' personal chats at the stub Teams.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

import app as app_module
from bot import announcements as form
from bot.reach_cards import IN_TEXT, VERB_APPROVE, VERB_FOLLOW_UP, VERB_RESOLVED
from storage import audit
from tests.servicedesk.desk import REGIE, audit_rows, card_of, message_of, open_desk, strings
from tests.support import activities as acts
from tests.support.harness import stop_harness

COLLEAGUE = acts.person("Joost van Dijk", "aaaaaaaa-0000-0000-0000-000000000011")


@pytest.fixture
async def harness(database_url):
    # Tuesday 28 April 2026, 08:00 in Amsterdam.
    h = await open_desk(database_url, people=(acts.EMPLOYEE, COLLEAGUE), regie=frozenset({REGIE["aadObjectId"]}))
    yield h
    await stop_harness(h)


def maintenance(day: str, start: str, end: str, **more) -> dict:
    return {
        form.IN_KIND: "onderhoud", form.IN_WHAT: "Nieuwe VPN-server <b>vpn2</b>", form.IN_AUDIENCE: "iedereen",
        form.IN_FROM_DATE: day, form.IN_FROM_TIME: start, form.IN_UNTIL_DATE: day, form.IN_UNTIL_TIME: end,
        form.IN_MEANWHILE: "Werk op kantoor of sla je werk lokaal op.", form.IN_CATEGORY: "netwerk", **more,
    }


async def deliver(harness) -> None:
    """What the scheduler's reach sweep does every 15 seconds, a minute on."""
    harness.clock.advance(timedelta(minutes=1))
    await harness.app[app_module.JOBS].reach_sweep()
    await harness.settle()


def campaign_cards(harness) -> list:
    return [c for c in harness.connector.to("19:servicedesk") if c.cards]


async def test_the_form_in_the_servicedesk_channel_and_an_announcement_everyone_gets_once_as_plain_text(harness):
    await harness.post(acts.channel_message(harness.service_url, "aankondiging", user=acts.AGENT, channel="19:servicedesk"))
    shown = harness.connector.to("19:servicedesk")[-1]
    assert "Nieuwe aankondiging" in shown.card_text() and shown.cards[0]["actions"][0]["verb"] == form.VERB_CREATE

    status, body = await harness.execute(form.VERB_CREATE, maintenance("2026-05-02", "19:00", "23:00"))
    assert status == 200
    assert "A-1" in strings(card_of(body))[-1] and "wordt verstuurd" in strings(card_of(body))[-1]
    await deliver(harness)
    for person in (acts.EMPLOYEE, COLLEAGUE):
        got = harness.replies_to_employee(person)
        assert got == [
            "**Gepland onderhoud**: Nieuwe VPN-server \\<b\\>vpn2\\</b\\>\n\n"
            "Wanneer: van zaterdag 2 mei om 19:00 tot zaterdag 2 mei om 23:00.\n\n"
            "Wat kun je doen: Werk op kantoor of sla je werk lokaal op."
        ]
    card = campaign_cards(harness)[-1].card_text()
    assert "Gepland onderhoud A-1" in card and "Verstuurd | 2" in card and "Karim Bouali" in card
    [entry] = await audit_rows(harness, action=form.VERB_CREATE)
    assert entry.result == "done" and entry.actor_id == acts.AGENT["aadObjectId"]

    # "Opgelost" and a follow-up go to the same people.
    await harness.execute(VERB_FOLLOW_UP, {"campagne": 1, "versie": 1, IN_TEXT: "Het duurt een uur langer."})
    await harness.execute(VERB_RESOLVED, {"campagne": 1, "versie": 1})
    await deliver(harness)
    assert harness.replies_to_employee(COLLEAGUE)[1:] == [
        "**Update** over: Nieuwe VPN-server \\<b\\>vpn2\\</b\\>\n\nHet duurt een uur langer.",
        "**Opgelost** over: Nieuwe VPN-server \\<b\\>vpn2\\</b\\>",
    ]


async def test_a_disruption_without_an_end_tells_everyone_since_when(harness):
    disruption = {
        form.IN_KIND: "verstoring", form.IN_WHAT: "Outlook werkt traag", form.IN_AUDIENCE: "iedereen",
        form.IN_FROM_DATE: "2026-04-28", form.IN_FROM_TIME: "07:45", form.IN_CATEGORY: "m365",
    }
    status, body = await harness.execute(form.VERB_CREATE, disruption)
    assert "wordt verstuurd" in strings(card_of(body))[-1]
    await deliver(harness)
    assert harness.replies_to_employee(acts.EMPLOYEE) == ["**Storing**: Outlook werkt traag\n\nWanneer: vanaf vandaag om 07:45."]


@pytest.mark.parametrize(
    ("day", "start", "end", "reasons"),
    [
        ("2026-04-29", "19:00", "23:00", ["minstens 48 uur"]),  # tomorrow evening
        ("2026-05-05", "12:00", "13:00", ["buiten kantoortijd"]),  # next week, at lunchtime
        ("2026-04-29", "12:00", "13:00", ["minstens 48 uur", "buiten kantoortijd"]),
    ],
)
async def test_planned_maintenance_too_late_or_in_office_hours_waits_for_regie(harness, day, start, end, reasons):
    status, body = await harness.execute(form.VERB_CREATE, maintenance(day, start, end))
    assert "nog niet verstuurd" in strings(card_of(body))[-1]
    await deliver(harness)
    assert harness.replies_to_employee(acts.EMPLOYEE) == []  # nobody hears of it yet
    card = campaign_cards(harness)[-1]
    text = card.card_text()
    assert "wacht op goedkeuring van regie" in text
    assert all(reason in text for reason in reasons)
    assert [a["verb"] for a in card.cards[0]["actions"]] == [VERB_APPROVE]

    # An agent clicks regie's button, or someone forges the click: refused, audited, nothing sent.
    for who in (acts.AGENT, acts.STRANGER):
        _, body = await harness.execute(VERB_APPROVE, {"campagne": 1, "versie": 1}, user=who)
        assert message_of(body) == "Alleen regie kan een geweigerde aankondiging toch laten versturen."
    await deliver(harness)
    assert harness.replies_to_employee(acts.EMPLOYEE) == []
    refused = await audit_rows(harness, action=VERB_APPROVE)
    assert [r.result for r in refused] == ["refused_not_authorised"] * 2

    # Regie on a card drawn before: the fresh card, nothing changed.
    _, body = await harness.execute(VERB_APPROVE, {"campagne": 1, "versie": 0}, user=REGIE)
    assert card_of(body)["body"][0]["text"].startswith("Deze kaart was verouderd.")
    # Regie approves: it goes, the card says who approved, the audit trail holds it.
    _, body = await harness.execute(VERB_APPROVE, {"campagne": 1, "versie": 1}, user=REGIE)
    assert "Rita Regie" in " ".join(strings(card_of(body)))
    await deliver(harness)
    assert len(harness.replies_to_employee(acts.EMPLOYEE)) == 1
    assert "Goedgekeurd door regie" in campaign_cards(harness)[-1].card_text()
    rows = await audit_rows(harness, action=VERB_APPROVE)
    assert [(r.result, r.actor_id) for r in rows][-1] == ("done", REGIE["aadObjectId"])
    # A second approval changes nothing.
    _, body = await harness.execute(VERB_APPROVE, {"campagne": 1, "versie": 2}, user=REGIE)
    assert card_of(body)["body"][0]["text"] == "Deze aankondiging wacht niet (meer) op regie. Je ziet nu de actuele stand."
    await deliver(harness)
    assert len(harness.replies_to_employee(acts.EMPLOYEE)) == 1
    async with harness.app[app_module.DATABASE].sessions() as session:
        assert (await audit.verify(session)).ok


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({form.IN_WHAT: ""}, "Schrijf kort wat er aan de hand is."),
        ({form.IN_AUDIENCE: "locatie", form.IN_AUDIENCE_VALUE: "Atlantis"}, "Die locatie staat niet in de medewerkerslijst."),
        ({form.IN_AUDIENCE: "storing", form.IN_AUDIENCE_VALUE: "M-999"}, "Vul het nummer van een bestaande melding in"),
        ({form.IN_UNTIL_TIME: "18:00"}, "Het einde ligt na het begin."),
        ({form.IN_P1: "ja"}, "Alleen een storing kan P1 zijn."),
        ({form.IN_KIND: "feest"}, "Kies wat je aankondigt"),
    ],
)
async def test_a_wrong_form_is_one_dutch_line_and_sends_nothing(harness, change, says):
    _, body = await harness.execute(form.VERB_CREATE, {**maintenance("2026-05-02", "19:00", "23:00"), **change})
    assert says in message_of(body)
    await deliver(harness)
    assert harness.replies_to_employee(acts.EMPLOYEE) == [] and campaign_cards(harness) == []


async def test_only_the_servicedesk_announces(harness):
    _, body = await harness.execute(form.VERB_CREATE, maintenance("2026-05-02", "19:00", "23:00"), user=acts.EMPLOYEE)
    assert message_of(body) == "Alleen medewerkers van de servicedesk kunnen een aankondiging versturen."
    await deliver(harness)
    assert harness.replies_to_employee(COLLEAGUE) == []
