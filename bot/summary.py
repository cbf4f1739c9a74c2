"""The overleg's weekly SLA summary, as an Adaptive Card and as plain text (same figures).

Every figure shows its result, its norm and ✓/✗ exactly as ``sla.kpi`` decided it: per priority
each contract clock (reaction, resolution, onsite, device fallback, ...) against the policy's
norm, with the change against the previous period; then the clocks over all priorities (data
breach, RCA), MTTR and MTTP (no norm in the contract, said so), backlog, CSAT, kept informed,
major-incident updates, first-time-fix, single owner; the bot's own holding messages and the waits
on third parties apart; the P1-uplifts with their motivation; every breach with its cause.
``python app.py report weekly`` prints ``summary_lines`` of the same dict.

A shown percentage is cut toward its verdict (never rounded up over a norm), with one decimal
when it is not whole: "97,9% ✗ (norm 98%, 48/49)".
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from dialogs import plain, texts
from dialogs.texts import CHANNEL_NAMES, NOT_APPLICABLE as NONE, REPORT_CLOCK_NAMES as CLOCK_NAMES
from storage.labels import ticket_label
from storage.models import Ticket

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_BREACHES_ON_CARD = 15
ALWAYS_SHOWN = ("first_response", "resolution", "definitive_resolution")


def _number(value: float, *, up: bool = False) -> str:
    """One decimal, cut toward the verdict's safe side, Dutch comma; whole numbers bare."""
    tenths = math.ceil(round(value * 10, 6)) if up else math.floor(round(value * 10, 6))
    return f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths // 10},{tenths % 10}"


def _pct(value: Any, *, up: bool = False) -> str:
    return NONE if value is None else f"{_number(float(value), up=up)}%"


def _trend(now: Any, before: Any) -> str:
    if now is None or before is None:
        return ""
    delta = float(now) - float(before)
    if abs(delta) < 0.5:
        return " (=)"
    return f" ({'▲' if delta > 0 else '▼'} {abs(delta):.0f})"


def _verdict(met: Any) -> str:
    return "✓" if met is True else ("✗" if met is False else "·")


def minutes_text(value: Any) -> str:
    if value is None:
        return NONE
    minutes = int(round(float(value)))
    hours, rest = divmod(minutes, 60)
    return f"{hours} u {rest:02d} min" if hours else f"{rest} min"


def share_text(figure: dict[str, Any] | None, earlier: Any = None) -> str:
    """"97,9% ✗ (norm 98%, 48/49)": result, verdict, norm and the counts behind it."""
    if not figure:
        return NONE
    norm = _norm(figure)
    if figure["share_percent"] is None:
        return f"{NONE} ({norm})"
    return (
        f"{_pct(figure['share_percent'])}{_trend(figure['share_percent'], earlier)} {_verdict(figure['met'])}"
        f" ({norm}, {figure['within']}/{figure['counted']})"
    )


def _norm(figure: dict[str, Any]) -> str:
    return texts.norm_text(None if figure.get("norm_percent") is None else _pct(figure["norm_percent"]))


def _by_priority(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["priority"]: p for p in report.get("priorities") or []}


def priority_rows(payload: dict[str, Any]) -> list[tuple[str, str]]:
    current = _by_priority(payload["report"])
    previous = _by_priority(payload.get("previous") or {})
    rows = []
    for priority in ("P1", "P2", "P3", "P4"):
        figures = current.get(priority)
        if figures is None:
            continue
        before = previous.get(priority, {})
        # The clocks every ticket has always; the others (onsite, device, ...) when they counted.
        parts = [
            f"{label} {share_text(figures[clock], (before.get(clock) or {}).get('share_percent'))}"
            for clock, label in CLOCK_NAMES.items()
            if figures.get(clock) and (clock in ALWAYS_SHOWN or figures[clock]["counted"])
        ]
        counts = texts.reported_and_resolved(reported=figures["reported"], resolved=figures["resolved"])
        rows.append((priority, f"{counts} · " + " · ".join(parts)))
    return rows


def channel_text(report: dict[str, Any]) -> str | None:
    """ "Teams 3, telefoon 2" when reports came in through more than Teams alone, else None."""
    channels = report.get("channels") or {}
    if set(channels) <= {"teams"}:
        return None
    ordered = sorted(channels.items(), key=lambda item: (item[0] != "teams", item[0]))
    return ", ".join(f"{CHANNEL_NAMES.get(name, name)} {count}" for name, count in ordered)


def general_rows(payload: dict[str, Any]) -> list[tuple[str, str]]:
    report = payload["report"]
    backlog = report["backlog"]
    csat = report["csat"]
    names = {key: texts.first_up(name) for key, name in texts.FIGURE_NAMES.items()}
    rows = [(texts.first_up(CLOCK_NAMES[name]), share_text(figure)) for name, figure in (report.get("clocks") or {}).items()]
    rows += [
        (texts.MTTR_NAME, texts.without_norm(minutes_text(report.get("mttr_minutes")))),
        (texts.MTTP_NAME, texts.without_norm(minutes_text(report.get("mttp_minutes")))),
        (
            names["backlog"],
            f"{texts.backlog_text(older=backlog['older_count'], open_count=backlog['open_count'])}"
            f" ({_pct(backlog['older_share_percent'], up=True)}) {_verdict(backlog['within_limits'])} "
            + texts.backlog_limits(max_share=f"{backlog['max_share_percent']:g}", max_count=backlog["max_count"]),
        ),
        (names["csat"], csat_text(csat)),
        (names["kept_informed"], share_text(report["kept_informed"])),
    ]
    if report.get("major_incident_updates"):
        rows.append((names["major_incident_updates"], share_text(report["major_incident_updates"])))
    waits = report["waits"]
    rows += [
        (names["first_time_fix"], share_text(report["first_time_fix"])),
        (names["single_owner"], share_text(report["single_owner"])),
        (texts.HOLDING_MESSAGES_NAME, texts.holding_messages(report["holding_messages"])),
        (texts.WAITS_NAME, texts.waits_text(count=waits["count"], duration=minutes_text(waits["minutes"]), too_long=waits["too_long"])),
    ]
    channels = channel_text(report)
    if channels:
        rows.insert(0, (texts.CHANNELS_NAME, channels))
    return rows


def csat_text(csat: dict[str, Any]) -> str:
    if not csat["responses"]:
        return f"{NONE} ({texts.answer_count(0)})"
    average = texts.csat_average(_number(float(csat["average"])))
    if csat.get("average_norm") is not None:
        average += texts.against_norm(verdict=_verdict(csat["average_met"]), norm=_number(csat["average_norm"]))
    share = texts.csat_share(_pct(csat["share_7_or_more_percent"]))
    if csat.get("share_norm_percent") is not None:
        share += texts.against_norm(verdict=_verdict(csat["share_met"]), norm=_pct(csat["share_norm_percent"]))
    return f"{average}, {share} ({texts.answer_count(csat['responses'])})"


def _policy(report: dict[str, Any]) -> str:
    """"halt (versie van 2026-01-01)": the policy version whose norms the figures are held to."""
    version = report.get("policy_version")
    return texts.policy_version(policy=report.get("policy", ""), version=version) if version else str(report.get("policy", ""))


def _breach_line(breach: dict[str, Any]) -> str:
    """One breach as the overleg reads it: ticket, norm, deadline, subject, owner and the
    supplier's cause (or that it has none); the clocks' own cause in brackets. Holds people's
    words (a title, a name, a cause): shown as a TextRun on the card, through plain.line in text."""
    line = texts.breach_line(
        ticket=breach.get("ticket") or "?", priority=breach["priority"], clock=CLOCK_NAMES.get(breach["clock"], breach["clock"]),
        due=f"{datetime.fromisoformat(breach['due']):%d-%m %H:%M}", count=breach.get("count", 1),
    )
    cause = texts.breach_cause(breach["cause"])
    if "subject" not in breach:  # the figures alone (sla.kpi), not yet set beside the escalations
        return texts.breach_with_fold_cause(line=line, cause=cause)
    action = (
        texts.breach_action(action=breach["action"], owner=breach["action_owner"], due=breach["action_due"])
        if breach.get("action") else ""
    )
    return texts.breach_discussed(
        line=line, subject=breach["subject"], owner=breach["owner"], supplier_cause=breach.get("supplier_cause"), cause=cause, action=action,
    )


def _breaches(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The breaches with subject, owner and cause when the payload has them (reports.slr)."""
    return payload.get("breaches") or payload["report"].get("breaches") or []


def _escalation_line(escalation: dict[str, Any]) -> str:
    where = f", {escalation['ticket']}" if escalation.get("ticket") else ""
    return f"{escalation['level']} {escalation['norm_text']}{where} · {escalation['subject']} · {escalation['state_text']}"


def _action_line(escalation: dict[str, Any]) -> str:
    return texts.open_action_line(
        action=escalation["action"], owner=escalation["action_owner"], due=escalation["action_due"], state=escalation["action_state"],
    )


def period_dates(payload: dict[str, Any]) -> str:
    """ "27 april t/m 3 mei" for the period's first and last day (local days, from storage)."""
    return texts.day_range(date.fromisoformat(payload["first_day"]), date.fromisoformat(payload["last_day"]))


def _cell(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TableCell", "items": [{"type": "TextBlock", "text": text, "wrap": True, "size": "Small", **style}]}


def count_facts(payload: dict[str, Any]) -> dict[str, Any]:
    """Per priority how many were reported and resolved in the period."""
    facts = [
        {"title": p["priority"], "value": texts.reported_and_resolved(reported=p["reported"], resolved=p["resolved"])}
        for p in payload["report"].get("priorities") or [] if p["reported"] or p["resolved"]
    ]
    return {"type": "FactSet", "facts": facts or [{"title": texts.TICKETS_NAME, "value": texts.NONE_REPORTED}]}


def norm_table(payload: dict[str, Any]) -> dict[str, Any]:
    """Per priority and norm: this period, the one before, the norm and the verdict (an Adaptive
    Cards ``Table`` of four narrow columns, readable at phone width)."""
    current = _by_priority(payload["report"])
    previous = _by_priority(payload.get("previous") or {})
    rows = [{"type": "TableRow", "style": "accent", "cells": [_cell(t, weight="Bolder") for t in texts.NORM_TABLE_HEADERS]}]
    for priority in ("P1", "P2", "P3", "P4"):
        figures = current.get(priority) or {}
        before = previous.get(priority) or {}
        for clock, label in CLOCK_NAMES.items():
            figure = figures.get(clock)
            if not figure or not (clock in ALWAYS_SHOWN or figure["counted"]):
                continue
            earlier = (before.get(clock) or {}).get("share_percent")
            now_text = NONE if figure["share_percent"] is None else f"{_pct(figure['share_percent'])} ({figure['within']}/{figure['counted']})"
            norm = _norm(figure)
            verdict = _verdict(figure["met"]) + _trend(figure["share_percent"], earlier)
            colour = {True: "Good", False: "Attention"}.get(figure["met"], "Default")
            rows.append({"type": "TableRow", "cells": [
                _cell(f"{priority} {label}"), _cell(now_text), _cell(_pct(earlier)), _cell(f"{verdict} ({norm})", color=colour),
            ]})
    return {
        "type": "Table", "firstRowAsHeader": True, "showGridLines": True, "gridStyle": "default",
        "columns": [{"width": 3}, {"width": 3}, {"width": 2}, {"width": 3}], "rows": rows,
    }


def weekly_summary_card(payload: dict[str, Any]) -> dict[str, Any]:
    """What the overleg discusses (PvE §2.4.2): per priority and norm against last week, the other
    figures, the breaches with subject, owner and cause, the open escalations and open actions."""
    report = payload["report"]
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": texts.weekly_title(week=texts.week_name(payload["period"]), days=period_dates(payload)),
         "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "isSubtle": True, "wrap": True, "text": texts.weekly_legend(
            policy=_policy(report), previous=texts.week_name(payload.get("previous_period") or "") or texts.PREVIOUS_WEEK)},
        count_facts(payload),
        norm_table(payload),
        {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in general_rows(payload)]},
    ]
    uplifts = report.get("uplifts") or []
    body.append({"type": "TextBlock", "text": texts.uplifts_heading(len(uplifts)), "weight": "Bolder", "wrap": True})
    for uplift in uplifts:
        body.append({"type": "RichTextBlock", "inlines": [plain.run(f"{uplift.get('ticket') or '?'}: {uplift.get('motivation') or texts.NO_MOTIVATION}")]})
    breaches = _breaches(payload)
    without = sum(1 for b in breaches if "subject" in b and not b.get("supplier_cause"))
    body.append({"type": "TextBlock", "text": texts.breaches_heading(count=len(breaches), without_cause=without), "weight": "Bolder", "wrap": True})
    for breach in breaches[:MAX_BREACHES_ON_CARD]:
        body.append({"type": "RichTextBlock", "inlines": [plain.run(_breach_line(breach))]})
    if len(breaches) > MAX_BREACHES_ON_CARD:
        body.append({"type": "TextBlock", "text": texts.more_breaches(len(breaches) - MAX_BREACHES_ON_CARD), "wrap": True})
    for title, items, line in (
        (texts.OPEN_ESCALATIONS, payload.get("open_escalations"), _escalation_line), (texts.OPEN_ACTIONS, payload.get("open_actions"), _action_line),
    ):
        if items is None:
            continue
        body.append({"type": "TextBlock", "text": f"{title}: {len(items)}", "weight": "Bolder", "wrap": True})
        body += [{"type": "RichTextBlock", "inlines": [plain.run(line(item))]} for item in items[:MAX_BREACHES_ON_CARD]]
    return {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.5", "body": body}


def summary_lines(payload: dict[str, Any], *, title: str = texts.WEEKLY_TITLE) -> list[str]:
    """The same figures as the card, as text for the command line."""
    report = payload["report"]
    lines = [texts.summary_heading(title=title, period=payload["period"], policy=_policy(report), previous=payload.get("previous_period", "-")), ""]
    lines += [f"{p}: {text}" for p, text in priority_rows(payload)]
    lines.append("")
    lines += [f"{t}: {v}" for t, v in general_rows(payload)]
    uplifts = report.get("uplifts") or []
    lines += ["", texts.uplifts_heading(len(uplifts))]
    lines += [f"- {u.get('ticket') or '?'}: {plain.line(u.get('motivation') or texts.NO_MOTIVATION)}" for u in uplifts]
    breaches = _breaches(payload)
    lines += ["", texts.breaches_heading(count=len(breaches))]
    lines += [f"- {plain.line(_breach_line(b))}" for b in breaches]
    for heading, items, line in (
        (texts.OPEN_ESCALATIONS, payload.get("open_escalations"), _escalation_line), (texts.OPEN_ACTIONS, payload.get("open_actions"), _action_line),
    ):
        if items is not None:
            lines += ["", f"{heading}: {len(items)}", *(f"- {plain.line(line(item))}" for item in items)]
    return lines


def monthly_report_card(payload: dict[str, Any]) -> dict[str, Any]:
    """Regie's card on the first working day of a month: the month's key figures, how many norms
    were missed and escalated, the open N2/N3 escalations, and the way to the full report."""
    report = payload["report"]
    first = date.fromisoformat(payload["first_day"])
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": texts.slr_title(texts.month_and_year(month=first.month, year=first.year)),
         "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": texts.monthly_legend(policy=_policy(report), previous=payload["previous_period"]), "isSubtle": True, "wrap": True},
        count_facts(payload),
        norm_table(payload),
        {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in general_rows(payload)[:6]]},
        {"type": "FactSet", "facts": [
            {"title": texts.BREACHES_NAME, "value": str(len(report.get("breaches") or []))},
            {"title": texts.NORMS_MISSED_NAME, "value": str(payload.get("norms_missed", 0))},
            {"title": texts.OPEN_ESCALATIONS_N2_N3, "value": str(payload.get("open_escalations", 0))},
        ]},
    ]
    card: dict[str, Any] = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.5", "body": body}
    if payload.get("link"):
        body.append({"type": "TextBlock", "text": texts.MONTHLY_LINK_HINT, "wrap": True, "isSubtle": True})
        card["actions"] = [{"type": "Action.OpenUrl", "title": texts.MONTHLY_LINK_BUTTON, "url": payload["link"]}]
    else:
        body.append({"type": "TextBlock", "wrap": True, "isSubtle": True, "text": texts.monthly_command_hint(payload["period"])})
    return card


def _literal(label: str, value: str) -> dict[str, Any]:
    return {
        "type": "RichTextBlock",
        "inlines": [{"type": "TextRun", "text": f"{label}: ", "weight": "Bolder"}, plain.run(value)],
    }


def low_csat_card(ticket: Ticket, *, score: Any, remark: str | None) -> dict[str, Any]:
    """A score below 6 reaches the servicedesk: who, about what, and what they said."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": texts.low_csat_title(label=ticket_label(ticket.id), score=score), "weight": "Bolder", "color": "Attention", "wrap": True},
        _literal(texts.LABEL_REPORTER, ticket.reporter_name),
        _literal(texts.LOW_CSAT_TICKET, ticket.description[:300]),
        _literal(texts.LABEL_OWNER, ticket.owner_name or texts.OWNER_NOBODY),
    ]
    if remark:
        body.append(_literal(texts.LOW_CSAT_REMARK, remark))
    body.append({"type": "TextBlock", "text": texts.LOW_CSAT_ASK, "wrap": True})
    return {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.5", "body": body}
