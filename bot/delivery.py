"""Sending the outbox: render each intent from the current state, send it, record the result.

Rows are claimed with a lease in one short transaction, sent outside any transaction, and marked
in another. A process that dies after claiming leaves rows that another sender takes over when
the lease expires; a crash after sending but before marking can repeat one message, never lose
one (at-least-once; the dedup key keeps causes from queueing twice).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity, ConversationReference

from bot import cards, feedback_cards, summary
from bot.connector import Connector, ConnectorError
from dialogs import texts
from dialogs.when import say_when
from sla.clock import Clock
from sla.policy import Policy
from storage import outbox, refs
from storage.db import Database
from storage.models import OutboxMessage, Ticket
from storage.tickets import ticket_label

log = logging.getLogger("servicedesk.delivery")


class Undeliverable(Exception):
    """The message cannot be sent now and retrying will not help (e.g. no channel linked)."""


@dataclass(frozen=True)
class Rendered:
    activity: dict[str, Any]


def _message(text: str | None = None, card: dict[str, Any] | None = None) -> Activity:
    if card is not None:
        activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
        if text:
            activity.text = text
        return activity
    return MessageFactory.text(text or "")


class Delivery:
    def __init__(
        self,
        *,
        database: Database,
        connector: Connector,
        clock: Clock,
        policy: Policy,
        worker_id: str,
        lease: timedelta = timedelta(minutes=2),
    ) -> None:
        self._db = database
        self._connector = connector
        self._clock = clock
        self._policy = policy
        self._worker = worker_id
        self._lease = lease
        self._task: asyncio.Task | None = None
        self._again = False

    # -- waking up -------------------------------------------------------------------------
    def kick(self) -> None:
        """Start draining soon (after the current turn's commit); coalesces repeated kicks."""
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.get_running_loop().create_task(self._drain_until_quiet())

    async def _drain_until_quiet(self) -> None:
        while True:
            self._again = False
            try:
                await self.drain()
            except Exception:  # noqa: BLE001 - a failed drain is retried by the next kick or sweep
                log.exception("outbox drain failed; the next sweep retries")
            if not self._again:
                return

    async def wait_idle(self) -> None:
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    async def close(self) -> None:
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    # -- sending ---------------------------------------------------------------------------
    async def drain(self, *, limit: int = 50) -> int:
        """Send everything due now; returns the number of messages sent."""
        sent = 0
        while True:
            now = self._clock.now()
            async with self._db.sessions.begin() as session:
                batch = await outbox.claim_due(session, now=now, worker=self._worker, lease=self._lease, limit=limit)
                claimed = [(row.id, row.op, row.target_kind, row.target_key, dict(row.payload), row.ticket_id) for row in batch]
            if not claimed:
                return sent
            for message in claimed:
                if await self._send_one(*message):
                    sent += 1
            if len(claimed) < limit:
                return sent

    async def _send_one(self, message_id: int, op: str, target_kind: str, target_key: str, payload: dict[str, Any], ticket_id: int | None) -> bool:
        now = self._clock.now()
        try:
            async with self._db.sessions() as session:
                reference = await refs.get_reference(session, kind=target_kind, key=target_key)
                if reference is None or not reference.active:
                    raise Undeliverable(f"no active conversation for {target_kind} {target_key}")
                ref = ConversationReference().deserialize(reference.reference)
                card_ref = await refs.get_card_ref(session, ticket_id=ticket_id, role=target_key) if op == outbox.UPDATE_CARD else None
                activity = await self._render(session, payload)
            conversation_id = ref.conversation.id.split(";")[0] if target_kind == refs.CHANNEL else ref.conversation.id
            activity.conversation = ref.conversation
            activity.conversation.id = conversation_id
            activity.from_property = ref.bot
            activity.recipient = ref.user if target_kind == refs.USER else None
            activity.service_url = ref.service_url
            activity.channel_id = ref.channel_id
            body = activity.serialize()
            activity_id: str | None
            if op == outbox.UPDATE_CARD:
                if card_ref is None:
                    raise Undeliverable("card not posted yet")
                body["id"] = card_ref.activity_id
                await self._connector.update(ref.service_url, card_ref.conversation_id, card_ref.activity_id, body)
                activity_id = card_ref.activity_id
            else:
                activity_id = await self._connector.send(ref.service_url, conversation_id, body)
        except Undeliverable as exc:
            await self._retry_later(message_id, str(exc), now + timedelta(minutes=1))
            return False
        except ConnectorError as exc:
            if exc.unreachable and target_kind == refs.USER:
                async with self._db.sessions.begin() as session:
                    await refs.deactivate(session, kind=target_kind, key=target_key, now=now)
                    await outbox.mark_failed(session, message_id=message_id, worker=self._worker, error=str(exc))
                    if ticket_id is not None:
                        # The servicedesk must reach the reporter another way (phone, mail).
                        await outbox.enqueue(
                            session,
                            dedup_key=f"ticket:{ticket_id}:unreachable:{target_key}",
                            target=outbox.Target.channel("servicedesk"),
                            payload={"kind": "reporter_unreachable", "ticket_id": ticket_id},
                            now=now,
                            ticket_id=ticket_id,
                        )
                log.warning("reporter unreachable in Teams (status %s); reference deactivated", exc.status)
                self._again = True
                return False
            if exc.status in (403, 404, 413, 400):
                async with self._db.sessions.begin() as session:
                    await outbox.mark_failed(session, message_id=message_id, worker=self._worker, error=str(exc))
                log.error("message %s failed for good: %s", message_id, exc)
                return False
            await self._retry_later(message_id, str(exc), now + timedelta(seconds=30))
            return False
        async with self._db.sessions.begin() as session:
            await outbox.mark_sent(session, message_id=message_id, worker=self._worker, now=self._clock.now(), activity_id=activity_id)
            if op == outbox.SEND_CARD and ticket_id is not None and activity_id:
                await refs.save_card_ref(
                    session, ticket_id=ticket_id, role=target_key, conversation_id=conversation_id, activity_id=activity_id, now=now
                )
        return True

    async def _retry_later(self, message_id: int, error: str, at: datetime) -> None:
        async with self._db.sessions.begin() as session:
            await outbox.mark_retry(session, message_id=message_id, worker=self._worker, at=at, error=error)
        log.info("message %s postponed: %s", message_id, error)

    # -- rendering -------------------------------------------------------------------------
    async def _render(self, session, payload: dict[str, Any]) -> Activity:
        kind = payload.get("kind")
        now = self._clock.now()
        tz = self._policy.tz
        if kind == "weekly_summary":
            return _message(card=summary.weekly_summary_card(payload))
        ticket = await session.get(Ticket, payload.get("ticket_id"))
        if ticket is None:
            raise Undeliverable(f"ticket {payload.get('ticket_id')} not found")
        label = ticket_label(ticket.id)
        if kind == "ticket_card":
            from storage.tickets import known_agents, load_events

            events = await load_events(session, ticket.id)
            agents = await known_agents(session)
            return _message(card=cards.ticket_card(ticket, now=now, tz=tz, events=events, agents=agents))
        if kind == "regie_new_p1":
            return _message(
                card=cards.regie_new_p1_card(
                    ticket, now=now, tz=tz,
                    changed_from=payload.get("changed_from"), reason=payload.get("reason"), by=payload.get("by"),
                )
            )
        if kind == "regie_notice":
            return _message(
                card=cards.regie_notice_card(
                    ticket, now=now, tz=tz, kind=payload["notice"], clock=payload["clock"], priority=payload["priority"],
                    due=datetime.fromisoformat(payload["due"]), escalation=payload.get("escalation"),
                )
            )
        if kind == "piket_alert":
            return _message(card=cards.piket_alert_card(ticket, now=now, tz=tz, contact=payload.get("contact")))
        if kind in cards.REPORTER_TEXT_KINDS:
            return _message(cards.reporter_text(ticket, payload, now=now, tz=tz))
        if kind == "acknowledged":
            return _message(texts.acknowledged(label=label, agent_name=payload.get("agent_name") or "de servicedesk", note=payload.get("note")))
        if kind == "status_update":
            next_update = say_when(ticket.next_update_due, now=now, tz=tz) if ticket.next_update_due else None
            if payload.get("holding"):
                return _message(texts.status_update_holding(label=label, status=ticket.status, next_update=next_update))
            return _message(
                texts.status_update(
                    label=label,
                    status=ticket.status,
                    owner=ticket.owner_name,
                    latest_note=payload.get("note"),
                    next_update=next_update,
                )
            )
        if kind == "reporter_unreachable":
            phone = f" Bel de melder op {ticket.phone}." if ticket.phone else " Neem op een andere manier contact op."
            return _message(
                f"De melder van **{label}** ({ticket.reporter_name}) is niet bereikbaar via Teams: "
                f"de bot is verwijderd of geblokkeerd.{phone}"
            )
        if kind == "mttp_question":
            return _message(card=feedback_cards.mttp_question_card(ticket))
        if kind == "csat_question":
            return _message(card=feedback_cards.csat_question_card(ticket))
        if kind == "low_csat":
            return _message(card=summary.low_csat_card(ticket, score=payload.get("score"), remark=payload.get("remark")))
        raise Undeliverable(f"unknown message kind {kind!r}")
