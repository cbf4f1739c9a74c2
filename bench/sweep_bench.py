"""Benchmark: the status sweep over 100,000 open tickets with 1,000 due, and the weekly summary
over a year of tickets (20,000), on SQLite and on PostgreSQL. Not a test; figures in README.md.

    .venv/bin/python bench/sweep_bench.py [--db sqlite|postgres|both]

It builds the data with bulk inserts (not timed), then times one sweep transaction
(``storage.updates.send_due_updates``: claim the due tickets, read their logs, write events, due
times and outbox rows) and the weekly summary (``storage.reporting.report_with_previous``: the
histories of the week and the week before, and the KPIs). It prints the query plan of the due
query, to show it uses ``ix_tickets_next_update_due``. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from sla import events as ev  # noqa: E402
from sla.deadlines import deadlines_from_events  # noqa: E402
from sla.events import TicketEvent  # noqa: E402
from sla.policy import load_policy  # noqa: E402
from sla.status import TicketStatus  # noqa: E402
from storage.db import open_database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Ticket, TicketEventRow  # noqa: E402
from storage.reporting import report_with_previous, week_period  # noqa: E402
from storage.updates import send_due_updates  # noqa: E402

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
PRIORITIES = ["P1"] * 5 + ["P2"] * 15 + ["P3"] * 50 + ["P4"] * 30


def _ticket(i: int, *, opened: datetime, priority: str, due: datetime | None, status: TicketStatus = TicketStatus.PICKED_UP) -> dict:
    return dict(
        id=i, reporter_id=f"user-{i % 300}", reporter_name=f"Medewerker {i % 300}", category="laptop", scope="alleen_ik",
        description="Het werkt niet", priority=priority, uplift=False, uplift_motivation=None, priority_reasons={},
        phone=None, status=status, owner_id=None, owner_name=None, opened_at=opened, first_response_at=None,
        resolved_at=None, first_response_due=None, resolution_due=None, definitive_resolution_due=None,
        next_update_due=due, version=1, agreed_date=None, major_incident=False, update_overdue=False,
        linked_to_ticket_id=None, closed_at=None, personal_data_removed_at=None,
    )


def _reported(i: int, opened: datetime, priority: str) -> dict:
    return dict(ticket_id=i, kind=ev.REPORTED, at=opened, actor_id=None, data={"ticket": f"M-{i}", "priority": priority})


async def _bulk(database, tickets: list[dict], events: list[dict]) -> None:
    async with database.sessions.begin() as session:
        for start in range(0, len(tickets), 5000):
            await session.execute(Ticket.__table__.insert(), tickets[start : start + 5000])
        for start in range(0, len(events), 5000):
            await session.execute(TicketEventRow.__table__.insert(), events[start : start + 5000])


async def sweep_case(url: str, label: str) -> tuple[float, str]:
    """100,000 open tickets; three rounds of 1,000 falling due ten minutes apart. The first sweep
    warms up (statement compilation, the calendar's per-day periods); the next two are timed."""
    database = open_database(url)
    policy = load_policy("halt")
    rng = random.Random(1)
    rounds = [NOW, NOW + timedelta(minutes=10), NOW + timedelta(minutes=20)]
    tickets, events = [], []
    for i in range(1, 100_001):
        opened = NOW - timedelta(minutes=rng.randint(5, 60 * 24 * 20))
        priority = rng.choice(PRIORITIES)
        if i <= 3000:
            due = rounds[(i - 1) // 1000] - timedelta(minutes=rng.randint(0, 9))
        else:
            due = NOW + timedelta(minutes=rng.randint(30, 60 * 24 * 5))
        tickets.append(_ticket(i, opened=opened, priority=priority, due=due))
        events.append(_reported(i, opened, priority))
    await _bulk(database, tickets, events)
    async with database.engine.connect() as conn:
        if database.is_sqlite:
            await conn.execute(text("ANALYZE"))
            plan_rows = await conn.execute(
                text("EXPLAIN QUERY PLAN SELECT id FROM tickets WHERE next_update_due IS NOT NULL AND next_update_due <= :now ORDER BY next_update_due LIMIT 1000"),
                {"now": NOW.replace(tzinfo=None)},
            )
            plan = "\n".join(str(row[-1]) for row in plan_rows)
        else:
            await conn.execute(text("ANALYZE tickets"))
            plan_rows = await conn.execute(
                text("EXPLAIN SELECT id FROM tickets WHERE next_update_due IS NOT NULL AND next_update_due <= :now ORDER BY next_update_due LIMIT 1000 FOR UPDATE SKIP LOCKED"),
                {"now": NOW},
            )
            plan = "\n".join(row[0] for row in plan_rows)
    timings = []
    for now in rounds:
        started = time.perf_counter()
        async with database.sessions.begin() as session:
            queued = await send_due_updates(session, policy=policy, now=now, limit=1000)
        timings.append(time.perf_counter() - started)
        assert queued == 1000, queued
    await database.dispose()
    elapsed = min(timings[1:])
    print(
        f"[{label}] sweep over 100,000 open tickets, 1,000 due: {elapsed * 1000:.0f} ms "
        f"(timed sweeps {', '.join(f'{t * 1000:.0f}' for t in timings[1:])} ms; cold first sweep {timings[0] * 1000:.0f} ms; target < 200 ms)"
    )
    return elapsed, plan


def _year_of_tickets(rng: random.Random, policy) -> tuple[list[dict], list[dict]]:
    tickets, events = [], []
    start = NOW - timedelta(days=365)
    for i in range(1, 20_001):
        opened = start + timedelta(minutes=rng.randint(0, 365 * 24 * 60 - 1))
        priority = rng.choice(PRIORITIES)
        log = [TicketEvent(ev.REPORTED, opened, {"ticket": f"M-{i}", "priority": priority})]
        due = deadlines_from_events(policy, log)
        acknowledged = opened + (due.first_response_due - opened) * rng.uniform(0.2, 1.2)
        log.append(TicketEvent(ev.ACKNOWLEDGED, acknowledged, {"agent_id": "a1", "note": "ik kijk ernaar"}))
        resolved = None
        if opened < NOW - timedelta(days=2) or rng.random() < 0.5:
            resolved = opened + (due.resolution_due - opened) * rng.uniform(0.3, 1.3)
            if resolved < NOW:
                log.append(TicketEvent(ev.RESOLVED, resolved, {"first_time_fix": rng.random() < 0.7}))
                if rng.random() < 0.4:
                    log.append(TicketEvent(ev.CSAT, resolved + timedelta(hours=1), {"score": rng.randint(4, 10)}))
            else:
                resolved = None
        row = _ticket(i, opened=opened, priority=priority, due=None, status=TicketStatus.RESOLVED if resolved else TicketStatus.PICKED_UP)
        row["resolved_at"] = resolved
        tickets.append(row)
        events += [dict(ticket_id=i, kind=e.kind, at=e.at, actor_id=None, data=dict(e.data)) for e in log]
    return tickets, events


async def weekly_case(url: str, label: str) -> float:
    database = open_database(url)
    policy = load_policy("halt")
    tickets, events = _year_of_tickets(random.Random(2), policy)
    await _bulk(database, tickets, events)
    period = week_period("2026-W47", policy)
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        async with database.sessions() as session:
            figures = await report_with_previous(session, policy=policy, period=period, now=NOW)
        runs.append(time.perf_counter() - started)
    await database.dispose()
    reported = sum(p["reported"] for p in figures["report"]["priorities"])
    print(f"[{label}] weekly summary over a year of tickets (20,000; {len(events):,} events; {reported} reported that week): "
          f"median {statistics.median(runs) * 1000:.0f} ms (target < 1000 ms)")
    return statistics.median(runs)


async def with_database(kind: str, work):
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
            upgrade(url)
            return await work(url)
    import asyncpg

    name = f"sdbench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    url = POSTGRES_ADMIN.rsplit("/", 1)[0] + "/" + name
    try:
        upgrade(url)
        return await work(url)
    finally:
        admin = await asyncpg.connect(POSTGRES_ADMIN)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    ok = True
    for kind in kinds:
        elapsed, plan = await with_database(kind, lambda url, k=kind: sweep_case(url, k))
        print(f"[{kind}] query plan of the due query:\n    " + plan.replace("\n", "\n    "))
        ok &= elapsed < 0.2 and "ix_tickets_next_update_due" in plan
        ok &= await with_database(kind, lambda url, k=kind: weekly_case(url, k)) < 1.0
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
