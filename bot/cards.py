"""Adaptive Cards (1.5) for the servicedesk, regie and overleg channels.

Text that people typed (descriptions, notes, motivations) goes into ``RichTextBlock``/``TextRun``
elements, which Teams renders literally: an employee's description cannot add links, mentions or
markup to a card an agent will click on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from dialogs.texts import PRIORITY_LABELS, STATUS_LABELS, UPLIFT_LABEL
from dialogs.when import say_when
from storage.models import Ticket
from storage.tickets import ticket_label

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERB_ACKNOWLEDGE = "oppakken"


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    card: dict[str, Any] = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.5", "body": body}
    if actions:
        card["actions"] = actions
    return card


def literal(text: str | None, **run: Any) -> dict[str, Any]:
    """People's own words, shown exactly as typed (no markdown, no links)."""
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": (text or "").strip() or "-", **run}]}


def heading(text: str) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "weight": "Bolder", "size": "Medium", "wrap": True}


def facts(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    return {"type": "FactSet", "facts": [{"title": title, "value": value} for title, value in pairs]}


def priority_text(ticket: Ticket) -> str:
    return UPLIFT_LABEL if ticket.uplift else PRIORITY_LABELS.get(ticket.priority, ticket.priority)


def ticket_card(ticket: Ticket, *, now: datetime, tz: ZoneInfo) -> dict[str, Any]:
    """The servicedesk's card for one ticket; its buttons carry the version they were drawn at."""
    label = ticket_label(ticket.id)
    rows = [
        ("Prioriteit", priority_text(ticket)),
        ("Status", STATUS_LABELS.get(ticket.status, ticket.status)),
        ("Melder", ticket.reporter_name),
        ("Eigenaar", ticket.owner_name or "nog niemand"),
    ]
    if ticket.first_response_at is not None:
        rows.append(("Opgepakt", f"door {ticket.owner_name} om {ticket.first_response_at.astimezone(tz):%H:%M}"))
    else:
        rows.append(("Reactie uiterlijk", say_when(ticket.first_response_due, now=now, tz=tz)))
    if ticket.resolution_due is not None:
        rows.append(("Oplossing uiterlijk", say_when(ticket.resolution_due, now=now, tz=tz)))
    if ticket.phone:
        rows.append(("Bel terug", ticket.phone))
    body: list[dict[str, Any]] = [heading(f"Melding {label} · {priority_text(ticket)}"), facts(rows)]
    body.append({"type": "TextBlock", "text": "Omschrijving", "weight": "Bolder", "wrap": True})
    body.append(literal(ticket.description))
    if ticket.uplift_motivation:
        body.append({"type": "TextBlock", "text": "Motivatie P1-uplift", "weight": "Bolder", "wrap": True})
        body.append(literal(ticket.uplift_motivation))
    actions: list[dict[str, Any]] = []
    if ticket.first_response_at is None:
        body.append(
            {
                "type": "Input.Text",
                "id": "notitie",
                "label": "Eerste bericht aan de melder",
                "placeholder": "Bijvoorbeeld: ik bel je binnen 5 minuten.",
                "isMultiline": True,
                "maxLength": 1000,
            }
        )
        actions.append(
            {
                "type": "Action.Execute",
                "title": "Oppakken",
                "verb": VERB_ACKNOWLEDGE,
                "data": {"ticket": ticket.id, "versie": ticket.version},
                "associatedInputs": "auto",
            }
        )
    return _card(body, actions)


def regie_new_p1_card(ticket: Ticket, *, now: datetime, tz: ZoneInfo) -> dict[str, Any]:
    label = ticket_label(ticket.id)
    body = [
        heading(f"Nieuwe {priority_text(ticket)}: {label}"),
        facts(
            [
                ("Melder", ticket.reporter_name),
                ("Gemeld", f"{ticket.opened_at.astimezone(tz):%d-%m-%Y %H:%M}"),
                ("Terugbellen uiterlijk", say_when(ticket.first_response_due, now=now, tz=tz)),
                ("Oplossing uiterlijk", say_when(ticket.resolution_due, now=now, tz=tz)),
            ]
        ),
        literal(ticket.description),
    ]
    if ticket.uplift_motivation:
        body.append({"type": "TextBlock", "text": "Motivatie P1-uplift", "weight": "Bolder", "wrap": True})
        body.append(literal(ticket.uplift_motivation))
    return _card(body)


def _percent(value: Any) -> str:
    if value is None:
        return "-"
    return f"{float(value):.0f}%"


def weekly_summary_card(*, period: str, report: dict[str, Any]) -> dict[str, Any]:
    """The overleg's weekly card: per priority the share within norm against the contract."""
    body: list[dict[str, Any]] = [heading(f"SLA-overzicht week {period}")]
    per_priority = report.get("per_priority") or {}
    rows = []
    for priority in ("P1", "P2", "P3", "P4"):
        figures = per_priority.get(priority) or {}
        count = figures.get("tickets", figures.get("count", 0))
        norm = figures.get("norm_percent")
        response = figures.get("first_response_within_norm_percent")
        resolution = figures.get("resolution_within_norm_percent")
        met = figures.get("met")
        mark = "✓" if met else ("✗" if met is not None else "")
        rows.append(
            (
                priority,
                f"{count} meldingen · reactie {_percent(response)} · oplossing {_percent(resolution)}"
                f" · norm {_percent(norm)} {mark}".strip(),
            )
        )
    body.append(facts(rows))
    uplifts = report.get("uplifts") or []
    if uplifts:
        body.append({"type": "TextBlock", "text": "P1-uplifts", "weight": "Bolder", "wrap": True})
        for item in uplifts:
            body.append(literal(f"{item.get('ticket', '')}: {item.get('motivation') or '-'}"))
    breaches = report.get("breaches") or []
    body.append({"type": "TextBlock", "text": f"Normoverschrijdingen: {len(breaches)}", "wrap": True})
    return _card(body)
