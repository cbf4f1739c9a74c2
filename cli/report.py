"""`report weekly|monthly|quarterly` and `export tickets`: the SLA figures outside Teams.

The weekly report prints exactly the figures of the overleg's weekly card; the monthly report is
the service level report (SLR) over a calendar month, a document with charts (``bot.reports``); the
quarterly report is the supplier's scorecard (PvE §2.4.3 C) from the same figures; the export is
one CSV row per ticket with its SLA figures, for Power BI or Qlik.

``--format`` picks text (default), json, csv, html or pdf (weekly: text, json, csv); ``--out``
writes a file instead of standard output (a PDF always needs ``--out``); ``--json`` is kept as
``--format json``. Each is checked before the database is read: a mistake costs nothing.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import Any, Callable

from cli.common import OperatorError, load_policy_of, plural, with_database, writable_file
from sla.clock import SystemClock

FORMATS = ("text", "json", "csv", "html", "pdf")
WEEKLY_FORMATS = ("text", "json", "csv")


def _output_options(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    parser.add_argument("--format", choices=formats, default=None, help=f"what to write: {', '.join(formats)} (default text)")
    parser.add_argument("--json", action="store_true", help="the same as --format json")
    parser.add_argument("--out", default=None, help="file to write (default: standard output; a PDF needs a file)")


def register(subparsers) -> None:
    report = subparsers.add_parser(
        "report", help="SLA figures for a week, a month or a quarter", description="SLA figures against the contract."
    )
    sub = report.add_subparsers(dest="report_command", metavar="COMMAND")
    sub.required = True
    weekly = sub.add_parser("weekly", help="the weekly summary (same figures as the overleg card)")
    weekly.add_argument("--week", required=True, help="ISO week, e.g. 2026-W47")
    _output_options(weekly, WEEKLY_FORMATS)
    weekly.set_defaults(func=run_weekly)
    monthly = sub.add_parser("monthly", help="the monthly service level report (SLR), also as PDF with charts")
    monthly.add_argument("--month", required=True, help="calendar month, e.g. 2026-11")
    _output_options(monthly, FORMATS)
    monthly.set_defaults(func=run_monthly)
    quarterly = sub.add_parser("quarterly", help="the quarterly supplier scorecard (PvE §2.4.3 C)")
    quarterly.add_argument("--quarter", required=True, help="quarter, e.g. 2026-Q4")
    _output_options(quarterly, FORMATS)
    quarterly.set_defaults(func=run_quarterly)

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


def _target(args: argparse.Namespace) -> tuple[str, Path | None]:
    """(format, file) as asked, checked before any work."""
    fmt = "json" if args.json else (args.format or "text")
    if args.json and args.format not in (None, "json"):
        raise OperatorError(f"--json and --format {args.format} contradict each other: give one")
    out = writable_file(args.out) if args.out not in (None, "-") else None
    if fmt == "pdf" and out is None:
        raise OperatorError("a PDF goes to a file: add --out FILE.pdf")
    return fmt, out


def _figures(make_period, build) -> Any:
    from storage.reporting import PeriodError

    async def work(session, policy):
        return await build(session, policy, make_period(policy), SystemClock().now())

    try:
        return _with_database(work)
    except PeriodError as error:
        raise OperatorError(str(error)) from None


def _write(fmt: str, out: Path | None, figures: dict[str, Any], text: Callable[[dict[str, Any]], list[str]], rows, columns) -> int:
    if fmt == "pdf":
        from bot.reports.render import pdf

        data: bytes | str = pdf(figures)
    elif fmt == "html":
        from bot.reports.render import html

        data = html(figures)
    elif fmt == "json":
        data = json.dumps(figures, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows(figures))
        data = buffer.getvalue()
    else:
        data = "\n".join(text(figures)) + "\n"
    if out is None:
        sys.stdout.write(data)
        return 0
    if isinstance(data, bytes):
        out.write_bytes(data)
    else:
        out.write_text(data, encoding="utf-8")
    print(f"wrote {fmt} to {out}", file=sys.stderr)
    return 0


def run_weekly(args: argparse.Namespace) -> int:
    from bot.summary import priority_rows, summary_lines
    from bot.reports.slr import weekly_overleg
    from storage.reporting import week_period

    fmt, out = _target(args)

    async def build(session, policy, period, now):
        return await weekly_overleg(session, policy=policy, period=period, now=now)

    figures = _figures(lambda policy: week_period(args.week, policy), build)

    def rows(payload):
        return [{"period": payload["period"], "name": name, "result": text} for name, text in priority_rows(payload)]

    return _write(fmt, out, figures, lambda p: summary_lines(p, title="SLA-overzicht week"), rows, ("period", "name", "result"))


def _document(args: argparse.Namespace, make_period, build) -> int:
    """The SLR or the scorecard (``bot.reports``) in the format asked."""
    from bot.reports.render import CSV_COLUMNS, csv_rows, text_lines

    fmt, out = _target(args)
    return _write(fmt, out, _figures(make_period, build), text_lines, csv_rows, CSV_COLUMNS)


def run_monthly(args: argparse.Namespace) -> int:
    from bot.reports.slr import monthly_slr
    from storage.reporting import month_period

    async def build(session, policy, period, now):
        return await monthly_slr(session, policy=policy, period=period, now=now)

    return _document(args, lambda policy: month_period(args.month, policy), build)


def run_quarterly(args: argparse.Namespace) -> int:
    from bot.reports.slr import quarterly_scorecard
    from storage.reporting import quarter_period

    async def build(session, policy, period, now):
        return await quarterly_scorecard(session, policy=policy, quarter=period, now=now)

    return _document(args, lambda policy: quarter_period(args.quarter, policy), build)


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
