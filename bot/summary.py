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
from dialogs.texts import CHANNEL_NAMES, NO_CAUSE
from storage.labels import ticket_label
from storage.models import Ticket

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_BREACHES_ON_CARD = 15
# Not "-": Teams reads a lone dash in a fact as a markdown list item and shows a bullet.
NONE = "n.v.t."
CLOCK_NAMES = {
    "first_response": "reactie",
    "resolution": "oplossing",
    "definitive_resolution": "definitieve oplossing",
    "containment": "containment",
    "onsite": "monteur op locatie",
    "device_fallback": "vervangend toestel",
    "data_breach": "datalek gemeld (72 uur)",
    "rca": "RCA gedeeld",
    "update": "update aan melder",
}


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
    norm = "geen norm" if figure.get("norm_percent") is None else f"norm {_pct(figure['norm_percent'])}"
    if figure["share_percent"] is None:
        return f"{NONE} ({norm})"
    return (
        f"{_pct(figure['share_percent'])}{_trend(figure['share_percent'], earlier)} {_verdict(figure['met'])}"
        f" ({norm}, {figure['within']}/{figure['counted']})"
    )


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
        rows.append((priority, f"{figures['reported']} gemeld, {figures['resolved']} opgelost · " + " · ".join(parts)))
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
    rows = [(_first_up(CLOCK_NAMES[name]), share_text(figure)) for name, figure in (report.get("clocks") or {}).items()]
    rows += [
        ("MTTR (tot opgelost)", f"{minutes_text(report.get('mttr_minutes'))} (geen norm)"),
        ("MTTP (tot weer aan het werk)", f"{minutes_text(report.get('mttp_minutes'))} (geen norm)"),
        (
            "Achterstand (open > 10 werkdagen)",
            f"{backlog['older_count']} van {backlog['open_count']} open ({_pct(backlog['older_share_percent'], up=True)})"
            f" {_verdict(backlog['within_limits'])} (max {backlog['max_share_percent']:g}% en {backlog['max_count']})",
        ),
        ("Tevredenheid (CSAT)", csat_text(csat)),
        ("Melder op de hoogte gehouden", share_text(report["kept_informed"])),
    ]
    if report.get("major_incident_updates"):
        rows.append(("Updates bij major incidents", share_text(report["major_incident_updates"])))
    waits = report["waits"]
    rows += [
        ("In één keer opgelost", share_text(report["first_time_fix"])),
        ("Eén eigenaar", share_text(report["single_owner"])),
        ("Automatische berichten zonder nieuws", f"{report['holding_messages']} (tellen niet als update)"),
        ("Wacht op derde", f"{waits['count']} keer, {minutes_text(waits['minutes'])}, {waits['too_long']} te lang"),
    ]
    channels = channel_text(report)
    if channels:
        rows.insert(0, ("Gemeld per kanaal", channels))
    return rows


def _first_up(label: str) -> str:
    """ "RCA gedeeld", "Datalek gemeld": a label at the start of a line (str.capitalize lowers the rest)."""
    return label[:1].upper() + label[1:]


def csat_text(csat: dict[str, Any]) -> str:
    if not csat["responses"]:
        return f"{NONE} ({texts.counted(0, 'antwoord', 'antwoorden')})"
    average = _number(float(csat["average"]))
    parts = [f"gemiddeld {average}"]
    if csat.get("average_norm") is not None:
        parts[-1] += f" {_verdict(csat['average_met'])} (norm {_number(csat['average_norm'])})"
    share = f"{_pct(csat['share_7_or_more_percent'])} een 7 of hoger"
    if csat.get("share_norm_percent") is not None:
        share += f" {_verdict(csat['share_met'])} (norm {_pct(csat['share_norm_percent'])})"
    parts.append(share)
    return ", ".join(parts) + f" ({texts.counted(csat['responses'], 'antwoord', 'antwoorden')})"


def _policy(report: dict[str, Any]) -> str:
    """"halt (versie van 2026-01-01)": the policy version whose norms the figures are held to."""
    version = report.get("policy_version")
    return f"{report.get('policy', '')} (versie van {version})" if version else str(report.get("policy", ""))


def _breach_line(breach: dict[str, Any]) -> str:
    """One breach as the overleg reads it: ticket, norm, deadline, subject, owner and the
    supplier's cause (or that it has none); the clocks' own cause in brackets. Holds people's
    words (a title, a name, a cause): shown as a TextRun on the card, through plain.line in text."""
    due = datetime.fromisoformat(breach["due"])
    count = breach.get("count", 1)
    times = f" en daarna nog {count - 1} keer" if count > 1 else ""
    line = (
        f"{breach.get('ticket') or '?'} {breach['priority']} {CLOCK_NAMES.get(breach['clock'], breach['clock'])}: "
        f"uiterlijk {due:%d-%m %H:%M}{times}"
    )
    if "subject" not in breach:  # the figures alone (sla.kpi), not yet set beside the escalations
        return f"{line}, oorzaak: {texts.breach_cause(breach['cause'])}"
    cause = breach.get("supplier_cause") or NO_CAUSE
    action = f"; actie: {breach['action']} ({breach['action_owner']}, {breach['action_due']})" if breach.get("action") else ""
    return f"{line} · {breach['subject']} · eigenaar {breach['owner']} · oorzaak: {cause} (klok: {texts.breach_cause(breach['cause'])}){action}"


def _breaches(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The breaches with subject, owner and cause when the payload has them (reports.slr)."""
    return payload.get("breaches") or payload["report"].get("breaches") or []


def _escalation_line(escalation: dict[str, Any]) -> str:
    where = f", {escalation['ticket']}" if escalation.get("ticket") else ""
    return f"{escalation['level']} {escalation['norm_text']}{where} · {escalation['subject']} · {escalation['state_text']}"


def _action_line(escalation: dict[str, Any]) -> str:
    return f"{escalation['action']} · {escalation['action_owner']} · klaar op {escalation['action_due']} · {escalation['action_state']}"


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")


def period_dates(payload: dict[str, Any]) -> str:
    """ "27 april t/m 3 mei" for the period's first and last day (local days, from storage)."""
    first = date.fromisoformat(payload["first_day"])
    last = date.fromisoformat(payload["last_day"])
    if first.month == last.month:
        return f"{first.day} t/m {last.day} {MONTHS[last.month - 1]}"
    return f"{first.day} {MONTHS[first.month - 1]} t/m {last.day} {MONTHS[last.month - 1]}"


def _cell(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TableCell", "items": [{"type": "TextBlock", "text": text, "wrap": True, "size": "Small", **style}]}


def count_facts(payload: dict[str, Any]) -> dict[str, Any]:
    """Per priority how many were reported and resolved in the period."""
    facts = [
        {"title": p["priority"], "value": f"{p['reported']} gemeld, {p['resolved']} opgelost"}
        for p in payload["report"].get("priorities") or [] if p["reported"] or p["resolved"]
    ]
    return {"type": "FactSet", "facts": facts or [{"title": "Meldingen", "value": "geen"}]}


def norm_table(payload: dict[str, Any]) -> dict[str, Any]:
    """Per priority and norm: this period, the one before, the norm and the verdict (an Adaptive
    Cards ``Table`` of four narrow columns, readable at phone width)."""
    current = _by_priority(payload["report"])
    previous = _by_priority(payload.get("previous") or {})
    rows = [{"type": "TableRow", "style": "accent", "cells": [_cell(t, weight="Bolder") for t in ("Norm", "Nu", "Vorige", "Oordeel")]}]
    for priority in ("P1", "P2", "P3", "P4"):
        figures = current.get(priority) or {}
        before = previous.get(priority) or {}
        for clock, label in CLOCK_NAMES.items():
            figure = figures.get(clock)
            if not figure or not (clock in ALWAYS_SHOWN or figure["counted"]):
                continue
            earlier = (before.get(clock) or {}).get("share_percent")
            now_text = NONE if figure["share_percent"] is None else f"{_pct(figure['share_percent'])} ({figure['within']}/{figure['counted']})"
            norm = "geen norm" if figure.get("norm_percent") is None else f"norm {_pct(figure['norm_percent'])}"
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
        {"type": "TextBlock", "text": f"SLA-overzicht {texts.week_name(payload['period'])} ({period_dates(payload)})", "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "isSubtle": True, "wrap": True, "text": texts.weekly_legend(
            policy=_policy(report), previous=texts.week_name(payload.get("previous_period") or "") or "vorige week")},
        count_facts(payload),
        norm_table(payload),
        {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in general_rows(payload)]},
    ]
    uplifts = report.get("uplifts") or []
    body.append({"type": "TextBlock", "text": f"P1-uplifts: {len(uplifts)}", "weight": "Bolder", "wrap": True})
    for uplift in uplifts:
        body.append({"type": "RichTextBlock", "inlines": [plain.run(f"{uplift.get('ticket') or '?'}: {uplift.get('motivation') or '(geen motivatie)'}")]})
    breaches = _breaches(payload)
    without = sum(1 for b in breaches if "subject" in b and not b.get("supplier_cause"))
    body.append({"type": "TextBlock", "text": f"Normoverschrijdingen: {len(breaches)}" + (f" ({without} zonder oorzaak)" if without else ""), "weight": "Bolder", "wrap": True})
    for breach in breaches[:MAX_BREACHES_ON_CARD]:
        body.append({"type": "RichTextBlock", "inlines": [plain.run(_breach_line(breach))]})
    if len(breaches) > MAX_BREACHES_ON_CARD:
        body.append({"type": "TextBlock", "text": f"… en {len(breaches) - MAX_BREACHES_ON_CARD} meer (zie `report weekly`).", "wrap": True})
    for title, items, line in (
        ("Open escalaties", payload.get("open_escalations"), _escalation_line), ("Open acties", payload.get("open_actions"), _action_line),
    ):
        if items is None:
            continue
        body.append({"type": "TextBlock", "text": f"{title}: {len(items)}", "weight": "Bolder", "wrap": True})
        body += [{"type": "RichTextBlock", "inlines": [plain.run(line(item))]} for item in items[:MAX_BREACHES_ON_CARD]]
    return {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.5", "body": body}


def summary_lines(payload: dict[str, Any], *, title: str = "SLA-overzicht week") -> list[str]:
    """The same figures as the card, as text for the command line."""
    report = payload["report"]
    lines = [f"{title} {payload['period']} (beleid {_policy(report)}, trend t.o.v. {payload.get('previous_period', '-')})", ""]
    lines += [f"{p}: {text}" for p, text in priority_rows(payload)]
    lines.append("")
    lines += [f"{t}: {v}" for t, v in general_rows(payload)]
    uplifts = report.get("uplifts") or []
    lines += ["", f"P1-uplifts: {len(uplifts)}"]
    lines += [f"- {u.get('ticket') or '?'}: {plain.line(u.get('motivation') or '(geen motivatie)')}" for u in uplifts]
    breaches = _breaches(payload)
    lines += ["", f"Normoverschrijdingen: {len(breaches)}"]
    lines += [f"- {plain.line(_breach_line(b))}" for b in breaches]
    for heading, items, line in (
        ("Open escalaties", payload.get("open_escalations"), _escalation_line), ("Open acties", payload.get("open_actions"), _action_line),
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
        {"type": "TextBlock", "text": f"Servicelevelrapport {MONTHS[first.month - 1]} {first.year}", "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": f"Beleid {_policy(report)}; trend t.o.v. {payload['previous_period']}.", "isSubtle": True, "wrap": True},
        count_facts(payload),
        norm_table(payload),
        {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in general_rows(payload)[:6]]},
        {"type": "FactSet", "facts": [
            {"title": "Normoverschrijdingen", "value": str(len(report.get("breaches") or []))},
            {"title": "Maandnormen gemist (nu escalatie)", "value": str(payload.get("norms_missed", 0))},
            {"title": "Open escalaties N2/N3", "value": str(payload.get("open_escalations", 0))},
        ]},
    ]
    card: dict[str, Any] = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.5", "body": body}
    if payload.get("link"):
        body.append({"type": "TextBlock", "text": "Het volledige rapport (PDF) opent met de knop; de link werkt een maand.", "wrap": True, "isSubtle": True})
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Volledig rapport (PDF)", "url": payload["link"]}]
    else:
        body.append({"type": "TextBlock", "wrap": True, "isSubtle": True,
                     "text": f"Het volledige rapport: `servicedesk report monthly --month {payload['period']} --format pdf --out rapport.pdf`."})
    return card


def _literal(label: str, value: str) -> dict[str, Any]:
    return {
        "type": "RichTextBlock",
        "inlines": [{"type": "TextRun", "text": f"{label}: ", "weight": "Bolder"}, plain.run(value)],
    }


def low_csat_card(ticket: Ticket, *, score: Any, remark: str | None) -> dict[str, Any]:
    """A score below 6 reaches the servicedesk: who, about what, and what they said."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": f"Lage tevredenheid bij {ticket_label(ticket.id)}: {score}", "weight": "Bolder", "color": "Attention", "wrap": True},
        _literal("Melder", ticket.reporter_name),
        _literal("Melding", ticket.description[:300]),
        _literal("Eigenaar", ticket.owner_name or "niemand"),
    ]
    if remark:
        body.append(_literal("Opmerking van de melder", remark))
    body.append({"type": "TextBlock", "text": "Neem contact op met de melder.", "wrap": True})
    return {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.5", "body": body}
