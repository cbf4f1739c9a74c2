"""Who the agents are: the names of those who acted on tickets lately (the hand-over choices),
cached per process, and the treatment lines they work in."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Mapping

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sla import events as ev
from sla.fold import FIRST_LINE
from storage.models import TicketEventRow


async def known_agents(session: AsyncSession, *, limit: int = 500) -> dict[str, str]:
    """Object id -> name of people who acted on tickets recently (the hand-over choices)."""
    rows = await session.execute(
        select(TicketEventRow.actor_id, TicketEventRow.data)
        .where(TicketEventRow.kind.in_(
            (ev.ACKNOWLEDGED, ev.REACTION, ev.AGENT_UPDATE, ev.RESOLVED, ev.HANDED_OVER, ev.PAUSED, ev.WORKAROUND)
        ))
        .order_by(TicketEventRow.id.desc())
        .limit(limit)
    )
    names: dict[str, str] = {}
    for actor_id, data in rows:
        data = data or {}
        if actor_id and data.get("agent_name") and actor_id not in names:
            names[actor_id] = data["agent_name"]
        if data.get("to_agent") and data.get("to_name") and data["to_agent"] not in names:
            names[data["to_agent"]] = data["to_name"]
    return names


@dataclass(frozen=True)
class Lines:
    """The treatment lines beyond the servicedesk (the first line): the agents of each, by Entra
    object id (lower case). An agent in none of them works in the first line."""

    agents: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def line_of(self, object_id: str | None) -> str:
        key = (object_id or "").lower()
        return next((line for line, ids in sorted(self.agents.items()) if key in ids), FIRST_LINE)

    @property
    def queues(self) -> tuple[str, ...]:
        """The lines a ticket can be handed to: the servicedesk, and every line with agents."""
        return (FIRST_LINE, *sorted(line for line, ids in self.agents.items() if ids))

    def __contains__(self, object_id: object) -> bool:
        return isinstance(object_id, str) and any(object_id.lower() in ids for ids in self.agents.values())


class KnownAgents:
    """``known_agents``, read at most once per ``ttl`` seconds: only an optimisation.

    Every ticket card lists the agents to hand over to, and drawing one read the last 500 agent
    events and decoded their JSON: two draws per click on a card (the answer and the redraw for
    everyone), about a sixth of an acknowledge's CPU (bench/turns.py). An agent acting through
    this process is in the list at once (``saw``); one who acted through another replica shows up
    in the hand-over choices within ``ttl``. Who may receive a ticket is checked against the
    configured agents at the click, never against this list.
    """

    def __init__(
        self, *, ttl: float = 60.0, monotonic: Callable[[], float] = time.monotonic, lines: Lines = Lines()
    ) -> None:
        self.lines = lines  # each agent's treatment line, for the hand-over choices
        self._ttl = ttl
        self._monotonic = monotonic
        self._names: dict[str, str] | None = None
        self._read_at = 0.0

    async def get(self, session: AsyncSession) -> dict[str, str]:
        if self._names is None or self._monotonic() - self._read_at >= self._ttl:
            self._names = await known_agents(session)
            self._read_at = self._monotonic()
        return dict(self._names)

    def saw(self, agent_id: str, name: str) -> None:
        """An agent acted through this process: in the list at once, not after the next read."""
        if self._names is not None and agent_id not in self._names:
            self._names[agent_id] = name
