"""The experience survey's messages as the outbox sends them: a question to an employee (the
invitation and the reminder, sent by ``reach``) and the round's results to regie when it closes.

The results card is the only place the employees' remarks go: regie's channel, as plain text
(``dialogs.plain``), without names. Each question against its norm (PvE §10.5: ≥ 8).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dialogs import plain, survey, texts
from dialogs.when import say_when
from sla.xla import Question
from storage.models import SurveyRound
from reach.surveys import RoundFigures

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"


def question_card(round_: SurveyRound, question: Question, *, reminder: bool, now: datetime, tz) -> dict[str, Any]:
    """The card of the invitation or the reminder: the intro with the closing time, and the
    question the employee is at (the first, unless they answered some before the reminder)."""
    until = say_when(round_.closes_at, now=now, tz=tz)
    intro = (texts.SURVEY_REMINDER if reminder else texts.SURVEY_INTRO).format(until=until)
    return survey.question_card(round_id=round_.id, question=question, intro=intro)


def result_card(found: RoundFigures, *, tz) -> dict[str, Any]:
    """Regie's card when a round closes: per question the mean against the norm, the distribution,
    the answers and response rate, then the remarks (plain text)."""
    row = found.round
    facts = []
    for result in found.questions:
        facts.append({
            "title": texts.SURVEY_QUESTION_NAMES[result.question.value],
            "value": texts.survey_result_line(
                mean=result.mean_rounded, norm=float(result.norm) if result.norm is not None else None, met=result.met,
                responses=result.responses, rate=result.response_rate_percent,
            ),
        })
    spread = [
        {"type": "TextBlock", "wrap": True, "size": "Small", "isSubtle": True,
         "text": f"{texts.SURVEY_QUESTION_NAMES[r.question.value]}: "
                 + ", ".join(f"{score}: {count}" for score, count in enumerate(r.distribution, start=1) if count)}
        for r in found.questions if r.responses
    ]
    remarks: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": texts.SURVEY_REMARKS_HEADER, "weight": "Bolder", "wrap": True, "spacing": "Medium"}
    ]
    if found.remarks:
        remarks += [{"type": "RichTextBlock", "inlines": [plain.run(f"“{remark}”")]} for remark in found.remarks]
    else:
        remarks.append({"type": "TextBlock", "text": texts.SURVEY_NO_REMARKS, "wrap": True, "isSubtle": True})
    started = row.started_at.astimezone(tz).strftime("%d-%m-%Y")
    closed = (row.closed_at or row.closes_at).astimezone(tz).strftime("%d-%m-%Y")
    return {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": "1.5",
        "body": [
            {"type": "TextBlock", "text": texts.SURVEY_RESULT_TITLE.format(label=plain.markdown(row.label)),
             "weight": "Bolder", "size": "Medium", "wrap": True},
            {"type": "TextBlock", "wrap": True, "text": texts.SURVEY_RESULT_PERIOD.format(
                started=started, closed=closed, respondents=found.respondents, invited=found.invited,
                rate=f"{texts.survey_number(found.response_rate_percent)}%")},
            {"type": "FactSet", "facts": facts},
            *spread,
            *remarks,
        ],
    }
