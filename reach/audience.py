"""Who a campaign reaches: everyone, a location, a team, or the people of a known outage.

Each audience is one SQL ``SELECT`` of Entra object ids, so the recipients of a campaign of 50,000
are written with one ``INSERT … SELECT`` and never pass through Python. "Everyone" is everyone in
the directory import plus everyone who ever talked to the bot (a person not in the directory yet
is still an employee the bot can reach). Location and team come from the directory alone, compared
without regard to case. An outage's people are its reporter, the reporters of the reports linked to
it, and its followers (``ticket_followers``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select, union

from reach.enums import Audience
from storage import refs
from storage.models import ConversationRef, DirectoryEmployee, Ticket, TicketFollower


@dataclass(frozen=True)
class Target:
    """An audience as the servicedesk chose it; stored on the campaign as JSON
    (``{"who": "team", "value": "Noord"}``)."""

    kind: Audience
    value: str = ""  # the location's or team's name, or the outage's ticket id

    def as_json(self) -> dict[str, Any]:
        return {"who": self.kind.value, "value": self.value}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "Target":
        return cls(Audience(raw["who"]), str(raw.get("value") or ""))


def object_ids(target: Target) -> Select:
    """One column, ``object_id``: the employees of ``target`` (each once)."""
    if target.kind is Audience.EVERYONE:
        return union(
            select(DirectoryEmployee.object_id.label("object_id")),
            select(ConversationRef.key.label("object_id")).where(ConversationRef.kind == refs.USER),
        ).subquery().select()
    if target.kind is Audience.LOCATION:
        return select(DirectoryEmployee.object_id).where(func.lower(DirectoryEmployee.location) == target.value.strip().lower())
    if target.kind is Audience.TEAM:
        return select(DirectoryEmployee.object_id).where(func.lower(DirectoryEmployee.team) == target.value.strip().lower())
    ticket_id = int(target.value)
    return union(
        select(Ticket.reporter_id.label("object_id")).where(
            or_(Ticket.id == ticket_id, Ticket.linked_to_ticket_id == ticket_id), Ticket.reporter_id != ""
        ),
        select(TicketFollower.user_id.label("object_id")).where(TicketFollower.ticket_id == ticket_id),
    ).subquery().select()


def without(ids: Select, exclude: Select | None) -> Select:
    """``ids`` minus the object ids ``exclude`` selects (e.g. the survey's opt-outs)."""
    if exclude is None:
        return ids
    inner = ids.subquery()
    return select(inner.c.object_id).where(inner.c.object_id.not_in(exclude))

