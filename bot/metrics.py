"""The bot's metrics in the Prometheus text format, on ``/metrics``, with the official client.

What is counted where it happens (a line in each place, calling one method here):

- ``servicedesk_turns_total{kind,outcome}`` and ``servicedesk_turn_seconds{kind}``: every turn by
  activity type and outcome (done, failed, duplicate, busy: not started behind the chat's previous
  turn, answered 503), and how long it took (``bot.http``);
- ``servicedesk_auth_refusals_total{reason}``: inbound requests refused, by reason code (``bot.http``);
- ``servicedesk_teams_throttled_total``: 429 answers from the Bot Connector (``bot.connector``);
- ``servicedesk_messages_failed_total{reason}``: outbound messages Teams refused for good
  (``bot.delivery``);
- ``servicedesk_job_runs_total{job,outcome}`` and ``servicedesk_job_last_success_timestamp_seconds{job}``:
  the scheduler's jobs in this process (``bot.jobs``).

What is read from the database (the same for every replica; alert on ``max`` across them):

- ``servicedesk_outbox_pending_messages``, ``servicedesk_outbox_oldest_pending_age_seconds``,
  ``servicedesk_outbox_failed_messages``;
- ``servicedesk_open_tickets{priority,clock_state}`` and ``servicedesk_breaches{priority,clock}``
  (open tickets whose clock has passed its deadline);
- ``servicedesk_database_gauges_age_seconds``: how old these figures are.

The database figures are read on a timer (every ``REFRESH_SECONDS``), not per scrape, and a scrape
serves the last reading. Why: the open-ticket figures pass over the whole tickets table (it has no
index on status, and an index would not spare reading each open row's due times), which with
100,000 tickets takes 25-60 ms (``bench/metrics_bench.py``), the whole of the 50 ms a scrape may
take; on SQLite that pass runs on the event loop, between turns. Per scrape, every replica and
every scraper would repeat it; on a timer it is one pass per replica per interval, and a scrape
answers even while the database is slow or down (then the age gauge grows, which is itself worth
an alert). The cost is figures up to ``REFRESH_SECONDS`` old, well inside the minutes an SLA alert
is about. The outbox figures are indexed (``storage.health``) and ride along.

Every application has its own registry (tests start many apps in one process); nothing is global.
Timestamps come from the injected clock.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Awaitable, Callable, Iterator

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from storage import health
from storage.db import Database

log = logging.getLogger("servicedesk.metrics")

REFRESH_SECONDS = 15.0
# Activity types Teams sends; anything else is counted as "other" so a caller cannot grow the series.
TURN_KINDS = frozenset({"message", "invoke", "conversationUpdate", "installationUpdate", "messageReaction", "event", "typing"})
TURN_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass(frozen=True)
class DatabaseReading:
    at: datetime
    outbox: health.OutboxFigures
    tickets: health.OpenTickets


class DatabaseGauges(Collector):
    """Serves the last reading of the database figures; :meth:`refresh` takes a new one."""

    def __init__(self, *, clock: Any) -> None:
        self._clock = clock
        self._reading: DatabaseReading | None = None

    async def refresh(self, database: Database) -> None:
        now = self._clock.now()
        async with database.sessions() as session:
            outbox = await health.outbox_figures(session, now=now)
            tickets = await health.open_ticket_clocks(session, now=now)
        self._reading = DatabaseReading(at=now, outbox=outbox, tickets=tickets)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        reading = self._reading
        if reading is None:
            return
        now = self._clock.now()
        yield GaugeMetricFamily("servicedesk_outbox_pending_messages", "Messages waiting to be sent", value=reading.outbox.pending)
        oldest = reading.outbox.oldest_pending_at
        yield GaugeMetricFamily(
            "servicedesk_outbox_oldest_pending_age_seconds",
            "Age of the oldest message waiting to be sent (0 when none waits)",
            value=(now - oldest).total_seconds() if oldest is not None else 0.0,
        )
        yield GaugeMetricFamily(
            "servicedesk_outbox_failed_messages",
            "Messages Teams refused for good that nobody retried or discarded yet",
            value=reading.outbox.failed,
        )
        open_tickets = GaugeMetricFamily(
            "servicedesk_open_tickets", "Open tickets by priority and clock state (breached, paused, running)",
            labels=["priority", "clock_state"],
        )
        for (priority, state), count in sorted(reading.tickets.by_state.items()):
            open_tickets.add_metric([priority, state], count)
        yield open_tickets
        breaches = GaugeMetricFamily(
            "servicedesk_breaches", "Open tickets whose clock (first_response, resolution) passed its deadline",
            labels=["priority", "clock"],
        )
        for (priority, clock, state), count in sorted(reading.tickets.by_clock.items()):
            if state == health.BREACHED:
                breaches.add_metric([priority, clock], count)
        yield breaches
        yield GaugeMetricFamily(
            "servicedesk_database_gauges_age_seconds", "How old the figures read from the database are",
            value=(now - reading.at).total_seconds(),
        )


class Metrics:
    """One application's metrics and the hooks that count them."""

    def __init__(self, *, clock: Any = None) -> None:
        self.registry = CollectorRegistry()
        self._clock = clock
        r = self.registry
        self._turns = Counter("servicedesk_turns", "Turns by activity type and outcome", ["kind", "outcome"], registry=r)
        self._turn_seconds = Histogram(
            "servicedesk_turn_seconds", "Time from an activity's arrival to the answer", ["kind"], buckets=TURN_BUCKETS, registry=r
        )
        self._auth_refusals = Counter("servicedesk_auth_refusals", "Inbound requests refused, by reason", ["reason"], registry=r)
        self._throttled = Counter("servicedesk_teams_throttled", "429 answers from the Bot Connector", registry=r)
        self._failed = Counter(
            "servicedesk_messages_failed", "Outbound messages Teams refused for good, by reason", ["reason"], registry=r
        )
        self._job_runs = Counter("servicedesk_job_runs", "Scheduled job runs by outcome", ["job", "outcome"], registry=r)
        self._job_success = Gauge(
            "servicedesk_job_last_success_timestamp_seconds", "When each scheduled job last succeeded (Unix time)", ["job"], registry=r
        )
        self.database = DatabaseGauges(clock=clock)
        r.register(self.database)

    # -- hooks -------------------------------------------------------------------------------
    def turn(self, kind: object, outcome: str, seconds: float | None = None) -> None:
        kind = kind if kind in TURN_KINDS else "other"
        self._turns.labels(kind, outcome).inc()
        if seconds is not None:
            self._turn_seconds.labels(kind).observe(seconds)

    def auth_refused(self, reason: str) -> None:
        self._auth_refusals.labels(reason).inc()

    def throttled(self) -> None:
        self._throttled.inc()

    def message_failed(self, reason: str) -> None:
        self._failed.labels(reason).inc()

    def job(self, name: str, run: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[Any]]:
        """``run`` counted as job ``name``: each run's outcome, and the moment of its last success."""

        async def counted() -> Any:
            try:
                result = await run()
            except Exception:
                self._job_runs.labels(name, "failed").inc()
                raise
            self._job_runs.labels(name, "done").inc()
            if self._clock is not None:
                self._job_success.labels(name).set(self._clock.now().timestamp())
            return result

        return counted

    # -- serving -----------------------------------------------------------------------------
    def render(self) -> bytes:
        return generate_latest(self.registry)

    async def refresh_every(self, database: Database, seconds: float = REFRESH_SECONDS) -> None:
        """Read the database figures now and then every ``seconds``, until cancelled."""
        while True:
            try:
                await self.database.refresh(database)
            except Exception as error:  # noqa: BLE001 - the age gauge shows the figures go stale
                log.warning("metrics: database figures not read (%s)", type(error).__name__)
            await asyncio.sleep(seconds)


def metrics_handler(metrics: Metrics, *, token: str | None) -> Callable[[web.Request], Awaitable[web.Response]]:
    """``GET /metrics``; with ``token``, only for ``Authorization: Bearer <token>`` (else 401)."""
    expected = f"Bearer {token}".encode() if token else None

    async def serve(request: web.Request) -> web.Response:
        if expected is not None:
            given = request.headers.get("Authorization", "").encode()
            if not hmac.compare_digest(given, expected):
                return web.json_response({"error": "metrics need the bearer token"}, status=401)
        return web.Response(body=metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    return serve
