"""Recognising typed answers in Dutch: pure functions, no SDK.

Employees type on phones, in a hurry: "Ja!", "jazeker", "klopt", "nee hoor", "2", "laptop".
The Teams client's locale does not matter: answers are always read as Dutch (an English client
still gets Dutch questions, and "yes"/"no" are accepted as a courtesy).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

_YES = {
    "ja", "jazeker", "jawel", "zeker", "klopt", "correct", "inderdaad", "yes", "yep", "jep", "j", "y",
    "ok", "oke", "okay", "prima", "akkoord", "graag", "natuurlijk", "uiteraard", "absoluut",
}
_NO = {"nee", "neen", "nope", "no", "n", "niet", "neuh", "nah", "geen", "nooit"}
_NO_PHRASES = ("helaas niet", "nog niet", "zeker niet", "niet echt", "absoluut niet", "liever niet")


def normalise(text: str | None) -> str:
    """Lower case, accents folded, punctuation and emoji dropped, single spaces."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = re.sub(r"[^a-z0-9@+ ]+", " ", folded)
    return " ".join(folded.split())


def yes_no(text: str | None) -> bool | None:
    """True for yes, False for no, None when it is neither (then we ask again)."""
    words = normalise(text)
    if not words:
        return None
    if any(phrase in words for phrase in _NO_PHRASES):
        return False
    tokens = words.split()
    if tokens[0] in _NO:
        return False
    if tokens[0] in _YES:
        return True
    return None


@dataclass(frozen=True)
class Choice:
    value: str
    title: str
    synonyms: tuple[str, ...] = ()


def choice(text: str | None, choices: Sequence[Choice]) -> str | None:
    """The chosen value: by number ("2"), by title, or by a synonym contained in the answer."""
    words = normalise(text)
    if not words:
        return None
    if words.isdigit():
        index = int(words) - 1
        return choices[index].value if 0 <= index < len(choices) else None
    for option in choices:
        if words in (normalise(option.title), normalise(option.value)):
            return option.value
    matches = [
        option.value
        for option in choices
        if any(re.search(rf"\b{re.escape(normalise(s))}\b", words) for s in (option.title, *option.synonyms) if normalise(s))
    ]
    return matches[0] if len(set(matches)) == 1 else None


_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{7,18}[0-9]$")


def phone_number(text: str | None) -> str | None:
    """A phone number as typed (Dutch mobile, landline or international), cleaned of spaces."""
    if not text:
        return None
    candidate = text.strip()
    if not _PHONE.match(candidate):
        return None
    digits = re.sub(r"[^0-9+]", "", candidate)
    return digits if 10 <= len(digits.lstrip("+")) <= 15 else None
