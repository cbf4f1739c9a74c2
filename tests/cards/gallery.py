"""Every type of Adaptive Card the bot can send, built by the real builder functions from
realistic sample tickets: the card gallery in docs/cards/ and the schema test next to this file.

    python -m tests.cards.gallery OUT_DIR            # one JSON per card type, validated
    python -m tests.cards.gallery OUT_DIR --render   # ... and a PNG each (e2e/render_cards.js)

``scripts/docs.sh`` runs it with ``--render`` into docs/cards/. Each sample ticket is an event
history (what storage would have logged) with its deadlines worked out by the SLA engine
(``sla.deadlines.deadlines_from_events``) under the shipped "halt" policy, so every date, "nog 2 u"
and "te laat" on a card is what the bot would show at that moment. Cards the bot sends with text
only (acknowledgements, status updates, the reporter's messages) are not cards and are not here.

A new card type belongs in ``GALLERY`` (and in docs/README.md): ``tests/cards/test_gallery.py``
checks that every builder in ``BUILDERS`` is used here at least once.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from fractions import Fraction
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

from bot import announcements, card_actions, cards, escalation_cards, feedback_cards, reach_cards, summary, survey_cards
from dialogs.feedback import answered_card
from dialogs import addinfo, question, survey, texts
from dialogs.intake import IntakeDialog, UPLIFT_QUESTIONS, decision_of
from sla import events as ev
from sla.deadlines import deadlines_from_events
from sla.escalation import Level, State, Trigger, escalation_level, start_by
from sla.fold import DATA_BREACH, fold
from sla.events import TicketEvent
from sla.kpi import compute_kpis
from sla.policy import load_policy
from reach import service as reach_service
from storage.outbox import Kind
from sla.xla import Question, results
from storage.models import Campaign, EscalationRow, SurveyRound, Ticket
from reach.surveys import RoundFigures
from storage.reporting import summary_payload, week_period
from sla.status import OPEN_STATUSES
from storage.labels import ticket_label

POLICY = load_policy("halt")
TZ: ZoneInfo = POLICY.tz
REPORTER = ("3f1c6a52-7a0e-4b8e-9d43-5c2f7e8a1b01", "Sanne de Vries")
AGENT = ("8d2e4b17-1c9a-4f6e-a0b3-2e5d9c7f4a22", "Karim Bouali")
COLLEAGUE = ("b6a93e0c-5d21-4c7f-8e14-9f0a3b6d2c55", "Lisa Bakker")
AGENTS = {AGENT[0]: AGENT[1], COLLEAGUE[0]: COLLEAGUE[1]}

# Which functions build the cards the bot sends (the renderers in bot/delivery.py, the intake's questions,
# the Action.Execute answer in bot/card_actions.py). The test checks each is in the gallery.
BUILDERS = (
    "dialogs.question.question_card",
    "bot.cards.ticket_card",
    "bot.cards.regie_new_p1_card",
    "bot.cards.regie_notice_card",
    "bot.cards.piket_alert_card",
    "bot.cards.data_breach_card",
    "bot.cards.regie_major_card",
    "bot.summary.weekly_summary_card",
    "bot.escalation_cards.escalation_card",
    "bot.escalation_cards.reminder_card",
    "bot.summary.low_csat_card",
    "bot.summary.monthly_report_card",
    "bot.feedback_cards.mttp_question_card",
    "bot.feedback_cards.csat_question_card",
    "dialogs.feedback.answered_card",
    "bot.card_actions.card_response",
    "bot.reach_cards.campaign_card",
    "bot.reach_cards.notice_card",
    "bot.announcements.form_card",
    "bot.survey_cards.question_card",
    "dialogs.survey.question_card",
    "dialogs.survey.answered_card",
    "bot.survey_cards.result_card",
)


def at(day: int, hour: int, minute: int = 0, month: int = 4) -> datetime:
    """A moment in spring 2026, Amsterdam time (28 April 2026 is a Tuesday)."""
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


@dataclass(frozen=True)
class Entry:
    name: str  # file name without .png
    who: str  # where the card appears
    what: str  # what it is, for docs/README.md
    builder: str  # the function that built it
    card: dict[str, Any]


# --- sample tickets --------------------------------------------------------------------------


def _reported(when: datetime, ticket_id: int, answers: dict[str, Any], motivation: str | None = None) -> TicketEvent:
    decision = decision_of(answers)
    return TicketEvent(
        ev.REPORTED, when,
        {
            "ticket": ticket_label(ticket_id), "priority": decision.priority, "uplift": decision.uplift,
            "motivation": motivation, "category": answers["category"], "scope": answers["scope"],
            "reasons": list(decision.reasons), "major_incident": decision.major_incident,
            "security_incident": decision.security_incident, "data_breach": decision.data_breach,
            "intake": {key: answers[key] for key in ("security", "work") if key in answers},
        },
    )


def _fact(kind: str, when: datetime, agent: tuple[str, str] = AGENT, **data: Any) -> TicketEvent:
    """A fact an agent recorded on the card, as storage logs it."""
    return TicketEvent(kind, when, {"agent_id": agent[0], "agent_name": agent[1], **data})


def sample_ticket(
    ticket_id: int,
    events: list[TicketEvent],
    *,
    description: str,
    reporter: tuple[str, str] = REPORTER,
    phone: str | None = None,
    update_overdue: bool = False,
    linked_to_ticket_id: int | None = None,
) -> Ticket:
    """The ticket row storage would hold after ``events`` (status, owner, cached deadlines)."""
    first = events[0].data
    status, owner, first_response_at, resolved_at, priority = "nieuw", None, None, None, first["priority"]
    line, agreed, major = None, None, bool(first.get("major_incident"))
    for event in events[1:]:
        data = event.data
        if event.kind == ev.ACKNOWLEDGED:
            status, owner, line = "opgepakt", (data.get("agent_id"), data.get("agent_name")), line or "1"
            first_response_at = first_response_at or event.at
        elif event.kind == ev.AGREED_DATE_SET:
            agreed = date.fromisoformat(data["date"])
        elif event.kind == ev.MAJOR_DECLARED:
            major = True
        elif event.kind == ev.PAUSED:
            status = "wacht_op_derde"
        elif event.kind in (ev.RESUMED, ev.REOPENED):
            status = "opgepakt"
        elif event.kind == ev.RESOLVED:
            status, resolved_at = "opgelost", event.at
        elif event.kind == ev.HANDED_OVER:
            owner = (data.get("to_agent"), data.get("to_name")) if data.get("to_agent") else None
            line = data.get("to_line") or line
        elif event.kind == ev.PRIORITY_CHANGED:
            priority = data["to"]
    due = deadlines_from_events(POLICY, events)
    return Ticket(
        id=ticket_id, reporter_id=reporter[0], reporter_name=reporter[1], category=first["category"],
        scope=first["scope"], description=description, priority=priority, uplift=bool(first.get("uplift")) and priority == "P1",
        uplift_motivation=first.get("motivation"), priority_reasons={"reasons": list(first.get("reasons") or [])},
        phone=phone, status=status, owner_id=owner[0] if owner else None, owner_name=owner[1] if owner else None,
        opened_at=events[0].at, first_response_at=first_response_at, resolved_at=resolved_at,
        first_response_due=due.first_response_due, resolution_due=due.resolution_due,
        definitive_resolution_due=due.definitive_resolution_due,
        next_update_due=due.next_update_due if status in OPEN_STATUSES else None,
        version=len(events), major_incident=major, update_overdue=update_overdue, treatment_line=line,
        agreed_date=agreed, linked_to_ticket_id=linked_to_ticket_id, channel="teams", external_number=None,
    )


def _ack(when: datetime, note: str | None = None, agent: tuple[str, str] = AGENT) -> TicketEvent:
    return TicketEvent(ev.ACKNOWLEDGED, when, {"agent_id": agent[0], "agent_name": agent[1], "note": note})


LAPTOP = {"category": "laptop", "scope": "alleen_ik", "work": "omweg"}
LAPTOP_TEXT = "Mijn laptop start niet op, het scherm blijft zwart. Ik werk nu op een pc in de kantine."
UPLIFT = {"category": "laptop", "scope": "alleen_ik", "work": "nee", "critical_role": True, "direct_impact": True, "cannot_work": True}
UPLIFT_TEXT = "Mijn laptop geeft een blauw scherm bij het opstarten en ik moet zo lesgeven."
UPLIFT_MOTIVATION = "Om 10:00 lesgeven aan groep 8, de digibordles staat op deze laptop."
OUTAGE = {"category": "netwerk", "scope": "iedereen", "work": "nee"}
OUTAGE_TEXT = "Op de hele tweede verdieping van het stadskantoor is er geen wifi en geen netwerk."
OUTAGE_TITLE = "Storing wifi en netwerk stadskantoor"
PRINTER = {"category": "printen", "scope": "meerdere_teams", "work": "omweg"}
PRINTER_TEXT = "De printer bij Burgerzaken drukt alles scheef af; Vergunningen heeft hetzelfde."


BREACH = {"category": "beveiliging", "security": "datalek", "scope": "alleen_ik"}
BREACH_TEXT = "Ik heb een mail met het dossier van een jongere naar de verkeerde ouder gestuurd."
breach_reporter = ("e2c4a6b8-1d3f-4a5b-9c7d-0e1f2a3b4c5d", "Ilse Hendriks")
DEVICE_TEXT = "Ik heb een nieuwe docking nodig: de oude geeft geen beeld meer, ik werk nu op het kleine laptopscherm."
device_reporter = ("f3a5c7e9-2b4d-4e6f-8a0b-1c2d3e4f5a6b", "Mark de Boer")


def breach_events() -> list[TicketEvent]:
    return [
        _reported(at(28, 9, 0), 221, BREACH),
        _ack(at(28, 9, 8)),
        _fact(ev.REACTION, at(28, 9, 8), priority="P1", next_step="Ik bel je nu en vraag de ouder de mail te verwijderen.", text=None),
    ]


def major_events() -> list[TicketEvent]:
    return [
        _reported(at(28, 9, 5), 216, OUTAGE),
        _ack(at(28, 9, 12), "Netwerkbeheer is onderweg naar de tweede verdieping."),
        _fact(ev.CALL_REGISTERED, at(28, 9, 14), reached=True, note=None),
        _fact(ev.REACTION, at(28, 9, 15), priority="P1", next_step="Netwerkbeheer herstart de switch op de tweede verdieping.", text=None),
        _fact(ev.MAJOR_DECLARED, at(28, 9, 20), title="Storing netwerk stadskantoor"),
        _fact(ev.TICKET_LINKED, at(28, 9, 30), ticket=ticket_label(223)),
    ]


def p3_new() -> Ticket:
    return sample_ticket(214, [_reported(at(28, 9, 0), 214, LAPTOP)], description=LAPTOP_TEXT)


def p3_events() -> list[TicketEvent]:
    return [
        _reported(at(28, 9, 0), 214, LAPTOP),
        _ack(at(28, 9, 40), "Ik kom om 11:00 langs met een vervangende laptop."),
    ]


def p1_uplift_new() -> Ticket:
    return sample_ticket(
        215, [_reported(at(28, 9, 12), 215, UPLIFT, UPLIFT_MOTIVATION)], description=UPLIFT_TEXT, phone="06 12345678",
        reporter=("5e7d0a3c-2b4f-4d61-9a8e-1f3c5b7d9e03", "Pieter Jansen"),
    )


outage_reporter = ("c4b2e8f6-9a1d-4e37-8b05-6d2f4a8c0e14", "Fatima el Amrani")


def p1_outage_new() -> Ticket:
    return sample_ticket(216, [_reported(at(28, 9, 5), 216, OUTAGE)], description=OUTAGE_TEXT, phone="020 555 0142", reporter=outage_reporter)


# --- the gallery -----------------------------------------------------------------------------


# The intake's questions by their question id (the "vraag" in each button's data), as the
# gallery names them; the end-to-end test names the cards it sees the same way.
QUESTION_NAMES = {
    "category": "vraag-categorie",
    "security": "vraag-beveiliging",
    "phishing_clicked": "vraag-phishing-geklikt",
    "outage": "vraag-bekende-storing",
    "scope": "vraag-wie-heeft-last",
    "work": "vraag-kun-je-werken",
    "uplift_role": "vraag-uplift-kritieke-rol",
    "uplift_impact": "vraag-uplift-directe-gevolgen",
    "uplift_cannot_work": "vraag-uplift-helemaal-niet-werken",
    "confirm": "vraag-klopt-dit",  # with a motivation (P1-uplift): vraag-klopt-dit-p1-uplift
    "change": "vraag-wat-wijzigen",
    "which": "vraag-welke-melding",
}


def intake_cards() -> list[Entry]:
    intake = IntakeDialog(services=None)  # the questions below need no services
    state = {"answers": dict(LAPTOP, description=LAPTOP_TEXT), "attachments": []}

    def q(what: str, asked: dict[str, Any], suffix: str = "") -> Entry:
        return Entry(QUESTION_NAMES[asked["id"]] + suffix, "personal chat", what, "dialogs.question.question_card",
                     question.question_card(asked))

    outage = question.yes_no_question("outage", texts.known_outage(
        title=OUTAGE_TITLE, category=texts.CATEGORY_NAMES["netwerk"], since="vandaag om 09:05",
    ), fallback=False)  # as IntakeDialog._advance asks it: by the title the servicedesk confirmed
    uplift_state = {
        "answers": dict(UPLIFT, description=UPLIFT_TEXT, motivation=UPLIFT_MOTIVATION, phone="06 12345678"),
        "attachments": [{"name": "foto.jpg"}],
    }
    # "aanvulling" with more than one open ticket: the choices as dialogs/addinfo.py words them
    which = question.choice_question("which", texts.ASK_WHICH_TICKET, [
        (str(n), f"{ticket_label(n)}: {addinfo._short(text)}", (ticket_label(n), f"m{n}"))
        for n, text in ((215, UPLIFT_TEXT), (214, LAPTOP_TEXT))
    ], numbered=False)
    return [
        q("\"Waar gaat het over?\": the category, one button per line", intake._question("category", state)),
        q("category Beveiliging: \"Wat is er gebeurd?\"", intake._question("security", state)),
        q("after phishing: clicked a link, opened an attachment or typed a password?", intake._question("phishing_clicked", state)),
        q("a known outage in this category: \"Gaat het om dezelfde storing?\"", outage),
        q("\"Wie heeft er last van?\" (scope)", intake._question("scope", state)),
        q("\"Kun je nog werken?\"", intake._question("work", state)),
        *(q(f"P1-uplift question {n} of 3", intake._question(field, state)) for n, field in enumerate(UPLIFT_QUESTIONS, 1)),
        q("the summary \"Klopt dit?\" (a P3)", intake._question("confirm", state)),
        q("the summary for a P1-uplift: motivation, phone number, a photo", intake._question("confirm", uplift_state), "-p1-uplift"),
        q("after \"Wijzigen\" on the summary (for a P1-uplift also motivation and phone)", intake._change_question(uplift_state["answers"])),
        q("adding information while more than one ticket is open: which one?", which),
    ]


def servicedesk_cards() -> list[Entry]:
    def card(ticket: Ticket, events: list[TicketEvent], now: datetime) -> dict[str, Any]:
        return cards.ticket_card(ticket, now=now, policy=POLICY, events=events, agents=AGENTS)

    def e(name: str, what: str, ticket: Ticket, events: list[TicketEvent], now: datetime) -> Entry:
        return Entry(name, "servicedesk channel", what, "bot.cards.ticket_card", card(ticket, events, now))

    new_events = [_reported(at(28, 9, 0), 214, LAPTOP)]
    uplift_events = [_reported(at(28, 9, 12), 215, UPLIFT, UPLIFT_MOTIVATION)]
    picked = p3_events()
    waiting = picked + [TicketEvent(ev.PAUSED, at(28, 11, 20), {"agent_id": AGENT[0], "agent_name": AGENT[1], "party": "leverancier Dell", "reason": "Moederbord besteld, levering donderdag."})]
    resolved = waiting + [
        TicketEvent(ev.RESUMED, at(30, 10, 5), {"agent_id": AGENT[0], "agent_name": AGENT[1]}),
        TicketEvent(ev.RESOLVED, at(30, 11, 30), {"agent_id": AGENT[0], "agent_name": AGENT[1], "solution": "Moederbord vervangen; de laptop start weer op en alle bestanden staan er nog."}),
    ]
    overdue = [_reported(at(28, 9, 0), 217, PRINTER), _ack(at(28, 10, 15), None, COLLEAGUE),
               TicketEvent(ev.HOLDING_SENT, at(29, 10, 15), {"due": at(29, 9, 0).isoformat()})]
    late_new = [_reported(at(27, 15, 30), 218, {"category": "m365", "scope": "alleen_ik", "work": "omweg"})]
    outage_events = [_reported(at(28, 9, 5), 216, OUTAGE)]
    queued = picked + [_fact(ev.HANDED_OVER, at(28, 10, 0), from_agent=AGENT[0], from_name=AGENT[1], to_agent=None,
                             to_name=None, from_line="1", to_line="2")]
    breach = breach_events()
    device = [
        _reported(at(28, 10, 0), 222, {"category": "vraag", "scope": "alleen_ik"}),
        _ack(at(28, 10, 10)),
        _fact(ev.REACTION, at(28, 10, 10), priority="P4", next_step="Ik bestel een nieuwe docking en stuur een monteur.", text=None),
        _fact(ev.AGREED_DATE_SET, at(28, 10, 20), date="2026-05-04"),
        _fact(ev.DEVICE_FALLBACK_NEEDED, at(28, 10, 25), note="Leenlaptop met docking, koerier"),
        _fact(ev.ONSITE_NEEDED, at(28, 10, 30), location="Halt Utrecht, Catharijnesingel, 3e verdieping", note=None),
    ]
    major = major_events()
    return [
        e("servicedesk-melding-nieuw", "new P3 ticket: first message to the reporter, Oppakken, Prioriteit wijzigen",
          sample_ticket(214, new_events, description=LAPTOP_TEXT), new_events, at(28, 9, 1)),
        e("servicedesk-melding-nieuw-p1-uplift", "new P1-uplift: motivation, call-back number, call back within 15 minutes",
          sample_ticket(215, uplift_events, description=UPLIFT_TEXT, phone="06 12345678", reporter=("5e7d0a3c-2b4f-4d61-9a8e-1f3c5b7d9e03", "Pieter Jansen")),
          uplift_events, at(28, 9, 13)),
        e("servicedesk-melding-nieuw-storing", "new broad outage (P1): Publieke titel to confirm before colleagues are offered to follow it",
          p1_outage_new(), outage_events, at(28, 9, 6)),
        e("servicedesk-melding-reactie-te-laat", "new ticket whose first-response deadline has passed (red)",
          sample_ticket(218, late_new, description="Outlook vraagt steeds opnieuw om mijn wachtwoord."), late_new, at(28, 12, 20)),
        e("servicedesk-melding-opgepakt", "picked up: update, wait for a third party, resolve, workaround, priority, hand over",
          sample_ticket(214, picked, description=LAPTOP_TEXT), picked, at(28, 9, 41)),
        e("servicedesk-melding-wacht-op-derde", "waiting for a third party: who and since when (under halt no clock stops); Hervat",
          sample_ticket(214, waiting, description=LAPTOP_TEXT), waiting, at(28, 11, 21)),
        e("servicedesk-melding-opgelost", "resolved: only Heropenen",
          sample_ticket(214, resolved, description=LAPTOP_TEXT), resolved, at(30, 11, 31)),
        Entry("servicedesk-melding-alleen-lezen", "servicedesk channel",
              "an open P1 as someone who is not an agent sees it when Teams refreshes it: no buttons, live countdown",
              "bot.cards.ticket_card", cards.ticket_card(
                  p1_outage_new(), now=at(28, 9, 10), policy=POLICY, events=outage_events, read_only=True, refresh_for=[])),
        e("servicedesk-melding-wachtrij", "handed to the second line's queue: Oppakken for whoever takes it",
          sample_ticket(214, queued, description=LAPTOP_TEXT), queued, at(28, 10, 1)),
        e("servicedesk-melding-beveiliging", "a data breach the employee reported: what the first response still needs, containment, the AP",
          sample_ticket(221, breach, description=BREACH_TEXT, phone="06 23456789", reporter=breach_reporter), breach, at(28, 9, 9)),
        e("servicedesk-melding-leentoestel", "a loaner and an engineer on site are owed; the update date agreed (P4)",
          sample_ticket(222, device, description=DEVICE_TEXT, reporter=device_reporter), device, at(28, 10, 31)),
        e("servicedesk-melding-major-incident", "a major incident declared by the servicedesk, another report linked to it",
          sample_ticket(216, major, description=OUTAGE_TEXT, phone="020 555 0142", reporter=outage_reporter), major, at(28, 9, 31)),
        e("servicedesk-melding-update-te-laat", "the reporter got an update without news: the \"Let op\" flag (update overdue)",
          sample_ticket(217, overdue, description=PRINTER_TEXT, reporter=("7a9c1e3b-4d5f-4a28-b6c0-8e2f1d3a5b17", "Joost van Dijk"), update_overdue=True),
          overdue, at(29, 10, 16)),
    ]


def action_response_cards() -> list[Entry]:
    """What the clicker gets back from Action.Execute (bot/card_actions.py): the fresh card,
    and with a card drawn at an older version the same card under the "verouderd" line."""
    picked = p3_events()
    ticket = sample_ticket(214, picked, description=LAPTOP_TEXT)
    fresh = cards.ticket_card(ticket, now=at(28, 9, 40), policy=POLICY, events=picked, agents=AGENTS)
    stale = cards.ticket_card(ticket, now=at(28, 9, 42), policy=POLICY, events=picked, agents=AGENTS)
    # as CardActions._fresh_card does for Outcome.STALE
    stale["body"].insert(0, {"type": "TextBlock", "text": card_actions.STALE, "wrap": True, "color": "Attention", "weight": "Bolder"})
    return [
        Entry("actie-antwoord-opgepakt", "servicedesk channel, for the clicker",
              "the answer to Oppakken (Action.Execute): the card in its new state", "bot.card_actions.card_response",
              card_actions.card_response(fresh).body["value"]),
        Entry("actie-antwoord-verouderd", "servicedesk channel, for the clicker",
              "the answer to a click on an outdated card: the current card under a warning", "bot.card_actions.card_response",
              card_actions.card_response(stale).body["value"]),
    ]


def sample_escalation(escalation_id: int, ticket: Ticket, clock: str, level: Level, reasons, *, due: datetime, opened: datetime) -> EscalationRow:
    """A breach's escalation as the regie sweep opens it (storage.escalations.open_escalation)."""
    return EscalationRow(
        id=escalation_id, key=f"ticket:{ticket.id}:{ticket.priority}:{clock}:escalation", trigger=Trigger.BREACH.value,
        ticket_id=ticket.id, norm=f"{ticket.priority}:{clock}", period=None, due=due, figures={}, proposed_level=level.value,
        level=level.value, reasons={"why": [r.value for r in reasons]}, state=State.OPEN.value, opened_at=opened,
        start_by=start_by(POLICY, level, opened), version=1,
    )


def regie_cards() -> list[Entry]:
    uplift = p1_uplift_new()
    outage = p1_outage_new()
    raised_events = [_reported(at(28, 9, 0), 219, PRINTER), _ack(at(28, 9, 20)), TicketEvent(ev.PRIORITY_CHANGED, at(28, 9, 30), {"from": "P3", "to": "P1", "reason": "Ook de balie van Burgerzaken kan geen paspoorten meer printen.", "agent_id": AGENT[0], "agent_name": AGENT[1]})]
    raised = sample_ticket(219, raised_events, description=PRINTER_TEXT, reporter=("7a9c1e3b-4d5f-4a28-b6c0-8e2f1d3a5b17", "Joost van Dijk"))
    entries = [
        Entry("regie-nieuwe-p1", "regie channel", "a new P1 (broad outage), at once", "bot.cards.regie_new_p1_card",
              cards.regie_new_p1_card(outage, now=at(28, 9, 6), tz=TZ)),
        Entry("regie-nieuwe-p1-uplift", "regie channel", "a new P1-uplift with its motivation, at once", "bot.cards.regie_new_p1_card",
              cards.regie_new_p1_card(uplift, now=at(28, 9, 13), tz=TZ)),
        Entry("regie-prioriteit-verhoogd-naar-p1", "regie channel", "an agent raised a ticket to P1", "bot.cards.regie_new_p1_card",
              cards.regie_new_p1_card(raised, now=at(28, 9, 31), tz=TZ, changed_from="P3", reason=raised_events[-1].data["reason"], by=AGENT[1])),
    ]
    warning_due = uplift.first_response_due
    entries.append(Entry(
        "regie-dreigt-te-laat", "regie channel", "warning before a deadline passes (here: calling back a P1-uplift)",
        "bot.cards.regie_notice_card",
        cards.regie_notice_card(uplift, now=warning_due - timedelta(minutes=5), tz=TZ, kind="warning", clock="first_response", priority="P1", due=warning_due),
    ))
    lowered = sample_ticket(215, [_reported(at(28, 9, 12), 215, UPLIFT, UPLIFT_MOTIVATION), TicketEvent(ev.PRIORITY_CHANGED, warning_due - timedelta(minutes=2), {
        "from": "P1", "to": "P2", "reason": "De zitting is verplaatst.", "agent_id": AGENT[0], "agent_name": AGENT[1]})],
        description=UPLIFT_TEXT, phone="06 12345678", reporter=("5e7d0a3c-2b4f-4d61-9a8e-1f3c5b7d9e03", "Pieter Jansen"))
    solved = sample_ticket(215, [
        _reported(at(28, 9, 12), 215, UPLIFT, UPLIFT_MOTIVATION), _ack(at(28, 9, 20)),
        _fact(ev.RESOLVED, at(28, 10, 40), solution="Leenlaptop geleverd en ingericht."),
    ], description=UPLIFT_TEXT, phone="06 12345678", reporter=("5e7d0a3c-2b4f-4d61-9a8e-1f3c5b7d9e03", "Pieter Jansen"))
    entries.append(Entry(
        "regie-nieuwe-p1-uplift-niet-meer", "regie channel",
        "the new P1-uplift notice redrawn once the ticket is solved: says so at the top, no countdown",
        "bot.cards.regie_new_p1_card", cards.regie_new_p1_card(solved, now=at(28, 10, 41), tz=TZ),
    ))
    entries.append(Entry(
        "regie-dreigt-te-laat-niet-meer", "regie channel",
        "the same warning redrawn after the ticket was lowered to P2: says so at the top, no countdown",
        "bot.cards.regie_notice_card",
        cards.regie_notice_card(lowered, now=warning_due - timedelta(minutes=1), tz=TZ, kind="warning", clock="first_response", priority="P1", due=warning_due),
    ))
    # breaches: the escalation level as bot/regie.py decides it (PvE §2.4.3)
    p3 = sample_ticket(214, p3_events(), description=LAPTOP_TEXT)
    printer = sample_ticket(217, [_reported(at(28, 9, 0), 217, PRINTER), _ack(at(28, 10, 15), None, COLLEAGUE)], description=PRINTER_TEXT,
                            reporter=("7a9c1e3b-4d5f-4a28-b6c0-8e2f1d3a5b17", "Joost van Dijk"))
    outage_picked = sample_ticket(
        216, [_reported(at(28, 9, 5), 216, OUTAGE), _ack(at(28, 9, 12), "Netwerkbeheer is onderweg naar de tweede verdieping.")],
        description=OUTAGE_TEXT, phone="020 555 0142", reporter=outage_reporter,
    )
    escalated = []
    for level, ticket, clock, kwargs in (
        ("N1", p3, "resolution", dict(same_norm_before=0, broad=False, critical=False, n2_before=0)),
        ("N2", printer, "resolution", dict(same_norm_before=2, broad=True, critical=False, n2_before=0)),
        ("N3", outage_picked, "resolution", dict(same_norm_before=0, broad=True, critical=True, n2_before=0)),
    ):
        due = getattr(ticket, f"{clock}_due")
        now = due + timedelta(minutes=1)
        got, reasons = escalation_level(**kwargs)
        assert got == level, (level, got)
        row = sample_escalation(len(escalated) + 1, ticket, clock, got, reasons, due=due, opened=now)
        escalated.append((row, ticket))
        entries.append(Entry(
            f"regie-overschreden-{level.lower()}", "regie channel",
            f"deadline passed: an escalation at level {level} ({texts.ESCALATION_LEVELS[level]['name']}), regie assigns the level",
            "bot.escalation_cards.escalation_card", escalation_cards.escalation_card(row, ticket, role="regie", now=now, tz=TZ),
        ))
    n1, ticket = escalated[0]
    entries.append(Entry(
        "servicedesk-escalatie", "servicedesk channel", "the same escalation, where the supplier records cause and corrective action",
        "bot.escalation_cards.escalation_card", escalation_cards.escalation_card(n1, ticket, role="servicedesk", now=n1.opened_at, tz=TZ),
    ))
    n2, ticket = escalated[1]
    later = n2.opened_at + timedelta(days=1)
    for name, value in dict(
        state=State.ASSIGNED.value, level=Level.N3.value, level_by=AGENT[0], level_by_name="Rita de Regie",
        level_reason="Derde keer deze maand dat printers op de tweede verdieping te laat worden opgelost.", level_at=later,
        start_by=start_by(POLICY, Level.N3, n2.opened_at), version=3,
        cause="Onderdeel niet op voorraad bij de printerleverancier.",
        action="Voorraad toner en fusers op locatie aanleggen.", action_owner="Servicemanager MSP",
        action_due=(later + timedelta(days=14)).date(), action_by=COLLEAGUE[0], action_by_name=COLLEAGUE[1], action_at=later,
    ).items():
        setattr(n2, name, value)
    entries.append(Entry(
        "regie-escalatie-vastgesteld", "regie and servicedesk channels",
        "an escalation after regie raised its level (with the reason) and the supplier recorded cause and action",
        "bot.escalation_cards.escalation_card", escalation_cards.escalation_card(n2, ticket, role="regie", now=later, tz=TZ),
    ))
    closed = sample_escalation(9, p3, "first_response", Level.N1, (reasons[0],), due=p3.first_response_due, opened=later)
    for name, value in dict(
        state=State.CLOSED.value, cause="Drukte na de storing van maandag.", action="Extra dienst op maandagochtend.",
        action_owner="Teamleider servicedesk", action_due=later.date(), action_by_name=AGENT[1], evaluation=(
            "Oorzaak helder, actie snel uitgevoerd; de samenwerking was goed."), closed_by_name="Rita de Regie", closed_at=later,
    ).items():
        setattr(closed, name, value)
    entries.append(Entry(
        "regie-escalatie-afgesloten", "regie and servicedesk channels", "an escalation regie closed with its evaluation",
        "bot.escalation_cards.escalation_card", escalation_cards.escalation_card(closed, p3, role="regie", now=later, tz=TZ),
    ))
    missed = EscalationRow(
        id=12, key="norm:2026-04:P2:resolution", trigger=Trigger.NORM_MISSED.value, ticket_id=None, norm="P2:resolution",
        period="2026-04", due=None, figures={"result": "93,1% ✗ (norm 95%, 27/29)"}, proposed_level="N2", level="N2",
        reasons={"why": ["norm_missed"]}, state=State.OPEN.value, opened_at=at(4, 9, 0, month=5),
        start_by=start_by(POLICY, Level.N2, at(4, 9, 0, month=5)), version=1,
    )
    entries.append(Entry(
        "regie-escalatie-maandnorm", "regie and servicedesk channels",
        "the first working day of a month: a norm the month missed becomes an escalation (PvE §10.1.3)",
        "bot.escalation_cards.escalation_card", escalation_cards.escalation_card(missed, None, role="regie", now=missed.opened_at, tz=TZ),
    ))
    entries.append(Entry(
        "regie-escalaties-herinnering", "regie channel", "every week: the open N2/N3 escalations until regie closes them (PvE §2.4.3 B4)",
        "bot.escalation_cards.reminder_card",
        escalation_cards.reminder_card([(n2, escalated[1][1]), (escalated[2][0], escalated[2][1]), (missed, None)], week="2026-W20",
                                       now=at(11, 9, 0, month=5), tz=TZ),
    ))
    breach = sample_ticket(221, breach_events()[:1], description=BREACH_TEXT, phone="06 23456789", reporter=breach_reporter)
    entries.append(Entry("regie-datalek", "regie channel and the privacy officer(s)", "a data breach, at once: report to the AP within 72 hours",
                         "bot.cards.data_breach_card",
                         cards.data_breach_card(breach, now=at(28, 9, 1), tz=TZ, kind="datalek",
                                                due=fold(POLICY, breach_events()[:1], now=at(28, 9, 1)).due(DATA_BREACH))))
    major = sample_ticket(216, major_events(), description=OUTAGE_TEXT, phone="020 555 0142", reporter=outage_reporter)
    entries.append(Entry("regie-major-incident", "regie channel", "the servicedesk declared a major incident",
                         "bot.cards.regie_major_card",
                         cards.regie_major_card(major, now=at(28, 9, 21), tz=TZ, title="Storing netwerk stadskantoor", by=AGENT[1])))
    resolved_major = sample_ticket(
        216, major_events() + [_fact(ev.RESOLVED, at(28, 11, 40), solution="Switch vervangen.")], description=OUTAGE_TEXT,
        phone="020 555 0142", reporter=outage_reporter,
    )
    entries.append(Entry("regie-rca", "regie channel", "the root-cause analysis of a major incident, shared after closure",
                         "bot.cards.regie_major_card",
                         cards.regie_major_card(resolved_major, now=at(30, 15, 0), tz=TZ, title="Storing netwerk stadskantoor", by=AGENT[1],
                                                summary="Een defecte voeding in de switch op de tweede verdieping. Leerpunt: een reserveswitch op locatie.",
                                                link="https://intranet.example/rca/m-216")))
    night = sample_ticket(220, [_reported(at(28, 22, 40), 220, OUTAGE)], description="Niemand kan inloggen op het zaaksysteem; de nachtdienst van Handhaving ligt stil.",
                          phone="06 98765432", reporter=("d1e3f5a7-6b8c-4d9e-a0f1-2b3c4d5e6f78", "Mohammed Aziz"))
    entries.append(Entry("regie-piket", "regie channel and the on-call person", "a new P1 out of hours: the on-call (piket) alert",
                         "bot.cards.piket_alert_card",
                         cards.piket_alert_card(night, now=at(28, 22, 41), tz=TZ, contact="Piketdienst ICT, 088 123 4567")))
    return entries


def weekly_payload() -> dict[str, Any]:
    """Week 18 of 2026 as the weekly job reports it (storage.reporting.report_with_previous)."""
    period = week_period("2026-W18", POLICY)
    previous = period.previous(POLICY)

    def when(day: int, hour: int, minute: int = 0) -> datetime:  # 20-30: April, 1-9: May
        return at(day, hour, minute, 4 if day >= 20 else 5)

    def t(n: int, day: int, hour: int, answers, *rest, motivation=None):
        return [_reported(when(day, hour), n, answers, motivation), *rest]

    def a(kind, day, hour, minute=0, **data):
        return TicketEvent(kind, when(day, hour, minute), data)

    def react(day, hour, minute=0):  # the first substantive reaction: priority and next step
        return a(ev.REACTION, day, hour, minute, next_step="Ik zet een vervangende laptop klaar.")

    week = [
        t(214, 28, 9, LAPTOP, a(ev.ACKNOWLEDGED, 28, 9, 40, agent_id=AGENT[0]), react(28, 9, 40), a(ev.HOLDING_SENT, 29, 9, 40),
          a(ev.RESOLVED, 30, 11, 30), a(ev.PRODUCTIVE_AGAIN, 30, 11, 40), a(ev.CSAT, 30, 11, 41, score=8)),
        t(215, 28, 9, UPLIFT, a(ev.ACKNOWLEDGED, 28, 9, 10, agent_id=AGENT[0]), react(28, 9, 10), a(ev.CALL_REGISTERED, 28, 9, 11, reached=True),
          a(ev.AGENT_UPDATE, 28, 9, 35), a(ev.WORKAROUND, 28, 9, 55), a(ev.PRODUCTIVE_AGAIN, 28, 10, 0),
          a(ev.AGENT_UPDATE, 28, 10, 25), a(ev.RESOLVED, 28, 10, 50), a(ev.CSAT, 28, 15, 30, score=9), motivation=UPLIFT_MOTIVATION),
        t(216, 29, 10, OUTAGE, a(ev.ACKNOWLEDGED, 29, 10, 5, agent_id=AGENT[0]), react(29, 10, 10), a(ev.CALL_REGISTERED, 29, 10, 25, reached=True),
          a(ev.WORKAROUND, 29, 13, 0), a(ev.RESOLVED, 29, 16, 30)),
        t(217, 27, 9, PRINTER, a(ev.ACKNOWLEDGED, 27, 14, 30, agent_id=COLLEAGUE[0]), react(27, 14, 30),
          a(ev.HANDED_OVER, 28, 9, 0, to_agent=None, to_line="2"), a(ev.RESOLVED, 30, 16, 0), a(ev.CSAT, 1, 9, 0, score=5)),
        t(218, 30, 14, {"category": "m365", "scope": "alleen_ik", "work": "omweg"}, a(ev.ACKNOWLEDGED, 30, 14, 45, agent_id=AGENT[0])),
        t(219, 1, 11, {"category": "vraag", "scope": "alleen_ik"}),
    ]
    last_week = [
        t(201, 21, 10, LAPTOP, a(ev.ACKNOWLEDGED, 21, 11, 0, agent_id=AGENT[0]), react(21, 11, 0), a(ev.RESOLVED, 22, 10, 0), a(ev.CSAT, 22, 11, 0, score=7)),
        t(202, 22, 9, PRINTER, a(ev.ACKNOWLEDGED, 22, 9, 30, agent_id=AGENT[0]), react(22, 9, 30), a(ev.RESOLVED, 22, 15, 0)),
    ]
    now = at(4, 8, 0, month=5)
    current = compute_kpis(POLICY, week + last_week, start=period.start, end=period.end, now=now)
    before = compute_kpis(POLICY, week + last_week, start=previous.start, end=previous.end, now=now)
    payload = summary_payload(POLICY, period=period, current=current, previous=before)
    # As the weekly job sets them beside the escalations (bot.reports.slr.weekly_overleg): the subject,
    # the owner, the supplier's cause and action; the open escalations and actions.
    causes = {"M-217": ("Onderdeel niet op voorraad bij de printerleverancier.", "Voorraad fusers op locatie.", "Servicemanager MSP", "2026-05-15")}
    printer = "printer of multifunctional, P3 (normaal)"
    payload["breaches"] = [
        {**b, "subject": {"M-217": printer, "M-216": "Storing netwerk tweede verdieping"}.get(b["ticket"], "laptop of computer, P3 (normaal)"),
         "owner": COLLEAGUE[1] if b["ticket"] == "M-217" else AGENT[1],
         **dict(zip(("supplier_cause", "action", "action_owner", "action_due"), causes.get(b["ticket"], (None,) * 4)))}
        for b in payload["report"]["breaches"]
    ]
    open_n2 = {
        "level": "N2", "norm_text": "P3 oplostermijn", "ticket": "M-217", "subject": printer,
        "state_text": texts.ESCALATION_STATES["assigned"], "action": causes["M-217"][1], "action_owner": causes["M-217"][2],
        "action_due": causes["M-217"][3], "action_state": "open",
    }
    payload["open_escalations"], payload["open_actions"] = [open_n2], [open_n2]
    return payload


def monthly_payload() -> dict[str, Any]:
    """April 2026 as regie's first-working-day card gets it (bot.jobs.Jobs.monthly_report)."""
    weekly = weekly_payload()
    return {**weekly, "period": "2026-04", "first_day": "2026-04-01", "last_day": "2026-04-30", "previous_period": "2026-03",
            "norms_missed": 1, "open_escalations": 2, "link": "https://servicedesk.example.nl/rapport/2026-04.pdf?verloopt=1780000000&handtekening=…"}


def other_cards() -> list[Entry]:
    p3 = sample_ticket(214, p3_events(), description=LAPTOP_TEXT)
    printer = sample_ticket(217, [_reported(at(27, 9, 0), 217, PRINTER), _ack(at(27, 14, 30), None, COLLEAGUE)], description=PRINTER_TEXT,
                            reporter=("7a9c1e3b-4d5f-4a28-b6c0-8e2f1d3a5b17", "Joost van Dijk"))
    return [
        Entry("melder-weer-aan-het-werk", "reporter's personal chat", "after a workaround or solution: \"Kun je weer verder met je werk?\" (MTTP)",
              "bot.feedback_cards.mttp_question_card", feedback_cards.mttp_question_card(p3)),
        Entry("melder-tevredenheid", "reporter's personal chat", "after the solution: a score from 1 to 10 (CSAT), a remark optional",
              "bot.feedback_cards.csat_question_card", feedback_cards.csat_question_card(p3)),
        Entry("melder-antwoord-ontvangen", "reporter's personal chat", "a feedback card once answered: a thank-you without buttons",
              "dialogs.feedback.answered_card", answered_card(ticket_label(214))),
        Entry("servicedesk-lage-tevredenheid", "servicedesk channel", "a reporter gave a score below 6, with the remark",
              "bot.summary.low_csat_card",
              summary.low_csat_card(printer, score=5, remark="Het duurde drie dagen en niemand liet iets weten.")),
        Entry("overleg-weekoverzicht", "overleg channel",
              "the weekly SLA summary (Monday morning): a table per priority and norm against last week, breaches with subject, owner and cause, open escalations and actions",
              "bot.summary.weekly_summary_card", summary.weekly_summary_card(weekly_payload())),
        Entry("regie-maandrapport", "regie channel",
              "the first working day of the month, 09:00: last month's key figures and a signed link to the full report (PDF)",
              "bot.summary.monthly_report_card", summary.monthly_report_card(monthly_payload())),
    ]


def sample_campaign(campaign_id: int, kind: str, *, state: str, refusal: str | None = None, approved_by: str | None = None) -> Campaign:
    created = at(28, 9, 12)
    return Campaign(
        id=campaign_id, kind=kind, message_kind=Kind.ANNOUNCEMENT, audience={"who": "iedereen", "value": ""},
        payload={"what": "Nieuwe VPN-server: je moet één keer opnieuw inloggen", "meanwhile": "Sla je werk op voor 19:00.",
                 "starts": at(2, 19, 0, month=5).isoformat(), "ends": at(2, 23, 0, month=5).isoformat(), "category": "netwerk"},
        parent_id=None, urgent=False, state=state, refusal=refusal, created_by=AGENT[0], created_by_name=AGENT[1], created_at=created,
        approved_by=approved_by and COLLEAGUE[0], approved_by_name=approved_by, approved_at=approved_by and created, not_before=created,
        drawn={}, version=2,
    )


def reach_cards_gallery() -> list[Entry]:
    """Announcements (issue 19): the servicedesk's form, the answer to it, and the sender's card
    while it waits for regie, while it goes out and when it is done."""
    now = at(28, 9, 20)
    return [
        Entry("servicedesk-aankondiging-formulier", "servicedesk channel",
              "\"aankondiging\": the form for an announcement (a disruption, a change, planned maintenance)",
              "bot.announcements.form_card", announcements.form_card(today=now.date())),
        Entry("servicedesk-aankondiging-antwoord", "servicedesk channel", "the form once sent: the announcement's number",
              "bot.reach_cards.notice_card", reach_cards.notice_card(texts.announce_created(number="A-3", refused=False))),
        Entry("servicedesk-aankondiging-wacht-op-regie", "servicedesk channel",
              "planned maintenance less than 48 hours ahead or in office hours: refused with the reason, regie may approve it",
              "bot.reach_cards.campaign_card", reach_cards.campaign_card(
                  sample_campaign(3, "onderhoud", state="regie", refusal="minder_dan_48_uur,binnen_kantoortijd"),
                  reach_service.Progress(pending=312), now=now, tz=TZ)),
        Entry("servicedesk-aankondiging-bezig", "servicedesk channel",
              "an announcement going out: sent, still to send, failed, unreachable (redrawn every few hundred messages or 30 seconds)",
              "bot.reach_cards.campaign_card", reach_cards.campaign_card(
                  sample_campaign(4, "onderhoud", state="versturen", approved_by=COLLEAGUE[1]),
                  reach_service.Progress(sent=1840, pending=2950, unreachable=3), now=now, tz=TZ)),
        Entry("servicedesk-aankondiging-klaar", "servicedesk channel",
              "every employee has it (or is counted as unreachable or over the weekly maximum); follow-up and \"opgelost\" buttons",
              "bot.reach_cards.campaign_card", reach_cards.campaign_card(
                  sample_campaign(5, "verstoring", state="klaar"),
                  reach_service.Progress(sent=4790, unreachable=4, skipped=12), now=now, tz=TZ)),
    ]


def sample_round() -> SurveyRound:
    started = datetime(2026, 10, 1, 10, 0, tzinfo=TZ)
    return SurveyRound(
        id=3, label="2026-10", started_at=started, started_by=None, remind_at=started + timedelta(days=7),
        closes_at=started + timedelta(days=14), closed_at=started + timedelta(days=14), closed_by=None,
        norms={"werkplek": "8", "servicedesk": "8", "informatie": "8"},
    )


def survey_cards_() -> list[Entry]:
    """The experience survey (XLA, PvE §10.5): the questions in the personal chat, regie's results."""
    row = sample_round()
    now = row.started_at
    scores = {
        Question.WORKPLACE: [8] * 60 + [7] * 50 + [9] * 30 + [6] * 20 + [5] * 8 + [10] * 12,
        Question.SERVICEDESK: [8] * 70 + [9] * 55 + [7] * 35 + [10] * 15 + [6] * 5,
        Question.INFORMATION: [7] * 70 + [8] * 50 + [6] * 30 + [9] * 15 + [5] * 10 + [4] * 3,
    }
    found = RoundFigures(
        round=row, invited=290, respondents=180,
        questions=results(scores, invited=290, norms={q: Fraction(8) for q in Question}),
        remarks=["Bij storingen hoor ik het pas als ik zelf bel.", "De servicedesk denkt goed mee, dank!"],
    )
    ask = lambda question, reminder: survey_cards.question_card(row, question, reminder=reminder, now=now, tz=TZ)  # noqa: E731
    return [
        Entry("medewerker-enquete", "employee's personal chat",
              "a survey round's invitation: three questions, 1 to 10 (PvE §10.5 A, B, D), the first on the card; typing works too",
              "bot.survey_cards.question_card", ask(Question.WORKPLACE, reminder=False)),
        Entry("medewerker-enquete-vraag", "employee's personal chat",
              "the next question after an answer; the last one has the optional remark",
              "dialogs.survey.question_card", survey.question_card(round_id=row.id, question=Question.INFORMATION)),
        Entry("medewerker-enquete-herinnering", "employee's personal chat",
              "the one reminder, after SURVEY_REMINDER_DAYS, to those who gave no score",
              "bot.survey_cards.question_card", ask(Question.WORKPLACE, reminder=True)),
        Entry("medewerker-enquete-antwoord-ontvangen", "employee's personal chat",
              "a survey question card once answered by a tap: the score without buttons",
              "dialogs.survey.answered_card", survey.answered_card(Question.WORKPLACE, 8)),
        Entry("servicedesk-enquete-campagne", "servicedesk channel",
              "a survey round's questions going out through reach: sent, still to send, unreachable (the same card as an announcement's)",
              "bot.reach_cards.campaign_card", reach_cards.campaign_card(
                  Campaign(id=7, kind="enquete", message_kind=Kind.SURVEY_QUESTION, audience={"who": "iedereen", "value": ""},
                           payload={"round_id": row.id, "what": texts.survey_what(row.label)}, parent_id=None, urgent=False,
                           state="versturen", refusal=None, created_by="", created_by_name=texts.SURVEY_SCHEDULED,
                           created_at=now, not_before=now, drawn={}, version=3),
                  reach_service.Progress(sent=286, pending=10, unreachable=4), now=now + timedelta(minutes=2), tz=TZ)),
        Entry("regie-enquete-resultaat", "regie channel",
              "a survey round closed: per question the mean against the norm (8), spread, answers and response rate; the remarks as plain text",
              "bot.survey_cards.result_card", survey_cards.result_card(found, tz=TZ)),
    ]


GALLERY: tuple[Callable[[], list[Entry]], ...] = (
    intake_cards, servicedesk_cards, action_response_cards, regie_cards, other_cards, reach_cards_gallery, survey_cards_,
)


def all_cards() -> list[Entry]:
    entries = [entry for part in GALLERY for entry in part()]
    names = [e.name for e in entries]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"card names used twice: {duplicates}")
    return entries


def write(out_dir: Path, *, render: bool) -> list[Entry]:
    """Validate every card, write its JSON (and PNG); raises when a card is not valid 1.5."""
    from tests.support.cards import validate_card

    entries = all_cards()
    problems = {e.name: validate_card(e.card) for e in entries}
    problems = {name: errors for name, errors in problems.items() if errors}
    if problems:
        raise SystemExit("cards that are not valid Adaptive Cards 1.5:\n" + json.dumps(problems, ensure_ascii=False, indent=2))
    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    for entry in entries:
        path = out_dir / f"{entry.name}.json"
        path.write_text(json.dumps(entry.card, ensure_ascii=False, indent=2) + "\n", "utf-8")
        files.append(path)
    if render:
        from tests.e2e.card_gallery import render as render_pngs

        reports = render_pngs(files, out_dir)
        warned = {Path(r["card"]).stem: r["warnings"] for r in reports if r.get("warnings")}
        for name, warnings in warned.items():
            print(f"{name}: renderer warnings: {warnings}", file=sys.stderr)
    return entries


BEGIN, END = "<!-- card gallery: begin (scripts/docs.sh writes this list) -->", "<!-- card gallery: end -->"


def markdown_list(entries: list[Entry]) -> str:
    lines = ["| file | where | what | built by |", "|---|---|---|---|"]
    lines += [f"| `{e.name}.png` | {e.who} | {e.what} | `{e.builder}` |" for e in entries]
    return "\n".join(lines)


def update_readme(readme: Path, entries: list[Entry]) -> None:
    """Replace the list between the two markers in ``readme`` with the gallery's cards."""
    text = readme.read_text("utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{readme}: no card gallery markers ({BEGIN} ... {END})")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{BEGIN}\n{markdown_list(entries)}\n{END}{tail}", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--render", action="store_true", help="also render PNGs with e2e/render_cards.js (Node, Chromium)")
    parser.add_argument("--readme", type=Path, help="rewrite the card list in this file (docs/README.md)")
    args = parser.parse_args(argv)
    entries = write(args.out_dir, render=args.render)
    if args.readme:
        update_readme(args.readme, entries)
    print(f"card gallery: {len(entries)} card types in {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
