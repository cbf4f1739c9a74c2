"""Cards that ask the reporter for feedback: "Kun je weer verder?" (MTTP) and a 1-10 score (CSAT).

Each button carries the ticket and the kind of question; the answer is checked on the server
(``dialogs.feedback``), so a copied or forged button cannot answer for someone else.
"""

from __future__ import annotations

from typing import Any

from dialogs import plain
from dialogs import texts
from storage.feedback import CSAT, MTTP
from storage.labels import ticket_label
from storage.models import Ticket

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"


def _about(ticket: Ticket) -> dict[str, Any]:
    """What the ticket was about, in the reporter's own words (shown literally)."""
    words = ticket.description if len(ticket.description) <= 120 else ticket.description[:117] + "..."
    return {"type": "RichTextBlock", "inlines": [plain.run(words, italic=True)]}


def mttp_question_card(ticket: Ticket) -> dict[str, Any]:
    label = ticket_label(ticket.id)
    answer = lambda value: {"feedback": MTTP, "ticket": ticket.id, "antwoord": value}  # noqa: E731
    return {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": "1.5",
        "body": [
            {"type": "TextBlock", "text": texts.FEEDBACK_TICKET_HEADING.format(label=label), "weight": "Bolder", "wrap": True},
            _about(ticket),
            {"type": "TextBlock", "text": texts.MTTP_QUESTION, "wrap": True},
        ],
        "actions": [
            {"type": "Action.Submit", "title": texts.YES, "data": answer("ja")},
            {"type": "Action.Submit", "title": texts.MTTP_NOT_YET_BUTTON, "data": answer("nog_niet")},
        ],
    }


def csat_question_card(ticket: Ticket) -> dict[str, Any]:
    """One tap: ten score buttons in two rows; the optional remark is sent along."""
    label = ticket_label(ticket.id)

    def row(scores: range) -> dict[str, Any]:
        return {
            "type": "ActionSet",
            "actions": [
                {"type": "Action.Submit", "title": str(score), "data": {"feedback": CSAT, "ticket": ticket.id, "score": score}}
                for score in scores
            ],
        }

    return {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": "1.5",
        "body": [
            {"type": "TextBlock", "text": texts.FEEDBACK_RESOLVED_HEADING.format(label=label), "weight": "Bolder", "wrap": True},
            _about(ticket),
            {"type": "TextBlock", "text": texts.CSAT_QUESTION, "wrap": True},
            {
                "type": "Input.Text",
                "id": "opmerking",
                "label": texts.CSAT_REMARK_LABEL,
                "isMultiline": True,
                "maxLength": 1000,
            },
            row(range(1, 6)),
            row(range(6, 11)),
        ],
    }
