"""What reach stores about a person is in the export, goes on erasure, and is anonymised after the
retention period; the directory keeps an employee reachable after their tickets are purged."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from storage import privacy
from storage.models import CampaignRecipient, ConversationRef, DirectoryEmployee, OutboxMessage, Ticket
from tests.delivery.desk import local
from tests.reach.campaigns import add_employees, announce, options, run_until_done



async def _all(desk, model):
    async with desk.database.sessions() as session:
        return list((await session.execute(select(model))).scalars())


async def test_export_erase_and_retention(desk):
    first, second = await add_employees(desk, 2, locations=("Utrecht",), teams=("Noord",))
    _, jobs = desk.add_worker("w", options=options())
    await run_until_done(desk, jobs, await announce(desk, what="Printer kapot"))

    exported = await privacy.export_user(database=desk.database, clock=desk.clock, user_id=first)
    assert exported["directory"] == [{"name": "Medewerker 0", "location": "Utrecht", "team": "Noord", "imported_at": local(2026, 12, 1, 9, 0).isoformat()}]
    assert [(r["campaign_id"], r["state"]) for r in exported["announcements_and_surveys"]] == [(1, "verstuurd")]

    erased = await privacy.erase_user(database=desk.database, clock=desk.clock, user_id=first)
    assert erased.recipients_anonymised == 1
    assert [d.object_id for d in await _all(desk, DirectoryEmployee)] == [second]
    recipients = sorted(r.object_id for r in await _all(desk, CampaignRecipient))
    assert recipients[0] == second and recipients[1].startswith("verwijderd-")  # the counts stay

    # The other one reported something once, long closed. A year later: who the announcement
    # reached is anonymised and the ticket purged, but the employee in the directory keeps the
    # conversation the bot reaches them by.
    ticket_id = await desk.report(reporter=second)
    async with desk.database.sessions.begin() as session:
        ticket = await session.get(Ticket, ticket_id)
        ticket.status, ticket.resolved_at, ticket.closed_at = "gesloten", desk.clock.now(), desk.clock.now()
    desk.clock.advance(timedelta(days=366))
    purged = await privacy.purge(database=desk.database, clock=desk.clock, retention_days=365)
    assert purged.recipients_anonymised == 1 and purged.tickets == [ticket_id]
    assert all(r.object_id.startswith("verwijderd-") for r in await _all(desk, CampaignRecipient))
    assert not [m for m in await _all(desk, OutboxMessage) if m.dedup_key.startswith("reach:")]  # their messages too
    assert [r.key for r in await _all(desk, ConversationRef) if r.kind == "user"] == [second]
