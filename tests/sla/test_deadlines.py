"""Deadlines per ticket: priorities, waits, priority changes, update cadence, P4 agreed dates.

The vectors for waits ("pauses") hold the calendar arithmetic of a clock that a wait stops; since
neither shipped policy lets a wait stop the resolution clock any more (PvE §10.1.3, annex O1), they
run against ``pausing`` (an organisation's own file that does), and under halt the same waits move
nothing.
"""

from __future__ import annotations

from datetime import date

import pytest

from sla import events as ev
from sla.deadlines import compute_deadlines, deadlines_from_events, deadlines_json
from sla.events import TicketEvent
from tests.sla.conftest import at


def json_for(policy, **kwargs):
    return deadlines_json(policy, compute_deadlines(policy, **kwargs))


# (case, priority, opened, expected first response, resolution, next update) under halt.
HALT_CASES = [
    ("P1 runs on clock hours at night", "P1", "2026-03-02 23:50",
     "2026-03-03T00:05:00+01:00", "2026-03-03T03:50:00+01:00", "2026-03-03T00:20:00+01:00"),
    ("P1 over the spring DST switch", "P1", "2026-03-28 23:30",
     "2026-03-28T23:45:00+01:00", "2026-03-29T04:30:00+02:00", "2026-03-29T00:00:00+01:00"),
    ("P1 over the autumn DST switch", "P1", "2026-10-24 23:30",
     "2026-10-24T23:45:00+02:00", "2026-10-25T02:30:00+01:00", "2026-10-25T00:00:00+02:00"),
    ("P2 inside the window", "P2", "2026-03-02 10:17",
     "2026-03-02T11:17:00+01:00", "2026-03-03T08:17:00+01:00", "2026-03-02T12:17:00+01:00"),
    ("P2 over the spring DST weekend", "P2", "2026-03-27 16:30",
     "2026-03-27T17:30:00+01:00", "2026-03-30T14:30:00+02:00", "2026-03-30T08:30:00+02:00"),
    ("P2 over the autumn DST weekend", "P2", "2026-10-23 16:30",
     "2026-10-23T17:30:00+02:00", "2026-10-26T14:30:00+01:00", "2026-10-26T08:30:00+01:00"),
    ("P2 at 10:00 resolves by the close the same day", "P2", "2026-03-02 10:00",
     "2026-03-02T11:00:00+01:00", "2026-03-02T18:00:00+01:00", "2026-03-02T12:00:00+01:00"),
    ("P3 daily update is the same time next working day", "P3", "2026-03-02 10:17",
     "2026-03-02T14:17:00+01:00", "2026-03-04T14:17:00+01:00", "2026-03-03T10:17:00+01:00"),
    ("P3 reported on saturday starts monday", "P3", "2026-03-07 11:00",
     "2026-03-09T12:00:00+01:00", "2026-03-11T12:00:00+01:00", "2026-03-09T18:00:00+01:00"),
    ("P4 one working day and five working days", "P4", "2026-03-02 10:17",
     "2026-03-03T10:17:00+01:00", "2026-03-09T10:17:00+01:00", None),
    ("P4 before the window: first response at the close", "P4", "2026-03-02 07:00",
     "2026-03-02T18:00:00+01:00", "2026-03-06T18:00:00+01:00", None),
    ("P4 over Koningsdag and a weekend", "P4", "2026-04-24 10:00",
     "2026-04-28T10:00:00+02:00", "2026-05-04T10:00:00+02:00", None),
]


@pytest.mark.parametrize(
    "priority, opened, first_response, resolution, update",
    [case[1:] for case in HALT_CASES],
    ids=[case[0] for case in HALT_CASES],
)
def test_halt_deadlines_to_the_minute(halt, priority, opened, first_response, resolution, update):
    assert json_for(halt, priority=priority, opened=at(opened)) == {
        "first_response_due": first_response,
        "resolution_due": resolution,
        "definitive_resolution_due": None,
        "next_update_due": update,
    }


# --- pauses -------------------------------------------------------------------------------------

PAUSE_CASES = [
    ("a pause over the night costs only its working hours", "P2", "2026-03-02 10:00",
     [("2026-03-02 17:00", "2026-03-03 09:00")], "2026-03-03T10:00:00+01:00"),
    ("a pause over the weekend costs only its working hours", "P2", "2026-03-06 14:00",
     [("2026-03-06 16:00", "2026-03-09 10:00")], "2026-03-09T16:00:00+01:00"),
    ("a pause wholly in the night changes nothing", "P2", "2026-03-02 14:00",
     [("2026-03-02 19:00", "2026-03-03 07:30")], "2026-03-03T12:00:00+01:00"),
    ("two pauses add up", "P2", "2026-03-02 10:00",
     [("2026-03-02 11:00", "2026-03-02 12:00"), ("2026-03-02 13:00", "2026-03-02 13:30")],
     "2026-03-03T09:30:00+01:00"),
    ("overlapping pauses count once", "P2", "2026-03-02 10:00",
     [("2026-03-02 11:00", "2026-03-02 12:00"), ("2026-03-02 11:30", "2026-03-02 12:30")],
     "2026-03-03T09:30:00+01:00"),
    ("a P1 pause at night costs clock hours", "P1", "2026-03-02 22:00",
     [("2026-03-02 23:00", "2026-03-03 01:00")], "2026-03-03T04:00:00+01:00"),
    ("a P3 pause over a weekend and Tweede paasdag", "P3", "2026-04-02 10:00",
     [("2026-04-03 12:00", "2026-04-07 12:00")], "2026-04-08T14:00:00+02:00"),
    ("a pause after the deadline changes nothing", "P2", "2026-03-02 10:00",
     [("2026-03-02 19:00", "2026-03-04 12:00")], "2026-03-02T18:00:00+01:00"),
]


@pytest.mark.parametrize(
    "priority, opened, pauses, resolution",
    [case[1:] for case in PAUSE_CASES],
    ids=[case[0] for case in PAUSE_CASES],
)
def test_pauses_move_only_the_resolution_deadline(pausing, priority, opened, pauses, resolution):
    paused = compute_deadlines(
        pausing, priority=priority, opened=at(opened), pauses=[(at(s), at(e)) for s, e in pauses]
    )
    plain = compute_deadlines(pausing, priority=priority, opened=at(opened))
    assert paused.resolution_due.isoformat() == resolution
    assert paused.first_response_due == plain.first_response_due  # first response keeps running


@pytest.mark.parametrize(
    "priority, opened, pauses, resolution",
    [case[1:] for case in PAUSE_CASES],
    ids=[case[0] for case in PAUSE_CASES],
)
def test_under_halt_a_wait_on_a_third_party_moves_no_deadline(halt, priority, opened, pauses, resolution):
    """PvE §10.1.3: "MSP blijft eindverantwoordelijk voor voortgang en oplossing, ook met derden"."""
    waited = compute_deadlines(halt, priority=priority, opened=at(opened), pauses=[(at(s), at(e)) for s, e in pauses])
    plain = compute_deadlines(halt, priority=priority, opened=at(opened))
    assert (waited.first_response_due, waited.resolution_due) == (plain.first_response_due, plain.resolution_due)


def test_an_open_pause_makes_the_resolution_deadline_unknown(pausing):
    deadlines = compute_deadlines(
        pausing, priority="P2", opened=at("2026-03-02 10:00"), pauses=[(at("2026-03-02 12:00"), None)]
    )
    assert deadlines.resolution_due is None
    assert deadlines.paused_since == at("2026-03-02 12:00")
    assert deadlines.first_response_due == at("2026-03-02 11:00")


def test_an_open_pause_after_the_deadline_leaves_it_known(pausing):
    deadlines = compute_deadlines(
        pausing, priority="P2", opened=at("2026-03-02 10:00"), pauses=[(at("2026-03-03 09:00"), None)]
    )
    assert deadlines.resolution_due == at("2026-03-02 18:00")


def test_sib_waits_stop_only_the_containment_clock(sib):
    """Annex O1: time-to-containment "excl. wachten op derde"; no other clock says so."""
    deadlines = compute_deadlines(
        sib, priority="P1", opened=at("2026-03-02 10:00"), security_incident=True,
        pauses=[(at("2026-03-02 11:00"), at("2026-03-02 13:00"))],
    )
    assert deadlines.first_response_due == at("2026-03-02 10:15")
    assert deadlines.resolution_due == at("2026-03-02 14:00")
    assert deadlines.definitive_resolution_due == at("2026-03-04 10:00")
    assert deadlines.containment_due == at("2026-03-02 16:00")


def test_sib_p2_containment_is_24_working_hours(sib):
    deadlines = compute_deadlines(sib, priority="P2", opened=at("2026-03-02 10:00"), security_incident=True)
    assert deadlines.containment_due == at("2026-03-04 14:00")
    assert deadlines.resolution_due == at("2026-03-02 18:00")


def test_sib_p1_has_48_clock_hours_definitive_resolution(sib):
    assert json_for(sib, priority="P1", opened=at("2026-03-28 12:00")) == {
        "first_response_due": "2026-03-28T12:15:00+01:00",
        "resolution_due": "2026-03-28T16:00:00+01:00",
        "definitive_resolution_due": "2026-03-30T13:00:00+02:00",  # 48 real hours over DST
        "next_update_due": "2026-03-28T12:30:00+01:00",
    }


def test_no_containment_without_a_security_incident(sib):
    assert compute_deadlines(sib, priority="P1", opened=at("2026-03-02 10:00")).containment_due is None


# --- updates --------------------------------------------------------------------------------


def test_next_update_runs_from_the_last_update(halt):
    deadlines = compute_deadlines(
        halt, priority="P3", opened=at("2026-03-02 10:17"), last_update=at("2026-03-03 11:00")
    )
    assert deadlines.next_update_due == at("2026-03-04 11:00")


def test_sib_major_incident_first_update_in_30_minutes_then_every_hour(sib):
    first = compute_deadlines(sib, priority="P1", opened=at("2026-03-02 10:00"), major_incident=True)
    assert first.next_update_due == at("2026-03-02 10:30")
    later = compute_deadlines(
        sib, priority="P1", opened=at("2026-03-02 10:00"), major_incident=True,
        last_update=at("2026-03-02 10:25"),
    )
    assert later.next_update_due == at("2026-03-02 11:25")


def test_p4_without_agreed_date_has_no_update_due(halt):
    assert compute_deadlines(halt, priority="P4", opened=at("2026-03-02 10:00")).next_update_due is None


def test_p4_update_due_at_the_close_of_the_agreed_date(halt):
    deadlines = compute_deadlines(halt, priority="P4", opened=at("2026-03-02 10:00"), agreed=date(2026, 3, 10))
    assert deadlines.next_update_due.isoformat() == "2026-03-10T18:00:00+01:00"


def test_p4_agreed_date_on_a_holiday_moves_to_the_next_working_day(halt):
    deadlines = compute_deadlines(halt, priority="P4", opened=at("2026-04-01 10:00"), agreed=date(2026, 4, 6))
    assert deadlines.next_update_due.isoformat() == "2026-04-07T18:00:00+02:00"


def test_p4_update_given_on_the_agreed_date_owes_nothing_more(halt):
    deadlines = compute_deadlines(
        halt, priority="P4", opened=at("2026-03-02 10:00"), agreed=date(2026, 3, 10),
        last_update=at("2026-03-10 09:00"),
    )
    assert deadlines.next_update_due is None


# --- from events ----------------------------------------------------------------------------


def event(kind, when, **data):
    return TicketEvent(kind, at(when), data)


def test_priority_change_p3_to_p1_recomputes_from_the_report(halt):
    events = [
        event(ev.REPORTED, "2026-03-02 10:00", priority="P3", ticket="INC-1"),
        event(ev.PRIORITY_CHANGED, "2026-03-02 13:00", **{"from": "P3", "to": "P1"}),
    ]
    deadlines = deadlines_from_events(halt, events)
    assert deadlines.priority == "P1"
    assert deadlines_json(halt, deadlines) == {
        "first_response_due": "2026-03-02T10:15:00+01:00",
        "resolution_due": "2026-03-02T14:00:00+01:00",
        "definitive_resolution_due": None,
        # The change is told to the reporter with its reason: the next update is P1's 30 minutes
        # after it, not a promise from 10:30 that nobody could have kept.
        "next_update_due": "2026-03-02T13:30:00+01:00",
    }


def test_events_pause_resume_and_update(pausing):
    events = [
        event(ev.REPORTED, "2026-03-02 10:00", priority="P2"),
        event(ev.ACKNOWLEDGED, "2026-03-02 10:20"),
        event(ev.PAUSED, "2026-03-02 17:00", party="leverancier"),
        event(ev.STATUS_UPDATE_SENT, "2026-03-02 17:30"),  # the bot's own message: counts for nothing
        event(ev.RESUMED, "2026-03-03 09:00"),
    ]
    deadlines = deadlines_from_events(pausing, events)
    assert deadlines.resolution_due == at("2026-03-03 10:00")
    assert deadlines.next_update_due == at("2026-03-03 11:00")  # "we werken weer" at 09:00 + 2 working hours
    assert deadlines.paused_since is None


def test_events_open_pause_and_resolution(pausing):
    events = [
        event(ev.REPORTED, "2026-03-02 10:00", priority="P2"),
        event(ev.PAUSED, "2026-03-02 12:00"),
    ]
    assert deadlines_from_events(pausing, events).resolution_due is None
    resolved = deadlines_from_events(pausing, events + [event(ev.RESOLVED, "2026-03-02 14:00")])
    assert resolved.resolution_due == at("2026-03-03 10:00")  # the wait ended at resolution
    assert resolved.next_update_due is None


def test_events_p4_agreed_date(halt):
    events = [
        event(ev.REPORTED, "2026-03-02 10:00", priority="P4"),
        event(ev.AGREED_DATE_SET, "2026-03-02 11:00", date="2026-03-05"),
    ]
    assert deadlines_from_events(halt, events).next_update_due == at("2026-03-05 18:00")
    assert deadlines_from_events(halt, events[:1]).next_update_due is None


def test_events_must_start_with_reported(halt):
    with pytest.raises(ValueError, match="REPORTED"):
        deadlines_from_events(halt, [event(ev.ACKNOWLEDGED, "2026-03-02 10:00")])


def test_unknown_priority_is_refused(halt):
    with pytest.raises(ValueError, match="P5"):
        compute_deadlines(halt, priority="P5", opened=at("2026-03-02 10:00"))
