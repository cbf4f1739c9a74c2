"""Storage's side of the supplier's ticket system (``itsm``): intents, links and shared state.

*Intents.* When a ticket system is connected, a new Teams ticket and every change a card makes
write an intent for it in the outbox (target kind ``itsm``), in the same transaction as the change,
so a crash can lose neither. Whether a system is connected is a property of the sessions the
composition root hands out (``connect_sessions``): storage writes intents for "the ticket system"
without knowing which one. Changes that *come from* the ticket system are applied in sessions
marked ``from_ticket_system``, which write no intents, so nothing echoes back.

*Claiming.* The ITSM worker claims its intents on its own path, never Teams delivery's: pending
rows whose time has come, with a lease, and only the oldest pending intent of each ticket, so a
ticket's incident is created before its changes are written and its changes go in order, while
other tickets go on.

*Links.* ``itsm_links`` says which incident a ticket is and what was last seen of it; the ticket
row carries the incident's number for the cards.

*State.* ``itsm_state`` holds what every replica shares: the read cursor with the poll lease (one
replica polls at a time) and the current outage.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, and_, bindparam, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import outbox
from storage.db import Database
from storage.outbox import Kind
from storage.models import ItsmLink, ItsmState, OutboxMessage, Ticket
from storage.statements import insert_unless_exists

SYSTEM = "itsm_system"  # session.info: the connected system's name
FROM_TICKET_SYSTEM = "itsm_from_ticket_system"  # session.info: applying the system's own changes



def connect_sessions(database: Database, system: str) -> None:
    """Every session of ``database`` from now on writes intents for ``system`` (at start-up)."""
    database.sessions.configure(info={SYSTEM: system})


def from_ticket_system(session: AsyncSession) -> AsyncSession:
    """Mark ``session`` as applying changes read from the ticket system: it writes no intents."""
    session.info[FROM_TICKET_SYSTEM] = True
    return session


def _target(session: AsyncSession) -> outbox.Target | None:
    system = session.info.get(SYSTEM)
    if not system or session.info.get(FROM_TICKET_SYSTEM):
        return None
    return outbox.Target.itsm(system)


async def intend_create(session: AsyncSession, *, ticket_id: int, now: datetime) -> None:
    """A new Teams ticket becomes an incident (once: the dedup key is the ticket's)."""
    target = _target(session)
    if target is not None:
        await outbox.enqueue(
            session, dedup_key=f"itsm:ticket:{ticket_id}:create", target=target,
            payload={"kind": Kind.ITSM_CREATE, "ticket_id": ticket_id}, now=now, ticket_id=ticket_id,
        )


async def intend_write(
    session: AsyncSession, *, ticket_id: int, version: int, kind: str, data: dict[str, Any], now: datetime
) -> None:
    """A card's change of a ticket is written to its incident (once per ticket version)."""
    target = _target(session)
    if target is not None:
        await outbox.enqueue(
            session, dedup_key=f"itsm:ticket:{ticket_id}:v{version}:{kind}", target=target,
            payload={"kind": Kind.ITSM_WRITE, "ticket_id": ticket_id, "event": kind, "at": now.isoformat(), "data": data},
            now=now, ticket_id=ticket_id,
        )


# -- the ITSM worker's claim and record path -----------------------------------------------------
_OUTBOX = OutboxMessage.__table__
_EARLIER = _OUTBOX.alias("earlier")
_CLAIMABLE = (
    select(_OUTBOX.c.id, _OUTBOX.c.target_key, _OUTBOX.c.payload, _OUTBOX.c.ticket_id, _OUTBOX.c.attempts)
    .where(
        _OUTBOX.c.status == outbox.Status.PENDING,
        _OUTBOX.c.target_kind == outbox.ITSM,
        _OUTBOX.c.next_attempt_at <= bindparam("now"),
        (_OUTBOX.c.lease_until.is_(None)) | (_OUTBOX.c.lease_until <= bindparam("now")),
        ~exists().where(
            and_(
                _EARLIER.c.target_kind == outbox.ITSM,
                _EARLIER.c.status == outbox.Status.PENDING,
                _EARLIER.c.ticket_id == _OUTBOX.c.ticket_id,
                _EARLIER.c.id < _OUTBOX.c.id,
            )
        ),
    )
    .order_by(_OUTBOX.c.id)
    .limit(bindparam("batch"))
    .with_for_update(skip_locked=True, of=_OUTBOX)
)
_LEASE = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(bindparam("claimed_ids", expanding=True)))
    .values(lease_until=bindparam("until"), claimed_by=bindparam("worker"))
)
_MINE = (_OUTBOX.c.id == bindparam("message_id")) & (_OUTBOX.c.claimed_by == bindparam("worker")) & (_OUTBOX.c.status == outbox.Status.PENDING)


async def claim(session: AsyncSession, *, now: datetime, worker: str, lease: timedelta, limit: int = 20) -> list[Row]:
    """Due intents, the oldest pending one of each ticket only, leased to ``worker``."""
    rows = list((await session.execute(_CLAIMABLE, {"now": now, "batch": limit})).all())
    if rows:
        await session.execute(_LEASE, {"claimed_ids": [row.id for row in rows], "until": now + lease, "worker": worker})
    return rows


async def done(session: AsyncSession, *, message_id: int, worker: str, now: datetime, note: str | None = None) -> None:
    await session.execute(
        update(_OUTBOX).where(_MINE).values(status="sent", sent_at=now, lease_until=None, last_error=note),
        {"message_id": message_id, "worker": worker},
    )


async def again(
    session: AsyncSession, *, message_id: int, worker: str, at: datetime, error: str, count: bool = True
) -> None:
    """Try again at ``at``; ``count`` False when the attempt never reached the system (a batch
    stopped because the system was down)."""
    await session.execute(
        update(_OUTBOX).where(_MINE).values(
            attempts=_OUTBOX.c.attempts + (1 if count else 0), next_attempt_at=at, lease_until=None, claimed_by=None,
            last_error=error[:300],
        ),
        {"message_id": message_id, "worker": worker},
    )


async def give_up(session: AsyncSession, *, message_id: int, worker: str, error: str) -> None:
    await session.execute(
        update(_OUTBOX).where(_MINE).values(status=outbox.Status.FAILED, attempts=_OUTBOX.c.attempts + 1, lease_until=None, last_error=error[:300]),
        {"message_id": message_id, "worker": worker},
    )


# -- links ---------------------------------------------------------------------------------------
_INSERT_LINK = insert_unless_exists(
    ItsmLink.__table__, ("ticket_id", "system", "incident_id", "seen", "linked_at"), ("ticket_id",)
)


async def link(
    session: AsyncSession, *, ticket_id: int, system: str, incident_id: str, number: str, seen: dict[str, Any], now: datetime
) -> bool:
    """Record that the ticket is this incident; returns False when it was linked already.

    The servicedesk card is drawn again with the number, and a Teams reporter is told it, once.
    """
    added = await session.execute(
        _INSERT_LINK, {"ticket_id": ticket_id, "system": system, "incident_id": incident_id, "seen": seen, "linked_at": now}
    )
    if added.rowcount != 1:
        return False
    await session.execute(update(Ticket).where(Ticket.id == ticket_id).values(external_number=number[:60]))
    ticket = await session.get(Ticket, ticket_id, populate_existing=True)
    await outbox.redraw_card(session, ticket_id=ticket_id, version=f"{ticket.version}-linked", now=now)
    await outbox.enqueue(
        session, dedup_key=f"ticket:{ticket_id}:itsm-linked", target=outbox.Target.user(ticket.reporter_id),
        payload={"kind": Kind.ITSM_LINKED, "ticket_id": ticket_id}, now=now, ticket_id=ticket_id,
    )
    return True


async def link_of(session: AsyncSession, ticket_id: int) -> ItsmLink | None:
    return await session.get(ItsmLink, ticket_id)


async def link_for_incident(session: AsyncSession, *, system: str, incident_id: str) -> ItsmLink | None:
    """The incident's link, locked for the transaction: what a read saw is compared and stored at
    once, never interleaved with a write's (``note_written``)."""
    query = select(ItsmLink).where(ItsmLink.system == system, ItsmLink.incident_id == incident_id).with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def remember(session: AsyncSession, *, ticket_id: int, seen: dict[str, Any]) -> None:
    """What was last read from the ticket's incident (in the transaction that locked its link)."""
    await session.execute(update(ItsmLink).where(ItsmLink.ticket_id == ticket_id).values(seen=seen))


async def note_written(session: AsyncSession, *, ticket_id: int, fields: dict[str, Any]) -> None:
    """Fields a write just set in the incident: the next read does not take them for its news."""
    query = select(ItsmLink.seen).where(ItsmLink.ticket_id == ticket_id).with_for_update()
    seen = (await session.execute(query)).scalar_one_or_none()
    if seen is not None:
        await remember(session, ticket_id=ticket_id, seen={**seen, **fields})


# -- shared state --------------------------------------------------------------------------------
_INSERT_STATE = insert_unless_exists(ItsmState.__table__, ("key", "value", "lease_until", "updated_at"), ("key",))
_STATE = ItsmState.__table__


async def read_state(session: AsyncSession, key: str) -> dict[str, Any] | None:
    row = (await session.execute(select(_STATE.c.value).where(_STATE.c.key == key))).first()
    return dict(row.value) if row is not None else None


async def write_state(session: AsyncSession, key: str, value: dict[str, Any], *, now: datetime) -> None:
    await session.execute(_INSERT_STATE, {"key": key, "value": value, "lease_until": None, "updated_at": now})
    await session.execute(update(_STATE).where(_STATE.c.key == key).values(value=value, updated_at=now))


async def take_lease(session: AsyncSession, key: str, *, now: datetime, until: datetime) -> dict[str, Any] | None:
    """Hold ``key`` until ``until`` unless another replica holds it; returns its value when taken."""
    await session.execute(_INSERT_STATE, {"key": key, "value": {}, "lease_until": None, "updated_at": now})
    taken = await session.execute(
        update(_STATE)
        .where(_STATE.c.key == key, (_STATE.c.lease_until.is_(None)) | (_STATE.c.lease_until <= now))
        .values(lease_until=until, updated_at=now)
    )
    return await read_state(session, key) if taken.rowcount == 1 else None


async def release_lease(session: AsyncSession, key: str, *, now: datetime) -> None:
    await session.execute(update(_STATE).where(_STATE.c.key == key).values(lease_until=None, updated_at=now))
