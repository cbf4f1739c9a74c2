"""Policy files: the shipped ones load, and every broken file says file, key and problem."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from sla.policy import DayDeadline, PolicyError, load_policy

HALT_TEXT = (Path(__file__).resolve().parents[2] / "sla" / "policies" / "halt.toml").read_text(encoding="utf-8")


def test_halt_terms_match_the_pve(halt):
    p1, p2, p3, p4 = (halt.priorities[p] for p in ("P1", "P2", "P3", "P4"))
    assert (p1.clock, p1.first_response, p1.resolution, p1.update_cadence, p1.norm_percent) == (
        "24/7", timedelta(minutes=15), timedelta(hours=4), timedelta(minutes=30), 98.0)
    assert (p2.clock, p2.first_response, p2.resolution, p2.update_cadence, p2.norm_percent) == (
        "working_hours", timedelta(hours=1), timedelta(hours=8), timedelta(hours=2), 95.0)
    assert (p3.first_response, p3.resolution, p3.update_cadence, p3.norm_percent) == (
        timedelta(hours=4), timedelta(hours=24), "working_day", 90.0)
    assert (p4.first_response, p4.resolution, p4.update_cadence) == (
        timedelta(hours=10), timedelta(hours=50), "agreed_date")
    assert halt.pause_stops == frozenset()  # §10.1.3: "ook met derden"
    assert (p1.call_required, p1.onsite, p1.device_fallback, p1.device_fallback_swap) == (
        True, timedelta(hours=4), timedelta(hours=4), DayDeadline("same_day"))
    assert (p2.onsite, p2.device_fallback) == (timedelta(hours=8), DayDeadline("next_working_day"))
    assert (p3.onsite, p4.device_fallback) == (timedelta(hours=20), timedelta(hours=20))  # 2 werkdagen
    assert halt.data_breach_within == timedelta(hours=72)
    assert halt.norms["csat_average"] == 8
    assert halt.working_day == timedelta(hours=10)
    assert halt.calendar("P1") is halt.clock_calendar
    assert halt.calendar("P3") is halt.working_calendar
    assert (halt.backlog.age_working_days, halt.backlog.max_share_percent, halt.backlog.max_count) == (10, 5.0, 20)


def test_sib_terms_match_the_annex(sib):
    p1, p2 = sib.priorities["P1"], sib.priorities["P2"]
    assert (p1.first_response, p1.resolution, p1.definitive_resolution, p1.norm_percent) == (
        timedelta(minutes=15), timedelta(hours=4), timedelta(hours=48), 95.0)
    assert (p2.first_response, p2.resolution, p2.norm_percent) == (timedelta(hours=1), timedelta(hours=8), 95.0)
    assert sib.containment == {"P1": timedelta(hours=4), "P2": timedelta(hours=24)}
    assert (sib.major_incident_cadence.first, sib.major_incident_cadence.then) == (
        timedelta(minutes=30), timedelta(minutes=60))
    assert sib.pause_stops == frozenset({"containment"})  # O1: only containment "excl. wachten op derde"
    assert (p1.norm("first_response"), p1.norm("resolution"), p1.norm("definitive_resolution")) == (95, 100, 100)
    assert sib.rca_within == timedelta(hours=100)  # 10 werkdagen
    assert (sib.norms["csat_share_7_or_more"], sib.norms["first_time_fix"], sib.norms["single_owner"]) == (75, 70, 95)


def test_tz_name_overrides_the_policy_time_zone():
    assert load_policy("halt", tz_name="Europe/Brussels").tz.key == "Europe/Brussels"


@pytest.mark.parametrize(
    "old, new, message",
    [
        ('first_response = "1h"', 'first_response = "soon"',
         "halt-custom.toml: priorities.P2.first_response: expected a duration like '1h' or '15m', got 'soon'"),
        ('"Koningsdag",', '"Koninginnedag",',
         "halt-custom.toml: holidays.observe: the holidays package (language nl) knows no holiday 'Koninginnedag' for NL"),
        ('clock = "24/7"', 'clock = "always"',
         "halt-custom.toml: priorities.P1.clock: expected \"24/7\" or \"working_hours\", got 'always'"),
        ('monday = ["08:00-18:00"]', 'monday = ["18:00-08:00"]',
         "halt-custom.toml: service_window.monday: window '18:00-08:00' must open before it closes, within the day"),
        ("norm_percent = 98", "norm_percent = 198",
         "halt-custom.toml: priorities.P1.norm_percent: expected a number from 0 to 100, got 198"),
        ('stops = []', 'stops = ["update"]',
         "halt-custom.toml: pause.stops: cannot pause 'update'; use first_response, resolution, definitive_resolution, containment, onsite, device_fallback"),
        ('timezone = "Europe/Amsterdam"', 'timezone = "Mars/Olympus"',
         "halt-custom.toml: timezone: unknown time zone 'Mars/Olympus'"),
        ('resolution = "4h"', 'resolution = "4 werkdagen"',
         "halt-custom.toml: priorities.P1.resolution: working days need clock = \"working_hours\", got '4 werkdagen'"),
        ('extra_closed = []', 'extra_closed = ["24 december"]',
         "halt-custom.toml: holidays.extra_closed: expected dates like 2026-12-24, got '24 december'"),
    ],
)
def test_broken_policy_names_file_key_and_problem(tmp_path, old, new, message):
    assert old in HALT_TEXT
    path = tmp_path / "halt-custom.toml"
    path.write_text(HALT_TEXT.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(str(path))
    assert str(caught.value) == message


def test_missing_priority_is_named(tmp_path):
    path = tmp_path / "halt-custom.toml"
    path.write_text(HALT_TEXT.replace("[priorities.P4]", "[priorities.P9]"), encoding="utf-8")
    with pytest.raises(PolicyError, match=r"halt-custom.toml: priorities.P4: missing"):
        load_policy(str(path))


def test_invalid_toml_is_named(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("name = ", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"^broken.toml: not valid TOML"):
        load_policy(str(path))


def test_unknown_policy_name():
    with pytest.raises(PolicyError, match="unknown policy"):
        load_policy("acme")


def test_extra_closed_date_closes_the_day(tmp_path):
    path = tmp_path / "halt-xmas.toml"
    path.write_text(HALT_TEXT.replace("extra_closed = []", 'extra_closed = ["2026-12-24"]'), encoding="utf-8")
    policy = load_policy(str(path))
    assert not policy.working_calendar.is_working_day(date(2026, 12, 24))


# --- versions (annex §2.2: a change takes effect at a quarter boundary) -------------------------


def _versioned(tmp_path, *, earlier_from="2026-01-01", now_from="2026-04-01", p2_then=90):
    """halt as it is now, from ``now_from``, and before that a version whose P2 norm was lower."""
    text = HALT_TEXT.replace("effective_from = 2026-01-01", f"effective_from = {now_from}", 1)
    # Every table of the body again, under [[earlier]].
    earlier = re.sub(r"^\[", "[earlier.", HALT_TEXT[HALT_TEXT.index("[service_window]"):], flags=re.MULTILINE)
    earlier = earlier.replace("norm_percent = 95\n", f"norm_percent = {p2_then}\n", 1)
    path = tmp_path / "halt-versions.toml"
    path.write_text(f"{text}\n[[earlier]]\neffective_from = {earlier_from}\n{earlier}", encoding="utf-8")
    return path


def test_each_moment_is_held_to_the_version_in_force_then(tmp_path):
    from tests.sla.conftest import at

    policy = load_policy(str(_versioned(tmp_path)))
    assert policy.effective_from == date(2026, 4, 1)
    assert policy.in_force(at("2026-03-31 23:59")).priorities["P2"].norm_percent == 90
    assert policy.in_force(at("2026-04-01 00:00")).priorities["P2"].norm_percent == 95
    assert policy.in_force(at("2025-06-01 00:00")).effective_from == date(2026, 1, 1)  # the first covers before it
    assert policy.in_force(at("2026-03-31 23:59")).digest != policy.digest


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(now_from="2026-05-01"), "halt-versions.toml: effective_from: a version takes effect at a quarter boundary"),
        (dict(earlier_from="2026-07-01"), "halt-versions.toml: effective_from: versions must follow each other in time"),
    ],
)
def test_a_version_off_a_quarter_or_out_of_order_is_refused(tmp_path, kwargs, message):
    with pytest.raises(PolicyError, match=message.replace("(", r"\(")):
        load_policy(str(_versioned(tmp_path, **kwargs)))


def test_a_months_figures_use_the_norms_of_the_version_in_force_that_month(tmp_path):
    from sla.kpi import compute_kpis
    from tests.sla.conftest import at

    policy = load_policy(str(_versioned(tmp_path)))
    march = compute_kpis(policy, [], start=at("2026-03-01 00:00"), end=at("2026-04-01 00:00"), now=at("2026-05-01 00:00"))
    april = compute_kpis(policy, [], start=at("2026-04-01 00:00"), end=at("2026-05-01 00:00"), now=at("2026-05-01 00:00"))
    assert march.priority("P2").first_response.norm == 90 and march.policy_version == "2026-01-01"
    assert april.priority("P2").first_response.norm == 95 and april.policy_version == "2026-04-01"
