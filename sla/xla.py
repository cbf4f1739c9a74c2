"""Experience measurement (XLA, PvE §10.5): the three questions, a round's figures, its timing.

A survey round asks every employee three scores from 1 to 10 (PvE §10.5 A "werkplekbeleving",
B "Servicedesk-beleving", D "informatievoorziening"); each question's result is the mean of the
scores given, held against the policy's norm ("Doelscore: gemiddeld ≥ 8", "Score ≥ 8"), with the
distribution, the number of answers and the response rate (answers / employees asked).

The norm a round is held to is the one in force when the round started (``Policy.in_force``), and
the round keeps it: a later policy version cannot change a verdict that was already given.

Pure: no I/O. The timing rule (a scheduled round's start) reads the policy's working calendar;
``reach.rules`` keeps the quiet hours and the weekly maximum for every survey message.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction


class Question(enum.StrEnum):
    """The three questions, in the order they are asked."""

    WORKPLACE = "werkplek"  # PvE §10.5 A Werkplekbeleving
    SERVICEDESK = "servicedesk"  # PvE §10.5 B Servicedesk-ervaring
    INFORMATION = "informatie"  # PvE §10.5 D Proactiviteit en communicatie: "informatievoorziening"


QUESTIONS: tuple[Question, ...] = tuple(Question)
LOWEST, HIGHEST = 1, 10
SCHEDULED_START_HOUR = 10  # a scheduled round starts at 10:00 on the month's first working day


def valid_score(score: object) -> bool:
    return isinstance(score, int) and not isinstance(score, bool) and LOWEST <= score <= HIGHEST


def next_question(answers: Mapping[Question, int | None]) -> Question | None:
    """The first question without a score, or None when all three are answered."""
    return next((q for q in QUESTIONS if answers.get(q) is None), None)


@dataclass(frozen=True)
class XlaTerms:
    """A policy's ``[xla]`` table: the norm per question (None: reported without a verdict) and
    how many rounds a year the contract asks for."""

    norms: Mapping[Question, Fraction | None]
    rounds_per_year: int
    source: str = ""


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    invited: int
    distribution: tuple[int, ...]  # the number of 1s, 2s, ..., 10s
    norm: Fraction | None

    @property
    def responses(self) -> int:
        return sum(self.distribution)

    @property
    def mean(self) -> Fraction | None:
        if not self.responses:
            return None
        total = sum(score * count for score, count in zip(range(LOWEST, HIGHEST + 1), self.distribution))
        return Fraction(total, self.responses)

    @property
    def mean_rounded(self) -> float | None:
        """The mean to one decimal, as reports show it (the verdict uses the exact mean)."""
        mean = self.mean
        return None if mean is None else float(round(mean, 1))

    @property
    def response_rate_percent(self) -> float | None:
        return None if not self.invited else float(round(Fraction(100 * self.responses, self.invited), 1))

    @property
    def met(self) -> bool | None:
        """Whether the mean reaches the norm; None without a norm or without answers."""
        mean = self.mean
        if self.norm is None or mean is None:
            return None
        return mean >= self.norm

    def to_dict(self) -> dict:
        return {
            "question": self.question.value, "invited": self.invited, "responses": self.responses,
            "distribution": list(self.distribution), "mean": self.mean_rounded,
            "response_rate_percent": self.response_rate_percent,
            "norm": float(self.norm) if self.norm is not None else None, "met": self.met,
        }


def results(
    scores: Mapping[Question, Sequence[int]], *, invited: int, norms: Mapping[Question, Fraction | None]
) -> list[QuestionResult]:
    """Each question's figures from the scores given (scores outside 1-10 are not counted)."""
    found = []
    for question in QUESTIONS:
        counts = [0] * (HIGHEST - LOWEST + 1)
        for score in scores.get(question, ()):
            if valid_score(score):
                counts[score - LOWEST] += 1
        found.append(QuestionResult(question, invited, tuple(counts), norms.get(question)))
    return found


def all_met(found: Sequence[QuestionResult]) -> bool | None:
    """True when every question with a verdict met its norm; None when none has a verdict."""
    verdicts = [r.met for r in found if r.met is not None]
    return all(verdicts) if verdicts else None


# -- timing ----------------------------------------------------------------------------------------

def scheduled_start(calendar, *, year: int, month: int) -> datetime | None:
    """10:00 on the first working day of ``month`` (local time), or None if the month has none."""
    day = date(year, month, 1)
    while day.month == month:
        if calendar.is_working_day(day):
            return datetime(day.year, day.month, day.day, SCHEDULED_START_HOUR, tzinfo=calendar.tz)
        day += timedelta(days=1)
    return None
