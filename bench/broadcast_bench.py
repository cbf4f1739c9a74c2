"""Benchmark: an announcement to 50,000 employees, enqueued and delivered through the outbox to the
stub Teams connector, on SQLite and on PostgreSQL. Not a test; figures in README.md.

    .venv/bin/python bench/broadcast_bench.py [--db sqlite|postgres|both] [--employees 50000]

It builds the directory and the employees' conversations with bulk inserts (not timed), then
times the whole campaign as the bot runs it: ``reach.service.start`` (the campaign and one
recipient row per employee, one ``INSERT … SELECT``), then the scheduler's ``reach_sweep`` over and
over (queue the next send slots in chunks, send what is due through ``bot.delivery`` to the stub
Teams on loopback, record each outcome, redraw the sender's card) until the campaign is done.

The clock is a ``FixedClock`` moved a minute after each sweep, and the connector's pacing waits are
counted instead of slept, so the run measures the bot's own work (the stub Teams runs in the same
process and its share is included); the time the campaign really takes in Teams is the paced time,
``employees / REACH_PER_SECOND``, printed beside it. Database growth is the file size (SQLite,
after a checkpoint) or ``pg_database_size`` (PostgreSQL) after minus before the campaign.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp  # noqa: E402
from aiohttp.test_utils import TestServer  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bot.connector import Connector, RetryPolicy  # noqa: E402
from bot.delivery import Delivery  # noqa: E402
from bot.jobs import JobOptions, Jobs  # noqa: E402
from reach import service  # noqa: E402
from reach.audience import Target  # noqa: E402
from reach.enums import Audience, Kind  # noqa: E402
from sla.clock import FixedClock  # noqa: E402
from sla.policy import load_policy  # noqa: E402
from storage import refs  # noqa: E402
from storage.db import open_database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Campaign, ConversationRef, DirectoryEmployee  # noqa: E402
from storage.outbox import Kind as MessageKind  # noqa: E402
from tests.support.connector import StubConnector  # noqa: E402
from tests.support.databases import create_postgres_database, drop_postgres_database  # noqa: E402

START = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)  # Tuesday 09:00 in Amsterdam


async def _size(database, url: str, sqlite_path: Path | None) -> int:
    if sqlite_path is not None:
        async with database.engine.connect() as connection:
            await connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return sqlite_path.stat().st_size
    async with database.engine.connect() as connection:
        return int((await connection.execute(text("SELECT pg_database_size(current_database())"))).scalar_one())


async def _people(database, count: int, service_url: str) -> None:
    rows, references = [], []
    for n in range(count):
        key = str(uuid.UUID(int=n + 1))
        rows.append(dict(object_id=key, name=f"Medewerker {n}", location=f"Locatie {n % 40}", team=f"Team {n % 300}", imported_at=START))
        references.append(dict(kind=refs.USER, key=key, active=True, updated_at=START, reference={
            "bot": {"id": "28:bot", "name": "Servicedesk"}, "user": {"id": f"29:{key}", "aadObjectId": key},
            "conversation": {"id": f"a:{key}", "conversationType": "personal"}, "channelId": "msteams", "serviceUrl": service_url,
        }))
    references.append(dict(kind=refs.CHANNEL, key="servicedesk", active=True, updated_at=START, reference={
        "bot": {"id": "28:bot", "name": "Servicedesk"}, "conversation": {"id": "19:servicedesk", "conversationType": "channel"},
        "channelId": "msteams", "serviceUrl": service_url,
    }))
    async with database.sessions.begin() as session:
        for start in range(0, count, 5000):
            await session.execute(DirectoryEmployee.__table__.insert(), rows[start:start + 5000])
        for start in range(0, len(references), 5000):
            await session.execute(ConversationRef.__table__.insert(), references[start:start + 5000])


async def run_case(url: str, label: str, employees: int, sqlite_path: Path | None) -> dict:
    stub = StubConnector()
    server = TestServer(stub.app(), host="127.0.0.1")
    await server.start_server()
    database = open_database(url)
    clock = FixedClock(START)
    policy = load_policy("halt")
    options = service.Options()
    paced = {"monotonic": 0.0, "waited": 0.0}

    async def counted_sleep(seconds: float) -> None:  # pacing waits counted, not slept
        paced["monotonic"] += seconds
        paced["waited"] += seconds
        await asyncio.sleep(0)

    try:
        await _people(database, employees, str(server.make_url("/")))
        before = await _size(database, url, sqlite_path)
        async with aiohttp.ClientSession() as session:
            async def no_token():
                return None

            connector = Connector(
                session=session, token_source=no_token, service_url_allowed=lambda _: True, retry=RetryPolicy(attempts=4),
                sleep=counted_sleep, monotonic=lambda: paced["monotonic"],
            )
            delivery = Delivery(database=database, connector=connector, clock=clock, policy=policy, worker_id="bench")
            jobs = Jobs(database=database, policy=policy, clock=clock, delivery=delivery, worker_id="bench", options=JobOptions(reach=options))
            wall, cpu = time.perf_counter(), time.process_time()
            async with database.sessions.begin() as db_session:
                campaign = await service.start(
                    db_session, kind=Kind.DISRUPTION, message_kind=MessageKind.ANNOUNCEMENT, audience=Target(Audience.EVERYONE),
                    payload={"what": "Outlook werkt traag", "meanwhile": "Gebruik Outlook op het web."},
                    created_by="agent", created_by_name="Servicedesk", now=clock.now(),
                )
                campaign_id = campaign.id
            started = time.perf_counter() - wall
            sweeps = 0
            while True:
                await jobs.reach_sweep()
                sweeps += 1
                async with database.sessions() as db_session:
                    if (await db_session.get(Campaign, campaign_id)).state == "klaar":
                        break
                clock.advance(options.horizon)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        after = await _size(database, url, sqlite_path)
    finally:
        await database.dispose()
        await server.close()
    delivered = sum(1 for call in stub.calls if call.conversation_id.startswith("a:") and call.method == "POST")
    assert delivered == employees, (delivered, employees)
    redraws = sum(1 for call in stub.calls if call.conversation_id == "19:servicedesk" and call.method == "PUT")
    return {
        "db": label, "employees": employees, "start_s": started, "wall_s": wall, "cpu_ms_per_message": cpu * 1000 / employees,
        "messages_per_s": employees / wall, "sweeps": sweeps, "card_redraws": redraws,
        "paced_min_at_reach_rate": employees / options.per_second / 60, "paced_min_at_tenant_limit": employees / 50 / 60,
        "growth_mb": (after - before) / 1e6, "bytes_per_message": (after - before) / employees,
    }


async def main(which: str, employees: int) -> list[dict]:
    results = []
    if which in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.sqlite3"
            url = f"sqlite:///{path}"
            upgrade(url)
            results.append(await run_case(url, "SQLite", employees, path))
    if which in ("postgres", "both"):
        url, name = await create_postgres_database()
        try:
            upgrade(url)
            results.append(await run_case(url, "PostgreSQL", employees, None))
        finally:
            await drop_postgres_database(name)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--employees", type=int, default=50_000)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    for result in asyncio.run(main(args.db, args.employees)):
        print(
            f"{result['db']:>10}: {result['employees']:,} messages in {result['wall_s']:.1f} s wall "
            f"({result['messages_per_s']:.0f}/s; start {result['start_s'] * 1000:.0f} ms), "
            f"{result['cpu_ms_per_message']:.2f} ms CPU per message, {result['sweeps']} sweeps, "
            f"{result['card_redraws']} card redraws; paced in Teams: {result['paced_min_at_reach_rate']:.1f} min at "
            f"REACH_PER_SECOND={service.Options().per_second} ({result['paced_min_at_tenant_limit']:.1f} min at 50/s); "
            f"database +{result['growth_mb']:.1f} MB ({result['bytes_per_message']:.0f} bytes per message)"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
