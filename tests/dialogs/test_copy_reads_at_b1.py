"""Every text in ``dialogs/texts.py`` is read against B1 and the government's writing guidance
(Rijksoverheid, "Direct duidelijk"): short sentences, "je", active voice, everyday words.

The texts are read from the source, so each sentence is checked once whatever values fill it:
an f-string's values stand in as one word ("X"). A text that breaks a rule fails here with its
line, so the copy stays reviewable as a whole (issue 18) instead of sentence by sentence in the
tests of the screens that show it.

A second test keeps the file honest the other way: a text that no module uses is dead copy (the
next writer would change it and see nothing change), so it fails too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COPY = ROOT / "dialogs" / "texts.py"

# At most this many words in one sentence. B1 writing advice puts the average at about 15 words
# and the ceiling at about 20; a list item or a clause after a colon counts as its own sentence.
MAX_WORDS = 20
# Officialese and the word people trip over, each with the everyday word to use instead.
OFFICIALESE = {
    "middels": "met", "teneinde": "om", "derhalve": "daarom", "alsmede": "en", "dient": "moet",
    "dienen": "moeten", "inzake": "over", "conform": "volgens", "betreffende": "over",
    "omtrent": "over", "indien": "als", "reeds": "al", "gelieve": "wil je", "zulks": "dat",
    "retourneren": "terugsturen", "verstrekken": "geven", "ontvangst": "krijgen",
    "tbv": "voor", "ivm": "door", "mbt": "over", "dmv": "met", "evt": "misschien", "svp": "graag",
}
# "u" and "uw": the bot says "je" to everyone, the servicedesk and regie too. ("3 u 59 min" is the
# hour, after a number or a value.)
FORMAL = re.compile(r"(?<![\dX] )\b(?:u|uw|U|Uw)\b")
# "wordt ... door de servicedesk", "is opgepakt door Anna": passive with its doer named; say who
# does it first ("Anna heeft je melding opgepakt").
PASSIVE = re.compile(
    r"\b(?:wordt|worden|werd|werden)\b[^.!?:]*\bdoor\b"
    r"|\b(?:is|zijn|was|waren)\b[^.!?:]*?\b\w+[dt]\s+door\b",
    re.IGNORECASE,
)
# Two spaces inside a line, or a space before a mark (a nested list's indent is fine).
SPACING = re.compile(r"\S  |\s[,.;:!?](?:\s|$)")


def _texts() -> list[tuple[int, str]]:
    """(line, text) for every string in the copy, values of f-strings shown as "X"."""
    tree = ast.parse(COPY.read_text("utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    in_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    found = []
    for node in ast.walk(tree):
        if id(node) in docstrings or id(node) in in_fstrings:
            continue
        if isinstance(node, ast.JoinedStr):
            found.append((node.lineno, "".join(p.value if isinstance(p, ast.Constant) else "X" for p in node.values)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(r"[a-zA-Z]", node.value):
            found.append((node.lineno, node.value))
    return sorted(found)


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?:;])\s+|(?<=[.!?:;]\*\*)\s+|\n+|^\s*- ", text)
    return [part.strip() for part in parts if part and part.strip()]


def _words(sentence: str) -> list[str]:
    return [w for w in re.split(r"\s+", sentence) if re.search(r"\w", w)]


TEXTS = _texts()


def test_the_copy_is_found():
    assert len(TEXTS) > 300, f"only {len(TEXTS)} texts found in {COPY}: has the copy moved?"


def test_no_sentence_is_longer_than_a_reader_holds():
    long = [
        f"{line}: {len(_words(sentence))} words: {sentence}"
        for line, text in TEXTS
        for sentence in _sentences(text)
        if len(_words(sentence)) > MAX_WORDS
    ]
    assert not long, f"split these (at most {MAX_WORDS} words):\n" + "\n".join(long)


def test_everyone_is_spoken_to_as_je():
    formal = [f"{line}: {text}" for line, text in TEXTS if FORMAL.search(text)]
    assert not formal, "say je, not u:\n" + "\n".join(formal)


def test_no_officialese():
    found = [
        f"{line}: '{word}' (say '{OFFICIALESE[word]}'): {text}"
        for line, text in TEXTS
        for word in re.findall(r"[a-zë]+", text.lower().replace(".", ""))
        if word in OFFICIALESE
    ]
    assert not found, "\n".join(found)


def test_who_does_it_comes_first():
    passive = [f"{line}: {text}" for line, text in TEXTS if PASSIVE.search(text)]
    assert not passive, "write it active (the servicedesk does X, not X is done by ...):\n" + "\n".join(passive)


def test_no_stray_spaces():
    found = [f"{line}: {text!r}" for line, text in TEXTS if SPACING.search(text)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Uw melding is ontvangen.", test_everyone_is_spoken_to_as_je),
        ("Kunt u ons bellen?", test_everyone_is_spoken_to_as_je),
        ("Je melding wordt door de servicedesk opgepakt.", test_who_does_it_comes_first),
        ("Je melding is opgepakt door X.", test_who_does_it_comes_first),
        ("Indien het niet lukt, bel ons.", test_no_officialese),
        ("Dit is een zin met heel veel woorden die maar door blijft gaan zonder punt of komma tot de lezer het spoor kwijt is.", test_no_sentence_is_longer_than_a_reader_holds),
        ("Klaar .", test_no_stray_spaces),
    ],
)
def test_each_rule_catches_what_it_is_for(monkeypatch, text, rule):
    monkeypatch.setitem(globals(), "TEXTS", [(1, text)])
    with pytest.raises(AssertionError):
        rule()


def _public_names() -> list[str]:
    tree = ast.parse(COPY.read_text("utf-8"))
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return [n for n in names if not n.startswith("_")]


def test_every_text_is_used_by_the_product():
    files = [ROOT / "app.py", *(ROOT / "bot" / "reports" / "templates").glob("*.j2")]  # templates: texts.X
    files += [p for package in ("bot", "cli", "dialogs", "itsm") for p in (ROOT / package).rglob("*.py") if p != COPY]
    sources = " ".join(p.read_text("utf-8") for p in files)
    used = set(re.findall(r"\w+", sources))
    in_copy = re.findall(r"\w+", COPY.read_text("utf-8"))  # used by another text: named twice or more
    unused = [name for name in _public_names() if name not in used and in_copy.count(name) < 2]
    assert not unused, f"texts no module uses (delete them; git remembers): {unused}"
