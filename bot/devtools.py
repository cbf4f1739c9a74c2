"""Developer tools for the local development server: move the clock, run a scheduled job now.

End-to-end runs in the Agents Playground must see a status update that is due in 30 minutes, or a
weekly summary that goes out on Monday morning, without waiting for them. With both

- local development mode (no ``MICROSOFT_APP_ID``: the Playground's mode), and
- ``SERVICEDESK_DEV_TOOLS=1``

the server uses a ``ShiftableClock`` (system time plus an offset) and answers

- ``POST /_dev/clock/advance`` with JSON ``{"minutes": N}``: moves the clock forward N minutes
  (N > 0, at most a year); answers ``{"now": ISO 8601, "offset_minutes": total}``;
- ``POST /_dev/jobs/{name}`` for ``status_sweep``, ``weekly_summary``, ``outbox_sweep``,
  ``regie_sweep``, ``escalation_reminder``, ``monthly_report``, ``reach_sweep`` and ``survey_sweep``: runs
  that job once, now, as the scheduler would; answers ``{"job": name, "result": ...}``.

In any other configuration the routes are not registered at all (a 404, like any unknown path):
production never has them, and a development server has them only when asked for.
``SERVICEDESK_DEV_CLOCK_START`` (ISO 8601 with offset) optionally starts the shifted clock at a
fixed instant, so screenshots show the same deadlines on every run.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from typing import Any, Callable, Mapping

from aiohttp import web

from bot.settings import SettingsError
from sla.clock import ShiftableClock  # noqa: F401 - the dev server's clock, re-exported

log = logging.getLogger("servicedesk.devtools")

FLAG = "SERVICEDESK_DEV_TOOLS"
START = "SERVICEDESK_DEV_CLOCK_START"
JOB_NAMES = (
    "status_sweep", "weekly_summary", "outbox_sweep", "regie_sweep", "escalation_reminder", "monthly_report", "reach_sweep",
    "survey_sweep",
)
MAX_MINUTES = 366 * 24 * 60


def dev_tools_enabled(settings, env: Mapping[str, str] | None = None) -> bool:
    """Both conditions: local development mode and the explicit flag."""
    env = os.environ if env is None else env
    return bool(settings.dev_mode) and env.get(FLAG, "").strip() == "1"


def dev_clock(settings, env: Mapping[str, str] | None = None) -> ShiftableClock | None:
    """The clock for ``python app.py`` when the dev tools are on; None means the normal clock."""
    env = os.environ if env is None else env
    if not dev_tools_enabled(settings, env):
        return None
    raw = env.get(START, "").strip()
    start = None
    if raw:
        try:
            start = datetime.fromisoformat(raw)
        except ValueError:
            start = None
        if start is None or start.tzinfo is None:
            raise SettingsError(f"{START} must be ISO 8601 with a UTC offset, e.g. 2026-04-28T09:00:00+02:00; got {raw!r}")
    return ShiftableClock(start)


def _advance_handler(clock):
    async def advance(request: web.Request) -> web.Response:
        if not hasattr(clock, "advance"):
            return web.json_response({"error": "this server's clock cannot be moved"}, status=409)
        try:
            body = await request.json()
            minutes = body["minutes"]
            if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or not 0 < minutes <= MAX_MINUTES:
                raise ValueError
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": 'send {"minutes": N} with 0 < N <= one year'}, status=400)
        now = clock.advance(timedelta(minutes=minutes))
        offset = getattr(clock, "offset", None)
        log.warning("DEV TOOLS: clock moved forward %s minutes, now %s", minutes, now.isoformat())
        return web.json_response(
            {"now": now.isoformat(), "offset_minutes": offset.total_seconds() / 60 if offset is not None else None}
        )

    return advance


def _jobs_handler(jobs: Callable[[], Any]):
    async def run_job(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in JOB_NAMES:
            return web.json_response({"error": f"unknown job {name!r}; known: {', '.join(JOB_NAMES)}"}, status=404)
        result = await getattr(jobs(), name)()
        log.warning("DEV TOOLS: job %s run by hand: %r", name, result)
        return web.json_response({"job": name, "result": result})

    return run_job


def add_dev_routes(
    app: web.Application, *, settings, clock, jobs: Callable[[], Any], env: Mapping[str, str] | None = None
) -> bool:
    """Register the /_dev routes when the dev tools are enabled; returns whether it did.

    ``jobs`` returns the app's ``Jobs`` (created at start-up, after the routes are registered).
    """
    if not dev_tools_enabled(settings, env):
        return False
    log.warning("DEV TOOLS ON (%s=1, local development mode): /_dev/clock/advance and /_dev/jobs/{name}", FLAG)
    app.router.add_post("/_dev/clock/advance", _advance_handler(clock))
    app.router.add_post("/_dev/jobs/{name}", _jobs_handler(jobs))
    return True
