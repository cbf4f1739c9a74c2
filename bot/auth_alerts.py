"""Alerts on inbound authentication failures: one line per window, not one per request."""

from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

_REASON_SAFE = re.compile(r"[^a-z0-9_]")


class AuthFailureMonitor:
    """Counts authentication failures and raises one alert line per window, not one per request.

    The first time the number of failures in the current window reaches ``threshold`` it logs one
    WARNING (``auth_failure_alert``) with the count and the reason codes; later failures in the
    same window are only counted. When a failure arrives after the window has ended (or
    :meth:`flush` is called after it ended), the window closes: if failures were counted after the
    alert, one INFO line gives the window's final total; then a new window starts.
    Time comes from the injected clock.
    """

    def __init__(
        self,
        clock: Any,
        *,
        window: timedelta = timedelta(seconds=60),
        threshold: int = 10,
        log: logging.Logger | None = None,
    ) -> None:
        if window <= timedelta(0):
            raise ValueError("window must be positive")
        if threshold < 1:
            raise ValueError("threshold must be at least 1")
        self._clock = clock
        self._window = window
        self._threshold = threshold
        self._log = log or logging.getLogger("bot.auth.alerts")
        self._window_start: datetime | None = None
        self._reasons: Counter[str] = Counter()
        self._alerted_at_count: int | None = None

    @property
    def window_total(self) -> int:
        return sum(self._reasons.values())

    def record(self, reason: str, status: int = 401) -> None:
        now = self._clock.now()
        self._roll(now)
        if self._window_start is None:
            self._window_start = now
        code = _REASON_SAFE.sub("_", str(reason).lower())[:40] or "unknown"
        self._reasons[f"{status}:{code}"] += 1
        total = self.window_total
        if self._alerted_at_count is None and total >= self._threshold:
            self._alerted_at_count = total
            self._log.warning(
                "auth_failure_alert: %d inbound authentication failures within %ds "
                "(threshold %d); reasons: %s",
                total,
                int(self._window.total_seconds()),
                self._threshold,
                self._format_reasons(),
            )

    def flush(self) -> None:
        """Close the current window if it has ended (call it from a periodic job if you like)."""
        self._roll(self._clock.now())

    def _roll(self, now: datetime) -> None:
        if self._window_start is None or now < self._window_start + self._window:
            return
        total = self.window_total
        if self._alerted_at_count is not None and total > self._alerted_at_count:
            self._log.info(
                "auth_failure_window_closed: %d inbound authentication failures in the window "
                "that alerted; reasons: %s",
                total,
                self._format_reasons(),
            )
        self._window_start = None
        self._reasons.clear()
        self._alerted_at_count = None

    def _format_reasons(self) -> str:
        return ", ".join(f"{reason}={n}" for reason, n in sorted(self._reasons.items()))
