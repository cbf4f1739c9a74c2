"""What a Teams client shows of a message or a card: the tests' model of a person reading it.

Built from what Microsoft's own client does (the Agents Playground, see ``dialogs/plain.py``):

- a message's text, a ``TextBlock`` and a ``Fact`` are CommonMark with GFM (markdown-it's
  "gfm-like" preset: tables, strike-through, autolinks), raw HTML rendered, ``<at>`` a mention;
  an address is a link with a scheme (``https://``), ``www.`` or as an e-mail address, as GFM's
  autolink literals;
- a ``TextRun`` is text as it is;
- on a card, ``{{DATE(…)}}`` and ``{{TIME(…)}}`` are evaluated (the renderer's own pattern).

``Shown.text`` is what the person reads (whitespace collapsed, invisible word joiners gone);
``links``, ``mentions``, ``markup`` and ``functions`` are what the client made of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Iterable

from markdown_it import MarkdownIt

from tests.support.cards import objects_in

_MARKDOWN = MarkdownIt("gfm-like", {"html": True})
_MARKDOWN.linkify.set({"fuzzy_link": False})  # GFM: a bare "halt.nl" is no link, "www.halt.nl" is
_GFM_WWW = re.compile(r"(?<![\w.\-])www\.[\w\-]")
# The Adaptive Cards renderer's pattern for its date and time functions (adaptivecards 3.0.6).
CARD_FUNCTION = re.compile(
    r"\{\{(DATE|TIME)\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[-+]\d{2}:?\d{2})(?:, ?(?:COMPACT|LONG|SHORT))?\)\}\}"
)
_INVISIBLE = "\u2060"
_FORMATTING = {"strong", "b", "em", "i", "code", "pre", "s", "del", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "img", "hr"}


@dataclass
class Shown:
    text: str = ""
    links: list[str] = field(default_factory=list)
    mentions: int = 0
    markup: list[str] = field(default_factory=list)
    functions: int = 0

    def __add__(self, other: "Shown") -> "Shown":
        return Shown(
            " ".join(t for t in (self.text, other.text) if t),
            self.links + other.links, self.mentions + other.mentions, self.markup + other.markup,
            self.functions + other.functions,
        )

    def shows_literally(self, words: str) -> bool:
        """``words`` are read exactly as typed, and nothing in the text became a link or a mention."""
        return _collapse(words) in self.text and not self.links and not self.mentions and not self.functions


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.shown = Shown()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.shown.links.append(dict(attrs).get("href") or "")
        elif tag == "at":
            self.shown.mentions += 1
        elif tag in _FORMATTING:
            self.shown.markup.append(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _collapse(text: str) -> str:
    return " ".join(text.replace(_INVISIBLE, "").split())


def markdown(text: str, *, card: bool = False) -> Shown:
    """A message's text (``card=False``) or a card's ``TextBlock``/``Fact`` text."""
    functions = len(CARD_FUNCTION.findall(text)) if card else 0
    reader = _Reader()
    reader.feed(_MARKDOWN.render(text))
    reader.close()
    shown = reader.shown
    shown.text = _collapse(" ".join(reader.parts))
    shown.links += _GFM_WWW.findall(" ".join(reader.parts))  # GFM links "www." where linkify-it does not
    shown.functions = functions
    return shown


def run(text: str) -> Shown:
    """A card's ``TextRun``: no markdown, but the date and time functions."""
    return Shown(text=_collapse(text), functions=len(CARD_FUNCTION.findall(text)))


def card(content: dict[str, Any]) -> Shown:
    """Everything a person reads on an Adaptive Card (buttons and their forms included)."""
    shown = Shown()
    for element in _elements(content):
        kind = element.get("type")
        if kind == "TextBlock":
            shown += markdown(element.get("text", ""), card=True)
        elif kind == "TextRun":
            shown += run(element.get("text", ""))
        elif kind == "FactSet":
            for fact in element.get("facts", []):
                shown += markdown(fact.get("title", ""), card=True) + markdown(fact.get("value", ""), card=True)
    return shown


def message(body: dict[str, Any]) -> Shown:
    """A bot message as the stub connector received it: its text and its cards."""
    shown = markdown(body.get("text") or "")
    for attachment in body.get("attachments") or []:
        if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
            shown += card(attachment.get("content") or {})
    return shown


def _elements(node: Any) -> Iterable[dict[str, Any]]:
    """Every card element and action, in order (the JSON objects with a ``type``)."""
    return (element for element in objects_in(node) if "type" in element)
