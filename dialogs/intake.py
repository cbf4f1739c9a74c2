"""The intake: from "my laptop won't start" to a ticket with a priority and deadlines.

Steps: the description (a first message that already describes the problem is taken as it is),
the three P1-uplift questions (asked only while they can still change the outcome: a "nee" ends
them), the motivation for an uplift, a phone number for P1, then the ticket.
"""

from __future__ import annotations

from typing import Any

from botbuilder.dialogs import ComponentDialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from dialogs import texts
from dialogs.question import QuestionDialog, phone_question, text_question, yes_no_question
from dialogs.services import DeskServices
from dialogs.when import say_when
from sla.priority import IntakeAnswers, decide_priority
from storage import tickets

INTAKE_DIALOG = "intake"
QUESTION = "question"


def reporter_of(activity) -> tuple[str, str]:
    """The reporter's Entra object id (falling back to the channel id) and display name."""
    person = activity.from_property
    object_id = getattr(person, "aad_object_id", None) or person.id
    return object_id, (person.name or "Onbekende medewerker")


class IntakeDialog(ComponentDialog):
    def __init__(self, services: DeskServices) -> None:
        super().__init__(INTAKE_DIALOG)
        self._services = services
        self.add_dialog(QuestionDialog(QUESTION))
        self.add_dialog(
            WaterfallDialog(
                "intake-steps",
                [
                    self._ask_description,
                    self._ask_critical_role,
                    self._ask_direct_impact,
                    self._ask_cannot_work,
                    self._ask_motivation,
                    self._ask_phone,
                    self._create_ticket,
                ],
            )
        )
        self.initial_dialog_id = "intake-steps"

    @staticmethod
    def _answers(step: WaterfallStepContext) -> dict[str, Any]:
        return step.values.setdefault("answers", {})

    async def _ask_description(self, step: WaterfallStepContext) -> DialogTurnResult:
        given = (step.options or {}).get("description") if isinstance(step.options, dict) else None
        if given:
            return await step.next(given)
        return await step.begin_dialog(QUESTION, text_question("description", texts.ASK_DESCRIPTION, min_length=5))

    async def _ask_critical_role(self, step: WaterfallStepContext) -> DialogTurnResult:
        self._answers(step)["description"] = step.result
        await step.context.send_activity(texts.UPLIFT_INTRO)
        return await step.begin_dialog(QUESTION, yes_no_question("uplift_role", texts.UPLIFT_ROLE))

    async def _ask_direct_impact(self, step: WaterfallStepContext) -> DialogTurnResult:
        self._answers(step)["critical_role"] = step.result
        if not step.result:
            return await step.next(None)
        return await step.begin_dialog(QUESTION, yes_no_question("uplift_impact", texts.UPLIFT_IMPACT))

    async def _ask_cannot_work(self, step: WaterfallStepContext) -> DialogTurnResult:
        answers = self._answers(step)
        if step.result is None:
            return await step.next(None)
        answers["direct_impact"] = step.result
        if not step.result:
            return await step.next(None)
        return await step.begin_dialog(QUESTION, yes_no_question("uplift_cannot_work", texts.UPLIFT_CANNOT_WORK))

    def _decision(self, answers: dict[str, Any]):
        return decide_priority(
            IntakeAnswers(
                category="overig",
                scope="alleen_ik",
                critical_role=answers.get("critical_role"),
                direct_impact=answers.get("direct_impact"),
                cannot_work=answers.get("cannot_work"),
            )
        )

    async def _ask_motivation(self, step: WaterfallStepContext) -> DialogTurnResult:
        answers = self._answers(step)
        if step.result is not None:
            answers["cannot_work"] = step.result
        if not self._decision(answers).uplift:
            return await step.next(None)
        return await step.begin_dialog(QUESTION, text_question("motivation", texts.ASK_MOTIVATION, min_length=3))

    async def _ask_phone(self, step: WaterfallStepContext) -> DialogTurnResult:
        answers = self._answers(step)
        if step.result is not None:
            answers["motivation"] = step.result
        if self._decision(answers).priority != "P1":
            return await step.next(None)
        return await step.begin_dialog(QUESTION, phone_question("phone", texts.ASK_PHONE))

    async def _create_ticket(self, step: WaterfallStepContext) -> DialogTurnResult:
        answers = self._answers(step)
        if step.result is not None:
            answers["phone"] = step.result
        decision = self._decision(answers)
        reporter_id, reporter_name = reporter_of(step.context.activity)
        services = self._services
        now = services.clock.now()
        async with services.database.sessions.begin() as session:
            ticket = await tickets.create_ticket(
                session,
                policy=services.policy,
                now=now,
                reporter_id=reporter_id,
                reporter_name=reporter_name,
                category="overig",
                scope="alleen_ik",
                description=answers["description"],
                decision=decision,
                motivation=answers.get("motivation"),
                phone=answers.get("phone"),
            )
        services.after_commit()
        tz = services.policy.tz
        await step.context.send_activity(
            texts.ticket_created(
                label=tickets.ticket_label(ticket.id),
                priority=ticket.priority,
                uplift=ticket.uplift,
                first_response=say_when(ticket.first_response_due, now=now, tz=tz),
                resolution=say_when(ticket.resolution_due, now=now, tz=tz),
            )
        )
        return await step.end_dialog(ticket.id)
