"""An employee who reports something during an announced window is offered the announcement first
(issue 19), through HTTP with real activities, as the known-outage question does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

import app as app_module
from bot import announcements as form
from storage.models import Ticket, TicketFollower
from tests.servicedesk.desk import new_ticket, open_desk
from tests.support import activities as acts
from tests.support.harness import stop_harness

COLLEAGUE = acts.person("Joost van Dijk", "aaaaaaaa-0000-0000-0000-000000000011")


@pytest.fixture
async def harness(database_url):
    h = await open_desk(database_url, people=(acts.EMPLOYEE, COLLEAGUE))  # Tuesday 28 April, 08:00
    yield h
    await stop_harness(h)


async def announce(harness, **form_values) -> None:
    values = {
        form.IN_KIND: "verstoring", form.IN_WHAT: "Wifi op locatie *Utrecht* valt weg", form.IN_AUDIENCE: "iedereen",
        form.IN_FROM_DATE: "2026-04-28", form.IN_FROM_TIME: "08:00", form.IN_UNTIL_DATE: "2026-04-28", form.IN_UNTIL_TIME: "12:00",
        form.IN_MEANWHILE: "Gebruik de hotspot van je telefoon.", form.IN_CATEGORY: "netwerk", **form_values,
    }
    status, _ = await harness.execute(form.VERB_CREATE, values)
    assert status == 200
    await harness.app[app_module.JOBS].reach_sweep()
    await harness.settle()


def last_said(harness) -> str:
    """What the employee read last: a message's text, or a question card's words."""
    call = harness.connector.to(f"a:personal-{acts.EMPLOYEE['aadObjectId']}")[-1]
    return call.text or call.card_text()


async def count(harness, model) -> int:
    async with harness.app[app_module.DATABASE].sessions() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_a_report_in_the_announced_window_is_offered_the_announcement_and_needs_no_ticket(harness):
    await announce(harness)
    harness.clock.advance(timedelta(minutes=30))
    harness.connector.clear()
    await harness.say("de wifi doet het niet")
    await harness.say("netwerk")
    offer = last_said(harness)
    assert offer.startswith("De servicedesk heeft hier al iets over laten weten. Storing: **Wifi op locatie \\*Utrecht\\* valt weg**")
    assert "Wanneer: van vandaag om 08:00 tot vandaag om 12:00." in offer
    assert "Wat kun je doen: Gebruik de hotspot van je telefoon." in offer
    await harness.say("ja")
    assert last_said(harness) == (
        "Fijn dat je het laat weten. Je hoeft niets te melden: je hoort het van ons als het is opgelost."
    )
    assert await count(harness, Ticket) == 0


async def test_an_announcement_about_an_outage_links_the_report_to_its_ticket(harness):
    outage = await new_ticket(harness, priority="P2", scope="meerdere_teams", reporter=COLLEAGUE)
    await announce(harness, **{form.IN_CATEGORY: "laptop", form.IN_WHAT: "Laptops starten traag", form.IN_TICKET: f"M-{outage}"})
    harness.connector.clear()
    await harness.say("mijn laptop start heel traag op")
    await harness.say("laptop")
    assert "Dan koppel ik je aan storing **M-1**." in last_said(harness)
    await harness.say("ja")
    assert "Je bent gekoppeld aan **M-1**." in last_said(harness)
    assert await count(harness, TicketFollower) == 1 and await count(harness, Ticket) == 1


@pytest.mark.parametrize(
    ("category", "minutes_later"),
    [("printer", 30), ("netwerk", 5 * 60)],  # another category; or after the window (12:00)
)
async def test_no_offer_for_another_category_or_outside_the_window(harness, category, minutes_later):
    await announce(harness)
    harness.clock.advance(timedelta(minutes=minutes_later))
    harness.connector.clear()
    await harness.say("het werkt niet meer")
    await harness.say(category)
    assert "heeft hier al iets over laten weten" not in last_said(harness)
    assert "Wie heeft er last van?" in last_said(harness)


async def test_saying_no_continues_the_report(harness):
    await announce(harness)
    harness.connector.clear()
    await harness.say("de wifi doet het niet")
    await harness.say("netwerk")
    await harness.say("nee")
    assert [text for text in harness.replies_to_employee() if text][-1] == "Oké, dan maak ik een nieuwe melding. Nog een paar vragen."
    assert "Wie heeft er last van?" in last_said(harness)


async def test_after_opgelost_nobody_is_offered_it(harness):
    await announce(harness)
    await harness.execute("aankondiging_opgelost", {"campagne": 1, "versie": 1})
    harness.connector.clear()
    await harness.say("de wifi doet het niet")
    await harness.say("netwerk")
    assert "heeft hier al iets over laten weten" not in last_said(harness)
