"""The SLR and the scorecard (``bot.reports.slr``'s dicts) as charts, HTML, PDF, text and CSV.

* **Charts**: matplotlib on its Agg canvas through the object API (a ``Figure`` per chart, no
  ``pyplot`` and its global state, no display), as PNG in the document. Every chart has alt text
  that says in words what it shows, figures included, so a screen reader user misses nothing.
* **HTML**: a Jinja2 template (``bot/reports/templates``) with autoescaping on: every person's words
  (motivations, causes, actions, evaluations, CSAT remarks) are shown as text, never as markup.
  Accessible: ``lang="nl"``, one ``h1`` and real ``h2``/``h3`` headings, tables with a caption and
  header cells (``scope``), verdicts in words beside ✓/✗.
* **PDF**: WeasyPrint renders that HTML (pango draws the text), tagged as PDF/UA-1 so its headings
  and tables keep their structure.
* **Text and CSV**: for the command line and spreadsheets, each person's words through
  ``plain.line``.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from matplotlib.figure import Figure
from weasyprint import HTML

from bot.summary import csat_text, general_rows, minutes_text, priority_rows, share_text, summary_lines
from dialogs import plain, texts
from bot.reports.slr import CLOCK_TITLES
from sla.policy import AGENDA_ALWAYS

NORM_COLOUR, LINES = "#b00020", ("#1f4e79", "#2e8540")
_ENV = Environment(loader=PackageLoader("bot.reports", "templates"), autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def _nl(value: float) -> str:
    """A figure as printed in Dutch: "97,95", "98" (already cut by sla.kpi; never rounded here)."""
    return f"{value:g}".replace(".", ",") if float(value).is_integer() else f"{value:.2f}".rstrip("0").replace(".", ",")


_ENV.filters["nl"] = _nl
_ENV.globals["texts"] = texts  # the words the templates share with the cards and the text report


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    alt: str  # the chart in words, figures included
    png: str  # base64

    @property
    def src(self) -> str:
        return f"data:image/png;base64,{self.png}"


def _pct(value: float | None) -> str:
    """A share in the alt text exactly as the tables print it (cut by sla.kpi, never rounded here)."""
    return texts.NOT_MEASURED if value is None else f"{_nl(value)}%"


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(size: tuple[float, float] = (6.2, 2.5)) -> tuple[Figure, Any]:
    figure = Figure(figsize=size)
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    return figure, axes


def trend_charts(slr: dict[str, Any]) -> list[Chart]:
    """Per priority: the share within norm of reaction and resolution per month, against the norm."""
    trend = slr["trend"]
    labels = trend["labels"]
    charts = []
    for priority in ("P1", "P2", "P3", "P4"):
        figure, axes = _figure((4.2, 2.6))
        words = []
        for colour, clock in zip(LINES, ("first_response", "resolution")):
            values = trend["norms"][f"{priority}:{clock}"]
            points = [(i, v) for i, v in enumerate(values) if v is not None]
            if points:
                axes.plot([i for i, _ in points], [v for _, v in points], marker="o", color=colour, label=CLOCK_TITLES[clock])
            words.append(f"{CLOCK_TITLES[clock]}: " + ", ".join(f"{label} {_pct(v)}" for label, v in zip(labels, values)))
        norm = trend["norm_percent"].get(f"{priority}:first_response")
        if norm is not None:
            axes.axhline(norm, color=NORM_COLOUR, linestyle="--", linewidth=1, label=texts.norm_text(f"{norm:g}%"))
        axes.set_xticks(range(len(labels)), labels)
        axes.set_ylim(0, 105)
        axes.set_ylabel(texts.CHART_SHARE_AXIS)
        axes.set_title(texts.chart_trend_title(priority), fontsize=10)
        if axes.get_legend_handles_labels()[0]:
            axes.legend(loc="lower left", fontsize=7, frameon=False)
        charts.append(Chart(
            f"trend-{priority.lower()}", texts.chart_trend_name(priority),
            texts.chart_trend_alt(priority=priority, lines=words, norm=f"{norm:g}%" if norm is not None else None),
            _png(figure),
        ))
    figure, axes = _figure()
    words = []
    for colour, key, name in zip(LINES, ("mttr_minutes", "mttp_minutes"), (texts.MTTR_NAME, texts.MTTP_NAME)):
        values = trend[key]
        points = [(i, v / 60) for i, v in enumerate(values) if v is not None]
        if points:
            axes.plot([i for i, _ in points], [v for _, v in points], marker="o", color=colour, label=name)
        words.append(f"{name}: " + ", ".join(f"{label} {minutes_text(v)}" for label, v in zip(labels, values)))
    axes.set_xticks(range(len(labels)), labels)
    axes.set_ylabel(texts.CHART_HOURS_AXIS)
    axes.set_title(texts.CHART_TIMES_TITLE, fontsize=10)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc="upper left", fontsize=7, frameon=False)
    charts.append(Chart("mttr-mttp", texts.CHART_TIMES_NAME, texts.chart_times_alt(words), _png(figure)))

    scores = slr["report"]["csat"]["scores"]
    figure, axes = _figure()
    counts = [scores[str(n)] for n in range(1, 11)]
    axes.bar(range(1, 11), counts, color=[NORM_COLOUR if n < 6 else LINES[0] if n < 7 else LINES[1] for n in range(1, 11)])
    axes.set_xticks(range(1, 11))
    axes.set_xlabel(texts.CHART_SCORE_AXIS)
    axes.set_ylabel(texts.CHART_COUNT_AXIS)
    axes.set_title(texts.chart_csat_title(slr["month_name"]), fontsize=10)
    charts.append(Chart(
        "csat", texts.CHART_CSAT_NAME, texts.chart_csat_alt(", ".join(f"{n}: {c}" for n, c in zip(range(1, 11), counts))), _png(figure),
    ))
    return charts


def _context(slr: dict[str, Any]) -> dict[str, Any]:
    report = slr["report"]
    return {
        "slr": slr, "report": report, "charts": trend_charts(slr),
        "priority_rows": priority_rows(slr), "general_rows": general_rows(slr),
        "share_text": share_text, "csat_text": csat_text, "minutes_text": minutes_text, "clock_titles": CLOCK_TITLES,
    }


def html(slr: dict[str, Any]) -> str:
    """The SLR (or the scorecard) as one HTML document, charts inline."""
    if slr["kind"] == "scorecard":
        return _ENV.get_template("scorecard.html.j2").render(card=slr, share_text=share_text, clock_titles=CLOCK_TITLES)
    return _ENV.get_template("slr.html.j2").render(**_context(slr))


def pdf(slr: dict[str, Any]) -> bytes:
    """The HTML as a tagged PDF (PDF/UA-1)."""
    return HTML(string=html(slr)).write_pdf(pdf_variant="pdf/ua-1")


def text_lines(slr: dict[str, Any]) -> list[str]:
    """The SLR for the terminal: the weekly card's figures, then each section of the document."""
    if slr["kind"] == "scorecard":
        return _scorecard_lines(slr)
    lines = summary_lines(slr, title=texts.SLR_TEXT_TITLE)
    lines += ["", texts.SLR_TEXT_REQUIREMENTS]
    for row in slr["requirements"]:
        verdict = {True: "✓", False: "✗", None: "·"}[row["met"]]
        agenda = texts.AGENDA_ALWAYS_WORDS if row["agenda"] == AGENDA_ALWAYS else texts.AGENDA_DEVIATION_WORDS
        flag = texts.ON_AGENDA if row["on_agenda"] else ""
        lines.append(f"- {row['name']}: {row['result']} {verdict} ({agenda}{texts.MINIMUM_REQUIREMENT if row['minimum'] else ''}){flag}")
    lines += ["", texts.escalations_heading(len(slr["escalations"]))]
    for e in slr["escalations"]:
        lines.append(f"- {e['level']} {e['norm_text']} · {plain.line(e['subject'])} · {e['state_text']}")
    lines += ["", texts.breaches_with_cause_heading(count=len(slr["breaches"]), without_cause=slr["breaches_without_cause"])]
    for b in slr["breaches"]:
        action = (
            texts.breach_action(action=plain.line(b["action"]), owner=plain.line(b["action_owner"]), due=b["action_due"])
            if b["action"] else ""
        )
        lines.append(texts.report_breach_line(
            ticket=b["ticket"], priority=b["priority"], clock=b["clock_text"], subject=plain.line(b["subject"]),
            owner=plain.line(b["owner"]), cause=plain.line(b["supplier_cause"]) if b["supplier_cause"] else texts.NO_CAUSE_GIVEN,
            action=action,
        ))
    lines += ["", texts.improvement_actions_heading(len(slr["improvement_actions"]))]
    for a in slr["improvement_actions"]:
        lines.append(texts.improvement_action_line(
            action=plain.line(a["action"]), owner=plain.line(a["action_owner"]), due=a["action_due"], state=a["action_state"],
        ))
    lines += ["", *texts.incidents_headings(security=len(slr["security_incidents"]), major=len(slr["major_incidents"]))]
    lines += ["", texts.xla_line(texts.XLA_NOT_MEASURED if slr["xla"] is None else slr["xla"].get("summary", ""))]
    for r in (slr["xla"] or {}).get("rounds", []):
        lines.append(texts.xla_round_line(label=plain.line(r["label"]), respondents=r["respondents"], invited=r["invited"]))
        lines += [
            texts.xla_question_line(name=q["name"], result=q["result"], distribution=" ".join(map(str, q["distribution"])))
            for q in r["questions"]
        ]
    return lines


def csv_rows(slr: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per figure (priority, norm, result, verdict): the SLR's tables for a spreadsheet."""
    if slr["kind"] == "scorecard":
        return [{"period": slr["period"], "section": texts.CSV_SECTIONS["priority"], "name": f"{p['priority']} {CLOCK_TITLES[c]}",
                 "result": share_text(p[c]), "met": p[c]["met"]}
                for p in slr["report"]["priorities"] for c in ("first_response", "resolution") if p.get(c)]
    rows = [
        {"period": slr["period"], "section": texts.CSV_SECTIONS["requirements"], "name": r["name"], "result": r["result"], "met": r["met"],
         "agenda": r["agenda"], "on_agenda": r["on_agenda"]}
        for r in slr["requirements"]
    ]
    rows += [
        {"period": slr["period"], "section": texts.CSV_SECTIONS["breach"], "name": f"{b['ticket']} {b['priority']} {b['clock_text']}",
         "result": plain.line(b["supplier_cause"] or texts.NO_CAUSE_GIVEN), "met": False, "agenda": "", "on_agenda": ""}
        for b in slr["breaches"]
    ]
    rows += [
        {"period": slr["period"], "section": texts.CSV_SECTIONS["xla"], "name": f"{r['label']}: {q['name']}", "result": q["result"], "met": q["met"],
         "agenda": "", "on_agenda": ""}
        for r in (slr["xla"] or {}).get("rounds", []) for q in r["questions"]
    ]
    return rows


CSV_COLUMNS = ("period", "section", "name", "result", "met", "agenda", "on_agenda")


def _scorecard_lines(card: dict[str, Any]) -> list[str]:
    issues = card["issues"]
    lines = [texts.scorecard_heading(title=card["title"], first=card["first_day"], last=card["last_day"]), "", f"{texts.SCORECARD_ISSUES}:"]
    lines += [
        texts.scorecard_issues(
            p1=issues["p1"], uplifts=issues["uplifts"], security=issues["security"], major=issues["major"], breaches=issues["breaches"],
        ),
        texts.scorecard_escalations(", ".join(f"{level} {count}" for level, count in issues["escalations"].items())),
        "", f"{texts.SCORECARD_RESPONSE}:",
    ]
    for p in card["report"]["priorities"]:
        parts = [f"{CLOCK_TITLES[c]} {share_text(p[c])}" for c in ("first_response", "resolution") if p.get(c)]
        lines.append(f"- {p['priority']}: " + " · ".join(parts))
    report = card["report"]
    lines += ["", f"{texts.SCORECARD_COMMUNICATION}:", texts.scorecard_kept_informed(share_text(report["kept_informed"])),
              texts.scorecard_csat(csat_text(report["csat"])), "", f"{texts.SCORECARD_REPETITION}:"]
    lines += [texts.scorecard_repeated(norm=r["norm_text"], months=r["months"]) for r in card["repeated"]] or [f"- {texts.SCORECARD_NOTHING_REPEATED}"]
    open_actions = [e for e in card["escalations"] if e["action"] and e["action_state"] != texts.ACTION_DONE]
    lines.append(texts.scorecard_open_actions(len(open_actions)))
    return lines
