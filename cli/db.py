"""`db upgrade`, `db current` and `db backup`: the database schema (Alembic) and its copy.

``db backup --out FILE`` copies a SQLite database with SQLite's online backup API: a consistent
copy while the bot keeps serving (the bot writes in WAL mode; the copy holds every committed
transaction up to its start). It writes to a temporary file beside FILE and renames it when the
copy is complete and passes ``PRAGMA quick_check``, so a failed backup leaves nothing behind. On
PostgreSQL the equivalent is ``pg_dump`` (docs/operations.md); the command says so and stops.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
from contextlib import closing

from bot.settings import Settings
from cli.common import (
    EXIT_DATABASE,
    EXIT_OK,
    EXIT_PROBLEM,
    OperatorError,
    checked_database_url,
    opened_database,
    safe_url,
    writable_file,
)
from storage.db import sqlite_file
from storage.migrate import current_revision, head_revision, upgrade


def register(subparsers) -> argparse.ArgumentParser:
    db = subparsers.add_parser("db", help="database schema (migrations) and backup", description="Database schema, managed with Alembic, and backup.")
    sub = db.add_subparsers(dest="db_command", metavar="COMMAND")
    sub.required = True
    upgrade = sub.add_parser("upgrade", help="apply all migrations to DATABASE_URL (creates the SQLite file)")
    upgrade.set_defaults(func=run_upgrade)
    current = sub.add_parser(
        "current", help="print the schema revision of DATABASE_URL and the one this version needs; exit 1 when behind"
    )
    current.set_defaults(func=run_current)
    backup = sub.add_parser(
        "backup", help="copy the SQLite database while the bot runs (PostgreSQL: pg_dump, see docs/operations.md)"
    )
    backup.add_argument("--out", required=True, metavar="FILE", help="the copy to write; must not exist yet")
    backup.set_defaults(func=run_backup)
    return db


def run_upgrade(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    url = checked_database_url(settings.database_url, creates=True)
    path = sqlite_file(url)
    if path is None or path.exists():
        asyncio.run(_revision(settings))  # one clear line when the server is not there
    upgrade(url)
    print(f"database schema is current ({safe_url(url)})")
    return EXIT_OK


async def _revision(settings) -> str | None:
    async with opened_database(settings, schema_current=False) as database:
        return await current_revision(database.engine)


def run_current(args: argparse.Namespace) -> int:
    current = asyncio.run(_revision(Settings.from_env()))
    print(f"current: {current or 'none'}; needed: {head_revision()}")
    return EXIT_OK if current == head_revision() else EXIT_PROBLEM


def run_backup(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    out = writable_file(args.out)
    if out.exists():
        raise OperatorError(f"--out {args.out} exists already: name a new file (a backup never overwrites)")
    url = checked_database_url(settings.database_url)
    source = sqlite_file(url)
    if source is None:
        raise OperatorError(
            "db backup copies a SQLite database; for PostgreSQL use pg_dump "
            f"(pg_dump --format=custom --file {args.out} \"$DATABASE_URL\", see docs/operations.md)"
        )
    if asyncio.run(_revision(settings)) is None:
        raise OperatorError(
            f"{source} has no servicedesk schema yet (`servicedesk db upgrade` creates it): nothing to back up", EXIT_DATABASE
        )
    partial = out.with_name(f".{out.name}.partial")
    try:
        read_only = f"{source.resolve().as_uri()}?mode=ro"
        with closing(sqlite3.connect(read_only, uri=True)) as original, closing(sqlite3.connect(partial)) as copy:
            original.backup(copy)
            check = copy.execute("PRAGMA quick_check").fetchone()[0]
            tickets = copy.execute("SELECT count(*) FROM tickets").fetchone()[0]
        if check != "ok":
            raise OperatorError(f"the copy failed its check ({check}); nothing was written", EXIT_DATABASE)
        partial.rename(out)
    finally:
        partial.unlink(missing_ok=True)
    print(f"backed up {source} to {out} ({tickets} tickets, {out.stat().st_size} bytes)")
    return EXIT_OK
