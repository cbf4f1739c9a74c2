"""What a person does in the Playground's Teams UI, and what the bot showed there.

``Ui`` wraps the browser driver. Every bot message the UI received (text, cards, card updates,
Action.Execute answers) is read from the UI's own websocket feeds, so a scenario decides its next
step from what the bot actually said, and asserts on what is on the screen with ``see()``.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.e2e.stack import ARTIFACTS, Stack

# Where things are in the Playground (ids fixed by e2e/.m365agentsplayground.yml).
PERSONAL = "Personal Chat"
SERVICEDESK_CHANNEL = "ICT-servicedesk - General"
REGIE_CHANNEL = "ICT-servicedesk - Regie"
OVERLEG_CHAT = "Operationeel overleg"
CONVERSATIONS = {
    PERSONAL: "a:personal-chat-sanne",
    SERVICEDESK_CHANNEL: "19:e2e-ict-general@thread.tacv2",
    REGIE_CHANNEL: "19:e2e-regie@thread.tacv2",
    OVERLEG_CHAT: "19:e2e-overleg@thread.v2",
}


def plain(markdown: str) -> str:
    """Text as the UI shows it: without markdown emphasis."""
    return re.sub(r"\*\*(.+?)\*\*", r"\1", markdown or "")


def card_texts(card: dict[str, Any]) -> list[str]:
    """Every text a person reads on a card, in order (TextBlocks, rich text runs, facts)."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            kind = node.get("type")
            if kind == "TextBlock" and isinstance(node.get("text"), str):
                out.append(node["text"])
            elif kind == "TextRun" and isinstance(node.get("text"), str):
                out.append(node["text"])
            elif kind == "FactSet":
                out.extend(f"{f.get('title')}: {f.get('value')}" for f in node.get("facts") or [])
            for key in ("body", "items", "columns", "inlines", "card"):
                walk(node.get(key))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return out


def card_buttons(card: dict[str, Any]) -> list[str]:
    titles: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Action.") and node.get("title"):
                titles.append(node["title"])
            for key in ("body", "items", "columns", "actions", "card"):
                walk(node.get(key))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return titles


@dataclass
class Message:
    """One bot message as the UI received it."""

    seq: int
    action: str  # createMessage or updateMessage
    conversation_id: str
    message_id: str
    text: str
    cards: list[dict[str, Any]]

    @property
    def all_text(self) -> str:
        return "\n".join([plain(self.text)] + [t for c in self.cards for t in card_texts(c)])

    @property
    def buttons(self) -> list[str]:
        return [b for c in self.cards for b in card_buttons(c)]


class Ui:
    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.driver = stack.driver
        self.scenario = "setup"
        self.step = 0
        self.current = PERSONAL

    # -- screenshots ---------------------------------------------------------------------------
    def begin(self, scenario: str) -> None:
        self.scenario, self.step = scenario, 0

    def viewport(self, width: int, height: int, *, phone: bool = False) -> None:
        """``phone``: show one conversation at a time, as Teams on a phone does."""
        self.driver.call("viewport", width=width, height=height, phone=phone)

    def cut_off(self, card_text: str | None = None) -> dict[str, Any]:
        """What does not fit on the newest card with ``card_text``: cut-off buttons, too wide."""
        answer = self.driver.call("cut_off", cardText=card_text)
        return {"buttons": answer["buttons"], "too_wide": answer["too_wide"]}

    def shot(self, name: str, *, doc: bool = False, reveal: str | None = None) -> Path:
        """A screenshot of this step (test-artifacts/e2e/screenshots/<scenario>/NN-name.png);
        ``doc`` marks the one scripts/docs.sh copies to docs/screenshots/<scenario>.png; ``reveal``
        scrolls the newest element with that text into the middle of the view first."""
        self.step += 1
        folder = ARTIFACTS / "screenshots" / self.scenario
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.step:02d}-{name}.png"
        self.driver.call("screenshot", path=str(path), reveal=plain(reveal) if reveal else None)
        if doc:
            chosen = ARTIFACTS / "docs-screenshots"
            chosen.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, chosen / f"{self.scenario}.png")
        return path

    # -- acting ----------------------------------------------------------------------------------
    def open(self) -> None:
        self.driver.call("open")

    def go(self, where: str) -> None:
        self.driver.call("chat", name=where)
        self.current = where

    def type(self, text: str) -> bool:
        """Type a message in the current chat and wait for the bot's answer."""
        return self.driver.call("send", text=text)["answered"]

    def mention(self, text: str, *, box: str = "first") -> bool:
        """@mention the bot in a channel or group chat ("first": a new post)."""
        return self.driver.call("send", text=text, mention=True, box=box, botName=self.stack.user["bot_name"])["answered"]

    def click(self, button: str, *, card_text: str | None = None, expect_turn: bool = True, last: bool = False) -> bool:
        """Click a visible button on the newest card containing ``card_text``; ``last``: the last
        one with that title (a show card's own button, e.g. "Opgelost" in the "Opgelost" form).
        ``expect_turn=False`` for buttons the bot does not hear (opening a show card)."""
        return self.driver.call("click", button=button, cardText=card_text, expectTurn=expect_turn, last=last)["answered"]

    def fill(self, value: str, *, card_text: str | None = None, index: int = 0, label: str | None = None) -> None:
        """Type into the card's ``index``-th visible input, or the one whose label contains
        ``label``; for a choice list, pick the option titled ``value``."""
        self.driver.call("fill", value=value, cardText=card_text, index=index, label=label)

    def see(self, text: str, timeout: float = 15) -> bool:
        """Whether ``text`` is visible in the current view (waits up to ``timeout`` seconds)."""
        return self.driver.call("wait_text", text=plain(text), timeout=int(timeout * 1000))["found"]

    def settle(self) -> None:
        self.driver.call("settle")

    # -- reading what the bot sent -------------------------------------------------------------
    def mark(self) -> int:
        return self.driver.call("status")["seq"]

    def messages(self, where: str | None = None, since: int = 0) -> list[Message]:
        answer = self.driver.call("events", since=since)
        prefix = CONVERSATIONS[where] if where else None
        found = [
            Message(seq=e["seq"], action=e["action"], conversation_id=e["conversationId"] or "",
                    message_id=e.get("messageId") or "", text=e.get("text") or "", cards=e.get("cards") or [])
            for e in answer["events"]
        ]
        return [m for m in found if prefix is None or m.conversation_id.split(";")[0] == prefix]

    def invokes(self, since: int = 0) -> list[dict[str, Any]]:
        return self.driver.call("events", since=since)["invokes"]

    def blocked_requests(self) -> list[str]:
        return self.driver.call("status")["blocked"]
