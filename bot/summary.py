"""The overleg's weekly SLA summary, as an Adaptive Card and as plain text (same figures).

Per priority: the share of tickets within norm for first response and resolution against the
contract's norm (✓/✗), with the change against the previous period; then MTTR, MTTP, backlog,
CSAT, first-time-fix, single owner, kept informed; the P1-uplifts with their motivation; every
breach with its cause. ``python app.py report weekly`` prints ``summary_lines`` of the same dict.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from dialogs import plain
from dialogs.texts import CHANNEL_NAMES
from storage.models import Ticket
from storage.tickets import ticket_label

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_BREACHES_ON_CARD = 15
# Not "-": Teams reads a lone dash in a fact as a markdown list item and shows a bullet.
NONE = "n.v.t."
CLOCK_NAMES = {"first_response": "reactie", "resolution": "oplossing", "definitive_resolution": "definitieve oplossing"}


def _pct(value: Any) -> str:
    return NONE if value is None else f"{float(value):.0f}%"


def _trend(now: Any, before: Any) -> str:
    if now is None or before is None:
        return ""
    delta = float(now) - float(before)
    if abs(delta) < 0.5:
        return " (=)"
    return f" ({'▲' if delta > 0 else '▼'} {abs(delta):.0f})"


def _verdict(met: Any) -> str:
    return "✓" if met is True else ("✗" if met is False else "·")


def _minutes(value: Any) -> str:
    if value is None:
        return NONE
    minutes = int(round(float(value)))
    hours, rest = divmod(minutes, 60)
    return f"{hours} u {rest:02d} min" if hours else f"{rest} min"


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
        parts = []
        for clock in ("first_response", "resolution", "definitive_resolution"):
            figure = figures.get(clock)
            if not figure:
                continue
            earlier = (before.get(clock) or {}).get("share_percent")
            if figure["share_percent"] is None:
                parts.append(f"{CLOCK_NAMES[clock]} {NONE} (norm {_pct(figure['norm_percent'])})")
                continue
            parts.append(
                f"{CLOCK_NAMES[clock]} {_pct(figure['share_percent'])}{_trend(figure['share_percent'], earlier)}"
                f" {_verdict(figure['met'])} (norm {_pct(figure['norm_percent'])}, {figure['within']}/{figure['counted']})"
            )
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
    average = csat["average"]
    average_text = NONE if average is None else f"{float(average):.1f}".replace(".", ",")
    rows = [
        ("MTTR (tot opgelost)", _minutes(report.get("mttr_minutes"))),
        ("MTTP (tot weer aan het werk)", _minutes(report.get("mttp_minutes"))),
        (
            "Achterstand (open > 10 werkdagen)",
            f"{backlog['older_count']} van {backlog['open_count']} open ({_pct(backlog['older_share_percent'])})"
            f" {_verdict(backlog['within_limits'])} (max {backlog['max_share_percent']:g}% en {backlog['max_count']})",
        ),
        ("Tevredenheid (CSAT)", f"gemiddeld {average_text}, {_pct(csat['share_7_or_more_percent'])} een 7 of hoger ({csat['responses']} antwoorden)"),
        ("In één keer opgelost", _pct(report["first_time_fix"]["share_percent"])),
        ("Eén eigenaar", _pct(report["single_owner"]["share_percent"])),
        ("Melder op de hoogte gehouden", _pct(report["kept_informed"]["share_percent"])),
    ]
    channels = channel_text(report)
    if channels:
        rows.insert(0, ("Gemeld per kanaal", channels))
    return rows


def _breach_line(breach: dict[str, Any]) -> str:
    due = datetime.fromisoformat(breach["due"])
    return f"{breach.get('ticket') or '?'} {breach['priority']} {CLOCK_NAMES.get(breach['clock'], breach['clock'])}: uiterlijk {due:%d-%m %H:%M}, oorzaak: {breach['cause']}"


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")


def period_dates(payload: dict[str, Any]) -> str:
    """ "27 april t/m 3 mei" for the period's first and last day (local days, from storage)."""
    first = date.fromisoformat(payload["first_day"])
    last = date.fromisoformat(payload["last_day"])
    if first.month == last.month:
        return f"{first.day} t/m {last.day} {MONTHS[last.month - 1]}"
    return f"{first.day} {MONTHS[first.month - 1]} t/m {last.day} {MONTHS[last.month - 1]}"


def weekly_summary_card(payload: dict[str, Any]) -> dict[str, Any]:
    report = payload["report"]
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": f"SLA-overzicht week {payload['period']} ({period_dates(payload)})", "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": f"Beleid {report.get('policy', '')}; trend t.o.v. {payload.get('previous_period', 'vorige week')}.", "isSubtle": True, "wrap": True},
        {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in priority_rows(payload)] or [{"title": "Meldingen", "value": "geen"}]},
        {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in general_rows(payload)]},
    ]
    uplifts = report.get("uplifts") or []
    body.append({"type": "TextBlock", "text": f"P1-uplifts: {len(uplifts)}", "weight": "Bolder", "wrap": True})
    for uplift in uplifts:
        body.append({"type": "RichTextBlock", "inlines": [plain.run(f"{uplift.get('ticket') or '?'}: {uplift.get('motivation') or '(geen motivatie)'}")]})
    breaches = report.get("breaches") or []
    body.append({"type": "TextBlock", "text": f"Normoverschrijdingen: {len(breaches)}", "weight": "Bolder", "wrap": True})
    for breach in breaches[:MAX_BREACHES_ON_CARD]:
        body.append({"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": _breach_line(breach)}]})
    if len(breaches) > MAX_BREACHES_ON_CARD:
        body.append({"type": "TextBlock", "text": f"… en {len(breaches) - MAX_BREACHES_ON_CARD} meer (zie `report weekly`).", "wrap": True})
    return {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.5", "body": body}


def summary_lines(payload: dict[str, Any], *, title: str = "SLA-overzicht week") -> list[str]:
    """The same figures as the card, as text for the command line."""
    report = payload["report"]
    lines = [f"{title} {payload['period']} (beleid {report.get('policy', '')}, trend t.o.v. {payload.get('previous_period', '-')})", ""]
    lines += [f"{p}: {text}" for p, text in priority_rows(payload)]
    lines.append("")
    lines += [f"{t}: {v}" for t, v in general_rows(payload)]
    uplifts = report.get("uplifts") or []
    lines += ["", f"P1-uplifts: {len(uplifts)}"]
    lines += [f"- {u.get('ticket') or '?'}: {plain.line(u.get('motivation') or '(geen motivatie)')}" for u in uplifts]
    breaches = report.get("breaches") or []
    lines += ["", f"Normoverschrijdingen: {len(breaches)}"]
    lines += [f"- {_breach_line(b)}" for b in breaches]
    return lines


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
