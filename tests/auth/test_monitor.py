"""Repeated authentication failures give one alert line per window, not one per request."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.auth import AuthError
from bot.auth_alerts import AuthFailureMonitor
from sla.clock import FixedClock
from tests.auth.tokens import T0

ALERTS = "bot.auth.alerts"


def _warnings(caplog):
    return [r for r in caplog.records if r.name == ALERTS and r.levelno == logging.WARNING]


def test_hundred_failures_in_a_window_give_one_alert(caplog):
    caplog.set_level(logging.INFO, logger=ALERTS)
    clock = FixedClock(T0)
    monitor = AuthFailureMonitor(clock, window=timedelta(seconds=60), threshold=10)
    for i in range(100):
        monitor.record("expired" if i % 2 else "wrong_audience")
        clock.advance(timedelta(milliseconds=500))  # 100 failures within 50 s
    alerts = _warnings(caplog)
    assert len(alerts) == 1
    assert "10 inbound authentication failures within 60s" in alerts[0].getMessage()
    assert "401:expired=5" in alerts[0].getMessage()
    assert monitor.window_total == 100

    # The window ends: one INFO line with the final total, and a new window may alert again.
    clock.advance(timedelta(seconds=30))
    monitor.flush()
    closed = [r for r in caplog.records if r.name == ALERTS and r.levelno == logging.INFO]
    assert len(closed) == 1
    assert "100 inbound authentication failures" in closed[0].getMessage()
    assert "401:expired=50, 401:wrong_audience=50" in closed[0].getMessage()
    assert monitor.window_total == 0
    for _ in range(10):
        monitor.record("bad_signature")
    assert len(_warnings(caplog)) == 2


def test_few_failures_do_not_alert(caplog):
    caplog.set_level(logging.INFO, logger=ALERTS)
    clock = FixedClock(T0)
    monitor = AuthFailureMonitor(clock, threshold=10)
    for _ in range(9):
        monitor.record("expired")
    clock.advance(timedelta(minutes=2))
    for _ in range(9):
        monitor.record("expired")  # a new window: the count starts again
    assert _warnings(caplog) == []


def test_reason_codes_are_sanitised(caplog):
    caplog.set_level(logging.INFO, logger=ALERTS)
    monitor = AuthFailureMonitor(FixedClock(T0), threshold=1)
    monitor.record("eyJhbGciOi.Bearer secret\nforged line", 403)
    message = _warnings(caplog)[0].getMessage()
    assert "\n" not in message and " secret" not in message and "." not in message.split("reasons: ")[1]


def test_bad_arguments():
    with pytest.raises(ValueError):
        AuthFailureMonitor(FixedClock(T0), window=timedelta(0))
    with pytest.raises(ValueError):
        AuthFailureMonitor(FixedClock(T0), threshold=0)


async def test_authenticator_feeds_the_monitor(auth, token_kit, caplog):
    caplog.set_level(logging.DEBUG)
    for _ in range(100):
        with pytest.raises(AuthError):
            await auth.authenticate("Bearer garbage", token_kit.activity())
    assert len(_warnings(caplog)) == 1
    assert "401:malformed_token=10" in _warnings(caplog)[0].getMessage()
    assert auth.monitor.window_total == 100
    assert "garbage" not in caplog.text
