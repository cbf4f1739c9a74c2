"""Benchmark: scraping /metrics with 100,000 tickets, on SQLite and PostgreSQL. Not a test; figures
in README.md.

    .venv/bin/python bench/metrics_bench.py [--db sqlite|postgres|both] [--scrapes 200]

It fills a database with 100,000 tickets (2,000 of them open, every priority, due times before
and after now, some paused) and 200,000 outbox messages (sent, plus 50 waiting and 5 failed), not
timed; starts the bot's application (``app.create_app``, metrics behind a token) on loopback; and
then times, in the same process:

1. **the scrape**: ``GET /metrics`` over HTTP, ``--scrapes`` times one after another, as
   Prometheus does: target p95 under 50 ms;
2. **the database reading**: ``Metrics.database.refresh``, the query the timer runs every 15 s
   (outbox figures and open tickets by priority and clock state), ten times: reported, no target.

Exit status 1 when the scrape target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp  # noqa: E402
from aiohttp.test_utils import TestServer  # noqa: E402

import app as app_module  # noqa: E402
from bench.sweep_bench import NOW, PRIORITIES, _ticket, with_database  # noqa: E402
from bot.settings import Settings  # noqa: E402
from sla.clock import FixedClock  # noqa: E402
from sla.status import TicketStatus  # noqa: E402
from storage.db import open_database  # noqa: E402
from storage.models import OutboxMessage, Ticket  # noqa: E402

TICKETS = 100_000
OPEN = 2_000
MESSAGES = 200_000
TOKEN = "bench"


def _tickets(rng: random.Random) -> list[dict]:
    rows = []
    for i in range(1, TICKETS + 1):
        opened = NOW - timedelta(days=rng.uniform(0, 365))
        priority = rng.choice(PRIORITIES)
        row = _ticket(i, opened=opened, priority=priority, due=None, status=TicketStatus.CLOSED)
        if i <= OPEN:
            row["status"] = rng.choice((TicketStatus.NEW, TicketStatus.PICKED_UP, TicketStatus.PICKED_UP, TicketStatus.WAITING))
            row["first_response_due"] = NOW + timedelta(hours=rng.uniform(-8, 8))
            row["resolution_due"] = None if row["status"] == TicketStatus.WAITING else NOW + timedelta(hours=rng.uniform(-24, 48))
            row["first_response_at"] = None if row["status"] == TicketStatus.NEW else opened + timedelta(minutes=20)
        else:
            row["first_response_at"] = opened + timedelta(minutes=20)
            row["resolved_at"] = row["closed_at"] = opened + timedelta(hours=5)
        rows.append(row)
    return rows


def _messages() -> list[dict]:
    rows = []
    for i in range(1, MESSAGES + 1):
        status = "pending" if i > MESSAGES - 50 else ("failed" if i % 40_000 == 0 else "sent")
        at = NOW - timedelta(minutes=(MESSAGES - i) / 100)
        rows.append(dict(
            id=i, dedup_key=f"bench:{i}", ticket_id=(i % TICKETS) + 1, target_kind="channel", target_key="servicedesk",
            op="send", payload={"kind": "ticket_card", "ticket_id": (i % TICKETS) + 1}, status=status, attempts=1,
            next_attempt_at=at, lease_until=None, claimed_by=None, created_at=at, sent_at=None if status != "sent" else at,
            activity_id=None, last_error=None,
        ))
    return rows


async def _fill(url: str) -> None:
    database = open_database(url)
    try:
        async with database.sessions.begin() as session:
            tickets = _tickets(random.Random(21))
            for start in range(0, len(tickets), 5000):
                await session.execute(Ticket.__table__.insert(), tickets[start : start + 5000])
            messages = _messages()
            for start in range(0, len(messages), 5000):
                await session.execute(OutboxMessage.__table__.insert(), messages[start : start + 5000])
    finally:
        await database.dispose()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def case(url: str, label: str, scrapes: int) -> float:
    await _fill(url)
    settings = Settings(database_url=url, scheduler_enabled=False, metrics_token=TOKEN, worker_id="bench")
    application = app_module.create_app(settings, clock=FixedClock(NOW))
    server = TestServer(application, host="127.0.0.1")
    await server.start_server()
    try:
        metrics, database = application[app_module.METRICS], application[app_module.DATABASE]
        for kind in ("message", "invoke", "conversationUpdate"):  # the series a running bot has
            for outcome in ("done", "failed", "duplicate"):
                metrics.turn(kind, outcome, 0.01)
        readings = []
        for _ in range(10):
            started = time.perf_counter()
            await metrics.database.refresh(database)
            readings.append(time.perf_counter() - started)
        headers = {"Authorization": f"Bearer {TOKEN}"}
        timings = []
        async with aiohttp.ClientSession() as session:
            for _ in range(scrapes + 10):
                started = time.perf_counter()
                async with session.get(server.make_url("/metrics"), headers=headers) as response:
                    body = await response.read()
                    assert response.status == 200 and b"servicedesk_open_tickets" in body
                timings.append(time.perf_counter() - started)
        timings = timings[10:]  # the first requests open the connection and warm up
        ms = [t * 1000 for t in timings]
        print(
            f"[{label}] scrape ({len(body)} bytes): p50 {statistics.median(ms):.1f} ms, p95 {_percentile(ms, 0.95):.1f} ms, "
            f"max {max(ms):.1f} ms; database reading (timer): median {statistics.median(readings) * 1000:.0f} ms, "
            f"max {max(readings) * 1000:.0f} ms"
        )
        return _percentile(ms, 0.95)
    finally:
        await server.close()


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--scrapes", type=int, default=200)
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    ok = True
    for kind in kinds:
        ok &= await with_database(kind, lambda url, k=kind: case(url, k, args.scrapes)) < 50.0
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
