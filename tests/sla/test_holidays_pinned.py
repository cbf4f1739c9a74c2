"""Pins the closed dates under halt, 2025-2030, so a `holidays` upgrade cannot move a deadline.

If this fails after upgrading the package, compare the dates with the contract before changing
the expected list.
"""

from __future__ import annotations

from datetime import date

import holidays

OBSERVED_UNDER_HALT = {
    2025: ["2025-01-01", "2025-04-21", "2025-04-26", "2025-05-05", "2025-05-29", "2025-06-09",
           "2025-12-25", "2025-12-26"],
    2026: ["2026-01-01", "2026-04-06", "2026-04-27", "2026-05-14", "2026-05-25", "2026-12-25",
           "2026-12-26"],
    2027: ["2027-01-01", "2027-03-29", "2027-04-27", "2027-05-06", "2027-05-17", "2027-12-25",
           "2027-12-26"],
    2028: ["2028-01-01", "2028-04-17", "2028-04-27", "2028-05-25", "2028-06-05", "2028-12-25",
           "2028-12-26"],
    2029: ["2029-01-01", "2029-04-02", "2029-04-27", "2029-05-10", "2029-05-21", "2029-12-25",
           "2029-12-26"],
    2030: ["2030-01-01", "2030-04-22", "2030-04-27", "2030-05-05", "2030-05-30", "2030-06-10",
           "2030-12-25", "2030-12-26"],
}


def test_holidays_package_is_the_pinned_version():
    assert holidays.__version__ == "0.109"


def test_observed_holiday_dates_2025_to_2030_under_halt(halt):
    for year, expected in OBSERVED_UNDER_HALT.items():
        observed = sorted(d.isoformat() for d in halt.observed_holiday_dates(year))
        assert observed == expected, year


def test_goede_vrijdag_is_never_closed_under_halt(halt):
    for good_friday in ("2025-04-18", "2026-04-03", "2027-03-26", "2028-04-14", "2029-03-30", "2030-04-19"):
        day = date.fromisoformat(good_friday)
        assert day not in halt.observed_holiday_dates(day.year)
        assert halt.working_calendar.is_working_day(day)
