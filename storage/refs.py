"""Conversation references: where the bot can reach a user or a channel role proactively."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from storage.models import CardRef, ConversationRef
from storage.statements import insert_or_update

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


# One statement, compiled once, the same on SQLite and PostgreSQL: insert the reference or
# overwrite it (and make it active again: the user is evidently reachable).
_UPSERT = insert_or_update(
    ConversationRef.__table__, ("kind", "key", "reference", "active", "updated_at", "updated_by"), ("kind", "key")
)


async def remember_user(connection: AsyncConnection | AsyncSession, *, key: str, reference: dict[str, Any], now: datetime) -> None:
    """Store where the bot reaches this user, on every miss of the bot's in-process cache.

    A Core upsert instead of ``save_reference``'s read-then-write in an ORM session: it runs for
    every employee's first message in a while, so it is on the path of many turns. In a session
    when it is written with something else (an installation: with the welcome's intent).
    """
    await connection.execute(
        _UPSERT,
        {"kind": USER, "key": key, "reference": reference, "active": True, "updated_at": now, "updated_by": None},
    )


# Read for every message the outbox sends (and the card's place for every redraw): built once.
_REFERENCE_OF = select(ConversationRef).where(
    ConversationRef.kind == bindparam("ref_kind"), ConversationRef.key == bindparam("ref_key")
)
_CARD_REF_OF = select(CardRef).where(CardRef.ticket_id == bindparam("card_ticket_id"), CardRef.role == bindparam("card_role"))
_SAVE_CARD_REF = insert_or_update(
    CardRef.__table__, ("ticket_id", "role", "conversation_id", "activity_id", "created_at"), ("ticket_id", "role"),
    keep=("created_at",),
)
_CAMPAIGN_CARD_REF_OF = select(CardRef).where(
    CardRef.campaign_id == bindparam("card_campaign_id"), CardRef.role == bindparam("card_role")
)
_SAVE_CAMPAIGN_CARD_REF = insert_or_update(
    CardRef.__table__, ("campaign_id", "role", "conversation_id", "activity_id", "created_at"), ("campaign_id", "role"),
    keep=("created_at",),
)
_ESCALATION_CARD_REF_OF = select(CardRef).where(
    CardRef.escalation_id == bindparam("card_escalation_id"), CardRef.role == bindparam("card_role")
)
_SAVE_ESCALATION_CARD_REF = insert_or_update(
    CardRef.__table__, ("escalation_id", "role", "conversation_id", "activity_id", "created_at"), ("escalation_id", "role"),
    keep=("created_at",),
)


async def user_ids_in_teams(session: AsyncSession, object_ids: Iterable[str], *, limit: int) -> list[str]:
    """The Teams user ids ("29:...") of the people with these Entra object ids who ever talked to
    the bot, at most ``limit``, in a stable order (for a card's automatic refresh)."""
    keys = sorted({key.lower() for key in object_ids})
    if not keys:
        return []
    rows = await session.execute(
        select(ConversationRef.reference).where(ConversationRef.kind == USER, ConversationRef.key.in_(keys)).order_by(ConversationRef.key)
    )
    found = [((reference or {}).get("user") or {}).get("id") for (reference,) in rows]
    return [user_id for user_id in found if user_id][:limit]


async def get_reference(session: AsyncSession, *, kind: str, key: str) -> ConversationRef | None:
    return (await session.execute(_REFERENCE_OF, {"ref_kind": kind, "ref_key": key})).scalar_one_or_none()


async def deactivate(session: AsyncSession, *, kind: str, key: str, now: datetime) -> None:
    await session.execute(
        update(ConversationRef)
        .where(ConversationRef.kind == kind, ConversationRef.key == key)
        .values(active=False, updated_at=now)
    )


async def save_card_ref(
    session: AsyncSession, *, ticket_id: int | None = None, escalation_id: int | None = None,
    campaign_id: int | None = None, role: str, conversation_id: str, activity_id: str, now: datetime,
) -> None:
    """Where the card of a ticket, an escalation or a campaign, for ``role`` was posted (a card
    posted again replaces the old place)."""
    place = {"role": role, "conversation_id": conversation_id, "activity_id": activity_id, "created_at": now}
    if campaign_id is not None:
        await session.execute(_SAVE_CAMPAIGN_CARD_REF, {"campaign_id": campaign_id, **place})
    elif escalation_id is not None:
        await session.execute(_SAVE_ESCALATION_CARD_REF, {"escalation_id": escalation_id, **place})
    else:
        await session.execute(_SAVE_CARD_REF, {"ticket_id": ticket_id, **place})


async def get_card_ref(
    session: AsyncSession, *, ticket_id: int | None = None, escalation_id: int | None = None,
    campaign_id: int | None = None, role: str,
) -> CardRef | None:
    if campaign_id is not None:
        return (
            await session.execute(_CAMPAIGN_CARD_REF_OF, {"card_campaign_id": campaign_id, "card_role": role})
        ).scalar_one_or_none()
    if escalation_id is not None:
        return (
            await session.execute(_ESCALATION_CARD_REF_OF, {"card_escalation_id": escalation_id, "card_role": role})
        ).scalar_one_or_none()
    return (await session.execute(_CARD_REF_OF, {"card_ticket_id": ticket_id, "card_role": role})).scalar_one_or_none()
