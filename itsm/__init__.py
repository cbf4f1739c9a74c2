"""The supplier's ticket system (TOPdesk first): one interface (``itsm.base``), its implementations,
the organisation's mapping file and the sync service. Only the composition root chooses a system.

Layering: ``sla`` ← ``storage`` ← ``dialogs`` ← ``itsm`` ← ``bot`` ← ``app``.
"""

from __future__ import annotations

import aiohttp

from itsm.base import TicketSystem
from itsm.mapping import Mapping
from itsm.servicenow import ServiceNow
from itsm.topdesk import Topdesk


def connect(
    backend: str, *, session: aiohttp.ClientSession, url: str, user: str, password: str, mapping: Mapping,
    timeout: float,
) -> TicketSystem:
    """The ticket system ``backend`` names ("topdesk", "servicenow")."""
    if backend == "servicenow":
        return ServiceNow(session=session, url=url, user=user, password=password, mapping=mapping, timeout=timeout)
    if backend == "topdesk":
        return Topdesk(session=session, url=url, user=user, app_password=password, mapping=mapping, timeout=timeout)
    raise ValueError(f"no ticket system called {backend!r}")
