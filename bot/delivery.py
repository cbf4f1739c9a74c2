"""Sending the outbox: render each intent from the current state, send it, record the result.

Rows are claimed with a lease in one short transaction and sent outside any transaction; each
message's outcome is recorded in a transaction of its own the moment Teams answered it. A process
that dies after claiming leaves rows that another sender takes over when the lease expires, and of
those only the ones it had not recorded: neither a crash nor a neighbour in the batch held up by a
429 makes a message that Teams accepted go again. The only message that can repeat is one whose
200 came in the instant before the process died, before its outcome was written (at-least-once,
never lost; the dedup key keeps causes from queueing twice).

When Teams refuses a message (403/404 from a channel, 5xx after the connector's retries) it stays
pending and is tried again, the wait doubling from 30 seconds to an hour, until it has failed for
the give-up time (``OUTBOX_GIVE_UP_HOURS``, default 24); a 400 or 413 gives up at once. A message
that gives up is reported in the servicedesk channel (for that channel itself: an ERROR line and
``/readyz``'s body) and waits for an operator (``servicedesk outbox list|retry|discard``). A 403 or
404 to a person means the bot was removed or blocked: the reference is deactivated and the
servicedesk told to reach them another way.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Awaitable, Callable, Mapping

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity, ConversationReference
from sqlalchemy.ext.asyncio import AsyncSession

from bot import cards, escalation_cards, feedback_cards, reach_cards, summary, survey_cards, wire
from bot.connector import Connector, ConnectorError
from bot.metrics import Metrics
from dialogs import texts
from dialogs.when import say_when, wait_words
from sla.clock import Clock
from sla.fold import DATA_BREACH, fold
from reach import service as reach
from sla.policy import Policy
from reach import surveys
from storage import escalations, outbox, refs, updates
from storage.agents import KnownAgents
from storage.db import Database
from storage.labels import ticket_label
from storage.models import SurveyRound, Ticket
from storage.outbox import Kind
from storage.reads import load_events

log = logging.getLogger("servicedesk.delivery")


SERVICEDESK = "servicedesk"
FINAL = frozenset({400, 413})  # retrying the same message will not help
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)


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
    failing_since: datetime | None = None

    @property
    def card(self) -> dict[str, int | None]:
        """Whose card a post or redraw is: an escalation's (its own place), else the ticket's."""
        if self.payload.get("kind") == Kind.ESCALATION:
            return {"escalation_id": self.payload.get("escalation_id")}
        if self.payload.get("kind") == Kind.CAMPAIGN_CARD:
            return {"campaign_id": self.payload.get("campaign_id")}
        return {"ticket_id": self.ticket_id}

    @property
    def card_role(self) -> str:
        """Under which name the card's place is kept: the channel's role, or for a notice beside
        the ticket's own card, the role and the message that posted it (``outbox.NOTICE_CARDS``)."""
        if self.payload.get("card_role"):
            return self.payload["card_role"]
        if self.op == outbox.SEND_CARD and self.payload.get("kind") in outbox.NOTICE_CARDS:
            return outbox.notice_card_role(self.target_key, self.id)
        return self.target_key

    def same_card(self, other: "Claimed") -> bool:
        return other.card == self.card and other.card_role == self.card_role


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
        give_up: timedelta = timedelta(hours=24),
    ) -> None:
        self._metrics = metrics or Metrics()
        self._db = database
        self._agent_names = agent_names if agent_names is not None else KnownAgents()
        self._connector = connector
        self._clock = clock
        self._policy = policy
        self._worker = worker_id
        self._lease = lease
        self._give_up = give_up
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
        side), each rendered from the current state right before it is sent, and its outcome is
        recorded as soon as Teams answered it. Rendering at the send, not at the claim: Teams takes
        7 calls per second per conversation, so a batch for one channel takes seconds, and a card
        rendered at the claim would leave showing an older state. A message that had to wait for its turn is
        rendered again after the wait (``Connector.until_free``).
        """
        sent = 0
        while True:
            now = self._clock.now()
            async with self._db.sessions.begin() as session:
                rows = await outbox.claim_due(session, now=now, worker=self._worker, lease=self._lease, limit=limit)
                batch = [
                    Claimed(row.id, row.op, row.target_kind, row.target_key, dict(row.payload), row.ticket_id, row.failing_since)
                    for row in rows
                ]
            if not batch:
                return sent
            prepared = await self._deliver_all(batch, claimed_at=now)
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
            if (reference is None or not reference.active) and "campaign_id" in message.payload:
                item.outcome = "unreachable"  # removed the app since it was queued: counted, not retried
                return item
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
            card_ref = await refs.get_card_ref(session, **message.card, role=message.card_role)
            if card_ref is None:
                if any(m.op == outbox.SEND_CARD and m.same_card(message) for m in batch):
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
            other.id > message.id and other.same_card(message) and other.op in (outbox.UPDATE_CARD, outbox.SEND_CARD)
            for other in batch
        )

    async def _deliver_all(self, batch: list["Claimed"], *, claimed_at: datetime) -> list["Prepared"]:
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
                    if not await self._still_ours(message, claimed_at):
                        continue  # the lease ran out while the lane waited: another sender has it
                    await self._send(item)
                async with self._db.sessions.begin() as session:  # recorded now, whatever the others do
                    await self._record(session, item, self._clock.now())
                done[message.id] = item

        await asyncio.gather(*(run(lane) for lane in lanes.values()))
        return [done[message.id] for message in batch if message.id in done]

    async def _still_ours(self, message: "Claimed", claimed_at: datetime) -> bool:
        """Renew the lease of a message whose lane waited half of it (a 429 before it, a backlog at
        Teams' pace), so no other sender takes it over while this one sends it."""
        now = self._clock.now()
        if now - claimed_at < self._lease / 2:
            return True
        async with self._db.sessions.begin() as session:
            return await outbox.renew_lease(session, message_id=message.id, worker=self._worker, until=now + self._lease)

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
            elif exc.status in FINAL:
                item.outcome = "failed"
            else:  # 403/404 from a channel (its settings, a policy, a moment), 5xx, a refused host
                item.outcome = "retry"

    async def _record(self, session, item: "Prepared", now: datetime) -> None:
        message = item.message
        if item.outcome in ("sent", "superseded"):
            sent_at = self._clock.now()
            marked = await outbox.mark_sent(session, message_id=message.id, worker=self._worker, now=sent_at, activity_id=item.activity_id)
            if marked and item.outcome == "sent":  # i16: a holding message is recorded when Teams took it
                await updates.record_sent(session, payload=message.payload, ticket_id=message.ticket_id, at=sent_at)
                await reach.record(session, payload=message.payload, outcome="sent")
            if message.op == outbox.SEND_CARD and any(message.card.values()) and item.activity_id:
                await refs.save_card_ref(
                    session, **message.card, role=message.card_role,
                    conversation_id=item.conversation_id, activity_id=item.activity_id, now=now,
                )
        elif item.outcome == "later":
            await outbox.mark_retry(session, message_id=message.id, worker=self._worker, at=now + timedelta(minutes=1), error=item.error or "")
            log.info("message %s postponed: %s", message.id, item.error)
        elif item.outcome == "retry" and now - (message.failing_since or now) < self._give_up:
            since = message.failing_since or now
            wait = min(max(now - since, FIRST_RETRY), LONGEST_RETRY)  # 30 s, 30 s, 1 min, 2 min, ... 1 h
            await outbox.mark_retry(
                session, message_id=message.id, worker=self._worker, at=now + wait, error=item.error or "", failing_since=now
            )
            log.info("message %s refused (status %s); tried again in %d s", message.id, item.status, wait.total_seconds())
        elif item.outcome in ("retry", "failed"):
            await outbox.mark_failed(session, message_id=message.id, worker=self._worker, error=item.error or "", now=now)
            await reach.record(session, payload=message.payload, outcome="failed")
            if "campaign_id" not in message.payload:  # a campaign's are counted on its card: no flood
                await self._report_given_up(session, message, item, now)
            self._metrics.message_failed("refused")
        elif item.outcome == "unreachable":
            await refs.deactivate(session, kind=message.target_kind, key=message.target_key, now=now)
            await outbox.mark_failed(session, message_id=message.id, worker=self._worker, error=item.error or "", now=now)
            await reach.record(session, payload=message.payload, outcome="unreachable")  # named when the campaign ends
            if message.ticket_id is not None:
                # The servicedesk must reach the reporter another way (phone, mail).
                await outbox.enqueue(
                    session,
                    dedup_key=f"ticket:{message.ticket_id}:unreachable:{message.target_key}",
                    target=outbox.Target.channel("servicedesk"),
                    payload={"kind": Kind.REPORTER_UNREACHABLE, "ticket_id": message.ticket_id},
                    now=now,
                    ticket_id=message.ticket_id,
                )
            log.warning("reporter unreachable in Teams (status %s); reference deactivated", item.status)
            self._metrics.message_failed("unreachable")
            self._again = True

    async def _report_given_up(self, session, message: "Claimed", item: "Prepared", now: datetime) -> None:
        """Tell the servicedesk which message did not arrive and how to send it again; for the
        servicedesk channel itself, the log says it (and ``/readyz``'s body counts it)."""
        hours = int((now - message.failing_since).total_seconds() // 3600) if message.failing_since else None
        if message.target_kind == refs.CHANNEL and message.target_key == SERVICEDESK:
            log.error(
                "outbox message %s (%s) to the servicedesk channel given up (status %s%s); "
                "list it with `servicedesk outbox list --failed`, send it again with `servicedesk outbox retry %s`",
                message.id, message.payload.get("kind"), item.status, f", refused for {hours} h" if hours else "", message.id,
            )
            return
        await outbox.enqueue(
            session,
            dedup_key=f"outbox:{message.id}:given-up:{(message.failing_since or now).isoformat()}",
            target=outbox.Target.channel(SERVICEDESK),
            payload={
                "kind": Kind.DELIVERY_GIVEN_UP, "message_id": message.id, "what": message.payload.get("kind"), "ticket_id": message.ticket_id,
                "target_kind": message.target_kind, "target_key": message.target_key, "status": item.status, "hours": hours,
            },
            now=now,
            ticket_id=message.ticket_id,
        )
        log.warning("outbox message %s given up (status %s); reported in the servicedesk channel", message.id, item.status)
        self._again = True

    # -- rendering ------------------------------------------------------------------------
    async def _render(self, session: AsyncSession, payload: dict[str, Any]) -> Activity:
        return await render(session, payload, now=self._clock.now(), policy=self._policy, agent_names=self._agent_names)


# -- the renderers: one per message kind ------------------------------------------------------------
@dataclass(frozen=True)
class Render:
    """What a renderer reads: the payload, the session, the moment of sending, and its ticket."""

    session: AsyncSession
    payload: Mapping[str, Any]
    now: datetime
    policy: Policy
    agent_names: KnownAgents
    ticket: Ticket | None = None  # loaded for kinds registered with ticket=True

    @property
    def tz(self):
        return self.policy.tz

    @property
    def label(self) -> str:
        return ticket_label(self.ticket.id)


Renderer = Callable[[Render], Awaitable[Activity]]
RENDERERS: dict[Kind, tuple[Renderer, bool]] = {}


def renders(*kinds: Kind, ticket: bool = False) -> Callable[[Renderer], Renderer]:
    """Register the renderer of ``kinds`` (see ``storage.outbox.Kind`` for adding a kind).

    With ``ticket=True`` the payload's ``ticket_id`` is loaded into ``Render.ticket`` first; a
    ticket that is gone makes the message undeliverable.
    """

    def register(function: Renderer) -> Renderer:
        for kind in kinds:
            if kind in RENDERERS:
                raise RuntimeError(f"two renderers for {kind!r}")
            RENDERERS[kind] = (function, ticket)
        return function

    return register


async def render(session: AsyncSession, payload: Mapping[str, Any], *, now: datetime, policy: Policy, agent_names: KnownAgents) -> Activity:
    """The activity of one outbox message, drawn from the state at this moment."""
    try:
        function, needs_ticket = RENDERERS[Kind(payload.get("kind"))]
    except (ValueError, KeyError):
        raise Undeliverable(f"unknown message kind {payload.get('kind')!r}") from None
    ticket = None
    if needs_ticket:
        ticket = await session.get(Ticket, payload.get("ticket_id"))
        if ticket is None:
            raise Undeliverable(f"ticket {payload.get('ticket_id')} not found")
    return await function(Render(session, payload, now, policy, agent_names, ticket))


@renders(Kind.WEEKLY_SUMMARY)
async def _weekly_summary(r: Render) -> Activity:
    return _message(card=summary.weekly_summary_card(r.payload))


@renders(Kind.MONTHLY_REPORT)
async def _monthly_report(r: Render) -> Activity:
    return _message(card=summary.monthly_report_card(r.payload))


@renders(Kind.ESCALATION)
async def _escalation(r: Render) -> Activity:
    row = await escalations.get(r.session, r.payload["escalation_id"])
    if row is None:
        raise Undeliverable(f"escalation {r.payload.get('escalation_id')} not found")
    ticket = await r.session.get(Ticket, row.ticket_id) if row.ticket_id is not None else None
    return _message(card=escalation_cards.escalation_card(row, ticket, role=r.payload["role"], now=r.now, tz=r.tz))


@renders(Kind.ESCALATION_REMINDER)
async def _escalation_reminder(r: Render) -> Activity:
    rows = await escalations.reminded(r.session)
    tickets_of = {row.id: await r.session.get(Ticket, row.ticket_id) if row.ticket_id else None for row in rows}
    return _message(card=escalation_cards.reminder_card(
        [(row, tickets_of[row.id]) for row in rows], week=r.payload["week"], now=r.now, tz=r.tz))


@renders(Kind.ITSM_OUTAGE)
async def _itsm_outage(r: Render) -> Activity:
    since = say_when(datetime.fromisoformat(r.payload["since"]), now=r.now, tz=r.tz)
    return _message(texts.itsm_outage(system=r.payload["system"], since=since, fault=r.payload["fault"]))


@renders(Kind.ITSM_RESTORED)
async def _itsm_restored(r: Render) -> Activity:
    since = say_when(datetime.fromisoformat(r.payload["since"]), now=r.now, tz=r.tz)
    return _message(texts.itsm_restored(system=r.payload["system"], since=since))


def _drawn(rendered: reach_cards.Rendered, payload: Mapping[str, Any]) -> Activity:
    if rendered is None:
        raise Undeliverable(f"campaign {payload.get('campaign_id')} not found")
    return _message(rendered[0], card=rendered[1])


@renders(Kind.ANNOUNCEMENT)
async def _announcement(r: Render) -> Activity:
    return _drawn(await reach_cards.announcement(r.session, r.payload, now=r.now, tz=r.tz), r.payload)


@renders(Kind.CAMPAIGN_CARD)
async def _campaign_card(r: Render) -> Activity:
    return _drawn(await reach_cards.sender_card(r.session, r.payload, now=r.now, tz=r.tz), r.payload)


@renders(Kind.CAMPAIGN_UNREACHABLE)
async def _campaign_unreachable(r: Render) -> Activity:
    return _drawn(await reach_cards.unreachable(r.session, r.payload, now=r.now, tz=r.tz), r.payload)
@renders(Kind.SURVEY_QUESTION, Kind.SURVEY_REMINDER)
async def _survey_question(r: Render) -> Activity:
    asked = await surveys.question_for(r.session, campaign_id=r.payload.get("campaign_id"), user_id=r.payload.get("user"))
    if asked is None:
        raise Undeliverable(f"survey campaign {r.payload.get('campaign_id')} not found")
    round_, question = asked
    reminder = r.payload.get("kind") == Kind.SURVEY_REMINDER
    return _message(card=survey_cards.question_card(round_, question, reminder=reminder, now=r.now, tz=r.tz))


@renders(Kind.SURVEY_RESULT)
async def _survey_result(r: Render) -> Activity:
    round_ = await r.session.get(SurveyRound, r.payload["round_id"])
    if round_ is None:
        raise Undeliverable(f"survey round {r.payload.get('round_id')} not found")
    found = await surveys.figures(r.session, round_=round_, with_remarks=True)
    return _message(card=survey_cards.result_card(found, tz=r.tz))


@renders(Kind.WELCOME)
async def _welcome(r: Render) -> Activity:
    return _message(texts.WELCOME)


@renders(Kind.DELIVERY_GIVEN_UP)
async def _given_up(r: Render) -> Activity:
    payload = r.payload
    ticket = await r.session.get(Ticket, payload["ticket_id"]) if payload.get("ticket_id") is not None else None
    return _message(
        texts.delivery_given_up(
            what=payload.get("what"), target_kind=payload.get("target_kind"), target_key=payload.get("target_key"),
            label=ticket_label(ticket.id) if ticket is not None else None, status=payload.get("status"),
            hours=payload.get("hours"), message_id=payload["message_id"],
        )
    )


@renders(Kind.TICKET_CARD, ticket=True)
async def _ticket_card(r: Render) -> Activity:
    events = await load_events(r.session, r.ticket.id)
    agents = await r.agent_names.get(r.session)
    return _message(card=cards.ticket_card(
        r.ticket, now=r.now, policy=r.policy, events=events, agents=agents, lines=r.agent_names.lines,
        refresh_for=await refs.user_ids_in_teams(r.session, agents, limit=cards.REFRESH_USERS),
    ))


@renders(Kind.REGIE_NEW_P1, ticket=True)
async def _regie_new_p1(r: Render) -> Activity:
    return _message(
        card=cards.regie_new_p1_card(
            r.ticket, now=r.now, tz=r.tz,
            changed_from=r.payload.get("changed_from"), reason=r.payload.get("reason"), by=r.payload.get("by"),
        )
    )


@renders(Kind.REGIE_NOTICE, ticket=True)
async def _regie_notice(r: Render) -> Activity:
    payload = r.payload
    return _message(
        card=cards.regie_notice_card(
            r.ticket, now=r.now, tz=r.tz, kind=payload["notice"], clock=payload["clock"], priority=payload["priority"],
            due=datetime.fromisoformat(payload["due"]),
        )
    )


@renders(Kind.DATA_BREACH, ticket=True)
async def _data_breach(r: Render) -> Activity:
    clocks = fold(r.policy, await load_events(r.session, r.ticket.id), now=r.now)
    return _message(card=cards.data_breach_card(
        r.ticket, now=r.now, tz=r.tz, kind=clocks.recorded.security_kind, due=clocks.due(DATA_BREACH)
    ))


@renders(Kind.REGIE_MAJOR, Kind.REGIE_RCA, ticket=True)
async def _regie_major(r: Render) -> Activity:
    return _message(card=cards.regie_major_card(
        r.ticket, now=r.now, tz=r.tz, title=r.payload.get("title"), by=r.payload.get("by"),
        summary=r.payload.get("summary"), link=r.payload.get("link"),
    ))


@renders(Kind.PIKET_ALERT, ticket=True)
async def _piket_alert(r: Render) -> Activity:
    return _message(card=cards.piket_alert_card(r.ticket, now=r.now, tz=r.tz, contact=r.payload.get("contact")))


@renders(*cards.REPORTER_TEXT_KINDS, ticket=True)
async def _reporter_text(r: Render) -> Activity:
    return _message(cards.reporter_text(r.ticket, r.payload, now=r.now, tz=r.tz))


@renders(Kind.ITSM_LINKED, ticket=True)
async def _itsm_linked(r: Render) -> Activity:
    return _message(texts.itsm_linked(label=r.label, number=r.ticket.external_number or "-"))


@renders(Kind.ACKNOWLEDGED, ticket=True)
async def _acknowledged(r: Render) -> Activity:
    return _message(texts.acknowledged(label=r.label, agent_name=r.payload.get("agent_name") or texts.SERVICEDESK, note=r.payload.get("note")))


@renders(Kind.STATUS_UPDATE, ticket=True)
async def _status_update(r: Render) -> Activity:
    ticket = r.ticket
    current = updates.status_now(r.policy, await load_events(r.session, ticket.id), now=r.now)
    return _message(texts.status_update(
        label=r.label, status=ticket.status, owner=ticket.owner_name, wait=wait_words(current.wait), news=current.news,
        next_update=say_when(current.promise, now=r.now, tz=r.tz) if current.promise else None,
    ))


@renders(Kind.REPORTER_UNREACHABLE, ticket=True)
async def _reporter_unreachable(r: Render) -> Activity:
    return _message(texts.reporter_unreachable(label=r.label, reporter=r.ticket.reporter_name, phone=r.ticket.phone))


@renders(Kind.MTTP_QUESTION, ticket=True)
async def _mttp_question(r: Render) -> Activity:
    return _message(card=feedback_cards.mttp_question_card(r.ticket))


@renders(Kind.CSAT_QUESTION, ticket=True)
async def _csat_question(r: Render) -> Activity:
    return _message(card=feedback_cards.csat_question_card(r.ticket))


@renders(Kind.LOW_CSAT, ticket=True)
async def _low_csat(r: Render) -> Activity:
    return _message(card=summary.low_csat_card(r.ticket, score=r.payload.get("score"), remark=r.payload.get("remark")))
