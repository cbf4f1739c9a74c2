"""Cards of regie's escalations (PvE §2.4.3): the escalation itself, and the weekly reminder.

The escalation's card is the breach notice: posted in the regie channel and in the servicedesk
channel, drawn from the record (``storage.escalations``) each time it is sent, so both copies show
the same state. Its buttons depend on the channel: regie assigns the level (with a reason) and
closes with an evaluation; the servicedesk records cause and corrective action (owner, date).
Who may press them is decided on the server (``bot.card_actions``), never by the card. What the
supplier and regie typed is shown as ``TextRun``s (``dialogs.plain.run``): literally.

The card names what the escalation is about by the ticket's subject (``texts.ticket_subject``):
the public title the servicedesk set, or its category and priority, never the reporter's words.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Sequence
from zoneinfo import ZoneInfo

from bot.cards import CARD_SCHEMA, CLOCK_LABELS, _choice_input, _show, _text_input, heading, labelled, subheading
from dialogs import texts
from dialogs.when import say_when
from sla.escalation import START_WORKING_DAYS, Level, State, Trigger
from storage.labels import ticket_label
from storage.models import EscalationRow, Ticket

VERB_LEVEL = "escalatie_niveau"
VERB_ACTION = "escalatie_actie"
VERB_CLOSE = "escalatie_afsluiten"
VERBS = (VERB_LEVEL, VERB_ACTION, VERB_CLOSE)

IN_LEVEL = "escalatie_niveau_keuze"
IN_LEVEL_REASON = "escalatie_niveau_reden"
IN_CAUSE = "escalatie_oorzaak"
IN_CORRECTIVE = "escalatie_herstelactie"
IN_OWNER = "escalatie_eigenaar"
IN_DUE = "escalatie_datum"
IN_EVALUATION = "escalatie_evaluatie"

# Which buttons each channel's copy shows (what the clicker may do is decided on the server).
ROLE_VERBS = {"regie": (VERB_LEVEL, VERB_CLOSE), "servicedesk": (VERB_ACTION,)}


def _execute(title: str, verb: str, row: EscalationRow, role: str) -> dict[str, Any]:
    """Action.Execute with its Action.Submit fallback; the data names the escalation, the version
    it was drawn at and the channel copy (for the fresh card's buttons), nothing that grants."""
    data = {"escalatie": row.id, "versie": row.version, "rol": role}
    return {
        "type": "Action.Execute", "title": title, "verb": verb, "data": data, "associatedInputs": "auto",
        "fallback": {"type": "Action.Submit", "title": title, "data": {"verb": verb, **data}, "associatedInputs": "auto"},
    }


def title_of(row: EscalationRow, ticket: Ticket | None) -> str:
    if row.trigger == Trigger.NORM_MISSED.value:
        return texts.ESCALATION_NORM_MISSED_TITLE.format(period=row.period, norm=norm_label(row.norm))
    priority, _, clock = row.norm.partition(":")
    what = CLOCK_LABELS.get(clock, clock)
    label = ticket_label(row.ticket_id) if row.ticket_id is not None else "?"
    if clock == "update":
        return texts.ESCALATION_NO_NEWS_TITLE.format(label=label, what=what)
    return texts.breached_title(label=label, what=what)


def norm_label(norm: str) -> str:
    """ "P2 oplostermijn", "CSAT": a norm's name as people read it."""
    priority, _, clock = norm.partition(":")
    if not clock:
        return texts.FIGURE_NAMES.get(priority, priority)
    return f"{priority} {CLOCK_LABELS.get(clock, clock)}"


def subject(ticket: Ticket | None) -> str:
    if ticket is None:
        return "-"
    return texts.ticket_subject(public_title=ticket.public_title, category=ticket.category, priority=ticket.priority, uplift=ticket.uplift)


def start_by_text(row: EscalationRow, tz: ZoneInfo) -> str:
    days = START_WORKING_DAYS[Level(row.level)]
    return f"{row.start_by.astimezone(tz):%d-%m-%Y %H:%M} ({texts.working_days(days)})"


def escalation_card(row: EscalationRow, ticket: Ticket | None, *, role: str, now: datetime, tz: ZoneInfo) -> dict[str, Any]:
    """The escalation as it stands, with the buttons for ``role``'s channel while it is open."""
    level = texts.ESCALATION_LEVELS[row.level]
    body: list[dict[str, Any]] = [heading(title_of(row, ticket))]
    if ticket is not None:
        body += [
            labelled(texts.LABEL_SUBJECT, subject(ticket)),
            labelled(texts.LABEL_PRIORITY, texts.UPLIFT_LABEL if ticket.uplift else texts.PRIORITY_LABELS.get(ticket.priority, ticket.priority)),
        ]
        if row.due is not None:
            body.append(labelled(texts.LABEL_DEADLINE, texts.WAS_DUE.format(when=say_when(row.due, now=now, tz=tz)), attention=True))
        body += [
            labelled(texts.ESCALATION_TICKET_STATUS, texts.STATUS_LABELS.get(ticket.status, ticket.status)),
            labelled(texts.ESCALATION_TICKET_OWNER, ticket.owner_name or texts.NOBODY),
        ]
    figures = row.figures or {}
    if figures.get("result"):
        body.append(labelled(texts.ESCALATION_RESULT, figures["result"], attention=True))
    body.append(subheading(texts.ESCALATION_HEADING.format(level=row.level, name=level["name"])))
    body.append(labelled(texts.LABEL_STATE, texts.ESCALATION_STATES[row.state]))
    body.append(labelled(texts.ESCALATION_REASON, texts.escalation_why((row.reasons or {}).get("why") or [])))
    if row.level_by_name:
        proposed = row.proposed_level if row.proposed_level != row.level else None
        body.append(labelled(texts.escalation_level_by(name=row.level_by_name, proposed=proposed), row.level_reason))
    body += [
        labelled(texts.ESCALATION_HOLDER, level["owner"]),
        labelled(texts.ESCALATION_INFORM, level["inform"]),
        labelled(texts.ESCALATION_START_BY, start_by_text(row, tz), attention=row.state == State.OPEN.value and now > row.start_by),
        labelled(texts.ESCALATION_WHAT, level["action"]),
        subheading(texts.ESCALATION_ACTION),
    ]
    if row.cause:
        body += [
            labelled(texts.ESCALATION_CAUSE_LABEL, row.cause),
            labelled(texts.ESCALATION_CORRECTIVE_LABEL, row.action),
            labelled(texts.LABEL_OWNER, row.action_owner),
            labelled(texts.ESCALATION_DUE, row.action_due.strftime("%d-%m-%Y") if row.action_due else "-",
                     attention=row.state != State.CLOSED.value and row.action_due is not None and row.action_due < now.astimezone(tz).date()),
            labelled(texts.ESCALATION_RECORDED_BY, row.action_by_name or "-"),
        ]
    else:
        body.append(labelled(texts.ESCALATION_CAUSE_LABEL, texts.NO_CAUSE, attention=True))
    if row.state == State.CLOSED.value:
        closed_by = texts.ESCALATION_CLOSED_BY.format(name=row.closed_by_name or texts.ESCALATION_CLOSED_BY_NOBODY)
        body += [subheading(texts.ESCALATION_EVALUATION_HEADING), labelled(closed_by, row.evaluation)]
        return _card(body)
    actions = [_form(verb, row, role, today=now.astimezone(tz).date()) for verb in ROLE_VERBS.get(role, ())]
    return _card(body, actions)


def _form(verb: str, row: EscalationRow, role: str, *, today: date) -> dict[str, Any]:
    if verb == VERB_LEVEL:
        choices = [(lv.value, f"{lv.value} ({texts.ESCALATION_LEVELS[lv.value]['name']})") for lv in Level]
        return _show(texts.ESCALATION_ASSIGN, [
            _choice_input(IN_LEVEL, texts.ESCALATION_ASSIGN_LEVEL, choices, value=row.level),
            _text_input(IN_LEVEL_REASON, texts.ESCALATION_ASSIGN_REASON),
        ], _execute(texts.ESCALATION_ASSIGN, verb, row, role))
    if verb == VERB_ACTION:
        due = {"type": "Input.Date", "id": IN_DUE, "label": texts.ESCALATION_DUE, "isRequired": True, "errorMessage": texts.ESCALATION_DUE_INVALID}
        due["value"] = (row.action_due or today).isoformat()
        cause = _text_input(IN_CAUSE, texts.ESCALATION_CAUSE)
        corrective = _text_input(IN_CORRECTIVE, texts.ESCALATION_CORRECTIVE)
        owner = _text_input(IN_OWNER, texts.ESCALATION_OWNER, multiline=False, max_length=200)
        for element, value in ((cause, row.cause), (corrective, row.action), (owner, row.action_owner)):
            if value:
                element["value"] = value
        return _show(texts.ESCALATION_ACTION, [cause, corrective, owner, due], _execute(texts.ESCALATION_SAVE, verb, row, role))
    return _show(texts.ESCALATION_CLOSE, [_text_input(IN_EVALUATION, texts.ESCALATION_EVALUATION)],
                 _execute(texts.ESCALATION_CLOSE, verb, row, role), secondary=True)


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    card: dict[str, Any] = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.5", "body": body}
    if actions:
        card["actions"] = actions
    return card


def reminder_card(rows: Sequence[tuple[EscalationRow, Ticket | None]], *, week: str, now: datetime, tz: ZoneInfo) -> dict[str, Any]:
    """PvE §2.4.3 B4: the open N2/N3 escalations, every week until regie closes them."""
    body: list[dict[str, Any]] = [
        heading(texts.ESCALATION_REMINDER_TITLE.format(week=week, count=len(rows))),
        {"type": "TextBlock", "wrap": True, "isSubtle": True, "text": texts.ESCALATION_REMINDER_INTRO},
    ]
    for row, ticket in rows:
        since = (now - row.opened_at).days
        body.append(subheading(f"{row.level} · {title_of(row, ticket)}"))
        if ticket is not None:
            body.append(labelled(texts.LABEL_SUBJECT, subject(ticket)))
        opened = texts.ESCALATION_OPEN_DAYS.format(day=f"{row.opened_at.astimezone(tz):%d-%m-%Y}", days=texts.calendar_days(since))
        body.append(labelled(texts.ESCALATION_OPEN_SINCE, opened))
        body.append(labelled(texts.LABEL_STATE, texts.ESCALATION_STATES[row.state]))
        if row.action:
            due = row.action_due.strftime("%d-%m-%Y") if row.action_due else "-"
            late = row.action_due is not None and row.action_due < now.astimezone(tz).date()
            action = texts.ESCALATION_ACTION_LINE.format(action=row.action, owner=row.action_owner, due=due)
            body.append(labelled(texts.ESCALATION_CORRECTIVE_LABEL, action, attention=late))
        else:
            body.append(labelled(texts.ESCALATION_CORRECTIVE_LABEL, texts.NO_CAUSE, attention=True))
    return _card(body)


def action_state(row: EscalationRow, today: date) -> str:
    """An improvement action's state for the reports: "gereed" once its escalation is closed."""
    if row.state == State.CLOSED.value:
        return texts.ACTION_DONE
    if row.action_due is not None and row.action_due < today:
        return texts.ACTION_LATE
    return texts.ACTION_OPEN
