"""Shared helpers: policies loaded once, and local Amsterdam times written as people read them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sla.policy import load_policy

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
