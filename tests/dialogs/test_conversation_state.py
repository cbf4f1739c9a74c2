"""The dialog state in the database: written when it changed, never over another turn's write.

``SqlConversationState`` flattens the state once per turn; these tests prove that it still keeps
the SDK's contract: a turn that changed nothing writes nothing, a turn that changed something writes
it once with the next eTag, and a turn that read an older version is refused instead of silently
overwriting the newer one (the employee's half-finished intake is never lost to a race).
"""

from __future__ import annotations

import pytest
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount
from sqlalchemy import select

from storage.bot_state import ETagConflict, SqlConversationState, SqlStorage
from storage.models import BotStateRow

KEY = "msteams/conversations/a:personal-sanne"


def _turn() -> TurnContext:
    activity = Activity(
        type="message",
        channel_id="msteams",
        conversation=ConversationAccount(id="a:personal-sanne"),
        from_property=ChannelAccount(id="29:sanne"),
        recipient=ChannelAccount(id="28:bot"),
        text="hoi",
    )
    return TurnContext(TestAdapter(), activity)


@pytest.fixture
async def database(database_url):
    """On SQLite and on PostgreSQL (where the one-statement reads and writes autocommit)."""
    from storage.db import open_database

    db = open_database(database_url)
    yield db
    await db.dispose()


@pytest.fixture
def state(database, clock):
    return SqlConversationState(SqlStorage(database=database, clock=clock))


async def _stored(database) -> tuple[int, dict] | None:
    async with database.engine.connect() as connection:
        row = (await connection.execute(select(BotStateRow.etag, BotStateRow.document).where(BotStateRow.key == KEY))).first()
    return (row.etag, row.document) if row else None


async def _turn_setting(state, name: str, value) -> None:
    turn = _turn()
    accessor = state.create_property(name)
    await state.load(turn)
    await accessor.set(turn, value)
    await state.save_changes(turn)


async def test_a_turn_that_changes_nothing_writes_nothing(state, database):
    await _turn_setting(state, "intake", {"step": "description"})
    assert (await _stored(database))[0] == 1

    turn = _turn()
    await state.load(turn)
    assert await state.create_property("intake").get(turn) == {"step": "description"}
    await state.save_changes(turn)

    assert (await _stored(database))[0] == 1


async def test_a_changed_state_is_written_once_with_the_next_etag(state, database):
    await _turn_setting(state, "intake", {"step": "description"})
    await _turn_setting(state, "intake", {"step": "category", "description": "printer kapot"})

    etag, document = await _stored(database)
    assert etag == 2
    turn = _turn()
    await state.load(turn)
    assert await state.create_property("intake").get(turn) == {"step": "category", "description": "printer kapot"}
    assert "e_tag" not in document  # the eTag is a column, not part of the document


async def test_saving_twice_in_one_turn_writes_only_the_second_change(state, database):
    turn = _turn()
    accessor = state.create_property("intake")
    await state.load(turn)
    await accessor.set(turn, {"step": "description"})
    await state.save_changes(turn)
    await state.save_changes(turn)  # nothing changed since the first save
    assert (await _stored(database))[0] == 1
    await accessor.set(turn, {"step": "category"})
    await state.save_changes(turn)
    assert (await _stored(database))[0] == 2


async def test_a_turn_that_read_an_older_version_is_refused_and_the_newer_state_stays(state, database):
    await _turn_setting(state, "intake", {"step": "description"})
    first, second = _turn(), _turn()
    await state.load(first)
    await state.load(second)
    await state.create_property("intake").set(first, {"step": "category"})
    await state.save_changes(first)

    await state.create_property("intake").set(second, {"step": "scope"})
    with pytest.raises(ETagConflict):
        await state.save_changes(second)

    etag, document = await _stored(database)
    assert etag == 2
    assert "category" in str(document) and "scope" not in str(document)


async def test_a_new_conversation_is_read_once_in_its_first_turn(state, database):
    reads = []
    storage = state._sql_storage
    read = storage.read_with_documents

    async def counting(keys):
        reads.append(keys)
        return await read(keys)

    storage.read_with_documents = counting
    turn = _turn()
    accessor = state.create_property("dialog_state")
    assert await accessor.get(turn, lambda: {"stack": []}) == {"stack": []}  # nothing stored: the default
    await state.save_changes(turn)

    assert reads == [[KEY]]  # the SDK's accessor read again on setting the default
    assert (await _stored(database))[0] == 1
