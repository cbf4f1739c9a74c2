"""The agents' names for the hand-over choices: read once a minute, newcomers here at once."""

from __future__ import annotations

from storage.agents import KnownAgents


class _Session:
    """Stands in for a database session: counts the reads ``known_agents`` would make."""


async def test_names_are_read_once_per_minute_and_an_agent_acting_here_is_in_at_once(monkeypatch):
    reads: list[int] = []
    stored = {"agent-1": "Ahmet Yilmaz"}

    async def read(session, *, limit: int = 500):
        reads.append(1)
        return dict(stored)

    monkeypatch.setattr("storage.agents.known_agents", read)
    now = [0.0]
    names = KnownAgents(ttl=60.0, monotonic=lambda: now[0])

    assert await names.get(_Session()) == {"agent-1": "Ahmet Yilmaz"}
    names.saw("agent-2", "Eva Jansen")  # Eva acted through this process
    now[0] = 59.0
    assert await names.get(_Session()) == {"agent-1": "Ahmet Yilmaz", "agent-2": "Eva Jansen"}
    assert len(reads) == 1

    stored["agent-3"] = "Joost Bakker"  # acted through another replica
    now[0] = 60.0
    assert "agent-3" in await names.get(_Session())
    assert len(reads) == 2


async def test_a_caller_changing_its_copy_does_not_change_the_list(monkeypatch):
    async def read(session, *, limit: int = 500):
        return {"agent-1": "Ahmet Yilmaz"}

    monkeypatch.setattr("storage.agents.known_agents", read)
    names = KnownAgents(monotonic=lambda: 0.0)
    copy = await names.get(_Session())
    copy.clear()
    assert await names.get(_Session()) == {"agent-1": "Ahmet Yilmaz"}
