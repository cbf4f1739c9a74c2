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
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Awaitable, Callable, Sequence

from botbuilder.core import CardFactory, InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot import cards
from bot.settings import Settings
from dialogs.services import DeskServices
from sla.events import TicketEvent
from storage import audit, tickets
from storage.tickets import Outcome

log = logging.getLogger("servicedesk.card_actions")

AGENT = "agent"
REGIE = "regie"
ADMIN = "admin"

# Who may do what. Admins count as agents (Settings.is_agent); regie may change a priority and
# reopen a ticket, the two things a service manager does from the contract side.
PERMISSIONS: dict[str, frozenset[str]] = {
    cards.VERB_ACKNOWLEDGE: frozenset({AGENT}),
    cards.VERB_PRIORITY: frozenset({AGENT, REGIE}),
    cards.VERB_WAIT: frozenset({AGENT}),
    cards.VERB_RESUME: frozenset({AGENT}),
    cards.VERB_UPDATE: frozenset({AGENT}),
    cards.VERB_WORKAROUND: frozenset({AGENT}),
    cards.VERB_RESOLVE: frozenset({AGENT}),
    cards.VERB_REOPEN: frozenset({AGENT, REGIE}),
    cards.VERB_HAND_OVER: frozenset({AGENT}),
    cards.VERB_PUBLIC_TITLE: frozenset({AGENT}),
}

NOT_AGENT = "Alleen medewerkers van de servicedesk kunnen een melding oppakken."
NOT_ALLOWED = "Alleen medewerkers van de servicedesk kunnen dit doen."
STALE = "Deze kaart was verouderd. Je ziet nu de actuele stand; probeer het opnieuw als het nog nodig is."
UNKNOWN_ACTION = "Deze knop ken ik niet."
NOT_FOUND = "Deze melding bestaat niet (meer)."
INVALID = {
    cards.VERB_PRIORITY: "Kies een andere prioriteit en geef een reden op.",
    cards.VERB_WAIT: "Vul in op wie we wachten en waarom. Dat kan alleen bij een opgepakte melding.",
    cards.VERB_RESUME: "Deze melding wacht niet op een derde.",
    cards.VERB_UPDATE: "Schrijf een bericht voor de melder. Dat kan nadat de melding is opgepakt.",
    cards.VERB_WORKAROUND: "Beschrijf de noodoplossing. Dat kan nadat de melding is opgepakt.",
    cards.VERB_RESOLVE: "Beschrijf de oplossing en kies of het in één keer is opgelost. Dat kan nadat de melding is opgepakt.",
    cards.VERB_REOPEN: "Geef een reden op. Alleen een opgeloste melding kan weer open.",
    cards.VERB_HAND_OVER: "Kies een collega van de servicedesk die de melding nog niet heeft.",
    cards.VERB_ACKNOWLEDGE: "Deze melding kan niet meer opgepakt worden.",
    cards.VERB_PUBLIC_TITLE: "Schrijf een korte titel die collega's mogen zien, zonder namen. Dat kan zolang de melding open is.",
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
        return message_response(answer.text or UNKNOWN_ACTION)

    @staticmethod
    def is_submit(activity: Activity) -> bool:
        """A channel message from the Action.Submit fallback: its value names one of our verbs."""
        value = activity.value
        return isinstance(value, dict) and value.get("verb") in cards.VERBS

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
        return frozenset(roles)

    async def handle(self, turn_context: TurnContext, verb: Any, data: dict[str, Any]) -> Answer:
        services = self._services
        clicker = turn_context.activity.from_property
        clicker_id = _object_id(turn_context)
        clicker_name = (getattr(clicker, "name", None) or "Servicedesk")[:200]
        now = services.clock.now()
        ticket_id = tickets.number_from(data.get("ticket"))
        if verb not in PERMISSIONS or ticket_id is None:
            log.info("card action with unknown verb or without a ticket")
            await self._audit_alone(now=now, actor_id=clicker_id, action=str(verb)[:60], ticket_id=ticket_id, result="unknown_action")
            return Answer(text=UNKNOWN_ACTION)
        if not (self.roles_of(clicker_id) & PERMISSIONS[verb]):
            log.warning("card action %s on ticket %s refused: clicker lacks the role", verb, ticket_id)
            await self._audit_alone(
                now=now, actor_id=clicker_id, action=verb, ticket_id=ticket_id, result="refused_not_authorised",
                details={"name": clicker_name, "roles_needed": sorted(PERMISSIONS[verb])},
            )
            return Answer(text=NOT_AGENT if verb == cards.VERB_ACKNOWLEDGE else NOT_ALLOWED)
        seen_version = tickets.number_from(data.get("versie"))
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
                return Answer(text=NOT_FOUND)
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
            return Answer(text=INVALID.get(verb, UNKNOWN_ACTION))
        return Answer(card=card)  # ALREADY or STALE: the fresh card, nothing changed

    async def _fresh_card(
        self, session, ticket, *, now: datetime, notice: str | None, events: Sequence[TicketEvent] | None = None
    ) -> dict:
        """The card as of this transaction; ``events`` is the log when the change has just read it."""
        if events is None:
            events = await tickets.load_events(session, ticket.id)
        known = await self._services.agent_names.get(session)
        agents = {k: v for k, v in known.items() if self._settings.is_agent(k)}
        card = cards.ticket_card(ticket, now=now, policy=self._services.policy, events=events, agents=agents)
        if notice:
            card["body"].insert(0, {"type": "TextBlock", "text": notice, "wrap": True, "color": "Attention", "weight": "Bolder"})
        return card

    async def _audit_alone(self, *, now: datetime, actor_id: str | None, action: str, ticket_id: int | None, result: str, details: dict | None = None) -> None:
        async with self._services.database.sessions.begin() as session:
            await audit.append(session, at=now, actor_id=actor_id, action=action, ticket_id=ticket_id, result=result, details=details or {})

    # -- one function per verb ---------------------------------------------------------------
    def _runner(self, verb: str, data: dict[str, Any]) -> Callable[..., Awaitable[tuple[tickets.ChangeResult, dict]]]:
        policy = self._services.policy
        text = tickets.clean_text

        async def acknowledge(session, now, ticket_id, agent_id, agent_name, seen):
            note = text(data.get(cards.IN_NOTE), limit=1000)
            result = await tickets.acknowledge(
                session, policy=policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name,
                note=note, seen_version=seen,
            )
            return result, {"note_chars": len(note or "")}

        async def priority(session, now, ticket_id, agent_id, agent_name, seen):
            new = str(data.get(cards.IN_PRIORITY) or "").strip().upper()
            reason = text(data.get(cards.IN_PRIORITY_REASON), limit=1000)
            before = await tickets.get_ticket(session, ticket_id)
            old = before.priority if before is not None else None
            result = await tickets.change_priority(
                session, policy=policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name,
                new_priority=new, reason=reason, seen_version=seen,
            )
            return result, {"from": old, "to": new[:4], "reason_given": bool(reason)}

        async def wait(session, now, ticket_id, agent_id, agent_name, seen):
            party = text(data.get(cards.IN_PARTY), limit=200)
            reason = text(data.get(cards.IN_WAIT_REASON), limit=1000)
            result = await tickets.wait_for_third_party(
                session, policy=policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name,
                party=party, reason=reason, seen_version=seen,
            )
            return result, {"party_given": bool(party), "reason_given": bool(reason)}

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
            first_time_fix = _yes_no(data.get(cards.IN_FIRST_TIME_FIX))
            result = await tickets.resolve(
                session, policy=policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name,
                solution=solution, first_time_fix=first_time_fix, seen_version=seen,
            )
            return result, {"text_chars": len(solution or ""), "first_time_fix": first_time_fix}

        async def reopen(session, now, ticket_id, agent_id, agent_name, seen):
            reason = text(data.get(cards.IN_REOPEN_REASON), limit=1000)
            result = await tickets.reopen(
                session, policy=policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name,
                reason=reason, seen_version=seen,
            )
            return result, {"reason_given": bool(reason)}

        async def hand_over(session, now, ticket_id, agent_id, agent_name, seen):
            target = str(data.get(cards.IN_HAND_OVER_TO) or "").strip().lower()[:64]
            if not target or not self._settings.is_agent(target):
                # Only an agent can receive a ticket; the choice on the card is not trusted.
                return tickets.ChangeResult(Outcome.INVALID, await tickets.get_ticket(session, ticket_id), "target is not an agent"), {"to": target}
            names = await tickets.known_agents(session)
            result = await tickets.hand_over(
                session, policy=policy, now=now, ticket_id=ticket_id, agent_id=agent_id, agent_name=agent_name,
                to_agent_id=target, to_agent_name=names.get(target) or "een collega", seen_version=seen,
            )
            return result, {"to": target}

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
            cards.VERB_PRIORITY: priority,
            cards.VERB_WAIT: wait,
            cards.VERB_RESUME: resume,
            cards.VERB_UPDATE: update,
            cards.VERB_WORKAROUND: workaround,
            cards.VERB_RESOLVE: resolve,
            cards.VERB_REOPEN: reopen,
            cards.VERB_HAND_OVER: hand_over,
            cards.VERB_PUBLIC_TITLE: public_title,
        }[verb]


def _audit_result(outcome: Outcome) -> str:
    return {
        Outcome.DONE: "done",
        Outcome.STALE: "refused_stale",
        Outcome.INVALID: "refused_invalid",
        Outcome.NOT_ALLOWED: "refused_not_authorised",
        Outcome.NOT_FOUND: "not_found",
    }.get(outcome, outcome.value)
