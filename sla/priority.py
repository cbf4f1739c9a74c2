"""The priority decision from the intake answers, with the P1-uplift rule (PvE §10.1.2).

One pure function so the chat, the agent's card and the weekly summary all show the same
priority for the same answers, with the reasons that led to it (codes; ``dialogs.texts`` has the words).

Order of the rules, most urgent first:

1. A security incident with high risk (see "Security" below)              -> P1
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

Security (PvE §10.1 P1: "Security-incident met hoog risico (bijv. datalek, actieve aanval)"; the
annex O1: "Security incidenten worden ingedeeld in het P1–P4-schema op basis van impact"). Every
report the employee files under "beveiliging" is a security incident (``security_incident``), so
the containment clock applies wherever the policy has one for its priority. What happened decides
the risk; the PvE names two examples, the other cases are decided here:

- ``datalek`` (personal data reached someone who should not have it): P1, and a data breach
  (``data_breach``): the privacy officer is told at once, the 72-hour AVG clock runs.
- ``actieve_aanval`` (a virus, ransomware, someone breaking in: it is going on now): P1.
- ``account_gehackt`` (someone else uses the employee's account): P1. An attacker with access now
  is an active attack on that account; the mail, files and other people's data it reaches are at
  risk until the account is closed to them (containment).
- ``kwijt`` (a device lost or stolen): P1. Until it is wiped, mail and files are within reach of
  whoever has it. Not a data breach by itself: the devices are encrypted (BitLocker, PvE §10.1.5);
  when personal data were unprotected the servicedesk flags the breach on the card.
- ``phishing`` with a click (a link, an attachment, a password typed in): P1, treated as an
  account or device that may be in other hands until the servicedesk has checked.
- ``phishing`` without a click, and ``anders`` (something else: a strange USB stick, a security
  question): not high risk by what the employee can tell us; the priority follows who is affected
  (the rules below), and the servicedesk raises it on the card when its assessment says so.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

SCOPES = ("alleen_ik", "mijn_team", "meerdere_teams", "iedereen")


class PriorityReason(enum.StrEnum):
    """Why the answers gave their priority, as a code: ``dialogs.texts.PRIORITY_REASONS`` says
    each in words (the chat, the card and the supplier's ticket read those)."""

    SECURITY_DATA_BREACH = "security_data_breach"
    SECURITY_ACTIVE_ATTACK = "security_active_attack"
    SECURITY_ACCOUNT_HACKED = "security_account_hacked"
    SECURITY_DEVICE_LOST = "security_device_lost"
    SECURITY_PHISHING_CLICKED = "security_phishing_clicked"
    SECURITY_TO_ASSESS = "security_to_assess"  # not high risk by the answers: the servicedesk assesses
    BROAD_OUTAGE = "broad_outage"
    QUESTION = "question"
    SEVERAL_TEAMS = "several_teams"
    EVERYONE = "everyone"
    TEAM = "team"
    ONE_EMPLOYEE = "one_employee"
    CRITICAL_ROLE = "critical_role"
    DIRECT_IMPACT = "direct_impact"
    CANNOT_WORK = "cannot_work"


# The security incidents with high risk (P1), by what happened.
SECURITY_REASONS = {
    "datalek": PriorityReason.SECURITY_DATA_BREACH,
    "actieve_aanval": PriorityReason.SECURITY_ACTIVE_ATTACK,
    "account_gehackt": PriorityReason.SECURITY_ACCOUNT_HACKED,
    "kwijt": PriorityReason.SECURITY_DEVICE_LOST,
    "phishing": PriorityReason.SECURITY_PHISHING_CLICKED,
}
# What happened in a security incident: the intake's choices, and the kinds the card's flag records.
SECURITY_KINDS = ("kwijt", "datalek", "actieve_aanval", "account_gehackt", "phishing", "anders")


@dataclass(frozen=True)
class IntakeAnswers:
    """What the employee told the bot. The three uplift answers stay None until asked."""

    category: str
    scope: str
    is_question: bool = False
    # What happened, for a security report (one of SECURITY_KINDS), and for phishing whether the
    # employee clicked a link, opened an attachment or typed a password.
    security: str | None = None
    phishing_clicked: bool | None = None
    broad_outage: bool = False
    critical_role: bool | None = None
    direct_impact: bool | None = None
    cannot_work: bool | None = None

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise ValueError(f"scope must be one of {', '.join(SCOPES)}, got {self.scope!r}")
        if self.security is not None and self.security not in SECURITY_KINDS:
            raise ValueError(f"security must be one of {', '.join(SECURITY_KINDS)}, got {self.security!r}")

    @property
    def security_high_risk(self) -> bool:
        """A security incident with high risk (P1): see the module docstring for each kind."""
        if self.security == "phishing":
            return self.phishing_clicked is True
        return self.security in SECURITY_REASONS


@dataclass(frozen=True)
class PriorityDecision:
    """The priority with the reasons behind it.

    ``why`` holds the codes ``decide_priority`` found; ``reasons`` the same in words as the ticket
    keeps them (its card and the supplier's ticket show them): the dialog puts ``why`` into words
    (``dialogs.texts.priority_reasons``), an incident imported from the supplier brings its own.
    """

    priority: str
    uplift: bool
    reasons: tuple[str, ...] = ()
    # A broad outage of a core service is a major incident: under ``sib`` the reporter then hears
    # within 30 minutes and every hour after (the policy's major-incident cadence).
    major_incident: bool = False
    # A report filed as a security problem (the containment clock applies), and whether it is a
    # data breach (the privacy officer is told at once; the AVG's 72 hours run).
    security_incident: bool = False
    data_breach: bool = False
    why: tuple[PriorityReason, ...] = ()


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
    decision = _decide(answers)
    if answers.security is None:
        return decision
    why = decision.why
    if not answers.security_high_risk:
        why = (PriorityReason.SECURITY_TO_ASSESS, *why)
    return replace(decision, why=why, security_incident=True, data_breach=answers.security == "datalek")


def _decide(answers: IntakeAnswers) -> PriorityDecision:
    if answers.security_high_risk:
        why = (SECURITY_REASONS[answers.security],) + ((PriorityReason.BROAD_OUTAGE,) if answers.broad_outage else ())
        return PriorityDecision("P1", False, why=why, major_incident=answers.broad_outage)
    if answers.broad_outage:
        return PriorityDecision("P1", False, why=(PriorityReason.BROAD_OUTAGE,), major_incident=True)
    if answers.is_question:
        return PriorityDecision("P4", False, why=(PriorityReason.QUESTION,))
    if answers.scope == "meerdere_teams":
        return PriorityDecision("P2", False, why=(PriorityReason.SEVERAL_TEAMS,))
    if answers.scope == "iedereen":
        return PriorityDecision("P2", False, why=(PriorityReason.EVERYONE,))
    if answers.scope == "mijn_team":
        return PriorityDecision("P3", False, why=(PriorityReason.TEAM,))
    if uplift_applies(answers):
        return PriorityDecision("P1", True, why=(
            PriorityReason.ONE_EMPLOYEE, PriorityReason.CRITICAL_ROLE, PriorityReason.DIRECT_IMPACT, PriorityReason.CANNOT_WORK,
        ))
    return PriorityDecision("P3", False, why=(PriorityReason.ONE_EMPLOYEE,))
