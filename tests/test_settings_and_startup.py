"""Operators get one clear line for a setting the bot cannot run with, and the bot does not start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_are_local_development_on_sqlite_with_the_halt_policy():
    settings = Settings.from_env({}, dotenv=None)
    assert settings.dev_mode and settings.port == 3978 and settings.sla_policy == "halt"
    assert settings.database_url.startswith("sqlite+aiosqlite:///") and settings.database_url.endswith("servicedesk.sqlite3")
    assert (settings.weekly_summary_day, settings.weekly_summary_time) == ("mon", "08:30")


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"WEEKLY_SUMMARY_TIME": "02:30"}, "WEEKLY_SUMMARY_TIME"),  # the hour DST skips or repeats
        ({"WEEKLY_SUMMARY_TIME": "half negen"}, "WEEKLY_SUMMARY_TIME"),
        ({"WEEKLY_SUMMARY_DAY": "maandag"}, "WEEKLY_SUMMARY_DAY"),
        ({"MICROSOFT_APP_ID": "0b0b0b0b-0000-0000-0000-000000000001"}, "MICROSOFT_APP_PASSWORD"),
        ({"MICROSOFT_APP_TYPE": "Anything"}, "MICROSOFT_APP_TYPE"),
        ({"PORT": "http"}, "PORT"),
    ],
)
def test_a_bad_setting_is_refused_with_its_name(env, names):
    with pytest.raises(SettingsError, match=names):
        Settings.from_env(env, dotenv=None)


def test_admins_and_agents_are_matched_case_insensitively_and_admins_are_agents():
    settings = Settings.from_env(
        {"SERVICEDESK_ADMINS": "AAAA-1", "SERVICEDESK_AGENTS": " bbbb-2 , cccc-3"}, dotenv=None
    )
    assert settings.is_admin("aaaa-1") and settings.is_agent("AAAA-1")
    assert settings.is_agent("CCCC-3") and not settings.is_admin("cccc-3")
    assert not settings.is_agent(None) and not settings.is_agent("")


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "app.py"), *args],
        env={**os.environ, **env}, cwd=cwd, capture_output=True, text=True, timeout=60,
    )


def test_a_broken_policy_file_stops_the_start_with_file_key_and_problem(tmp_path):
    policy = tmp_path / "eigen-beleid.toml"
    policy.write_text((ROOT / "sla/policies/halt.toml").read_text().replace('first_response = "1h"', 'first_response = "snel"'))
    result = _run([], {"SLA_POLICY": str(policy), "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}, tmp_path)
    assert result.returncode == 2
    assert "eigen-beleid.toml" in result.stderr and "first_response" in result.stderr and "snel" in result.stderr


def test_the_bot_refuses_to_serve_an_unmigrated_database_and_names_the_fix(tmp_path):
    result = _run([], {"DATABASE_URL": f"sqlite:///{tmp_path}/new.sqlite3", "PORT": "0"}, tmp_path)
    assert result.returncode == 2
    assert "python app.py db upgrade" in result.stderr
