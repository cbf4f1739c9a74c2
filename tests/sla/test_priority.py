"""The priority decision and the P1-uplift rule (PvE §10.1.2)."""

from __future__ import annotations

import pytest

from sla.priority import (
    IntakeAnswers,
    decide_priority,
    uplift_applies,
    uplift_questions_can_change_outcome,
)

ALL_YES = dict(critical_role=True, direct_impact=True, cannot_work=True)


@pytest.mark.parametrize(
    "answers, priority, reasons",
    [
        (IntakeAnswers("m365", "iedereen", broad_outage=True), "P1",
         ("Brede storing van M365, netwerk, VPN of kernapplicatie",)),
        (IntakeAnswers("account", "alleen_ik", is_question=True), "P4", ("Vraag of standaardverzoek",)),
        (IntakeAnswers("netwerk", "meerdere_teams"), "P2", ("Meerdere teams of locaties met hinder",)),
        (IntakeAnswers("printer", "iedereen"), "P2", ("Iedereen heeft hinder",)),
        (IntakeAnswers("software", "mijn_team"), "P3", ("Klein team met hinder",)),
        (IntakeAnswers("laptop", "alleen_ik"), "P3", ("Eén medewerker met hinder",)),
    ],
)
def test_priority_follows_scope_and_severity(answers, priority, reasons):
    decision = decide_priority(answers)
    assert (decision.priority, decision.uplift, decision.reasons) == (priority, False, reasons)


def test_one_employee_with_all_three_uplift_answers_gets_p1_uplift():
    decision = decide_priority(IntakeAnswers("laptop", "alleen_ik", **ALL_YES))
    assert decision.priority == "P1"
    assert decision.uplift is True
    assert decision.label == "P1-uplift (één medewerker)"
    assert decision.reasons == (
        "Eén medewerker met hinder",
        "Kritieke rol of tijdkritische verplichting",
        "Directe impact op continuïteit, veiligheid, publieke taak of reputatie",
        "Kan taak niet uitvoeren",
    )


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
        ("datalek", None, "Security-incident met hoog risico: datalek"),
        ("actieve_aanval", None, "Security-incident met hoog risico: actieve aanval"),
        ("account_gehackt", None, "Security-incident met hoog risico: account gehackt (actieve aanval)"),
        ("kwijt", None, "Security-incident met hoog risico: apparaat kwijt of gestolen"),
        ("phishing", True, "Security-incident met hoog risico: op phishing geklikt"),
    ],
)
def test_pve_p1_row_a_security_incident_with_high_risk_is_p1_for_one_employee(security, clicked, reason):
    """PvE §10.1 P1: "Security-incident met hoog risico (bijv. datalek, actieve aanval)"; a hacked
    account, a lost device and a phishing click are decided high risk (sla/priority.py)."""
    decision = decide_priority(IntakeAnswers("beveiliging", "alleen_ik", security=security, phishing_clicked=clicked))
    assert (decision.priority, decision.reasons, decision.security_incident) == ("P1", (reason,), True)
    assert decision.data_breach is (security == "datalek")


@pytest.mark.parametrize(("security", "clicked"), [("phishing", False), ("anders", None)])
@pytest.mark.parametrize(("scope", "priority"), [("alleen_ik", "P3"), ("meerdere_teams", "P2")])
def test_annex_o1_a_security_incident_without_known_high_risk_is_classified_by_impact(security, clicked, scope, priority):
    """Annex O1: "Security incidenten worden ingedeeld in het P1–P4-schema op basis van impact"."""
    decision = decide_priority(IntakeAnswers("beveiliging", scope, security=security, phishing_clicked=clicked))
    assert decision.priority == priority and decision.security_incident and not decision.data_breach
    assert decision.reasons[0] == "Security-incident; de servicedesk beoordeelt het risico"


def test_a_report_outside_security_is_no_security_incident():
    decision = decide_priority(IntakeAnswers("laptop", "alleen_ik"))
    assert (decision.security_incident, decision.data_breach) == (False, False)


def test_an_unknown_security_kind_is_refused():
    with pytest.raises(ValueError, match="security"):
        IntakeAnswers("beveiliging", "alleen_ik", security="hack")


def test_unknown_scope_is_refused():
    with pytest.raises(ValueError, match="scope"):
        IntakeAnswers("x", "half_nederland")
