"""A ticket's status: the five it can be in, and which of them count as open.

The one home of these names. The database stores the values (``storage.models`` reads them back
as ``TicketStatus``); everything else compares with the members or the sets below, never with the
strings, so a new status is added here and found by the type checker and ``tests/test_code_rules.py``.
"""

from __future__ import annotations

import enum


class TicketStatus(enum.StrEnum):
    NEW = "nieuw"  # reported, nobody picked it up yet
    PICKED_UP = "opgepakt"  # an agent (or a treatment line's queue) has it
    WAITING = "wacht_op_derde"  # waiting on a third party (party, reason, until when)
    RESOLVED = "opgelost"  # resolved; the reporter may still say "nog niet" and reopen it
    CLOSED = "gesloten"  # closed for good


# Tuples, so they go into SQL ``IN (...)`` as they are.
OPEN_STATUSES: tuple[TicketStatus, ...] = (TicketStatus.NEW, TicketStatus.PICKED_UP, TicketStatus.WAITING)
WORKING_STATUSES: tuple[TicketStatus, ...] = (TicketStatus.PICKED_UP, TicketStatus.WAITING)  # someone works on it
ALL_STATUSES: tuple[TicketStatus, ...] = tuple(TicketStatus)
