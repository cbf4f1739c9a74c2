"""The business calendar, exact to the minute: windows, weekends, holidays and both DST switches."""

from __future__ import annotations

from datetime import date, timedelta, timezone

import pytest

from sla.calendar import BusinessCalendar, ClockCalendar
from tests.sla.conftest import AMS, at

H = timedelta(hours=1)
M = timedelta(minutes=1)

# (case, start, working time to add, expected deadline) -- halt working hours, Mon-Fri 08-18.
WORKING_HOURS_CASES = [
    ("before the window starts counting at the opening", "2026-03-02 07:00", 1 * H, "2026-03-02 09:00"),
    ("inside the window", "2026-03-02 10:17", 1 * H, "2026-03-02 11:17"),
    ("at the close counts from the next opening", "2026-03-02 18:00", 1 * H, "2026-03-03 09:00"),
    ("after the window counts from the next opening", "2026-03-02 20:00", 1 * H, "2026-03-03 09:00"),
    ("landing exactly on the close stays at the close", "2026-03-02 17:00", 1 * H, "2026-03-02 18:00"),
    ("a full window from the opening ends at the close", "2026-03-02 08:00", 10 * H, "2026-03-02 18:00"),
    ("one working day is the same time next working day", "2026-03-02 10:17", 10 * H, "2026-03-03 10:17"),
    ("eight hours run over the night", "2026-03-02 10:17", 8 * H, "2026-03-03 08:17"),
    ("friday afternoon runs into monday", "2026-03-06 17:30", 1 * H, "2026-03-09 08:30"),
    ("saturday counts from monday's opening", "2026-03-07 12:00", 1 * H, "2026-03-09 09:00"),
    ("sunday night counts from monday's opening", "2026-03-08 23:59", 90 * M, "2026-03-09 09:30"),
    ("landing on friday's close stays on friday", "2026-03-06 16:00", 2 * H, "2026-03-06 18:00"),
    ("five working days are the same time a week later", "2026-03-02 10:17", 50 * H, "2026-03-09 10:17"),
    # Every observed holiday of 2026 on a weekday: from 17:00 the day before, +2h.
    ("Nieuwjaarsdag 2026 is closed", "2025-12-31 17:00", 2 * H, "2026-01-02 09:00"),
    ("Tweede paasdag 2026 is closed", "2026-04-03 17:00", 2 * H, "2026-04-07 09:00"),
    ("Koningsdag 2026 is closed", "2026-04-24 17:00", 2 * H, "2026-04-28 09:00"),
    ("Hemelvaartsdag 2026 is closed", "2026-05-13 17:00", 2 * H, "2026-05-15 09:00"),
    ("Tweede pinksterdag 2026 is closed", "2026-05-22 17:00", 2 * H, "2026-05-26 09:00"),
    ("Eerste kerstdag 2026 is closed", "2026-12-24 17:00", 2 * H, "2026-12-28 09:00"),
    ("Tweede kerstdag 2026 (a saturday) is closed", "2026-12-26 12:00", 1 * H, "2026-12-28 09:00"),
    # Every observed holiday of 2027.
    ("Nieuwjaarsdag 2027 is closed", "2026-12-31 17:00", 2 * H, "2027-01-04 09:00"),
    ("Tweede paasdag 2027 is closed", "2027-03-26 17:00", 2 * H, "2027-03-30 09:00"),
    ("Koningsdag 2027 (a tuesday) is closed", "2027-04-26 17:00", 2 * H, "2027-04-28 09:00"),
    ("Hemelvaartsdag 2027 is closed", "2027-05-05 17:00", 2 * H, "2027-05-07 09:00"),
    ("Tweede pinksterdag 2027 is closed", "2027-05-14 17:00", 2 * H, "2027-05-18 09:00"),
    ("Eerste and Tweede kerstdag 2027 (weekend) are closed", "2027-12-24 17:00", 2 * H, "2027-12-27 09:00"),
    ("Goede vrijdag 2026 is open under halt", "2026-04-02 17:00", 2 * H, "2026-04-03 09:00"),
    ("Goede vrijdag 2027 is open under halt", "2027-03-25 17:00", 2 * H, "2027-03-26 09:00"),
    ("Bevrijdingsdag 2025 (lustrum) is closed", "2025-05-02 17:00", 2 * H, "2025-05-06 09:00"),
    ("Bevrijdingsdag 2027 (no lustrum) is open", "2027-05-04 17:00", 2 * H, "2027-05-05 09:00"),
    # DST: 29 March 2026 (CET -> CEST) and 25 October 2026 (CEST -> CET), P2's 8 working hours.
    ("eight working hours over the spring DST weekend", "2026-03-27 16:30", 8 * H, "2026-03-30 14:30"),
    ("eight working hours over the autumn DST weekend", "2026-10-23 16:30", 8 * H, "2026-10-26 14:30"),
]


@pytest.mark.parametrize(
    "start, duration, expected",
    [case[1:] for case in WORKING_HOURS_CASES],
    ids=[case[0] for case in WORKING_HOURS_CASES],
)
def test_working_hours_add_gives_the_exact_minute(halt, start, duration, expected):
    due = halt.working_calendar.add(at(start), duration)
    assert due == at(expected)
    assert due.utcoffset() == at(expected).utcoffset()


@pytest.mark.parametrize(
    "start, duration, expected",
    [case[1:] for case in WORKING_HOURS_CASES],
    ids=[case[0] for case in WORKING_HOURS_CASES],
)
def test_working_time_between_start_and_deadline_is_the_duration(halt, start, duration, expected):
    assert halt.working_calendar.between(at(start), at(expected)) == duration


def test_clock_hours_across_spring_dst_count_real_hours():
    # 28 March 23:30 CET + 4 clock hours = 04:30 CEST: the wall clock skips 02:00-03:00.
    due = ClockCalendar().add(at("2026-03-28 23:30"), 4 * H)
    assert due.isoformat() == "2026-03-29T04:30:00+02:00"


def test_clock_hours_across_autumn_dst_count_real_hours():
    # 24 October 23:30 CEST + 4 clock hours = 02:30 CET: the wall clock repeats 02:00-03:00.
    due = ClockCalendar().add(at("2026-10-24 23:30"), 4 * H)
    assert due.isoformat() == "2026-10-25T02:30:00+01:00"


def test_window_keeps_local_hours_across_dst(halt):
    periods_before = halt.working_calendar.periods_on(date(2026, 3, 27))
    periods_after = halt.working_calendar.periods_on(date(2026, 3, 30))
    assert [p[0].isoformat() for p in periods_before] == ["2026-03-27T08:00:00+01:00"]
    assert [p[0].isoformat() for p in periods_after] == ["2026-03-30T08:00:00+02:00"]


@pytest.mark.parametrize(
    "instant, is_open",
    [
        ("2026-03-02 07:59", False),
        ("2026-03-02 08:00", True),
        ("2026-03-02 17:59", True),
        ("2026-03-02 18:00", False),
        ("2026-03-07 12:00", False),
        ("2026-04-06 12:00", False),  # Tweede paasdag
        ("2026-04-03 12:00", True),  # Goede vrijdag
    ],
)
def test_is_open_treats_the_close_as_closed(halt, instant, is_open):
    assert halt.working_calendar.is_open(at(instant)) is is_open


@pytest.mark.parametrize(
    "instant, expected",
    [
        ("2026-03-02 10:00", "2026-03-02 10:00"),
        ("2026-03-02 18:00", "2026-03-03 08:00"),
        ("2026-03-06 19:00", "2026-03-09 08:00"),
        ("2026-12-24 18:30", "2026-12-28 08:00"),
    ],
)
def test_next_open_is_the_instant_itself_or_the_next_opening(halt, instant, expected):
    assert halt.working_calendar.next_open(at(instant)) == at(expected)


def test_between_is_negative_when_the_end_comes_first(halt):
    assert halt.working_calendar.between(at("2026-03-02 11:00"), at("2026-03-02 10:00")) == -H


def test_between_sums_only_working_periods_over_a_week(halt):
    # Monday 12:00 to next Monday 12:00: 6h + 4 full days (40h) + 4h = 50h.
    assert halt.working_calendar.between(at("2026-03-02 12:00"), at("2026-03-09 12:00")) == 50 * H


def test_results_come_back_in_the_callers_time_zone(halt):
    utc_start = at("2026-03-02 10:00").astimezone(timezone.utc)
    due = halt.working_calendar.add(utc_start, H)
    assert due.tzinfo == utc_start.tzinfo
    assert due == at("2026-03-02 11:00")


def test_naive_datetimes_are_refused(halt):
    with pytest.raises(ValueError, match="timezone-aware"):
        halt.working_calendar.add(at("2026-03-02 10:00").replace(tzinfo=None), H)


def test_extra_closed_and_open_dates_change_the_calendar():
    week = [((480, 1080),)] * 5 + [(), ()]
    calendar = BusinessCalendar(
        AMS, week, extra_closed=[date(2026, 3, 3)], extra_open=[date(2026, 3, 7)]
    )
    # Tuesday 3 March closed, Saturday 7 March open with the standard window.
    assert calendar.add(at("2026-03-02 17:00"), 2 * H) == at("2026-03-04 09:00")
    assert calendar.add(at("2026-03-06 17:00"), 2 * H) == at("2026-03-07 09:00")


def test_far_dates_extend_the_table_both_ways(halt):
    calendar = halt.working_calendar
    assert calendar.add(at("2026-03-02 10:00"), 1 * H) == at("2026-03-02 11:00")
    assert calendar.add(at("2031-03-03 10:00"), 1 * H) == at("2031-03-03 11:00")
    assert calendar.add(at("2019-03-04 10:00"), 1 * H) == at("2019-03-04 11:00")
    # ten years of working time in one call
    assert calendar.between(at("2019-03-04 10:00"), at("2031-03-03 10:00")) > 20_000 * H
