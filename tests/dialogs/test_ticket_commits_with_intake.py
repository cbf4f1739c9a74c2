"""The new ticket and the end of the intake are stored together, or neither is.

Before, the ticket was committed first and the dialog state (the intake ended) in a second
transaction at the end of the turn. A process that died in between, or a state write refused
because another turn changed the conversation, left a stored ticket behind an intake that still
waited for "ja": a second "ja" made a second ticket.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from storage import employee
from storage.bot_state import ETagConflict, SqlStorage
from storage.models import BotStateRow, Ticket
from tests.dialogs.chat import Chat


async def _tickets(services) -> list[Ticket]:
    async with services.database.sessions() as session:
        return list((await session.execute(select(Ticket))).scalars())


async def _to_summary(chat: Chat) -> None:
    await chat.say("mijn laptop start niet op, ik werk nu op een leenlaptop")
    await chat.say("laptop")
    await chat.tap("alleen_ik")
    assert "Klopt dit?" in await chat.say("ja, het is alleen lastig")


async def test_a_ticket_that_cannot_be_stored_leaves_the_intake_waiting_and_ja_again_makes_one(chat: Chat, services, monkeypatch):
    await _to_summary(chat)

    async def disk_full(*args, **kwargs):  # fails after the ticket's INSERT, in its transaction
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(employee, "add_attachments", disk_full)
        with pytest.raises(OSError):
            await chat.tap("ja")
    assert await _tickets(services) == []

    done = await chat.tap("ja")  # the same card, the same answer

    assert "is aangemaakt met prioriteit P3 (normaal)" in done
    assert len(await _tickets(services)) == 1


async def test_when_another_turn_changed_the_conversation_meanwhile_no_ticket_is_stored(chat: Chat, services, monkeypatch):
    await _to_summary(chat)
    read = SqlStorage.read_with_documents

    async def read_then_another_turn_writes(self, keys):
        result = await read(self, keys)
        async with services.database.sessions.begin() as session:  # e.g. a second replica's turn
            await session.execute(update(BotStateRow).values(etag=BotStateRow.etag + 1))
        return result

    monkeypatch.setattr(SqlStorage, "read_with_documents", read_then_another_turn_writes)
    with pytest.raises(ETagConflict):
        await chat.tap("ja")

    assert await _tickets(services) == []
