"""Adaptive Cards (1.5) for the servicedesk, regie and overleg channels.

Text that people typed (descriptions, notes, motivations, names) goes into ``RichTextBlock``s as
``dialogs.plain.run`` elements, which Teams shows literally: an employee's description cannot add
links, mentions, markup or a card's date functions to a card an agent will click on. A person's
words in a chat message go through ``dialogs.plain.markdown``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

from sla import events as ev
from sla.escalation import UPDATE, WAIT, NoticeKind
from sla.events import TicketEvent
from sla.fold import (
    CONTAINMENT, DATA_BREACH, DEFINITIVE_RESOLUTION, DEVICE_FALLBACK, FIRST_RESPONSE, ONSITE, RCA, RESOLUTION,
    TicketClocks, fold,
)
from sla.policy import Policy
from dialogs import plain
from dialogs.texts import (
    CATEGORY_NAMES, CHANNEL_NAMES, PRIORITY_LABELS, REOPENED_BY_REPORTER, REOPENED_BY_REPORTER_LABEL, STATUS_LABELS,
    UPLIFT_LABEL,
)
from dialogs.when import say_when
from storage.employee import may_be_known_outage
from storage.models import Ticket
from storage.tickets import PUBLIC_TITLE_MAX, ticket_label

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"

# Card verbs (Action.Execute ``verb``; the Action.Submit fallback carries it as data["verb"]).
VERB_ACKNOWLEDGE = "oppakken"
VERB_PRIORITY = "prioriteit"
VERB_WAIT = "wacht"
VERB_RESUME = "hervat"
VERB_UPDATE = "update"
VERB_WORKAROUND = "noodoplossing"
VERB_RESOLVE = "opgelost"
VERB_REOPEN = "heropenen"
VERB_HAND_OVER = "overdragen"
VERB_PUBLIC_TITLE = "titel"
VERBS = (
    VERB_ACKNOWLEDGE, VERB_PRIORITY, VERB_WAIT, VERB_RESUME, VERB_UPDATE,
    VERB_WORKAROUND, VERB_RESOLVE, VERB_REOPEN, VERB_HAND_OVER, VERB_PUBLIC_TITLE,
)

# Input ids: unique across the whole card (show cards included), read by bot.card_actions.
IN_NOTE = "notitie"
IN_PRIORITY = "prioriteit"
IN_PRIORITY_REASON = "prioriteit_reden"
IN_PARTY = "wacht_partij"
IN_WAIT_REASON = "wacht_reden"
IN_UPDATE = "update_tekst"
IN_WORKAROUND = "noodoplossing_tekst"
IN_SOLUTION = "oplossing"
IN_FIRST_TIME_FIX = "eerste_keer_goed"
IN_REOPEN_REASON = "heropen_reden"
IN_HAND_OVER_TO = "overdragen_naar"
IN_PUBLIC_TITLE = "publieke_titel"

MAX_DESCRIPTION = 3000
PUBLIC_TITLE_MISSING = "nog niet bevestigd: collega's met dezelfde storing krijgen deze melding niet aangeboden"
LATEST_EVENTS = 5


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    card: dict[str, Any] = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.5", "body": body}
    if actions:
        card["actions"] = actions
    return card


def _cut(text: str | None, limit: int = MAX_DESCRIPTION) -> str:
    text = (text or "").strip() or "-"
    return text if len(text) <= limit else text[:limit] + "…"


def literal(text: str | None, **run: Any) -> dict[str, Any]:
    """People's own words, shown exactly as typed (no markdown, no links, no mentions)."""
    return {"type": "RichTextBlock", "inlines": [plain.run(_cut(text), **run)]}


def labelled(label: str, value: str | None, *, attention: bool = False) -> dict[str, Any]:
    """"Label: value" where the value is shown literally (TextRun renders no markdown).

    Used instead of a FactSet, whose values Teams renders as markdown: a reporter's name or
    phone number must not become a link.
    """
    run = plain.run(_cut(value, 500), **({"color": "Attention"} if attention else {}))
    return {
        "type": "RichTextBlock",
        "inlines": [{"type": "TextRun", "text": f"{label}: ", "weight": "Bolder"}, run],
    }


def heading(text: str) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "weight": "Bolder", "size": "Medium", "wrap": True}


def subheading(text: str) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "weight": "Bolder", "wrap": True, "spacing": "Medium"}


def facts(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Only for the bot's own words and numbers (FactSet values are markdown in Teams)."""
    return {"type": "FactSet", "facts": [{"title": title, "value": value} for title, value in pairs]}


def priority_text(ticket: Ticket) -> str:
    return UPLIFT_LABEL if ticket.uplift else PRIORITY_LABELS.get(ticket.priority, ticket.priority)


def time_left(due: datetime, *, now: datetime) -> str:
    """"nog 13 min", "nog 2 u 5 min", "nog 3 dagen", or "12 min te laat"."""
    seconds = (due - now).total_seconds()
    late = seconds < 0
    minutes = int(abs(seconds) // 60)
    if minutes >= 2 * 24 * 60:
        amount = f"{minutes // (24 * 60)} dagen"
    elif minutes >= 60:
        amount = f"{minutes // 60} u {minutes % 60} min" if minutes % 60 else f"{minutes // 60} u"
    else:
        amount = f"{minutes} min"
    return f"{amount} te laat" if late else f"nog {amount}"


def _deadline(due: datetime | None, *, now: datetime, tz: ZoneInfo) -> tuple[str, bool]:
    if due is None:
        return "-", False
    return f"uiterlijk {say_when(due, now=now, tz=tz)} ({time_left(due, now=now)})", due <= now


def _at(instant: datetime, *, now: datetime, tz: ZoneInfo) -> str:
    return say_when(instant, now=now, tz=tz)


def _event_data(event: Any) -> dict[str, Any]:
    return dict(getattr(event, "data", None) or {})


def event_line(event: Any, *, reporter: str) -> str:
    """One line of history, in Dutch; contains people's words, so always shown literally."""
    data = _event_data(event)
    agent = data.get("agent_name") or "de servicedesk"
    kind = event.kind
    if kind == ev.REPORTED:
        return f"Gemeld door {reporter}"
    if kind == ev.ACKNOWLEDGED:
        note = data.get("note")
        return f"Opgepakt door {agent}" + (f": {note}" if note else "")
    if kind == ev.PRIORITY_CHANGED:
        return f"Prioriteit {data.get('from')} → {data.get('to')} door {agent}: {data.get('reason') or '-'}"
    if kind == ev.PAUSED:
        return f"Wacht op {data.get('party') or 'derde'} ({agent}): {data.get('reason') or '-'}"
    if kind == ev.RESUMED:
        return f"Hervat door {agent}"
    if kind == ev.AGENT_UPDATE:
        return f"Update aan melder door {agent}: {data.get('text') or '-'}"
    if kind == ev.HOLDING_SENT:
        return "Automatisch bericht aan melder: nog geen nieuws (telt niet als update)"
    if kind == ev.STATUS_UPDATE_SENT:
        return "Automatische statusupdate aan melder" + (" (zonder nieuws)" if data.get("holding") else "")
    if kind == ev.WORKAROUND:
        return f"Noodoplossing door {agent}: {data.get('note') or '-'}"
    if kind == ev.RESOLVED:
        ftf = "ja" if data.get("first_time_fix") else "nee"
        return f"Opgelost door {agent}: {data.get('solution') or '-'} (in één keer opgelost: {ftf})"
    if kind == ev.REOPENED:
        return f"Heropend door {agent}: {data.get('reason') or '-'}"
    if kind == ev.HANDED_OVER:
        return f"Overgedragen aan {data.get('to_name') or 'een collega'} door {agent}"
    if kind == ev.PRODUCTIVE_AGAIN:
        return "Melder kan weer werken"
    if kind == ev.CSAT:
        return f"Tevredenheid van de melder: {data.get('score')}"
    if kind == ev.INFO_ADDED:
        return f"Aanvulling: {data.get('text') or '-'}"
    if kind == ev.AGREED_DATE_SET:
        return f"Afgesproken datum: {data.get('date')}"
    if kind == ev.CLOSED:
        return "Gesloten"
    if kind == ev.PUBLIC_TITLE_SET:
        return f"Publieke titel door {agent}: {data.get('title') or '-'}"
    return kind


def _history(events: Sequence[Any], *, ticket: Ticket, tz: ZoneInfo) -> list[dict[str, Any]]:
    latest = list(events)[-LATEST_EVENTS:][::-1]
    blocks: list[dict[str, Any]] = []
    for event in latest:
        blocks.append(
            {
                "type": "RichTextBlock",
                "inlines": [
                    {"type": "TextRun", "text": f"{event.at.astimezone(tz):%d-%m %H:%M} ", "isSubtle": True},
                    plain.run(_cut(event_line(event, reporter=ticket.reporter_name), 600)),
                ],
            }
        )
    return blocks


def _priority_reason(ticket: Ticket, events: Sequence[Any]) -> str | None:
    changes = [e for e in events if e.kind == ev.PRIORITY_CHANGED]
    if changes:
        data = _event_data(changes[-1])
        return f"gewijzigd van {data.get('from')} naar {data.get('to')}: {data.get('reason') or '-'}"
    reasons = (ticket.priority_reasons or {}).get("reasons") or []
    return "; ".join(str(r) for r in reasons) or None


def _execute(title: str, verb: str, ticket: Ticket, *, style: str | None = None) -> dict[str, Any]:
    """An Action.Execute with an Action.Submit fallback (clients without Universal Actions).

    The data carries only the ticket and the version the card was drawn at: who may do what is
    decided on the server from the clicker's Entra object id.
    """
    data = {"ticket": ticket.id, "versie": ticket.version}
    action: dict[str, Any] = {
        "type": "Action.Execute",
        "title": title,
        "verb": verb,
        "data": data,
        "associatedInputs": "auto",
        "fallback": {"type": "Action.Submit", "title": title, "data": {"verb": verb, **data}, "associatedInputs": "auto"},
    }
    if style:
        action["style"] = style
    return action


def _text_input(input_id: str, label: str, *, placeholder: str = "", required: bool = True, multiline: bool = True, max_length: int = 1000) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "Input.Text",
        "id": input_id,
        "label": label,
        "isMultiline": multiline,
        "maxLength": max_length,
    }
    if placeholder:
        element["placeholder"] = placeholder
    if required:
        element["isRequired"] = True
        element["errorMessage"] = "Vul dit in."
    return element


def _choice_input(input_id: str, label: str, choices: Sequence[tuple[str, str]], *, value: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "Input.ChoiceSet",
        "id": input_id,
        "label": label,
        "style": "compact",
        "isRequired": True,
        "errorMessage": "Maak een keuze.",
        "choices": [{"title": title, "value": val} for val, title in choices],
    }
    if value is not None:
        element["value"] = value
    return element


def _show(title: str, body: list[dict[str, Any]], action: dict[str, Any], *, secondary: bool = False) -> dict[str, Any]:
    """A button that opens a small form; ``secondary`` puts it in the card's overflow menu (…),
    so the row keeps at most three buttons that fit a Teams card without being cut off."""
    shown: dict[str, Any] = {
        "type": "Action.ShowCard", "title": title, "card": {"type": "AdaptiveCard", "body": body, "actions": [action]}
    }
    if secondary:
        shown["mode"] = "secondary"
    return shown


def _actions(ticket: Ticket, *, agents: Mapping[str, str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(body inputs, actions) for the ticket's status."""
    status = ticket.status
    body: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    priority_choices = [(p, PRIORITY_LABELS.get(p, p)) for p in ("P1", "P2", "P3", "P4") if p != ticket.priority]

    def change_priority_action(*, secondary: bool):
        return _show(
        "Prioriteit wijzigen",
        [
            _choice_input(IN_PRIORITY, "Nieuwe prioriteit", priority_choices),
            _text_input(IN_PRIORITY_REASON, "Reden (de melder krijgt die te zien)", placeholder="Bijvoorbeeld: het hele team kan niet werken."),
            ],
            _execute("Prioriteit wijzigen", VERB_PRIORITY, ticket),
            secondary=secondary,
        )

    if status == "nieuw" and ticket.first_response_at is None:
        body.append(
            _text_input(IN_NOTE, "Eerste bericht aan de melder", placeholder="Bijvoorbeeld: ik bel je binnen 5 minuten.", required=False)
        )
        actions.append(_execute("Oppakken", VERB_ACKNOWLEDGE, ticket, style="positive"))
        actions.append(change_priority_action(secondary=False))
        return body, actions
    if status in ("opgepakt", "wacht_op_derde", "nieuw"):
        actions.append(
            _show(
                "Update naar melder",
                [_text_input(IN_UPDATE, "Bericht aan de melder", placeholder="Wat is er gedaan, wat komt er nog?")],
                _execute("Versturen", VERB_UPDATE, ticket),
            )
        )
        if status == "wacht_op_derde":
            actions.append(_execute("Hervat", VERB_RESUME, ticket))
        else:
            actions.append(
                _show(
                    "Wacht op derde",
                    [
                        _text_input(IN_PARTY, "Op wie wachten we?", placeholder="Bijvoorbeeld: leverancier Ricoh", multiline=False, max_length=200),
                        _text_input(IN_WAIT_REASON, "Waarom?", placeholder="Bijvoorbeeld: onderdeel besteld"),
                    ],
                    _execute("Wacht op derde", VERB_WAIT, ticket),
                )
            )
        actions.append(
            _show(
                "Opgelost",
                [
                    _text_input(IN_SOLUTION, "Oplossing (de melder krijgt die te zien)"),
                    _choice_input(IN_FIRST_TIME_FIX, "Opgelost zonder doorzetten naar een ander?", [("ja", "Ja"), ("nee", "Nee")]),
                ],
                _execute("Opgelost", VERB_RESOLVE, ticket, style="positive"),
            )
        )
        actions.append(
            _show(
                "Noodoplossing",
                [_text_input(IN_WORKAROUND, "Welke noodoplossing? (de melder krijgt die te zien)", placeholder="Bijvoorbeeld: leenlaptop uitgegeven")],
                _execute("Noodoplossing vastleggen", VERB_WORKAROUND, ticket),
                secondary=ticket.priority != "P1",  # stabilisation is the P1 promise: keep it in sight
            )
        )
        actions.append(change_priority_action(secondary=True))
        others = [(agent_id, name) for agent_id, name in agents.items() if agent_id != (ticket.owner_id or "").lower()]
        if others:
            actions.append(
                _show(
                    "Overdragen",
                    [_choice_input(IN_HAND_OVER_TO, "Aan wie?", sorted(others, key=lambda item: item[1]))],
                    _execute("Overdragen", VERB_HAND_OVER, ticket),
                    secondary=True,
                )
            )
        return body, actions
    if status == "opgelost":
        actions.append(
            _show(
                "Heropenen",
                [_text_input(IN_REOPEN_REASON, "Waarom opnieuw open?")],
                _execute("Heropenen", VERB_REOPEN, ticket),
            )
        )
    return body, actions


def _public_title(ticket: Ticket) -> list[dict[str, Any]]:
    """A broad outage is offered to colleagues who report the same, under a title the servicedesk
    writes or confirms here: never under the reporter's own words. Its button sits beside it in
    the body, so the card keeps at most six actions of its own (Teams drops more)."""
    title = _text_input(
        IN_PUBLIC_TITLE, "Titel die collega's met dezelfde storing zien (geen namen of details)",
        multiline=False, max_length=PUBLIC_TITLE_MAX,
    )
    title["value"] = ticket.public_title or f"Storing {CATEGORY_NAMES.get(ticket.category, ticket.category)}"
    form = _show(
        "Titel wijzigen" if ticket.public_title else "Titel bevestigen",
        [title],
        _execute("Titel bevestigen", VERB_PUBLIC_TITLE, ticket),
    )
    return [
        labelled("Publieke titel", ticket.public_title or PUBLIC_TITLE_MISSING, attention=not ticket.public_title),
        {"type": "ActionSet", "actions": [form]},
    ]


def ticket_card(
    ticket: Ticket,
    *,
    now: datetime,
    policy: Policy,
    events: Sequence[TicketEvent],
    agents: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The servicedesk's card for one ticket; its buttons carry the version they were drawn at.

    ``events`` (the ticket's event log, oldest first) gives every clock (``sla.fold``), the latest
    events and the reason for a priority change; ``agents`` (object id -> name) offers the
    hand-over choices.
    """
    tz = policy.tz
    label = ticket_label(ticket.id)
    body: list[dict[str, Any]] = [heading(f"Melding {label} · {priority_text(ticket)}")]
    if _reopened_by_reporter(events):
        body.append(labelled(REOPENED_BY_REPORTER_LABEL, REOPENED_BY_REPORTER.format(name=ticket.reporter_name), attention=True))
    body.append(labelled("Prioriteit", priority_text(ticket)))
    if ticket.uplift and ticket.uplift_motivation:
        body.append(labelled("Motivatie P1-uplift", ticket.uplift_motivation))
    else:
        reason = _priority_reason(ticket, events)
        if reason:
            body.append(labelled("Reden prioriteit", reason))
    body.append(labelled("Categorie", CATEGORY_NAMES.get(ticket.category, ticket.category)))
    body.append(labelled("Status", STATUS_LABELS.get(ticket.status, ticket.status)))
    body.append(labelled("Melder", ticket.reporter_name))
    if ticket.phone:
        body.append(labelled("Bel terug", ticket.phone))
    body.append(labelled("Gemeld", _at(ticket.opened_at, now=now, tz=tz)))
    body.extend(supplier_facts(ticket))
    body.append(labelled("Eigenaar", ticket.owner_name or "nog niemand"))
    if may_be_known_outage(ticket):
        body.extend(_public_title(ticket))
    if ticket.update_overdue and ticket.status in ("nieuw", "opgepakt", "wacht_op_derde"):
        body.append(labelled("Let op", "de melder kreeg een update zonder nieuws: stuur een update", attention=True))

    body.append(subheading("Termijnen"))
    if ticket.first_response_at is not None:
        body.append(labelled("Opgepakt", f"door {_first_owner(events, ticket)} {say_when(ticket.first_response_at, now=now, tz=tz)}"))
    body.extend(clock_lines(fold(policy, events, now=now), now=now))

    body.append(subheading("Omschrijving"))
    body.append(literal(ticket.description))
    if ticket.uplift_motivation and not ticket.uplift:
        body.append(labelled("Motivatie bij melding", ticket.uplift_motivation))
    if events:
        body.append(subheading("Laatste gebeurtenissen"))
        body.extend(_history(events, ticket=ticket, tz=tz))
    inputs, actions = _actions(ticket, agents={k.lower(): v for k, v in (agents or {}).items()})
    body.extend(inputs)
    return _card(body, actions)


def _reopened_by_reporter(events: Sequence[Any]) -> bool:
    """The reporter said "nog niet" after the latest resolution: the agent must see it first."""
    last = next((e for e in reversed(events) if e.kind in (ev.RESOLVED, ev.REOPENED)), None)
    return last is not None and last.kind == ev.REOPENED and _event_data(last).get("by") == ev.BY_REPORTER


def supplier_facts(ticket: Ticket) -> list[dict[str, Any]]:
    """The channel of a report that did not come through Teams, and the supplier's own number."""
    facts = []
    if ticket.channel != "teams":
        facts.append(labelled("Gemeld via", CHANNEL_NAMES.get(ticket.channel, ticket.channel)))
    if ticket.external_number:
        facts.append(labelled("Nummer bij leverancier", ticket.external_number))
    return facts


# What each clock is called on the servicedesk card (``sla.fold``'s clock names).
CARD_CLOCK_LABELS = {
    FIRST_RESPONSE: "Eerste inhoudelijke reactie",
    RESOLUTION: "Oplossing",
    DEFINITIVE_RESOLUTION: "Definitieve oplossing",
    CONTAINMENT: "Beveiligingsincident begrensd (containment)",
    ONSITE: "Monteur op locatie",
    DEVICE_FALLBACK: "Vervangend toestel",
    DATA_BREACH: "Datalek gemeld bij de AP",
    RCA: "Oorzaakanalyse (RCA) gedeeld",
}


def clock_lines(clocks: TicketClocks, *, now: datetime) -> list[dict[str, Any]]:
    """Every clock of the ticket, its wait and its next update, in one place (from the fold)."""
    tz = clocks.tz
    terms = clocks.policy.terms(clocks.priority)
    lines: list[dict[str, Any]] = []
    for name, clock in clocks.clocks.items():
        label = CARD_CLOCK_LABELS[name]
        if name == FIRST_RESPONSE and terms.call_required:
            label += " (bel de melder)"
        if name == RESOLUTION and terms.workaround_meets_resolution:
            label += " of noodoplossing"
        if clock.stop_us is not None:
            text = f"gedaan {say_when(clock.stopped, now=now, tz=tz)}" + (" (te laat)" if clock.breached else "")
            lines.append(labelled(label, text))
        elif clock.due_us is None:
            lines.append(labelled(label, "de klok staat stil zolang we op een derde wachten"))
        else:
            text, late = _deadline(clock.due, now=now, tz=tz)
            lines.append(labelled(label, text, attention=late))
    wait = clocks.open_wait
    if wait is not None:
        text = f"{wait.party or 'een derde'} sinds {say_when(wait.start, now=now, tz=tz)}"
        if wait.exceeded:
            text += " (langer dan toegestaan, regie is ingelicht)"
        lines.append(labelled("Wacht op", text, attention=wait.exceeded))
    if clocks.updates.next_due is not None:
        text, late = _deadline(clocks.updates.next_due, now=now, tz=tz)
        lines.append(labelled("Volgende update aan melder", text, attention=late))
    return lines


def _first_owner(events: Sequence[Any], ticket: Ticket) -> str:
    for event in events:
        if event.kind == ev.ACKNOWLEDGED:
            return _event_data(event).get("agent_name") or ticket.owner_name or "de servicedesk"
    return ticket.owner_name or "de servicedesk"


# --- regie -------------------------------------------------------------------------------------

CLOCK_LABELS = {
    FIRST_RESPONSE: "reactietermijn (eerste inhoudelijke reactie)",
    RESOLUTION: "oplostermijn",
    DEFINITIVE_RESOLUTION: "definitieve oplostermijn",
    CONTAINMENT: "containment van het beveiligingsincident",
    ONSITE: "termijn monteur op locatie",
    DEVICE_FALLBACK: "termijn vervangend toestel",
    DATA_BREACH: "melding datalek (72 uur)",
    RCA: "oorzaakanalyse (RCA) na een major incident",
    UPDATE: "statusupdate aan de melder",
    WAIT: "wacht op derde",
}


def regie_new_p1_card(
    ticket: Ticket,
    *,
    now: datetime,
    tz: ZoneInfo,
    changed_from: str | None = None,
    reason: str | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """Regie's notice of a new P1 (or P1-uplift, or a change to P1): at once, with the callback deadline."""
    label = ticket_label(ticket.id)
    if changed_from:
        title = f"Prioriteit verhoogd naar {priority_text(ticket)}: {label} (was {changed_from})"
    else:
        title = f"Nieuwe {priority_text(ticket)}: {label}"
    callback, callback_late = _deadline(ticket.first_response_due, now=now, tz=tz)
    if ticket.first_response_at is not None:
        callback, callback_late = f"gedaan: opgepakt {say_when(ticket.first_response_at, now=now, tz=tz)}", False
    resolution, resolution_late = _deadline(ticket.resolution_due, now=now, tz=tz)
    body: list[dict[str, Any]] = [
        heading(title),
        labelled("Melder", ticket.reporter_name),
        labelled("Gemeld", f"{ticket.opened_at.astimezone(tz):%d-%m-%Y %H:%M}"),
        labelled("Terugbellen", callback, attention=callback_late),
    ]
    if ticket.phone:
        body.append(labelled("Telefoon melder", ticket.phone))
    body.append(labelled("Oplossing", resolution, attention=resolution_late))
    if changed_from:
        body.append(labelled("Gewijzigd door", by or "de servicedesk"))
        body.append(labelled("Reden", reason))
    if ticket.uplift:
        body.append(labelled("Motivatie P1-uplift", ticket.uplift_motivation or "-"))
    body.append(subheading("Omschrijving"))
    body.append(literal(ticket.description))
    return _card(body)


def regie_notice_card(
    ticket: Ticket,
    *,
    now: datetime,
    tz: ZoneInfo,
    kind: str,
    clock: str,
    priority: str,
    due: datetime,
    escalation: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A pre-breach warning or a breach notice for one clock; a breach carries its escalation level."""
    label = ticket_label(ticket.id)
    what = CLOCK_LABELS.get(clock, clock)
    if kind == NoticeKind.WARNING.value:
        title = f"Dreigt te laat: {label}, {what}"
        when = f"uiterlijk {say_when(due, now=now, tz=tz)} ({time_left(due, now=now)})"
    elif kind == NoticeKind.WAIT_TOO_LONG.value:
        title = f"Wacht te lang op een derde: {label}"
        when = f"langer dan toegestaan sinds {say_when(due, now=now, tz=tz)}"
    elif clock == UPDATE:
        title = f"Melder zonder nieuws: {label}, {what}"
        when = f"was uiterlijk {say_when(due, now=now, tz=tz)}; de servicedesk schreef niets"
    else:
        title = f"Overschreden: {label}, {what}"
        when = f"was uiterlijk {say_when(due, now=now, tz=tz)}"
    body: list[dict[str, Any]] = [
        heading(title),
        labelled("Prioriteit", PRIORITY_LABELS.get(priority, priority) if not ticket.uplift else UPLIFT_LABEL),
        labelled("Termijn", when, attention=kind != NoticeKind.WARNING.value),
        labelled("Status", STATUS_LABELS.get(ticket.status, ticket.status)),
        labelled("Eigenaar", ticket.owner_name or "nog niemand"),
        labelled("Melder", ticket.reporter_name),
        *supplier_facts(ticket),
    ]
    if escalation:
        body.append(subheading(f"Escalatie {escalation['level']} ({escalation['name']})"))
        body.append(labelled("Waarom", escalation["why"]))
        body.append(labelled("Actiehouder", escalation["owner"]))
        if escalation.get("inform"):
            body.append(labelled("Informeren", escalation["inform"]))
        body.append(labelled("Start uiterlijk", escalation["start_by_text"]))
        body.append(labelled("Wat", escalation["action"]))
    body.append(subheading("Omschrijving"))
    body.append(literal(ticket.description))
    return _card(body)


def piket_alert_card(ticket: Ticket, *, now: datetime, tz: ZoneInfo, contact: str | None) -> dict[str, Any]:
    """Out of hours: a new P1 alerts the on-call (piket) contact."""
    label = ticket_label(ticket.id)
    callback, late = _deadline(ticket.first_response_due, now=now, tz=tz)
    body: list[dict[str, Any]] = [
        heading(f"Piket: {priority_text(ticket)} buiten kantoortijd, {label}"),
        labelled("Gemeld", f"{ticket.opened_at.astimezone(tz):%d-%m-%Y %H:%M}"),
        labelled("Terugbellen", callback, attention=late),
    ]
    if ticket.phone:
        body.append(labelled("Telefoon melder", ticket.phone))
    body.append(labelled("Melder", ticket.reporter_name))
    if contact:
        body.append(labelled("Piketdienst", contact))
    if ticket.uplift:
        body.append(labelled("Motivatie P1-uplift", ticket.uplift_motivation or "-"))
    body.append(subheading("Omschrijving"))
    body.append(literal(ticket.description))
    return _card(body)


# --- messages to the reporter, caused by a servicedesk action --------------------------------
# Chat text: markdown only in the bot's own words. The agent's words are quoted after a colon,
# through ``plain.markdown``, so Teams shows them as the agent typed them.

REPORTER_TEXT_KINDS = frozenset(
    {"priority_changed", "waiting", "resumed", "agent_update", "workaround", "resolved", "reopened", "handed_over"}
)


def reporter_text(ticket: Ticket, payload: Mapping[str, Any], *, now: datetime, tz: ZoneInfo) -> str:
    label = f"**{ticket_label(ticket.id)}**"
    kind = payload.get("kind")

    def said(key: str, default: str = "-") -> str:
        """What the agent typed (or ``default``), shown as typed in this markdown message."""
        value = payload.get(key)
        return plain.markdown(value) if value else default

    if kind == "priority_changed":
        new = PRIORITY_LABELS.get(str(payload.get("to")), str(payload.get("to")))
        old = PRIORITY_LABELS.get(str(payload.get("from")), str(payload.get("from")))
        lines = [f"De prioriteit van je melding {label} is veranderd van {old} naar {new}.", f"Reden: {said('reason')}"]
        if ticket.first_response_at is None and ticket.first_response_due is not None:
            call = " en belt je op" if ticket.priority == "P1" else ""
            lines.append(f"De servicedesk reageert uiterlijk {say_when(ticket.first_response_due, now=now, tz=tz)}{call}.")
        if ticket.resolution_due is not None:
            lines.append(f"We willen het uiterlijk {say_when(ticket.resolution_due, now=now, tz=tz)} opgelost hebben.")
        return "\n\n".join(lines)
    if kind == "waiting":
        return (
            f"Voor je melding {label} wachten we op {said('party', 'een andere partij')}: "
            f"{said('reason')}\n\nJe blijft wel op de hoogte van hoe het ervoor staat."
        )
    if kind == "resumed":
        return f"We werken weer aan je melding {label}."
    if kind == "agent_update":
        return f"Bericht van {said('agent_name', 'de servicedesk')} over je melding {label}:\n\n{said('text', '')}"
    if kind == "workaround":
        return (
            f"Er is een noodoplossing voor je melding {label}: {said('note')}\n\n"
            "Dit is tijdelijk; we werken verder aan een echte oplossing."
        )
    if kind == "resolved":
        return (
            f"Je melding {label} is opgelost: {said('solution')}\n\n"
            "Werkt het toch nog niet? Laat het ons weten, dan kijken we opnieuw."
        )
    if kind == "reopened":
        return f"Je melding {label} is weer geopend: {said('reason')}\n\nWe gaan er opnieuw mee aan de slag."
    if kind == "handed_over":
        return f"Je melding {label} is overgedragen aan {said('to_name', 'een collega')} van de servicedesk."
    return f"Er is iets veranderd aan je melding {label}."
