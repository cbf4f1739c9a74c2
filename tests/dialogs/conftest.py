"""Fixtures for the dialog tests: a migrated SQLite database, frozen time, transcripts.

Transcripts: ``WRITE_TRANSCRIPTS=1 .venv/bin/python -m pytest tests/dialogs -q`` writes what each
path's employee read to ``docs/transcripts/<test name>.md`` (see docs/transcripts/README.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sla.clock import FixedClock
from storage.db import open_database
from storage.migrate import upgrade
from tests.dialogs.chat import START, Chat, Transcript, make_services
from tests.support.databases import sqlite_url

TRANSCRIPTS = Path(__file__).resolve().parents[2] / "docs" / "transcripts"


@pytest.fixture
async def database(tmp_path):
    own = tmp_path / "dialogs"  # not the file the HTTP harness fixtures use in the same test
    own.mkdir()
    url = sqlite_url(own)
    upgrade(url)
    db = open_database(url)
    yield db
    await db.dispose()


@pytest.fixture
def clock():
    return FixedClock(START)


@pytest.fixture
def services(database, clock):
    return make_services(database, clock)


@pytest.fixture
def transcript(request):
    doc = request.node.get_closest_marker("transcript")
    title = doc.args[0] if doc else request.node.name
    recorded = Transcript(title)
    yield recorded
    if doc and os.environ.get("WRITE_TRANSCRIPTS") == "1":
        TRANSCRIPTS.mkdir(parents=True, exist_ok=True)
        name = request.node.name.removeprefix("test_")
        (TRANSCRIPTS / f"{name}.md").write_text(recorded.markdown(), encoding="utf-8")


@pytest.fixture
def chat(services, transcript):
    return Chat(services, transcript=transcript)


def pytest_configure(config):
    config.addinivalue_line("markers", "transcript(title): write this path's transcript to docs/transcripts/")
