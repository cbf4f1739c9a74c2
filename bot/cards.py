"""Adaptive Cards (1.5) for the servicedesk, regie and overleg channels.

Text that people typed (descriptions, notes, motivations, names) goes into ``RichTextBlock``s as
``dialogs.plain.run`` elements, which Teams shows literally: an employee's description cannot add
links, mentions, markup or a card's date functions to a card an agent will click on. A person's
words in a chat message go through ``dialogs.plain.markdown``.

Every word a person reads here comes from ``dialogs.texts`` (its section "the servicedesk's ticket
card and regie's notices"); this module decides which of them a card shows, and when.
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
from sla.policy import Policy
from sla.priority import SECURITY_KINDS
from sla.status import OPEN_STATUSES, WORKING_STATUSES, TicketStatus
from dialogs import plain, texts
from dialogs.texts import (
    CADENCE_SENTENCES, CARD_BUTTONS, CARD_CHANGE_BUTTONS, CARD_CLOCK_LABELS, CARD_SEND_BUTTONS, CATEGORY_NAMES, CHANNEL_NAMES,
    DEVICE_HOW_NAMES, LINE_NAMES, PRIORITY_LABELS, REGIE_CLOCK_NAMES, REOPENED_BY_REPORTER, REOPENED_BY_REPORTER_LABEL,
    SECURITY_KIND_NAMES, SERVICEDESK, STATUS_LABELS, STILL_FAILING_LABEL, UPLIFT_LABEL,
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
LATEST_EVENTS = 5

# The names in dialogs.texts cover every code they name: a new code needs its words there.
assert set(SECURITY_KIND_NAMES) == set(SECURITY_KINDS) and set(DEVICE_HOW_NAMES) == set(DEVICE_HOW) == set(texts.DEVICE_HOW_FOR_REPORTER)
assert set(CARD_CLOCK_LABELS) == {FIRST_RESPONSE, RESOLUTION, DEFINITIVE_RESOLUTION, CONTAINMENT, ONSITE, DEVICE_FALLBACK, DATA_BREACH, RCA}
assert set(REGIE_CLOCK_NAMES) == {*CARD_CLOCK_LABELS, UPDATE, WAIT}
CLOCK_LABELS = REGIE_CLOCK_NAMES  # bot.escalation_cards imports it from here


def line_name(line: str | None) -> str:
    line = line or FIRST_LINE
    return LINE_NAMES.get(line) or texts.other_line(line=line)


def _day(value: Any) -> str:
    """A stored ISO date as people say it ("dinsdag 5 mei")."""
    try:
        return texts.day_name(value if isinstance(value, date) else date.fromisoformat(str(value)))
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
    return texts.countdown(minutes=int(abs(seconds) // 60), late=seconds < 0)


def _deadline(due: datetime | None, *, now: datetime, tz: ZoneInfo) -> tuple[str, bool]:
    if due is None:
        return "-", False
    return texts.deadline(when=say_when(due, now=now, tz=tz), left=time_left(due, now=now)), due <= now


def _at(instant: datetime, *, now: datetime, tz: ZoneInfo) -> str:
    return say_when(instant, now=now, tz=tz)


def _event_data(event: Any) -> dict[str, Any]:
    return dict(getattr(event, "data", None) or {})


def _hand_over_line(d: Mapping[str, Any], agent: str) -> str:
    changed = d.get("from_line") != d.get("to_line")
    return texts.history_handed_over(
        agent=agent, to_name=d.get("to_name"), to_line=line_name(d.get("to_line")),
        from_line=line_name(d.get("from_line")) if changed else None,
    )


def _security_line(d: Mapping[str, Any], agent: str) -> str:
    kind = SECURITY_KIND_NAMES.get(d.get("kind"), d.get("kind") or "-")
    return texts.history_security(agent=agent, kind=kind, data_breach=bool(d.get("data_breach")) and d.get("kind") != "datalek")


# One line of history per event kind: (data, agent name, reporter name) -> text (dialogs.texts).
_EVENT_LINES: dict[str, Callable[[Mapping[str, Any], str, str], str]] = {
    ev.REPORTED: lambda d, agent, reporter: texts.history_reported(reporter=reporter),
    ev.ACKNOWLEDGED: lambda d, agent, reporter: texts.history_acknowledged(agent=agent, note=d.get("note")),
    ev.REACTION: lambda d, agent, reporter: texts.history_reaction(
        agent=agent, priority=d.get("priority"), next_step=d.get("next_step"), message=d.get("text"),
    ),
    ev.CALL_REGISTERED: lambda d, agent, reporter: texts.history_call(agent=agent, reached=bool(d.get("reached")), note=d.get("note")),
    ev.PRIORITY_CHANGED: lambda d, agent, reporter: texts.history_priority_changed(
        agent=agent, was=d.get("from"), now=d.get("to"), reason=d.get("reason"),
    ),
    ev.PAUSED: lambda d, agent, reporter: texts.history_waiting(
        agent=agent, party=d.get("party"), reason=d.get("reason"), expected=_day(d["expected"]) if d.get("expected") else None,
    ),
    ev.RESUMED: lambda d, agent, reporter: texts.history_resumed(agent=agent),
    ev.AGENT_UPDATE: lambda d, agent, reporter: texts.history_update(agent=agent, text=d.get("text")),
    ev.HOLDING_SENT: lambda d, agent, reporter: texts.HISTORY_HOLDING,
    ev.STATUS_UPDATE_SENT: lambda d, agent, reporter: texts.history_status_update(holding=bool(d.get("holding"))),
    ev.WORKAROUND: lambda d, agent, reporter: texts.history_workaround(agent=agent, note=d.get("note")),
    # RESOLVED's legacy "first_time_fix" is not shown: first-time-fix follows from the hand-overs.
    ev.RESOLVED: lambda d, agent, reporter: texts.history_resolved(agent=agent, solution=d.get("solution")),
    ev.REOPENED: lambda d, agent, reporter: texts.history_reopened(agent=agent, reason=d.get("reason")),
    ev.HANDED_OVER: lambda d, agent, reporter: _hand_over_line(d, agent),
    ev.PRODUCTIVE_AGAIN: lambda d, agent, reporter: texts.HISTORY_PRODUCTIVE_AGAIN,
    ev.CSAT: lambda d, agent, reporter: texts.history_csat(score=d.get("score")),
    ev.INFO_ADDED: lambda d, agent, reporter: texts.history_info_added(text=d.get("text")),
    ev.AGREED_DATE_SET: lambda d, agent, reporter: texts.history_agreed_date(agent=agent, day=_day(d.get("date"))),
    ev.DEVICE_FALLBACK_NEEDED: lambda d, agent, reporter: texts.history_device_needed(agent=agent, note=d.get("note")),
    ev.DEVICE_FALLBACK_DONE: lambda d, agent, reporter: texts.history_device_done(
        agent=agent, how=DEVICE_HOW_NAMES.get(d.get("how"), d.get("how") or "-"), note=d.get("note"),
    ),
    ev.ONSITE_NEEDED: lambda d, agent, reporter: texts.history_onsite_needed(agent=agent, location=d.get("location"), note=d.get("note")),
    ev.ONSITE_DONE: lambda d, agent, reporter: texts.history_onsite_done(agent=agent, note=d.get("note")),
    ev.SECURITY_FLAGGED: lambda d, agent, reporter: _security_line(d, agent),
    ev.CONTAINED: lambda d, agent, reporter: texts.history_contained(agent=agent, note=d.get("note")),
    ev.DATA_BREACH_REPORTED: lambda d, agent, reporter: texts.history_breach_reported(agent=agent, note=d.get("note")),
    ev.MAJOR_DECLARED: lambda d, agent, reporter: texts.history_major(agent=agent, title=d.get("title")),
    ev.TICKET_LINKED: lambda d, agent, reporter: texts.history_linked(agent=agent, ticket=d.get("ticket")),
    ev.RCA_SHARED: lambda d, agent, reporter: texts.history_rca(agent=agent, summary=d.get("summary"), link=d.get("link")),
    ev.CLOSED: lambda d, agent, reporter: texts.HISTORY_CLOSED,
    ev.PUBLIC_TITLE_SET: lambda d, agent, reporter: texts.history_public_title(agent=agent, title=d.get("title")),
}


def event_line(event: Any, *, reporter: str) -> str:
    """One line of history, in Dutch; contains people's words, so always shown literally."""
    data = _event_data(event)
    line = _EVENT_LINES.get(event.kind)
    return line(data, data.get("agent_name") or SERVICEDESK, reporter) if line else event.kind


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
        return texts.priority_changed_reason(was=data.get("from"), now=data.get("to"), reason=data.get("reason"))
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
        element["errorMessage"] = texts.INPUT_REQUIRED
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
        element["errorMessage"] = texts.CHOICE_REQUIRED
    if value is not None:
        element["value"] = value
    return element


def _date_input(input_id: str, label: str, *, today: date, required: bool = True) -> dict[str, Any]:
    """A date from today on (the server checks it again)."""
    element: dict[str, Any] = {"type": "Input.Date", "id": input_id, "label": label, "min": today.isoformat()}
    if required:
        element["isRequired"] = True
        element["errorMessage"] = texts.DATE_REQUIRED
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
        "title": texts.CARD_MORE,
        "card": {"type": "AdaptiveCard", "body": [{"type": "ActionSet", "actions": [action]} for action in actions]},
    }


PRIMARY_ACTIONS = 2  # buttons in the card's row besides "Meer": three fit a phone's width uncut


def _reaction_inputs(ticket: Ticket, *, picking_up: bool) -> list[dict[str, Any]]:
    """The first substantive reaction (annex): priority provisionally set, the next step, a word."""
    return [
        {"type": "TextBlock", "text": texts.REACTION_WITH_PICK_UP if picking_up else texts.REACTION_INTRO, "wrap": True, "isSubtle": True},
        _choice_input(
            IN_REACTION_PRIORITY, texts.REACTION_PRIORITY,
            [(p, PRIORITY_LABELS.get(p, p)) for p in ("P1", "P2", "P3", "P4")], value=ticket.priority,
        ),
        _text_input(IN_REACTION_REASON, texts.REACTION_REASON, required=False, multiline=False),
        _text_input(IN_NEXT_STEP, texts.NEXT_STEP, required=not picking_up, placeholder=texts.NEXT_STEP_EXAMPLE),
        _text_input(IN_NOTE, texts.MESSAGE_TO_REPORTER_OPTIONAL, required=False),
    ]


def _form(
    name: str, body: list[dict[str, Any]], verb: str, ticket: Ticket, *, changing: bool = False, style: str | None = None,
) -> dict[str, Any]:
    """A button that opens the form ``name`` and the button under it that sends it (their titles:
    ``dialogs.texts.CARD_BUTTONS``); ``changing``: what the form records is there already."""
    opens = CARD_CHANGE_BUTTONS[name] if changing else CARD_BUTTONS[name]
    return _show(opens, body, _execute(CARD_SEND_BUTTONS.get(name, CARD_BUTTONS[name]), verb, ticket, style=style))


def _forms(ticket: Ticket, *, facts: Recorded, breach: bool, agents: Mapping[str, str], lines: Lines, today: date) -> dict[str, dict[str, Any]]:
    """Every form a servicedesk card can offer, by name; ``_actions`` picks the ones that fit."""
    priority_choices = [(p, PRIORITY_LABELS.get(p, p)) for p in ("P1", "P2", "P3", "P4") if p != ticket.priority]
    owner = (ticket.owner_id or "").lower()
    colleagues = sorted(
        (
            (agent_id, texts.colleague_choice(name=name, line=line_name(lines.line_of(agent_id))))
            for agent_id, name in agents.items() if agent_id != owner
        ),
        key=lambda item: item[1],
    )
    queues = [
        (QUEUE_PREFIX + line, texts.queue_choice(line=line_name(line)))
        for line in lines.queues if not (ticket.owner_id is None and ticket.treatment_line == line)
    ]
    kinds = [(kind, SECURITY_KIND_NAMES[kind]) for kind in SECURITY_KINDS]
    return {
        "take": _execute(CARD_BUTTONS["take"], VERB_ACKNOWLEDGE, ticket, style="positive"),
        "react": _form("react", _reaction_inputs(ticket, picking_up=False), VERB_REACTION, ticket, style="positive"),
        "call": _form(
            "call",
            [
                _choice_input(IN_CALL_REACHED, texts.CALL_REACHED, [("ja", texts.CALL_REACHED_YES), ("nee", texts.CALL_REACHED_NO)]),
                _text_input(IN_CALL_NOTE, texts.CALL_NOTE, required=False),
            ],
            VERB_CALL, ticket,
        ),
        "update": _form(
            "update", [_text_input(IN_UPDATE, texts.MESSAGE_TO_REPORTER, placeholder=texts.UPDATE_EXAMPLE)], VERB_UPDATE, ticket,
        ),
        "wait": _form(
            "wait",
            [
                _text_input(IN_PARTY, texts.WAIT_PARTY, placeholder=texts.WAIT_PARTY_EXAMPLE, multiline=False, max_length=200),
                _text_input(IN_WAIT_REASON, texts.WAIT_REASON, placeholder=texts.WAIT_REASON_EXAMPLE),
                _date_input(IN_WAIT_EXPECTED, texts.WAIT_EXPECTED, today=today, required=False),
            ],
            VERB_WAIT, ticket,
        ),
        "resume": _execute(CARD_BUTTONS["resume"], VERB_RESUME, ticket),
        "resolve": _form("resolve", [_text_input(IN_SOLUTION, texts.SOLUTION_INPUT)], VERB_RESOLVE, ticket, style="positive"),
        "workaround": _form(
            "workaround", [_text_input(IN_WORKAROUND, texts.WORKAROUND_INPUT, placeholder=texts.WORKAROUND_EXAMPLE)],
            VERB_WORKAROUND, ticket,
        ),
        "agreed_date": _form(
            "agreed_date", [_date_input(IN_AGREED_DATE, texts.AGREED_DATE_INPUT, today=today)], VERB_AGREED_DATE, ticket,
            changing=ticket.agreed_date is not None,
        ),
        "priority": _form(
            "priority",
            [
                _choice_input(IN_PRIORITY, texts.NEW_PRIORITY, priority_choices),
                _text_input(IN_PRIORITY_REASON, texts.PRIORITY_REASON_INPUT, placeholder=texts.PRIORITY_REASON_EXAMPLE),
            ],
            VERB_PRIORITY, ticket,
        ),
        "hand_over": _form(
            "hand_over", [_choice_input(IN_HAND_OVER_TO, texts.HAND_OVER_TO, [*colleagues, *queues])], VERB_HAND_OVER, ticket,
        ),
        "device_needed": _form(
            "device_needed", [_text_input(IN_DEVICE_NOTE, texts.NOTE_OPTIONAL, required=False, placeholder=texts.DEVICE_NOTE_EXAMPLE)],
            VERB_DEVICE_NEEDED, ticket,
        ),
        "device_done": _form(
            "device_done",
            [
                _choice_input(IN_DEVICE_HOW, texts.DEVICE_HOW_INPUT, list(DEVICE_HOW_NAMES.items())),
                _text_input(IN_DEVICE_DONE_NOTE, texts.NOTE_OPTIONAL, required=False),
            ],
            VERB_DEVICE_DONE, ticket,
        ),
        "onsite_needed": _form(
            "onsite_needed",
            [
                _text_input(IN_ONSITE_LOCATION, texts.ONSITE_WHERE, required=False, multiline=False, max_length=300),
                _text_input(IN_ONSITE_NOTE, texts.NOTE_OPTIONAL, required=False),
            ],
            VERB_ONSITE_NEEDED, ticket,
        ),
        "onsite_done": _form(
            "onsite_done", [_text_input(IN_ONSITE_DONE_NOTE, texts.NOTE_OPTIONAL, required=False)], VERB_ONSITE_DONE, ticket,
        ),
        "security": _form(
            "security",
            [
                _choice_input(IN_SECURITY_KIND, texts.ASK_SECURITY, kinds, value=facts.security_kind),
                _choice_input(IN_DATA_BREACH, texts.IS_DATA_BREACH, [("ja", texts.IS_DATA_BREACH_YES), ("nee", texts.NO)],
                              value="ja" if breach else None),
            ],
            VERB_SECURITY, ticket, changing=facts.security_kind is not None,
        ),
        "contained": _form(
            "contained", [_text_input(IN_CONTAINED_NOTE, texts.CONTAINED_INPUT, placeholder=texts.CONTAINED_EXAMPLE)],
            VERB_CONTAINED, ticket,
        ),
        "breach_reported": _form(
            "breach_reported", [_text_input(IN_BREACH_NOTE, texts.BREACH_REPORTED_NOTE, required=False)], VERB_BREACH_REPORTED, ticket,
        ),
        "major": _form(
            "major",
            [_text_input(IN_MAJOR_TITLE, texts.TITLE, placeholder=texts.MAJOR_TITLE_EXAMPLE, multiline=False, max_length=200)],
            VERB_MAJOR, ticket,
        ),
        "link": _form(
            "link",
            [_text_input(IN_LINK_TO, texts.LINK_TO_INPUT, placeholder=texts.LINK_TO_EXAMPLE, multiline=False, max_length=20)],
            VERB_LINK, ticket,
        ),
        "rca": _form(
            "rca",
            [
                _text_input(IN_RCA_SUMMARY, texts.RCA_SUMMARY_INPUT),
                _text_input(IN_RCA_LINK, texts.RCA_LINK_INPUT, required=False, multiline=False, max_length=500),
            ],
            VERB_RCA, ticket,
        ),
        "reopen": _form(
            "reopen",
            [_text_input(IN_REOPEN_REASON, texts.REOPEN_REASON_INPUT, placeholder=texts.REOPEN_REASON_EXAMPLE)],
            VERB_REOPEN, ticket,
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
    title = _text_input(IN_PUBLIC_TITLE, texts.PUBLIC_TITLE_INPUT, multiline=False, max_length=PUBLIC_TITLE_MAX)
    title["value"] = ticket.public_title or texts.public_title_suggestion(category=CATEGORY_NAMES.get(ticket.category, ticket.category))
    form = _form("public_title", [title], VERB_PUBLIC_TITLE, ticket, changing=bool(ticket.public_title))
    return [
        labelled(texts.LABEL_PUBLIC_TITLE, ticket.public_title or texts.PUBLIC_TITLE_MISSING, attention=not ticket.public_title),
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
    body: list[dict[str, Any]] = [heading(texts.ticket_card_title(label=label, priority=priority_text(ticket)))]
    reopened = _reopened_by_reporter(events)
    if reopened is not None:
        body.append(_alert(REOPENED_BY_REPORTER_LABEL, REOPENED_BY_REPORTER.format(name=ticket.reporter_name), *(
            (STILL_FAILING_LABEL, _event_data(added).get("text")) for added in events[reopened:] if added.kind == ev.INFO_ADDED
        )))
    body.append(labelled(texts.LABEL_STATUS, status))
    nearest = _nearest(clocks, now=now)
    if nearest is not None:
        body.append(nearest)
    body.append(literal(_cut(ticket.description, SUMMARY_CHARS)))
    body.append(labelled(texts.LABEL_REPORTER, texts.reporter_and_phone(name=ticket.reporter_name, phone=ticket.phone)))
    body.extend(_history(events[-1:], ticket=ticket, tz=tz))  # what happened last; the ones before under Details
    if ticket.update_overdue and ticket.status in OPEN_STATUSES:
        body.append(labelled(texts.LABEL_ATTENTION, texts.UPDATE_OVERDUE, attention=True))
    missing = _first_reaction_missing(ticket, facts, call_required=call_required)
    if missing:
        body.append(labelled(texts.FIRST_REACTION_MISSING, missing, attention=True))
    csat = clocks.csat
    if csat is not None:
        remark = f": {csat[2]}" if csat[2] else ""
        body.append(labelled(texts.CSAT_ON_CARD, f"{csat[1]}{remark}", attention=csat[1] < LOW_SCORE))
    if may_be_known_outage(ticket):
        title = _public_title(ticket)
        body.extend(title[:1] if read_only else title)  # the line, and for agents its form

    details: list[dict[str, Any]] = [labelled(texts.LABEL_PRIORITY, priority_text(ticket))]
    if ticket.uplift and ticket.uplift_motivation:
        details.append(labelled(texts.LABEL_UPLIFT_MOTIVATION, ticket.uplift_motivation))
    else:
        reason = _priority_reason(ticket, events)
        if reason:
            details.append(labelled(texts.LABEL_PRIORITY_REASON, reason))
    details.append(labelled(texts.LABEL_CATEGORY, CATEGORY_NAMES.get(ticket.category, ticket.category)))
    if ticket.phone:
        details.append(labelled(texts.LABEL_CALL_BACK, ticket.phone))
    details.append(labelled(texts.LABEL_REPORTED, _at(ticket.opened_at, now=now, tz=tz)))
    details.extend(supplier_facts(ticket))
    if ticket.owner_id is None and ticket.treatment_line is not None:
        details.append(labelled(texts.LABEL_OWNER, texts.nobody_in_queue(line=line_name(ticket.treatment_line)), attention=True))
    else:
        details.append(labelled(texts.LABEL_OWNER, ticket.owner_name or texts.NOBODY))
        if ticket.treatment_line not in (None, FIRST_LINE):
            details.append(labelled(texts.LABEL_LINE, line_name(ticket.treatment_line)))
    details.extend(_fact_lines(ticket, facts, breach=breach))
    details.append(subheading(texts.HEADING_DEADLINES))
    if ticket.first_response_at is not None:
        when = say_when(ticket.first_response_at, now=now, tz=tz)
        details.append(labelled(texts.LABEL_PICKED_UP, texts.picked_up_by(agent=_first_owner(events, ticket), when=when)))
    details.extend(clock_lines(clocks, now=now))
    details.append(subheading(texts.HEADING_DESCRIPTION))
    details.append(literal(ticket.description))
    if ticket.uplift_motivation and not ticket.uplift:
        details.append(labelled(texts.LABEL_MOTIVATION, ticket.uplift_motivation))
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
        facts.append(labelled(texts.LABEL_REPORTED_VIA, CHANNEL_NAMES.get(ticket.channel, ticket.channel)))
    if ticket.external_number:
        facts.append(labelled(texts.LABEL_SUPPLIER_NUMBER, ticket.external_number))
    return facts


def clock_lines(clocks: TicketClocks, *, now: datetime) -> list[dict[str, Any]]:
    """Every clock of the ticket, its wait and its next update, in one place (from the fold)."""
    tz = clocks.tz
    terms = clocks.policy.terms(clocks.priority)
    lines: list[dict[str, Any]] = []
    for name, clock in clocks.clocks.items():
        label = CARD_CLOCK_LABELS[name]
        if name == FIRST_RESPONSE and terms.call_required:
            label += texts.CLOCK_CALL
        if name == RESOLUTION and terms.workaround_meets_resolution:
            label += texts.CLOCK_OR_WORKAROUND
        if clock.stop_us is not None:
            lines.append(labelled(label, texts.clock_done(when=say_when(clock.stopped, now=now, tz=tz), late=clock.breached)))
        elif clock.due_us is None:
            lines.append(labelled(label, texts.CLOCK_STOPPED))
        elif clocks.resolved_us is not None:  # solved without it: no countdown for what is over
            late = clock.due_us < clocks.resolved_us
            text = texts.NOT_BEFORE_SOLUTION.format(when=say_when(clock.due, now=now, tz=tz))
            lines.append(labelled(label, text + (texts.NOT_BEFORE_SOLUTION_LATE if late else ""), attention=late))
        else:
            text, late = _deadline(clock.due, now=now, tz=tz)
            lines.append(labelled(label, text, attention=late))
    wait = clocks.open_wait
    if wait is not None:
        text = texts.waiting_since(party=wait.party, since=say_when(wait.start, now=now, tz=tz), too_long=wait.exceeded)
        lines.append(labelled(texts.LABEL_WAITING_FOR, text, attention=wait.exceeded))
    if clocks.updates.next_due is not None:
        text, late = _deadline(clocks.updates.next_due, now=now, tz=tz)
        lines.append(labelled(texts.LABEL_NEXT_UPDATE, text, attention=late))
    return lines


def _first_reaction_missing(ticket: Ticket, facts: Recorded, *, call_required: bool) -> str | None:
    """What the servicedesk still owes for the first response to count, in words; None when
    nothing (annex "eerste inhoudelijke reactie"; PvE P1 "telefonisch contact verplicht")."""
    if ticket.status not in OPEN_STATUSES:
        return None
    return texts.first_reaction_missing(reaction=not facts.reacted, call=call_required and not facts.called)


def _fact_lines(ticket: Ticket, facts: Recorded, *, breach: bool) -> list[dict[str, Any]]:
    """The facts recorded on the card that no clock shows, one line each (a loaner, an engineer,
    the AP and the RCA are clocks: "Termijnen" shows them, due or done)."""
    rows: list[dict[str, Any]] = []
    if facts.major_title:
        rows.append(labelled(texts.MAJOR_INCIDENT, facts.major_title, attention=True))
    if ticket.linked_to_ticket_id is not None:
        rows.append(labelled(texts.LINKED_TO_MAJOR, ticket_label(ticket.linked_to_ticket_id)))
    if facts.security_kind is not None:
        state = [SECURITY_KIND_NAMES.get(facts.security_kind, facts.security_kind)]
        if breach and facts.security_kind != "datalek":
            state.append(SECURITY_KIND_NAMES["datalek"])
        state.append(texts.CONTAINED if facts.contained else texts.NOT_CONTAINED)
        rows.append(labelled(texts.SECURITY_INCIDENT, ", ".join(state), attention=not facts.contained))
    if ticket.agreed_date is not None:
        rows.append(labelled(texts.LABEL_AGREED_DATE, texts.day_name(ticket.agreed_date)))
    elif ticket.priority == "P4" and ticket.status in WORKING_STATUSES:
        rows.append(labelled(texts.LABEL_AGREED_DATE, texts.AGREED_DATE_MISSING, attention=True))
    return rows


def _first_owner(events: Sequence[Any], ticket: Ticket) -> str:
    for event in events:
        if event.kind == ev.ACKNOWLEDGED:
            return _event_data(event).get("agent_name") or ticket.owner_name or SERVICEDESK
    return ticket.owner_name or SERVICEDESK


# --- regie -------------------------------------------------------------------------------------

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
        priority = priority_text(ticket) if ticket.priority == "P1" else "P1"
        title = texts.raised_to_p1_title(priority=priority, label=label, was=changed_from)
    else:
        title = texts.new_p1_title(priority=priority_text(ticket) if ticket.priority == "P1" else PRIORITY_LABELS["P1"], label=label)
    callback, callback_late = _deadline(ticket.first_response_due, now=now, tz=tz)
    if ticket.first_response_at is not None:
        callback, callback_late = texts.done_picked_up(when=say_when(ticket.first_response_at, now=now, tz=tz)), False
    resolution, resolution_late = _deadline(ticket.resolution_due, now=now, tz=tz)
    if ticket.resolved_at is not None:
        resolution, resolution_late = texts.DONE_SOLVED.format(when=say_when(ticket.resolved_at, now=now, tz=tz)), False
    body: list[dict[str, Any]] = [
        heading(title),
        *_current(ticket, priority="P1", now=now, tz=tz),
        labelled(texts.LABEL_REPORTER, ticket.reporter_name),
        labelled(texts.LABEL_REPORTED, f"{ticket.opened_at.astimezone(tz):%d-%m-%Y %H:%M}"),
    ]
    if ticket.resolved_at is None:
        body.append(labelled(texts.LABEL_CALLBACK_DUE, callback, attention=callback_late))
    if ticket.phone:
        body.append(labelled(texts.LABEL_REPORTER_PHONE, ticket.phone))
    body.append(labelled(texts.SOLUTION, resolution, attention=resolution_late))
    if changed_from:
        body.append(labelled(texts.LABEL_CHANGED_BY, by or SERVICEDESK))
        body.append(labelled(texts.LABEL_REASON, reason))
    if ticket.uplift:
        body.append(labelled(texts.LABEL_UPLIFT_MOTIVATION, ticket.uplift_motivation or "-"))
    body.append(subheading(texts.HEADING_DESCRIPTION))
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
    return [labelled(texts.LABEL_STATUS, STATUS_LABELS.get(ticket.status, ticket.status))]


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
    what = REGIE_CLOCK_NAMES.get(clock, clock)
    late = kind != NoticeKind.WARNING.value or due <= now
    if kind == NoticeKind.WARNING.value:
        title = (texts.LATE_TITLE if due <= now else texts.WARNING_TITLE).format(label=label, what=what)
        when = texts.deadline(when=say_when(due, now=now, tz=tz), left=time_left(due, now=now))
    elif kind == NoticeKind.WAIT_TOO_LONG.value:
        title = texts.wait_too_long_title(label=label)
        when = texts.wait_too_long_since(when=say_when(due, now=now, tz=tz))
    else:  # a breach queued before breaches became escalations (an upgrade with messages pending)
        title = texts.breached_title(label=label, what=what)
        when = texts.WAS_DUE.format(when=say_when(due, now=now, tz=tz))
    current = _current(ticket, priority=priority, now=now, tz=tz)
    if ticket.status not in OPEN_STATUSES or ticket.priority != priority:
        when, late = texts.WAS_DUE.format(when=say_when(due, now=now, tz=tz)), False  # no countdown for what is over
    body: list[dict[str, Any]] = [
        heading(title),
        *current,
        labelled(texts.LABEL_PRIORITY, PRIORITY_LABELS.get(priority, priority) if not ticket.uplift else UPLIFT_LABEL),
        labelled(texts.LABEL_DEADLINE, when, attention=late),
        labelled(texts.LABEL_OWNER, ticket.owner_name or texts.NOBODY),
        labelled(texts.LABEL_REPORTER, ticket.reporter_name),
        *supplier_facts(ticket),
    ]
    body.append(subheading(texts.HEADING_DESCRIPTION))
    body.append(literal(ticket.description))
    return _card(body)


def piket_alert_card(ticket: Ticket, *, now: datetime, tz: ZoneInfo, contact: str | None) -> dict[str, Any]:
    """Out of hours: a new P1 alerts the on-call (piket) contact."""
    label = ticket_label(ticket.id)
    callback, late = _deadline(ticket.first_response_due, now=now, tz=tz)
    body: list[dict[str, Any]] = [
        heading(texts.piket_title(priority=priority_text(ticket), label=label)),
        labelled(texts.LABEL_REPORTED, f"{ticket.opened_at.astimezone(tz):%d-%m-%Y %H:%M}"),
        labelled(texts.LABEL_CALLBACK_DUE, callback, attention=late),
    ]
    if ticket.phone:
        body.append(labelled(texts.LABEL_REPORTER_PHONE, ticket.phone))
    body.append(labelled(texts.LABEL_REPORTER, ticket.reporter_name))
    if contact:
        body.append(labelled(texts.LABEL_PIKET, contact))
    if ticket.uplift:
        body.append(labelled(texts.LABEL_UPLIFT_MOTIVATION, ticket.uplift_motivation or "-"))
    body.append(subheading(texts.HEADING_DESCRIPTION))
    body.append(literal(ticket.description))
    return _card(body)


def data_breach_card(
    ticket: Ticket, *, now: datetime, tz: ZoneInfo, kind: str | None, due: datetime | None
) -> dict[str, Any]:
    """A data breach, at once, to regie and the privacy officer(s): they decide on the report to
    the Autoriteit Persoonsgegevens (AVG art. 33: within 72 hours of discovery; ``due``, the
    fold's data-breach clock)."""
    label = ticket_label(ticket.id)
    when = say_when(due, now=now, tz=tz) if due else None
    body: list[dict[str, Any]] = [
        heading(texts.data_breach_title(label=label)),
        labelled(texts.LABEL_WHAT_HAPPENED, SECURITY_KIND_NAMES.get(kind or "datalek", kind)),
        labelled(texts.LABEL_PRIORITY, priority_text(ticket)),
        labelled(texts.LABEL_REPORTER, ticket.reporter_name),
        labelled(texts.LABEL_REPORTED, f"{ticket.opened_at.astimezone(tz):%d-%m-%Y %H:%M}"),
        labelled(texts.LABEL_OWNER, ticket.owner_name or texts.NOBODY),
        labelled(texts.LABEL_REPORT_TO_AP, texts.report_to_ap_by(when=when), attention=True),
        {"type": "TextBlock", "wrap": True, "isSubtle": True, "text": texts.REPORTED_TO_AP_HOW},
        subheading(texts.HEADING_DESCRIPTION),
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
        heading(texts.major_rca_title(label=label) if summary else texts.major_title(label=label)),
        labelled(texts.TITLE, title),
        labelled(texts.LABEL_PRIORITY, priority_text(ticket)),
        labelled(texts.LABEL_STATUS, STATUS_LABELS.get(ticket.status, ticket.status)),
        labelled(texts.LABEL_REPORTED, f"{ticket.opened_at.astimezone(tz):%d-%m-%Y %H:%M}"),
        labelled(texts.LABEL_RCA_BY if summary else texts.LABEL_DECLARED_BY, by or SERVICEDESK),
    ]
    if summary:
        body.append(subheading(texts.CAUSE_AND_LESSONS))
        body.append(literal(summary))
        if link:
            body.append(labelled(texts.LABEL_RCA_REPORT, link))
    else:
        body.append(labelled(texts.LABEL_OWNER, ticket.owner_name or texts.NOBODY))
    return _card(body)


# --- messages to the reporter, caused by a servicedesk action --------------------------------
# The words are in ``dialogs.texts`` (the ``*_for_reporter`` texts), which quote the agent's words
# as the agent typed them; here: which facts of the ticket and the payload they need.

def _due(p: Mapping[str, Any], now: datetime, tz: ZoneInfo) -> str | None:
    """The due moment the fact's clock gave ("dinsdag 5 mei om 17:00"), if any."""
    return say_when(datetime.fromisoformat(p["due"]), now=now, tz=tz) if p.get("due") else None


def _when_resolved(ticket: Ticket, *, now: datetime, tz: ZoneInfo) -> list[str]:
    """The reporter's deadlines after a priority change (recomputed from the report time)."""
    lines = []
    if ticket.first_response_at is None and ticket.first_response_due is not None:
        when = say_when(ticket.first_response_due, now=now, tz=tz)
        lines.append(texts.first_response_by(when=when, call=ticket.priority == "P1"))
    if ticket.resolution_due is not None:
        lines.append(texts.RESOLVE_BY.format(when=say_when(ticket.resolution_due, now=now, tz=tz)))
    return lines


def _priority_name(priority: Any) -> str:
    return PRIORITY_LABELS.get(str(priority), str(priority))


def _priority_changed(ticket: Ticket, p: Mapping[str, Any], label: str, now: datetime, tz: ZoneInfo) -> str:
    text = texts.priority_changed_for_reporter(
        label=label, was=_priority_name(p.get("from")), now=_priority_name(p.get("to")), reason=p.get("reason"),
    )
    return "\n\n".join([text, *_when_resolved(ticket, now=now, tz=tz), *_rhythm(ticket, p.get("to"))])


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
    changed = bool(p.get("from"))
    return texts.reaction_for_reporter(
        label=label,
        agent=p.get("agent_name"),
        priority=UPLIFT_LABEL if ticket.uplift and p.get("priority") == "P1" else _priority_name(p.get("priority")),
        was=_priority_name(p.get("from")) if changed else None,
        reason=p.get("reason"),
        then=[*_when_resolved(ticket, now=now, tz=tz), *_rhythm(ticket, p.get("priority"))] if changed else [],
        next_step=p.get("next_step"),
        message=p.get("text"),
    )


def _waiting(ticket: Ticket, p: Mapping[str, Any], label: str, now: datetime, tz: ZoneInfo) -> str:
    expected = _day(p["expected"]) if p.get("expected") else None
    return texts.waiting_for_reporter(label=label, party=p.get("party"), reason=p.get("reason"), expected=expected)


def _agreed_date(ticket: Ticket, p: Mapping[str, Any], label: str, now: datetime, tz: ZoneInfo) -> str:
    by = say_when(ticket.next_update_due, now=now, tz=tz) if ticket.next_update_due else None
    return texts.agreed_date_for_reporter(label=label, by=by, day=_day(p.get("date")))


def _handed_to_line(ticket: Ticket, p: Mapping[str, Any], label: str, now: datetime, tz: ZoneInfo) -> str:
    if p.get("line") == FIRST_LINE:
        return texts.back_to_servicedesk(label=label)
    return texts.handed_to_line(label=label, line=line_name(p.get("line")))


# What the reporter reads after a servicedesk action, per message kind: (ticket, payload, label,
# now, tz) -> text. Plain chat text (markdown only in the bot's own words); the agent's words are
# quoted after a colon, as the agent typed them.
REPORTER_TEXTS: dict[Kind, Callable[[Ticket, Mapping[str, Any], str, datetime, ZoneInfo], str]] = {
    Kind.PRIORITY_CHANGED: _priority_changed,
    Kind.REACTION: _reaction,
    Kind.CALL_MISSED: lambda t, p, label, now, tz: texts.call_missed_for_reporter(label=label, agent=p.get("agent_name")),
    Kind.WAITING: _waiting,
    Kind.RESUMED: _resumed,
    Kind.AGENT_UPDATE: lambda t, p, label, now, tz: texts.agent_update_for_reporter(
        label=label, agent=p.get("agent_name"), text=p.get("text"),
    ),
    Kind.WORKAROUND: lambda t, p, label, now, tz: texts.workaround_for_reporter(label=label, note=p.get("note")),
    Kind.RESOLVED: lambda t, p, label, now, tz: texts.resolved_for_reporter(label=label, solution=p.get("solution")),
    Kind.REOPENED: lambda t, p, label, now, tz: texts.reopened_for_reporter(label=label, reason=p.get("reason")),
    Kind.HANDED_OVER: lambda t, p, label, now, tz: texts.handed_over_for_reporter(label=label, to=p.get("to_name")),
    Kind.HANDED_TO_LINE: _handed_to_line,
    Kind.AGREED_DATE: _agreed_date,
    Kind.DEVICE_FALLBACK_NEEDED: lambda t, p, label, now, tz: texts.device_needed_for_reporter(label=label, by=_due(p, now, tz)),
    Kind.DEVICE_FALLBACK_DONE: lambda t, p, label, now, tz: texts.device_done_for_reporter(label=label, how=p.get("how")),
    Kind.ONSITE_NEEDED: lambda t, p, label, now, tz: texts.onsite_needed_for_reporter(
        label=label, by=_due(p, now, tz), location=p.get("location"),
    ),
    Kind.LINKED_TO_MAJOR: lambda t, p, label, now, tz: texts.linked_to_major_for_reporter(label=label, major=p.get("major")),
}
REPORTER_TEXT_KINDS = frozenset(REPORTER_TEXTS)


def reporter_text(ticket: Ticket, payload: Mapping[str, Any], *, now: datetime, tz: ZoneInfo) -> str:
    """The reporter's message for one of REPORTER_TEXT_KINDS (bot.delivery renders only those here)."""
    text = REPORTER_TEXTS[payload["kind"]]
    return text(ticket, payload, f"**{ticket_label(ticket.id)}**", now, tz)
