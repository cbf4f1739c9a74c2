"""Helpers for the servicedesk tests: tickets straight into the database, clicks over HTTP."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

import app as app_module
from bot.regie import notice_sweep
from sla.priority import PriorityDecision
from storage import tickets
from storage.models import AuditEntry, Ticket, TicketEventRow
from tests.support.cards import objects_in
from tests.support import activities as acts
from tests.support.harness import BotHarness, harness_settings, start_harness

REGIE = acts.person("Rita Regie", "eeeeeeee-0000-0000-0000-000000000006")
PIKET = acts.person("Piet Piket", "ffffffff-0000-0000-0000-000000000007")

# The intake's own reasons would do; these keep the tests independent of the dialogs.
REASONS = {"P1": ("storing voor iedereen",), "P2": ("meerdere teams",), "P3": ("één medewerker",), "P4": ("vraag",)}


async def new_ticket(
    harness,
    *,
    priority: str = "P3",
    uplift: bool = False,
    description: str = "Mijn laptop start niet op",
    motivation: str | None = None,
    phone: str | None = None,
    scope: str = "alleen_ik",
    reporter: dict[str, Any] = acts.EMPLOYEE,
) -> int:
    """A ticket as the intake would store it, then delivered (card to the servicedesk, regie for P1)."""
    database = harness.app[app_module.DATABASE]
    async with database.sessions.begin() as session:
        ticket = await tickets.create_ticket(
            session,
            policy=harness.app[app_module.POLICY],
            now=harness.clock.now(),
            reporter_id=reporter["aadObjectId"],
            reporter_name=reporter["name"],
            category="laptop",
            scope=scope,
            description=description,
            decision=PriorityDecision(priority, uplift, REASONS[priority]),
            motivation=motivation,
            phone=phone,
        )
        ticket_id = ticket.id
    harness.app[app_module.DELIVERY].kick()
    await harness.settle()
    return ticket_id


async def ticket(harness, ticket_id: int) -> Ticket:
    async with harness.app[app_module.DATABASE].sessions() as session:
        return await session.get(Ticket, ticket_id)


async def events(harness, ticket_id: int) -> list[TicketEventRow]:
    async with harness.app[app_module.DATABASE].sessions() as session:
        rows = await session.execute(
            select(TicketEventRow).where(TicketEventRow.ticket_id == ticket_id).order_by(TicketEventRow.id)
        )
        return list(rows.scalars())


async def audit_rows(harness, **where: Any) -> list[AuditEntry]:
    async with harness.app[app_module.DATABASE].sessions() as session:
        query = select(AuditEntry).order_by(AuditEntry.id)
        for key, value in where.items():
            query = query.where(getattr(AuditEntry, key) == value)
        return list((await session.execute(query)).scalars())


async def count(harness, model) -> int:
    async with harness.app[app_module.DATABASE].sessions() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def click(harness, verb: str, ticket_id: int, *, user: dict[str, Any] = acts.AGENT, version: int | None = None, **inputs: Any):
    """Click ``verb`` on the card of ``ticket_id`` as drawn at ``version`` (default: the current one)."""
    if version is None:
        version = (await ticket(harness, ticket_id)).version
    return await harness.execute(verb, {"ticket": ticket_id, "versie": version, **inputs}, user=user)


def card_of(body: dict[str, Any]) -> dict[str, Any]:
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive", body
    return body["value"]


def message_of(body: dict[str, Any]) -> str:
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.activity.message", body
    return body["value"]


def strings(node: Any) -> list[str]:
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            out.append(value)

    walk(node)
    return out


def local(harness, text: str) -> datetime:
    """An Amsterdam wall-clock time such as "2026-04-28 17:41" as an aware instant."""
    policy = harness.app[app_module.POLICY]
    return datetime.fromisoformat(text).replace(tzinfo=policy.tz)


def line(card: dict[str, Any], label: str) -> str | None:
    """The value of the card's first "Label: value" line (``bot.cards.labelled``), or None."""
    for node in objects_in(card):
        inlines = node.get("inlines")
        if node.get("type") == "RichTextBlock" and inlines and inlines[0].get("text") == f"{label}: ":
            return "".join(run.get("text", "") for run in inlines[1:])
    return None


def choices(card: dict[str, Any], input_id: str) -> dict[str, str]:
    """The choices (value -> title) of the card's ``Input.ChoiceSet`` with ``input_id``."""
    for node in objects_in(card):
        if node.get("id") == input_id:
            return {choice["value"]: choice["title"] for choice in node.get("choices", [])}
    return {}


async def open_desk(database_url: str, *, people: tuple[dict[str, Any], ...] = (acts.EMPLOYEE,), **settings: Any) -> BotHarness:
    """The bot with its three channels linked and ``people`` having talked to it (so its messages
    reach them), nothing sent yet: where a servicedesk test starts."""
    harness = await start_harness(harness_settings(database_url, **settings))
    await harness.link_channels()
    for person in people:
        await harness.say("help", user=person)
    harness.connector.clear()
    return harness


async def sweep(harness) -> int:
    """Regie's sweep now (as the scheduler runs it every minute); how many notices it sent."""
    app = harness.app
    settings = app[app_module.SETTINGS]
    result = await notice_sweep(
        database=app[app_module.DATABASE],
        policy=app[app_module.POLICY],
        clock=harness.clock,
        piket_contact=settings.piket_contact,
        piket_user_id=settings.piket_user_id,
        after_commit=app[app_module.DELIVERY].kick,
    )
    await harness.settle()
    return result.sent
