"""Claims on inbound activities, so a duplicate delivery changes nothing a second time.

Teams redelivers an activity when the bot did not answer in time, and a load balancer or a client
retry can deliver the same one twice at once. Before a turn runs, the endpoint claims the
activity's key in ``processed_activities`` with an insert that does nothing on conflict (one
statement, atomic on SQLite and PostgreSQL, also across replicas): the first delivery gets the
claim and runs the turn; every other copy finds the key taken and runs nothing.

If the turn fails, the claim is released, so Teams' redelivery can run it. Old keys are pruned
(older than the keep window, by the indexed ``at`` column) at most once per prune interval.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Mapping

from sqlalchemy import delete

from storage.db import Database
from storage.models import ProcessedActivity
from storage.statements import insert_unless_exists

_CLAIM = insert_unless_exists(ProcessedActivity.__table__, ("activity_key", "at"), ("activity_key",))

MAX_KEY_LENGTH = 400


def activity_key(activity: Mapping[str, Any]) -> str | None:
    """``channel|conversation|activity id``, or None when the activity has no id to dedup on.

    The conversation is part of the key because activity ids are only unique within one.
    """
    activity_id = activity.get("id")
    conversation = activity.get("conversation")
    conversation_id = conversation.get("id") if isinstance(conversation, Mapping) else None
    if not isinstance(activity_id, str) or not activity_id or not isinstance(conversation_id, str):
        return None
    channel = activity.get("channelId") if isinstance(activity.get("channelId"), str) else ""
    key = f"{channel}|{conversation_id}|{activity_id}"
    if len(key) > MAX_KEY_LENGTH:
        import hashlib

        key = "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return key


class ActivityClaims:
    def __init__(
        self,
        *,
        database: Database,
        clock: Any,
        keep: timedelta = timedelta(hours=48),
        prune_every: timedelta = timedelta(hours=1),
    ) -> None:
        self._db = database
        self._clock = clock
        self._keep = keep
        self._prune_every = prune_every
        self._last_prune: datetime | None = None

    async def claim(self, key: str) -> bool:
        """True when this delivery is the first one with ``key`` (and now owns it)."""
        now = self._clock.now()
        # A Core connection, not an ORM session: one statement needs no unit of work, and the
        # session's bookkeeping was CPU on every turn (bench/turns.py).
        async with self._db.single_statement.begin() as connection:
            result = await connection.execute(_CLAIM, {"activity_key": key, "at": now})
            claimed = result.rowcount == 1
        if claimed:
            await self._maybe_prune(now)
        return claimed

    async def release(self, key: str) -> None:
        """Forget a claim (the turn failed): a redelivery of the activity runs again."""
        async with self._db.engine.begin() as connection:
            await connection.execute(delete(ProcessedActivity).where(ProcessedActivity.activity_key == key))

    async def prune(self, now: datetime | None = None) -> int:
        """Delete claims older than the keep window; returns how many."""
        now = now or self._clock.now()
        async with self._db.engine.begin() as connection:
            result = await connection.execute(
                delete(ProcessedActivity).where(ProcessedActivity.at < now - self._keep)
            )
        self._last_prune = now
        return result.rowcount or 0

    async def _maybe_prune(self, now: datetime) -> None:
        if self._last_prune is not None and now - self._last_prune < self._prune_every:
            return
        self._last_prune = now  # set first: concurrent turns do not all prune at once
        try:
            await self.prune(now)
        except Exception:  # noqa: BLE001 - pruning is housekeeping; the next interval retries
            import logging

            logging.getLogger("servicedesk.dedup").warning("pruning processed activities failed")
