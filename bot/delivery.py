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

from bot import cards, feedback_cards, summary, wire
from bot.connector import Connector, ConnectorError
from bot.metrics import Metrics
from dialogs import plain, texts
from dialogs.when import say_when
from sla.clock import Clock
from sla.policy import Policy
from storage import outbox, refs
from storage.db import Database
from storage.models import Ticket
from storage.tickets import KnownAgents, ticket_label

log = logging.getLogger("servicedesk.delivery")


class Undeliverable(Exception):
    """The message cannot be sent now and retrying will not help (e.g. no channel linked)."""


@dataclass(frozen=True)
class Claimed:
    id: int
    op: str
    target_kind: str
    target_key: str
    payload: dict[str, Any]
    ticket_id: int | None


@dataclass
class Prepared:
    """One claimed message on its way: where it goes, what it says, and how it ended."""

    message: Claimed
    outcome: str | None = None  # sent, superseded, later, retry, failed, unreachable
    error: str | None = None
    status: int | None = None
    service_url: str = ""
    conversation_id: str = ""
    body: dict[str, Any] | None = None
    card: tuple[str, str] | None = None  # (conversation id, activity id) of the card to update
    activity_id: str | None = None


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
        agent_names: KnownAgents | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self._metrics = metrics or Metrics()
        self._db = database
        self._agent_names = agent_names if agent_names is not None else KnownAgents()
        self._connector = connector
        self._clock = clock
        self._policy = policy
        self._worker = worker_id
        self._lease = lease
        self._task: asyncio.Task | None = None
        self._again = False
        self._closing = False

    # -- waking up -------------------------------------------------------------------------
    def kick(self) -> None:
        """Start draining soon (after the current turn's commit); coalesces repeated kicks."""
        if self._closing:
            return  # what is queued stays in the outbox for the next start
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
            if not self._again or self._closing:
                return

    async def wait_idle(self) -> None:
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    async def close(self) -> None:
        """Finish the batch in hand and claim no more (at shutdown).

        A backlog for one channel goes at Teams' 7 calls per second, so draining it all could hold
        a shutdown for minutes; what is not claimed yet stays pending, unleased, for the next start
        or another replica.
        """
        self._closing = True
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    # -- sending ---------------------------------------------------------------------------
    async def drain(self, *, limit: int = 50) -> int:
        """Send everything due now; returns the number of messages sent.

        Per batch: one transaction claims; the messages of each target go in order (targets side by
        side), each rendered from the current state right before it is sent; one transaction
        records every outcome. Rendering at the send, not at the claim: Teams takes 7 calls per
        second per conversation, so a batch for one channel takes seconds, and a card rendered at
        the claim would leave showing an older state. A message that had to wait for its turn is
        rendered again after the wait (``Connector.until_free``).
        """
        sent = 0
        while True:
            now = self._clock.now()
            async with self._db.sessions.begin() as session:
                rows = await outbox.claim_due(session, now=now, worker=self._worker, lease=self._lease, limit=limit)
                batch = [Claimed(row.id, row.op, row.target_kind, row.target_key, dict(row.payload), row.ticket_id) for row in rows]
            if not batch:
                return sent
            prepared = await self._deliver_all(batch)
            async with self._db.sessions.begin() as session:
                for item in prepared:
                    await self._record(session, item, now)
            sent += sum(1 for item in prepared if item.outcome == "sent")
            if len(batch) < limit or self._closing:
                return sent

    async def _prepare_now(self, message: "Claimed", batch: list["Claimed"]) -> "Prepared":
        async with self._db.sessions() as session:
            return await self._prepare(session, message, batch)

    async def _prepare(self, session, message: "Claimed", batch: list["Claimed"]) -> "Prepared":
        item = Prepared(message)
        try:
            if message.op == outbox.UPDATE_CARD and self._superseded(message, batch):
                item.outcome = "superseded"  # a later send or update in this batch draws the same state
                return item
            reference = await refs.get_reference(session, kind=message.target_kind, key=message.target_key)
            if reference is None or not reference.active:
                raise Undeliverable(f"no active conversation for {message.target_kind} {message.target_key}")
            ref = wire.deserialise(reference.reference, ConversationReference)
            activity = await self._render(session, message.payload)
        except Undeliverable as exc:
            item.outcome, item.error = "later", str(exc)
            return item
        conversation_id = ref.conversation.id.split(";")[0] if message.target_kind == refs.CHANNEL else ref.conversation.id
        activity.conversation = ref.conversation
        activity.conversation.id = conversation_id
        activity.from_property = ref.bot
        activity.recipient = ref.user if message.target_kind == refs.USER else None
        activity.service_url = ref.service_url
        activity.channel_id = ref.channel_id
        item.service_url, item.conversation_id, item.body = ref.service_url, conversation_id, wire.serialise(activity)
        if message.op == outbox.UPDATE_CARD:
            card_ref = await refs.get_card_ref(session, ticket_id=message.ticket_id, role=message.target_key)
            if card_ref is None:
                if any(m.op == outbox.SEND_CARD and m.ticket_id == message.ticket_id for m in batch):
                    item.outcome = "superseded"
                else:
                    item.outcome, item.error = "later", "card not posted yet"
                return item
            item.card = (card_ref.conversation_id, card_ref.activity_id)
        return item

    @staticmethod
    def _superseded(message: "Claimed", batch: list["Claimed"]) -> bool:
        """An update is redundant if the same card is posted or updated again later in the batch."""
        return any(
            other.id > message.id and other.ticket_id == message.ticket_id and other.target_key == message.target_key
            and other.op in (outbox.UPDATE_CARD, outbox.SEND_CARD)
            for other in batch
        )

    async def _deliver_all(self, batch: list["Claimed"]) -> list["Prepared"]:
        lanes: dict[tuple[str, str], list[Claimed]] = {}
        for message in batch:
            lanes.setdefault((message.target_kind, message.target_key), []).append(message)
        done: dict[int, Prepared] = {}

        async def run(lane: list[Claimed]) -> None:
            for message in lane:  # in order within one target (one conversation)
                item = await self._prepare_now(message, batch)
                if item.outcome is None and await self._connector.until_free(item.conversation_id):
                    item = await self._prepare_now(message, batch)  # it waited for its turn: draw again
                if item.outcome is None:
                    await self._send(item)
                done[message.id] = item

        await asyncio.gather(*(run(lane) for lane in lanes.values()))
        return [done[message.id] for message in batch]

    async def _send(self, item: "Prepared") -> None:
        try:
            if item.card is not None:
                conversation_id, activity_id = item.card
                item.body["id"] = activity_id
                await self._connector.update(item.service_url, conversation_id, activity_id, item.body)
                item.activity_id = activity_id
            else:
                item.activity_id = await self._connector.send(item.service_url, item.conversation_id, item.body)
            item.outcome = "sent"
        except ConnectorError as exc:
            item.error, item.status = str(exc), exc.status
            if exc.unreachable and item.message.target_kind == refs.USER:
                item.outcome = "unreachable"
            elif exc.status in (400, 403, 404, 413):
                item.outcome = "failed"
            else:
                item.outcome = "retry"

    async def _record(self, session, item: "Prepared", now: datetime) -> None:
        message = item.message
        if item.outcome in ("sent", "superseded"):
            await outbox.mark_sent(session, message_id=message.id, worker=self._worker, now=self._clock.now(), activity_id=item.activity_id)
            if message.op == outbox.SEND_CARD and message.ticket_id is not None and item.activity_id:
                await refs.save_card_ref(
                    session, ticket_id=message.ticket_id, role=message.target_key,
                    conversation_id=item.conversation_id, activity_id=item.activity_id, now=now,
                )
        elif item.outcome == "later":
            await outbox.mark_retry(session, message_id=message.id, worker=self._worker, at=now + timedelta(minutes=1), error=item.error or "")
            log.info("message %s postponed: %s", message.id, item.error)
        elif item.outcome == "retry":
            await outbox.mark_retry(session, message_id=message.id, worker=self._worker, at=now + timedelta(seconds=30), error=item.error or "")
            log.info("message %s will be retried: %s", message.id, item.error)
        elif item.outcome == "failed":
            await outbox.mark_failed(session, message_id=message.id, worker=self._worker, error=item.error or "")
            log.error("message %s failed for good (status %s)", message.id, item.status)
            self._metrics.message_failed("refused")
        elif item.outcome == "unreachable":
            await refs.deactivate(session, kind=message.target_kind, key=message.target_key, now=now)
            await outbox.mark_failed(session, message_id=message.id, worker=self._worker, error=item.error or "")
            if message.ticket_id is not None:
                # The servicedesk must reach the reporter another way (phone, mail).
                await outbox.enqueue(
                    session,
                    dedup_key=f"ticket:{message.ticket_id}:unreachable:{message.target_key}",
                    target=outbox.Target.channel("servicedesk"),
                    payload={"kind": "reporter_unreachable", "ticket_id": message.ticket_id},
                    now=now,
                    ticket_id=message.ticket_id,
                )
            log.warning("reporter unreachable in Teams (status %s); reference deactivated", item.status)
            self._metrics.message_failed("unreachable")
            self._again = True

    # -- rendering -------------------------------------------------------------------------
    async def _render(self, session, payload: dict[str, Any]) -> Activity:
        kind = payload.get("kind")
        now = self._clock.now()
        tz = self._policy.tz
        if kind == "weekly_summary":
            return _message(card=summary.weekly_summary_card(payload))
        if kind in ("itsm_outage", "itsm_restored"):  # the supplier's ticket system down, or back
            since = say_when(datetime.fromisoformat(payload["since"]), now=now, tz=tz)
            if kind == "itsm_outage":
                return _message(texts.itsm_outage(system=payload["system"], since=since, fault=payload["fault"]))
            return _message(texts.itsm_restored(system=payload["system"], since=since))
        ticket = await session.get(Ticket, payload.get("ticket_id"))
        if ticket is None:
            raise Undeliverable(f"ticket {payload.get('ticket_id')} not found")
        label = ticket_label(ticket.id)
        if kind == "ticket_card":
            from storage.tickets import load_events

            events = await load_events(session, ticket.id)
            agents = await self._agent_names.get(session)
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
        if kind == "itsm_linked":
            return _message(texts.itsm_linked(label=label, number=ticket.external_number or "-"))
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
            phone = f" Bel de melder op {plain.markdown(ticket.phone)}." if ticket.phone else " Neem op een andere manier contact op."
            return _message(
                f"De melder van **{label}** ({plain.markdown(ticket.reporter_name)}) is niet bereikbaar via Teams: "
                f"de bot is verwijderd of geblokkeerd.{phone}"
            )
        if kind == "mttp_question":
            return _message(card=feedback_cards.mttp_question_card(ticket))
        if kind == "csat_question":
            return _message(card=feedback_cards.csat_question_card(ticket))
        if kind == "low_csat":
            return _message(card=summary.low_csat_card(ticket, score=payload.get("score"), remark=payload.get("remark")))
        raise Undeliverable(f"unknown message kind {kind!r}")
