"""A policy edit never silently rewrites a past month (annex §2.2): the versions that were in force
are pinned in the database, and a report or export under a changed one is refused in one line."""

from __future__ import annotations

import asyncio
import re

import pytest

import app as app_module
from sla.policy import POLICY_DIR
from tests.support.databases import sqlite_url
from storage.migrate import upgrade

HALT = (POLICY_DIR / "halt.toml").read_text(encoding="utf-8")


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = sqlite_url(tmp_path)
    upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _policy(tmp_path, monkeypatch, text: str) -> None:
    path = tmp_path / "halt.toml"  # the same name: the organisation edits its own copy in place
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("SLA_POLICY", str(path))


async def _run(*argv: str) -> int:
    return await asyncio.to_thread(app_module.main, list(argv))


async def test_annex_2_2_a_version_that_was_in_force_cannot_change_unseen(database, tmp_path, monkeypatch, capsys):
    _policy(tmp_path, monkeypatch, HALT)
    assert await _run("report", "monthly", "--month", "2026-10") == 0
    capsys.readouterr()
    _policy(tmp_path, monkeypatch, HALT.replace("norm_percent = 95\n", "norm_percent = 90\n", 1))
    assert await _run("report", "monthly", "--month", "2026-10") == 2
    assert await _run("export", "tickets") == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 2
    assert all("halt.toml: version 2026-01-01 changed after it took effect" in line for line in errors), errors
    _policy(tmp_path, monkeypatch, HALT)  # put back as it was: accepted again
    assert await _run("report", "monthly", "--month", "2026-10") == 0


async def test_annex_2_2_a_new_version_cannot_take_effect_before_figures_already_computed(database, tmp_path, monkeypatch, capsys):
    _policy(tmp_path, monkeypatch, HALT)
    assert await _run("report", "monthly", "--month", "2026-10") == 0  # the system clock: end of 2026
    earlier = re.sub(r"^\[", "[earlier.", HALT[HALT.index("[service_window]"):], flags=re.MULTILINE)
    newer = HALT.replace("effective_from = 2026-01-01", "effective_from = 2026-10-01", 1).replace(
        "norm_percent = 95\n", "norm_percent = 97\n", 1)
    _policy(tmp_path, monkeypatch, f"{newer}\n[[earlier]]\neffective_from = 2026-01-01\n{earlier}")
    capsys.readouterr()
    assert await _run("report", "monthly", "--month", "2026-10") == 2
    assert "version 2026-10-01 would take effect before" in capsys.readouterr().err
