"""`outbox list [--failed] | retry ID|--all | discard ID`: the messages the bot could not deliver.

A message Teams keeps refusing is tried again for ``OUTBOX_GIVE_UP_HOURS`` and then given up
(``failed``); the servicedesk channel is told which one. Once the cause is gone (a channel's
permissions back, a channel linked again), ``retry`` puts it back in the queue: a running bot sends
it within its next outbox sweep (15 seconds). ``discard`` drops a pending or failed message for good.
Each retry and discard is written to the audit trail (``--by`` names who ran it).

Exit 0 on success, 1 when no such message can be retried or discarded, 2 on bad settings or input.
"""

from __future__ import annotations

import argparse
import asyncio
import sys


def register(subparsers) -> argparse.ArgumentParser:
    outbox = subparsers.add_parser(
        "outbox", help="messages the bot could not deliver: list, send again, discard",
        description="The outbox: messages waiting to be sent, and those given up.",
    )
    sub = outbox.add_subparsers(dest="outbox_command", metavar="COMMAND")
    sub.required = True
    listing = sub.add_parser("list", help="messages not delivered yet (pending and given up)")
    listing.add_argument("--failed", action="store_true", help="only the messages given up")
    listing.set_defaults(func=run_list)
    retry = sub.add_parser("retry", help="send a given-up message again (or every one with --all)")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", type=int, help="the message's id (from `outbox list`)")
    which.add_argument("--all", action="store_true", help="every given-up message")
    retry.set_defaults(func=run_retry)
    discard = sub.add_parser("discard", help="drop a pending or given-up message for good")
    discard.add_argument("id", type=int, help="the message's id (from `outbox list`)")
    discard.set_defaults(func=run_discard)
    for parser in (retry, discard):
        parser.add_argument("--by", default="cli", help="who runs this, for the audit trail (default: cli)")
    return outbox


def _run(work) -> object:
    from bot.settings import Settings, SettingsError
    from sla.clock import SystemClock
    from storage.db import open_database
    from storage.migrate import SchemaNotCurrent, ensure_current

    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"servicedesk: {error}", file=sys.stderr)
        raise SystemExit(2) from None

    async def main():
        database = open_database(settings.database_url)
        try:
            await ensure_current(database.engine)
            async with database.sessions.begin() as session:
                return await work(session, SystemClock().now())
        finally:
            await database.dispose()

    try:
        return asyncio.run(main())
    except SchemaNotCurrent as error:
        print(f"servicedesk: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def run_list(args: argparse.Namespace) -> int:
    from storage import outbox
    from storage.tickets import ticket_label

    async def work(session, now):
        return await outbox.undelivered(session, failed_only=args.failed)

    rows = _run(work)
    if not rows:
        print("no messages given up" if args.failed else "nothing waiting: every message was delivered")
        return 0
    print("id\tstatus\tto\tkind\tticket\tattempts\tcreated\tfailing since\tlast error")
    for row in rows:
        print("\t".join(str(value) for value in (
            row.id, row.status, f"{row.target_kind}:{row.target_key}", (row.payload or {}).get("kind", "?"),
            ticket_label(row.ticket_id) if row.ticket_id is not None else "-", row.attempts, row.created_at.isoformat(),
            row.failing_since.isoformat() if row.failing_since else "-", (row.last_error or "-").replace("\t", " ").replace("\n", " "),
        )))
    return 0


def _audited(action: str, ids: list[int], by: str, session, now):
    from storage import audit

    return audit.append(session, at=now, actor_id=by, action=action, ticket_id=None, result="done", details={"messages": ids})


def run_retry(args: argparse.Namespace) -> int:
    from storage import outbox

    async def work(session, now):
        ids = await outbox.send_again(session, message_ids=None if args.all else [args.id], now=now)
        if ids:
            await _audited("outbox_retry", ids, args.by, session, now)
        return ids

    ids = _run(work)
    if not ids:
        print("servicedesk: no given-up message " + ("to send again" if args.all else f"with id {args.id}"), file=sys.stderr)
        return 1
    print(f"{len(ids)} message(s) queued again: {', '.join(map(str, ids))}; a running bot sends them within 15 seconds")
    return 0


def run_discard(args: argparse.Namespace) -> int:
    from storage import outbox

    async def work(session, now):
        done = await outbox.discard(session, message_id=args.id)
        if done:
            await _audited("outbox_discard", [args.id], args.by, session, now)
        return done

    if not _run(work):
        print(f"servicedesk: no pending or given-up message with id {args.id}", file=sys.stderr)
        return 1
    print(f"message {args.id} discarded")
    return 0
