"""Rules of the code itself, checked over the whole source tree: one place per rule.

- The import graph has no cycle, and the layers point one way (DESIGN.md: sla <- storage <-
  dialogs <- bot; ``reach`` between storage and dialogs; the connector to the supplier's ticket
  system, ``itsm``, sits between dialogs and bot; the command line on top). Read with grimp, which parses every import, lazy ones too.
- A ticket's status is written as ``sla.status.TicketStatus``, never as its string.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

from sla.status import TicketStatus

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "cli", "dialogs", "itsm", "reach", "sla", "storage", "manifests")
# Highest first: a package may import the ones below it, never one above. ``reach`` (one message
# to many employees) is a domain on top of storage that the conversations and the bot use.
LAYERS = ("cli", "bot", "itsm", "dialogs", "reach", "storage", "sla")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True)


def test_no_module_imports_itself_through_others(graph):
    cycles = set()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back:
                cycles.add(" -> ".join((module, *back)))
    assert not cycles, "import cycles:\n" + "\n".join(sorted(cycles))


def test_layers_point_one_way(graph):
    illegal = graph.find_illegal_dependencies_for_layers(layers=LAYERS)
    found = [
        f"{dep.importer} -> {dep.imported}: " + "; ".join(" -> ".join(route.heads | route.tails) for route in dep.routes)
        for dep in illegal
    ]
    assert not found, "imports against the layers:\n" + "\n".join(found)


def test_the_domain_imports_no_framework():
    allowed = {"holidays"}  # the holiday dates the policies name (pinned in pyproject.toml)
    graph = grimp.build_graph("sla", include_external_packages=True)
    external = {m for m in graph.modules if not m.startswith("sla")}
    assert external <= allowed | set(_stdlib()), sorted(external - allowed - set(_stdlib()))


def _stdlib() -> frozenset[str]:
    import sys

    return frozenset(sys.stdlib_module_names)


# -- statuses --------------------------------------------------------------------------------------
STATUS_VALUES = frozenset(status.value for status in TicketStatus)
# Where a status's string stands for something else, said once here with the reason.
NOT_A_STATUS = {
    "dialogs/recognize.py": {"nieuw"},  # a word an employee types to start a report
    "bot/cards.py": {"opgelost"},  # the card's verb (VERB_RESOLVE), the button's data
}
COPY = "dialogs/texts.py"  # Dutch copy may say "opgelost"; a key of it may not be a status's string


def _sources() -> list[Path]:
    files = [ROOT / "app.py"]
    for package in (*PACKAGES, "bench"):
        files += [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]
    return [p for p in files if p != ROOT / "sla" / "status.py"]


def _dict_values(tree: ast.AST) -> set[int]:
    return {id(value) for node in ast.walk(tree) if isinstance(node, ast.Dict) for value in node.values}


def _status_strings(source: str, name: str) -> list[str]:
    tree = ast.parse(source, filename=name)
    copy_values = _dict_values(tree) if name == COPY else set()
    return [
        f"{name}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in STATUS_VALUES
        and node.value not in NOT_A_STATUS.get(name, ()) and id(node) not in copy_values
    ]


def test_no_status_is_written_as_a_string():
    found = [line for path in _sources() for line in _status_strings(path.read_text(), path.relative_to(ROOT).as_posix())]
    assert not found, "use sla.status.TicketStatus:\n" + "\n".join(found)


def test_the_rule_sees_a_status_string_but_not_copy():
    snippet = 'if ticket.status == "opgepakt":\n    LABELS = {"gesloten": "gesloten"}\n'
    assert _status_strings(snippet, "storage/x.py") == ["storage/x.py:1: 'opgepakt'", "storage/x.py:2: 'gesloten'", "storage/x.py:2: 'gesloten'"]
    assert _status_strings(snippet, COPY) == [f"{COPY}:1: 'opgepakt'", f"{COPY}:2: 'gesloten'"]
