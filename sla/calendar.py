"""Business calendars: adding working time to an instant and measuring working time between two.

Why it is built this way
------------------------
Contract managers check our deadlines against the supplier's report to the minute, across DST
switches and holidays. So the calendar never does "hour arithmetic" in local time. Instead it
turns every local working period (e.g. Monday 08:00-18:00 Europe/Amsterdam) into a concrete UTC
interval, day by day, and lays those intervals on one line with a running total of working time
(a prefix sum). Then:

* working time up to an instant  = running total before its period + the part of its period so far
* ``between(a, b)``              = total(b) - total(a)
* ``add(start, d)``              = the earliest instant at or after ``start`` whose total is
  total(start) + d, found by bisection. "Earliest" is what makes a deadline that lands exactly on
  a window's close stay at the close (18:00) instead of jumping to the next opening (08:00).

Periods are half-open ``[open, close)``: an instant at the close is closed, but a deadline may be
the close itself. A start outside the window starts counting at the next opening, because the
running total is flat while the window is closed.

Internally instants are integers (microseconds since the Unix epoch, UTC): exact, cheap to compare
and bisect. The public methods take and return timezone-aware ``datetime`` objects; results come
back in the time zone of the argument they were derived from.

Pauses ("wacht op derde") are measured in the same calendar: a pause over a night or a weekend
removes no working time from a working-hours clock, a pause on a 24/7 clock removes all of it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

ONE_US = timedelta(microseconds=1)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

# A pause as given by callers: (start, end); end None means the pause is still open.
Pause = tuple[datetime, "datetime | None"]


def to_us(instant: datetime) -> int:
    """An aware datetime as integer microseconds since the epoch (UTC); naive is refused."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"timezone-aware datetime required, got naive {instant.isoformat()}")
    return (instant - EPOCH) // ONE_US


def from_us(micros: int) -> datetime:
    """Integer microseconds since the epoch as an aware UTC datetime."""
    return EPOCH + timedelta(microseconds=micros)


def merge_pauses_us(pauses: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping, non-empty pauses, so each waiting minute is subtracted once."""
    merged: list[list[int]] = []
    for start, end in sorted(pauses):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def closed_pauses_us(pauses: Sequence[Pause]) -> list[tuple[int, int]]:
    """Caller pauses as merged integer intervals; an open pause (end None) is refused here.

    The calendar cannot know how long an open pause will last; ``sla.deadlines`` decides what an
    open pause means for a deadline.
    """
    converted = []
    for start, end in pauses:
        if end is None:
            raise ValueError("open pause (no end) cannot be measured; close it or leave it out")
        start_us, end_us = to_us(start), to_us(end)
        if end_us < start_us:
            raise ValueError(f"pause ends before it starts: {start.isoformat()}/{end.isoformat()}")
        converted.append((start_us, end_us))
    return merge_pauses_us(converted)


class Calendar:
    """What every SLA clock can do; subclasses supply the four integer primitives.

    The pause handling lives here once, so a 24/7 clock and a working-hours clock treat
    "wacht op derde" identically, each measured in its own time.
    """

    # -- integer primitives (microseconds) -------------------------------------------------
    def add_us(self, start: int, duration: int) -> int:
        raise NotImplementedError

    def between_us(self, start: int, end: int) -> int:
        raise NotImplementedError

    def is_open_us(self, instant: int) -> bool:
        raise NotImplementedError

    def next_open_us(self, instant: int) -> int:
        raise NotImplementedError

    def steps_us(self, start: int, step: int, until: int) -> tuple[list[int], int]:
        """Every instant ``start + k * step`` of working time (k = 1, 2, ...) before ``until``, and
        the first one at or after it: a cadence of promised updates in one call."""
        found = []
        instant = self.add_us(start, step)
        while instant < until:
            found.append(instant)
            instant = self.add_us(instant, step)
        return found, instant

    # -- pauses, in integers -------------------------------------------------------------------
    def add_paused_us(self, start: int, duration: int, pauses: Sequence[tuple[int, int]]) -> int:
        """Earliest instant at which ``duration`` of unpaused working time has passed.

        ``pauses`` must be merged (see ``merge_pauses_us``). Working time before each pause is
        spent first; a deadline that lands exactly on a pause's start stays there.
        """
        if duration <= 0 or not pauses:
            return self.add_us(start, duration) if duration > 0 else start
        remaining = duration
        cursor = start
        for pause_start, pause_end in pauses:
            if pause_end <= cursor:
                continue
            if pause_start > cursor:
                available = self.between_us(cursor, pause_start)
                if remaining <= available:
                    return self.add_us(cursor, remaining)
                remaining -= available
            cursor = pause_end
        return self.add_us(cursor, remaining)

    def between_paused_us(self, start: int, end: int, pauses: Sequence[tuple[int, int]]) -> int:
        """Working time in ``[start, end)`` minus the working time inside (merged) pauses."""
        if end < start:
            return -self.between_paused_us(end, start, pauses)
        total = self.between_us(start, end)
        for pause_start, pause_end in pauses:
            lo = pause_start if pause_start > start else start
            hi = pause_end if pause_end < end else end
            if lo < hi:
                total -= self.between_us(lo, hi)
        return total

    # -- public datetime interface -----------------------------------------------------------
    def add(self, start: datetime, duration: timedelta, *, pauses: Sequence[Pause] = ()) -> datetime:
        """``start`` plus ``duration`` of working time, skipping closed time and pauses."""
        if duration < timedelta(0):
            raise ValueError("duration must not be negative")
        result = self.add_paused_us(to_us(start), duration // ONE_US, closed_pauses_us(pauses))
        return from_us(result).astimezone(start.tzinfo)

    def between(self, start: datetime, end: datetime, *, pauses: Sequence[Pause] = ()) -> timedelta:
        """Working time from ``start`` to ``end`` minus pauses; negative if ``end`` is earlier."""
        micros = self.between_paused_us(to_us(start), to_us(end), closed_pauses_us(pauses))
        return timedelta(microseconds=micros)

    def is_open(self, instant: datetime) -> bool:
        """Whether the clock runs at ``instant`` (a window's close itself is closed)."""
        return self.is_open_us(to_us(instant))

    def next_open(self, instant: datetime) -> datetime:
        """``instant`` itself if open, else the next opening."""
        return from_us(self.next_open_us(to_us(instant))).astimezone(instant.tzinfo)


class ClockCalendar(Calendar):
    """Clock hours, 24/7 (P1): working time is elapsed time."""

    def __repr__(self) -> str:
        return "ClockCalendar()"

    def add_us(self, start: int, duration: int) -> int:
        return start + duration

    def between_us(self, start: int, end: int) -> int:
        return end - start

    def is_open_us(self, instant: int) -> bool:
        return True

    def next_open_us(self, instant: int) -> int:
        return instant

    def steps_us(self, start: int, step: int, until: int) -> tuple[list[int], int]:
        found = list(range(start + step, until, step))
        return found, start + step * (len(found) + 1)


# A weekday's service window: (start, end) in minutes after local midnight, end may be 1440.
Window = tuple[int, int]

# Years of periods built at a time; tables grow forward by appending, backward by rebuilding.
_YEARS_PER_EXTENSION = 1
_MAX_YEARS_SEARCHED = 50


class BusinessCalendar(Calendar):
    """Working hours: service windows per weekday in a time zone, minus closed dates.

    ``week`` holds the windows for Monday..Sunday (index 0..6). ``closed_dates_for_year`` gives
    the observed holidays of a year (the policy asks the ``holidays`` package). ``extra_closed``
    are further closed dates; ``extra_open`` are dates worked even though they are a holiday or a
    weekend, using ``standard_windows`` when the weekday itself has no window.
    """

    def __init__(
        self,
        tz: ZoneInfo,
        week: Sequence[Sequence[Window]],
        *,
        closed_dates_for_year: Callable[[int], frozenset[date]] = lambda year: frozenset(),
        extra_closed: Iterable[date] = (),
        extra_open: Iterable[date] = (),
        standard_windows: Sequence[Window] | None = None,
    ) -> None:
        if len(week) != 7:
            raise ValueError("week needs seven entries, Monday to Sunday")
        self.tz = tz
        self.week: tuple[tuple[Window, ...], ...] = tuple(tuple(day) for day in week)
        if not any(self.week) and not extra_open:
            raise ValueError("a business calendar needs at least one working period")
        self._closed_for_year = closed_dates_for_year
        self.extra_closed = frozenset(extra_closed)
        self.extra_open = frozenset(extra_open)
        self.standard_windows = tuple(standard_windows or next((d for d in self.week if d), ()))
        self._closed_cache: dict[int, frozenset[date]] = {}
        # The prefix-sum table: parallel lists, one entry per concrete working period.
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._cum_start: list[int] = []  # working time before this period
        self._cum_end: list[int] = []  # working time up to this period's close
        self._first_day: date | None = None  # first local date in the table
        self._end_day: date | None = None  # first local date after the table
        self._lo = 0  # UTC micros of local midnight at _first_day
        self._hi = 0  # UTC micros of local midnight at _end_day

    def __repr__(self) -> str:
        return f"BusinessCalendar(tz={self.tz.key!r}, week={self.week!r})"

    # -- which local periods a date has --------------------------------------------------------
    def closed_dates(self, year: int) -> frozenset[date]:
        """Observed holidays and extra closed dates in ``year`` (extra open dates win)."""
        cached = self._closed_cache.get(year)
        if cached is None:
            observed = set(self._closed_for_year(year))
            observed |= {d for d in self.extra_closed if d.year == year}
            cached = frozenset(observed - self.extra_open)
            self._closed_cache[year] = cached
        return cached

    def windows_on(self, day: date) -> tuple[Window, ...]:
        """The service windows of a local date: none on a closed date."""
        if day in self.closed_dates(day.year):
            return ()
        windows = self.week[day.weekday()]
        if not windows and day in self.extra_open:
            return self.standard_windows
        return windows

    def periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The concrete working periods of a local date, as aware local datetimes."""
        return [
            (from_us(s).astimezone(self.tz), from_us(e).astimezone(self.tz))
            for s, e in self._utc_periods(day)
        ]

    def close_on(self, day: date) -> datetime | None:
        """The last close of the service window on ``day``; None on a closed day."""
        periods = self._utc_periods(day)
        return from_us(periods[-1][1]).astimezone(self.tz) if periods else None

    def is_working_day(self, day: date) -> bool:
        return bool(self.windows_on(day))

    def _local_midnight_us(self, day: date) -> int:
        return to_us(datetime(day.year, day.month, day.day, tzinfo=self.tz))

    def _utc_periods(self, day: date) -> list[tuple[int, int]]:
        midnight = datetime(day.year, day.month, day.day, tzinfo=self.tz)
        periods = []
        for start_min, end_min in self.windows_on(day):
            # Aware + timedelta is wall-clock arithmetic; to_us applies the offset valid then,
            # which is what makes 08:00 mean 07:00Z in winter and 06:00Z in summer.
            start = to_us(midnight + timedelta(minutes=start_min))
            end = to_us(midnight + timedelta(minutes=end_min))
            if end > start:
                periods.append((start, end))
        return periods

    # -- the prefix-sum table ----------------------------------------------------------------------
    def _local_date(self, instant: int) -> date:
        return from_us(instant).astimezone(self.tz).date()

    def _append_days(self, first: date, end: date) -> None:
        total = self._cum_end[-1] if self._cum_end else 0
        day = first
        one_day = timedelta(days=1)
        starts, ends, cum_start, cum_end = self._starts, self._ends, self._cum_start, self._cum_end
        while day < end:
            for start, close in self._utc_periods(day):
                if ends and start <= ends[-1]:  # adjacent across midnight: one period
                    total += close - ends[-1]
                    ends[-1] = close
                    cum_end[-1] = total
                    continue
                starts.append(start)
                ends.append(close)
                cum_start.append(total)
                total += close - start
                cum_end.append(total)
            day += one_day
        self._end_day = end
        self._hi = self._local_midnight_us(end)

    def _build(self, first: date, end: date) -> None:
        self._starts, self._ends, self._cum_start, self._cum_end = [], [], [], []
        self._first_day = first
        self._lo = self._local_midnight_us(first)
        self._append_days(first, end)

    def _cover(self, instant: int) -> None:
        """Make sure the table reaches ``instant`` (with a day's margin on both sides)."""
        if self._first_day is None:
            year = self._local_date(instant).year
            self._build(date(year - 1, 1, 1), date(year + 2, 1, 1))
            return
        if instant < self._lo + 86_400_000_000:
            year = self._local_date(instant).year
            self._build(date(year - 1, 1, 1), self._end_day)
        while instant >= self._hi - 86_400_000_000:
            self._extend_forward()

    def _extend_forward(self) -> None:
        end = self._end_day
        self._append_days(end, date(end.year + _YEARS_PER_EXTENSION, end.month, end.day))

    def _total_at(self, instant: int) -> int:
        """Working time from the table's start up to ``instant``."""
        i = bisect_right(self._starts, instant) - 1
        if i < 0:
            return 0
        if instant < self._ends[i]:
            return self._cum_start[i] + instant - self._starts[i]
        return self._cum_end[i]

    # -- integer primitives ----------------------------------------------------------------------
    def add_us(self, start: int, duration: int) -> int:
        if duration <= 0:
            return start
        self._cover(start)
        target = self._total_at(start) + duration
        if not self._cum_end or self._cum_end[-1] < target:
            self._reach(target)
        j = bisect_left(self._cum_end, target)
        return self._starts[j] + (target - self._cum_start[j])

    def _reach(self, total: int) -> None:
        """Extend the table until its running total reaches ``total``."""
        searched = 0
        while not self._cum_end or self._cum_end[-1] < total:
            searched += 1
            if searched > _MAX_YEARS_SEARCHED:
                raise ValueError("no working time within 50 years; check the service windows")
            self._extend_forward()

    def steps_us(self, start: int, step: int, until: int) -> tuple[list[int], int]:
        """As ``Calendar.steps_us``, with one bisection per step over the running totals."""
        self._cover(start)
        target = self._total_at(start) + step
        found = []
        while True:
            if self._cum_end[-1] < target:
                self._reach(target)
            j = bisect_left(self._cum_end, target)
            instant = self._starts[j] + (target - self._cum_start[j])
            if instant >= until:
                return found, instant
            found.append(instant)
            target += step

    def between_us(self, start: int, end: int) -> int:
        if end < start:
            return -self.between_us(end, start)
        self._cover(start)
        self._cover(end)
        return self._total_at(end) - self._total_at(start)

    def is_open_us(self, instant: int) -> bool:
        self._cover(instant)
        i = bisect_right(self._starts, instant) - 1
        return i >= 0 and instant < self._ends[i]

    def next_open_us(self, instant: int) -> int:
        if self.is_open_us(instant):
            return instant
        searched = 0
        while True:
            j = bisect_right(self._starts, instant)
            if j < len(self._starts):
                return self._starts[j]
            searched += 1
            if searched > _MAX_YEARS_SEARCHED:
                raise ValueError("no opening within 50 years; check the service windows")
            self._extend_forward()
