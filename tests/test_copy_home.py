"""One home for Dutch copy: every sentence, label and button title that a person reads in Teams or
in a report is written in ``dialogs/texts.py``, and nowhere else.

Why a test: copy written in a card builder is missed by the B1 review (issue 18), drifts from the
same sentence elsewhere, and cannot be changed by someone who only knows where the copy lives.

What counts as copy, found in the source tree (not by running it):
- a string with a word that is Dutch and not English ("de", "niet", "melding", ...), unless it is
  an operator's line (a log call, an exception's message) or a word people *type* (the recogniser's
  vocabulary in ``dialogs/recognize.py``);
- any string with letters given to an Adaptive Card's text-bearing key (``text``, ``title``,
  ``label``, ``placeholder``, ``altText``, ``fallbackText``, ``errorMessage``), even one word
  ("Oppakken").

The command line (``cli``) speaks English to operators; where it names a Dutch word people type
("wacht op derde", "koppel dit kanaal") it quotes vocabulary, so it is not read here.

The layers below ``dialogs`` (``sla``, ``storage``, ``reach``) cannot import the copy: they hand up
codes or enums, and the layer that shows them finds the words in ``dialogs/texts.py``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COPY = "dialogs/texts.py"
# Words people type, not words they read: the recogniser's vocabulary.
VOCABULARY = {"dialogs/recognize.py"}
PACKAGES = ("bot", "dialogs", "itsm", "reach", "sla", "storage")

# Dutch words that are not (common) English words: one of them in a string makes it Dutch copy.
DUTCH = frozenset(
    """
    de het een je jij jouw niet geen nog van met voor naar bij door wat wie hoe waar wanneer kan kun
    kunt wordt worden zijn heeft hebben dit deze dat ook om te tot uit aan op en er al maar dan als
    weer nu wel klaar gehaald gemist norm melding meldingen melder storing opgelost opgepakt wacht
    prioriteit eigenaar kies datum derde partij niemand vastgesteld afgesloten oorzaak binnen maand
    maanden keer gemiddeld tevredenheid rapport knop kaart nieuwe nieuw oppakken hervat
    uur dagen minuten laat vandaag morgen gisteren
    """.split()
)
CARD_TEXT_KEYS = frozenset({"text", "title", "label", "placeholder", "altText", "fallbackText", "errorMessage"})
OPERATOR_CALLS = frozenset({"debug", "info", "warning", "error", "exception", "critical", "log"})
# A pattern for what people type is vocabulary, not copy.
PATTERN_CALLS = frozenset({"compile", "match", "fullmatch", "search", "sub", "findall", "finditer", "split"})


def _sources() -> list[str]:
    files = [ROOT / "app.py"]
    for package in PACKAGES:
        files += [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]
    names = [p.relative_to(ROOT).as_posix() for p in files]
    return sorted(n for n in names if n != COPY and n not in VOCABULARY)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def _operator_lines(tree: ast.AST) -> set[int]:
    """Strings inside a log call or a raised exception (English for operators) and regular
    expressions (what people type): not copy."""
    found = set()
    for node in ast.walk(tree):
        roots: list[ast.AST] = []
        if isinstance(node, ast.Raise) and node.exc is not None:
            roots.append(node.exc)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in OPERATOR_CALLS:
            roots.extend(node.args)
        elif (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in PATTERN_CALLS
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
        ):
            roots.extend(node.args[:1])
        for root in roots:
            found |= {id(inner) for inner in ast.walk(root)}
    return found


def _card_text_values(tree: ast.AST) -> set[int]:
    return {
        id(value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict)
        for key, value in zip(node.keys, node.values)
        if isinstance(key, ast.Constant) and key.value in CARD_TEXT_KEYS
    }


def copy_outside_home(source: str, name: str) -> list[str]:
    """Every piece of Dutch copy in ``source``, as "file:line: text"."""
    tree = ast.parse(source, filename=name)
    skip = _docstrings(tree) | _operator_lines(tree)
    card_text = _card_text_values(tree)
    in_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    found = []
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in in_fstrings:
            continue
        if isinstance(node, ast.JoinedStr):  # f"{n} van {total}": the words around the values
            text = "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        words = {word.strip(".,:;!?()*`'\"").lower() for word in text.split()}
        if (len(text.split()) >= 2 and words & DUTCH) or (id(node) in card_text and re.search(r"[A-Za-zà-ÿ]{2}", text)):
            found.append((node.lineno, node.col_offset, f"{name}:{node.lineno}: {text[:70]!r}"))
    return [line for *_, line in sorted(found)]


@pytest.mark.parametrize("name", _sources())
def test_dutch_copy_lives_in_texts(name):
    found = copy_outside_home((ROOT / name).read_text("utf-8"), name)
    assert not found, f"move these to {COPY} (or say in this test why they are not copy):\n" + "\n".join(found)


def test_the_rule_sees_copy_but_not_operator_lines_or_identifiers():
    snippet = (
        'log.warning("could not reach the database: %s", error)\n'
        'raise ValueError("no description of the workaround")\n'
        'VERB = "oppakken"\n'
        'card = {"type": "TextBlock", "text": "Oppakken", "color": "Attention"}\n'
        'NOTE = "Neem contact op met de melder."\n'
        'IN_NOTE = "notitie_tekst"\n'
        'line = f"{done} van {total} klaar"\n'
        'KEY = "norm_percent"\n'
        'STOP = re.compile(r"^(?:stop|laat maar)$")\n'
    )
    assert copy_outside_home(snippet, "bot/x.py") == [
        "bot/x.py:4: 'Oppakken'",
        "bot/x.py:5: 'Neem contact op met de melder.'",
        "bot/x.py:7: '{} van {} klaar'",
    ]
