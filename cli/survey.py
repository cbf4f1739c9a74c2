"""`survey start|status|close`: the experience survey rounds (XLA, PvE §10.5) by hand.

A round also starts by itself in the SURVEY_MONTHS months and closes after SURVEY_OPEN_DAYS. These
commands write to the database; the running bot does the sending: a started round's questions go
out through ``reach`` within its next sweep (15 seconds; inside working hours, at Teams' pace,
within MAX_NOTICES_PER_WEEK), and regie's card with the results of a closed round within its next
outbox sweep (15 seconds). Start and close are written to
the audit trail (``--by`` names who ran them).

Exit codes as every command's (``cli.common``): 1 when there is nothing to do (a round is open
already for ``start``; none is open for ``close``).
"""

from __future__ import annotations

import argparse
from datetime import timedelta

from cli.common import EXIT_OK, EXIT_PROBLEM, fail, load_policy_of, plural, with_database
from dialogs import plain, texts
from sla.clock import SystemClock
from reach import surveys


def register(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "survey", help="experience survey rounds (XLA): start, status, close",
        description="The experience surveys (XLA, PvE §10.5): every employee is asked three scores from 1 to 10 "
        "in their personal chat. A round starts by itself in the SURVEY_MONTHS months; these commands start, "
        "show and close one by hand.",
    )
    sub = parser.add_subparsers(dest="survey_command", metavar="COMMAND")
    sub.required = True
    start = sub.add_parser(
        "start", help="start a round now (the running bot invites everyone inside working hours)",
        description="Start a round now. The running bot asks the employees within 15 seconds, inside working hours "
        "and at Teams' pace; the reminder goes after SURVEY_REMINDER_DAYS and the round closes after SURVEY_OPEN_DAYS.",
    )
    start.set_defaults(func=run_start)
    status = sub.add_parser("status", help="the open round (or the last one): asked, answered, reminded, figures so far")
    status.set_defaults(func=run_status)
    close = sub.add_parser("close", help="close the open round now; regie gets the results")
    close.set_defaults(func=run_close)
    for command in (start, close):
        command.add_argument("--by", default="cli", help="who runs this, for the audit trail (default: cli)")
    return parser


def run_start(args: argparse.Namespace) -> int:
    async def work(database, settings):
        policy = load_policy_of(settings)
        now = SystemClock().now()
        local = now.astimezone(policy.tz)
        label = texts.survey_on_request(day=local.date(), time=f"{local:%H:%M}")
        async with database.sessions.begin() as session:
            try:
                row = await surveys.start_round(
                    session, policy=policy, now=now, label=label, by=args.by, by_name=args.by,
                    remind_after=timedelta(days=settings.survey_reminder_days),
                    open_for=timedelta(days=settings.survey_open_days), what=texts.survey_what(label),
                )
            except surveys.StartRefused:
                return None
            return row.id, row.closes_at.astimezone(policy.tz)

    started = with_database(work)
    if started is None:
        return fail("a survey round is open already; `servicedesk survey status` shows it, `survey close` ends it", EXIT_PROBLEM)
    round_id, closes = started
    print(f"survey round {round_id} started; the running bot asks the employees within 15 seconds, inside working hours "
          f"and at Teams' pace; it closes {closes:%Y-%m-%d %H:%M}")
    return EXIT_OK


def run_status(args: argparse.Namespace) -> int:
    async def work(database, settings):
        policy = load_policy_of(settings)
        async with database.sessions() as session:
            row = await surveys.open_round(session) or await surveys.latest_round(session)
            if row is None:
                return None
            return row, await surveys.counts(session, round_=row), await surveys.figures(session, round_=row), policy.tz

    found = with_database(work)
    if found is None:
        print("no survey round was held yet; `servicedesk survey start` starts one")
        return EXIT_OK
    row, count, figures, tz = found
    state = "open" if row.closed_at is None else f"closed {row.closed_at.astimezone(tz):%Y-%m-%d %H:%M}"
    print(f"round {row.id} ({plain.line(row.label)}): {state}; started {row.started_at.astimezone(tz):%Y-%m-%d %H:%M}, "
          f"reminder {row.remind_at.astimezone(tz):%Y-%m-%d %H:%M}, closes {row.closes_at.astimezone(tz):%Y-%m-%d %H:%M}")
    rate = figures.response_rate_percent
    sent = (count["invitation"] or {}).get("sent", 0)
    reminded = (count["reminder"] or {}).get("sent", 0)
    print(f"asked {count['asked']}, reached {sent}, answered all three {count['answered']}, gave a score {figures.respondents}"
          f" ({'-' if rate is None else f'{rate:g}%'}), reminded {reminded}; "
          f"{plural(count['opted_out'], 'employee', 'employees')} said \"geen enquêtes\"")
    for result in figures.questions:
        line = texts.survey_result_line(
            mean=result.mean_rounded, norm=float(result.norm) if result.norm is not None else None, met=result.met,
            responses=result.responses, rate=result.response_rate_percent,
        )
        print(f"{texts.SURVEY_QUESTION_NAMES[result.question.value]}: {line}")
    return EXIT_OK


def run_close(args: argparse.Namespace) -> int:
    async def work(database, settings):
        now = SystemClock().now()
        async with database.sessions.begin() as session:
            row = await surveys.open_round(session)
            if row is None:
                return None
            await surveys.close_round(session, round_=row, now=now, by=args.by)
            return row.id

    closed = with_database(work)
    if closed is None:
        return fail("no survey round is open; `servicedesk survey status` shows the last one", EXIT_PROBLEM)
    print(f"survey round {closed} closed; the running bot sends the results to the regie channel within 15 seconds")
    return EXIT_OK
