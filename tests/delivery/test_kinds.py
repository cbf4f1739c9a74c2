"""Every outbox message kind is a member of ``storage.outbox.Kind`` and has exactly one renderer."""

from __future__ import annotations

import ast
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.delivery import RENDERERS, Undeliverable, render, renders
from sla.policy import load_policy
from storage.agents import KnownAgents
from storage.outbox import ITSM_KINDS, Kind

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app.py", "bot", "cli", "dialogs", "itsm", "reach", "sla", "storage")
NOT_OUTBOX = {"bot/reports/slr.py"}  # "kind" of the report document (slr, scorecard), not a message


def test_every_teams_kind_has_a_renderer_and_no_itsm_kind_has_one():
    assert set(RENDERERS) == set(Kind) - ITSM_KINDS


def test_a_kind_registered_twice_is_refused():
    with pytest.raises(RuntimeError, match="two renderers"):
        renders(Kind.LOW_CSAT)(lambda r: None)


async def test_an_unknown_kind_is_undeliverable_not_a_crash():
    with pytest.raises(Undeliverable, match="unknown message kind 'no_such_kind'"):
        await render(None, {"kind": "no_such_kind"}, now=datetime(2026, 4, 28, 9, 0, tzinfo=timezone.utc), policy=load_policy("halt"), agent_names=KnownAgents())


def _kind_strings(source: str, name: str) -> list[str]:
    """Dict literals that write a message's kind as a string, not as a Kind member."""
    return [
        f"{name}:{value.lineno}: {value.value!r}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Dict)
        for key, value in zip(node.keys, node.values)
        if isinstance(key, ast.Constant) and key.value == "kind" and isinstance(value, ast.Constant)
    ]


def test_no_message_kind_is_written_as_a_string():
    files = [ROOT / p for p in PACKAGES if p.endswith(".py")]
    files += [f for p in PACKAGES if not p.endswith(".py") for f in (ROOT / p).rglob("*.py") if "migrations" not in f.parts]
    found = []
    for path in files:
        name = path.relative_to(ROOT).as_posix()
        if name not in NOT_OUTBOX:
            found += _kind_strings(path.read_text(), name)
    assert not found, "use storage.outbox.Kind:\n" + "\n".join(found)
    assert _kind_strings('payload = {"kind": "ticket_card"}', "x.py") == ["x.py:1: 'ticket_card'"]
