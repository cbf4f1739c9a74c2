"""Reading TOPdesk: page by page (206 Partial Content until the last page), by FIQL on the
modification date, only this organisation's incidents when the mapping narrows it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

import app as app_module
from itsm.sync import ItsmSync, SyncOptions
from storage.models import Ticket
from tests.itsm.desk import EXAMPLE_MAPPING, start_itsm_desk, stop_itsm_desk
from tests.itsm.test_create import topdesk_of
from tests.servicedesk.desk import new_ticket, ticket


@pytest.fixture
async def desk(database_url):
    d = await start_itsm_desk(database_url)
    await d.harness.link_channels()
    yield d
    await stop_itsm_desk(d)


async def test_many_changes_are_read_page_by_page_oldest_first_and_each_once(desk):
    start = desk.clock.now()
    calls = [
        desk.topdesk.register(entry_type="Telefonisch", caller=f"Beller {n}", brief=f"Melding {n}", at=start + timedelta(minutes=n))
        for n in range(5)
    ]
    desk.clock.advance(timedelta(minutes=10))
    app = desk.harness.app
    sync = ItsmSync(
        database=app[app_module.DATABASE], system=topdesk_of(desk), policy=app[app_module.POLICY], clock=desk.clock,
        worker_id="pager", options=SyncOptions(page_size=2),
    )
    assert await sync.poll() == 5
    pages = [status for method, path, status in desk.topdesk.answers if (method, path) == ("GET", "/tas/api/incidents")]
    # Each page asks again from the last change read (one overlaps), so a change made while the
    # pages are read cannot push an unread incident out of sight.
    assert pages == [206, 206, 206, 200]
    reported = [t.opened_at for t in await tickets_of(desk)]
    assert reported == [start + timedelta(minutes=n) for n in range(5)]

    desk.topdesk.respond(calls[3]["id"], operator="Jan Smit")
    desk.clock.advance(timedelta(minutes=1))
    assert await sync.poll() == 1  # only what changed since; the rest is read from the cursor on
    assert len(await tickets_of(desk)) == 5


async def test_in_a_topdesk_serving_several_organisations_only_their_own_incidents_are_read(database_url, tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        EXAMPLE_MAPPING.read_text(encoding="utf-8")
        .replace('# query = "callerBranch.name==Stichting Halt"', 'query = "callerBranch.name==Stichting Halt"')
        .replace('# external_prefix = "HALT-"', 'external_prefix = "HALT-"'),
        encoding="utf-8",
    )
    desk = await start_itsm_desk(database_url, itsm_mapping_file=str(mapping))
    try:
        await desk.harness.link_channels()
        ticket_id = await new_ticket(desk.harness, description="Van ons, via Teams")
        await desk.drain()
        (ours,) = desk.topdesk.by_external(f"HALT-M-{ticket_id}")
        desk.topdesk.register(entry_type="Telefonisch", caller="Medewerker Halt", brief="Van ons, per telefoon")
        elsewhere = desk.topdesk.register(
            entry_type="Telefonisch", caller="Iemand elders", brief="Van een andere klant", branch="Gemeente X"
        )
        # Another organisation's bot numbers its tickets too: its M-1 is not our M-1.
        theirs = desk.topdesk.register(
            entry_type="Teams", caller="Iemand elders", brief="Hun Teams-melding", branch="Gemeente X", external=f"M-{ticket_id}"
        )
        desk.clock.advance(timedelta(minutes=1))
        desk.topdesk.respond(theirs["id"], operator="Jan Smit")
        desk.topdesk.respond(ours["id"], operator="Fatima el Amrani")
        assert await desk.poll() == 2
        assert [t.reporter_name for t in await tickets_of(desk)] == ["Sanne de Vries", "Medewerker Halt"]
        assert (await ticket(desk.harness, ticket_id)).owner_name == "Fatima el Amrani"
        assert elsewhere["number"] not in {t.external_number for t in await tickets_of(desk)}
    finally:
        await stop_itsm_desk(desk)


async def tickets_of(desk):
    async with desk.harness.app[app_module.DATABASE].sessions() as session:
        return list((await session.execute(select(Ticket).order_by(Ticket.id))).scalars())


