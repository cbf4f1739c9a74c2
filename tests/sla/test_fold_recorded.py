"""What the fold tells the card about the facts recorded on it (``TicketClocks.recorded``)."""

from __future__ import annotations

from sla import events as ev
from sla.events import TicketEvent
from sla.fold import DONE, NEEDED, Recorded, fold
from tests.sla.conftest import at


def e(event_kind, when, **data):
    return TicketEvent(event_kind, at(when), data)


REPORTED = e(ev.REPORTED, "2026-03-02 10:00", priority="P1", ticket="M-1")


def test_a_ticket_without_recorded_facts_has_none(halt):
    assert fold(halt, [REPORTED]).recorded == Recorded()


def test_a_reaction_and_a_call_that_reached_the_reporter_are_what_a_p1_first_response_needs(halt):
    log = [REPORTED, e(ev.REACTION, "2026-03-02 10:05", priority="P1", next_step="bellen"),
           e(ev.CALL_REGISTERED, "2026-03-02 10:06", reached=False)]
    recorded = fold(halt, log).recorded
    assert (recorded.reacted, recorded.called) == (True, False)  # not reached: no telephone contact yet
    log.append(e(ev.CALL_REGISTERED, "2026-03-02 10:09", reached=True))
    assert fold(halt, log).recorded.called is True


def test_device_fallback_and_onsite_are_needed_until_done(halt):
    log = [REPORTED, e(ev.DEVICE_FALLBACK_NEEDED, "2026-03-02 10:05"), e(ev.ONSITE_NEEDED, "2026-03-02 10:06")]
    assert (fold(halt, log).recorded.device_fallback, fold(halt, log).recorded.onsite) == (NEEDED, NEEDED)
    log.append(e(ev.DEVICE_FALLBACK_DONE, "2026-03-02 11:00", how="loaner"))
    assert (fold(halt, log).recorded.device_fallback, fold(halt, log).recorded.onsite) == (DONE, NEEDED)


def test_the_security_kind_comes_from_the_intake_and_then_from_the_card(halt):
    reported = e(ev.REPORTED, "2026-03-02 10:00", priority="P1", security_incident=True, data_breach=True,
                 intake={"security": "datalek"})
    log = [reported]
    assert (fold(halt, log).recorded.security_kind, fold(halt, log).data_breach) == ("datalek", True)
    log += [e(ev.SECURITY_FLAGGED, "2026-03-02 10:30", kind="account_gehackt", data_breach=True),
            e(ev.CONTAINED, "2026-03-02 11:00", note="account geblokkeerd"),
            e(ev.DATA_BREACH_REPORTED, "2026-03-02 15:00")]
    recorded = fold(halt, log).recorded
    assert (recorded.security_kind, recorded.contained, recorded.breach_reported) == ("account_gehackt", True, True)
    # A report that is no security incident has no kind until the card flags one.
    assert fold(halt, [REPORTED]).recorded.security_kind is None


def test_a_declared_major_incident_keeps_its_first_title_and_its_rca(halt):
    log = [REPORTED, e(ev.MAJOR_DECLARED, "2026-03-02 10:10", title="Storing Outlook"),
           e(ev.RESOLVED, "2026-03-02 12:00", solution="x"), e(ev.RCA_SHARED, "2026-03-04 12:00", summary="y")]
    recorded = fold(halt, log).recorded
    assert (recorded.major_title, recorded.rca_shared) == ("Storing Outlook", True)
