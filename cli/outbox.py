"""`outbox list [--failed] | retry ID|--all | discard ID`: the messages the bot could not deliver.

A message Teams keeps refusing is tried again for ``OUTBOX_GIVE_UP_HOURS`` and then given up
(``failed``); the servicedesk channel is told which one. Once the cause is gone (a channel's
permissions back, a channel linked again), ``retry`` puts it back in the queue: a running bot sends
it within its next outbox sweep (15 seconds). ``discard`` drops a pending or failed message for good.
Each retry and discard is written to the audit trail (``--by`` names who ran it).

Exit codes as every command's (``cli.common``): 1 when the message named cannot be retried or
discarded (``retry --all`` with nothing given up is done, 0).
"""

from __future__ import annotations

import argparse
from typing import Any, Awaitable, Callable

from cli.common import EXIT_OK, EXIT_PROBLEM, fail, plural, positive_int, with_database
from sla.clock import SystemClock
from storage import audit, outbox
from storage.labels import ticket_label


def register(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "outbox", help="messages the bot could not deliver: list, send again, discard",
        description="The outbox: messages waiting to be sent, and those given up.",
    )
    sub = parser.add_subparsers(dest="outbox_command", metavar="COMMAND")
    sub.required = True
    listing = sub.add_parser("list", help="messages not delivered yet (pending and given up)")
    listing.add_argument("--failed", action="store_true", help="only the messages given up")
    listing.set_defaults(func=run_list)
    retry = sub.add_parser("retry", help="send a given-up message again (or every one with --all)")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", type=positive_int, help="the message's id (from `outbox list`)")
    which.add_argument("--all", action="store_true", help="every given-up message")
    retry.set_defaults(func=run_retry)
    discard = sub.add_parser("discard", help="drop a pending or given-up message for good")
    discard.add_argument("id", type=positive_int, help="the message's id (from `outbox list`)")
    discard.set_defaults(func=run_discard)
    for command in (retry, discard):
        command.add_argument("--by", default="cli", help="who runs this, for the audit trail (default: cli)")
    return parser


def _in_one_transaction(work: Callable[..., Awaitable[Any]]) -> Any:
    """``await work(session, now)`` in one transaction on ``DATABASE_URL``."""

    async def transaction(database, settings):
        async with database.sessions.begin() as session:
            return await work(session, SystemClock().now())

    return with_database(transaction)


def run_list(args: argparse.Namespace) -> int:
    async def work(session, now):
        return await outbox.undelivered(session, failed_only=args.failed)

    rows = _in_one_transaction(work)
    if not rows:
        print("no messages given up" if args.failed else "nothing waiting: every message was delivered")
        return EXIT_OK
    print("id\tstatus\tto\tkind\tticket\tattempts\tcreated\tfailing since\tlast error")
    for row in rows:
        print("\t".join(str(value) for value in (
            row.id, row.status, f"{row.target_kind}:{row.target_key}", (row.payload or {}).get("kind", "?"),
            ticket_label(row.ticket_id) if row.ticket_id is not None else "-", row.attempts, row.created_at.isoformat(),
            row.failing_since.isoformat() if row.failing_since else "-", (row.last_error or "-").replace("\t", " ").replace("\n", " "),
        )))
    return EXIT_OK


def _audited(action: str, ids: list[int], by: str, session, now):
    return audit.append(session, at=now, actor_id=by, action=action, ticket_id=None, result="done", details={"messages": ids})


def run_retry(args: argparse.Namespace) -> int:
    async def work(session, now):
        ids = await outbox.send_again(session, message_ids=None if args.all else [args.id], now=now)
        if ids:
            await _audited("outbox_retry", ids, args.by, session, now)
        return ids

    ids = _in_one_transaction(work)
    if not ids and args.all:
        print("no messages given up: nothing to send again")
        return EXIT_OK
    if not ids:
        return fail(f"no given-up message with id {args.id}; `servicedesk outbox list --failed` shows them", EXIT_PROBLEM)
    print(f"{plural(len(ids), 'message', 'messages')} queued again: {', '.join(map(str, ids))}; a running bot sends them within 15 seconds")
    return EXIT_OK


def run_discard(args: argparse.Namespace) -> int:
    async def work(session, now):
        done = await outbox.discard(session, message_id=args.id)
        if done:
            await _audited("outbox_discard", [args.id], args.by, session, now)
        return done

    if not _in_one_transaction(work):
        return fail(f"no pending or given-up message with id {args.id}; `servicedesk outbox list` shows them", EXIT_PROBLEM)
    print(f"message {args.id} discarded")
    return EXIT_OK
