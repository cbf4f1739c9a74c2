"""Test databases: a fresh SQLite file, or a PostgreSQL database created and dropped per test.

PostgreSQL comes from ``TEST_POSTGRES_URL`` (default: the local server with trust auth). When it
cannot be reached the test is skipped with the reason, never passed silently; with
``REQUIRE_POSTGRES=1`` (set by CI) an unreachable server fails the run instead.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_admin_url() -> str:
    return os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


async def _admin_connection():
    import asyncpg

    url = postgres_admin_url()
    try:
        return await asyncpg.connect(url, timeout=3)
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
        message = f"PostgreSQL not reachable at {url} ({type(error).__name__}: {error})"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(message + " and REQUIRE_POSTGRES=1")
        pytest.skip(message)


async def create_postgres_database() -> tuple[str, str]:
    """Create an empty database; returns (its URL, its name)."""
    name = f"sdtest_{uuid.uuid4().hex[:12]}"
    connection = await _admin_connection()
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    base = postgres_admin_url().rsplit("/", 1)[0]
    return f"{base}/{name}", name


async def drop_postgres_database(name: str) -> None:
    connection = await _admin_connection()
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'servicedesk-test.sqlite3'}"
