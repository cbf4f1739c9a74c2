"""Who an announcement reaches (everyone, a location, a team, the people of an outage), quiet
hours and the weekly maximum, through the outbox to the stub Teams."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from reach import service
from reach.audience import Target
from reach.enums import Audience, Kind
from storage import employee
from storage.models import DirectoryEmployee, OutboxMessage, Ticket
from storage.outbox import Kind as MessageKind
from tests.delivery.desk import local
from tests.reach.campaigns import add_employees, announce, campaign, employee_id, options, per_recipient, run_until_done



def chats(*numbers: int) -> set[str]:
    return {f"a:{employee_id(n)}" for n in numbers}


async def test_everyone_a_location_and_a_team(desk):
    # 0 Utrecht/Noord, 1 Den Haag/Zuid, 2 Zwolle/Noord, 3 Utrecht/Zuid, ...
    await add_employees(desk, 6, locations=("Utrecht", "Den Haag", "Zwolle"), teams=("Noord", "Zuid"))
    await desk.register(kind="user", key="not-in-directory", conversation_id="a:not-in-directory")
    _, jobs = desk.add_worker("w", options=options())

    by_location = await announce(desk, audience=Target(Audience.LOCATION, "utrecht"), what="Lift kapot")
    await run_until_done(desk, jobs, by_location)
    assert set(per_recipient(desk)) == chats(0, 3)

    desk.connector.clear()
    by_team = await announce(desk, audience=Target(Audience.TEAM, "Zuid"), what="Teamsite verhuist")
    await run_until_done(desk, jobs, by_team)
    assert set(per_recipient(desk)) == chats(1, 3, 5)

    desk.connector.clear()
    everyone = await announce(desk, what="Nieuwe printers")
    await run_until_done(desk, jobs, everyone)
    # Everyone in the directory, and whoever talks to the bot without being in it (yet).
    assert set(per_recipient(desk)) == chats(0, 1, 2, 3, 4, 5) | {"a:not-in-directory"}


async def test_the_people_of_a_known_outage(desk):
    await add_employees(desk, 5)
    outage = await desk.report(reporter=employee_id(0), scope="iedereen", category="m365", broad_outage=True)
    linked = await desk.report(reporter=employee_id(1), scope="iedereen", category="m365")
    async with desk.database.sessions.begin() as session:
        await employee.follow(session, ticket_id=outage, user_id=employee_id(2), user_name="Medewerker 2", description=None, now=desk.clock.now())
        (await session.get(Ticket, linked)).linked_to_ticket_id = outage
    _, jobs = desk.add_worker("w", options=options())
    await jobs.outbox_sweep()
    desk.connector.clear()
    announcement = await announce(desk, audience=Target(Audience.OUTAGE, str(outage)), what="Teams is weer bereikbaar", ticket_id=outage)
    await run_until_done(desk, jobs, announcement)
    assert set(per_recipient(desk)) == chats(0, 1, 2)
    assert "Dit hoort bij storing" in desk.connector.texts_to(f"a:{employee_id(2)}")[0]


async def test_an_announcement_made_in_the_evening_waits_for_8_oclock_unless_it_is_a_p1_disruption(desk):
    await add_employees(desk, 3)
    desk.clock.set(local(2026, 12, 4, 17, 59) + timedelta(seconds=59))  # Friday, a second before the close
    _, jobs = desk.add_worker("w", options=options(per_second=1, horizon=timedelta(seconds=1)))
    quiet = await announce(desk, kind=Kind.CHANGE, what="Nieuwe VPN-app")
    await jobs.reach_sweep()  # 17:59:59: the first may go; the next slot, 18:00, is quiet
    assert len(per_recipient(desk)) == 1
    desk.clock.set(local(2026, 12, 7, 7, 59))  # Monday 07:59: still quiet
    await jobs.reach_sweep()
    assert len(per_recipient(desk)) == 1
    async with desk.database.sessions() as session:
        due = sorted(r.next_attempt_at for r in (await session.execute(select(OutboxMessage).where(OutboxMessage.dedup_key.like("reach:%")))).scalars())
    assert due[-1] == local(2026, 12, 7, 8, 0)  # slotted at the next allowed minute
    desk.clock.set(local(2026, 12, 7, 8, 0))
    await run_until_done(desk, jobs, quiet)
    assert len(per_recipient(desk)) == 3

    desk.connector.clear()
    desk.clock.set(local(2026, 12, 5, 3, 12) + timedelta(days=7))  # a Saturday night
    p1 = await announce(desk, kind=Kind.DISRUPTION, what="Niemand kan inloggen", urgent=True)
    await run_until_done(desk, jobs, p1)
    assert len(per_recipient(desk)) == 3


async def test_nobody_gets_more_than_the_weekly_maximum_but_follow_ups_still_reach_them(desk):
    await add_employees(desk, 2)
    _, jobs = desk.add_worker("w", options=options(max_per_week=2))
    for what in ("Onderhoud 1", "Onderhoud 2", "Onderhoud 3"):
        await run_until_done(desk, jobs, await announce(desk, kind=Kind.CHANGE, what=what))
    got = desk.connector.texts_to(f"a:{employee_id(0)}")
    assert [t.split(": ", 1)[1] for t in got] == ["Onderhoud 1", "Onderhoud 2"]
    third = await campaign(desk, 3)
    assert third.drawn["skipped"] == 2 and third.drawn["sent"] == 0
    # The follow-up of the second reaches the same people, the maximum notwithstanding.
    follow_up = await announce(desk, kind=Kind.RESOLVED, parent_id=2, what="", text="Het onderhoud is klaar.")
    await run_until_done(desk, jobs, follow_up)
    assert desk.connector.texts_to(f"a:{employee_id(0)}")[-1] == "**Opgelost** over: Onderhoud 2\n\nHet onderhoud is klaar."
    # A new week: room again.
    desk.clock.set(local(2026, 12, 7, 9, 0))
    await run_until_done(desk, jobs, await announce(desk, kind=Kind.CHANGE, what="Onderhoud 4"))
    assert desk.connector.texts_to(f"a:{employee_id(1)}")[-1].endswith("Onderhoud 4")


async def test_a_caller_leaves_out_whom_its_select_names(desk):
    """The survey helper's "geen enquêtes": ``exclude`` is a SELECT of object ids left out."""
    await add_employees(desk, 4)
    _, jobs = desk.add_worker("w", options=options())
    opted_out = select(DirectoryEmployee.object_id).where(DirectoryEmployee.name.in_(["Medewerker 1", "Medewerker 3"]))
    async with desk.database.sessions.begin() as session:
        campaign = await service.start(
            session, kind=Kind.SURVEY, message_kind=MessageKind.ANNOUNCEMENT, audience=Target(Audience.EVERYONE),
            payload={"what": "Hoe tevreden ben je?"}, created_by="regie", created_by_name="Regie", now=desk.clock.now(),
            exclude=opted_out,
        )
    await run_until_done(desk, jobs, campaign.id)
    assert set(per_recipient(desk)) == chats(0, 2)
