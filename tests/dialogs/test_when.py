"""Deadlines in Dutch as people say them."""

from __future__ import annotations

from datetime import timezone

import pytest

from dialogs.when import say_when
from tests.sla.conftest import AMS, at

NOW = at("2026-04-27 09:00")  # a Monday (Koningsdag, but words do not care)


@pytest.mark.parametrize(
    "due, text",
    [
        ("2026-04-27 10:17", "vandaag om 10:17"),
        ("2026-04-27 23:59", "vandaag om 23:59"),
        ("2026-04-28 08:30", "morgen om 08:30"),
        ("2026-04-26 17:00", "gisteren om 17:00"),
        ("2026-04-29 08:30", "woensdag 29 april om 08:30"),
        ("2026-05-05 14:15", "dinsdag 5 mei om 14:15"),
        ("2027-01-04 09:00", "maandag 4 januari 2027 om 09:00"),
    ],
)
def test_deadline_phrases(due, text):
    assert say_when(at(due), now=NOW, tz=AMS) == text


def test_phrase_uses_the_policy_time_zone_not_the_instants():
    due_utc = at("2026-04-28 08:30").astimezone(timezone.utc)  # 06:30Z
    assert say_when(due_utc, now=NOW.astimezone(timezone.utc), tz=AMS) == "morgen om 08:30"


def test_today_is_judged_in_the_policy_time_zone():
    # 23:30 local on the 27th is already the 28th in UTC; still "vandaag" for the reader.
    assert say_when(at("2026-04-27 23:30"), now=at("2026-04-27 22:00"), tz=AMS) == "vandaag om 23:30"


def test_year_shown_when_now_is_in_another_year():
    assert say_when(at("2027-01-05 08:30"), now=at("2026-12-30 12:00"), tz=AMS) == (
        "dinsdag 5 januari 2027 om 08:30"
    )


@pytest.mark.parametrize("naive", ["instant", "now"])
def test_a_naive_datetime_is_refused_rather_than_read_in_some_time_zone(naive):
    # Without a zone "08:30" could be UTC or Amsterdam, two hours apart in summer: no guessing.
    due, now = at("2026-04-28 08:30"), NOW
    if naive == "instant":
        due = due.replace(tzinfo=None)
    else:
        now = now.replace(tzinfo=None)
    with pytest.raises(ValueError, match="timezone-aware"):
        say_when(due, now=now, tz=AMS)
