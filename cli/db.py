"""`db upgrade` and `db current`: the database schema, managed with Alembic."""

from __future__ import annotations

import argparse
import asyncio


def register(subparsers) -> argparse.ArgumentParser:
    db = subparsers.add_parser("db", help="database schema (migrations)", description="Database schema, managed with Alembic.")
    sub = db.add_subparsers(dest="db_command", metavar="COMMAND")
    sub.required = True
    upgrade = sub.add_parser("upgrade", help="apply all migrations to DATABASE_URL (default: the SQLite file)")
    upgrade.set_defaults(func=run_upgrade)
    current = sub.add_parser("current", help="print the schema revision of DATABASE_URL and the one this version needs")
    current.set_defaults(func=run_current)
    return db


def run_upgrade(args: argparse.Namespace) -> int:
    from bot.settings import Settings
    from storage.migrate import upgrade

    settings = Settings.from_env()
    upgrade(settings.database_url)
    print(f"database schema is current ({_safe(settings.database_url)})")
    return 0


def run_current(args: argparse.Namespace) -> int:
    from bot.settings import Settings
    from storage.db import open_database
    from storage.migrate import current_revision, head_revision

    settings = Settings.from_env()

    async def read() -> str | None:
        database = open_database(settings.database_url)
        try:
            return await current_revision(database.engine)
        finally:
            await database.dispose()

    current = asyncio.run(read())
    print(f"current: {current or 'none'}; needed: {head_revision()}")
    return 0 if current == head_revision() else 1


def _safe(url: str) -> str:
    """The URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
