"""The fair pool (storage/fair_pool.py) against SQLAlchemy's own asyncio pool, on PostgreSQL.

    .venv/bin/python bench/pool_bench.py [--postgres-url URL] [--seconds 5] [--turns 20 60] [--pairs 3]

Each "turn" does what a bot turn does to the pool: five checkouts in a row, each running one short
statement (``SELECT 1``), as many turns at once as ``--turns`` says, for ``--seconds``. The pool is
the production one (``pool_size=20, max_overflow=10``, ``storage.db``). The two pools alternate
(fair, stock, fair, stock, ...) so a machine that gets busier or quieter meanwhile hurts both alike.
Printed: turns per second and the turn's latency (p50, p95, max) in milliseconds.

At 20 turns at once every turn finds a connection (30 in the pool): a fair queue can only cost. At
60 some turns wait, which is where a queue that lets newcomers overtake the waiters shows in p95.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402
from sqlalchemy.pool import AsyncAdaptedQueuePool  # noqa: E402

from storage.db import normalise_url  # noqa: E402
from storage.fair_pool import FairAsyncPool  # noqa: E402

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
CHECKOUTS_PER_TURN = 5
SELECT_ONE = text("SELECT 1")


async def _run(url: str, pool_class: type, *, turns: int, seconds: float) -> tuple[float, list[float]]:
    engine = create_async_engine(url, pool_size=20, max_overflow=10, poolclass=pool_class)
    latencies: list[float] = []
    try:
        async with engine.connect() as warm:  # open one connection before the clock starts
            await warm.execute(SELECT_ONE)
        stop = time.perf_counter() + seconds

        async def sender() -> None:
            while time.perf_counter() < stop:
                started = time.perf_counter()
                for _ in range(CHECKOUTS_PER_TURN):
                    async with engine.connect() as connection:
                        await connection.execute(SELECT_ONE)
                latencies.append(time.perf_counter() - started)

        began = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(turns)))
        elapsed = time.perf_counter() - began
    finally:
        await engine.dispose()
    return len(latencies) / elapsed, latencies


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def main_async(args: argparse.Namespace) -> int:
    url = normalise_url(args.postgres_url)
    pools = {"fair": FairAsyncPool, "stock": AsyncAdaptedQueuePool}
    for turns in args.turns:
        results: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in pools}
        for _ in range(args.pairs):
            for name, pool_class in pools.items():
                rate, latencies = await _run(url, pool_class, turns=turns, seconds=args.seconds)
                results[name].append((rate, _ms(latencies, 0.5), _ms(latencies, 0.95), _ms(latencies, 1.0)))
        print(f"-- {turns} turns at once, {CHECKOUTS_PER_TURN} checkouts each, {args.pairs} alternating pairs of {args.seconds:g} s")
        for name, rows in results.items():
            runs = ", ".join(f"{rate:.0f}/s p50 {p50:.1f} p95 {p95:.1f} max {top:.0f}" for rate, p50, p95, top in rows)
            print(f"{name:5}  median p95 {statistics.median(r[2] for r in rows):6.1f} ms   runs: {runs}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--turns", type=int, nargs="+", default=[20, 60])
    parser.add_argument("--pairs", type=int, default=3)
    return asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
