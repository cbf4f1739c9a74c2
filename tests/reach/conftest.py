"""The reach tests' servicedesk without HTTP in front: Tuesday 1 December 2026, 09:00 in Amsterdam,
its channels linked."""

from __future__ import annotations

import pytest

from tests.delivery.desk import close_desk, local, open_desk


@pytest.fixture
async def desk(database_url):
    d = await open_desk(database_url, start=local(2026, 12, 1, 9, 0))
    await d.link_channels()
    yield d
    await close_desk(d)
