"""The intake: from "my laptop won't start" to a ticket with a priority and deadlines.

The intake is a small form that fills itself in: its state is one JSON dict of answers, and each
turn it asks the first thing still missing. That keeps the order of the questions in one place
(``_next_field``), lets "Wijzigen" on the summary clear one answer and simply ask again, and keeps
the state readable in the database, so a half-finished intake survives a restart as it was.

Order: description (a first message that describes the problem is taken as it is) → category →
for security, what happened → a known outage in that category, named by the public title the
servicedesk gave it and never one of the employee's own (offer to follow it instead), or before it an
announcement of the servicedesk for that category whose window is now and whose audience holds the
employee (``reach.announced``: "gaat het om hetzelfde?", and the outage it names, if any) →
who is affected → can you work (and with a workaround) → the three P1-uplift questions, only while
they can change the outcome (one employee, not already P1; a "nee" ends them) → the motivation for
an uplift → for P1 a phone number → the summary card "Klopt dit?" → the ticket.

Who is affected and whether you can work are not asked when the description already says so
plainly ("mijn hele team heeft er last van", "ik kan niet werken"): the answer is taken from it and
confirmed above the next question, and the summary shows it, where it can be changed. Each is read
from the description once (``state["from_description"]``), so a change on the summary asks.

The phone number is asked *before* the ticket is made, as the last question before the summary.
The cost is one question (seconds); the gain is that the servicedesk card and the regie notice
carry the number from the first moment, so the agent who picks up a P1 within its 15 minutes can
call at once, the employee can check the number on the summary card, and the card needs no second
update for it. A P1 without a number is still made (answer "geen", or three misses).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from botbuilder.dialogs import Dialog, DialogContext, DialogReason, DialogTurnResult

from dialogs import limits, recognize, texts
from dialogs.question import choice_question, phone_question, text_question, yes_no_question
from dialogs.services import DeskServices
from dialogs.when import say_period, say_when
from reach import service as reach
from sla.priority import IntakeAnswers, PriorityDecision, decide_priority, uplift_questions_can_change_outcome
from storage import employee, labels, reads, tickets
from storage.bot_state import SqlConversationState

INTAKE_DIALOG = "intake"
QUESTION = "question"

# Categories where "everyone cannot work" is an outage of a core service (P1), not only P2.
CORE_CATEGORIES = frozenset({"m365", "netwerk", "account", "applicatie"})
UPLIFT_FIELDS = ("critical_role", "direct_impact", "cannot_work")
UPLIFT_QUESTIONS = {
    "critical_role": ("uplift_role", texts.UPLIFT_ROLE, texts.UPLIFT_ROLE_SIMPLER),
    "direct_impact": ("uplift_impact", texts.UPLIFT_IMPACT, texts.UPLIFT_IMPACT_SIMPLER),
    "cannot_work": ("uplift_cannot_work", texts.UPLIFT_CANNOT_WORK, texts.UPLIFT_CANNOT_WORK_SIMPLER),
}
# What a first description can already answer (dialogs.recognize reads it), and how it is shown.
FROM_DESCRIPTION = {
    "scope": (recognize.scope_in, texts.SCOPE_NAMES),
    "work": (recognize.work_in, texts.WORK_NAMES),
}
# What a change on the summary card clears besides the field itself.
CLEARED_BY_CHANGE = {
    "description": (),
    "category": ("security", "phishing_clicked", "outage_checked", *UPLIFT_FIELDS, "motivation"),
    "scope": (*UPLIFT_FIELDS, "motivation"),
    "work": (*UPLIFT_FIELDS, "motivation"),
    "motivation": (),
    "phone": (),
}


def reporter_of(activity) -> tuple[str, str]:
    """The reporter's Entra object id (falling back to the channel id) and display name."""
    person = activity.from_property
    object_id = getattr(person, "aad_object_id", None) or person.id
    return object_id, (person.name or "Onbekende medewerker")


def intake_answers(answers: dict[str, Any]) -> IntakeAnswers:
    """The answers as the pure priority rule in ``sla.priority`` reads them."""
    category = answers.get("category") or "overig"
    scope = answers.get("scope") or "alleen_ik"
    broad = category in CORE_CATEGORIES and scope in ("meerdere_teams", "iedereen") and answers.get("work") == "nee"
    return IntakeAnswers(
        category=category,
        scope=scope,
        is_question=category == "vraag",
        security=answers.get("security") if category == "beveiliging" else None,
        phishing_clicked=answers.get("phishing_clicked"),
        broad_outage=broad,
        critical_role=answers.get("critical_role"),
        direct_impact=answers.get("direct_impact"),
        cannot_work=answers.get("cannot_work"),
    )


def decision_of(answers: dict[str, Any]) -> PriorityDecision:
    """The priority for the answers, its reasons in words (the ticket keeps those words)."""
    decision = decide_priority(intake_answers(answers))
    return replace(decision, reasons=texts.priority_reasons(decision.why))


def new_state(*, description: str | None, attachments: list[dict[str, str]], now_iso: str) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    if description:
        answers["description"] = description
    return {
        "answers": answers,
        "auto": [],  # answers the bot filled in itself (cleared when the category changes)
        "asking": None,
        "attachments": list(attachments),
        "started_at": now_iso,
        "last_seen": now_iso,
        "outage_ticket": None,
        "from_description": [],  # fields already looked up in the description
    }


def _literal(text: str) -> dict[str, Any]:
    """The employee's own words, shown as typed (no markdown)."""
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text.strip() or "-"}]}


def _name(mapping: dict[str, str], value: Any) -> str:
    return mapping.get(value, str(value))


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


class IntakeDialog(Dialog):
    """The intake form. Sits under the question dialog on the same stack (``resume_dialog``)."""

    def __init__(self, services: DeskServices) -> None:
        super().__init__(INTAKE_DIALOG)
        self._services = services

    # -- the dialog protocol ---------------------------------------------------------------
    async def begin_dialog(self, dialog_context: DialogContext, options: object = None) -> DialogTurnResult:
        options = options if isinstance(options, dict) else {}
        now_iso = self._services.clock.now().isoformat()
        dialog_context.active_dialog.state.update(
            new_state(
                description=options.get("description"),
                attachments=options.get("attachments") or [],
                now_iso=now_iso,
            )
        )
        return await self._advance(dialog_context)

    async def continue_dialog(self, dialog_context: DialogContext) -> DialogTurnResult:
        return await self._advance(dialog_context)

    async def resume_dialog(self, dialog_context: DialogContext, reason: DialogReason, result: object) -> DialogTurnResult:
        state = dialog_context.active_dialog.state
        field = state.get("asking")
        state["asking"] = None
        if field is None:
            return await self._advance(dialog_context)
        ended = await self._take_answer(dialog_context, state, field, result)
        if ended is not None:
            return ended
        return await self._advance(dialog_context)

    async def reprompt_dialog(self, context, instance) -> None:  # only when no question is open
        return None

    # -- answers ---------------------------------------------------------------------------
    async def _take_answer(self, dc: DialogContext, state: dict[str, Any], field: str, result: Any):
        answers = state["answers"]
        send = dc.context.send_activity
        if field == "confirm":
            if result == "ja":
                return await self._create_ticket(dc, state)
            if result == "stoppen":
                await send(texts.CANCELLED)
                return await dc.end_dialog(None)
            state["asking"] = "change"
            return await dc.begin_dialog(QUESTION, self._change_question(answers))
        if field == "change":
            answers.pop(result, None)
            for cleared in CLEARED_BY_CHANGE.get(result, ()):
                answers.pop(cleared, None)
            if result == "category":
                for auto in state["auto"]:
                    answers.pop(auto, None)
                state["auto"] = []
            return None
        if field == "announcement":  # the servicedesk announced what this may be
            ticket_id = state.get("outage_ticket")
            if result is True and ticket_id is not None:
                return await self._link(dc, state, ticket_id)
            if result is True:
                await send(texts.ANNOUNCEMENT_ACCEPTED)
                return await dc.end_dialog({"announcement": state.get("announcement")})
            answers["outage_checked"] = True
            await send(texts.NOT_THE_SAME_OUTAGE)
            return None
        if field == "outage":
            ticket_id = state.get("outage_ticket")
            if result is True and ticket_id is not None:
                return await self._link(dc, state, ticket_id)
            answers["outage_checked"] = True
            await send(texts.NOT_THE_SAME_OUTAGE)
            return None
        answers[field] = result
        if field == "security" and result in texts.SECURITY_NOW:
            await send(texts.SECURITY_NOW[result])
        elif field == "phishing_clicked":
            await send(texts.PHISHING_CLICKED_NOW if result else texts.PHISHING_NOT_CLICKED)
        elif field in UPLIFT_FIELDS and decision_of(answers).uplift and "motivation" not in answers:
            await send(texts.UPLIFT_GRANTED)
        return None

    def _auto(self, state: dict[str, Any], field: str, value: Any) -> None:
        state["answers"][field] = value
        if field not in state["auto"]:
            state["auto"].append(field)

    # -- what to ask next ------------------------------------------------------------------
    async def _advance(self, dc: DialogContext) -> DialogTurnResult:
        state = dc.active_dialog.state
        answers = state["answers"]
        taken: list[str] = []  # answers read from the description, said above the next message

        def lead() -> str | None:
            said = "\n\n".join([*taken, texts.FROM_DESCRIPTION_CHANGE]) if taken else None
            taken.clear()
            return said

        async def say(text: str) -> None:
            await dc.context.send_activity("\n\n".join(filter(None, (lead(), text))))

        while True:
            field = self._next_field(answers)
            category = answers.get("category")
            security = answers.get("security")
            if field == "outage_checked":
                if category in ("vraag", "beveiliging"):
                    answers["outage_checked"] = True
                    continue
                reporter_id, _ = reporter_of(dc.context.activity)
                now = self._services.clock.now()
                async with self._services.database.sessions() as session:
                    announcement = await reach.announced(session, category=category, object_id=reporter_id, now=now)
                    if announcement is not None and announcement.id == state.get("announcement"):
                        announcement = None  # offered once already (the category was changed back)
                    outage = None
                    if announcement is None:
                        outage = await employee.known_outage(session, category=category, reporter_id=reporter_id)
                if announcement is not None:
                    state["announcement"], state["outage_ticket"] = announcement.id, announcement.payload.get("ticket_id")
                    offer = self._announcement_text(announcement)
                    return await self._ask(dc, "announcement", yes_no_question("announcement", offer, fallback=False))
                if outage is None:
                    answers["outage_checked"] = True
                    continue
                state["outage_ticket"] = outage.id
                return await self._ask(dc, "outage", yes_no_question("outage", self._outage_text(outage), fallback=False))
            if field == "scope" and (category == "vraag" or security == "kwijt"):
                self._auto(state, "scope", "alleen_ik")
                continue
            if field == "work" and (category == "vraag" or intake_answers(answers).security_high_risk):
                self._auto(state, "work", None)
                continue
            if field in FROM_DESCRIPTION and field not in state.setdefault("from_description", []):
                state["from_description"].append(field)
                find, names = FROM_DESCRIPTION[field]
                found = find(answers["description"])
                if found is not None:
                    answers[field] = found
                    taken.append(texts.FROM_DESCRIPTION[field].format(value=names[found]))
                    continue
            if field == "cannot_work" and answers.get("work") == "nee":
                self._auto(state, "cannot_work", True)  # "ik kan niet werken" answers the third question
                if decision_of(answers).uplift and "motivation" not in answers:
                    await say(texts.UPLIFT_GRANTED)
                continue
            if field == "critical_role":
                await say(texts.UPLIFT_INTRO)
            return await self._ask(dc, field, {**self._question(field, state), "lead": lead()})

    @staticmethod
    def _next_field(answers: dict[str, Any]) -> str:
        for field in ("description", "category"):
            if field not in answers:
                return field
        if answers["category"] == "beveiliging":
            if "security" not in answers:
                return "security"
            if answers["security"] == "phishing" and "phishing_clicked" not in answers:
                return "phishing_clicked"
        for field in ("outage_checked", "scope", "work"):
            if field not in answers:
                return field
        if uplift_questions_can_change_outcome(intake_answers(answers)) and answers.get("work") != "ja":
            for field in UPLIFT_FIELDS:
                if field not in answers:
                    return field
                if answers[field] is False:
                    break  # one "nee" decides it: no uplift
        decision = decision_of(answers)
        if decision.uplift and "motivation" not in answers:
            return "motivation"
        if decision.priority == "P1" and "phone" not in answers:
            return "phone"
        return "confirm"

    def _question(self, field: str, state: dict[str, Any]) -> dict[str, Any]:
        answers = state["answers"]
        if field == "description":
            ask = texts.ASK_DESCRIPTION_WITH_PHOTO if state["attachments"] else texts.ASK_DESCRIPTION
            return text_question("description", ask, min_length=5, simpler=texts.ASK_DESCRIPTION_SIMPLER)
        if field == "category":
            return choice_question("category", texts.ASK_CATEGORY, texts.CATEGORY_CHOICES, fallback="overig")
        if field == "security":
            return choice_question("security", texts.ASK_SECURITY, texts.SECURITY_CHOICES, fallback="anders")
        if field == "phishing_clicked":
            return yes_no_question("phishing_clicked", texts.ASK_PHISHING_CLICKED, fallback=True)
        if field == "scope":
            return choice_question("scope", texts.ASK_SCOPE, texts.SCOPE_CHOICES, fallback="alleen_ik", yes="alleen_ik")
        if field == "work":
            return choice_question("work", texts.ASK_WORK, texts.WORK_CHOICES, fallback="omweg", yes="ja", no="nee")
        if field in UPLIFT_QUESTIONS:
            question_id, text, simpler = UPLIFT_QUESTIONS[field]
            return yes_no_question(question_id, text, fallback=False, simpler=simpler)
        if field == "motivation":
            return text_question("motivation", texts.ASK_MOTIVATION, min_length=3, simpler=texts.ASK_MOTIVATION_SIMPLER)
        if field == "phone":
            return phone_question("phone", texts.ASK_PHONE)
        if field == "confirm":
            return self._summary_question(answers, len(state["attachments"]))
        raise ValueError(f"no question for {field!r}")

    async def _ask(self, dc: DialogContext, field: str, question: dict[str, Any]) -> DialogTurnResult:
        dc.active_dialog.state["asking"] = field
        return await dc.begin_dialog(QUESTION, question)

    def _announcement_text(self, campaign) -> str:
        data, tz, now = campaign.payload, self._services.policy.tz, self._services.clock.now()
        return texts.announcement_offer(
            kind=campaign.kind, what=data.get("what", ""), meanwhile=data.get("meanwhile"),
            period=say_period(data.get("starts"), data.get("ends"), now=now, tz=tz),
            outage=labels.ticket_label(data["ticket_id"]) if data.get("ticket_id") else None,
        )

    def _outage_text(self, outage) -> str:
        now = self._services.clock.now()
        return texts.known_outage(
            title=outage.public_title,
            category=_name(texts.CATEGORY_NAMES, outage.category),
            since=say_when(outage.opened_at, now=now, tz=self._services.policy.tz),
        )

    # -- summary ---------------------------------------------------------------------------
    def summary_facts(self, answers: dict[str, Any], attachments: int) -> list[tuple[str, str]]:
        decision = decision_of(answers)
        f = texts.SUMMARY_FIELDS
        rows = [(f["category"], _first_upper(_name(texts.CATEGORY_NAMES, answers["category"])))]
        if answers.get("security"):
            rows.append((f["security"], _first_upper(_name(texts.SECURITY_NAMES, answers["security"]))))
        rows.append((f["scope"], _first_upper(_name(texts.SCOPE_NAMES, answers.get("scope")))))
        if answers.get("work"):
            rows.append((f["work"], _first_upper(_name(texts.WORK_NAMES, answers["work"]))))
        rows.append((f["priority"], texts.UPLIFT_LABEL if decision.uplift else texts.PRIORITY_LABELS[decision.priority]))
        if decision.priority == "P1" and answers.get("phone"):
            rows.append((f["phone"], answers["phone"]))
        if attachments:
            rows.append((f["attachments"], str(attachments)))
        return rows

    def _summary_question(self, answers: dict[str, Any], attachments: int) -> dict[str, Any]:
        f = texts.SUMMARY_FIELDS
        body: list[dict[str, Any]] = [
            {"type": "TextBlock", "text": texts.SUMMARY_TITLE, "weight": "Bolder", "size": "Medium", "wrap": True},
            {"type": "TextBlock", "text": f["description"], "weight": "Bolder", "wrap": True, "spacing": "Small"},
            _literal(answers["description"]),
            {
                "type": "FactSet",
                "facts": [{"title": t, "value": v} for t, v in self.summary_facts(answers, attachments)],
            },
        ]
        if decision_of(answers).uplift and answers.get("motivation"):
            body.append({"type": "TextBlock", "text": f["motivation"], "weight": "Bolder", "wrap": True})
            body.append(_literal(answers["motivation"]))
        return choice_question(
            "confirm",
            texts.SUMMARY_ASK,
            (
                ("ja", texts.SUMMARY_CONFIRM, ("klopt", "maak", "goed", "versturen", "verstuur")),
                ("wijzigen", texts.SUMMARY_CHANGE, ("wijzig", "aanpassen", "veranderen", "anders")),
                ("stoppen", texts.SUMMARY_STOP, ("stop", "annuleer")),
            ),
            yes="ja",
            no="wijzigen",
            body=body,
            numbered=False,
        )

    def _change_question(self, answers: dict[str, Any]) -> dict[str, Any]:
        decision = decision_of(answers)
        choices = list(texts.CHANGE_CHOICES_BASE)
        if decision.uplift:
            choices.append(texts.CHANGE_CHOICE_MOTIVATION)
        if decision.priority == "P1":
            choices.append(texts.CHANGE_CHOICE_PHONE)
        return choice_question("change", texts.ASK_CHANGE, choices)

    # -- outcomes --------------------------------------------------------------------------
    async def _link(self, dc: DialogContext, state: dict[str, Any], ticket_id: int) -> DialogTurnResult:
        services = self._services
        now = services.clock.now()
        reporter_id, reporter_name = reporter_of(dc.context.activity)
        async with services.database.sessions.begin() as session:
            outage = await reads.get_ticket(session, ticket_id)
            added = await employee.follow(
                session,
                ticket_id=ticket_id,
                user_id=reporter_id,
                user_name=reporter_name,
                description=state["answers"].get("description"),
                now=now,
            )
            await employee.add_attachments(
                session, ticket_id=ticket_id, attachments=state["attachments"], added_by=reporter_id, now=now
            )
        label = labels.ticket_label(ticket_id)
        if added:
            next_update = (
                say_when(outage.next_update_due, now=now, tz=services.policy.tz) if outage and outage.next_update_due else None
            )
            await dc.context.send_activity(texts.linked(label=label, next_update=next_update))
        else:
            await dc.context.send_activity(texts.already_linked(label=label))
        return await dc.end_dialog({"linked": ticket_id})

    async def _create_ticket(self, dc: DialogContext, state: dict[str, Any]) -> DialogTurnResult:
        services = self._services
        answers = state["answers"]
        reporter_id, reporter_name = reporter_of(dc.context.activity)
        decision = decision_of(answers)
        now = services.clock.now()
        phone = (answers.get("phone") or None) if decision.priority == "P1" else None
        details = {
            "intake": {
                key: answers.get(key)
                for key in ("security", "phishing_clicked", "work", *UPLIFT_FIELDS)
                if answers.get(key) is not None
            },
            "attachments": len(state["attachments"]),
        }
        # The hourly limit is checked again in the same transaction that makes the ticket: one
        # connection checkout instead of two, and no ticket of the same reporter in between. A
        # refusal writes nothing and is told after the transaction.
        # The intake ends in that transaction too: the ticket and the dialog state commit
        # together, so no crash can leave a stored ticket behind an intake that still waits for
        # "ja" (and the turn saves one transaction). If it fails, the turn keeps nothing.
        conversation_state = SqlConversationState.of(dc.context)
        try:
            async with services.database.sessions.begin() as session:
                refused = limits.refusal(services, await limits.recent_tickets(session, services, reporter_id))
                if refused is None:
                    ticket = await self._store_ticket(session, state, decision, now, reporter_id, reporter_name, phone, details)
                    ended = await dc.end_dialog(ticket.id)
                    if conversation_state is not None:
                        await conversation_state.save_in(dc.context, await session.connection())
        except BaseException:
            if conversation_state is not None:
                conversation_state.forget_changes(dc.context)
            raise
        if refused is not None:
            await dc.context.send_activity(refused)
            return await dc.end_dialog(None)
        services.after_commit()
        tz = services.policy.tz
        label = labels.ticket_label(ticket.id)
        await dc.context.send_activity(
            texts.ticket_created(
                label=label,
                priority=ticket.priority,
                uplift=ticket.uplift,
                first_response=say_when(ticket.first_response_due, now=now, tz=tz),
                resolution=say_when(ticket.resolution_due, now=now, tz=tz),
                phone=phone,
            )
        )
        if answers.get("security") == "kwijt":
            await dc.context.send_activity(texts.LOST_DEVICE_AFTER.format(label=label))
        return ended

    async def _store_ticket(self, session, state, decision, now, reporter_id, reporter_name, phone, details):
        """The ticket and its attachments, in the caller's transaction."""
        services = self._services
        answers = state["answers"]
        ticket = await tickets.create_ticket(
            session,
            policy=services.policy,
            now=now,
            reporter_id=reporter_id,
            reporter_name=reporter_name,
            category=answers["category"],
            scope=answers.get("scope") or "alleen_ik",
            description=answers["description"],
            decision=decision,
            motivation=answers.get("motivation") if decision.uplift else None,
            phone=phone,
            details=details,
            privacy_officers=services.privacy_officers,
        )
        await employee.add_attachments(
            session, ticket_id=ticket.id, attachments=state["attachments"], added_by=reporter_id, now=now
        )
        return ticket

