"""Conversation references: where the bot can reach a user or a channel role proactively."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CardRef, ConversationRef

USER = "user"
CHANNEL = "channel"
CHANNEL_ROLES = ("servicedesk", "regie", "overleg")


async def save_reference(
    session: AsyncSession, *, kind: str, key: str, reference: dict[str, Any], now: datetime, by: str | None = None
) -> ConversationRef:
    existing = (
        await session.execute(select(ConversationRef).where(ConversationRef.kind == kind, ConversationRef.key == key))
    ).scalar_one_or_none()
    if existing is None:
        existing = ConversationRef(kind=kind, key=key, reference=reference, active=True, updated_at=now, updated_by=by)
        session.add(existing)
    elif existing.reference != reference or not existing.active:
        existing.reference, existing.active, existing.updated_at, existing.updated_by = reference, True, now, by
    return existing


async def get_reference(session: AsyncSession, *, kind: str, key: str) -> ConversationRef | None:
    return (
        await session.execute(select(ConversationRef).where(ConversationRef.kind == kind, ConversationRef.key == key))
    ).scalar_one_or_none()


async def deactivate(session: AsyncSession, *, kind: str, key: str, now: datetime) -> None:
    await session.execute(
        update(ConversationRef)
        .where(ConversationRef.kind == kind, ConversationRef.key == key)
        .values(active=False, updated_at=now)
    )


async def save_card_ref(
    session: AsyncSession, *, ticket_id: int, role: str, conversation_id: str, activity_id: str, now: datetime
) -> None:
    existing = (
        await session.execute(select(CardRef).where(CardRef.ticket_id == ticket_id, CardRef.role == role))
    ).scalar_one_or_none()
    if existing is None:
        session.add(
            CardRef(ticket_id=ticket_id, role=role, conversation_id=conversation_id, activity_id=activity_id, created_at=now)
        )
    else:
        existing.conversation_id, existing.activity_id = conversation_id, activity_id


async def get_card_ref(session: AsyncSession, *, ticket_id: int, role: str) -> CardRef | None:
    return (
        await session.execute(select(CardRef).where(CardRef.ticket_id == ticket_id, CardRef.role == role))
    ).scalar_one_or_none()
