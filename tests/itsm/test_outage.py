"""TOPdesk down, slow, refusing or throttling: nothing is lost, retries back off, the state is clear
on /readyz and, when it lasts, in the servicedesk channel; catching up keeps the order of events."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sla import events as ev
from storage import outbox
from tests.itsm.desk import start_itsm_desk, stop_itsm_desk
from tests.servicedesk import desk as servicedesk
from tests.servicedesk.desk import click, new_ticket, ticket
from tests.support.fake_topdesk import stamp


@pytest.fixture
async def desk(database_url):
    d = await start_itsm_desk(database_url, itsm_timeout_seconds=0.2)
    await d.harness.link_channels()
    await d.harness.say("help")
    yield d
    await stop_itsm_desk(d)


async def every_minute_until(desk, end) -> None:
    """What the scheduler does: poll and send, minute by minute."""
    while desk.clock.now() < end:
        desk.clock.advance(timedelta(minutes=1))
        await desk.sync.poll()
        await desk.sync.drain()
        await desk.harness.settle()


def servicedesk_texts(desk) -> list[str]:
    return [c.text for c in desk.harness.connector.to("19:servicedesk") if c.text]


async def test_topdesk_down_for_an_hour_loses_nothing_and_catches_up_in_order(desk):
    start = desk.clock.now()
    first = await new_ticket(desk.harness, description="Laptop start niet")
    await desk.drain()
    (incident,) = desk.topdesk.by_external(f"M-{first}")

    desk.clock.advance(timedelta(minutes=5))
    desk.topdesk.outage = 503  # 08:05: TOPdesk's API answers 503 for an hour
    second = await new_ticket(desk.harness, description="Scherm flikkert")
    await desk.drain()
    desk.clock.advance(timedelta(minutes=1))
    await click(desk.harness, "oppakken", first, notitie="Ik kijk er nu naar.")
    picked_up = desk.clock.now()
    await desk.settle()
    assert desk.topdesk.by_external(f"M-{second}") == [] and incident["responded"] is False

    # TOPdesk's own operators go on working meanwhile.
    td = desk.topdesk
    td.add_action(incident["id"], "Ik heb de laptop op afstand bekeken.", operator="Jan Smit", at=start + timedelta(minutes=10))
    td.set_priority(incident["id"], "P2 Hoog", at=start + timedelta(minutes=20))
    phone = td.register(entry_type="Telefonisch", caller="Henk de Boer", brief="Geen netwerk", at=start + timedelta(minutes=30))
    td.complete(incident["id"], at=start + timedelta(minutes=40))

    calls_before = len(td.requests)
    await every_minute_until(desk, start + timedelta(minutes=20))
    ready = await desk.readyz()
    assert ready["status"] == "ready"  # the bot works on; it keeps everything for TOPdesk
    assert ready["itsm"].startswith("topdesk: server error since 2026-04-28T06:05:00+00:00")
    outage_notices = [t for t in servicedesk_texts(desk) if "niet bereikbaar" in t]
    assert len(outage_notices) == 1 and "TOPdesk is sinds vandaag om 08:05 niet bereikbaar" in outage_notices[0]

    await every_minute_until(desk, start + timedelta(minutes=65))
    assert len(td.requests) - calls_before < 30  # backed off: not two calls a minute for an hour
    assert len([t for t in servicedesk_texts(desk) if "niet bereikbaar" in t]) == 1

    td.outage = None  # 09:05: back
    await every_minute_until(desk, start + timedelta(minutes=90))

    # Nothing lost: the report made during the outage is an incident, once, from its own moment.
    (created,) = td.by_external(f"M-{second}")
    assert created["callDate"] == stamp(start + timedelta(minutes=5))
    assert incident["responded"] is True and incident["responseDate"] == stamp(picked_up)
    # TOPdesk's changes arrive in the order they happened, at TOPdesk's moments.
    events = await servicedesk.events(desk.harness, first)
    assert [e.kind for e in events] == [ev.REPORTED, ev.ACKNOWLEDGED, ev.AGENT_UPDATE, ev.PRIORITY_CHANGED, ev.RESOLVED]
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert events[2].at == start + timedelta(minutes=10) and events[4].at == start + timedelta(minutes=40)
    assert (await ticket(desk.harness, first)).status == "opgelost"
    assert len(td.by_external(f"M-{first}")) == 1
    assert any(t.external_number == phone["number"] for t in [await ticket(desk.harness, i) for i in range(1, 4)])
    assert all(m.status == "sent" for m in await desk.outbox(target_kind=outbox.ITSM))
    assert len([t for t in servicedesk_texts(desk) if "weer bereikbaar" in t]) == 1
    assert (await desk.readyz())["itsm"] == "topdesk: ok"


async def test_refused_credentials_say_so_and_keep_the_work_until_they_are_accepted(desk):
    desk.topdesk.fail_next = [(401, {})] * 3
    ticket_id = await new_ticket(desk.harness)
    await desk.drain()
    assert (await desk.readyz())["itsm"].startswith("topdesk: credentials refused since")
    (pending,) = await desk.outbox(target_kind=outbox.ITSM, status="pending")
    assert "HTTP 401" in pending.last_error
    for _ in range(3):
        desk.clock.advance(timedelta(minutes=15))
        await desk.drain()
    assert len(desk.topdesk.by_external(f"M-{ticket_id}")) == 1


async def test_a_429_is_retried_no_sooner_than_topdesk_asks(desk):
    desk.topdesk.fail_next = [(429, {"Retry-After": "120"})]
    ticket_id = await new_ticket(desk.harness)
    await desk.drain()
    (pending,) = await desk.outbox(target_kind=outbox.ITSM, status="pending")
    assert pending.next_attempt_at == desk.clock.now() + timedelta(seconds=120)
    desk.clock.advance(timedelta(seconds=119))
    await desk.drain()
    assert desk.topdesk.by_external(f"M-{ticket_id}") == []
    desk.clock.advance(timedelta(seconds=1))
    await desk.drain()
    assert len(desk.topdesk.by_external(f"M-{ticket_id}")) == 1


async def test_a_slow_topdesk_times_out_and_is_tried_again_later(desk):
    desk.topdesk.hang = True
    ticket_id = await new_ticket(desk.harness)
    await desk.drain()
    (pending,) = await desk.outbox(target_kind=outbox.ITSM, status="pending")
    assert "no answer within 0.2 s" in pending.last_error
    assert (await desk.readyz())["itsm"].startswith("topdesk: unreachable")
    desk.topdesk.hang = False
    desk.clock.advance(timedelta(seconds=30))
    await desk.drain()
    assert len(desk.topdesk.by_external(f"M-{ticket_id}")) == 1


async def test_a_server_error_backs_off_and_a_rejected_request_is_not_repeated(desk):
    desk.topdesk.fail_next = [(500, {}), (500, {})]
    retried = await new_ticket(desk.harness)
    await desk.drain()
    desk.clock.advance(timedelta(seconds=30))
    await desk.drain()
    (pending,) = await desk.outbox(target_kind=outbox.ITSM, status="pending")
    assert pending.attempts == 2 and pending.next_attempt_at == desk.clock.now() + timedelta(minutes=1)
    desk.clock.advance(timedelta(minutes=1))
    await desk.drain()
    assert len(desk.topdesk.by_external(f"M-{retried}")) == 1

    desk.topdesk.fail_next = [(400, {})]
    rejected = await new_ticket(desk.harness)
    await desk.drain()
    (failed,) = await desk.outbox(target_kind=outbox.ITSM, status="failed")
    assert failed.ticket_id == rejected and "HTTP 400" in failed.last_error
    desk.clock.advance(timedelta(hours=1))
    assert await desk.drain() == 0
