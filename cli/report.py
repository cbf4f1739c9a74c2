"""`report weekly`, `report monthly` and `export tickets`: the SLA figures outside Teams.

The weekly report prints exactly the figures of the overleg's weekly card; the monthly report is
the service level report (SLR) over a calendar month; the export is one CSV row per ticket with
its SLA figures, for Power BI or Qlik.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any, Callable

from cli.common import OperatorError, load_policy_of, plural, with_database, writable_file
from sla.clock import SystemClock


def register(subparsers) -> None:
    report = subparsers.add_parser("report", help="SLA figures for a week or a month", description="SLA figures against the contract.")
    sub = report.add_subparsers(dest="report_command", metavar="COMMAND")
    sub.required = True
    weekly = sub.add_parser("weekly", help="the weekly summary (same figures as the overleg card)")
    weekly.add_argument("--week", required=True, help="ISO week, e.g. 2026-W47")
    weekly.add_argument("--json", action="store_true", help="print the figures as JSON")
    weekly.set_defaults(func=run_weekly)
    monthly = sub.add_parser("monthly", help="the monthly service level report")
    monthly.add_argument("--month", required=True, help="calendar month, e.g. 2026-11")
    monthly.add_argument("--json", action="store_true", help="print the figures as JSON")
    monthly.set_defaults(func=run_monthly)

    export = subparsers.add_parser("export", help="export data for reporting tools")
    export_sub = export.add_subparsers(dest="export_command", metavar="COMMAND")
    export_sub.required = True
    tickets = export_sub.add_parser("tickets", help="CSV with one row per ticket and its SLA figures (Power BI, Qlik)")
    tickets.add_argument("--out", default="-", help="file to write (default: standard output)")
    tickets.set_defaults(func=run_export_tickets)


def _with_database(work: Callable[..., Any]) -> Any:
    async def run(database, settings) -> Any:
        policy = load_policy_of(settings)
        async with database.sessions.begin() as session:  # records the policy versions in force
            return await work(session, policy)

    return with_database(run)


def _run_period(args: argparse.Namespace, make_period, title: str) -> int:
    from bot.summary import summary_lines
    from storage.reporting import PeriodError, report_with_previous

    async def work(session, policy):
        period = make_period(policy)
        return await report_with_previous(session, policy=policy, period=period, now=SystemClock().now())

    try:
        figures = _with_database(work)
    except PeriodError as error:
        raise OperatorError(str(error)) from None
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        print("\n".join(summary_lines(figures, title=title)))
    return 0


def run_weekly(args: argparse.Namespace) -> int:
    from storage.reporting import week_period

    return _run_period(args, lambda policy: week_period(args.week, policy), "SLA-overzicht week")


def run_monthly(args: argparse.Namespace) -> int:
    from storage.reporting import month_period

    return _run_period(args, lambda policy: month_period(args.month, policy), "Service level report maand")


def run_export_tickets(args: argparse.Namespace) -> int:
    from storage.export import COLUMNS, ticket_rows

    out = None if args.out == "-" else writable_file(args.out)  # before the query: a mistake costs nothing

    async def work(session, policy):
        return [row async for row in ticket_rows(session, policy=policy, now=SystemClock().now())]

    rows = _with_database(work)
    stream = sys.stdout if out is None else open(out, "w", newline="", encoding="utf-8")
    try:
        writer = csv.DictWriter(stream, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    finally:
        if stream is not sys.stdout:
            stream.close()
    if out is not None:
        print(f"wrote {plural(len(rows), 'ticket', 'tickets')} to {out}", file=sys.stderr)
    return 0
