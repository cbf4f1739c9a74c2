"""Shared helpers: policies loaded once, and local Amsterdam times written as people read them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sla.policy import POLICY_DIR, load_policy

AMS = ZoneInfo("Europe/Amsterdam")


def at(text: str) -> datetime:
    """'2026-03-02 10:17' as an aware Europe/Amsterdam datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=AMS)


@pytest.fixture(scope="session")
def halt():
    return load_policy("halt")


@pytest.fixture(scope="session")
def sib():
    return load_policy("sib")


@pytest.fixture(scope="session")
def pausing_path(tmp_path_factory) -> str:
    """An organisation's own policy file (SLA_POLICY=path): halt's numbers, but a wait on a third
    party stops the resolution clock. The shipped policies stop no resolution clock for a wait."""
    text = (POLICY_DIR / "halt.toml").read_text(encoding="utf-8").replace("stops = []", 'stops = ["resolution"]', 1)
    path = tmp_path_factory.mktemp("policies") / "halt-pausing.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture(scope="session")
def pausing(pausing_path):
    return load_policy(pausing_path)
