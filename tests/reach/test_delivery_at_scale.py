"""An announcement to 5,000 employees: each once, under 429s and a crash, at Teams' pace, with
the sender's card showing the progress (issue 19)."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import aiohttp
import pytest

from bot.connector import TENANT_PER_SECOND, Connector
from tests.reach.campaigns import (
    add_employees, announce, busiest_second, campaign, employee_id, options, per_recipient, run_until_done,
)

# 5,000 recipients through the real outbox and a fake Bot Connector: about 70 s per database on a
# quiet two-core machine, past the suite's two minutes when other work shares the cores.
pytestmark = pytest.mark.timeout(600)


class Crashed(BaseException):
    """The process died: nothing after this point runs."""


class DyingConnector:
    """A connector in front of a process that dies after ``calls`` sends: from then on nothing
    leaves it (a send in flight at that moment still completes, as on a real host)."""

    def __init__(self, inner: Connector, *, calls: int) -> None:
        self._inner, self._left = inner, calls

    async def send(self, *args, **kwargs):
        if self._left <= 0:
            raise Crashed()
        self._left -= 1
        return await self._inner.send(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._inner, name)


@pytest.fixture
async def traced(desk):
    """The desk, each call to Teams stamped with the injected clock the moment it leaves (aiohttp's
    request tracing), and again when the stub Teams gets it."""
    desk.started = []
    tracing = aiohttp.TraceConfig()

    async def started(session, context, params) -> None:
        desk.started.append(desk.clock.now())

    tracing.on_request_start.append(started)
    await desk.session.close()
    desk.session = aiohttp.ClientSession(trace_configs=[tracing])
    desk.connector.clock = desk.clock.now
    return desk


def moving_time(desk):
    """Waits (back-off, Teams' pace) move the injected clock and the pacing clock together."""

    async def sleep(seconds: float) -> None:
        desk.sleeps.append(seconds)
        until = desk.monotonic + seconds
        await asyncio.sleep(0)
        if until > desk.monotonic:  # several waiting at once: time moves to the latest, not their sum
            desk.clock.advance(timedelta(seconds=until - desk.monotonic))
            desk.monotonic = until

    return sleep


async def _lanes_of_the_dead() -> None:
    """Let the crashed process's other lanes run into the crash too (they hold no lease any more
    that matters, but must not send after it)."""
    current = asyncio.current_task()
    lanes = [t for t in asyncio.all_tasks() if t is not current and "_deliver_all" in t.get_coro().__qualname__]
    await asyncio.gather(*lanes, return_exceptions=True)


async def test_five_thousand_employees_get_the_announcement_once_under_throttling_and_a_crash(traced):
    desk = traced
    unreachable = frozenset({17, 2500, 4999})  # the app is not installed for them
    ids = await add_employees(desk, 5000, without_chat=unreachable)
    blocked = employee_id(1234)  # removed the bot: Teams answers 403
    desk.connector.scripts_for[f"a:{blocked}"] = [(403, {})]
    # Teams throttles: the first calls, and a few employees' chats until the connector gives up
    # and the outbox tries them again later.
    desk.connector.script = [(429, {"Retry-After": "2"})] * 20
    for n in (10, 700, 3100):
        desk.connector.scripts_for[f"a:{employee_id(n)}"] = [(429, {"Retry-After": "1"})] * 4
    first_process, first_jobs = desk.add_worker(
        "first", sleep=moving_time(desk), options=options(redraw_every=1000),
        wrap=lambda inner: DyingConnector(inner, calls=2000),
    )
    announcement = await announce(desk, what="Outlook werkt traag. We zoeken uit waarom.")

    with pytest.raises(Crashed):
        for _ in range(10_000):
            await first_jobs.reach_sweep()
            desk.clock.advance(timedelta(seconds=1))
    await _lanes_of_the_dead()
    sent_before_the_crash = len(per_recipient(desk))
    assert 1900 <= sent_before_the_crash < 2100

    # A new process is up ten seconds later; what the dead one had claimed it takes over when the
    # lease runs out.
    desk.clock.advance(timedelta(seconds=10))
    _, jobs = desk.add_worker("restarted", sleep=moving_time(desk), options=options(redraw_every=1000))
    await run_until_done(desk, jobs, announcement)

    got = per_recipient(desk)
    reachable = [key for n, key in enumerate(ids) if n not in unreachable and key != blocked]
    assert {f"a:{key}" for key in reachable} == set(got) - {f"a:{blocked}"}
    assert all(count == 1 for key, count in got.items() if key != f"a:{blocked}")  # exactly once each
    assert "Outlook werkt traag" in desk.connector.texts_to(f"a:{ids[0]}")[0]
    # Never faster than Teams allows the app in the tenant, whatever the retries and the restart.
    assert busiest_second(desk.started) <= TENANT_PER_SECOND

    # The sender's card: posted once, redrawn as the campaign went (not per message), and at the end.
    card_calls = [c for c in desk.connector.to("19:servicedesk") if c.cards]
    assert [c.method for c in card_calls if c.method == "POST"] == ["POST"]
    redraws = [c for c in card_calls if c.method == "PUT"]
    assert 3 <= len(redraws) <= 60
    shown = [int(re.search(r"Verstuurd \| (\d+)", c.card_text()).group(1)) for c in redraws]
    assert shown == sorted(shown) and 0 < shown[0] < 4996  # the count grows as it goes
    last = redraws[-1].card_text()
    assert "Verstuurd | 4996" in last and "Nog te versturen | 0" in last
    assert "Niet bereikbaar (app niet geïnstalleerd) | 4" in last
    # The servicedesk is told who could not be reached, by name.
    told = [t for t in desk.connector.texts_to("19:servicedesk") if "niet bereiken" in t]
    assert len(told) == 1
    for n in (17, 1234, 2500, 4999):
        assert f"Medewerker {n}" in told[0]
    assert (await campaign(desk, announcement)).state == "klaar"
