"""`audit verify`: check the audit trail's hash chain.

Exit 0 and "OK" when every link holds; exit 1 naming the first broken entry otherwise.
"""

from __future__ import annotations

import argparse
import asyncio


def register(subparsers) -> argparse.ArgumentParser:
    audit = subparsers.add_parser(
        "audit", help="the audit trail (verify its hash chain)", description="The append-only, hash-chained audit trail."
    )
    sub = audit.add_subparsers(dest="audit_command", metavar="COMMAND")
    sub.required = True
    verify = sub.add_parser(
        "verify", help="check every link of the chain in DATABASE_URL; exit 1 at the first broken one"
    )
    verify.set_defaults(func=run_verify)
    return audit


def run_verify(args: argparse.Namespace) -> int:
    from bot.settings import Settings
    from storage import audit
    from storage.db import open_database

    settings = Settings.from_env()

    async def check() -> audit.VerifyResult:
        database = open_database(settings.database_url)
        try:
            async with database.sessions() as session:
                return await audit.verify(session)
        finally:
            await database.dispose()

    result = asyncio.run(check())
    if result.ok:
        print(f"OK: audit trail intact ({result.checked} entries)")
        return 0
    print(
        f"BROKEN: audit entry {result.broken_id}: {result.reason}; "
        f"the {result.checked} entries before it are intact"
    )
    return 1
