"""The fold of one ticket's log: each clock's start, due, stop and state, as the contracts define."""

from __future__ import annotations

from sla import events as ev
from sla.events import TicketEvent
from sla.fold import ClockState, fold
from tests.sla.conftest import at


def e(kind, when, **data):
    return TicketEvent(kind, at(when), data)


def test_a_p2_ticket_has_its_first_response_and_resolution_clocks(halt):
    ticket = fold(halt, [e(ev.REPORTED, "2026-03-02 10:00", priority="P2", ticket="M-1")], now=at("2026-03-02 10:30"))
    assert list(ticket.clocks) == ["first_response", "resolution"]
    first = ticket.clock("first_response")
    assert (first.start, first.due, first.stopped, first.state) == (
        at("2026-03-02 10:00"), at("2026-03-02 11:00"), None, ClockState.RUNNING)
    assert ticket.due("resolution") == at("2026-03-02 18:00")
    assert ticket.updates.next_due == at("2026-03-02 12:00")


def test_a_running_clock_past_its_due_is_overdue(halt):
    ticket = fold(halt, [e(ev.REPORTED, "2026-03-02 10:00", priority="P2")], now=at("2026-03-02 11:01"))
    assert ticket.clock("first_response").state is ClockState.OVERDUE
    assert ticket.clock("first_response").breached


def test_the_reaction_stops_the_first_response_clock_at_its_moment(halt):
    ticket = fold(halt, [
        e(ev.REPORTED, "2026-03-02 10:00", priority="P2"),
        e(ev.REACTION, "2026-03-02 10:40", priority="P2", next_step="Ik zet een nieuwe laptop klaar."),
    ], now=at("2026-03-02 12:00"))
    first = ticket.clock("first_response")
    assert (first.stopped, first.state) == (at("2026-03-02 10:40"), ClockState.MET)


def test_events_after_now_are_not_known_yet(halt):
    log = [
        e(ev.REPORTED, "2026-03-02 10:00", priority="P2"),
        e(ev.REACTION, "2026-03-02 10:40", priority="P2", next_step="x"),
    ]
    assert fold(halt, log, now=at("2026-03-02 10:30")).clock("first_response").state is ClockState.RUNNING
