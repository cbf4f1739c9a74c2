"""The monthly service level report (SLR) and the quarterly scorecard, as one JSON-safe dict each.

Every format (``bot.reports.render``: text, CSV, HTML, PDF; regie's monthly card) is drawn from this
dict, and the dict from the figures of ``sla.kpi`` (one fold per ticket for all months at once,
``storage.reporting.period_reports``) and the escalation records (``storage.escalations``).
Nothing is computed twice: a share, a verdict, a breach's fold cause are ``sla.kpi``'s; a
requirement's place on the agenda is the policy's ``[agenda]`` (the annex's legend).

What the SLR holds (PvE §2.1.2, §2.4.2, §2.4.3 C, §10.1.3, §10.4, §10.5): per norm the result
with ✓/✗ and six months of trend; the contract's requirements marked "Altijd" / "Alleen bij
afwijking"; the escalation overview; the breaches with the supplier's cause and corrective action
(or "geen oorzaak opgegeven"); P1 tickets and P1-uplifts with their motivation; security incidents
and containment; major incidents and their RCA; MTTR and MTTP over six months; the CSAT
distribution and remarks; the backlog; the waits per third party; the improvement actions with
owner, date and state; the XLA results (``xla_section``).

Whom it names: tickets by number and **subject** (``texts.ticket_subject``: the public title the
servicedesk set, else category and priority), never by a reporter's name or description, because
the report reaches people the reporter did not write to. The people's words it does show (the
P1-uplift's motivation, causes, actions, evaluations, CSAT remarks) are plain text in every format:
``plain.line`` in text and CSV, the template's autoescaping in HTML and PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.escalation_cards import action_state, norm_label, subject
from bot.summary import CLOCK_NAMES as CLOCK_TITLES, csat_text, minutes_text, share_text
from dialogs import texts
from sla.escalation import Trigger
from sla.kpi import KpiReport
from sla.policy import AGENDA_ALWAYS, CLOCK_NAMES, Policy
from sla.xla import all_met
from reach import surveys
from storage import escalations
from storage.labels import parse_ticket_label, ticket_label
from storage.models import EscalationRow, Ticket
from storage.reporting import Period, month_period, months_back, period_reports, report_with_previous, summary_payload

TREND_MONTHS = 6
TREND_CLOCKS = ("first_response", "resolution")  # charted per priority; the others are listed


def month_name(label: str) -> str:
    """ "2026-11" -> "november 2026"."""
    year, month = label.split("-")
    return texts.month_and_year(month=int(month), year=int(year))


def _short_month(label: str) -> str:
    return texts.MONTHS[int(label.split("-")[1]) - 1][:3]


async def _tickets(session: AsyncSession, labels: Sequence[str | None], ids: Sequence[int | None] = ()) -> dict[int, Ticket]:
    wanted = {parse_ticket_label(label) for label in labels if label} | {i for i in ids if i is not None}
    wanted.discard(None)
    if not wanted:
        return {}
    rows = await session.execute(select(Ticket).where(Ticket.id.in_(sorted(wanted))))
    return {ticket.id: ticket for ticket in rows.scalars()}


def _escalation_dict(row: EscalationRow, ticket: Ticket | None, *, today: date, tz) -> dict[str, Any]:
    return {
        "id": row.id, "level": row.level, "proposed_level": row.proposed_level, "state": row.state,
        "state_text": texts.ESCALATION_STATES[row.state], "trigger": row.trigger,
        "trigger_text": texts.ESCALATION_TRIGGERS[row.trigger], "norm": row.norm, "norm_text": norm_label(row.norm),
        "ticket": ticket_label(row.ticket_id) if row.ticket_id is not None else None,
        "subject": subject(ticket) if row.trigger == Trigger.BREACH.value else month_name(row.period),
        "why": texts.escalation_why((row.reasons or {}).get("why") or []),
        "opened": row.opened_at.astimezone(tz).isoformat(), "start_by": row.start_by.astimezone(tz).isoformat(),
        "level_reason": row.level_reason, "level_by": row.level_by_name,
        "cause": row.cause, "action": row.action, "action_owner": row.action_owner,
        "action_due": row.action_due.isoformat() if row.action_due else None,
        "action_state": action_state(row, today) if row.action else None,
        "evaluation": row.evaluation, "closed": row.closed_at.astimezone(tz).isoformat() if row.closed_at else None,
    }


def _cause_of(breach: dict[str, Any], ticket_id: int | None, by_ticket: dict[int, list[EscalationRow]]) -> EscalationRow | None:
    """The escalation a breach opened: same ticket and norm, the one whose deadline is the breach's
    (a run of missed updates: the latest that began at or before it)."""
    norm = f"{breach['priority']}:{breach['clock']}"
    candidates = [r for r in by_ticket.get(ticket_id, []) if r.norm == norm and r.due is not None]
    due = datetime.fromisoformat(breach["due"])
    exact = [r for r in candidates if r.due == due]
    earlier = sorted((r for r in candidates if r.due <= due), key=lambda r: r.due)
    return (exact or earlier[-1:] or [None])[0]


def _trend(policy: Policy, months: list[Period], reports: list[KpiReport]) -> dict[str, Any]:
    norms: dict[str, list[float | None]] = {}
    norm_percent: dict[str, float | None] = {}
    for priority in ("P1", "P2", "P3", "P4"):
        for clock in TREND_CLOCKS:
            key = f"{priority}:{clock}"
            shares = [report.priority(priority).clocks.get(clock) for report in reports]
            norms[key] = [share.share_percent if share else None for share in shares]
            latest = shares[-1]
            norm_percent[key] = float(latest.norm) if latest is not None and latest.norm is not None else None
    return {
        "months": [m.label for m in months], "labels": [_short_month(m.label) for m in months],
        "norms": norms, "norm_percent": norm_percent,
        "mttr_minutes": [r.mttr.minutes for r in reports], "mttp_minutes": [r.mttp.minutes for r in reports],
        "csat_average": [r.csat.average for r in reports],
        "backlog_older": [r.backlog.older_count for r in reports],
    }


def _requirements(policy: Policy, report: dict[str, Any], extra: dict[str, tuple[str, bool | None]]) -> list[dict[str, Any]]:
    """The policy's [agenda] list, each with its result, ✓/✗ and whether it is on this month's agenda."""
    rows = []
    by_priority = {p["priority"]: p for p in report["priorities"]}

    def row(item, name: str, result: str, met: bool | None, priority: str | None = None) -> None:
        minimum = priority in item.minimum if priority else bool(item.minimum)
        rows.append({
            "key": item.key, "name": name, "priority": priority, "section": item.section,
            "agenda": item.agenda, "minimum": minimum, "result": result, "met": met,
            "on_agenda": item.agenda == AGENDA_ALWAYS or met is False,
        })

    for item in policy.agenda:
        key = item.key
        if key in CLOCK_NAMES and key in report["clocks"]:
            figure = report["clocks"][key]
            row(item, texts.FIGURE_NAMES.get(key, key), share_text(figure), figure["met"])
        elif key in CLOCK_NAMES:
            for priority, figures in by_priority.items():
                figure = figures.get(key)
                # Reaction and resolution always; a clock only some tickets have when it counted.
                if figure is not None and (figure["counted"] or key in TREND_CLOCKS):
                    row(item, f"{priority} {CLOCK_TITLES[key]}", share_text(figure), figure["met"], priority)
        elif key in ("kept_informed", "first_time_fix", "single_owner", "major_incident_updates"):
            figure = report.get(key)
            if figure is not None:
                row(item, texts.FIGURE_NAMES[key], share_text(figure), figure["met"])
        elif key == "csat":
            csat = report["csat"]
            verdicts = [v for v in (csat["average_met"], csat["share_met"]) if v is not None]
            row(item, texts.FIGURE_NAMES["csat"], csat_text(csat), all(verdicts) if verdicts else None)
        elif key == "backlog":
            backlog = report["backlog"]
            row(item, texts.FIGURE_NAMES["backlog"], texts.backlog_text(older=backlog["older_count"], open_count=backlog["open_count"]),
                backlog["within_limits"])
        elif key in ("mttr", "mttp"):
            row(item, key.upper(), texts.without_norm(minutes_text(report[f"{key}_minutes"])), None)
        elif key in extra:
            row(item, texts.REQUIREMENT_NAMES[key], *extra[key])
    return rows


async def xla_section(session: AsyncSession, *, policy: Policy, period: Period) -> dict[str, Any] | None:
    """The experience figures (PvE §10.5: "De resultaten van de XLA's worden opgenomen in de
    maandelijkse SLR") of the survey rounds that closed in ``period``, each question against the
    norm the round started with; None when no round closed then ("geen meting"). The employees'
    remarks are not in it: they go to regie's card only."""
    rounds = await surveys.closed_between(session, start=period.start, end=period.end)
    if not rounds:
        return None
    shown = []
    for row in rounds:
        found = await surveys.figures(session, round_=row)
        entry = found.to_dict(policy.tz)
        for question in entry["questions"]:
            question["name"] = texts.SURVEY_QUESTION_NAMES[question["question"]]
            question["result"] = texts.survey_result_line(
                mean=question["mean"], norm=question["norm"], met=question["met"], responses=question["responses"],
                rate=question["response_rate_percent"],
            )
        entry["met"] = all_met(found.questions)
        shown.append(entry)
    verdicts = [r["met"] for r in shown if r["met"] is not None]
    summary = "; ".join(
        f"{r['label']}: " + ", ".join(
            f"{q['name'].split(' (')[0].lower()} {texts.survey_number(q['mean'])}"
            + ("" if q["met"] is None else (" ✓" if q["met"] else " ✗"))
            for q in r["questions"]
        ) + texts.xla_response(texts.survey_number(r["response_rate_percent"]))
        for r in shown
    )
    return {"summary": summary, "met": all(verdicts) if verdicts else None, "rounds": shown}


async def enriched_breaches(session: AsyncSession, breaches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each breach of ``sla.kpi`` with what the overleg and regie discuss: the ticket's subject and
    owner, the escalation it opened, and the supplier's cause and corrective action, if recorded."""
    ids = [parse_ticket_label(b["ticket"]) for b in breaches if b["ticket"]]
    tickets = await _tickets(session, [], ids)
    by_ticket: dict[int, list[EscalationRow]] = {}
    for row in await escalations.for_tickets(session, [i for i in ids if i is not None]):
        by_ticket.setdefault(row.ticket_id, []).append(row)
    result = []
    for breach in breaches:
        ticket_id = parse_ticket_label(breach["ticket"]) if breach["ticket"] else None
        ticket = tickets.get(ticket_id)
        escalation = _cause_of(breach, ticket_id, by_ticket)
        result.append({
            **breach, "clock_text": CLOCK_TITLES.get(breach["clock"], breach["clock"]),
            "cause_text": texts.breach_cause(breach["cause"]), "subject": subject(ticket),
            "owner": (ticket.owner_name if ticket is not None else None) or texts.OWNER_NOBODY,
            "level": escalation.level if escalation else None,
            "supplier_cause": escalation.cause if escalation and escalation.cause else None,
            "action": escalation.action if escalation else None,
            "action_owner": escalation.action_owner if escalation else None,
            "action_due": escalation.action_due.isoformat() if escalation and escalation.action_due else None,
        })
    return result


async def weekly_overleg(session: AsyncSession, *, policy: Policy, period: Period, now: datetime) -> dict[str, Any]:
    """What the operational overleg discusses (PvE §2.4.2): the week's figures against last week's,
    the breaches with subject, owner and cause, the open escalations and the open actions."""
    payload = await report_with_previous(session, policy=policy, period=period, now=now)
    tz = policy.tz
    rows = [r for r in await escalations.in_period(session, start=period.start, end=period.end) if r.closed_at is None or r.closed_at >= period.end]
    tickets = await _tickets(session, [], [r.ticket_id for r in rows])
    today = min(now, period.end).astimezone(tz).date()
    open_rows = [_escalation_dict(row, tickets.get(row.ticket_id), today=today, tz=tz) for row in rows if row.opened_at < period.end]
    return {
        **payload,
        "breaches": await enriched_breaches(session, payload["report"]["breaches"]),
        "open_escalations": open_rows,
        "open_actions": [e for e in open_rows if e["action"]],
    }


async def monthly_slr(session: AsyncSession, *, policy: Policy, period: Period, now: datetime) -> dict[str, Any]:
    """The SLR of ``period`` (a calendar month) as the figures are known at ``now``."""
    tz = policy.tz
    months = months_back(period, policy, TREND_MONTHS)
    reports = await period_reports(session, policy=policy, periods=months, now=now)
    current, previous = reports[-1], reports[-2]
    payload = summary_payload(policy, period=period, current=current, previous=previous)
    report = payload["report"]
    rows = await escalations.in_period(session, start=period.start, end=period.end)
    labels = [t["ticket"] for key in ("p1_tickets", "security_incidents", "major_incidents") for t in report[key]]
    tickets = await _tickets(session, labels, [r.ticket_id for r in rows])
    today = min(now, period.end).astimezone(tz).date()
    breaches = await enriched_breaches(session, report["breaches"])

    def listed(key: str) -> list[dict[str, Any]]:
        uplifts = {u["ticket"]: u["motivation"] for u in report["uplifts"]}
        return [
            {**item, "subject": subject(tickets.get(parse_ticket_label(item["ticket"]) if item["ticket"] else None)),
             "motivation": uplifts.get(item["ticket"]) if item["uplift"] else None}
            for item in report[key]
        ]

    escalation_list = [_escalation_dict(row, tickets.get(row.ticket_id), today=today, tz=tz) for row in rows]
    actions = [e for e in escalation_list if e["action"]]
    security = listed("security_incidents")
    xla = await xla_section(session, policy=policy, period=period)
    update_breaches = sum(1 for b in breaches if b["clock"] == "update")
    late_actions = sum(1 for a in actions if a["action_state"] == texts.ACTION_LATE)
    security_breached = any(state in ("missed", "overdue") for s in security for state in s["clocks"].values())
    extra = {
        "update": (texts.updates_missed(update_breaches), update_breaches == 0),
        "security": (texts.security_incidents_count(len(security)), False if security_breached else None),
        "escalations": (texts.escalations_this_month(len(escalation_list)), None),
        "improvement_actions": (texts.actions_late(count=len(actions), late=late_actions), late_actions == 0 if actions else None),
        "xla": (texts.NOT_MEASURED if xla is None else xla.get("summary", ""), xla.get("met") if xla else None),
    }
    return {
        "kind": "slr",
        **payload,
        "title": texts.slr_title(month_name(period.label)),
        "month_name": month_name(period.label),
        "previous_month_name": month_name(payload["previous_period"]),
        "generated": now.astimezone(tz).isoformat(),
        "trend": _trend(policy, months, reports),
        "requirements": _requirements(policy, report, extra),
        "escalations": escalation_list,
        "breaches": breaches,
        "breaches_without_cause": sum(1 for b in breaches if not b["supplier_cause"]),
        "p1_tickets": listed("p1_tickets"),
        "security_incidents": security,
        "major_incidents": listed("major_incidents"),
        "improvement_actions": actions,
        "xla": xla,
    }


async def monthly_slr_for(session: AsyncSession, *, policy: Policy, month: str, now: datetime) -> dict[str, Any]:
    return await monthly_slr(session, policy=policy, period=month_period(month, policy), now=now)


async def quarterly_scorecard(session: AsyncSession, *, policy: Policy, quarter: Period, now: datetime) -> dict[str, Any]:
    """PvE §2.4.3 C: the supplier's scorecard per quarter ("aard/ernst issues, reageren/oplossen,
    communicatie, herhaling/verbeterpotentieel"), from the same figures: the quarter as one period
    and each of its months."""
    tz = policy.tz
    local = quarter.start.astimezone(tz)
    months = [month_period(f"{local.year}-{local.month + i:02d}", policy) for i in range(3)]
    whole, *monthly = await period_reports(session, policy=policy, periods=[quarter, *months], now=now)
    report = whole.to_dict()
    rows = await escalations.in_period(session, start=quarter.start, end=quarter.end)
    opened = [r for r in rows if r.opened_at >= quarter.start]
    missed = {}
    for row in opened:
        if row.trigger == Trigger.NORM_MISSED.value:
            missed[row.norm] = missed.get(row.norm, 0) + 1
    today = min(now, quarter.end).astimezone(tz).date()
    tickets = await _tickets(session, [], [r.ticket_id for r in rows])
    return {
        "kind": "scorecard",
        "period": quarter.label,
        "title": texts.scorecard_title(quarter.label),
        "first_day": quarter.start.astimezone(tz).date().isoformat(),
        "last_day": (quarter.end.astimezone(tz) - timedelta(days=1)).date().isoformat(),
        "generated": now.astimezone(tz).isoformat(),
        "months": [m.label for m in months],
        "report": report,
        "monthly": [m.to_dict() for m in monthly],
        "issues": {
            "p1": sum(1 for t in whole.p1_tickets), "uplifts": len(whole.uplifts),
            "security": len(whole.security_incidents), "major": len(whole.major_incidents),
            "escalations": {level: sum(1 for r in opened if r.level == level) for level in ("N1", "N2", "N3")},
            "breaches": len(whole.breaches),
        },
        "repeated": [
            {"norm": norm, "norm_text": norm_label(norm), "months": count}
            for norm, count in sorted(missed.items()) if count > 1
        ],
        "escalations": [_escalation_dict(row, tickets.get(row.ticket_id), today=today, tz=tz) for row in rows],
    }
