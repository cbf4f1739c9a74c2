"""Security incidents and major incidents, recorded from the servicedesk card.

PvE §10.1 P1: "Security-incident met hoog risico (bijv. datalek, actieve aanval)"; annex
"Containment" and O1 "Time-to-containment"; AVG art. 33 (a data breach reported to the
Autoriteit Persoonsgegevens within 72 hours), so the privacy officer is told at once. Annex
"Major incident" (versnelde regie en communicatie) and T2 "RCA tijdigheid" (RCA/leerpunten
gedocumenteerd en gedeeld, ≤ 10 werkdagen na afsluiting).
"""

from __future__ import annotations

import pytest

from sla import events as ev
from storage.models import TicketFollower
from tests.servicedesk import desk
from tests.servicedesk.desk import REGIE, card_of, click, message_of, new_ticket
from tests.support import activities as acts
from tests.support.cards import assert_valid_card
from tests.support.harness import stop_harness

PRIVACY = acts.person("Priya Privacy", "99999999-0000-0000-0000-00000000009a")
COLLEAGUE = acts.person("Joost van Dijk", "aaaaaaaa-0000-0000-0000-000000000011")


@pytest.fixture
async def harness(database_url):
    h = await desk.open_desk(
        database_url, people=(acts.EMPLOYEE, PRIVACY, COLLEAGUE), regie=frozenset({REGIE["aadObjectId"]}),
        privacy_officers=frozenset({PRIVACY["aadObjectId"]}),
    )
    yield h
    await stop_harness(h)


def _kinds(events) -> list[str]:
    return [e.kind for e in events]


def _posted(harness, conversation: str) -> list:
    return [c for c in harness.connector.to(conversation) if c.method == "POST"]


async def test_avg_a_data_breach_flagged_on_the_card_reaches_the_privacy_officer_and_regie_at_once(harness):
    ticket_id = await new_ticket(harness, description="Mail met leerlinggegevens naar de verkeerde ouder")
    await click(harness, "oppakken", ticket_id)
    harness.connector.clear()
    status, body = await click(harness, "beveiliging", ticket_id, beveiliging_soort="datalek", datalek="ja")
    card = card_of(body)
    assert_valid_card(card)
    assert desk.line(card, "Beveiligingsincident") == "datalek, nog niet ingedamd"
    assert desk.line(card, "Datalek gemeld bij de AP").startswith("uiterlijk vrijdag 1 mei om 08:00")  # the fold's clock
    event = (await desk.events(harness, ticket_id))[-1]
    assert (event.kind, event.data["kind"], event.data["data_breach"]) == (ev.SECURITY_FLAGGED, "datalek", True)
    for conversation in ("19:regie", f"a:personal-{PRIVACY['aadObjectId']}"):
        [notice] = _posted(harness, conversation)
        assert_valid_card(notice.cards[0])
        assert "Datalek: M-1" in desk.strings(notice.cards[0])
        assert "Mail met leerlinggegevens naar de verkeerde ouder" in notice.card_text()
        assert desk.line(notice.cards[0], "Melden bij de AP") == (  # flagged Tuesday 08:00, + 72 clock hours
            "uiterlijk vrijdag 1 mei om 08:00 (72 uur na ontdekking), als het lek een risico is voor de betrokkenen"
        )
    assert harness.replies_to_employee() == []

    # A second assessment (the kind changes) tells nobody twice; a data breach stays one.
    status, body = await click(harness, "beveiliging", ticket_id, beveiliging_soort="datalek", datalek="nee")
    assert "Een datalek blijft een datalek" in message_of(body)
    await click(harness, "beveiliging", ticket_id, beveiliging_soort="account_gehackt", datalek="ja")
    assert len(_posted(harness, "19:regie")) == 1 and len(_posted(harness, f"a:personal-{PRIVACY['aadObjectId']}")) == 1

    status, body = await click(harness, "ingedamd", ticket_id, ingedamd_notitie="Ouder heeft de mail verwijderd; bevestiging per mail.")
    card = card_of(body)
    assert desk.line(card, "Beveiligingsincident") == "account gehackt, datalek, ingedamd"
    # The privacy officer registers the report to the authority (they may click; a stranger may not).
    status, body = await click(harness, "gemeld_bij_ap", ticket_id, user=acts.STRANGER, ap_notitie="x")
    assert "Alleen medewerkers" in message_of(body)
    status, body = await click(harness, "gemeld_bij_ap", ticket_id, user=PRIVACY, ap_notitie="AP-kenmerk 2026-0412")
    card = card_of(body)
    assert desk.line(card, "Datalek gemeld bij de AP") == "gedaan vandaag om 08:00"
    events = await desk.events(harness, ticket_id)
    assert _kinds(events)[-2:] == [ev.CONTAINED, ev.DATA_BREACH_REPORTED]
    assert events[-1].actor_id == PRIVACY["aadObjectId"] and events[-1].data["note"] == "AP-kenmerk 2026-0412"
    done = [(r.action, r.actor_id) for r in await desk.audit_rows(harness, ticket_id=ticket_id, result="done")]
    assert done[-4:] == [
        ("beveiliging", acts.AGENT["aadObjectId"]), ("beveiliging", acts.AGENT["aadObjectId"]),
        ("ingedamd", acts.AGENT["aadObjectId"]), ("gemeld_bij_ap", PRIVACY["aadObjectId"]),
    ]


async def test_avg_a_data_breach_the_employee_reports_reaches_the_privacy_officer_at_once(harness):
    for answer in ("ik heb een mail met leerlinggegevens naar de verkeerde ouder gestuurd", "beveiliging", "datalek",
                   "alleen ik", "0612345678", "ja"):
        assert await harness.say(answer) == 200
    assert any("is aangemaakt met prioriteit P1 (kritiek)" in m for m in harness.replies_to_employee())
    for conversation in ("19:regie", f"a:personal-{PRIVACY['aadObjectId']}"):
        notices = [c for c in _posted(harness, conversation) if "Datalek: M-1" in desk.strings(c.cards[0] if c.cards else {})]
        assert len(notices) == 1, conversation
        assert desk.line(notices[0].cards[0], "Wat er gebeurde") == "datalek"
    status, body = await click(harness, "gemeld_bij_ap", 1, user=PRIVACY)
    assert desk.line(card_of(body), "Datalek gemeld bij de AP") == "gedaan vandaag om 08:00"


async def test_no_privacy_notice_without_a_data_breach_and_no_report_to_register(harness):
    ticket_id = await new_ticket(harness, priority="P1", phone="0612345678")
    assert _posted(harness, f"a:personal-{PRIVACY['aadObjectId']}") == []
    status, body = await click(harness, "gemeld_bij_ap", ticket_id, user=PRIVACY)
    assert "Dit kan bij een datalek" in message_of(body)


@pytest.mark.parametrize(
    "verb, inputs, refusal",
    [
        ("ingedamd", {"ingedamd_notitie": "account geblokkeerd"}, "bij een beveiligingsincident"),
        ("gemeld_bij_ap", {}, "Dit kan bij een datalek"),
        ("beveiliging", {"beveiliging_soort": "hack", "datalek": "ja"}, "Kies wat er is gebeurd"),
        ("beveiliging", {"beveiliging_soort": "phishing"}, "Kies wat er is gebeurd"),
    ],
)
async def test_security_facts_that_do_not_fit_the_ticket_are_refused_and_change_nothing(harness, verb, inputs, refusal):
    ticket_id = await new_ticket(harness)
    await click(harness, "oppakken", ticket_id)
    before = await desk.ticket(harness, ticket_id)
    status, body = await click(harness, verb, ticket_id, **inputs)
    assert refusal in message_of(body)
    assert (await desk.ticket(harness, ticket_id)).version == before.version
    assert _posted(harness, "19:regie") == []


async def test_annex_major_incident_declared_with_a_title_other_reports_linked_and_the_rca_after_closure(harness):
    major_id = await new_ticket(harness, priority="P1", scope="iedereen", phone="0201234567", description="Outlook werkt nergens")
    other_id = await new_ticket(harness, reporter=COLLEAGUE, description="Mijn Outlook blijft hangen bij het opstarten")
    await click(harness, "oppakken", major_id)
    harness.connector.clear()

    status, body = await click(harness, "major_incident", major_id, major_titel="Storing Outlook")
    card = card_of(body)
    assert_valid_card(card)
    assert desk.line(card, "Major incident") == "Storing Outlook"
    assert (await desk.ticket(harness, major_id)).major_incident is True
    [notice] = _posted(harness, "19:regie")
    assert_valid_card(notice.cards[0])
    assert "Major incident: M-1" in notice.card_text() and desk.line(notice.cards[0], "Titel") == "Storing Outlook"
    status, body = await click(harness, "major_incident", major_id, major_titel="Nog een keer")
    assert "Dat kan één keer" in message_of(body)

    # Another report belongs to it: its reporter follows the major incident from now on.
    harness.connector.clear()
    status, body = await click(harness, "koppelen", other_id, koppelen_aan="m-1")
    card = card_of(body)
    assert_valid_card(card)
    assert desk.line(card, "Hoort bij major incident") == "M-1"
    assert (await desk.ticket(harness, other_id)).linked_to_ticket_id == major_id
    linked = (await desk.events(harness, major_id))[-1]
    assert (linked.kind, linked.data["ticket"]) == (ev.TICKET_LINKED, "M-2")
    told = harness.replies_to_employee(COLLEAGUE)
    assert told == [
        "Je melding **M-2** hoort bij een grotere storing: **M-1**. We werken aan één oplossing.\n\n"
        "Je krijgt vanaf nu de updates van **M-1**. Typ **status M-1** voor de stand."
    ]
    redrawn = {c.activity_id for c in harness.connector.to("19:servicedesk") if c.method == "PUT"}
    assert len(redrawn) == 2  # both cards
    assert await desk.count(harness, TicketFollower) == 1
    # The major incident's updates reach the linked reporter; neither reporter reads the other's words.
    await click(harness, "update", major_id, update_tekst="Microsoft werkt aan een oplossing.")
    assert any("Microsoft werkt aan een oplossing." in m for m in harness.replies_to_employee(COLLEAGUE))
    everything_sent = " ".join(c.text for c in harness.connector.calls if c.conversation_id.startswith("a:personal"))
    assert "Mijn Outlook blijft hangen" not in everything_sent and "Outlook werkt nergens" not in everything_sent

    # The RCA can be shared once the major incident is resolved, once.
    status, body = await click(harness, "rca", major_id, rca_samenvatting="Certificaat verlopen.")
    assert "na de oplossing van een major incident" in message_of(body)
    await click(harness, "opgelost", major_id, oplossing="Certificaat vernieuwd.")
    harness.connector.clear()
    status, body = await click(
        harness, "rca", major_id, user=REGIE, rca_samenvatting="Certificaat verlopen; bewaking ingericht.",
        rca_link="https://intranet.example/rca/m-1",
    )
    card = card_of(body)
    assert_valid_card(card)
    assert desk.line(card, "Oorzaakanalyse (RCA) gedeeld") == "gedaan vandaag om 08:00"
    [rca] = _posted(harness, "19:regie")
    assert "RCA major incident M-1" in rca.card_text() and "Certificaat verlopen; bewaking ingericht." in rca.card_text()
    assert desk.line(rca.cards[0], "Rapport") == "https://intranet.example/rca/m-1"
    status, body = await click(harness, "rca", major_id, rca_samenvatting="nog eens")
    assert "Dat kan één keer" in message_of(body)
    assert _kinds(await desk.events(harness, major_id)).count(ev.RCA_SHARED) == 1


@pytest.mark.parametrize("target", ["M-2", "M-99", "M-1", "geen nummer"])
async def test_a_report_links_only_to_another_open_declared_major_incident(harness, target):
    first = await new_ticket(harness)
    second = await new_ticket(harness, reporter=COLLEAGUE)  # open, but not declared a major incident
    before = await desk.ticket(harness, first)
    status, body = await click(harness, "koppelen", first, koppelen_aan=target)
    assert "Vul het nummer in van een open major incident" in message_of(body)
    assert (await desk.ticket(harness, first)).version == before.version
    assert (await desk.ticket(harness, second)).version == 1
    assert await desk.count(harness, TicketFollower) == 0


async def test_only_agents_declare_a_major_incident(harness):
    ticket_id = await new_ticket(harness)
    status, body = await click(harness, "major_incident", ticket_id, user=REGIE, major_titel="Storing")
    assert "Alleen medewerkers" in message_of(body)
    assert (await desk.ticket(harness, ticket_id)).major_incident is False
