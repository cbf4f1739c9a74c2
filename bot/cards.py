"""Adaptive Cards (1.5) for the servicedesk, regie and overleg channels.

Text that people typed (descriptions, notes, motivations, names) goes into ``RichTextBlock``s as
``dialogs.plain.run`` elements, which Teams shows literally: an employee's description cannot add
links, mentions, markup or a card's date functions to a card an agent will click on. A person's
words in a chat message go through ``dialogs.plain.markdown``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable, Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

from sla import events as ev
from sla.escalation import UPDATE, WAIT, NoticeKind
from sla.events import TicketEvent
from sla.fold import (
    CONTAINMENT, DATA_BREACH, DEFINITIVE_RESOLUTION, DEVICE_FALLBACK, FIRST_LINE, FIRST_RESPONSE, NEEDED, ONSITE, RCA,
    RESOLUTION, Recorded, TicketClocks, fold,
)
from sla.humanize import humanize_day
from sla.policy import Policy
from sla.priority import SECURITY_KINDS
from sla.status import OPEN_STATUSES, WORKING_STATUSES, TicketStatus
from dialogs import plain, texts
from dialogs.texts import (
    CADENCE_SENTENCES, CATEGORY_NAMES, CHANNEL_NAMES, PRIORITY_LABELS, REOPENED_BY_REPORTER, REOPENED_BY_REPORTER_LABEL, STATUS_LABELS,
    STILL_FAILING_LABEL,
    UPLIFT_LABEL,
)
from dialogs.when import say_when
from storage.agents import Lines
from storage.employee import may_be_known_outage
from storage.feedback import LOW_SCORE
from storage.labels import ticket_label
from storage.models import Ticket
from storage.outbox import Kind
from storage.tickets import DEVICE_HOW, PUBLIC_TITLE_MAX

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
VERB_REACTION = "reactie"
VERB_CALL = "gebeld"
VERB_AGREED_DATE = "afspraak"
VERB_DEVICE_NEEDED = "leentoestel"
VERB_DEVICE_DONE = "toestel_geleverd"
VERB_ONSITE_NEEDED = "monteur"
VERB_ONSITE_DONE = "monteur_ter_plaatse"
VERB_SECURITY = "beveiliging"
VERB_CONTAINED = "ingedamd"
VERB_BREACH_REPORTED = "gemeld_bij_ap"
VERB_MAJOR = "major_incident"
VERB_LINK = "koppelen"
VERB_RCA = "rca"
VERB_PUBLIC_TITLE = "titel"
VERB_REFRESH = "vernieuwen"  # the card's automatic refresh (Universal Actions): draws, changes nothing
VERBS = (
    VERB_ACKNOWLEDGE, VERB_PRIORITY, VERB_WAIT, VERB_RESUME, VERB_UPDATE,
    VERB_WORKAROUND, VERB_RESOLVE, VERB_REOPEN, VERB_HAND_OVER, VERB_PUBLIC_TITLE,
    VERB_REACTION, VERB_CALL, VERB_AGREED_DATE, VERB_DEVICE_NEEDED, VERB_DEVICE_DONE, VERB_ONSITE_NEEDED,
    VERB_ONSITE_DONE, VERB_SECURITY, VERB_CONTAINED, VERB_BREACH_REPORTED, VERB_MAJOR, VERB_LINK, VERB_RCA,
)

# Input ids: unique across the whole card (show cards included), read by bot.card_actions.
IN_NOTE = "notitie"  # the message to the reporter with "Oppakken" or the first reaction
IN_REACTION_PRIORITY = "prioriteit_voorlopig"
IN_REACTION_REASON = "prioriteit_voorlopig_reden"
IN_NEXT_STEP = "vervolgstap"
IN_CALL_REACHED = "gebeld_bereikt"
IN_CALL_NOTE = "gebeld_notitie"
IN_AGREED_DATE = "afgesproken_datum"
IN_WAIT_EXPECTED = "wacht_verwacht"
IN_DEVICE_NOTE = "leentoestel_notitie"
IN_DEVICE_HOW = "toestel_hoe"
IN_DEVICE_DONE_NOTE = "toestel_notitie"
IN_ONSITE_LOCATION = "monteur_locatie"
IN_ONSITE_NOTE = "monteur_notitie"
IN_ONSITE_DONE_NOTE = "monteur_ter_plaatse_notitie"
IN_SECURITY_KIND = "beveiliging_soort"
IN_DATA_BREACH = "datalek"
IN_CONTAINED_NOTE = "ingedamd_notitie"
IN_BREACH_NOTE = "ap_notitie"
IN_MAJOR_TITLE = "major_titel"
IN_LINK_TO = "koppelen_aan"
IN_RCA_SUMMARY = "rca_samenvatting"
IN_RCA_LINK = "rca_link"
IN_PRIORITY = "prioriteit"
IN_PRIORITY_REASON = "prioriteit_reden"
IN_PARTY = "wacht_partij"
IN_WAIT_REASON = "wacht_reden"
IN_UPDATE = "update_tekst"
IN_WORKAROUND = "noodoplossing_tekst"
IN_SOLUTION = "oplossing"
IN_REOPEN_REASON = "heropen_reden"
IN_HAND_OVER_TO = "overdragen_naar"
IN_PUBLIC_TITLE = "publieke_titel"

# The hand-over choice for a line's queue: "lijn:2" (an agent's choice is their object id).
QUEUE_PREFIX = "lijn:"

MAX_DESCRIPTION = 3000
PUBLIC_TITLE_MISSING = "nog niet bevestigd: collega's met dezelfde storing krijgen deze melding niet aangeboden"
LATEST_EVENTS = 5

LINE_NAMES = {"1": "1e lijn (servicedesk)", "2": "2e lijn", "3": "3e lijn"}
DEVICE_HOW_NAMES = {"swap": "omgeruild", "loaner": "leentoestel", "virtual": "virtuele werkplek"}
SECURITY_KIND_NAMES = {
    "kwijt": "apparaat kwijt of gestolen",
    "datalek": "datalek",
    "actieve_aanval": "actieve aanval (virus, ransomware)",
    "account_gehackt": "account gehackt",
    "phishing": "phishing",
    "anders": "ander beveiligingsincident",
}
assert set(SECURITY_KIND_NAMES) == set(SECURITY_KINDS) and set(DEVICE_HOW_NAMES) == set(DEVICE_HOW)


def line_name(line: str | None) -> str:
    return LINE_NAMES.get(line or FIRST_LINE, f"lijn {line}")


def _day(value: Any) -> str:
    """A stored ISO date as people say it ("dinsdag 5 mei")."""
    try:
        return humanize_day(value if isinstance(value, date) else date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


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


def _optional(text: Any, prefix: str = ": ") -> str:
    return f"{prefix}{text}" if text else ""


def _reaction_line(d: Mapping[str, Any], agent: str) -> str:
    line = f"Eerste reactie van {agent}: prioriteit {d.get('priority')}, volgende stap: {d.get('next_step') or '-'}"
    return line + _optional(d.get("text"), " · bericht: ")


def _hand_over_line(d: Mapping[str, Any], agent: str) -> str:
    to = d.get("to_name") or f"de wachtrij van de {line_name(d.get('to_line'))}"
    lines = f" ({line_name(d.get('from_line'))} → {line_name(d.get('to_line'))})" if d.get("from_line") != d.get("to_line") else ""
    return f"Overgedragen aan {to} door {agent}{lines}"


def _wait_line(d: Mapping[str, Any], agent: str) -> str:
    expected = f" (verwacht {_day(d['expected'])})" if d.get("expected") else ""
    return f"Wacht op {d.get('party') or 'derde'} ({agent}): {d.get('reason') or '-'}{expected}"


def _security_line(d: Mapping[str, Any], agent: str) -> str:
    kind = SECURITY_KIND_NAMES.get(d.get("kind"), d.get("kind") or "-")
    return f"Beveiligingsincident ({kind}{', datalek' if d.get('data_breach') and d.get('kind') != 'datalek' else ''}) door {agent}"


# One line of history per event kind, in Dutch: (data, agent name, reporter name) -> text.
_EVENT_LINES: dict[str, Callable[[Mapping[str, Any], str, str], str]] = {
    ev.REPORTED: lambda d, agent, reporter: f"Gemeld door {reporter}",
    ev.ACKNOWLEDGED: lambda d, agent, reporter: f"Opgepakt door {agent}" + _optional(d.get("note")),
    ev.REACTION: lambda d, agent, reporter: _reaction_line(d, agent),
    ev.CALL_REGISTERED: lambda d, agent, reporter: (
        f"{agent} belde de melder: {'bereikt' if d.get('reached') else 'niet bereikt'}" + _optional(d.get("note"))
    ),
    ev.PRIORITY_CHANGED: lambda d, agent, reporter: f"Prioriteit {d.get('from')} → {d.get('to')} door {agent}: {d.get('reason') or '-'}",
    ev.PAUSED: lambda d, agent, reporter: _wait_line(d, agent),
    ev.RESUMED: lambda d, agent, reporter: f"Hervat door {agent}",
    ev.AGENT_UPDATE: lambda d, agent, reporter: f"Update aan melder door {agent}: {d.get('text') or '-'}",
    ev.HOLDING_SENT: lambda d, agent, reporter: "Automatisch bericht aan melder: nog geen nieuws (telt niet als update)",
    ev.STATUS_UPDATE_SENT: lambda d, agent, reporter: (
        "Automatische statusupdate aan melder" + (" (zonder nieuws)" if d.get("holding") else "")
    ),
    ev.WORKAROUND: lambda d, agent, reporter: f"Noodoplossing door {agent}: {d.get('note') or '-'}",
    # RESOLVED's legacy "first_time_fix" is not shown: first-time-fix follows from the hand-overs.
    ev.RESOLVED: lambda d, agent, reporter: f"Opgelost door {agent}: {d.get('solution') or '-'}",
    ev.REOPENED: lambda d, agent, reporter: f"Heropend door {agent}: {d.get('reason') or '-'}",
    ev.HANDED_OVER: lambda d, agent, reporter: _hand_over_line(d, agent),
    ev.PRODUCTIVE_AGAIN: lambda d, agent, reporter: "Melder kan weer werken",
    ev.CSAT: lambda d, agent, reporter: f"Tevredenheid van de melder: {d.get('score')}",
    ev.INFO_ADDED: lambda d, agent, reporter: f"Aanvulling: {d.get('text') or '-'}",
    ev.AGREED_DATE_SET: lambda d, agent, reporter: f"Afgesproken datum voor de update: {_day(d.get('date'))} ({agent})",
    ev.DEVICE_FALLBACK_NEEDED: lambda d, agent, reporter: f"Leentoestel nodig ({agent})" + _optional(d.get("note")),
    ev.DEVICE_FALLBACK_DONE: lambda d, agent, reporter: (
        f"Werkend toestel geleverd: {DEVICE_HOW_NAMES.get(d.get('how'), d.get('how') or '-')} ({agent})" + _optional(d.get("note"))
    ),
    ev.ONSITE_NEEDED: lambda d, agent, reporter: (
        f"Monteur op locatie nodig ({agent})" + _optional(d.get("location"), ": ") + _optional(d.get("note"), " · ")
    ),
    ev.ONSITE_DONE: lambda d, agent, reporter: f"Monteur is ter plaatse ({agent})" + _optional(d.get("note")),
    ev.SECURITY_FLAGGED: lambda d, agent, reporter: _security_line(d, agent),
    ev.CONTAINED: lambda d, agent, reporter: f"Ingedamd door {agent}: {d.get('note') or '-'}",
    ev.DATA_BREACH_REPORTED: lambda d, agent, reporter: f"Datalek gemeld bij de AP ({agent})" + _optional(d.get("note")),
    ev.MAJOR_DECLARED: lambda d, agent, reporter: f"Major incident verklaard door {agent}: {d.get('title') or '-'}",
    ev.TICKET_LINKED: lambda d, agent, reporter: f"Melding {d.get('ticket')} gekoppeld door {agent}",
    ev.RCA_SHARED: lambda d, agent, reporter: f"RCA gedeeld door {agent}: {d.get('summary') or '-'}" + _optional(d.get("link"), " · "),
    ev.CLOSED: lambda d, agent, reporter: "Gesloten",
    ev.PUBLIC_TITLE_SET: lambda d, agent, reporter: f"Publieke titel door {agent}: {d.get('title') or '-'}",
}


def event_line(event: Any, *, reporter: str) -> str:
    """One line of history, in Dutch; contains people's words, so always shown literally."""
    data = _event_data(event)
    line = _EVENT_LINES.get(event.kind)
    return line(data, data.get("agent_name") or "de servicedesk", reporter) if line else event.kind


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


def _choice_input(
    input_id: str, label: str, choices: Sequence[tuple[str, str]], *, value: str | None = None, required: bool = True
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "Input.ChoiceSet",
        "id": input_id,
        "label": label,
        "style": "compact",
        "choices": [{"title": title, "value": val} for val, title in choices],
    }
    if required:
        element["isRequired"] = True
        element["errorMessage"] = "Maak een keuze."
    if value is not None:
        element["value"] = value
    return element


def _date_input(input_id: str, label: str, *, today: date, required: bool = True) -> dict[str, Any]:
    """A date from today on (the server checks it again)."""
    element: dict[str, Any] = {"type": "Input.Date", "id": input_id, "label": label, "min": today.isoformat()}
    if required:
        element["isRequired"] = True
        element["errorMessage"] = "Kies een datum vanaf vandaag."
    return element


def _show(title: str, body: list[dict[str, Any]], action: dict[str, Any], *, secondary: bool = False) -> dict[str, Any]:
    """A button that opens a small form; ``secondary`` puts it in the card's overflow menu (…)."""
    shown: dict[str, Any] = {
        "type": "Action.ShowCard", "title": title, "card": {"type": "AdaptiveCard", "body": body, "actions": [action]}
    }
    if secondary:
        shown["mode"] = "secondary"
    return shown


def _more(actions: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """"Meer": the rarely used actions, one per row, so the card stays usable at phone width."""
    return {
        "type": "Action.ShowCard",
        "title": "Meer",
        "card": {"type": "AdaptiveCard", "body": [{"type": "ActionSet", "actions": [action]} for action in actions]},
    }


PRIMARY_ACTIONS = 2  # buttons in the card's row besides "Meer": three fit a phone's width uncut


def _reaction_inputs(ticket: Ticket, *, picking_up: bool) -> list[dict[str, Any]]:
    """The first substantive reaction (annex): priority provisionally set, the next step, a word."""
    intro = (
        "Vul ook de prioriteit en de volgende stap in: dan is dit meteen de eerste inhoudelijke reactie aan de melder."
        if picking_up else "De eerste inhoudelijke reactie aan de melder: de prioriteit voorlopig vastgesteld en de volgende stap."
    )
    return [
        {"type": "TextBlock", "text": intro, "wrap": True, "isSubtle": True},
        _choice_input(
            IN_REACTION_PRIORITY, "Prioriteit (voorlopig)",
            [(p, PRIORITY_LABELS.get(p, p)) for p in ("P1", "P2", "P3", "P4")], value=ticket.priority,
        ),
        _text_input(
            IN_REACTION_REASON, "Reden, als je de prioriteit wijzigt (de melder krijgt die te zien)", required=False,
            multiline=False,
        ),
        _text_input(
            IN_NEXT_STEP, "Volgende stap (de melder krijgt die te zien)", required=not picking_up,
            placeholder="Bijvoorbeeld: ik bel je binnen 10 minuten en kijk op afstand mee.",
        ),
        _text_input(IN_NOTE, "Bericht aan de melder (mag leeg)", required=False),
    ]


def _call_action(ticket: Ticket) -> dict[str, Any]:
    return _show(
        "Gebeld",
        [
            _choice_input(IN_CALL_REACHED, "Melder bereikt?", [("ja", "Ja, gesproken"), ("nee", "Nee, niet bereikt")]),
            _text_input(IN_CALL_NOTE, "Notitie (alleen voor de servicedesk)", required=False),
        ],
        _execute("Gesprek vastleggen", VERB_CALL, ticket),
    )


def _forms(ticket: Ticket, *, facts: Recorded, breach: bool, agents: Mapping[str, str], lines: Lines, today: date) -> dict[str, dict[str, Any]]:
    """Every form a servicedesk card can offer, by name; ``_actions`` picks the ones that fit."""
    priority_choices = [(p, PRIORITY_LABELS.get(p, p)) for p in ("P1", "P2", "P3", "P4") if p != ticket.priority]
    owner = (ticket.owner_id or "").lower()
    colleagues = sorted(
        ((agent_id, f"{name} ({line_name(lines.line_of(agent_id))})") for agent_id, name in agents.items() if agent_id != owner),
        key=lambda item: item[1],
    )
    queues = [
        (QUEUE_PREFIX + line, f"Wachtrij {line_name(line)}")
        for line in lines.queues if not (ticket.owner_id is None and ticket.treatment_line == line)
    ]
    kinds = [(kind, SECURITY_KIND_NAMES[kind]) for kind in SECURITY_KINDS]
    return {
        "take": _execute("Oppakken", VERB_ACKNOWLEDGE, ticket, style="positive"),
        "react": _show("Reageren", _reaction_inputs(ticket, picking_up=False), _execute("Reactie versturen", VERB_REACTION, ticket, style="positive")),
        "call": _call_action(ticket),
        "update": _show(
            "Update naar melder",
            [_text_input(IN_UPDATE, "Bericht aan de melder", placeholder="Wat is er gedaan, wat komt er nog?")],
            _execute("Versturen", VERB_UPDATE, ticket),
        ),
        "wait": _show(
            "Wacht op derde",
            [
                _text_input(IN_PARTY, "Op wie wachten we?", placeholder="Bijvoorbeeld: leverancier Ricoh", multiline=False, max_length=200),
                _text_input(IN_WAIT_REASON, "Waarom?", placeholder="Bijvoorbeeld: onderdeel besteld"),
                _date_input(IN_WAIT_EXPECTED, "Wanneer verwachten ze klaar te zijn? (mag leeg)", today=today, required=False),
            ],
            _execute("Wacht op derde", VERB_WAIT, ticket),
        ),
        "resume": _execute("Hervat", VERB_RESUME, ticket),
        "resolve": _show(
            "Opgelost",
            [_text_input(IN_SOLUTION, "Oplossing (de melder krijgt die te zien)")],
            _execute("Opgelost", VERB_RESOLVE, ticket, style="positive"),
        ),
        "workaround": _show(
            "Noodoplossing",
            [_text_input(IN_WORKAROUND, "Welke noodoplossing? (de melder krijgt die te zien)", placeholder="Bijvoorbeeld: leenlaptop uitgegeven")],
            _execute("Noodoplossing vastleggen", VERB_WORKAROUND, ticket),
        ),
        "agreed_date": _show(
            "Datum afspreken" if ticket.agreed_date is None else "Andere datum afspreken",
            [_date_input(IN_AGREED_DATE, "Wanneer hoort de melder van ons?", today=today)],
            _execute("Datum vastleggen", VERB_AGREED_DATE, ticket),
        ),
        "priority": _show(
            "Prioriteit wijzigen",
            [
                _choice_input(IN_PRIORITY, "Nieuwe prioriteit", priority_choices),
                _text_input(IN_PRIORITY_REASON, "Reden (de melder krijgt die te zien)", placeholder="Bijvoorbeeld: het hele team kan niet werken."),
            ],
            _execute("Prioriteit wijzigen", VERB_PRIORITY, ticket),
        ),
        "hand_over": _show(
            "Overdragen",
            [_choice_input(IN_HAND_OVER_TO, "Aan wie?", [*colleagues, *queues])],
            _execute("Overdragen", VERB_HAND_OVER, ticket),
        ),
        "device_needed": _show(
            "Leentoestel nodig",
            [_text_input(IN_DEVICE_NOTE, "Notitie (mag leeg)", required=False, placeholder="Bijvoorbeeld: laptop start niet, koerier naar Utrecht")],
            _execute("Leentoestel nodig", VERB_DEVICE_NEEDED, ticket),
        ),
        "device_done": _show(
            "Toestel geleverd",
            [
                _choice_input(IN_DEVICE_HOW, "Hoe heeft de melder weer een werkend toestel?", list(DEVICE_HOW_NAMES.items())),
                _text_input(IN_DEVICE_DONE_NOTE, "Notitie (mag leeg)", required=False),
            ],
            _execute("Toestel geleverd", VERB_DEVICE_DONE, ticket),
        ),
        "onsite_needed": _show(
            "Monteur op locatie nodig",
            [
                _text_input(IN_ONSITE_LOCATION, "Waar? (de melder krijgt dit te zien)", required=False, multiline=False, max_length=300),
                _text_input(IN_ONSITE_NOTE, "Notitie (mag leeg)", required=False),
            ],
            _execute("Monteur nodig", VERB_ONSITE_NEEDED, ticket),
        ),
        "onsite_done": _show(
            "Monteur is ter plaatse",
            [_text_input(IN_ONSITE_DONE_NOTE, "Notitie (mag leeg)", required=False)],
            _execute("Monteur is ter plaatse", VERB_ONSITE_DONE, ticket),
        ),
        "security": _show(
            "Beveiligingsincident" if facts.security_kind is None else "Beveiliging wijzigen",
            [
                _choice_input(IN_SECURITY_KIND, "Wat is er gebeurd?", kinds, value=facts.security_kind),
                _choice_input(IN_DATA_BREACH, "Is het een datalek?", [("ja", "Ja: de privacy-officer wordt meteen ingelicht"), ("nee", "Nee")],
                              value="ja" if breach else None),
            ],
            _execute("Vastleggen", VERB_SECURITY, ticket),
        ),
        "contained": _show(
            "Ingedamd",
            [_text_input(IN_CONTAINED_NOTE, "Hoe is het incident ingedamd?", placeholder="Bijvoorbeeld: account geblokkeerd, sessies beëindigd")],
            _execute("Ingedamd", VERB_CONTAINED, ticket),
        ),
        "breach_reported": _show(
            "Gemeld bij AP",
            [_text_input(IN_BREACH_NOTE, "Kenmerk of notitie (mag leeg)", required=False)],
            _execute("Gemeld bij AP", VERB_BREACH_REPORTED, ticket),
        ),
        "major": _show(
            "Major incident",
            [_text_input(IN_MAJOR_TITLE, "Titel", placeholder="Bijvoorbeeld: Storing Outlook", multiline=False, max_length=200)],
            _execute("Major incident verklaren", VERB_MAJOR, ticket),
        ),
        "link": _show(
            "Hoort bij major incident",
            [_text_input(IN_LINK_TO, "Nummer van het major incident", placeholder="Bijvoorbeeld: M-12", multiline=False, max_length=20)],
            _execute("Koppelen", VERB_LINK, ticket),
        ),
        "rca": _show(
            "RCA delen",
            [
                _text_input(IN_RCA_SUMMARY, "Oorzaak en leerpunten (regie krijgt dit te zien)"),
                _text_input(IN_RCA_LINK, "Link naar het rapport (mag leeg)", required=False, multiline=False, max_length=500),
            ],
            _execute("RCA delen", VERB_RCA, ticket),
        ),
        "reopen": _show(
            "Heropenen",
            [_text_input(IN_REOPEN_REASON, texts.REOPEN_REASON_INPUT, placeholder=texts.REOPEN_REASON_EXAMPLE)],
            _execute("Heropenen", VERB_REOPEN, ticket),
        ),
    }


def _actions(
    ticket: Ticket, *, facts: Recorded, breach: bool, call_required: bool, agents: Mapping[str, str], lines: Lines,
    today: date,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(body inputs, actions) for the ticket's status and facts: what the agent most likely does
    next in the row (at most ``PRIMARY_ACTIONS``), everything else that applies behind "Meer"."""
    forms = _forms(ticket, facts=facts, breach=breach, agents=agents, lines=lines, today=today)
    status = ticket.status
    p1, p4 = call_required, ticket.priority == "P4"
    owed = [name for name, state in (("device_done", facts.device_fallback), ("onsite_done", facts.onsite)) if state == NEEDED]
    security = [
        "security",
        *(["contained"] if facts.security_kind and not facts.contained else []),
        *(["breach_reported"] if breach and not facts.breach_reported else []),
    ]
    major = [] if facts.major_title else ["major", *(["link"] if ticket.linked_to_ticket_id is None else [])]

    def row(first: list[str], rest: list[str]) -> list[dict[str, Any]]:
        rest = [name for name in dict.fromkeys(rest) if name not in first]
        return [*(forms[name] for name in first), *([_more([forms[name] for name in rest])] if rest else [])]

    if status == TicketStatus.NEW:  # the reaction's inputs under the card: "Oppakken" gives both at once
        return _reaction_inputs(ticket, picking_up=True), row(["take", *(["call"] if p1 else [])], ["priority", *security, *major])
    if status in WORKING_STATUSES:
        waiting = status == TicketStatus.WAITING
        likely = [
            *(["take"] if ticket.owner_id is None else []),  # in a line's queue: whoever takes it
            "update" if facts.reacted else "react",
            *(["resume"] if waiting else []),
            *(["call"] if p1 and not facts.called else []),
            *(["agreed_date"] if p4 and ticket.agreed_date is None else []),
            *(["workaround"] if p1 else []),
            *owed,
            "resolve",
            *([] if waiting else ["wait"]),
        ]
        rest = [
            *likely[PRIMARY_ACTIONS:], "update", *(["call"] if p1 else []), *(["agreed_date"] if p4 else []), "workaround",
            "priority", "hand_over", *([] if facts.device_fallback == NEEDED else ["device_needed"]),
            *([] if facts.onsite == NEEDED else ["onsite_needed"]), *security, *major,
        ]
        return [], row(likely[:PRIMARY_ACTIONS], rest)
    # resolved or closed: reopen, the RCA of a major incident, and what is still owed
    first = [*(["rca"] if facts.major_title and not facts.rca_shared else []), *(["reopen"] if status == TicketStatus.RESOLVED else [])]
    return [], row(first, [*owed, *security[1:]])


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
    lines: Lines = Lines(),
    refresh_for: Sequence[str] | None = None,
    read_only: bool = False,
) -> dict[str, Any]:
    """The servicedesk's card for one ticket; its buttons carry the version they were drawn at.

    An open P1 or P2 card asks Teams to draw it again whenever someone looks at it (Universal
    Actions ``refresh``; ``refresh_for``: the Teams user ids that get it automatically in a
    channel of more than 60 people), so its countdowns are live. ``read_only``: the view for
    someone who is not an agent, without buttons or inputs (the server refuses their clicks anyway).

    ``events`` (the ticket's event log, oldest first) gives every clock (``sla.fold``), the facts
    recorded on the card, what the first response still needs, the latest events and the reason
    for a priority change; ``agents`` (object id -> name) and ``lines`` offer the
    hand-over choices.
    """
    tz = policy.tz
    label = ticket_label(ticket.id)
    clocks = fold(policy, events, now=now)
    facts, breach = clocks.recorded, clocks.data_breach
    call_required = clocks.policy.terms(clocks.priority).call_required
    status = STATUS_LABELS.get(ticket.status, ticket.status)
    # What matters first, readable at phone width: number, priority, status, the next deadline,
    # what it is about, whom to call; everything else behind "Details".
    body: list[dict[str, Any]] = [heading(f"Melding {label} · {priority_text(ticket)}")]
    reopened = _reopened_by_reporter(events)
    if reopened is not None:
        body.append(_alert(REOPENED_BY_REPORTER_LABEL, REOPENED_BY_REPORTER.format(name=ticket.reporter_name), *(
            (STILL_FAILING_LABEL, _event_data(added).get("text")) for added in events[reopened:] if added.kind == ev.INFO_ADDED
        )))
    body.append(labelled("Status", status))
    nearest = _nearest(clocks, now=now)
    if nearest is not None:
        body.append(nearest)
    body.append(literal(_cut(ticket.description, SUMMARY_CHARS)))
    body.append(labelled("Melder", ticket.reporter_name + (f", bel {ticket.phone}" if ticket.phone else "")))
    body.extend(_history(events[-1:], ticket=ticket, tz=tz))  # what happened last; the ones before under Details
    if ticket.update_overdue and ticket.status in OPEN_STATUSES:
        body.append(labelled("Let op", "de melder kreeg een update zonder nieuws: stuur een update", attention=True))
    missing = _first_reaction_missing(ticket, facts, call_required=call_required)
    if missing:
        body.append(labelled(FIRST_REACTION_MISSING, missing, attention=True))
    csat = clocks.csat
    if csat is not None:
        remark = f": {csat[2]}" if csat[2] else ""
        body.append(labelled(texts.CSAT_ON_CARD, f"{csat[1]}{remark}", attention=csat[1] < LOW_SCORE))
    if may_be_known_outage(ticket):
        title = _public_title(ticket)
        body.extend(title[:1] if read_only else title)  # the line, and for agents its form

    details: list[dict[str, Any]] = [labelled("Prioriteit", priority_text(ticket))]
    if ticket.uplift and ticket.uplift_motivation:
        details.append(labelled("Motivatie P1-uplift", ticket.uplift_motivation))
    else:
        reason = _priority_reason(ticket, events)
        if reason:
            details.append(labelled("Reden prioriteit", reason))
    details.append(labelled("Categorie", CATEGORY_NAMES.get(ticket.category, ticket.category)))
    if ticket.phone:
        details.append(labelled("Bel terug", ticket.phone))
    details.append(labelled("Gemeld", _at(ticket.opened_at, now=now, tz=tz)))
    details.extend(supplier_facts(ticket))
    if ticket.owner_id is None and ticket.treatment_line is not None:
        details.append(labelled("Eigenaar", f"nog niemand: in de wachtrij van de {line_name(ticket.treatment_line)}", attention=True))
    else:
        details.append(labelled("Eigenaar", ticket.owner_name or "nog niemand"))
        if ticket.treatment_line not in (None, FIRST_LINE):
            details.append(labelled("Behandellijn", line_name(ticket.treatment_line)))
    details.extend(_fact_lines(ticket, facts, breach=breach))
    details.append(subheading("Termijnen"))
    if ticket.first_response_at is not None:
        details.append(labelled("Opgepakt", f"door {_first_owner(events, ticket)} {say_when(ticket.first_response_at, now=now, tz=tz)}"))
    details.extend(clock_lines(clocks, now=now))
    details.append(subheading("Omschrijving"))
    details.append(literal(ticket.description))
    if ticket.uplift_motivation and not ticket.uplift:
        details.append(labelled("Motivatie bij melding", ticket.uplift_motivation))
    if len(events) > 1:
        details.append(subheading(texts.EARLIER_EVENTS))
        details.extend(_history(events[:-1], ticket=ticket, tz=tz))
    body.extend(_toggled(f"details-{ticket.id}", details))
    if read_only:
        card = _card(body)
    else:
        inputs, actions = _actions(
            ticket, facts=facts, breach=breach, call_required=call_required,
            agents={k.lower(): v for k, v in (agents or {}).items()}, lines=lines,
            today=now.astimezone(tz).date(),
        )
        body.extend(inputs)
        card = _card(body, actions)
    if refresh_for is not None and ticket.priority in LIVE_PRIORITIES and ticket.status in OPEN_STATUSES:
        card["refresh"] = {
            "action": {"type": "Action.Execute", "title": texts.REFRESH, "verb": VERB_REFRESH, "data": {"ticket": ticket.id}},
            "userIds": list(refresh_for)[:REFRESH_USERS],
        }
    return card


LIVE_PRIORITIES = ("P1", "P2")  # their deadlines are minutes and hours: the card refreshes when seen
REFRESH_USERS = 60  # Teams refreshes automatically for at most 60 listed users in a large channel


SUMMARY_CHARS = 140  # the description's first words on the card's face; all of it under "Details"


def _toggled(container_id: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A "Details" button and the part it shows or hides (hidden at first): the card stays short."""
    return [
        {"type": "ActionSet", "actions": [
            {"type": "Action.ToggleVisibility", "title": texts.DETAILS, "targetElements": [container_id]},
        ]},
        {"type": "Container", "id": container_id, "isVisible": False, "items": items},
    ]


def _alert(label: str, text: str, *more: tuple[str, Any]) -> dict[str, Any]:
    """What the agent must see first, in words and in a coloured frame (never colour alone);
    ``more``: further (label, a person's words) lines in the same frame."""
    return {
        "type": "Container", "style": "attention",
        "items": [
            {"type": "RichTextBlock", "inlines": [
                {"type": "TextRun", "text": f"{line_label}: ", "weight": "Bolder"}, plain.run(_cut(str(line_text or "-"), 500)),
            ]}
            for line_label, line_text in ((label, text), *more)
        ],
    }


def _nearest(clocks: TicketClocks, *, now: datetime) -> dict[str, Any] | None:
    """The running clock that falls due first, with its countdown (or how late it is)."""
    running = [(name, clock) for name, clock in clocks.clocks.items() if clock.stop_us is None and clock.due_us is not None]
    if not running or clocks.resolved_us is not None:
        return None
    name, clock = min(running, key=lambda item: item[1].due_us)
    text, late = _deadline(clock.due, now=now, tz=clocks.tz)
    return labelled(CARD_CLOCK_LABELS[name], text, attention=late)


def _reopened_by_reporter(events: Sequence[Any]) -> int | None:
    """Where in ``events`` the reporter said "nog niet" after the latest resolution (the agent must
    see it first, with what they added since); None when the latest resolution stands."""
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.kind in (ev.RESOLVED, ev.REOPENED):
            return index if event.kind == ev.REOPENED and _event_data(event).get("by") == ev.BY_REPORTER else None
    return None


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
        elif clocks.resolved_us is not None:  # solved without it: no countdown for what is over
            late = clock.due_us < clocks.resolved_us
            text = texts.NOT_BEFORE_SOLUTION.format(when=say_when(clock.due, now=now, tz=tz))
            lines.append(labelled(label, text + (texts.NOT_BEFORE_SOLUTION_LATE if late else ""), attention=late))
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


FIRST_REACTION_MISSING = "Nog nodig voor de eerste reactie"


def _first_reaction_missing(ticket: Ticket, facts: Recorded, *, call_required: bool) -> str | None:
    """What the servicedesk still owes for the first response to count, in words; None when
    nothing (annex "eerste inhoudelijke reactie"; PvE P1 "telefonisch contact verplicht")."""
    if ticket.status not in OPEN_STATUSES:
        return None
    needed = [] if facts.reacted else ["de prioriteit voorlopig vaststellen en de volgende stap aan de melder laten weten (Reageren)"]
    if call_required and not facts.called:
        needed.append("de melder bellen (Gebeld)")
    return " en ".join(needed) or None


def _fact_lines(ticket: Ticket, facts: Recorded, *, breach: bool) -> list[dict[str, Any]]:
    """The facts recorded on the card that no clock shows, one line each (a loaner, an engineer,
    the AP and the RCA are clocks: "Termijnen" shows them, due or done)."""
    rows: list[dict[str, Any]] = []
    if facts.major_title:
        rows.append(labelled("Major incident", facts.major_title, attention=True))
    if ticket.linked_to_ticket_id is not None:
        rows.append(labelled("Hoort bij major incident", ticket_label(ticket.linked_to_ticket_id)))
    if facts.security_kind is not None:
        state = [SECURITY_KIND_NAMES.get(facts.security_kind, facts.security_kind)]
        if breach and facts.security_kind != "datalek":
            state.append("datalek")
        state.append("ingedamd" if facts.contained else "nog niet ingedamd")
        rows.append(labelled("Beveiligingsincident", ", ".join(state), attention=not facts.contained))
    if ticket.agreed_date is not None:
        rows.append(labelled("Update afgesproken op", humanize_day(ticket.agreed_date)))
    elif ticket.priority == "P4" and ticket.status in WORKING_STATUSES:
        rows.append(labelled("Update afgesproken op", "nog niet: spreek een datum af met de melder", attention=True))
    return rows


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
        title = f"Prioriteit verhoogd naar {priority_text(ticket) if ticket.priority == 'P1' else 'P1'}: {label} (was {changed_from})"
    else:
        title = f"Nieuwe {priority_text(ticket) if ticket.priority == 'P1' else PRIORITY_LABELS['P1']}: {label}"
    callback, callback_late = _deadline(ticket.first_response_due, now=now, tz=tz)
    if ticket.first_response_at is not None:
        callback, callback_late = f"gedaan: opgepakt {say_when(ticket.first_response_at, now=now, tz=tz)}", False
    resolution, resolution_late = _deadline(ticket.resolution_due, now=now, tz=tz)
    if ticket.resolved_at is not None:
        resolution, resolution_late = texts.DONE_SOLVED.format(when=say_when(ticket.resolved_at, now=now, tz=tz)), False
    body: list[dict[str, Any]] = [
        heading(title),
        *_current(ticket, priority="P1", now=now, tz=tz),
        labelled("Melder", ticket.reporter_name),
        labelled("Gemeld", f"{ticket.opened_at.astimezone(tz):%d-%m-%Y %H:%M}"),
    ]
    if ticket.resolved_at is None:
        body.append(labelled("Terugbellen", callback, attention=callback_late))
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


def _current(ticket: Ticket, *, priority: str, now: datetime, tz: ZoneInfo) -> list[dict[str, Any]]:
    """A notice's first line: the ticket as it is now, when that is not what the notice was
    about (solved, or another priority): in words, so it does not rest on colour."""
    if ticket.status not in OPEN_STATUSES:
        when = say_when(ticket.resolved_at, now=now, tz=tz) if ticket.resolved_at else ""
        return [labelled(texts.NOW_LABEL, texts.NOW_SOLVED.format(when=when).replace(" :", ":"))]
    if ticket.priority != priority:
        return [labelled(texts.NOW_LABEL, texts.NOW_OTHER_PRIORITY.format(priority=priority_text(ticket)), attention=True)]
    return [labelled("Status", STATUS_LABELS.get(ticket.status, ticket.status))]


def regie_notice_card(
    ticket: Ticket,
    *,
    now: datetime,
    tz: ZoneInfo,
    kind: str,
    clock: str,
    priority: str,
    due: datetime,
) -> dict[str, Any]:
    """A pre-breach warning, or a long wait on a third party. (A breach is an escalation, with a
    card of its own: ``bot.escalation_cards``.)"""
    label = ticket_label(ticket.id)
    what = CLOCK_LABELS.get(clock, clock)
    late = kind != NoticeKind.WARNING.value or due <= now
    if kind == NoticeKind.WARNING.value:
        title = (texts.LATE_TITLE if due <= now else texts.WARNING_TITLE).format(label=label, what=what)
        when = f"uiterlijk {say_when(due, now=now, tz=tz)} ({time_left(due, now=now)})"
    elif kind == NoticeKind.WAIT_TOO_LONG.value:
        title = f"Wacht te lang op een derde: {label}"
        when = f"langer dan toegestaan sinds {say_when(due, now=now, tz=tz)}"
    else:  # a breach queued before breaches became escalations (an upgrade with messages pending)
        title = f"Overschreden: {label}, {what}"
        when = f"was uiterlijk {say_when(due, now=now, tz=tz)}"
    current = _current(ticket, priority=priority, now=now, tz=tz)
    if ticket.status not in OPEN_STATUSES or ticket.priority != priority:
        when, late = texts.WAS_DUE.format(when=say_when(due, now=now, tz=tz)), False  # no countdown for what is over
    body: list[dict[str, Any]] = [
        heading(title),
        *current,
        labelled("Prioriteit", PRIORITY_LABELS.get(priority, priority) if not ticket.uplift else UPLIFT_LABEL),
        labelled("Termijn", when, attention=late),
        labelled("Eigenaar", ticket.owner_name or "nog niemand"),
        labelled("Melder", ticket.reporter_name),
        *supplier_facts(ticket),
    ]
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


def data_breach_card(
    ticket: Ticket, *, now: datetime, tz: ZoneInfo, kind: str | None, due: datetime | None
) -> dict[str, Any]:
    """A data breach, at once, to regie and the privacy officer(s): they decide on the report to
    the Autoriteit Persoonsgegevens (AVG art. 33: within 72 hours of discovery; ``due``, the
    fold's data-breach clock)."""
    label = ticket_label(ticket.id)
    when = f"uiterlijk {say_when(due, now=now, tz=tz)} (72 uur na ontdekking)" if due else "binnen 72 uur na ontdekking"
    body: list[dict[str, Any]] = [
        heading(f"Datalek: {label}"),
        labelled("Wat er gebeurde", SECURITY_KIND_NAMES.get(kind or "datalek", kind)),
        labelled("Prioriteit", priority_text(ticket)),
        labelled("Melder", ticket.reporter_name),
        labelled("Gemeld", f"{ticket.opened_at.astimezone(tz):%d-%m-%Y %H:%M}"),
        labelled("Eigenaar", ticket.owner_name or "nog niemand"),
        labelled("Melden bij de AP", f"{when}, als het lek een risico is voor de betrokkenen", attention=True),
        {"type": "TextBlock", "wrap": True, "isSubtle": True,
         "text": "Is het gemeld? De servicedesk of regie zet \"Gemeld bij AP\" op de kaart van de melding."},
        subheading("Omschrijving"),
        literal(ticket.description),
    ]
    return _card(body)


def regie_major_card(
    ticket: Ticket, *, now: datetime, tz: ZoneInfo, title: str | None, by: str | None,
    summary: str | None = None, link: str | None = None,
) -> dict[str, Any]:
    """A major incident declared by the servicedesk (annex: versnelde regie en communicatie), and
    later its root-cause analysis (``summary``: "RCA gedeeld", due ≤ 10 working days after closure)."""
    label = ticket_label(ticket.id)
    body: list[dict[str, Any]] = [
        heading(f"RCA major incident {label}" if summary else f"Major incident: {label}"),
        labelled("Titel", title),
        labelled("Prioriteit", priority_text(ticket)),
        labelled("Status", STATUS_LABELS.get(ticket.status, ticket.status)),
        labelled("Gemeld", f"{ticket.opened_at.astimezone(tz):%d-%m-%Y %H:%M}"),
        labelled("RCA gedeeld door" if summary else "Verklaard door", by or "de servicedesk"),
    ]
    if summary:
        body.append(subheading("Oorzaak en leerpunten"))
        body.append(literal(summary))
        if link:
            body.append(labelled("Rapport", link))
    else:
        body.append(labelled("Eigenaar", ticket.owner_name or "nog niemand"))
    return _card(body)


# --- messages to the reporter, caused by a servicedesk action --------------------------------
# Chat text: markdown only in the bot's own words. The agent's words are quoted after a colon,
# through ``plain.markdown``, so Teams shows them as the agent typed them.

def _said(p: Mapping[str, Any], key: str, default: str = "-") -> str:
    """What a person typed (an agent's reason, next step, message, name; a place), or ``default``:
    the one place their words enter a chat message to someone else, shown as typed (no markdown,
    links or mentions: ``dialogs.plain``)."""
    value = p.get(key)
    return plain.markdown(value) if value else default


def _when_resolved(ticket: Ticket, *, now: datetime, tz: ZoneInfo) -> list[str]:
    """The reporter's deadlines after a priority change (recomputed from the report time)."""
    lines = []
    if ticket.first_response_at is None and ticket.first_response_due is not None:
        call = " en belt je op" if ticket.priority == "P1" else ""
        lines.append(f"De servicedesk reageert uiterlijk {say_when(ticket.first_response_due, now=now, tz=tz)}{call}.")
    if ticket.resolution_due is not None:
        lines.append(texts.RESOLVE_BY.format(when=say_when(ticket.resolution_due, now=now, tz=tz)))
    return lines


def _priority_name(priority: Any) -> str:
    return PRIORITY_LABELS.get(str(priority), str(priority))


def _priority_changed(ticket: Ticket, p: Mapping[str, Any], label: str, now: datetime, tz: ZoneInfo) -> str:
    lines = [
        f"De prioriteit van je melding {label} is veranderd van {_priority_name(p.get('from'))} naar {_priority_name(p.get('to'))}.",
        f"Reden: {_said(p, 'reason')}",
    ]
    return "\n\n".join(lines + _when_resolved(ticket, now=now, tz=tz) + _rhythm(ticket, p.get("to")))


def _rhythm(ticket: Ticket, priority: Any) -> list[str]:
    """After a new priority: how often the reporter hears from us now."""
    sentence = CADENCE_SENTENCES.get(str(priority))
    return [sentence] if sentence and ticket.status in OPEN_STATUSES else []


def _resumed(ticket: Ticket, p: Mapping[str, Any], label: str, now: datetime, tz: ZoneInfo) -> str:
    """"Hervat": the wait is over; the deadline as it is now (a wait may have moved it)."""
    lines = [texts.RESUMED.format(label=label)]
    if ticket.resolution_due is not None:
        lines.append(texts.RESOLVE_BY.format(when=say_when(ticket.resolution_due, now=now, tz=tz)))
    return "\n\n".join(lines)


def _reaction(ticket: Ticket, p: Mapping[str, Any], label: str, now: datetime, tz: ZoneInfo) -> str:
    agent = _said(p, "agent_name", "De servicedesk")
    lines = [f"{agent} heeft je melding {label} bekeken."]
    now_priority = UPLIFT_LABEL if ticket.uplift and p.get("priority") == "P1" else _priority_name(p.get("priority"))
    if p.get("from"):
        lines.append(f"De prioriteit is nu {now_priority}; eerst was dat {_priority_name(p.get('from'))}. Reden: {_said(p, 'reason')}")
        lines.extend(_when_resolved(ticket, now=now, tz=tz))
        lines.extend(_rhythm(ticket, p.get("priority")))
    else:
        lines.append(f"De prioriteit is voorlopig {now_priority}.")
    lines.append(f"Volgende stap: {_said(p, 'next_step')}")
    if p.get("text"):
        lines.append(f"Bericht van {agent}: {_said(p, 'text')}")
    return "\n\n".join(lines)




def _waiting(ticket: Ticket, p: Mapping[str, Any], label: str, now: datetime, tz: ZoneInfo) -> str:
    text = f"Voor je melding {label} wachten we op {_said(p, 'party', 'een andere partij')}: {_said(p, 'reason')}"
    if p.get("expected"):
        text += f"\n\nZij verwachten klaar te zijn op {_day(p['expected'])}."
    return text + "\n\nJe blijft wel op de hoogte van hoe het ervoor staat."


def _agreed_date(ticket: Ticket, p: Mapping[str, Any], label: str, now: datetime, tz: ZoneInfo) -> str:
    when = f"uiterlijk {say_when(ticket.next_update_due, now=now, tz=tz)}" if ticket.next_update_due else f"op {_day(p.get('date'))}"
    return f"Afgesproken: je hoort {when} van ons over je melding {label}."


def _handed_to_line(ticket: Ticket, p: Mapping[str, Any], label: str, now: datetime, tz: ZoneInfo) -> str:
    if p.get("line") == FIRST_LINE:
        return f"Je melding {label} ligt weer bij de servicedesk. Een collega pakt hem op."
    return f"Je melding {label} is doorgezet naar de {line_name(p.get('line'))}. Daar pakt een specialist hem op."


DEVICE_HOW_FOR_REPORTER = {"swap": "je apparaat is omgeruild", "loaner": "een leentoestel", "virtual": "een virtuele werkplek"}


def _by(p: Mapping[str, Any], now: datetime, tz: ZoneInfo) -> str:
    """" uiterlijk dinsdag 5 mei om 17:00": the due moment the fact's clock gave, if any."""
    return f" uiterlijk {say_when(datetime.fromisoformat(p['due']), now=now, tz=tz)}" if p.get("due") else ""


def _device_needed(ticket: Ticket, p: Mapping[str, Any], label: str, now: datetime, tz: ZoneInfo) -> str:
    return (
        f"Voor je melding {label} krijg je{_by(p, now, tz)} een vervangend apparaat, zodat je weer kunt werken. "
        "We laten je weten hoe je het krijgt."
    )


def _device_done(ticket: Ticket, p: Mapping[str, Any], label: str, now: datetime, tz: ZoneInfo) -> str:
    how = DEVICE_HOW_FOR_REPORTER.get(p.get("how"), "een werkend apparaat")
    return f"Je kunt weer werken: {how} (melding {label}). Werkt het niet goed? Laat het ons weten."


def _onsite_needed(ticket: Ticket, p: Mapping[str, Any], label: str, now: datetime, tz: ZoneInfo) -> str:
    where = f" ({_said(p, 'location')})" if p.get("location") else ""
    return f"Voor je melding {label} komt er{_by(p, now, tz)} een monteur bij je langs{where}."


def _linked_to_major(ticket: Ticket, p: Mapping[str, Any], label: str, now: datetime, tz: ZoneInfo) -> str:
    major = f"**{p.get('major')}**"
    return (
        f"Je melding {label} hoort bij een grotere storing: {major}. We werken aan één oplossing.\n\n"
        f"Je krijgt vanaf nu de updates van {major}. Typ **status {p.get('major')}** voor de stand."
    )


# What the reporter reads after a servicedesk action, per message kind: (ticket, payload, label,
# now, tz) -> text. Plain chat text (markdown only in the bot's own words); the agent's words are
# quoted after a colon, as the agent typed them.
REPORTER_TEXTS: dict[Kind, Callable[[Ticket, Mapping[str, Any], str, datetime, ZoneInfo], str]] = {
    Kind.PRIORITY_CHANGED: _priority_changed,
    Kind.REACTION: _reaction,
    Kind.CALL_MISSED: lambda t, p, label, now, tz: (
        f"{_said(p, 'agent_name', 'De servicedesk')} belde je over je melding {label}, maar kreeg je niet te pakken. "
        "Houd je telefoon bij de hand: we bellen je opnieuw."
    ),
    Kind.WAITING: _waiting,
    Kind.RESUMED: _resumed,
    Kind.AGENT_UPDATE: lambda t, p, label, now, tz: (
        f"Bericht van {_said(p, 'agent_name', 'de servicedesk')} over je melding {label}:\n\n{_said(p, 'text', '')}"
    ),
    Kind.WORKAROUND: lambda t, p, label, now, tz: (
        f"Er is een noodoplossing voor je melding {label}: {_said(p, 'note')}\n\n"
        "Dit is tijdelijk; we werken verder aan een echte oplossing."
    ),
    Kind.RESOLVED: lambda t, p, label, now, tz: (
        f"Je melding {label} is opgelost: {_said(p, 'solution')}\n\n"
        "Werkt het toch nog niet? Laat het ons weten, dan kijken we opnieuw."
    ),
    Kind.REOPENED: lambda t, p, label, now, tz: texts.REOPENED_FOR_REPORTER.format(label=label, reason=_said(p, "reason")),
    Kind.HANDED_OVER: lambda t, p, label, now, tz: (
        f"Je melding {label} is overgedragen aan {_said(p, 'to_name', 'een collega')} van de servicedesk."
    ),
    Kind.HANDED_TO_LINE: _handed_to_line,
    Kind.AGREED_DATE: _agreed_date,
    Kind.DEVICE_FALLBACK_NEEDED: _device_needed,
    Kind.DEVICE_FALLBACK_DONE: _device_done,
    Kind.ONSITE_NEEDED: _onsite_needed,
    Kind.LINKED_TO_MAJOR: _linked_to_major,
}
REPORTER_TEXT_KINDS = frozenset(REPORTER_TEXTS)


def reporter_text(ticket: Ticket, payload: Mapping[str, Any], *, now: datetime, tz: ZoneInfo) -> str:
    text = REPORTER_TEXTS.get(payload.get("kind"))
    label = f"**{ticket_label(ticket.id)}**"
    return text(ticket, payload, label, now, tz) if text else f"Er is iets veranderd aan je melding {label}."
