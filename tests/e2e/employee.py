"""An employee who answers whatever the intake asks, the way a person would.

The intake changes as the product grows (category, scope, a "Klopt dit?" summary, ...). A scenario
therefore does not hard-code the order of questions: it gives the employee a list of
``Answer(prompt pattern, what to do)`` and the employee reads the bot's latest question from the
UI, picks the first matching answer, and clicks the button or types the text. A question nobody
planned for fails the test with the question and its buttons, so a changed intake is obvious.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.e2e.ui import PERSONAL, Message, Ui


@dataclass(frozen=True)
class Answer:
    prompt: str  # regex, searched (case-insensitive) in the question the bot asked
    click: str | None = None  # regex for the button title to click
    type: str | None = None  # text to type instead
    fill: str | None = None  # text for the card's first input before clicking
    doc: str | None = None  # take this scenario's docs/screenshots picture of the question first


@dataclass
class Transcript:
    steps: list[tuple[str, str]] = field(default_factory=list)  # (question, what the employee did)
    clicked: int = 0
    typed: int = 0
    confirmation: Message | None = None
    documented: list[str] = field(default_factory=list)  # the questions photographed for the docs


DONE = re.compile(r"Je melding \*{0,2}M-\d+\*{0,2} is aangemaakt", re.I)


def _question(messages: list[Message]) -> Message | None:
    """The message that asks something: the newest one with buttons, or else the newest text."""
    for message in reversed(messages):
        if message.buttons:
            return message
    return messages[-1] if messages else None


def report(ui: Ui, first_message: str, answers: list[Answer], *, max_steps: int = 20, scenario_shots: bool = True) -> Transcript:
    """Start in the personal chat with ``first_message`` and answer until the ticket exists."""
    transcript = Transcript()
    since = ui.mark()
    ui.type(first_message)
    transcript.typed += 1
    for step in range(max_steps):
        new = [m for m in ui.messages(PERSONAL, since=since) if m.action == "createMessage"]
        done = next((m for m in new if DONE.search(m.text)), None)
        if done is not None:
            transcript.confirmation = done
            return transcript
        question = _question(new)
        if question is None:
            raise AssertionError(f"the bot did not answer after step {step}: {transcript.steps}")
        asked = question.all_text
        answer = next((a for a in answers if re.search(a.prompt, asked, re.I | re.S)), None)
        if answer is None:
            raise AssertionError(
                f"unplanned question from the intake:\n  {asked!r}\n  buttons: {question.buttons}\n"
                f"  so far: {transcript.steps}"
            )
        if answer.doc is not None:
            ui.begin(answer.doc)
            ui.shot("vraag", doc=True)
            transcript.documented.append(answer.doc)
        elif scenario_shots and step < 12:
            ui.shot(f"vraag-{step + 1}")
        since = ui.mark()
        if answer.click is not None:
            title = next((b for b in question.buttons if re.search(answer.click, b, re.I)), None)
            if title is None:
                raise AssertionError(f"no button like {answer.click!r} on {asked!r}; buttons: {question.buttons}")
            if answer.fill is not None:
                ui.fill(answer.fill, card_text=_card_marker(question))
            ui.click(title, card_text=_card_marker(question))
            transcript.clicked += 1
            transcript.steps.append((asked, f"klik {title}"))
        else:
            ui.type(answer.type or "")
            transcript.typed += 1
            transcript.steps.append((asked, f"typ {answer.type}"))
    raise AssertionError(f"no ticket after {max_steps} answers: {transcript.steps}")


def _card_marker(message: Message) -> str | None:
    """A piece of text that identifies this card on screen (its first line)."""
    from tests.e2e.ui import card_texts, plain

    for card in message.cards:
        texts = card_texts(card)
        if texts:
            line = plain(texts[0]).strip().splitlines()[0]
            return line[:60]
    return None
