"""SLA engine benchmark (a script, not a test).

    .venv/bin/python bench/sla_bench.py

1. Complete deadline sets per second on one core: ``compute_deadlines`` for a mix of priorities,
   report times spread over 2026 (nights, weekends, holidays, DST) and a quarter with pauses.
   Target: >= 20,000 per second.
2. The KPI summary (``compute_kpis``) over 100,000 tickets' generated event logs for one month.
   Target: <= 2 seconds. Generating the logs is not timed.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sla import events as ev  # noqa: E402
from sla.deadlines import compute_deadlines  # noqa: E402
from sla.events import TicketEvent  # noqa: E402
from sla.kpi import compute_kpis  # noqa: E402
from sla.policy import load_policy  # noqa: E402

UTC = timezone.utc
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
PRIORITY_MIX = ["P1"] * 5 + ["P2"] * 15 + ["P3"] * 50 + ["P4"] * 30


def deadline_inputs(count: int, rng: random.Random):
    inputs = []
    for _ in range(count):
        opened = YEAR_START + timedelta(minutes=rng.randrange(365 * 24 * 60))
        pauses = ()
        if rng.random() < 0.25:
            start = opened + timedelta(minutes=rng.randrange(30, 600))
            pauses = ((start, start + timedelta(minutes=rng.randrange(10, 3000))),)
        inputs.append((rng.choice(PRIORITY_MIX), opened, pauses))
    return inputs


def bench_deadlines(policy, count: int = 100_000) -> float:
    inputs = deadline_inputs(count, random.Random(1))
    compute_deadlines(policy, priority="P3", opened=YEAR_START)  # build the calendar tables once
    began = time.perf_counter()
    for priority, opened, pauses in inputs:
        compute_deadlines(policy, priority=priority, opened=opened, pauses=pauses)
    return count / (time.perf_counter() - began)


def ticket_log(rng: random.Random, number: int, month_start: datetime) -> list[TicketEvent]:
    """A plausible ticket: reported, picked up with a substantive reaction (and for a P1 a call),
    some updates by the servicedesk, maybe a wait on a third party, mostly resolved."""
    opened = month_start - timedelta(days=20) + timedelta(minutes=rng.randrange(50 * 24 * 60))
    priority = rng.choice(PRIORITY_MIX)
    data = {"priority": priority, "ticket": f"INC-{number:06d}", "intake": {"work": rng.choice(("nee", "omweg", "ja"))}}
    if priority == "P1" and rng.random() < 0.3:
        data.update(uplift=True, motivation="Zitting, laptop start niet")
    log = [TicketEvent(ev.REPORTED, opened, data)]
    t = opened + timedelta(minutes=rng.randrange(5, 300))
    log.append(TicketEvent(ev.ACKNOWLEDGED, t, {"agent_id": "a1"}))
    log.append(TicketEvent(ev.REACTION, t, {"priority": priority, "next_step": "Ik kijk ernaar."}))
    if priority == "P1":
        log.append(TicketEvent(ev.CALL_REGISTERED, t, {"reached": True}))
    if rng.random() < 0.1:
        t += timedelta(minutes=rng.randrange(10, 120))
        log.append(TicketEvent(ev.PRIORITY_CHANGED, t, {"from": priority, "to": "P2", "reason": "x"}))
    for _ in range(rng.randrange(0, 4)):
        t += timedelta(minutes=rng.randrange(20, 600))
        log.append(TicketEvent(ev.AGENT_UPDATE, t, {"text": "We werken eraan."}))
    if rng.random() < 0.2:
        t += timedelta(minutes=rng.randrange(10, 120))
        log.append(TicketEvent(ev.PAUSED, t, {"party": "leverancier"}))
        t += timedelta(minutes=rng.randrange(30, 3000))
        log.append(TicketEvent(ev.RESUMED, t, {}))
    if rng.random() < 0.1:
        t += timedelta(minutes=30)
        log.append(TicketEvent(ev.HANDED_OVER, t, {"from_agent": "a1", "to_agent": "a2", "from_line": "1", "to_line": "2"}))
    if rng.random() < 0.9:
        t += timedelta(minutes=rng.randrange(10, 2000))
        log.append(TicketEvent(ev.PRODUCTIVE_AGAIN, t, {}))
        log.append(TicketEvent(ev.RESOLVED, t, {}))
        if rng.random() < 0.4:
            log.append(TicketEvent(ev.CSAT, t + timedelta(hours=1), {"score": rng.randrange(1, 11)}))
    return log


def bench_kpis(policy, count: int = 100_000) -> tuple[float, int]:
    rng = random.Random(2)
    month_start = datetime(2026, 3, 1, tzinfo=UTC)
    logs = [ticket_log(rng, n, month_start) for n in range(count)]
    events = sum(len(log) for log in logs)
    began = time.perf_counter()
    report = compute_kpis(policy, logs, start=month_start, end=datetime(2026, 4, 1, tzinfo=UTC),
                          now=datetime(2026, 4, 2, tzinfo=UTC))
    elapsed = time.perf_counter() - began
    assert report.priority("P3").resolution.counted > 0
    return elapsed, events


def main() -> int:
    policy = load_policy("halt")
    rate = bench_deadlines(policy)
    print(f"deadline sets per second (one core): {rate:,.0f}  (target >= 20,000)")
    elapsed, events = bench_kpis(policy)
    print(f"KPI summary over 100,000 tickets ({events:,} events): {elapsed:.2f} s  (target <= 2 s)")
    ok = rate >= 20_000 and elapsed <= 2.0
    print("OK" if ok else "TOO SLOW")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
