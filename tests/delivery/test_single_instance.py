"""On SQLite one bot process serves the database; a second one is refused with a clear message."""

from __future__ import annotations

import pytest

from storage.single_instance import AnotherInstanceRunning
from tests.support.harness import harness_settings, start_harness, stop_harness


async def test_a_second_instance_on_the_same_sqlite_file_is_refused(sqlite_database_url):
    settings = harness_settings(sqlite_database_url)
    first = await start_harness(settings)
    try:
        with pytest.raises(AnotherInstanceRunning, match="SQLite allows one instance.*PostgreSQL"):
            await start_harness(settings)
    finally:
        await stop_harness(first)
    # Once the first has stopped, a new instance starts fine.
    again = await start_harness(settings)
    await stop_harness(again)


async def test_postgres_allows_several_replicas(postgres_database_url):
    settings = harness_settings(postgres_database_url)
    first = await start_harness(settings)
    second = await start_harness(settings)
    await stop_harness(second)
    await stop_harness(first)
