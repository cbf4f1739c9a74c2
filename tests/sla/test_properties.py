"""Properties that must hold for every instant and duration, not just the hand-picked cases."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from sla.calendar import ONE_US
from sla.policy import load_policy

POLICY = load_policy("halt")
CALENDARS = st.sampled_from([POLICY.working_calendar, POLICY.clock_calendar])

# Instants from 2024 to 2031 at minute resolution (includes every DST switch in between).
instants = st.integers(
    min_value=int(datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp()) // 60,
    max_value=int(datetime(2031, 1, 1, tzinfo=timezone.utc).timestamp()) // 60,
).map(lambda minute: datetime.fromtimestamp(minute * 60, tz=timezone.utc))
durations = st.integers(min_value=0, max_value=200 * 60).map(lambda m: timedelta(minutes=m))
positive_durations = st.integers(min_value=1, max_value=200 * 60).map(lambda m: timedelta(minutes=m))
# Pauses relative to the start: (offset, length) in minutes, up to two weeks out.
pause_specs = st.lists(
    st.tuples(st.integers(-600, 20_000), st.integers(0, 5_000)), max_size=4
)


def pauses_from(start, specs):
    return [
        (start + timedelta(minutes=offset), start + timedelta(minutes=offset + length))
        for offset, length in specs
    ]


@settings(max_examples=300, deadline=None)
@given(CALENDARS, instants, durations, durations)
def test_adding_a_then_b_equals_adding_a_plus_b(calendar, start, a, b):
    assert calendar.add(calendar.add(start, a), b) == calendar.add(start, a + b)


@settings(max_examples=300, deadline=None)
@given(CALENDARS, instants, durations)
def test_working_time_between_start_and_add_is_the_duration(calendar, start, duration):
    assert calendar.between(start, calendar.add(start, duration)) == duration


@settings(max_examples=300, deadline=None)
@given(CALENDARS, instants, positive_durations, pause_specs)
def test_a_deadline_never_falls_inside_a_closed_period_or_a_pause(calendar, start, duration, specs):
    pauses = pauses_from(start, specs)
    due = calendar.add(start, duration, pauses=pauses)
    just_before = due - ONE_US
    # The working time ran right up to the deadline: at the close is fine, inside closed time not.
    assert calendar.is_open(just_before)
    for pause_start, pause_end in pauses:
        assert not (pause_start <= just_before < pause_end)
    assert calendar.between(start, due, pauses=pauses) == duration


@settings(max_examples=300, deadline=None)
@given(CALENDARS, instants, positive_durations, pause_specs, st.tuples(st.integers(-600, 20_000), st.integers(0, 5_000)))
def test_adding_more_pause_never_makes_a_deadline_earlier(calendar, start, duration, specs, extra):
    base = calendar.add(start, duration, pauses=pauses_from(start, specs))
    more = calendar.add(start, duration, pauses=pauses_from(start, specs + [extra]))
    assert more >= base


@settings(max_examples=200, deadline=None)
@given(CALENDARS, instants, positive_durations, st.integers(0, 3_000), st.integers(0, 3_000))
def test_lengthening_a_pause_never_makes_a_deadline_earlier(calendar, start, duration, offset, length):
    shorter = [(start + timedelta(minutes=offset), start + timedelta(minutes=offset + length))]
    longer = [(start + timedelta(minutes=offset), start + timedelta(minutes=offset + length + 60))]
    assert calendar.add(start, duration, pauses=longer) >= calendar.add(start, duration, pauses=shorter)


@settings(max_examples=200, deadline=None)
@given(instants, st.sampled_from(["P1", "P2", "P3", "P4"]))
def test_deadlines_never_come_before_the_report(start, priority):
    from sla.deadlines import compute_deadlines

    deadlines = compute_deadlines(POLICY, priority=priority, opened=start)
    assert deadlines.first_response_due > start
    assert deadlines.resolution_due >= deadlines.first_response_due
