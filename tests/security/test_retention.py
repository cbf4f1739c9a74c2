"""Retention (AVG): personal data is there one day before the retention period ends and gone one
day after, while the weekly SLA figures for the period stay the same; inzage and erasure.

Runs on SQLite and PostgreSQL. Tickets are made with the storage API (create, acknowledge) and
closed by appending the RESOLVED and CLOSED events the lifecycle writes.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from storage.reporting import ticket_histories
from sla import events as ev
from sla.clock import FixedClock
from sla.kpi import compute_kpis
from sla.policy import load_policy
from sla.priority import PriorityDecision
from storage import audit, tickets
from storage.db import open_database
from storage.models import (
    AuditEntry,
    BotStateRow,
    ConversationRef,
    OutboxMessage,
    Ticket,
    TicketAttachment,
    TicketEventRow,
    TicketFollower,
)
from storage.privacy import REMOVED, erase_user, export_user, purge, scrub_event_data

RETENTION = 365
# Week 2025-W17: Monday 21 April 2025 00:00 Amsterdam (UTC+2) .. Monday 28 April.
WEEK_START = datetime(2025, 4, 20, 22, 0, tzinfo=timezone.utc)
WEEK_END = WEEK_START + timedelta(days=7)
REPORTED = datetime(2025, 4, 22, 7, 30, tzinfo=timezone.utc)  # Tuesday 09:30
CLOSED = datetime(2025, 4, 25, 12, 0, tzinfo=timezone.utc)

ALICE = ("aaaaaaaa-1111-0000-0000-000000000001", "Alice de Wit")  # only old tickets
BOB = ("bbbbbbbb-1111-0000-0000-000000000002", "Bob Smit")  # an old ticket and an open one
FOLLOWER = ("cccccccc-1111-0000-0000-000000000003", "Chris Volger")
AGENT = ("dddddddd-1111-0000-0000-000000000004", "Karim Bouali")

PERSONAL_TEXTS = [
    "Laptop van Alice start niet op na update", "zitting rechtbank om 10:00 met cliënt Jansen",
    "0612345678", "Ik bel je om 10 uur, Alice", "Nieuwe schijf geplaatst bij Alice thuis",
    "Top geholpen door Karim!", "Scherm van Bob knippert", "Ook bij mij, groet Chris",
    "Alice de Wit", "Bob Smit", "Chris Volger", "https://files.example/alice-screenshot.png",
]


@pytest.fixture
def policy():
    return load_policy("halt", tz_name="Europe/Amsterdam")


async def _make_closed_ticket(session, policy, *, reporter, description, reported, closed, uplift=False,
                              motivation=None, phone=None, close=True) -> Ticket:
    decision = PriorityDecision("P1", True, ("P1-uplift",)) if uplift else PriorityDecision("P3", False, ("één medewerker",))
    ticket = await tickets.create_ticket(
        session, policy=policy, now=reported, reporter_id=reporter[0], reporter_name=reporter[1], category="laptop",
        scope="alleen_ik", description=description, decision=decision, motivation=motivation, phone=phone,
        details={"answers": {"description": description, "phone": phone}, "critical_role": uplift},
    )
    await tickets.acknowledge(
        session, policy=policy, now=reported + timedelta(minutes=10), ticket_id=ticket.id, agent_id=AGENT[0],
        agent_name=AGENT[1], note=f"Ik bel je om 10 uur, {reporter[1].split()[0]}", seen_version=None,
    )
    resolved = closed - timedelta(hours=2)
    session.add_all([
        TicketEventRow(ticket_id=ticket.id, kind=ev.INFO_ADDED, at=reported + timedelta(minutes=20),
                       actor_id=reporter[0], data={"text": "Ook de docking werkt niet"}),
        TicketEventRow(ticket_id=ticket.id, kind=ev.RESOLVED, at=resolved, actor_id=AGENT[0],
                       data={"solution": f"Nieuwe schijf geplaatst bij {reporter[1].split()[0]} thuis",
                             "first_time_fix": True, "agent_id": AGENT[0], "agent_name": AGENT[1]}),
        TicketEventRow(ticket_id=ticket.id, kind=ev.PRODUCTIVE_AGAIN, at=resolved + timedelta(minutes=30),
                       actor_id=reporter[0], data={}),
        TicketEventRow(ticket_id=ticket.id, kind=ev.CSAT, at=resolved + timedelta(hours=1), actor_id=reporter[0],
                       data={"score": 9, "remark": "Top geholpen door Karim!"}),
    ])
    ticket.status, ticket.resolved_at = "opgelost", resolved
    if close:
        session.add(TicketEventRow(ticket_id=ticket.id, kind=ev.CLOSED, at=closed, actor_id=None, data={}))
        ticket.status, ticket.closed_at = "gesloten", closed
    session.add(TicketAttachment(ticket_id=ticket.id, name=f"{reporter[1]}-screenshot.png", content_type="image/png",
                                 content_url="https://files.example/alice-screenshot.png", added_at=reported, added_by=reporter[0]))
    return ticket


def _personal_chat(user_id: str) -> dict:
    return {"channelId": "msteams", "serviceUrl": "https://smba.trafficmanager.net/emea/",
            "conversation": {"id": f"a:personal-{user_id}", "conversationType": "personal"},
            "user": {"id": f"29:{user_id}", "aadObjectId": user_id}}


async def _seed(database, policy):
    async with database.sessions.begin() as session:
        alice = await _make_closed_ticket(
            session, policy, reporter=ALICE, description="Laptop van Alice start niet op na update",
            reported=REPORTED, closed=CLOSED, uplift=True,
            motivation="zitting rechtbank om 10:00 met cliënt Jansen", phone="0612345678",
        )
        bob_old = await _make_closed_ticket(
            session, policy, reporter=BOB, description="Scherm van Bob knippert",
            reported=REPORTED + timedelta(hours=1), closed=CLOSED, close=False,  # resolved, never closed
        )
        session.add(TicketFollower(ticket_id=alice.id, user_id=FOLLOWER[0], user_name=FOLLOWER[1],
                                   description="Ook bij mij, groet Chris", linked_at=REPORTED + timedelta(hours=1)))
        for person in (ALICE, BOB):
            reference = _personal_chat(person[0])
            session.add(ConversationRef(kind="user", key=person[0], reference=reference, active=True, updated_at=REPORTED))
            session.add(BotStateRow(key=f"msteams/conversations/{reference['conversation']['id']}", etag=1,
                                    document={"dialog_state": {"answers": {"description": "half af"}}}, updated_at=REPORTED))
    return alice.id, bob_old.id


async def _open_ticket_for_bob(database, policy, now):
    async with database.sessions.begin() as session:
        ticket = await tickets.create_ticket(
            session, policy=policy, now=now, reporter_id=BOB[0], reporter_name=BOB[1], category="printer",
            scope="alleen_ik", description="Printer van Bob is stuk", decision=PriorityDecision("P3", False, ()),
        )
        return ticket.id


async def _weekly_figures(database, policy, now):
    async with database.sessions() as session:
        histories = await ticket_histories(session, start=WEEK_START, end=WEEK_END)
    return compute_kpis(policy, histories, start=WEEK_START, end=WEEK_END, now=now).to_dict()


async def _personal_texts_in_database(database) -> list[str]:
    """Every personal text from PERSONAL_TEXTS still found anywhere in the tables that hold them."""
    found = []
    async with database.sessions() as session:
        dump = []
        for model in (Ticket, TicketEventRow, TicketFollower, TicketAttachment, ConversationRef, BotStateRow, OutboxMessage):
            for row in (await session.execute(select(model))).scalars():
                dump.append(json.dumps({c.key: str(getattr(row, c.key)) for c in model.__table__.columns}, ensure_ascii=False))
        text = "\n".join(dump)
    for needle in PERSONAL_TEXTS:
        if needle in text:
            found.append(needle)
    return found


async def test_personal_data_is_kept_until_the_retention_period_ends_then_removed(database_url, policy):
    database = open_database(database_url)
    try:
        alice_id, bob_old_id = await _seed(database, policy)
        report_now = WEEK_END + timedelta(days=1)
        before = await _weekly_figures(database, policy, report_now)
        assert before["priorities"][0]["reported"] == 1  # P1 (the uplift) counted
        assert [u["motivation"] for u in before["uplifts"]] == ["zitting rechtbank om 10:00 met cliënt Jansen"]

        # One day before the period ends (counted from the close, or the resolution for Bob's
        # ticket, which was never closed): nothing is removed.
        clock = FixedClock(CLOSED + timedelta(days=RETENTION - 1))
        bob_open_id = await _open_ticket_for_bob(database, policy, clock.now())
        result = await purge(database=database, clock=clock, retention_days=RETENTION)
        assert result.tickets == []
        still = await _personal_texts_in_database(database)
        assert set(still) == set(PERSONAL_TEXTS), set(PERSONAL_TEXTS) - set(still)

        # One day after: gone, everywhere.
        clock.set(CLOSED + timedelta(days=RETENTION + 1))
        result = await purge(database=database, clock=clock, retention_days=RETENTION)
        assert sorted(result.tickets) == sorted([alice_id, bob_old_id])
        # Only Bob's name on his open ticket remains.
        assert await _personal_texts_in_database(database) == ["Bob Smit"]
        async with database.sessions() as session:
            assert (await session.get(Ticket, bob_old_id)).reporter_name == REMOVED
            alice = await session.get(Ticket, alice_id)
            assert (alice.reporter_name, alice.description, alice.phone) == (REMOVED, REMOVED, None)
            assert alice.uplift_motivation == REMOVED and alice.personal_data_removed_at == clock.now()
            assert (alice.priority, alice.uplift, alice.opened_at, alice.closed_at) == ("P1", True, REPORTED, CLOSED)
            bob_open = await session.get(Ticket, bob_open_id)
            assert bob_open.description == "Printer van Bob is stuk"  # open: untouched
            refs = {r.key for r in (await session.execute(select(ConversationRef))).scalars()}
            assert refs == {BOB[0]}  # Alice has no open ticket left; Bob still does
            states = {s.key for s in (await session.execute(select(BotStateRow))).scalars()}
            assert states == {f"msteams/conversations/a:personal-{BOB[0]}"}
            assert (await session.execute(select(func.count()).select_from(TicketAttachment))).scalar_one() == 0
            kinds = [(e.kind, e.at) for e in (await session.execute(
                select(TicketEventRow).where(TicketEventRow.ticket_id == alice_id).order_by(TicketEventRow.id))).scalars()]
            assert [k for k, _ in kinds] == [ev.REPORTED, ev.ACKNOWLEDGED, ev.INFO_ADDED, ev.RESOLVED,
                                             ev.PRODUCTIVE_AGAIN, ev.CSAT, ev.CLOSED]
            entry = (await session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))).scalar_one()
            assert entry.action == "privacy.purge" and entry.details["tickets"] == 2
            assert (await audit.verify(session)).ok

        # The weekly figures are the same; only the texts read "verwijderd": the uplift's motivation
        # and the reporters' CSAT remarks (the scores stay).
        after = await _weekly_figures(database, policy, report_now)
        assert [u["motivation"] for u in after["uplifts"]] == [REMOVED]
        assert {r["remark"] for r in after["csat"]["remarks"]} <= {REMOVED}
        for figures in (before, after):
            for uplift in figures["uplifts"]:
                uplift["motivation"] = "<text>"
            for remark in figures["csat"]["remarks"]:
                remark["remark"] = "<text>"
        assert after == before

        # Running it again changes nothing.
        again = await purge(database=database, clock=clock, retention_days=RETENTION)
        assert again.tickets == []
    finally:
        await database.dispose()


async def test_export_and_erase_one_person(database_url, policy):
    database = open_database(database_url)
    clock = FixedClock(CLOSED + timedelta(days=10))
    try:
        alice_id, _ = await _seed(database, policy)
        data = await export_user(database=database, clock=clock, user_id=ALICE[0], actor_id="fg-officer")
        text = json.dumps(data, ensure_ascii=False)
        assert data["subject"] == ALICE[0]
        assert [t["id"] for t in data["tickets_reported"]] == [alice_id]
        assert "Laptop van Alice start niet op na update" in text and "0612345678" in text
        assert "zitting rechtbank" in text and data["conversation_references"] and data["dialog_state"]
        assert data["tickets_reported"][0]["attachments"][0]["content_url"].endswith("alice-screenshot.png")
        follower = await export_user(database=database, clock=clock, user_id=FOLLOWER[0])
        assert follower["tickets_followed"][0]["description"] == "Ook bij mij, groet Chris"

        bob_open = await _open_ticket_for_bob(database, policy, clock.now())
        refused = await erase_user(database=database, clock=clock, user_id=BOB[0])
        assert not refused.done and refused.refused_open == [bob_open]
        async with database.sessions() as session:
            assert (await session.get(Ticket, bob_open)).reporter_name == BOB[1]

        erased = await erase_user(database=database, clock=clock, user_id=ALICE[0], actor_id="fg-officer")
        assert erased.done and erased.tickets == [alice_id] and erased.references_removed == 1
        assert (await export_user(database=database, clock=clock, user_id=ALICE[0]))["tickets_reported"] == []
        async with database.sessions() as session:
            actions = [(e.action, e.result, e.actor_id) for e in (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars()]
            assert ("privacy.export", "done", "fg-officer") in actions
            assert ("privacy.erase", "refused_open_tickets", None) in actions
            assert ("privacy.erase", "done", "fg-officer") in actions
            assert (await audit.verify(session)).ok
    finally:
        await database.dispose()


def test_cli_privacy_commands(tmp_path, monkeypatch, capsys):
    """``python app.py privacy export/erase/purge`` against a SQLite file."""
    import asyncio

    import app as app_module
    from storage.migrate import upgrade
    from tests.support.databases import sqlite_url

    url = sqlite_url(tmp_path)
    upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)

    async def seed():
        database = open_database(url)
        try:
            await _seed(database, load_policy("halt", tz_name="Europe/Amsterdam"))
        finally:
            await database.dispose()

    asyncio.run(seed())
    assert app_module.main(["privacy", "export", "--user", ALICE[0]]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["tickets_reported"][0]["reporter_name"] == ALICE[1]
    assert app_module.main(["privacy", "purge", "--retention-days", "1"]) == 0  # closed in April 2025
    summary = json.loads(capsys.readouterr().out)
    assert summary["tickets"] == 2
    assert app_module.main(["privacy", "erase", "--user", FOLLOWER[0], "--by", "fg"]) == 0
    assert json.loads(capsys.readouterr().out)["subject"] == FOLLOWER[0]
    assert app_module.main(["privacy", "erase", "--user", " "]) == 2


@pytest.mark.parametrize(
    "data, kept, removed",
    [
        ({"priority": "P2", "next_step": "Ik bel je om 10:00, Sanne", "text": "Groet"}, {"priority": "P2"}, ("next_step", "text")),
        ({"reached": False, "note": "voicemail van Sanne"}, {"reached": False}, ("note",)),
        ({"party": "Dell", "reason": "onderdeel", "expected": "2026-04-30"}, {"party": "Dell", "expected": "2026-04-30"}, ("reason",)),
        ({"from_line": "1", "to_line": "2", "to_agent": None}, {"from_line": "1", "to_line": "2", "to_agent": None}, ()),
        ({"how": "loaner", "note": "bij de balie"}, {"how": "loaner"}, ("note",)),
        ({"location": "Dorpsstraat 1, Utrecht"}, {}, ("location",)),
        ({"kind": "datalek", "data_breach": True}, {"kind": "datalek", "data_breach": True}, ()),
        ({"title": "Storing Outlook"}, {}, ("title",)),
        ({"summary": "Certificaat verlopen", "link": "https://intranet.example/rca"}, {}, ("summary",)),
    ],
)
def test_purge_keeps_the_codes_of_recorded_facts_and_removes_their_words(data, kept, removed):
    """The clocks and figures need the codes (line, how, kind, dates); people's words go."""
    clean = scrub_event_data(data)
    assert {key: clean[key] for key in kept} == kept
    assert all(clean[key] == REMOVED for key in removed)
