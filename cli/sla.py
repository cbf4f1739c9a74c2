"""`sla` commands: `sla deadlines` prints a ticket's deadlines as the JSON object DESIGN.md fixes.

    servicedesk sla deadlines --policy halt --priority P2 --opened 2026-03-27T16:30+01:00 \
        [--pause 2026-03-27T17:00+01:00/2026-03-30T09:00+02:00]... [--agreed 2026-04-02]

A pause with an empty end (``START/``) is still open: the deadlines it stops print as null.
Without ``--policy`` the policy is ``SLA_POLICY`` in ``TZ_NAME``, as the running bot has it.
Bad arguments get one line on stderr and exit status 2, so scripts can tell them from a crash.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime

from bot.settings import Settings
from cli.common import fail, load_policy_of
from sla.deadlines import compute_deadlines, deadlines_json
from sla.policy import PRIORITIES, PolicyError, load_policy


def _aware_timestamp(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 timestamp: {text!r}") from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"timestamp needs a UTC offset, e.g. {text}+01:00: {text!r}")
    return value


def _pause(text: str) -> tuple[datetime, datetime | None]:
    start_text, slash, end_text = text.partition("/")
    if not slash:
        raise argparse.ArgumentTypeError(f"pause must be START/END (END may be empty): {text!r}")
    start = _aware_timestamp(start_text)
    end = _aware_timestamp(end_text) if end_text else None
    if end is not None and end < start:
        raise argparse.ArgumentTypeError(f"pause ends before it starts: {text!r}")
    return start, end


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date like 2026-04-28: {text!r}") from None


def register(subparsers) -> None:
    """Add `sla` with its `deadlines` subcommand to an argparse subparsers object."""
    sla = subparsers.add_parser("sla", help="SLA rules: compute a ticket's deadlines")
    commands = sla.add_subparsers(dest="sla_command", metavar="COMMAND", required=True)
    deadlines = commands.add_parser(
        "deadlines",
        help="a ticket's deadlines as JSON",
        description="Print first_response_due, resolution_due, definitive_resolution_due and "
        "next_update_due for one ticket, in the policy's time zone.",
    )
    deadlines.add_argument(
        "--policy", default=None, help="halt, sib or a path to a .toml policy (default: SLA_POLICY, as the bot uses)"
    )
    deadlines.add_argument("--priority", required=True, choices=PRIORITIES)
    deadlines.add_argument("--opened", required=True, type=_aware_timestamp,
                           help="report time, ISO 8601 with UTC offset")
    deadlines.add_argument("--pause", action="append", default=[], type=_pause, metavar="START/END",
                           help="a 'wacht op derde' pause; repeat for more; empty END = still open")
    deadlines.add_argument("--agreed", type=_date, help="P4: the agreed date (ISO date)")
    deadlines.set_defaults(func=run_deadlines)


def run_deadlines(args: argparse.Namespace) -> int:
    """The policy is ``--policy`` or ``SLA_POLICY``, in ``TZ_NAME``: the figures the running bot shows."""
    settings = Settings.from_env()
    if args.policy is None:
        policy = load_policy_of(settings)
    else:
        try:
            policy = load_policy(args.policy, tz_name=settings.tz_name)
        except PolicyError as error:
            return fail(f"--policy: {error}")
    open_pauses = [start for start, end in args.pause if end is None]
    if len(open_pauses) > 1:
        return fail("--pause: only one pause can be open (START/ without END)")
    pauses = sorted(args.pause, key=lambda pause: (pause[1] is None, pause[0]))
    try:
        deadlines = compute_deadlines(
            policy, priority=args.priority, opened=args.opened, pauses=pauses, agreed=args.agreed
        )
    except ValueError as exc:
        return fail(str(exc))
    print(json.dumps(deadlines_json(policy, deadlines), ensure_ascii=False))
    return 0
