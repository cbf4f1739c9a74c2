"""The example SLR of docs/reports/, made again from its generator: the PDF's sections, charts and
figures are those of `report monthly --format json` (read back from the PDF with PDFium), it names
no reporter, and the HTML it is drawn from is accessible (headings, alt text, header cells)."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2 as pdfium
import pytest

import app as app_module
from bot.summary import csat_text

ROOT = Path(__file__).resolve().parents[2]
MONTH = "2026-10"
SECTIONS = (
    "Samenvatting", "Normen per prioriteit", "Trend over zes maanden", "Eisen uit het contract", "Escalaties",
    "Normoverschrijdingen met oorzaak en herstelactie", "P1-meldingen en P1-uplifts", "Security-incidenten en containment",
    "Major incidents en RCA", "MTTR en MTTP", "Klanttevredenheid (CSAT)", "Achterstand", "Wachten op derden",
    "Verbeteracties", "Gebruikersbeleving (XLA)",
)


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The generated month, and the report as JSON, HTML and PDF from the command line."""
    folder = tmp_path_factory.mktemp("example")
    database = folder / "example.sqlite3"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "example_month.py"), str(database), "--month", MONTH], check=True, cwd=ROOT)
    files = {}
    mp = pytest.MonkeyPatch()
    mp.setenv("DATABASE_URL", f"sqlite:///{database}")
    try:
        for fmt in ("json", "html", "pdf"):
            files[fmt] = folder / f"slr.{fmt}"
            assert app_module.main(["report", "monthly", "--month", MONTH, "--format", fmt, "--out", str(files[fmt])]) == 0
    finally:
        mp.undo()
    return json.loads(files["json"].read_text("utf-8")), files["html"].read_text("utf-8"), files["pdf"]


def _pdf_text(path: Path) -> str:
    document = pdfium.PdfDocument(path)
    pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    # PDFium marks a hyphen where a line broke after it as U+FFFE ("security-" / "incidenten").
    return re.sub(r"\s+", " ", " ".join(pages)).replace("\ufffe", "-")


def _images(path: Path) -> int:
    document = pdfium.PdfDocument(path)
    return sum(len(list(document[i].get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]))) for i in range(len(document)))


def _without_now(value):
    """The report without the moments it was made at (the command's clock)."""
    if isinstance(value, dict):
        return {k: _without_now(v) for k, v in value.items() if k not in ("generated", "now")}
    if isinstance(value, list):
        return [_without_now(v) for v in value]
    return value


def _pct(value: float) -> str:
    return f"{value:g}".replace(".", ",") if float(value).is_integer() else f"{value:.2f}".rstrip("0").replace(".", ",")


def test_the_pdf_has_every_section_and_a_chart_per_priority_mttr_mttp_and_csat(example):
    slr, _, pdf = example
    text = _pdf_text(pdf)
    assert f"Servicelevelrapport {slr['month_name']}" in text
    missing = [s for s in SECTIONS if s not in text]
    assert not missing, missing
    assert _images(pdf) == 6  # P1-P4 trends, MTTR/MTTP, the CSAT distribution


def test_the_pdfs_figures_are_those_of_the_json(example):
    slr, _, pdf = example
    text = _pdf_text(pdf)
    for p in slr["report"]["priorities"]:
        for clock in ("first_response", "resolution"):
            figure = p[clock]
            if figure["counted"]:
                assert f"{_pct(figure['share_percent'])} {figure['within']}/{figure['counted']}" in text, (p["priority"], clock)
        assert f"{p['priority']} {p['reported']} gemeld, {p['resolved']} opgelost" in text
    assert f"Normoverschrijdingen {len(slr['breaches'])}, waarvan {slr['breaches_without_cause']} zonder oorzaak van de leverancier" in text
    for breach in slr["breaches"]:
        assert breach["ticket"] in text
    assert slr["breaches_without_cause"] < len(slr["breaches"])  # the supplier explained most of them
    assert f"Escalaties {len(slr['escalations'])}" in text
    csat = slr["report"]["csat"]
    assert csat_text(csat) in text and csat["responses"] > 20
    for remark in csat["remarks"]:
        assert remark["remark"] in text
    for row in slr["requirements"]:
        assert row["name"] in text
    assert "Altijd" in text and "Alleen bij afwijking" in text
    # The month's specials: the P1-uplift with its motivation, the data breach, the major incident.
    (uplift,) = [t for t in slr["p1_tickets"] if t["uplift"]]
    assert uplift["motivation"] in text
    assert slr["security_incidents"] and slr["security_incidents"][0]["data_breach"]
    assert slr["major_incidents"] and "Storing Outlook en Teams" in text
    # October's survey round (XLA): each question's mean against the norm, answers, response, spread.
    (measured,) = slr["xla"]["rounds"]
    assert measured["invited"] == 300 and 100 < measured["respondents"] < 300
    for q in measured["questions"]:
        verdict = "✓ gehaald" if q["met"] else "✗ niet gehaald"
        spread = " · ".join(map(str, q["distribution"]))
        assert (f"{q['name']} {_pct(q['mean'])} {_pct(q['norm'])} {verdict} {q['responses']} "
                f"{_pct(q['response_rate_percent'])} {spread}") in text, q["name"]
    assert not any(remark in text for remark in ("traag bij videobellen", "zelf bel", "denkt goed mee"))  # regie's card only


def test_the_report_names_no_reporter_and_shows_no_description(example):
    slr, html, pdf = example
    text = _pdf_text(pdf)
    assert "Medewerker " not in text and "(voorbeeld)" not in text
    assert "Medewerker " not in json.dumps(slr) and "(voorbeeld)" not in json.dumps(slr)


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang, self.headings, self.images, self.tables, self.header_cells = None, [], [], 0, 0
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag in ("h1", "h2", "h3"):
            self._in = tag
        elif tag == "img":
            self.images.append(attrs.get("alt") or "")
        elif tag == "table":
            self.tables += 1
        elif tag == "th" and attrs.get("scope") == "col":
            self.header_cells += 1

    def handle_endtag(self, tag):
        self._in = None if tag == self._in else self._in

    def handle_data(self, data):
        if self._in and data.strip():
            self.headings.append((self._in, data.strip()))


def test_the_document_is_accessible_dutch_headings_alt_text_with_the_figures_and_table_headers(example):
    slr, html, _ = example
    outline = _Outline()
    outline.feed(html)
    assert outline.lang == "nl"
    assert [h for h in outline.headings if h[0] == "h1"] == [("h1", slr["title"])]
    assert {title for level, title in outline.headings if level == "h2"} >= set(SECTIONS) - {"Trend over zes maanden"}
    assert len(outline.images) == 6 and all(len(alt) > 40 for alt in outline.images)
    p3 = slr["trend"]["norms"]["P3:first_response"][-1]
    assert any(_pct(p3) in alt.replace(".", ",") and "P3" in alt for alt in outline.images)
    assert outline.header_cells >= 4 * outline.tables  # every table has a header row


def test_the_committed_example_is_the_generators(example):
    """docs/reports/ holds what scripts/reports.sh makes (its figures; the pages are its drawing)."""
    slr, _, _ = example
    committed = json.loads((ROOT / "docs" / "reports" / f"servicelevelrapport-{MONTH}.json").read_text("utf-8"))
    assert _without_now(committed) == _without_now(slr)
    pages = sorted((ROOT / "docs" / "reports").glob(f"servicelevelrapport-{MONTH}-page-*.png"))
    assert len(pages) == len(pdfium.PdfDocument(ROOT / "docs" / "reports" / f"servicelevelrapport-{MONTH}.pdf")) >= 5


async def test_a_report_link_opens_the_pdf_and_a_forged_or_expired_one_does_not(sqlite_database_url, tmp_path):
    from datetime import timedelta

    from tests.support.harness import harness_settings, start_harness, stop_harness

    secret = "s" * 40
    h = await start_harness(harness_settings(sqlite_database_url, public_base_url="https://bot.example.nl", report_link_secret=secret))
    try:
        links = h.app[app_module.SETTINGS].report_links
        good = links.url("2026-03", expires=h.clock.now() + timedelta(days=1)).removeprefix("https://bot.example.nl")
        response = await h.client.get(good)
        assert response.status == 200 and response.content_type == "application/pdf"
        assert (await response.read()).startswith(b"%PDF")
        forged = good.replace("2026-03", "2026-02")
        response = await h.client.get(forged)
        assert response.status == 403 and "klopt niet" in await response.text()
        expired = links.url("2026-03", expires=h.clock.now() - timedelta(seconds=1)).removeprefix("https://bot.example.nl")
        response = await h.client.get(expired)
        assert response.status == 410 and "verlopen" in await response.text()
    finally:
        await stop_harness(h)
    await asyncio.sleep(0)


def test_the_quarterly_scorecard_reads_the_same_figures(example, tmp_path, monkeypatch, capsys):
    slr, _, _ = example
    monkeypatch.setenv("DATABASE_URL", slr_database(example))
    assert app_module.main(["report", "quarterly", "--quarter", "2026-Q3", "--format", "json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["months"] == ["2026-07", "2026-08", "2026-09"]
    whole = {p["priority"]: p for p in card["report"]["priorities"]}
    months = [{p["priority"]: p for p in m["priorities"]} for m in card["monthly"]]
    for priority in ("P3", "P4"):  # the quarter adds up its months
        for clock in ("first_response", "resolution"):
            assert whole[priority][clock]["counted"] == sum(m[priority][clock]["counted"] for m in months)
            assert whole[priority][clock]["within"] == sum(m[priority][clock]["within"] for m in months)
    assert app_module.main(["report", "quarterly", "--quarter", "2026-Q3"]) == 0
    text = capsys.readouterr().out
    for part in ("Leveranciersscorecard 2026-Q3", "Aard en ernst van de issues:", "Reageren en oplossen:", "Communicatie:",
                 "Herhaling en verbeterpotentieel:"):
        assert part in text
    out = tmp_path / "scorecard.pdf"
    assert app_module.main(["report", "quarterly", "--quarter", "2026-Q3", "--format", "pdf", "--out", str(out)]) == 0
    assert "Herhaling en verbeterpotentieel" in _pdf_text(out)


def test_the_text_report_lists_each_improvement_action_with_owner_due_date_and_state(example, monkeypatch, capsys):
    slr, _, _ = example
    monkeypatch.setenv("DATABASE_URL", slr_database(example))
    assert app_module.main(["report", "monthly", "--month", MONTH]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = lines.index(f"Verbeteracties: {len(slr['improvement_actions'])}") + 1
    actions = lines[start:start + len(slr["improvement_actions"])]
    assert actions[0] == "- Voorraad van de meest gevraagde onderdelen op locatie. · eigenaar Servicemanager MSP · 2026-10-22 · gereed"
    assert "- Extra dienst op maandag 08:00-12:00. · eigenaar Teamleider servicedesk · 2026-11-03 · open" in actions
    assert all(line.startswith("- ") and " · eigenaar " in line for line in actions)


async def _q2_scorecard_with_a_norm_missed_twice(database_url: str) -> dict:
    """The 2026-Q2 scorecard after a P3 reported on 1 April stayed open: on the first working
    mornings of May and June the bot's monthly job escalates the month's missed norms, the
    backlog norm both times."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.reports.slr import quarterly_scorecard
    from sla.clock import FixedClock
    from storage.reporting import quarter_period
    from tests.servicedesk.desk import local, new_ticket
    from tests.support.harness import harness_settings, start_harness, stop_harness

    h = await start_harness(harness_settings(database_url), FixedClock(datetime(2026, 4, 1, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))))
    try:
        await new_ticket(h, priority="P3", description="Scanner op de tweede verdieping")
        for first_working_morning in ("2026-05-01 09:00", "2026-06-01 09:00"):
            h.clock.set(local(h, first_working_morning))
            assert await h.app[app_module.JOBS].monthly_report() is True
        policy = h.app[app_module.POLICY]
        async with h.app[app_module.DATABASE].sessions() as session:
            return await quarterly_scorecard(session, policy=policy, quarter=quarter_period("2026-Q2", policy), now=h.clock.now())
    finally:
        await stop_harness(h)


async def test_the_scorecard_says_how_many_months_a_repeated_norm_was_missed(sqlite_database_url):
    from bot.reports.render import text_lines

    lines = text_lines(await _q2_scorecard_with_a_norm_missed_twice(sqlite_database_url))
    heading = lines.index("Herhaling en verbeterpotentieel:")
    repeated, open_actions = lines[heading + 1:]
    assert repeated.startswith("- ") and repeated.endswith(": 2 maanden niet gehaald")
    assert open_actions == "- open verbeteracties: 0"


async def test_the_scorecard_names_a_repeated_norm_in_words_as_the_escalation_card_does(sqlite_database_url):
    from bot.reports.render import html, text_lines

    card = await _q2_scorecard_with_a_norm_missed_twice(sqlite_database_url)
    assert "- achterstand (open > 10 werkdagen): 2 maanden niet gehaald" in text_lines(card)
    assert '<th scope="row">achterstand (open &gt; 10 werkdagen)</th>' in html(card)


@pytest.mark.parametrize("argv, message", [
    (["report", "monthly", "--month", "2026-10", "--format", "pdf"], "a PDF goes to a file: add --out FILE.pdf"),
    (["report", "monthly", "--month", "2026-10", "--json", "--format", "csv"], "--json and --format csv contradict each other"),
    (["report", "quarterly", "--quarter", "2026-Q5"], "quarter must look like 2026-Q4"),
    (["report", "monthly", "--month", "2026-10", "--format", "pdf", "--out", "/no/such/folder/r.pdf"], "there is no folder /no/such/folder"),
])
def test_a_report_command_mistake_is_one_line_and_exit_2(example, tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.setenv("DATABASE_URL", slr_database(example))
    assert app_module.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("servicedesk: ") and message in err and err.count("\n") == 1


def slr_database(example) -> str:
    """The example month's database (the fixture's folder holds it beside the report files)."""
    return f"sqlite:///{example[2].parent / 'example.sqlite3'}"
