"""Database faults answer clearly and lose nothing: a connection the server closed is replaced
without failing the request; a database that cannot be written (read-only, locked by another
process) answers 503 with one clear log line, and ``/readyz`` says so."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

import app as app_module
from dialogs import texts
from tests.support.databases import _admin_connection
from tests.support.harness import harness_settings, start_harness, stop_harness

HELP_LINE = texts.HELP.splitlines()[0]


@pytest.mark.postgres
async def test_a_connection_the_server_closed_is_replaced_without_failing_the_request(postgres_database_url):
    h = await start_harness(harness_settings(postgres_database_url))
    try:
        assert await h.say("hallo") == 200  # the pools now hold open connections
        name = make_url(postgres_database_url).database
        admin = await _admin_connection()
        try:  # the server closes them all: a restart, a failover, an idle-session timeout
            closed = await admin.fetchval(  # waits (up to 5 s) until each is gone
                "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE datname = $1", name
            )
        finally:
            await admin.close()
        assert closed >= 1
        assert await h.say("help") == 200
        assert h.replies_to_employee()[-1].startswith(HELP_LINE)
    finally:
        await stop_harness(h)


def _chattr(flag: str, paths) -> bool:
    """Make files immutable (``+i``) or not: read-only even for root, as a read-only volume is."""
    import shutil
    import subprocess

    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True).returncode == 0


async def test_a_database_that_cannot_be_written_answers_503_with_one_clear_line_and_readyz_says_so(sqlite_database_url, caplog):
    from pathlib import Path

    path = Path(make_url(sqlite_database_url).database)
    h = await start_harness(harness_settings(sqlite_database_url))
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    try:
        assert await h.say("hallo") == 200
        if not _chattr("+i", [f for f in files if f.exists()]):
            pytest.skip("chattr +i is not possible here (needs root and a file system with attributes)")
        caplog.clear()
        assert await h.say("help") == 503  # Teams delivers it again later; the process lives on
        lines = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
        assert len(lines) == 1 and "cannot be written" in lines[0] and not caplog.records[-1].exc_info
        response = await h.client.get("/readyz")
        body = await response.json()
        assert response.status == 503 and body["database"].startswith("read-only")
    finally:
        _chattr("-i", [f for f in files if f.exists()])
    try:
        assert await h.say("help") == 200  # writable again: served, no restart needed
        assert h.replies_to_employee()[-1].startswith(HELP_LINE)
        assert (await h.client.get("/readyz")).status == 200
    finally:
        await stop_harness(h)


async def test_readyz_says_not_ready_while_another_process_holds_the_write_lock(sqlite_database_url):
    import sqlite3
    from pathlib import Path

    h = await start_harness(harness_settings(sqlite_database_url))
    other = sqlite3.connect(Path(make_url(sqlite_database_url).database), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # an operator's tool holds the write lock
        response = await h.client.get("/readyz")
        body = await response.json()
        assert response.status == 503 and body["database"] == "locked by another process"
        other.execute("ROLLBACK")
        assert (await h.client.get("/readyz")).status == 200
    finally:
        other.close()
        await stop_harness(h)
