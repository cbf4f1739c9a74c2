"""The same intake through HTTP (``/api/messages``, stub connector) and through the TestAdapter
gives the same ticket: the dialog does not depend on how the activity arrived."""

from __future__ import annotations

from sqlalchemy import select

import app as app_module
from sla import events as ev
from storage.models import Ticket, TicketAttachment, TicketEventRow
from tests.dialogs.chat import Chat
from tests.support import activities as acts
from tests.support.cards import assert_valid_card
from tests.support.harness import harness_settings, start_harness, stop_harness

PHOTO = {"contentType": "image/png", "contentUrl": "https://smba.trafficmanager.net/emea/v3/attachments/x/views/original", "name": "scherm.png"}


async def _stored(database) -> tuple[dict, dict, list]:
    async with database.sessions() as session:
        ticket = (await session.execute(select(Ticket))).scalar_one()
        reported = (
            await session.execute(select(TicketEventRow).where(TicketEventRow.kind == ev.REPORTED))
        ).scalar_one()
        photos = [(p.name, p.content_type, p.content_url) for p in (await session.execute(select(TicketAttachment))).scalars()]
    fields = {
        c: getattr(ticket, c)
        for c in (
            "reporter_id", "reporter_name", "category", "scope", "description", "priority", "uplift",
            "uplift_motivation", "priority_reasons", "phone", "status", "opened_at", "first_response_due",
            "resolution_due", "next_update_due",
        )
    }
    return fields, reported.data, photos


async def test_http_and_test_adapter_make_the_same_ticket(sqlite_database_url, services):
    harness = await start_harness(harness_settings(sqlite_database_url))
    try:
        await harness.link_channels()
        photo_activity = acts.personal_message(harness.service_url, "")
        photo_activity["attachments"] = [PHOTO]
        await harness.post(photo_activity)
        for text, value in acts.UPLIFT_INTAKE:
            assert await harness.say(text, value=value) == 200
        for call in harness.connector.to("a:personal-"):
            for card in call.cards:
                assert_valid_card(card)
        over_http = await _stored(harness.app[app_module.DATABASE])
        http_confirmation = harness.replies_to_employee()[-1]
    finally:
        await stop_harness(harness)

    chat = Chat(services)
    await chat.say(None, attachments=[PHOTO])
    for text, value in acts.UPLIFT_INTAKE:
        await chat.say(text, value=value)
    in_test_adapter = await _stored(services.database)

    assert over_http == in_test_adapter
    assert over_http[0]["priority"] == "P1" and over_http[0]["uplift"] is True
    assert chat.all_replies[-1].text == http_confirmation
