"""What the conversations need from the rest of the product, passed in (never imported globally)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sla.clock import Clock
from sla.policy import Policy
from storage.db import Database


@dataclass(frozen=True)
class DeskServices:
    database: Database
    policy: Policy
    clock: Clock
    # Called after a transaction that queued outbound messages has committed (wakes the sender).
    after_commit: Callable[[], None] = lambda: None
