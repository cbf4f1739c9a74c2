"""`directory import FILE.csv`: who works where, so an announcement can reach a location or a team.

The columns (``object_id``, ``name``, ``location``, ``team``) are described in ``reach.directory``
and the README. An import replaces the whole directory; it prints one line: how many employees,
locations and teams, how many were removed, and how many the bot cannot reach yet (they never
talked to it: the app is not installed for them). A wrong file changes nothing: one line naming
the line and the column, exit 2. Each import is written to the audit trail (``--by``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.common import EXIT_OK, OperatorError, plural, with_database
from reach import directory
from sla.clock import SystemClock
from storage import audit


def register(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "directory", help="the employees' locations and teams (for announcements)",
        description="The directory: who works where, imported from the organisation's CSV export.",
    )
    sub = parser.add_subparsers(dest="directory_command", metavar="COMMAND")
    sub.required = True
    importing = sub.add_parser(
        "import", help="replace the directory with a CSV file (columns object_id,name,location,team)",
        description="Replace the directory with FILE: a CSV with the header object_id,name,location,team "
        "(comma or semicolon, UTF-8). Whoever is not in the file is removed. A wrong line changes nothing.",
    )
    importing.add_argument("file", help="the CSV file")
    importing.add_argument("--by", default="cli", help="who runs this, for the audit trail (default: cli)")
    importing.set_defaults(func=run_import)
    return parser


def _read(name: str) -> list[directory.Entry]:
    path = Path(name)
    if not path.is_file():
        raise OperatorError(f"no file {name}: name the directory's CSV export")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise OperatorError(f"{name} is not UTF-8 text: save the export as CSV UTF-8") from None
    try:
        return directory.parse(text)
    except directory.DirectoryError as error:
        raise OperatorError(f"{name}: {error}") from None


def run_import(args: argparse.Namespace) -> int:
    entries = _read(args.file)  # checked before the database is opened: a wrong file costs nothing

    async def work(database, settings):
        now = SystemClock().now()
        async with database.sessions.begin() as session:
            result = await directory.replace(session, entries, now=now)
            await audit.append(
                session, at=now, actor_id=args.by, action="directory_import", ticket_id=None, result="done",
                details={"employees": result.employees, "removed": result.removed, "unknown": result.unknown},
            )
        return result

    result = with_database(work)
    print(
        f"imported {plural(result.employees, 'employee', 'employees')} ({plural(result.locations, 'location', 'locations')}, "
        f"{plural(result.teams, 'team', 'teams')}); {result.removed} removed; "
        f"{result.unknown} not reachable yet (never talked to the bot: install the app for them, see README)"
    )
    return EXIT_OK
