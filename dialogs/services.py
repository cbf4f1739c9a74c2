"""What the conversations need from the rest of the product, passed in (never imported globally)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from reach.service import Options as ReachOptions
from sla.clock import Clock
from sla.policy import Policy
from storage.agents import KnownAgents
from storage.db import Database


@dataclass(frozen=True)
class DeskServices:
    database: Database
    policy: Policy
    clock: Clock
    # Called after a transaction that queued outbound messages has committed (wakes the sender).
    after_commit: Callable[[], None] = lambda: None
    # Abuse limit: at most this many new tickets per reporter per hour (a clear Dutch answer after).
    max_tickets_per_hour: int = 10
    # A half-finished intake older than this is dropped politely at the next message.
    intake_idle_minutes: int = 120
    # The agents' names for the hand-over choices on ticket cards (read at most once a minute).
    agent_names: KnownAgents = field(default_factory=KnownAgents)
    # Entra object ids of the privacy officer(s), told personally at once of a data breach.
    privacy_officers: frozenset[str] = frozenset()
    # Announcements to many employees: their pace and the weekly maximum (REACH_PER_SECOND, MAX_NOTICES_PER_WEEK).
    reach: ReachOptions = ReachOptions()
