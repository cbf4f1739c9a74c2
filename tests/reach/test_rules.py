"""Quiet hours, the weekly maximum and maintenance's 48 hours, to the minute (reach.rules)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from reach import rules
from reach.enums import Excess, Kind
from sla.policy import load_policy

AMS = ZoneInfo("Europe/Amsterdam")
CALENDAR = load_policy("halt").working_calendar


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=AMS)


@pytest.mark.parametrize(
    ("moment", "allowed_from"),
    [
        ("2026-12-01 07:59", "2026-12-01 08:00"),  # Tuesday before opening
        ("2026-12-01 08:00", "2026-12-01 08:00"),
        ("2026-12-01 17:59", "2026-12-01 17:59"),
        ("2026-12-01 18:00", "2026-12-02 08:00"),  # the close is quiet
        ("2026-12-04 18:00", "2026-12-07 08:00"),  # Friday evening waits for Monday
        ("2026-12-05 12:00", "2026-12-07 08:00"),  # Saturday
        ("2026-12-24 18:30", "2026-12-28 08:00"),  # Christmas: 25 and 26 December are holidays, then a weekend
        ("2027-04-26 23:00", "2027-04-28 08:00"),  # the evening before Koningsdag (27 April)
    ],
)
def test_a_message_due_in_a_quiet_period_waits_for_the_next_allowed_minute(moment, allowed_from):
    assert rules.next_allowed(CALENDAR, at(moment), urgent=False) == at(allowed_from)


def test_a_p1_disruption_is_never_quiet():
    saturday_night = at("2026-12-05 03:12")
    assert not rules.quiet(CALENDAR, saturday_night, urgent=True)
    assert rules.next_allowed(CALENDAR, saturday_night, urgent=True) == saturday_night


def test_the_weekly_maximum_drops_an_announcement_and_postpones_a_survey_to_next_monday():
    wednesday = at("2026-12-02 10:00")
    assert rules.over_cap(CALENDAR, wednesday, received=2, maximum=3, excess=Excess.DROP).send
    assert rules.over_cap(CALENDAR, wednesday, received=3, maximum=3, excess=Excess.DROP) == rules.CapDecision(send=False)
    postponed = rules.over_cap(CALENDAR, wednesday, received=3, maximum=3, excess=Excess.POSTPONE)
    assert postponed == rules.CapDecision(send=False, at=at("2026-12-07 08:00"))
    # The week is local: Sunday 23:30 in Amsterdam is still that week, Monday 00:30 the next.
    assert rules.week_of(at("2026-12-06 23:30"), CALENDAR) == "2026-W49"
    assert rules.week_of(at("2026-12-07 00:30"), CALENDAR) == "2026-W50"


def test_follow_ups_and_p1_disruptions_do_not_count_towards_the_maximum():
    assert rules.counts_for_cap(Kind.MAINTENANCE, urgent=False)
    assert rules.counts_for_cap(Kind.SURVEY, urgent=False)
    assert not rules.counts_for_cap(Kind.RESOLVED, urgent=False)
    assert not rules.counts_for_cap(Kind.FOLLOW_UP, urgent=False)
    assert not rules.counts_for_cap(Kind.DISRUPTION, urgent=True)


@pytest.mark.parametrize(
    ("now", "starts", "ends", "reasons"),
    [
        # Thursday 19:00 for Saturday 19:00-23:00: exactly 48 hours ahead, at the weekend: fine.
        ("2026-12-03 19:00", "2026-12-05 19:00", "2026-12-05 23:00", ()),
        # One minute later it is less than 48 hours ahead.
        ("2026-12-03 19:01", "2026-12-05 19:00", "2026-12-05 23:00", (rules.Refusal.TOO_LATE,)),
        # Tuesday 18:00-22:00, a week ahead: outside office hours (the close itself is outside).
        ("2026-12-01 09:00", "2026-12-08 18:00", "2026-12-08 22:00", ()),
        # Tuesday 17:59-22:00: one minute inside office hours.
        ("2026-12-01 09:00", "2026-12-08 17:59", "2026-12-08 22:00", (rules.Refusal.OFFICE_HOURS,)),
        # Tomorrow 10:00-12:00: both.
        ("2026-12-01 09:00", "2026-12-02 10:00", "2026-12-02 12:00", (rules.Refusal.TOO_LATE, rules.Refusal.OFFICE_HOURS)),
        # Ending 08:00 sharp on a working day is outside; ending 08:01 is not.
        ("2026-12-01 09:00", "2026-12-07 06:00", "2026-12-07 08:00", ()),
        ("2026-12-01 09:00", "2026-12-07 06:00", "2026-12-07 08:01", (rules.Refusal.OFFICE_HOURS,)),
    ],
)
def test_planned_maintenance_needs_48_hours_notice_and_must_be_outside_office_hours(now, starts, ends, reasons):
    assert rules.maintenance_refusals(CALENDAR, now=at(now), starts=at(starts), ends=at(ends)) == reasons
