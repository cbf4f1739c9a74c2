"""Drive the employee intake without knowing its questions: click a button of each question card
("nee" where offered, else the first one) until the bot stops asking. The dialog owner may reorder
or add questions; these tests only need *a* complete intake."""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from tests.support import activities as acts
from tests.support.cards import objects_in

MAX_STEPS = 25


def buttons(node: Any) -> list[dict[str, Any]]:
    return [n["data"] for n in objects_in(node) if n.get("type") == "Action.Submit" and isinstance(n.get("data"), dict)]


def pick(options: list[dict[str, Any]]) -> dict[str, Any]:
    for data in options:
        if str(data.get("antwoord", "")).lower() == "nee":
            return data
    return options[0]


async def complete_intake(
    harness, say: Callable[..., Awaitable[int]], description: str, *, user: dict[str, Any] = acts.EMPLOYEE
) -> list[dict[str, Any]]:
    """Report ``description`` and answer every question; returns the answers (card values) sent."""
    prefix = f"a:personal-{user['aadObjectId']}"
    assert await say(description, user=user) == 200
    answers: list[dict[str, Any]] = []
    for _ in range(MAX_STEPS):
        last = harness.connector.to(prefix)[-1]
        options = buttons(last.cards)
        if not options:
            return answers
        answer = pick(options)
        answers.append(answer)
        assert await say(None, user=user, value=answer) == 200
    raise AssertionError("the intake did not finish within %d answers" % MAX_STEPS)
