"""The audit trail: who did what, when, to which ticket, with what result; refusals too.

Append-only and hash-chained. Each row stores the previous row's hash and its own:

    hash = sha256(prev_hash + canonical_json(entry))

where ``entry`` is the row's id, instant (UTC, ISO 8601 with microseconds), actor, action, ticket,
result and details, serialised with sorted keys and no spaces. The first row's ``prev_hash`` is
64 zeros. Changing, inserting or deleting a row anywhere breaks the chain at that row, and
``verify`` names the first broken link (``python app.py audit verify``). Removing rows at the very
end cannot be seen from the chain itself; that is the usual limit of a hash chain without an
external anchor.

Appends are serialised so two transactions never chain onto the same predecessor: on PostgreSQL
with a transaction-scoped advisory lock, on SQLite by writing first (the write lock is the
database's single writer lock) and reading the predecessor afterwards. Write the entry in the same
transaction as the change it records, as the last statement, so a rolled-back change leaves no entry.

Details never hold tokens or secrets: keys that look like credentials are dropped, and long texts
are cut (the reporter's own words stay in the ticket, not in the trail).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, AsyncIterator

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry

GENESIS = "0" * 64
# A constant key for pg_advisory_xact_lock: "audit" in ASCII.
_PG_LOCK_KEY = 0x6175646974
_SECRET_KEY = re.compile(r"token|secret|password|passwd|authori[sz]ation|credential|api[_-]?key|cookie|bearer", re.I)
_MAX_TEXT = 500


def _iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def scrub(value: Any, *, depth: int = 0) -> Any:
    """Details as plain JSON without anything that looks like a credential."""
    if depth > 4:
        return None
    if isinstance(value, dict):
        return {
            str(k): scrub(v, depth=depth + 1)
            for k, v in value.items()
            if not _SECRET_KEY.search(str(k))
        }
    if isinstance(value, (list, tuple)):
        return [scrub(v, depth=depth + 1) for v in list(value)[:50]]
    if isinstance(value, str):
        return value if len(value) <= _MAX_TEXT else value[:_MAX_TEXT] + "…"
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return repr(value)  # floats as text: a JSON round trip cannot change the hash
    if isinstance(value, datetime):
        return _iso(value)
    return str(value)


def canonical(entry: dict[str, Any]) -> str:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_of(row: AuditEntry) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": _iso(row.at),
        "actor": row.actor_id,
        "action": row.action,
        "ticket": row.ticket_id,
        "result": row.result,
        "details": row.details or {},
    }


def chain_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(entry)).encode("utf-8")).hexdigest()


# Built once: an append runs in every card click's transaction.
_AUDIT = AuditEntry.__table__
_INSERT = insert(_AUDIT).returning(_AUDIT.c.id)
_PREVIOUS_HASH = (
    select(_AUDIT.c.hash).where(_AUDIT.c.id < bindparam("row_id")).order_by(_AUDIT.c.id.desc()).limit(1)
)
_SEAL = (
    update(_AUDIT)
    .where(_AUDIT.c.id == bindparam("row_id"))
    .values(prev_hash=bindparam("sealed_prev_hash"), hash=bindparam("sealed_hash"))
)
_PG_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


async def append(
    session: AsyncSession,
    *,
    at: datetime,
    actor_id: str | None,
    action: str,
    ticket_id: int | None,
    result: str,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain, in the caller's transaction; returns it as stored (not
    attached to the session)."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        await session.execute(_PG_LOCK, {"key": _PG_LOCK_KEY})
    # The write comes first: on PostgreSQL after the lock, so the id order is the chain order; on
    # SQLite it takes the database's writer lock before the predecessor is read.
    row = AuditEntry(
        at=at.astimezone(timezone.utc),  # hash what the database gives back: UTC, microseconds
        actor_id=actor_id, action=action, ticket_id=ticket_id, result=result, details=scrub(details or {}),
        prev_hash="", hash="",
    )
    row.id = (
        await session.execute(
            _INSERT,
            {"at": row.at, "actor_id": actor_id, "action": action, "ticket_id": ticket_id, "result": result,
             "details": row.details, "prev_hash": "", "hash": ""},
        )
    ).scalar_one()
    previous = (await session.execute(_PREVIOUS_HASH, {"row_id": row.id})).scalar_one_or_none()
    row.prev_hash = previous or GENESIS
    row.hash = chain_hash(row.prev_hash, entry_of(row))
    await session.execute(_SEAL, {"row_id": row.id, "sealed_prev_hash": row.prev_hash, "sealed_hash": row.hash})
    return row


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""


async def _rows(session: AsyncSession, batch: int = 1000) -> AsyncIterator[AuditEntry]:
    last = 0
    while True:
        rows = list(
            (
                await session.execute(
                    select(AuditEntry).where(AuditEntry.id > last).order_by(AuditEntry.id).limit(batch)
                )
            ).scalars()
        )
        if not rows:
            return
        for row in rows:
            yield row
        last = rows[-1].id
        session.expunge_all()


async def verify(session: AsyncSession) -> VerifyResult:
    """Walk the chain in id order; the first row whose link or hash does not hold is reported."""
    expected_prev = GENESIS
    checked = 0
    async for row in _rows(session):
        if row.prev_hash != expected_prev:
            return VerifyResult(False, checked, row.id, "prev_hash does not match the hash of the entry before it")
        if chain_hash(row.prev_hash, entry_of(row)) != row.hash:
            return VerifyResult(False, checked, row.id, "the entry's content does not match its hash (altered)")
        expected_prev = row.hash
        checked += 1
    return VerifyResult(True, checked)
