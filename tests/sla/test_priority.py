"""The priority decision and the P1-uplift rule (PvE §10.1.2)."""

from __future__ import annotations

import pytest

from sla.priority import (
    IntakeAnswers,
    PriorityReason as R,
    decide_priority,
    uplift_applies,
    uplift_questions_can_change_outcome,
)

ALL_YES = dict(critical_role=True, direct_impact=True, cannot_work=True)


@pytest.mark.parametrize(
    "answers, priority, reasons",
    [
        (IntakeAnswers("m365", "iedereen", broad_outage=True), "P1", (R.BROAD_OUTAGE,)),
        (IntakeAnswers("account", "alleen_ik", is_question=True), "P4", (R.QUESTION,)),
        (IntakeAnswers("netwerk", "meerdere_teams"), "P2", (R.SEVERAL_TEAMS,)),
        (IntakeAnswers("printer", "iedereen"), "P2", (R.EVERYONE,)),
        (IntakeAnswers("software", "mijn_team"), "P3", (R.TEAM,)),
        (IntakeAnswers("laptop", "alleen_ik"), "P3", (R.ONE_EMPLOYEE,)),
    ],
)
def test_priority_follows_scope_and_severity(answers, priority, reasons):
    decision = decide_priority(answers)
    assert (decision.priority, decision.uplift, decision.why) == (priority, False, reasons)


def test_one_employee_with_all_three_uplift_answers_gets_p1_uplift():
    decision = decide_priority(IntakeAnswers("laptop", "alleen_ik", **ALL_YES))
    assert decision.priority == "P1"
    assert decision.uplift is True
    assert decision.why == (R.ONE_EMPLOYEE, R.CRITICAL_ROLE, R.DIRECT_IMPACT, R.CANNOT_WORK)


@pytest.mark.parametrize("missing", ["critical_role", "direct_impact", "cannot_work"])
@pytest.mark.parametrize("value", [False, None])
def test_uplift_needs_all_three_conditions(missing, value):
    answers = IntakeAnswers("laptop", "alleen_ik", **{**ALL_YES, missing: value})
    assert not uplift_applies(answers)
    assert decide_priority(answers).priority == "P3"


@pytest.mark.parametrize("scope", ["mijn_team", "meerdere_teams", "iedereen"])
def test_uplift_only_for_one_employee(scope):
    answers = IntakeAnswers("laptop", scope, **ALL_YES)
    assert not uplift_questions_can_change_outcome(answers)
    assert not decide_priority(answers).uplift


def test_uplift_questions_are_pointless_when_already_p1_or_a_question():
    assert not uplift_questions_can_change_outcome(IntakeAnswers("x", "alleen_ik", broad_outage=True))
    assert not uplift_questions_can_change_outcome(IntakeAnswers("beveiliging", "alleen_ik", security="datalek"))
    assert not uplift_questions_can_change_outcome(IntakeAnswers("x", "alleen_ik", is_question=True))
    assert uplift_questions_can_change_outcome(IntakeAnswers("x", "alleen_ik"))


def test_security_with_uplift_answers_is_p1_without_uplift_mark():
    decision = decide_priority(IntakeAnswers("beveiliging", "alleen_ik", security="actieve_aanval", **ALL_YES))
    assert (decision.priority, decision.uplift) == ("P1", False)


@pytest.mark.parametrize(
    "security, clicked, reason",
    [
        ("datalek", None, R.SECURITY_DATA_BREACH),
        ("actieve_aanval", None, R.SECURITY_ACTIVE_ATTACK),
        ("account_gehackt", None, R.SECURITY_ACCOUNT_HACKED),
        ("kwijt", None, R.SECURITY_DEVICE_LOST),
        ("phishing", True, R.SECURITY_PHISHING_CLICKED),
    ],
)
def test_pve_p1_row_a_security_incident_with_high_risk_is_p1_for_one_employee(security, clicked, reason):
    """PvE §10.1 P1: "Security-incident met hoog risico (bijv. datalek, actieve aanval)"; a hacked
    account, a lost device and a phishing click are decided high risk (sla/priority.py)."""
    decision = decide_priority(IntakeAnswers("beveiliging", "alleen_ik", security=security, phishing_clicked=clicked))
    assert (decision.priority, decision.why, decision.security_incident) == ("P1", (reason,), True)
    assert decision.data_breach is (security == "datalek")


@pytest.mark.parametrize(("security", "clicked"), [("phishing", False), ("anders", None)])
@pytest.mark.parametrize(("scope", "priority"), [("alleen_ik", "P3"), ("meerdere_teams", "P2")])
def test_annex_o1_a_security_incident_without_known_high_risk_is_classified_by_impact(security, clicked, scope, priority):
    """Annex O1: "Security incidenten worden ingedeeld in het P1–P4-schema op basis van impact"."""
    decision = decide_priority(IntakeAnswers("beveiliging", scope, security=security, phishing_clicked=clicked))
    assert decision.priority == priority and decision.security_incident and not decision.data_breach
    assert decision.why[0] == R.SECURITY_TO_ASSESS


def test_a_report_outside_security_is_no_security_incident():
    decision = decide_priority(IntakeAnswers("laptop", "alleen_ik"))
    assert (decision.security_incident, decision.data_breach) == (False, False)


def test_an_unknown_security_kind_is_refused():
    with pytest.raises(ValueError, match="security"):
        IntakeAnswers("beveiliging", "alleen_ik", security="hack")


def test_unknown_scope_is_refused():
    with pytest.raises(ValueError, match="scope"):
        IntakeAnswers("x", "half_nederland")


def test_every_reason_has_its_words():
    """The ticket keeps the reasons in words (dialogs.texts): every code has them."""
    from dialogs import texts

    assert set(texts.PRIORITY_REASONS) == set(R)
    assert texts.priority_reasons((R.ONE_EMPLOYEE, R.CANNOT_WORK)) == ("Eén medewerker met hinder", "Kan taak niet uitvoeren")
