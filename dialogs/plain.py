"""A person's words, shown to another person exactly as they were typed: one helper, every surface.

Teams reads text in three ways, and each needs its own treatment (seen in the Agents Playground,
Microsoft's own Teams client and Adaptive Card renderer, and in Microsoft's documentation:
"Text features" of Adaptive Cards, "Format cards in Teams", "Text formatting in bot messages"):

- **Markdown**: a message's text (whatever its ``textFormat``), a card's ``TextBlock`` and a
  ``Fact``'s value. CommonMark with GFM: ``**bold**``, ``_italic_``, ``[link](url)``, lists, code;
  raw HTML such as ``<b>`` is rendered, ``<at>name</at>`` becomes a mention even without an
  entity, and a bare ``https://…``, ``www.…`` or e-mail address becomes a link.
  → :func:`markdown`: every character that starts markup is escaped with a backslash (CommonMark
  shows it literally, and so do Teams and the Playground), list and heading markers at the start
  of a line too, and an address gets an invisible word joiner (U+2060) after its scheme so no
  link is made (a backslash would stay visible inside a link's text).
- **A card's ``TextRun``** (inside a ``RichTextBlock``): no markdown, no HTML, no mentions; but the
  card's date and time functions ``{{DATE(…)}}`` and ``{{TIME(…)}}`` are evaluated here too.
  → :func:`run`: the text as it is, with a word joiner between the two opening braces, which
  is enough for the functions to be shown as typed.
- **Nothing at all**: the command line, a CSV file, a log. → :func:`line`.

All three first drop what no surface should get from a person: control characters (a terminal
reads escape sequences) and the Unicode bidirectional overrides, which could turn the bot's own
words after them around. Both the braces' word joiner and the address's are invisible.

Which to call: text that a bot message or a ``TextBlock``/``Fact`` shows → ``plain.markdown``
(also inside the bot's own sentences: ``f"Reden: {plain.markdown(reason)}"``); a person's text on
a card → a ``plain.run(text)`` element in a ``RichTextBlock``; a report on paper or screen →
``plain.line``. Never put a person's text in a ``TextBlock`` or a message unescaped.
"""

from __future__ import annotations

import re
from typing import Any

# C0 and C1 controls except tab and newline; the bidirectional embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
WORD_JOINER = "\u2060"
# "{{DATE(" and "{{TIME(" are evaluated only with both braces together.
_TEMPLATE = re.compile(r"\{(?=\{)")
# Characters that open or close inline markup anywhere in a line: emphasis, code, strike-through,
# links and images, raw HTML and mentions, entities (&amp;), and the backslash itself.
_INLINE = re.compile(r"([\\`*_~\[\]<>&|])")
# Block markup at the start of a line: headings, lists ("- ", "+ ", "1. ", "1) "), thematic breaks
# and setext underlines ("---", "==="). Quotes (">") and "*" lists are escaped as inline markup.
_LINE_START = re.compile(r"^([ \t]*)([#+\-=])", re.MULTILINE)
_NUMBERED = re.compile(r"^([ \t]*\d+)([.)])", re.MULTILINE)
# What GFM turns into a link without any markup: a scheme with "://", "www.", or an e-mail address.
_AUTOLINK = re.compile(r"(?i)(\b(?:https?|ftp|mailto)(?=:)|\bwww(?=\.)|(?<=[\w.+-])(?=@[\w-]))")


def _clean(value: Any) -> str:
    return _UNSAFE.sub("", "" if value is None else str(value)).replace("\r\n", "\n").replace("\r", "\n")


def line(value: Any) -> str:
    """For text no program interprets (command line, CSV, log): controls and overrides removed."""
    return _clean(value)


def markdown(value: Any) -> str:
    """For a message's text, a ``TextBlock`` or a ``Fact`` value: shown literally, no link made."""
    text = _clean(value)
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    text = _NUMBERED.sub(r"\1\\\2", text)
    text = _AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER, text)
    return _TEMPLATE.sub("{" + WORD_JOINER, text)


def run_text(value: Any) -> str:
    """The text of a ``TextRun``: shown literally, with the card's date and time functions off."""
    return _TEMPLATE.sub("{" + WORD_JOINER, _clean(value))


def run(value: Any, **style: Any) -> dict[str, Any]:
    """A person's words as a card ``TextRun`` (put it in a ``RichTextBlock``'s ``inlines``)."""
    return {"type": "TextRun", "text": run_text(value), **style}
