"""`status`: the bot's state at a glance, from the database and the settings.

Prints the mode, the policy in force, the database and its schema, the linked channels, the outbox
(backlog, oldest waiting message, failed messages, leases held by senders), the last run of each
periodic job, and whether the signing keys can be fetched (production mode; one request to
``OPENID_METADATA_URL`` and its key set, bounded by ``AUTH_KEY_FETCH_TIMEOUT``). ``--json`` prints the
same as one JSON object.

Exit 0 when all is well; 1 when something needs the operator: the schema is behind, messages failed
for good, a channel role is not linked, or (production) the signing keys cannot be fetched. A
database that cannot be used is exit 3, as for every command.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import datetime
from typing import Any

import aiohttp

from bot.auth import InboundAuthenticator
from bot.signing_keys import KeyFetchError
from bot.settings import Settings
from cli.common import EXIT_OK, EXIT_PROBLEM, load_policy_of, opened_database, plural, safe_url
from sla.clock import SystemClock
from storage import health, refs
from storage.migrate import current_revision, head_revision


def register(subparsers) -> argparse.ArgumentParser:
    status = subparsers.add_parser(
        "status",
        help="the bot's state: schema, channels, outbox, jobs, signing keys, policy; exit 1 when something needs you",
        description=__doc__.split("\n\n")[1],
    )
    status.add_argument("--json", action="store_true", help="print it as one JSON object")
    status.set_defaults(func=run_status)
    return status


def run_status(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    policy = load_policy_of(settings)
    report = asyncio.run(_gather(settings, now=SystemClock().now()))
    report["policy"] = {"name": policy.name, "time_zone": settings.tz_name}
    problems = _problems(report)
    report["problems"] = problems
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    else:
        print("\n".join(_lines(report)))
    return EXIT_PROBLEM if problems else EXIT_OK


async def _gather(settings, *, now: datetime) -> dict[str, Any]:
    async with opened_database(settings, schema_current=False) as database:
        revision = await current_revision(database.engine)
        report: dict[str, Any] = {
            "mode": "local development (no authentication)" if settings.dev_mode else "production",
            "database": {"url": safe_url(settings.database_url), "schema": revision, "schema_needed": head_revision()},
        }
        if revision != head_revision():
            return report  # the tables below may not be there yet
        async with database.sessions() as session:
            channels = await health.linked_channels(session)
            outbox = await health.outbox_figures(session, now=now)
            jobs = await health.last_job_runs(session)
    report["channels"] = {
        role: (
            {"linked": True, "active": c.active, "linked_at": c.linked_at.isoformat(), "linked_by": c.linked_by}
            if (c := channels.get(role)) else {"linked": False}
        )
        for role in refs.CHANNEL_ROLES
    }
    oldest = outbox.oldest_pending_at
    report["outbox"] = {
        "pending": outbox.pending,
        "oldest_pending_minutes": round((now - oldest).total_seconds() / 60, 1) if oldest else None,
        "failed": outbox.failed,
        "leases": outbox.leases,
    }
    report["jobs"] = {
        name: {"period": run.period, "at": run.claimed_at.isoformat(), "by": run.claimed_by} for name, run in jobs.items()
    }
    report["signing_keys"] = await _signing_keys(settings)
    return report


async def _signing_keys(settings) -> dict[str, Any]:
    """Whether this machine can fetch the Bot Framework signing keys the bot checks tokens with."""
    if settings.dev_mode:
        return {"needed": False}
    async with aiohttp.ClientSession() as session:
        authenticator = InboundAuthenticator(settings.auth_settings(), clock=SystemClock(), session=session)
        try:
            await authenticator.start()
            return {"needed": True, "loaded": len(authenticator.keys.ids), "from": settings.openid_metadata_url}
        except KeyFetchError as error:
            return {"needed": True, "loaded": 0, "from": settings.openid_metadata_url, "error": error.reason}
        finally:
            await authenticator.close()


def _problems(report: dict[str, Any]) -> list[str]:
    database = report["database"]
    if database["schema"] != database["schema_needed"]:
        return [f"schema is at {database['schema'] or 'nothing'}, this version needs {database['schema_needed']}: run `servicedesk db upgrade`"]
    problems = [
        f"channel {role} is not linked: an admin types `@Servicedesk koppel dit kanaal als {role}` in it"
        for role, channel in report["channels"].items()
        if not channel["linked"]
    ]
    if report["outbox"]["failed"]:
        problems.append(
            f"{plural(report['outbox']['failed'], 'message', 'messages')} failed for good: see docs/operations.md (failed messages)"
        )
    keys = report["signing_keys"]
    if keys["needed"] and not keys["loaded"]:
        problems.append(f"signing keys cannot be fetched ({keys.get('error')}): check OPENID_METADATA_URL and the network")
    return problems


def _lines(report: dict[str, Any]) -> list[str]:
    database = report["database"]
    lines = [
        f"mode:      {report['mode']}",
        f"policy:    {report['policy']['name']} ({report['policy']['time_zone']})",
        f"database:  {database['url']}",
        f"schema:    {database['schema'] or 'none'} (needed: {database['schema_needed']})",
    ]
    if "channels" in report:
        for role, channel in report["channels"].items():
            state = (
                f"linked {channel['linked_at']} by {channel['linked_by'] or '?'}" + ("" if channel["active"] else " (inactive)")
                if channel["linked"] else "not linked"
            )
            lines.append(f"channel:   {role}: {state}")
        outbox = report["outbox"]
        waiting = f", oldest {outbox['oldest_pending_minutes']} min" if outbox["oldest_pending_minutes"] is not None else ""
        lines.append(f"outbox:    {outbox['pending']} waiting{waiting}; {outbox['failed']} failed for good")
        for worker, count in sorted(outbox["leases"].items()):
            lines.append(f"lease:     {worker} is sending {plural(count, 'message', 'messages')}")
        for name, run in sorted(report["jobs"].items()):
            lines.append(f"job:       {name}: last {run['period']} at {run['at']} by {run['by']}")
        if not report["jobs"]:
            lines.append("job:       no weekly summary or privacy purge has run yet")
        keys = report["signing_keys"]
        if not keys["needed"]:
            lines.append("keys:      not needed (local development mode)")
        else:
            lines.append(f"keys:      {keys['loaded']} signing keys from {keys['from']}" + (f" ({keys['error']})" if keys.get("error") else ""))
    lines.extend(f"PROBLEM:   {problem}" for problem in report["problems"])
    return lines
