"""/metrics as an operator's Prometheus reads it: what happened to the bot, counted and readable.

The bot runs with authentication on (locally signed tokens), the stub Bot Connector answers as
Teams would, and the figures are read back by scraping /metrics over HTTP and parsing the text
with the Prometheus client's own parser.
"""

from __future__ import annotations

import socket
from datetime import timedelta

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

import app as app_module
from storage import outbox
from tests.auth.tokens import key_server, token_kit  # noqa: F401  (fixtures)
from tests.security.conftest import AuthHarness, auth_settings, offline_outbound_token  # noqa: F401  (fixture)
from tests.security.intake import complete_intake
from tests.support import activities as acts
from tests.support.harness import start_harness, stop_harness

TOKEN = "metrics-token-for-tests"


def parse(text: str) -> dict[tuple[str, frozenset], float]:
    """Every sample as {(name, labels): value}."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def scrape(bot, token: str | None = TOKEN) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await bot.client.get("/metrics", headers=headers)
    return response.status, await response.text()


@pytest.fixture
async def watched(database_url, token_kit, offline_outbound_token):
    bot = await start_harness(auth_settings(database_url, token_kit, metrics_token=TOKEN), clock=token_kit.clock)
    try:
        yield AuthHarness(bot=bot, kit=token_kit, turns=[])
    finally:
        await stop_harness(bot)


async def test_metrics_need_the_token(watched):
    assert (await scrape(watched.bot, token=None))[0] == 401
    assert (await scrape(watched.bot, token="wrong"))[0] == 401
    status, text = await scrape(watched.bot)
    assert status == 200 and "servicedesk_turns" in text


async def test_turns_a_429_a_refused_token_and_a_failed_message_are_read_back_from_metrics(watched):
    h, bot = watched, watched.bot
    await h.link_channels()
    answers = await complete_intake(bot, h.say, "Mijn laptop start niet meer op sinds vanochtend")
    message_turns = 3 + 1 + len(answers)

    status, _ = await h.post(acts.personal_message(bot.service_url, "hallo"), authorization="Bearer not-a-jwt")
    assert status == 401

    bot.connector.script = [(429, {"Retry-After": "0"})]  # Teams throttles the reply once; the retry goes
    assert await h.say("help") == 200
    message_turns += 1

    # A message Teams refuses for good (413 in the servicedesk channel: a 403 would be tried again).
    async with bot.app[app_module.DATABASE].sessions.begin() as session:
        await outbox.enqueue(
            session, dedup_key="test:refused", target=outbox.Target.channel("servicedesk"),
            payload={"kind": "ticket_card", "ticket_id": 1}, op=outbox.SEND_CARD, ticket_id=1, now=bot.clock.now(),
        )
    bot.connector.script = [(413, {})]
    await bot.app[app_module.DELIVERY].drain()

    # Two days on, nobody reacted: the ticket's first response is late.
    bot.clock.advance(timedelta(days=2))
    await bot.app[app_module.METRICS].database.refresh(bot.app[app_module.DATABASE])

    status, text = await scrape(bot)
    assert status == 200
    samples = parse(text)
    assert value(samples, "servicedesk_turns_total", kind="message", outcome="done") == message_turns
    assert value(samples, "servicedesk_turn_seconds_count", kind="message") == message_turns
    assert value(samples, "servicedesk_auth_refusals_total", reason="malformed_token") == 1
    assert value(samples, "servicedesk_teams_throttled_total") == 1
    assert value(samples, "servicedesk_messages_failed_total", reason="refused") == 1
    assert value(samples, "servicedesk_outbox_failed_messages") == 1
    assert value(samples, "servicedesk_outbox_pending_messages") == 0
    priorities = {dict(labels)["priority"] for name, labels in samples if name == "servicedesk_breaches"}
    assert len(priorities) == 1
    (priority,) = priorities
    assert value(samples, "servicedesk_breaches", priority=priority, clock="first_response") == 1
    assert value(samples, "servicedesk_open_tickets", priority=priority, clock_state="breached") == 1
    assert value(samples, "servicedesk_database_gauges_age_seconds") == 0


async def test_a_duplicate_delivery_is_counted_apart_from_the_turns_that_ran(watched):
    h, bot = watched, watched.bot
    activity = acts.personal_message(bot.service_url, "help")
    assert (await h.post(activity))[0] == 200
    assert (await h.post(activity))[0] == 200
    samples = parse((await scrape(bot))[1])
    assert value(samples, "servicedesk_turns_total", kind="message", outcome="done") == 1
    assert value(samples, "servicedesk_turns_total", kind="message", outcome="duplicate") == 1


async def test_the_scheduler_counts_each_job_run_and_its_last_success(watched):
    from bot.jobs import build_scheduler

    bot = watched.bot
    scheduler = build_scheduler(
        jobs=bot.app[app_module.JOBS], policy=bot.app[app_module.POLICY], weekly_day="mon", weekly_time="08:30",
        metrics=bot.app[app_module.METRICS],
    )
    await scheduler.get_job("outbox_sweep").func()
    samples = parse((await scrape(bot))[1])
    assert value(samples, "servicedesk_job_runs_total", job="outbox_sweep", outcome="done") == 1
    assert value(samples, "servicedesk_job_last_success_timestamp_seconds", job="outbox_sweep") == bot.clock.now().timestamp()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_metrics_on_a_port_of_their_own_need_no_token_and_the_main_port_serves_none(sqlite_database_url, token_kit, offline_outbound_token):
    port = free_port()
    bot = await start_harness(auth_settings(sqlite_database_url, token_kit, metrics_port=port), clock=token_kit.clock)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/metrics") as response:
                assert response.status == 200
                assert "servicedesk_outbox_pending_messages 0.0" in await response.text()
        assert (await scrape(bot))[0] == 404
    finally:
        await stop_harness(bot)
