"""Shared fixtures: databases (SQLite and PostgreSQL), the stub connector, the bot harness."""

from __future__ import annotations

import pytest

from storage.migrate import upgrade
from tests.support.databases import create_postgres_database, drop_postgres_database, sqlite_url


@pytest.fixture
async def sqlite_database_url(tmp_path):
    url = sqlite_url(tmp_path)
    upgrade(url)
    return url


@pytest.fixture
async def postgres_database_url():
    url, name = await create_postgres_database()
    try:
        upgrade(url)
        yield url
    finally:
        await drop_postgres_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request, tmp_path):
    """Runs the test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path)
        upgrade(url)
        yield url
        return
    url, name = await create_postgres_database()
    try:
        upgrade(url)
        yield url
    finally:
        await drop_postgres_database(name)
