"""What happens when someone clicks a button on a servicedesk card.

Both ways a click arrives end here: an ``adaptiveCard/action`` invoke (Action.Execute, Universal
Actions) and, for clients without Universal Actions, the Action.Submit fallback (a channel message
whose ``value`` carries ``verb`` and the card's data). Each click:

1. is authorised by the clicker's Entra object id (``activity.from.aadObjectId``) against the roles
   in ``Settings`` (agent, regie, admin); nothing on the card grants anything. A refusal changes
   nothing and is written to the audit trail;
2. runs one compare-and-set change in ``storage.tickets`` (a double click or 50 simultaneous clicks
   change the ticket once); the audit entry is written in the same transaction, so a change and
   its entry commit together or not at all;
3. answers at once (well within Teams' 3 seconds: one short transaction, messages go out after the
   commit through the outbox) with the fresh card for the clicker; everyone else's copy is
   updated in place by the outbox's ``update_card`` intent.

A card drawn at an older version is refused with the fresh card and a line saying so.

An escalation's card (``bot.escalation_cards``) is answered the same way: its verbs are rows of the
same table, the change is a compare-and-set on the escalation (``storage.escalations``), audited in
its transaction, and both copies (regie, servicedesk) are redrawn through the outbox.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Awaitable, Callable, Sequence

from botbuilder.core import CardFactory, InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot import announcements, cards, escalation_cards, reach_cards
from bot.settings import Settings
from dialogs.services import DeskServices
from sla.events import TicketEvent
from dialogs import texts
from sla.escalation import Level
from reach import service as reach
from storage import agents, audit, escalations, labels, reads, refs, tickets
from storage.tickets import Outcome

log = logging.getLogger("servicedesk.card_actions")

AGENT = "agent"
REGIE = "regie"
ADMIN = "admin"
PRIVACY = "privacy"

# Who may do what. Admins (and the agents of every treatment line) count as agents
# (Settings.is_agent); regie may change a priority and reopen a ticket, the two things a service
# manager does from the contract side, and register that the RCA of a major incident reached them.
# The report of a data breach to the authority is the privacy officer's act: they, or an agent or
# regie on their word, register it.
PERMISSIONS: dict[str, frozenset[str]] = {
    cards.VERB_ACKNOWLEDGE: frozenset({AGENT}),
    cards.VERB_REACTION: frozenset({AGENT}),
    cards.VERB_CALL: frozenset({AGENT}),
    cards.VERB_PRIORITY: frozenset({AGENT, REGIE}),
    cards.VERB_AGREED_DATE: frozenset({AGENT}),
    cards.VERB_WAIT: frozenset({AGENT}),
    cards.VERB_RESUME: frozenset({AGENT}),
    cards.VERB_UPDATE: frozenset({AGENT}),
    cards.VERB_WORKAROUND: frozenset({AGENT}),
    cards.VERB_RESOLVE: frozenset({AGENT}),
    cards.VERB_REOPEN: frozenset({AGENT, REGIE}),
    cards.VERB_HAND_OVER: frozenset({AGENT}),
    cards.VERB_PUBLIC_TITLE: frozenset({AGENT}),
    cards.VERB_DEVICE_NEEDED: frozenset({AGENT}),
    cards.VERB_DEVICE_DONE: frozenset({AGENT}),
    cards.VERB_ONSITE_NEEDED: frozenset({AGENT}),
    cards.VERB_ONSITE_DONE: frozenset({AGENT}),
    cards.VERB_SECURITY: frozenset({AGENT}),
    cards.VERB_CONTAINED: frozenset({AGENT}),
    cards.VERB_BREACH_REPORTED: frozenset({AGENT, REGIE, PRIVACY}),
    cards.VERB_MAJOR: frozenset({AGENT}),
    cards.VERB_LINK: frozenset({AGENT}),
    cards.VERB_RCA: frozenset({AGENT, REGIE}),
    # PvE §2.4.3: regie (the ICT Service Manager) assigns an escalation's level and closes it with
    # an evaluation; the supplier's servicedesk records cause and corrective action.
    escalation_cards.VERB_LEVEL: frozenset({REGIE}),
    escalation_cards.VERB_ACTION: frozenset({AGENT}),
    escalation_cards.VERB_CLOSE: frozenset({REGIE}),
    # Issue 19: the servicedesk announces and follows up; regie alone lets a refused announcement
    # (planned maintenance under 48 hours ahead or inside office hours, PvE §10.1.3) go.
    announcements.VERB_CREATE: frozenset({AGENT}),
    reach_cards.VERB_FOLLOW_UP: frozenset({AGENT}),
    reach_cards.VERB_RESOLVED: frozenset({AGENT}),
    reach_cards.VERB_APPROVE: frozenset({REGIE}),
}
CAMPAIGN_VERBS = frozenset(announcements.RUNNERS)

STALE = texts.CARD_STALE  # the line above a card drawn at an older version
# What to fix, per button, when its form was not filled in as it must be.
INVALID = {
    cards.VERB_PRIORITY: texts.CARD_INVALID_PRIORITY,
    cards.VERB_REACTION: texts.CARD_INVALID_REACTION,
    cards.VERB_CALL: texts.CARD_INVALID_CALL,
    cards.VERB_AGREED_DATE: texts.CARD_INVALID_AGREED_DATE,
    cards.VERB_WAIT: texts.CARD_INVALID_WAIT,
    cards.VERB_RESUME: texts.CARD_INVALID_RESUME,
    cards.VERB_UPDATE: texts.CARD_INVALID_UPDATE,
    cards.VERB_WORKAROUND: texts.CARD_INVALID_WORKAROUND,
    cards.VERB_RESOLVE: texts.CARD_INVALID_RESOLVE,
    cards.VERB_REOPEN: texts.CARD_INVALID_REOPEN,
    cards.VERB_HAND_OVER: texts.CARD_INVALID_HAND_OVER,
    cards.VERB_ACKNOWLEDGE: texts.CARD_INVALID_ACKNOWLEDGE,
    cards.VERB_DEVICE_NEEDED: texts.CARD_INVALID_DEVICE_NEEDED,
    cards.VERB_DEVICE_DONE: texts.CARD_INVALID_DEVICE_DONE,
    cards.VERB_ONSITE_NEEDED: texts.CARD_INVALID_ONSITE_NEEDED,
    cards.VERB_ONSITE_DONE: texts.CARD_INVALID_ONSITE_DONE,
    cards.VERB_SECURITY: texts.CARD_INVALID_SECURITY,
    cards.VERB_CONTAINED: texts.CARD_INVALID_CONTAINED,
    cards.VERB_BREACH_REPORTED: texts.CARD_INVALID_BREACH_REPORTED,
    cards.VERB_MAJOR: texts.CARD_INVALID_MAJOR,
    cards.VERB_LINK: texts.CARD_INVALID_LINK,
    cards.VERB_RCA: texts.CARD_INVALID_RCA,
    cards.VERB_PUBLIC_TITLE: texts.CARD_INVALID_PUBLIC_TITLE,
}


def card_response(card: dict) -> InvokeResponse:
    """Replace the clicked card with ``card`` (the Universal Actions response body, as JSON)."""
    return InvokeResponse(
        status=200, body={"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": card}
    )


def message_response(text: str) -> InvokeResponse:
    """Show ``text`` to the clicker only; the card stays as it is."""
    return InvokeResponse(
        status=200, body={"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": text}
    )


@dataclass(frozen=True)
class Answer:
    """What the clicker sees: a fresh card, or a short message (the card stays)."""

    card: dict | None = None
    text: str | None = None
    changed: bool = False


def _object_id(turn_context: TurnContext) -> str | None:
    person = turn_context.activity.from_property
    return (getattr(person, "aad_object_id", None) or None) if person is not None else None


def _date(value: Any) -> date | None:
    """An Input.Date value ("2026-05-04"); None when empty or not a date."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("ja", "true", "yes", "1"):
            return True
        if text in ("nee", "false", "no", "0"):
            return False
    return None


class CardActions:
    def __init__(self, *, settings: Settings, services: DeskServices) -> None:
        self._settings = settings
        self._services = services

    # -- entry points ------------------------------------------------------------------------
    async def on_execute(self, turn_context: TurnContext) -> InvokeResponse:
        """An ``adaptiveCard/action`` invoke: answer with a card or a message."""
        value = turn_context.activity.value if isinstance(turn_context.activity.value, dict) else {}
        action = value.get("action") if isinstance(value.get("action"), dict) else {}
        data = action.get("data") if isinstance(action.get("data"), dict) else {}
        verb = action.get("verb")
        answer = await self.handle(turn_context, verb, data)
        if answer.card is not None:
            return card_response(answer.card)
        return message_response(answer.text or texts.CARD_UNKNOWN_BUTTON)

    @staticmethod
    def is_submit(activity: Activity) -> bool:
        """A channel message from the Action.Submit fallback: its value names one of our verbs."""
        value = activity.value
        return isinstance(value, dict) and value.get("verb") in PERMISSIONS

    async def on_submit(self, turn_context: TurnContext) -> None:
        """The Action.Submit fallback: same handling; the card is redrawn in place, words are replied."""
        value = dict(turn_context.activity.value)
        verb = value.pop("verb", None)
        answer = await self.handle(turn_context, verb, value)
        reply_to = turn_context.activity.reply_to_id
        if answer.card is not None and reply_to and not answer.changed:
            # A changed ticket's card is redrawn for everyone by the outbox; a stale or repeated
            # click gets the fresh card right away.
            try:
                await turn_context.update_activity(
                    Activity(
                        type=ActivityTypes.message,
                        id=reply_to,
                        attachments=[CardFactory.adaptive_card(answer.card)],
                    )
                )
            except Exception as error:  # noqa: BLE001 - the outbox redraws the card anyway
                log.warning("could not redraw the clicked card in place: %s", type(error).__name__, exc_info=True)
        if answer.text:
            await turn_context.send_activity(answer.text)
        elif answer.card is not None and not answer.changed:
            await turn_context.send_activity(STALE)

    # -- the click ---------------------------------------------------------------------------
    def roles_of(self, object_id: str | None) -> frozenset[str]:
        if not object_id:
            return frozenset()
        roles = set()
        key = object_id.lower()
        if self._settings.is_agent(key):
            roles.add(AGENT)
        if key in self._settings.regie:
            roles.add(REGIE)
        if self._settings.is_admin(key):
            roles.add(ADMIN)
        if key in self._settings.privacy_officers:
            roles.add(PRIVACY)
        return frozenset(roles)

    async def handle(self, turn_context: TurnContext, verb: Any, data: dict[str, Any]) -> Answer:
        services = self._services
        clicker = turn_context.activity.from_property
        clicker_id = _object_id(turn_context)
        clicker_name = (getattr(clicker, "name", None) or texts.CARD_NAMELESS_CLICKER)[:200]
        now = services.clock.now()
        if verb in escalation_cards.VERBS:
            return await self._escalation(verb, data, clicker_id=clicker_id, clicker_name=clicker_name, now=now)
        if verb in CAMPAIGN_VERBS:
            return await self._campaign(verb, data, clicker_id=clicker_id, clicker_name=clicker_name, now=now)
        ticket_id = labels.number_from(data.get("ticket"))
        if verb == cards.VERB_REFRESH and ticket_id is not None:
            return await self._refreshed(ticket_id, clicker_id=clicker_id, now=now)
        if verb not in PERMISSIONS or ticket_id is None:
            log.info("card action with unknown verb or without a ticket")
            await self._audit_alone(now=now, actor_id=clicker_id, action=str(verb)[:60], ticket_id=ticket_id, result="unknown_action")
            return Answer(text=texts.CARD_UNKNOWN_BUTTON)
        if not (self.roles_of(clicker_id) & PERMISSIONS[verb]):
            log.warning("card action %s on ticket %s refused: clicker lacks the role", verb, ticket_id)
            await self._audit_alone(
                now=now, actor_id=clicker_id, action=verb, ticket_id=ticket_id, result="refused_not_authorised",
                details={"name": clicker_name, "roles_needed": sorted(PERMISSIONS[verb])},
            )
            return Answer(text=texts.CARD_NOT_AGENT if verb == cards.VERB_ACKNOWLEDGE else texts.CARD_NOT_ALLOWED)
        seen_version = labels.number_from(data.get("versie"))
        if seen_version is None and verb != cards.VERB_ACKNOWLEDGE:
            seen_version = -1  # a card without its version is treated as stale: never changes anything
        run = self._runner(verb, data)
        async with services.database.sessions.begin() as session:
            result, details = await run(session, now, ticket_id, clicker_id, clicker_name, seen_version)
            if result.outcome is Outcome.DONE and clicker_id:
                services.agent_names.saw(clicker_id, clicker_name)  # on this card and the next ones at once
            if result.outcome is Outcome.NOT_FOUND or result.ticket is None:
                await audit.append(
                    session, at=now, actor_id=clicker_id, action=verb, ticket_id=ticket_id, result="not_found", details={}
                )
                return Answer(text=texts.CARD_TICKET_NOT_FOUND)
            ticket = result.ticket
            if result.outcome is not Outcome.ALREADY:  # a repeated click is not a new fact
                audit_details = {"name": clicker_name, "seen_version": seen_version, "version": ticket.version, **details}
                if result.reason:
                    audit_details["reason"] = result.reason
                await audit.append(
                    session, at=now, actor_id=clicker_id, action=verb, ticket_id=ticket_id,
                    result=_audit_result(result.outcome), details=audit_details,
                )
            card = await self._fresh_card(
                session, ticket, now=now, notice=STALE if result.outcome is Outcome.STALE else None, events=result.events
            )
        if result.outcome is Outcome.DONE:
            log.info("card action %s on ticket %s done (v%s)", verb, ticket_id, ticket.version)
            services.after_commit()
            return Answer(card=card, changed=True)
        if result.outcome is Outcome.INVALID:
            return Answer(text=INVALID.get(verb, texts.CARD_UNKNOWN_BUTTON))
        return Answer(card=card)  # ALREADY or STALE: the fresh card, nothing changed

    async def _escalation(self, verb: str, data: dict[str, Any], *, clicker_id: str | None, clicker_name: str, now: datetime) -> Answer:
        """A button on an escalation's card: the same steps as a ticket's, on the escalation."""
        services = self._services
        escalation_id = labels.number_from(data.get("escalatie"))
        if escalation_id is None:
            await self._audit_alone(now=now, actor_id=clicker_id, action=verb, ticket_id=None, result="unknown_action")
            return Answer(text=texts.CARD_UNKNOWN_BUTTON)
        if not (self.roles_of(clicker_id) & PERMISSIONS[verb]):
            log.warning("escalation action %s on %s refused: clicker lacks the role", verb, escalation_id)
            await self._audit_alone(
                now=now, actor_id=clicker_id, action=verb, ticket_id=None, result="refused_not_authorised",
                details={"escalation": escalation_id, "name": clicker_name, "roles_needed": sorted(PERMISSIONS[verb])},
            )
            return Answer(text=texts.ESCALATION_NOT_ALLOWED[verb])
        seen_version = labels.number_from(data.get("versie"))
        change = _escalation_change(verb, data)
        role = data.get("rol") if data.get("rol") in escalation_cards.ROLE_VERBS else "regie"  # which buttons to draw
        async with services.database.sessions.begin() as session:
            if change is None:
                row, outcome = await escalations.get(session, escalation_id), Outcome.INVALID
            else:
                result, row = await escalations.step(
                    session, policy=services.policy, escalation_id=escalation_id, change=change, by=clicker_id or "",
                    by_name=clicker_name, seen_version=-1 if seen_version is None else seen_version, now=now,
                )
                outcome = result.outcome
            if row is None:
                await audit.append(
                    session, at=now, actor_id=clicker_id, action=verb, ticket_id=None, result="not_found",
                    details={"escalation": escalation_id},
                )
                return Answer(text=texts.ESCALATION_NOT_FOUND)
            await audit.append(
                session, at=now, actor_id=clicker_id, action=verb, ticket_id=row.ticket_id, result=_audit_result(outcome),
                details={
                    "escalation": escalation_id, "name": clicker_name, "seen_version": seen_version, "version": row.version,
                    "level": row.level, "state": row.state,
                },
            )
            ticket = await reads.get_ticket(session, row.ticket_id) if row.ticket_id is not None else None
            card = escalation_cards.escalation_card(row, ticket, role=role, now=now, tz=services.policy.tz)
        if outcome is Outcome.DONE:
            log.info("escalation action %s on %s done (v%s)", verb, escalation_id, row.version)
            services.after_commit()
            return Answer(card=card, changed=True)
        if outcome is Outcome.INVALID:
            return Answer(text=texts.ESCALATION_INVALID[verb])
        card["body"].insert(0, {"type": "TextBlock", "text": STALE, "wrap": True, "color": "Attention", "weight": "Bolder"})
        return Answer(card=card)

    async def _campaign(self, verb: str, data: dict[str, Any], *, clicker_id: str | None, clicker_name: str, now: datetime) -> Answer:
        """A new announcement from the form, a follow-up or "opgelost" on its card, or regie's
        approval of a refused one (``bot.announcements.RUNNERS``): the same steps as a ticket's
        (role, one transaction with its audit entry, the outbox after the commit)."""
        services = self._services
        if not (self.roles_of(clicker_id) & PERMISSIONS[verb]):
            log.warning("campaign action %s refused: clicker lacks the role", verb)
            await self._audit_alone(
                now=now, actor_id=clicker_id, action=verb, ticket_id=None, result="refused_not_authorised",
                details={"campaign": labels.number_from(data.get("campagne")), "name": clicker_name, "roles_needed": sorted(PERMISSIONS[verb])},
            )
            return Answer(text=texts.ANNOUNCE_APPROVE_NOT_ALLOWED if verb == reach_cards.VERB_APPROVE else texts.ANNOUNCE_NOT_ALLOWED)
        async with services.database.sessions.begin() as session:
            click = announcements.Click(
                session=session, data=data, by=clicker_id or "", by_name=clicker_name, now=now, policy=services.policy,
            )
            done = await announcements.RUNNERS[verb](click)
            await audit.append(
                session, at=now, actor_id=clicker_id, action=verb, ticket_id=None, result=done.result,
                details={"name": clicker_name, **done.details},
            )
            if done.changed:
                await reach.pump(session, calendar=services.policy.working_calendar, options=services.reach, now=now)
        if done.changed:
            log.info("campaign action %s done: %s", verb, done.details.get("campaign"))
            services.after_commit()
        return Answer(card=done.card, text=done.text, changed=done.changed)

    async def _refreshed(self, ticket_id: int, *, clicker_id: str | None, now: datetime) -> Answer:
        """Teams asks for the card as it is now, for the person looking at it (Universal Actions
        ``refresh``): whoever may act on it gets the buttons, anyone else the read-only view. It
        changes nothing, so it is not audited; every click is still authorised on its own."""
        async with self._services.database.sessions() as session:
            ticket = await reads.get_ticket(session, ticket_id)
            if ticket is None:
                return Answer(text=texts.CARD_TICKET_NOT_FOUND)
            return Answer(card=await self._fresh_card(session, ticket, now=now, notice=None, read_only=not self.roles_of(clicker_id)))

    async def _fresh_card(
        self, session, ticket, *, now: datetime, notice: str | None, events: Sequence[TicketEvent] | None = None,
        read_only: bool = False,
    ) -> dict:
        """The card as of this transaction; ``events`` is the log when the change has just read it."""
        if events is None:
            events = await reads.load_events(session, ticket.id)
        known = await self._services.agent_names.get(session)
        agents = {k: v for k, v in known.items() if self._settings.is_agent(k)}
        card = cards.ticket_card(
            ticket, now=now, policy=self._services.policy, events=events, agents=agents,
            lines=self._services.agent_names.lines, read_only=read_only,
            refresh_for=await refs.user_ids_in_teams(session, agents, limit=cards.REFRESH_USERS),
        )
        if notice:
            card["body"].insert(0, {"type": "TextBlock", "text": notice, "wrap": True, "color": "Attention", "weight": "Bolder"})
        return card

    async def _audit_alone(self, *, now: datetime, actor_id: str | None, action: str, ticket_id: int | None, result: str, details: dict | None = None) -> None:
        async with self._services.database.sessions.begin() as session:
            await audit.append(session, at=now, actor_id=actor_id, action=action, ticket_id=ticket_id, result=result, details=details or {})

    # -- one function per verb ---------------------------------------------------------------
    def _runner(self, verb: str, data: dict[str, Any]) -> Callable[..., Awaitable[tuple[tickets.ChangeResult, dict]]]:
        policy = self._services.policy
        settings = self._settings
        text = labels.clean_text

        def common(now, ticket_id, agent_id, agent_name, seen) -> dict[str, Any]:
            return dict(policy=policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name, seen_version=seen)

        def reaction() -> tickets.Reaction:
            return tickets.Reaction(
                priority=str(data.get(cards.IN_REACTION_PRIORITY) or "").strip().upper()[:4],
                next_step=text(data.get(cards.IN_NEXT_STEP), limit=1000),
                text=text(data.get(cards.IN_NOTE), limit=1000),
                reason=text(data.get(cards.IN_REACTION_REASON), limit=1000),
            )

        async def acknowledge(session, now, ticket_id, agent_id, agent_name, seen):
            note = text(data.get(cards.IN_NOTE), limit=1000)
            line = settings.lines.line_of(agent_id)
            if text(data.get(cards.IN_NEXT_STEP)):  # "Oppakken" with the first substantive reaction
                given = reaction()
                result = await tickets.react(
                    session, **common(now, ticket_id, agent_id, agent_name, seen), reaction=given, agent_line=line,
                    pick_up=True,
                )
                return result, {"reaction": True, "priority": given.priority, "note_chars": len(note or "")}
            result = await tickets.acknowledge(
                session, policy=policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name,
                note=note, seen_version=seen, agent_line=line,
            )
            return result, {"note_chars": len(note or "")}

        async def react(session, now, ticket_id, agent_id, agent_name, seen):
            given = reaction()
            result = await tickets.react(
                session, **common(now, ticket_id, agent_id, agent_name, seen), reaction=given,
                agent_line=settings.lines.line_of(agent_id),
            )
            return result, {"priority": given.priority, "reason_given": bool(given.reason), "text_chars": len(given.text or "")}

        async def call(session, now, ticket_id, agent_id, agent_name, seen):
            reached = _yes_no(data.get(cards.IN_CALL_REACHED))
            note = text(data.get(cards.IN_CALL_NOTE), limit=1000)
            result = await tickets.register_call(session, **common(now, ticket_id, agent_id, agent_name, seen), reached=reached, note=note)
            return result, {"reached": reached}

        async def priority(session, now, ticket_id, agent_id, agent_name, seen):
            new = str(data.get(cards.IN_PRIORITY) or "").strip().upper()
            reason = text(data.get(cards.IN_PRIORITY_REASON), limit=1000)
            before = await reads.get_ticket(session, ticket_id)
            old = before.priority if before is not None else None
            result = await tickets.change_priority(
                session, policy=policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name,
                new_priority=new, reason=reason, seen_version=seen,
            )
            return result, {"from": old, "to": new[:4], "reason_given": bool(reason)}

        async def agreed_date(session, now, ticket_id, agent_id, agent_name, seen):
            agreed = _date(data.get(cards.IN_AGREED_DATE))
            result = await tickets.set_agreed_date(session, **common(now, ticket_id, agent_id, agent_name, seen), agreed=agreed)
            return result, {"date": agreed.isoformat() if agreed else None}

        async def wait(session, now, ticket_id, agent_id, agent_name, seen):
            party = text(data.get(cards.IN_PARTY), limit=200)
            reason = text(data.get(cards.IN_WAIT_REASON), limit=1000)
            raw_expected = data.get(cards.IN_WAIT_EXPECTED)
            expected = _date(raw_expected)
            if expected is None and text(raw_expected):  # typed, but not a date: refused, not dropped
                return tickets.ChangeResult(tickets.Outcome.INVALID, await reads.get_ticket(session, ticket_id), "expected is not a date"), {}
            result = await tickets.wait_for_third_party(
                session, policy=policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name,
                party=party, reason=reason, expected=expected, seen_version=seen,
            )
            return result, {"party_given": bool(party), "reason_given": bool(reason), "expected": expected.isoformat() if expected else None}

        async def resume(session, now, ticket_id, agent_id, agent_name, seen):
            result = await tickets.resume(
                session, policy=policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name, seen_version=seen
            )
            return result, {}

        async def update(session, now, ticket_id, agent_id, agent_name, seen):
            message = text(data.get(cards.IN_UPDATE))
            result = await tickets.post_update(
                session, policy=policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name,
                text=message, seen_version=seen,
            )
            return result, {"text_chars": len(message or "")}

        async def workaround(session, now, ticket_id, agent_id, agent_name, seen):
            note = text(data.get(cards.IN_WORKAROUND))
            result = await tickets.record_workaround(
                session, policy=policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name,
                note=note, seen_version=seen,
            )
            return result, {"text_chars": len(note or "")}

        async def resolve(session, now, ticket_id, agent_id, agent_name, seen):
            solution = text(data.get(cards.IN_SOLUTION))
            result = await tickets.resolve(
                session, policy=policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name,
                solution=solution, seen_version=seen,
            )
            return result, {"text_chars": len(solution or "")}

        async def reopen(session, now, ticket_id, agent_id, agent_name, seen):
            reason = text(data.get(cards.IN_REOPEN_REASON), limit=1000)
            result = await tickets.reopen(
                session, policy=policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name,
                reason=reason, seen_version=seen,
            )
            return result, {"reason_given": bool(reason)}

        async def hand_over(session, now, ticket_id, agent_id, agent_name, seen):
            target = str(data.get(cards.IN_HAND_OVER_TO) or "").strip().lower()[:64]
            queue = target.removeprefix(cards.QUEUE_PREFIX) if target.startswith(cards.QUEUE_PREFIX) else None
            lines = settings.lines
            if queue is not None and queue in lines.queues:
                to_agent = to_name = None
                to_line = queue
            elif queue is None and target and settings.is_agent(target):
                # Only an agent can receive a ticket; the choice on the card is not trusted.
                to_agent, to_line = target, lines.line_of(target)
                to_name = (await agents.known_agents(session)).get(target) or texts.A_COLLEAGUE
            else:
                return tickets.ChangeResult(Outcome.INVALID, await reads.get_ticket(session, ticket_id), "target is not an agent or a line"), {"to": target}
            result = await tickets.hand_over(
                session, **common(now, ticket_id, agent_id, agent_name, seen), to_agent_id=to_agent, to_agent_name=to_name,
                to_line=to_line, line_of=lines.line_of,
            )
            return result, {"to": target, "to_line": to_line}

        async def device_needed(session, now, ticket_id, agent_id, agent_name, seen):
            note = text(data.get(cards.IN_DEVICE_NOTE), limit=1000)
            return await tickets.need_device_fallback(session, **common(now, ticket_id, agent_id, agent_name, seen), note=note), {}

        async def device_done(session, now, ticket_id, agent_id, agent_name, seen):
            how = str(data.get(cards.IN_DEVICE_HOW) or "").strip()
            note = text(data.get(cards.IN_DEVICE_DONE_NOTE), limit=1000)
            result = await tickets.device_fallback_done(session, **common(now, ticket_id, agent_id, agent_name, seen), how=how, note=note)
            return result, {"how": how[:20]}

        async def onsite_needed(session, now, ticket_id, agent_id, agent_name, seen):
            location = text(data.get(cards.IN_ONSITE_LOCATION), limit=300)
            note = text(data.get(cards.IN_ONSITE_NOTE), limit=1000)
            result = await tickets.need_onsite(session, **common(now, ticket_id, agent_id, agent_name, seen), location=location, note=note)
            return result, {"location_given": bool(location)}

        async def onsite_done(session, now, ticket_id, agent_id, agent_name, seen):
            note = text(data.get(cards.IN_ONSITE_DONE_NOTE), limit=1000)
            return await tickets.onsite_done(session, **common(now, ticket_id, agent_id, agent_name, seen), note=note), {}

        async def security(session, now, ticket_id, agent_id, agent_name, seen):
            kind = str(data.get(cards.IN_SECURITY_KIND) or "").strip()
            breach = _yes_no(data.get(cards.IN_DATA_BREACH))
            result = await tickets.flag_security(
                session, **common(now, ticket_id, agent_id, agent_name, seen), kind=kind, data_breach=breach,
                privacy_officers=settings.privacy_officers,
            )
            return result, {"kind": kind[:30], "data_breach": breach}

        async def contained(session, now, ticket_id, agent_id, agent_name, seen):
            note = text(data.get(cards.IN_CONTAINED_NOTE), limit=1000)
            result = await tickets.contain(session, **common(now, ticket_id, agent_id, agent_name, seen), note=note)
            return result, {"text_chars": len(note or "")}

        async def breach_reported(session, now, ticket_id, agent_id, agent_name, seen):
            note = text(data.get(cards.IN_BREACH_NOTE), limit=1000)
            return await tickets.report_data_breach(session, **common(now, ticket_id, agent_id, agent_name, seen), note=note), {}

        async def major(session, now, ticket_id, agent_id, agent_name, seen):
            title = text(data.get(cards.IN_MAJOR_TITLE), limit=200)
            result = await tickets.declare_major(session, **common(now, ticket_id, agent_id, agent_name, seen), title=title)
            return result, {"title_chars": len(title or "")}

        async def link(session, now, ticket_id, agent_id, agent_name, seen):
            major_id = labels.parse_ticket_label(str(data.get(cards.IN_LINK_TO) or "")[:20])
            result = await tickets.link_to_major(session, **common(now, ticket_id, agent_id, agent_name, seen), major_id=major_id)
            return result, {"major": major_id}

        async def rca(session, now, ticket_id, agent_id, agent_name, seen):
            summary = text(data.get(cards.IN_RCA_SUMMARY))
            link_text = text(data.get(cards.IN_RCA_LINK), limit=500)
            result = await tickets.share_rca(session, **common(now, ticket_id, agent_id, agent_name, seen), summary=summary, link=link_text)
            return result, {"text_chars": len(summary or ""), "link_given": bool(link_text)}

        async def public_title(session, now, ticket_id, agent_id, agent_name, seen):
            title = text(data.get(cards.IN_PUBLIC_TITLE), limit=tickets.PUBLIC_TITLE_MAX)
            title = " ".join(title.split()) if title else None  # one line, as the offer shows it
            result = await tickets.set_public_title(
                session, policy=policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name,
                title=title, seen_version=seen,
            )
            return result, {"title_chars": len(title or "")}

        return {
            cards.VERB_ACKNOWLEDGE: acknowledge,
            cards.VERB_REACTION: react,
            cards.VERB_CALL: call,
            cards.VERB_PRIORITY: priority,
            cards.VERB_AGREED_DATE: agreed_date,
            cards.VERB_WAIT: wait,
            cards.VERB_RESUME: resume,
            cards.VERB_UPDATE: update,
            cards.VERB_WORKAROUND: workaround,
            cards.VERB_RESOLVE: resolve,
            cards.VERB_REOPEN: reopen,
            cards.VERB_HAND_OVER: hand_over,
            cards.VERB_PUBLIC_TITLE: public_title,
            cards.VERB_DEVICE_NEEDED: device_needed,
            cards.VERB_DEVICE_DONE: device_done,
            cards.VERB_ONSITE_NEEDED: onsite_needed,
            cards.VERB_ONSITE_DONE: onsite_done,
            cards.VERB_SECURITY: security,
            cards.VERB_CONTAINED: contained,
            cards.VERB_BREACH_REPORTED: breach_reported,
            cards.VERB_MAJOR: major,
            cards.VERB_LINK: link,
            cards.VERB_RCA: rca,
        }[verb]


def _escalation_change(verb: str, data: dict[str, Any]) -> escalations.Assign | escalations.Action | escalations.Close | None:
    """The step the form asks for, or None when the form is not filled in as it must be."""
    text = labels.clean_text
    if verb == escalation_cards.VERB_LEVEL:
        reason = text(data.get(escalation_cards.IN_LEVEL_REASON), limit=1000)
        try:
            level = Level(str(data.get(escalation_cards.IN_LEVEL) or "").strip().upper())
        except ValueError:
            return None
        return escalations.Assign(level, reason) if reason else None
    if verb == escalation_cards.VERB_ACTION:
        cause = text(data.get(escalation_cards.IN_CAUSE), limit=2000)
        action = text(data.get(escalation_cards.IN_CORRECTIVE), limit=2000)
        owner = text(data.get(escalation_cards.IN_OWNER), limit=200)
        due = _date(data.get(escalation_cards.IN_DUE))
        return escalations.Action(cause, action, " ".join(owner.split()), due) if cause and action and owner and due else None
    evaluation = text(data.get(escalation_cards.IN_EVALUATION), limit=2000)
    return escalations.Close(evaluation) if evaluation else None


def _audit_result(outcome: Outcome) -> str:
    return {
        Outcome.DONE: "done",
        Outcome.STALE: "refused_stale",
        Outcome.INVALID: "refused_invalid",
        Outcome.NOT_ALLOWED: "refused_not_authorised",
        Outcome.NOT_FOUND: "not_found",
    }.get(outcome, outcome.value)
