"""The hot "insert unless it exists" statements: compiled once, and still exactly-once in effect.

A duplicate delivery of a Teams activity must run nothing, and a cause must queue its message only
once; ``storage.statements`` keeps that while letting SQLAlchemy reuse the compiled statement
instead of compiling it on every turn. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.engine.default import CACHE_HIT

from sla.clock import FixedClock
from storage import outbox
from storage.db import open_database
from storage.dedup import ActivityClaims
from storage.models import OutboxMessage, ProcessedActivity
from storage.statements import insert_unless_exists

NOW = datetime(2026, 4, 28, 6, 0, tzinfo=timezone.utc)


@pytest.fixture
async def database(database_url):
    db = open_database(database_url)
    yield db
    await db.dispose()


async def test_a_second_delivery_of_an_activity_is_refused_and_the_statement_is_reused(database):
    claims = ActivityClaims(database=database, clock=FixedClock(NOW))
    assert await claims.claim("msteams|a:personal-1|act-1") is True
    assert await claims.claim("msteams|a:personal-1|act-1") is False
    assert await claims.claim("msteams|a:personal-1|act-2") is True

    statement = insert_unless_exists(ProcessedActivity.__table__, ("activity_key", "at"), ("activity_key",))
    async with database.engine.begin() as connection:
        result = await connection.execute(statement, {"activity_key": "msteams|x|y", "at": NOW})
        assert result.context.cache_hit == CACHE_HIT  # compiled by the claims above, not again
        rows = (await connection.execute(select(ProcessedActivity.activity_key, ProcessedActivity.at))).all()
    assert len(rows) == 3
    assert all(at.replace(tzinfo=timezone.utc) == NOW for _, at in rows)  # the column's datetime type applied


async def test_a_message_is_queued_once_per_dedup_key_with_its_payload_intact(database):
    async with database.sessions.begin() as session:
        first = await outbox.enqueue(
            session, dedup_key="ticket:7:card", target=outbox.Target.channel("servicedesk"),
            payload={"kind": "ticket_card", "ticket_id": 7, "tekst": "één"}, now=NOW, op=outbox.SEND_CARD, ticket_id=7,
        )
        again = await outbox.enqueue(
            session, dedup_key="ticket:7:card", target=outbox.Target.channel("servicedesk"),
            payload={"kind": "ticket_card", "ticket_id": 7}, now=NOW + timedelta(minutes=1), ticket_id=7,
        )
        await outbox.enqueue_many(
            session,
            [outbox.card_redraw(7, 2), outbox.card_redraw(7, 2), outbox.card_redraw(7, 3)],
            now=NOW,
        )
    assert (first, again) == (True, False)
    async with database.sessions() as session:
        rows = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars().all()
    assert [row.dedup_key for row in rows] == ["ticket:7:card", "ticket:7:v2:card", "ticket:7:v3:card"]
    assert rows[0].payload == {"kind": "ticket_card", "ticket_id": 7, "tekst": "één"}
    assert rows[0].op == outbox.SEND_CARD and rows[0].status == "pending"
    assert rows[0].next_attempt_at.replace(tzinfo=timezone.utc) == NOW


def test_a_column_that_does_not_exist_is_refused_when_the_statement_is_built():
    with pytest.raises(ValueError, match="no column 'activiteit'"):
        insert_unless_exists(ProcessedActivity.__table__, ("activiteit",), ("activity_key",))


async def test_remembering_a_user_stores_overwrites_and_reactivates_the_reference(database):
    from storage import refs
    from storage.models import ConversationRef

    first = {"serviceUrl": "https://smba.trafficmanager.net/emea/", "conversation": {"id": "a:1"}}
    moved = {"serviceUrl": "https://smba.trafficmanager.net/emea/", "conversation": {"id": "a:2"}}
    async with database.engine.begin() as connection:
        await refs.remember_user(connection, key="sanne", reference=first, now=NOW)
    async with database.sessions.begin() as session:
        await refs.deactivate(session, kind=refs.USER, key="sanne", now=NOW)  # Teams said 403 meanwhile
    async with database.engine.begin() as connection:
        await refs.remember_user(connection, key="sanne", reference=moved, now=NOW + timedelta(minutes=5))
        await refs.remember_user(connection, key="joost", reference=first, now=NOW)

    async with database.sessions() as session:
        sanne = await refs.get_reference(session, kind=refs.USER, key="sanne")
        rows = (await session.execute(select(ConversationRef))).scalars().all()
    assert (sanne.reference, sanne.active) == (moved, True)
    assert sanne.updated_at.replace(tzinfo=timezone.utc) == NOW + timedelta(minutes=5)
    assert sorted(row.key for row in rows) == ["joost", "sanne"]


async def test_a_card_posted_again_replaces_its_place_and_keeps_when_it_was_first_posted(database):
    from storage import refs
    from storage.models import CardRef

    async with database.sessions.begin() as session:
        ticket_id = await _a_ticket(session)
        await refs.save_card_ref(
            session, ticket_id=ticket_id, role="servicedesk", conversation_id="19:sd;messageid=1", activity_id="1", now=NOW
        )
    async with database.sessions.begin() as session:
        await refs.save_card_ref(
            session, ticket_id=ticket_id, role="servicedesk", conversation_id="19:sd;messageid=2", activity_id="2",
            now=NOW + timedelta(hours=1),
        )
        await refs.save_card_ref(
            session, ticket_id=ticket_id, role="regie", conversation_id="19:regie", activity_id="9", now=NOW
        )
    async with database.sessions() as session:
        desk = await refs.get_card_ref(session, ticket_id=ticket_id, role="servicedesk")
        rows = (await session.execute(select(CardRef))).scalars().all()
        missing = await refs.get_card_ref(session, ticket_id=ticket_id + 1, role="servicedesk")
    assert (desk.conversation_id, desk.activity_id) == ("19:sd;messageid=2", "2")
    assert desk.created_at.replace(tzinfo=timezone.utc) == NOW
    assert sorted(row.role for row in rows) == ["regie", "servicedesk"]
    assert missing is None


async def _a_ticket(session) -> int:
    from sla.policy import load_policy
    from sla.priority import IntakeAnswers, decide_priority
    from storage import tickets

    ticket = await tickets.create_ticket(
        session, policy=load_policy("halt"), now=NOW, reporter_id="sanne", reporter_name="Sanne", category="laptop",
        scope="alleen_ik", description="Start niet", decision=decide_priority(IntakeAnswers(category="laptop", scope="alleen_ik")),
    )
    return ticket.id


async def test_single_statement_work_autocommits_on_postgresql_and_is_a_transaction_on_sqlite(database):
    """Only one-statement work may use ``single_statement``: on PostgreSQL each statement stands alone."""
    claims = ActivityClaims(database=database, clock=FixedClock(NOW))
    with pytest.raises(RuntimeError):
        async with database.single_statement.begin() as connection:
            await connection.execute(
                insert_unless_exists(ProcessedActivity.__table__, ("activity_key", "at"), ("activity_key",)),
                {"activity_key": "k", "at": NOW},
            )
            raise RuntimeError("the turn failed after the statement")
    kept = not await claims.claim("k")
    assert kept is (not database.is_sqlite)


async def test_a_new_ticket_comes_back_complete_and_as_stored_and_can_be_changed_in_the_same_session(database):
    from sqlalchemy import inspect

    from sla.policy import load_policy
    from sla.priority import IntakeAnswers, decide_priority
    from storage import tickets
    from storage.models import Ticket, TicketEventRow

    decision = decide_priority(IntakeAnswers(category="printer", scope="alleen_ik"))
    async with database.sessions.begin() as session:
        ticket = await tickets.create_ticket(
            session, policy=load_policy("halt"), now=NOW, reporter_id="sanne", reporter_name="Sanne de Vries",
            category="printer", scope="alleen_ik", description="printer doet het niet meer", decision=decision,
        )
        assert inspect(ticket).unloaded == set()  # every column is there: nothing lazy-loads later
        returned = {column.key: getattr(ticket, column.key) for column in Ticket.__table__.columns}
        ticket.owner_name = "Ahmet"  # a change in the same transaction is written as usual

    async with database.sessions() as session:
        stored = await session.get(Ticket, returned["id"])
        events = (await session.execute(select(TicketEventRow))).scalars().all()
        stored_values = {column.key: getattr(stored, column.key) for column in Ticket.__table__.columns}
    assert stored_values == {**returned, "owner_name": "Ahmet"}
    assert returned["first_response_due"] is not None and returned["next_update_due"] is not None
    assert [(e.ticket_id, e.kind, e.data["ticket"]) for e in events] == [(returned["id"], "reported", f"M-{returned['id']}")]
