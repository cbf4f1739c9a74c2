"""The bot's dialog state in the database, as a botbuilder ``Storage`` with real eTags.

Dialog state holds botbuilder objects (``DialogState``, ``DialogInstance``); they are flattened
with jsonpickle, the same library botbuilder uses to detect state changes. Every write checks the
eTag the turn read (no eTag means "create", ``"*"`` means "overwrite"): if another turn (or another replica) wrote in between, the write fails instead
of silently overwriting, and the SDK reports it. A half-finished intake therefore survives a
restart exactly as it was last saved.
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import Storage
from jsonpickle.pickler import Pickler
from jsonpickle.unpickler import Unpickler
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from sla.clock import Clock
from storage.db import Database
from storage.models import BotStateRow


class ETagConflict(Exception):
    """Another writer changed this state since it was read."""


def _flatten(value: Any) -> dict[str, Any]:
    return Pickler(keys=True, warn=True).flatten(value)


def _restore(document: dict[str, Any]) -> Any:
    return Unpickler(keys=True).restore(document)


def _etag_of(item: Any) -> str | None:
    if isinstance(item, dict):
        return item.get("e_tag")
    return getattr(item, "e_tag", None)


def _with_etag(item: Any, etag: str) -> None:
    if isinstance(item, dict):
        item["e_tag"] = etag
    else:
        item.e_tag = etag


class SqlStorage(Storage):
    def __init__(self, *, database: Database, clock: Clock) -> None:
        self._db = database
        self._clock = clock

    async def read(self, keys: list[str]) -> dict[str, Any]:
        if not keys:
            return {}
        # Only the SELECT holds the connection; restoring the documents (jsonpickle, the costly
        # part) runs after it went back to the pool (SQLite has one, shared in turn).
        async with self._db.engine.connect() as connection:
            rows = (
                await connection.execute(
                    select(BotStateRow.key, BotStateRow.etag, BotStateRow.document).where(BotStateRow.key.in_(keys))
                )
            ).all()
        result: dict[str, Any] = {}
        for key, etag, document in rows:
            item = _restore(document)
            _with_etag(item, str(etag))
            result[key] = item
        return result

    async def write(self, changes: dict[str, Any]) -> None:
        if not changes:
            return
        now = self._clock.now()
        # Flatten before the transaction, so the connection is held for the statements only.
        flattened: dict[str, tuple[Any, Any]] = {}
        for key, item in changes.items():
            document = _flatten(item)
            if isinstance(document, dict):
                document.pop("e_tag", None)
            flattened[key] = (_etag_of(item), document)
        # Core statements on a connection (no ORM unit of work: less CPU per turn).
        table = BotStateRow.__table__
        async with self._db.engine.begin() as connection:
            for key, item in changes.items():
                expected, document = flattened[key]
                if expected == "*":
                    current = (
                        await connection.execute(
                            select(table.c.etag).where(table.c.key == key).with_for_update()
                        )
                    ).scalar_one_or_none()
                    if current is None:
                        await connection.execute(
                            insert(table).values(key=key, etag=1, document=document, updated_at=now)
                        )
                        new_etag = 1
                    else:
                        new_etag = current + 1
                        await connection.execute(
                            update(table).where(table.c.key == key).values(etag=new_etag, document=document, updated_at=now)
                        )
                elif expected in (None, ""):
                    # No eTag: the writer saw no state, so this must be the first write.
                    try:
                        await connection.execute(
                            insert(table).values(key=key, etag=1, document=document, updated_at=now)
                        )
                    except IntegrityError as exc:
                        raise ETagConflict(f"state {key!r} was created by another turn meanwhile") from exc
                    new_etag = 1
                else:
                    new_etag = int(expected) + 1
                    result = await connection.execute(
                        update(table)
                        .where(table.c.key == key, table.c.etag == int(expected))
                        .values(etag=new_etag, document=document, updated_at=now)
                    )
                    if result.rowcount != 1:
                        raise ETagConflict(f"state {key!r} changed since it was read (eTag {expected})")
                _with_etag(item, str(new_etag))

    async def delete(self, keys: list[str]) -> None:
        if not keys:
            return
        async with self._db.sessions.begin() as session:
            await session.execute(delete(BotStateRow).where(BotStateRow.key.in_(keys)))
