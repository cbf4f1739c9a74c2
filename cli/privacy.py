"""`privacy purge | export --user ID | erase --user ID`: retention, inzage and erasure (AVG).

- ``purge``: removes the personal data of tickets closed longer than ``RETENTION_DAYS`` (default
  365) ago; prints a JSON summary. The server runs the same every night.
- ``export --user OBJECT_ID``: prints everything stored about one person as JSON (inzage, art. 15).
- ``erase --user OBJECT_ID [--include-open]``: removes that person's personal data (art. 17);
  refuses (exit 1) while they have open tickets unless ``--include-open``.

Every run writes an audit entry; ``--by`` names who ran it (an Entra object id or a name).
Exit codes as every command's (``cli.common``): 1 when erase refused.
"""

from __future__ import annotations

import argparse
import json

from cli.common import EXIT_OK, EXIT_PROBLEM, fail, positive_int, with_database


def register(subparsers) -> argparse.ArgumentParser:
    privacy = subparsers.add_parser(
        "privacy",
        help="retention, inzage and erasure of personal data (AVG)",
        description="Personal data: purge after the retention period, export one person's data, erase it.",
    )
    sub = privacy.add_subparsers(dest="privacy_command", metavar="COMMAND")
    sub.required = True
    purge = sub.add_parser("purge", help="remove personal data of tickets closed longer than RETENTION_DAYS ago")
    purge.add_argument("--retention-days", type=positive_int, default=None, help="override RETENTION_DAYS for this run")
    purge.set_defaults(func=run_purge)
    export = sub.add_parser("export", help="print one person's data as JSON (inzage)")
    export.add_argument("--user", required=True, type=_object_id, help="the person's Entra object id")
    export.set_defaults(func=run_export)
    erase = sub.add_parser("erase", help="remove one person's personal data")
    erase.add_argument("--user", required=True, type=_object_id, help="the person's Entra object id")
    erase.add_argument(
        "--include-open", action="store_true", help="also anonymise tickets that are still open (they become unworkable)"
    )
    erase.set_defaults(func=run_erase)
    for parser in (purge, export, erase):
        parser.add_argument("--by", default="cli", help="who runs this, for the audit trail (default: cli)")
    return privacy


def _run(work) -> object:
    from sla.clock import SystemClock

    async def run(database, settings):
        return await work(database=database, clock=SystemClock(), settings=settings)

    return with_database(run)


def _object_id(text: str) -> str:
    """``--user``: an Entra object id (not empty, not an erased placeholder)."""
    value = text.strip()
    if not value or value.startswith("verwijderd"):
        raise argparse.ArgumentTypeError("needs an Entra object id")
    return value


def run_purge(args: argparse.Namespace) -> int:
    from storage.privacy import purge

    async def work(*, database, clock, settings):
        days = args.retention_days if args.retention_days is not None else settings.retention_days
        return await purge(database=database, clock=clock, retention_days=days, actor_id=args.by)

    result = _run(work)
    print(json.dumps(result.to_dict(), ensure_ascii=False))
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from storage.privacy import export_user

    async def work(*, database, clock, settings):
        return await export_user(database=database, clock=clock, user_id=args.user, actor_id=args.by)

    data = _run(work)
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    return EXIT_OK


def run_erase(args: argparse.Namespace) -> int:
    from storage.privacy import erase_user

    async def work(*, database, clock, settings):
        return await erase_user(
            database=database, clock=clock, user_id=args.user, include_open=args.include_open, actor_id=args.by
        )

    result = _run(work)
    print(json.dumps(result.to_dict(), ensure_ascii=False))
    if not result.done:
        return fail(
            "not erased: this person has open tickets "
            + ", ".join(f"M-{i}" for i in result.refused_open)
            + "; close them first or use --include-open",
            EXIT_PROBLEM,
        )
    return EXIT_OK
