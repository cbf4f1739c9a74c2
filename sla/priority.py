"""The priority decision from the intake answers, with the P1-uplift rule (PvE §10.1.2).

One pure function so the chat, the agent's card and the weekly summary all show the same
priority for the same answers, with the short Dutch reasons that led to it.

Order of the rules, most urgent first:

1. A security incident with high risk (data breach, active attack)      -> P1
2. A broad outage of M365, network, VPN or a core application           -> P1
3. A question or standard request                                        -> P4
4. Several teams/locations, or everyone                                  -> P2
   ("iedereen" without a broad outage of a core service stays P2: P1 is reserved for the
   outages the PvE names; the servicedesk can raise it with a reason)
5. My team                                                               -> P3
6. Only me                                                               -> P3, or P1-uplift when
   all three uplift answers are yes (critical role now, direct impact, cannot work).

The uplift questions only matter for an incident that hits one employee and is not already P1;
``uplift_questions_can_change_outcome`` tells the dialog whether to ask them at all.
"""

from __future__ import annotations

from dataclasses import dataclass

SCOPES = ("alleen_ik", "mijn_team", "meerdere_teams", "iedereen")

REASON_SECURITY = "Security-incident met hoog risico"
REASON_OUTAGE = "Brede storing van M365, netwerk, VPN of kernapplicatie"
REASON_QUESTION = "Vraag of standaardverzoek"
REASON_SEVERAL_TEAMS = "Meerdere teams of locaties met hinder"
REASON_EVERYONE = "Iedereen heeft hinder"
REASON_TEAM = "Klein team met hinder"
REASON_ONE = "Eén medewerker met hinder"
REASON_CRITICAL_ROLE = "Kritieke rol of tijdkritische verplichting"
REASON_DIRECT_IMPACT = "Directe impact op continuïteit, veiligheid, publieke taak of reputatie"
REASON_CANNOT_WORK = "Kan taak niet uitvoeren"
UPLIFT_LABEL = "P1-uplift (één medewerker)"


@dataclass(frozen=True)
class IntakeAnswers:
    """What the employee told the bot. The three uplift answers stay None until asked."""

    category: str
    scope: str
    is_question: bool = False
    security_high_risk: bool = False
    broad_outage: bool = False
    critical_role: bool | None = None
    direct_impact: bool | None = None
    cannot_work: bool | None = None

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise ValueError(f"scope must be one of {', '.join(SCOPES)}, got {self.scope!r}")


@dataclass(frozen=True)
class PriorityDecision:
    """The priority with the reasons behind it (Dutch, short, for display)."""

    priority: str
    uplift: bool
    reasons: tuple[str, ...]
    # A broad outage of a core service is a major incident: under ``sib`` the reporter then hears
    # within 30 minutes and every hour after (the policy's major-incident cadence).
    major_incident: bool = False

    @property
    def label(self) -> str:
        return UPLIFT_LABEL if self.uplift else self.priority


def _already_p1(answers: IntakeAnswers) -> bool:
    return answers.security_high_risk or answers.broad_outage


def uplift_questions_can_change_outcome(answers: IntakeAnswers) -> bool:
    """Ask the three uplift questions only for an incident that hits one employee, not yet P1."""
    return answers.scope == "alleen_ik" and not answers.is_question and not _already_p1(answers)


def uplift_applies(answers: IntakeAnswers) -> bool:
    """PvE §10.1.2: one employee gets P1 when all three conditions hold (cumulatief)."""
    return (
        uplift_questions_can_change_outcome(answers)
        and answers.critical_role is True
        and answers.direct_impact is True
        and answers.cannot_work is True
    )


def decide_priority(answers: IntakeAnswers) -> PriorityDecision:
    """The priority for the answers, first matching rule wins (see the module docstring)."""
    if answers.security_high_risk:
        reasons = (REASON_SECURITY,) + ((REASON_OUTAGE,) if answers.broad_outage else ())
        return PriorityDecision("P1", False, reasons, major_incident=answers.broad_outage)
    if answers.broad_outage:
        return PriorityDecision("P1", False, (REASON_OUTAGE,), major_incident=True)
    if answers.is_question:
        return PriorityDecision("P4", False, (REASON_QUESTION,))
    if answers.scope == "meerdere_teams":
        return PriorityDecision("P2", False, (REASON_SEVERAL_TEAMS,))
    if answers.scope == "iedereen":
        return PriorityDecision("P2", False, (REASON_EVERYONE,))
    if answers.scope == "mijn_team":
        return PriorityDecision("P3", False, (REASON_TEAM,))
    if uplift_applies(answers):
        return PriorityDecision(
            "P1", True, (REASON_ONE, REASON_CRITICAL_ROLE, REASON_DIRECT_IMPACT, REASON_CANNOT_WORK)
        )
    return PriorityDecision("P3", False, (REASON_ONE,))
