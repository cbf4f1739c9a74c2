"""Shared fixtures: databases (SQLite and PostgreSQL), the stub connector, the bot harness."""

from __future__ import annotations

from contextlib import asynccontextmanager

import pytest

from storage.migrate import upgrade
from tests.support.databases import create_postgres_database, drop_postgres_database, sqlite_url


@pytest.fixture
async def sqlite_database_url(tmp_path):
    url = sqlite_url(tmp_path)
    upgrade(url)
    return url


@asynccontextmanager
async def _postgres_database():
    """A migrated PostgreSQL database of this test's own, dropped afterwards."""
    url, name = await create_postgres_database()
    try:
        upgrade(url)
        yield url
    finally:
        await drop_postgres_database(name)


@pytest.fixture
async def postgres_database_url():
    async with _postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request, tmp_path):
    """Runs the test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path)
        upgrade(url)
        yield url
        return
    async with _postgres_database() as url:
        yield url

