"""Periods and the ticket histories the SLA figures are computed from.

Weeks are ISO weeks and months calendar months, both in the policy's time zone (a week that
contains a DST switch is 167 or 169 hours long, as the contract reads it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sla.events import TicketEvent
from sla.kpi import KpiReport, compute_periods
from sla.policy import Policy
from storage.models import Ticket, TicketEventRow
from storage.policy_versions import check_and_record


RESOLVED_SLACK = timedelta(days=31)


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    label: str  # "2026-W47" or "2026-11"
    start: datetime  # aware, UTC
    end: datetime

    def previous(self, policy: Policy) -> "Period":
        if "W" in self.label:
            local = self.start.astimezone(policy.tz) - timedelta(days=7)
            year, week, _ = local.isocalendar()
            return week_period(f"{year}-W{week:02d}", policy)
        local = self.start.astimezone(policy.tz)
        year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
        return month_period(f"{year}-{month:02d}", policy)


def _local_midnight(day: date, policy: Policy) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=policy.tz).astimezone(timezone.utc)


def week_period(label: str, policy: Policy) -> Period:
    match = re.fullmatch(r"(\d{4})-W(\d{2})", label.strip())
    if not match:
        raise PeriodError(f"week must look like 2026-W47, got {label!r}")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError as exc:
        raise PeriodError(f"{label} is not a week of {year}") from exc
    return Period(label=f"{year}-W{week:02d}", start=_local_midnight(monday, policy), end=_local_midnight(monday + timedelta(days=7), policy))


def month_period(label: str, policy: Policy) -> Period:
    match = re.fullmatch(r"(\d{4})-(\d{2})", label.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise PeriodError(f"month must look like 2026-11, got {label!r}")
    year, month = int(match.group(1)), int(match.group(2))
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return Period(label=f"{year}-{month:02d}", start=_local_midnight(first, policy), end=_local_midnight(following, policy))


def last_complete_week(now: datetime, policy: Policy) -> Period:
    local = now.astimezone(policy.tz) - timedelta(days=7)
    year, week, _ = local.isocalendar()
    return week_period(f"{year}-W{week:02d}", policy)


async def ticket_histories(session: AsyncSession, *, start: datetime, end: datetime) -> list[list[TicketEvent]]:
    """Event logs of every ticket reported before ``end`` and not resolved long before ``start``.

    A ticket resolved shortly before the period can still matter (a late CSAT score, the
    reporter saying they work again), so a month of slack is read; older resolved tickets
    cannot change this period's figures and are skipped.
    """
    horizon = start - RESOLVED_SLACK
    relevant = select(Ticket.id).where(
        Ticket.opened_at < end, (Ticket.resolved_at.is_(None)) | (Ticket.resolved_at >= horizon)
    )
    rows = await session.execute(
        select(TicketEventRow.ticket_id, TicketEventRow.kind, TicketEventRow.at, TicketEventRow.data)
        .where(TicketEventRow.ticket_id.in_(relevant))
        .order_by(TicketEventRow.ticket_id, TicketEventRow.id)
    )
    histories: dict[int, list[TicketEvent]] = {}
    for ticket_id, kind, at, data in rows:
        histories.setdefault(ticket_id, []).append(TicketEvent(kind=kind, at=at, data=data or {}))
    return list(histories.values())


def summary_payload(policy: Policy, *, period: Period, current: KpiReport, previous: KpiReport) -> dict[str, Any]:
    """What the weekly card and ``report weekly`` print: a period's figures and the one before."""
    return {
        "period": period.label,
        "first_day": period.start.astimezone(policy.tz).date().isoformat(),
        "last_day": (period.end.astimezone(policy.tz) - timedelta(days=1)).date().isoformat(),
        "previous_period": period.previous(policy).label,
        "report": current.to_dict(),
        "previous": previous.to_dict(),
    }


def quarter_period(label: str, policy: Policy) -> Period:
    match = re.fullmatch(r"(\d{4})-Q([1-4])", label.strip().upper())
    if not match:
        raise PeriodError(f"quarter must look like 2026-Q4, got {label!r}")
    year, quarter = int(match.group(1)), int(match.group(2))
    first = date(year, 3 * quarter - 2, 1)
    following = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return Period(label=f"{year}-Q{quarter}", start=_local_midnight(first, policy), end=_local_midnight(following, policy))


def months_back(period: Period, policy: Policy, count: int) -> list[Period]:
    """``period`` and the ``count - 1`` months before it, oldest first (a trend's months)."""
    months = [period]
    while len(months) < count:
        months.insert(0, months[0].previous(policy))
    return months


async def period_reports(session: AsyncSession, *, policy: Policy, periods: list[Period], now: datetime) -> list[KpiReport]:
    """The figures of several periods, each ticket folded once (``sla.kpi.compute_periods``).

    Refuses (``PolicyChanged``) when a policy version that was in force changed since.
    """
    await check_and_record(session, policy=policy, now=now)
    histories = await ticket_histories(session, start=min(p.start for p in periods), end=max(p.end for p in periods))
    return compute_periods(policy, histories, periods=[(p.start, p.end) for p in periods], now=now)


async def report_with_previous(
    session: AsyncSession, *, policy: Policy, period: Period, now: datetime
) -> dict[str, Any]:
    """The figures of a period and of the one before it (for trends), as JSON-safe dicts."""
    current, previous = await period_reports(session, policy=policy, periods=[period, period.previous(policy)], now=now)
    return summary_payload(policy, period=period, current=current, previous=previous)
