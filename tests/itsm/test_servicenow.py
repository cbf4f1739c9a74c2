"""The same interface carries ServiceNow: a Teams ticket becomes one incident, and incidents from
other channels, and what happens to them, come back as tickets with events."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from sla import events as ev
from sla.clock import FixedClock
from storage import outbox
from tests.itsm.desk import ItsmDesk, stop_itsm_desk
from tests.itsm.test_reading import tickets_of
from tests.servicedesk import desk as servicedesk
from tests.servicedesk.desk import click, new_ticket, ticket
from tests.support.fake_servicenow import PASSWORD, USER, FakeServiceNow, when
from tests.support.harness import DEFAULT_START, harness_settings, start_harness

MAPPING = Path(__file__).with_name("servicenow-mapping.toml")


@pytest.fixture
async def desk(database_url):
    clock = FixedClock(DEFAULT_START)
    fake = FakeServiceNow(clock=clock.now)
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    settings = harness_settings(
        database_url, itsm_backend="servicenow", servicenow_url=str(server.make_url("")).rstrip("/"),
        servicenow_user=USER, servicenow_password=PASSWORD, itsm_mapping_file=str(MAPPING),
    )
    harness = await start_harness(settings, clock)
    d = ItsmDesk(harness=harness, system=fake, server=server)
    await harness.link_channels()
    yield d
    await stop_itsm_desk(d)


async def test_a_teams_ticket_becomes_one_servicenow_incident_even_when_the_answer_is_lost(desk):
    servicenow = desk.system
    servicenow.lose_create_answers = 1
    ticket_id = await new_ticket(desk.harness, description="Laptop start niet")
    await desk.drain()
    desk.clock.advance(timedelta(seconds=30))
    await desk.drain()
    (incident,) = servicenow.by_correlation(f"M-{ticket_id}")
    assert incident["opened_at"] == when(DEFAULT_START) and incident["contact_type"] == "virtual_agent"
    assert (incident["impact"], incident["urgency"], incident["priority"]) == ("2", "2", "3")
    assert (await ticket(desk.harness, ticket_id)).external_number == incident["number"]

    # Writing a card's change back is not built for ServiceNow: recorded, never retried.
    await click(desk.harness, "oppakken", ticket_id)
    await desk.settle()
    written = (await desk.outbox(target_kind=outbox.ITSM))[-1]
    assert (written.status, written.last_error) == ("sent", "servicenow is connected for reading only")


async def test_incidents_from_other_channels_come_back_as_tickets_with_their_history(desk):
    servicenow = desk.system
    call = servicenow.register(contact_type="phone", caller="Henk de Boer", short_description="Geen netwerk", impact="1", urgency="2")
    servicenow.register(contact_type="walk-in", caller="Iemand", short_description="Niet in de mapping")
    desk.clock.advance(timedelta(minutes=5))
    assert await desk.poll() == 1
    (imported,) = await tickets_of(desk)
    assert (imported.channel, imported.priority, imported.external_number) == ("telefoon", "P2", call["number"])

    desk.clock.advance(timedelta(hours=1))
    servicenow.resolve(call["sys_id"])
    desk.clock.advance(timedelta(minutes=1))
    assert await desk.poll() == 1
    events = await servicedesk.events(desk.harness, imported.id)
    assert [(e.kind, e.at) for e in events] == [
        (ev.REPORTED, DEFAULT_START), (ev.ACKNOWLEDGED, DEFAULT_START + timedelta(minutes=65)),
        (ev.RESOLVED, DEFAULT_START + timedelta(minutes=65)),
    ]
