"""`audit verify`: check the audit trail's hash chain.

Exit 0 and "OK" when every link holds; exit 1 naming the first broken entry otherwise.
"""

from __future__ import annotations

import argparse

from cli.common import EXIT_OK, EXIT_PROBLEM, with_database


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
    from storage import audit

    async def check(database, settings) -> audit.VerifyResult:
        async with database.sessions() as session:
            return await audit.verify(session)

    result = with_database(check)
    if result.ok:
        print(f"OK: audit trail intact ({result.checked} entries)")
        return EXIT_OK
    print(
        f"BROKEN: audit entry {result.broken_id}: {result.reason}; "
        f"the {result.checked} entries before it are intact"
    )
    return EXIT_PROBLEM
