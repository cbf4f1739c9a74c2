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
from dialogs import plain
from bot.reports.slr import CLOCK_TITLES

NORM_COLOUR, LINES = "#b00020", ("#1f4e79", "#2e8540")
_ENV = Environment(loader=PackageLoader("bot.reports", "templates"), autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def _nl(value: float) -> str:
    """A figure as printed in Dutch: "97,95", "98" (already cut by sla.kpi; never rounded here)."""
    return f"{value:g}".replace(".", ",") if float(value).is_integer() else f"{value:.2f}".rstrip("0").replace(".", ",")


_ENV.filters["nl"] = _nl


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
    return "geen meting" if value is None else f"{_nl(value)}%"


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
            axes.axhline(norm, color=NORM_COLOUR, linestyle="--", linewidth=1, label=f"norm {norm:g}%")
        axes.set_xticks(range(len(labels)), labels)
        axes.set_ylim(0, 105)
        axes.set_ylabel("% binnen norm")
        axes.set_title(f"{priority}: binnen de norm per maand", fontsize=10)
        if axes.get_legend_handles_labels()[0]:
            axes.legend(loc="lower left", fontsize=7, frameon=False)
        norm_words = f"; norm {norm:g}%" if norm is not None else ""
        charts.append(Chart(
            f"trend-{priority.lower()}", f"{priority}: zes maanden",
            f"Lijngrafiek, {priority}, aandeel binnen de norm per maand. " + ". ".join(words) + norm_words + ".",
            _png(figure),
        ))
    figure, axes = _figure()
    words = []
    for colour, key, name in zip(LINES, ("mttr_minutes", "mttp_minutes"), ("MTTR (tot opgelost)", "MTTP (tot weer aan het werk)")):
        values = trend[key]
        points = [(i, v / 60) for i, v in enumerate(values) if v is not None]
        if points:
            axes.plot([i for i, _ in points], [v for _, v in points], marker="o", color=colour, label=name)
        words.append(f"{name}: " + ", ".join(f"{label} {minutes_text(v)}" for label, v in zip(labels, values)))
    axes.set_xticks(range(len(labels)), labels)
    axes.set_ylabel("uren")
    axes.set_title("MTTR en MTTP per maand (gemiddeld, klokuren)", fontsize=10)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc="upper left", fontsize=7, frameon=False)
    charts.append(Chart("mttr-mttp", "MTTR en MTTP", "Lijngrafiek, gemiddelde tijden per maand. " + ". ".join(words) + ".", _png(figure)))

    scores = slr["report"]["csat"]["scores"]
    figure, axes = _figure()
    counts = [scores[str(n)] for n in range(1, 11)]
    axes.bar(range(1, 11), counts, color=[NORM_COLOUR if n < 6 else LINES[0] if n < 7 else LINES[1] for n in range(1, 11)])
    axes.set_xticks(range(1, 11))
    axes.set_xlabel("cijfer")
    axes.set_ylabel("aantal")
    axes.set_title(f"Tevredenheid (CSAT) {slr['month_name']}: verdeling van de cijfers", fontsize=10)
    charts.append(Chart(
        "csat", "CSAT-verdeling",
        "Staafdiagram, aantal melders per cijfer van 1 tot 10: " + ", ".join(f"{n}: {c}" for n, c in zip(range(1, 11), counts)) + ".",
        _png(figure),
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
    lines = summary_lines(slr, title="Service level report maand")
    lines += ["", "Eisen uit het contract (Altijd / Alleen bij afwijking):"]
    for row in slr["requirements"]:
        verdict = {True: "✓", False: "✗", None: "·"}[row["met"]]
        agenda = "altijd" if row["agenda"] == "altijd" else "bij afwijking"
        flag = " · op de agenda" if row["on_agenda"] else ""
        lines.append(f"- {row['name']}: {row['result']} {verdict} ({agenda}{', minimumeis' if row['minimum'] else ''}){flag}")
    lines += ["", f"Escalaties: {len(slr['escalations'])}"]
    for e in slr["escalations"]:
        lines.append(f"- {e['level']} {e['norm_text']} · {plain.line(e['subject'])} · {e['state_text']}")
    lines += ["", f"Overschrijdingen met oorzaak: {len(slr['breaches'])} (zonder oorzaak van de leverancier: {slr['breaches_without_cause']})"]
    for b in slr["breaches"]:
        cause = plain.line(b["supplier_cause"]) if b["supplier_cause"] else "geen oorzaak opgegeven"
        action = f"; actie: {plain.line(b['action'])} ({plain.line(b['action_owner'])}, {b['action_due']})" if b["action"] else ""
        lines.append(f"- {b['ticket']} {b['priority']} {b['clock_text']} · {plain.line(b['subject'])} · eigenaar {plain.line(b['owner'])} · oorzaak: {cause}{action}")
    lines += ["", f"Verbeteracties: {len(slr['improvement_actions'])}"]
    for a in slr["improvement_actions"]:
        lines.append(f"- {plain.line(a['action'])} · eigenaar {plain.line(a['action_owner'])} · {a['action_due']} · {a['action_state']}")
    lines += ["", f"Security-incidenten: {len(slr['security_incidents'])}", f"Major incidents: {len(slr['major_incidents'])}"]
    lines += ["", "XLA: " + ("geen meting in deze periode" if slr["xla"] is None else slr["xla"].get("summary", ""))]
    for r in (slr["xla"] or {}).get("rounds", []):
        lines.append(f"- ronde {plain.line(r['label'])}: {r['respondents']} van {r['invited']} gaven antwoord")
        lines += [f"  - {q['name']}: {q['result']}; spreiding {' '.join(map(str, q['distribution']))}" for q in r["questions"]]
    return lines


def csv_rows(slr: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per figure (priority, norm, result, verdict): the SLR's tables for a spreadsheet."""
    if slr["kind"] == "scorecard":
        return [{"period": slr["period"], "section": "prioriteit", "name": f"{p['priority']} {CLOCK_TITLES[c]}",
                 "result": share_text(p[c]), "met": p[c]["met"]}
                for p in slr["report"]["priorities"] for c in ("first_response", "resolution") if p.get(c)]
    rows = [
        {"period": slr["period"], "section": "eisen", "name": r["name"], "result": r["result"], "met": r["met"],
         "agenda": r["agenda"], "on_agenda": r["on_agenda"]}
        for r in slr["requirements"]
    ]
    rows += [
        {"period": slr["period"], "section": "overschrijding", "name": f"{b['ticket']} {b['priority']} {b['clock_text']}",
         "result": plain.line(b["supplier_cause"] or "geen oorzaak opgegeven"), "met": False, "agenda": "", "on_agenda": ""}
        for b in slr["breaches"]
    ]
    rows += [
        {"period": slr["period"], "section": "xla", "name": f"{r['label']}: {q['name']}", "result": q["result"], "met": q["met"],
         "agenda": "", "on_agenda": ""}
        for r in (slr["xla"] or {}).get("rounds", []) for q in r["questions"]
    ]
    return rows


CSV_COLUMNS = ("period", "section", "name", "result", "met", "agenda", "on_agenda")


def _scorecard_lines(card: dict[str, Any]) -> list[str]:
    issues = card["issues"]
    lines = [f"{card['title']} ({card['first_day']} t/m {card['last_day']})", "", "Aard en ernst van de issues:"]
    lines += [
        f"- P1-meldingen {issues['p1']} (waarvan P1-uplift {issues['uplifts']}), security-incidenten {issues['security']}, "
        f"major incidents {issues['major']}, normoverschrijdingen {issues['breaches']}",
        "- escalaties: " + ", ".join(f"{level} {count}" for level, count in issues["escalations"].items()),
        "", "Reageren en oplossen:",
    ]
    for p in card["report"]["priorities"]:
        parts = [f"{CLOCK_TITLES[c]} {share_text(p[c])}" for c in ("first_response", "resolution") if p.get(c)]
        lines.append(f"- {p['priority']}: " + " · ".join(parts))
    report = card["report"]
    lines += ["", "Communicatie:", f"- melder op de hoogte gehouden: {share_text(report['kept_informed'])}",
              f"- tevredenheid: {csat_text(report['csat'])}", "", "Herhaling en verbeterpotentieel:"]
    lines += [f"- {r['norm']}: {r['months']} maanden niet gehaald" for r in card["repeated"]] or ["- geen norm vaker dan één maand gemist"]
    open_actions = [e for e in card["escalations"] if e["action"] and e["action_state"] != "gereed"]
    lines.append(f"- open verbeteracties: {len(open_actions)}")
    return lines
