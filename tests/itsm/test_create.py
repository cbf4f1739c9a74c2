"""A new Teams ticket becomes one TOPdesk incident, whatever crashes or replicas do meanwhile."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import pytest

import app as app_module
import itsm
from itsm.mapping import load_mapping
from itsm.sync import ItsmSync
from storage import outbox
from tests.itsm.desk import EXAMPLE_MAPPING, start_itsm_desk, stop_itsm_desk
from tests.security.intake import complete_intake
from tests.servicedesk.desk import new_ticket, ticket
from tests.support import activities as acts
from tests.support.fake_topdesk import stamp



@pytest.fixture
async def desk(database_url):
    d = await start_itsm_desk(database_url)
    await d.harness.link_channels()
    await d.harness.say("help")
    d.harness.connector.clear()
    yield d
    await stop_itsm_desk(d)


async def test_a_reported_ticket_becomes_one_incident_and_the_employee_and_card_show_its_number(desk):
    await complete_intake(desk.harness, desk.harness.say, "Mijn laptop start niet op na de update")
    await desk.settle()

    (incident,) = desk.topdesk.incidents.values()
    assert incident["externalNumber"] == "M-1"
    assert incident["briefDescription"] == "Mijn laptop start niet op na de update"
    assert incident["callDate"] == stamp(desk.clock.now())  # TOPdesk's clock starts at the report
    assert desk.topdesk.name_of(incident["entryType"]) == "Teams"
    assert "Gemeld via Teams als M-1." in incident["request"]
    number = incident["number"]

    # The employee hears the supplier's number; the card in the servicedesk channel shows it.
    assert any(f"onder nummer **{number}**" in text for text in desk.harness.replies_to_employee())
    cards = [c for c in desk.harness.connector.to("19:servicedesk") if c.cards]
    assert f"Nummer bij leverancier:  | {number}" in cards[-1].card_text()
    assert (await ticket(desk.harness, 1)).external_number == number


async def test_an_answer_lost_after_the_incident_was_made_does_not_make_a_second(desk):
    desk.topdesk.lose_create_answers = 1  # TOPdesk creates it; the connection drops before the answer
    ticket_id = await new_ticket(desk.harness, description="Outlook start niet")
    await desk.drain()
    assert len(desk.topdesk.by_external(f"M-{ticket_id}")) == 1
    (pending,) = await desk.outbox(target_kind=outbox.ITSM, status="pending")
    assert pending.attempts == 1 and "ServerDisconnectedError" in pending.last_error

    desk.clock.advance(timedelta(seconds=30))  # the first retry is due
    await desk.drain()
    assert len(desk.topdesk.by_external(f"M-{ticket_id}")) == 1
    assert (await ticket(desk.harness, ticket_id)).external_number == desk.topdesk.by_external(f"M-{ticket_id}")[0]["number"]
    assert [m.status for m in await desk.outbox(target_kind=outbox.ITSM)] == ["sent"]


async def test_a_replica_that_dies_after_creating_leaves_it_to_another_that_finds_the_incident(desk):
    ticket_id = await new_ticket(desk.harness, description="Printer op de tweede verdieping")
    app = desk.harness.app
    replica_a = ItsmSync(
        database=app[app_module.DATABASE], system=topdesk_of(desk), policy=app[app_module.POLICY], clock=desk.clock,
        worker_id="replica-a",
    )
    # Replica A claims the intent and TOPdesk makes the incident; A dies before it hears back.
    desk.topdesk.hold_create_answers = True
    dying = asyncio.create_task(replica_a.drain())
    await desk.topdesk.created.wait()
    dying.cancel()
    desk.topdesk.release.set()
    with contextlib.suppress(asyncio.CancelledError):
        await dying
    desk.topdesk.hold_create_answers = False
    posts_by_a = _posts(desk)
    assert len(desk.topdesk.by_external(f"M-{ticket_id}")) == 1
    assert (await ticket(desk.harness, ticket_id)).external_number is None

    # Replica B takes over once A's lease ran out, and finds the incident instead of making another.
    assert await desk.drain() == 0  # still A's
    desk.clock.advance(timedelta(minutes=2))
    assert await desk.drain() == 1
    assert len(desk.topdesk.by_external(f"M-{ticket_id}")) == 1
    assert _posts(desk) == posts_by_a
    assert (await ticket(desk.harness, ticket_id)).external_number == desk.topdesk.by_external(f"M-{ticket_id}")[0]["number"]


async def test_two_replicas_sending_at_once_make_one_incident_per_ticket(desk):
    ids = [await new_ticket(desk.harness, description=f"Melding {n}") for n in range(4)]
    app = desk.harness.app
    replicas = [
        ItsmSync(
            database=app[app_module.DATABASE], system=topdesk_of(desk), policy=app[app_module.POLICY], clock=desk.clock,
            worker_id=f"replica-{name}",
        )
        for name in "ab"
    ]
    sent = await asyncio.gather(*(replica.drain() for replica in replicas))
    assert sum(sent) == 4
    for ticket_id in ids:
        assert len(desk.topdesk.by_external(f"M-{ticket_id}")) == 1


def topdesk_of(desk):
    """Another process's own connection to the same TOPdesk."""
    url, user, password = desk.harness.app[app_module.SETTINGS].itsm_account
    return itsm.connect(
        "topdesk", session=desk.harness.app[app_module.HTTP_SESSION], url=url, user=user, password=password,
        mapping=load_mapping(EXAMPLE_MAPPING), timeout=5,
    )


def _posts(desk) -> int:
    return sum(1 for call in desk.topdesk.requests if call == ("POST", "/tas/api/incidents"))


async def report_an_uplift(desk) -> dict:
    """The employee's own intake over HTTP: a P1-uplift with what she must do and where to call
    her; the incident it became in TOPdesk."""
    for text, value in acts.UPLIFT_INTAKE:
        assert await desk.harness.say(text, value=value) == 200
    await desk.settle()
    (incident,) = desk.topdesk.incidents.values()
    return incident


async def test_an_uplift_reaches_topdesk_with_its_motivation_and_phone(desk):
    # The supplier's operator reads why it is P1 and where to call her, in the request text.
    request = (await report_an_uplift(desk))["request"].splitlines()
    assert "Motivatie P1-uplift: om 10:00 lesgeven aan groep 8" in request
    assert "Telefoon melder: 0612345678" in request
    assert request[-1] == "Gemeld via Teams als M-1."


async def test_an_uplift_reaches_topdesk_with_the_intake_answers_in_words(desk):
    # The supplier's operator reads the questions and answers as words, not the bot's codes.
    request = (await report_an_uplift(desk))["request"]
    assert not any(code in request for code in ("critical_role", "direct_impact", "cannot_work", "True"))
    lines = request.splitlines()
    assert "Prioriteit: P1-uplift (één medewerker)" in lines
    assert "Reden prioriteit: Eén medewerker met hinder; Kritieke rol of tijdkritische verplichting; " \
        "Directe impact op continuïteit, veiligheid, publieke taak of reputatie; Kan taak niet uitvoeren" in lines
    assert "Kan de melder werken: ja, met een omweg" in lines
    assert "Kritieke rol of tijdkritische verplichting: ja" in lines
    assert "Kan taak niet uitvoeren: ja" in lines
