"""Settings: every variable README documents is read and honoured, and a bad value stops the start.

README's configuration table is the operator's contract; these tests hold the code to it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "0b0b0b0b-0000-0000-0000-000000000001"


def documented_variables() -> set[str]:
    """The variables in the first column of README's configuration table."""
    section = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


# Each documented variable, a value other than its default, and what the bot then uses.
HONOURED = {
    "PORT": ("8080", "port", 8080),
    "HOST": ("127.0.0.1", "host", "127.0.0.1"),
    "DATABASE_URL": ("postgresql://bot@db/servicedesk", "database_url", "postgresql://bot@db/servicedesk"),
    "MICROSOFT_APP_ID": (APP_ID, "app_id", APP_ID),
    "MICROSOFT_APP_PASSWORD": ("geheim", "app_password", "geheim"),
    "MICROSOFT_APP_TENANT_ID": ("TENANT-1", "allowed_tenants", frozenset({"tenant-1"})),
    "MICROSOFT_APP_TYPE": ("MultiTenant", "app_type", "MultiTenant"),
    "ALLOWED_TENANTS": ("T1, t2", "allowed_tenants", frozenset({"t1", "t2"})),
    "ALLOWED_SERVICE_HOSTS": ("a.example.net, b.example.net", "allowed_service_hosts", ("a.example.net", "b.example.net")),
    "SLA_POLICY": ("sib", "sla_policy", "sib"),
    "TZ_NAME": ("Europe/London", "tz_name", "Europe/London"),
    "SERVICEDESK_ADMINS": ("AA-1,aa-2", "admins", frozenset({"aa-1", "aa-2"})),
    "SERVICEDESK_AGENTS": ("bb-1", "agents", frozenset({"bb-1"})),
    "REGIE_MEMBERS": ("cc-1", "regie", frozenset({"cc-1"})),
    "PIKET_CONTACT": ("Piketdienst ICT, 088 123 4567", "piket_contact", "Piketdienst ICT, 088 123 4567"),
    "PIKET_USER_ID": ("DD-1", "piket_user_id", "dd-1"),
    "SECOND_LINE_AGENTS": ("EE-1, ee-2", "second_line_agents", frozenset({"ee-1", "ee-2"})),
    "THIRD_LINE_AGENTS": ("ff-1", "third_line_agents", frozenset({"ff-1"})),
    "PRIVACY_OFFICERS": ("GG-1", "privacy_officers", frozenset({"gg-1"})),
    "WEEKLY_SUMMARY_DAY": ("friday", "weekly_summary_day", "fri"),
    "WEEKLY_SUMMARY_TIME": ("9:05", "weekly_summary_time", "09:05"),
    "RETENTION_DAYS": ("30", "retention_days", 30),
    "MAX_BODY_BYTES": ("65536", "max_body_bytes", 65536),
    "DEDUP_KEEP_HOURS": ("12", "dedup_keep_hours", 12),
    "OUTBOX_GIVE_UP_HOURS": ("48", "outbox_give_up_hours", 48),
    "REACH_PER_SECOND": ("20", "reach_per_second", 20),
    "MAX_NOTICES_PER_WEEK": ("5", "max_notices_per_week", 5),
    "SURVEY_MONTHS": ("11, 4", "survey_months", (4, 11)),
    "SURVEY_REMINDER_DAYS": ("3", "survey_reminder_days", 3),
    "SURVEY_OPEN_DAYS": ("21", "survey_open_days", 21),
    "LOG_FORMAT": ("TEXT", "log_format", "text"),
    "LOG_LEVEL": ("debug", "log_level", "DEBUG"),
    "OPENID_METADATA_URL": ("https://login.example.net/meta", "openid_metadata_url", "https://login.example.net/meta"),
    "AUTH_KEY_FETCH_TIMEOUT": ("2.5", "auth_key_fetch_timeout", 2.5),
    "SCHEDULER_ENABLED": ("off", "scheduler_enabled", False),
    "ITSM_BACKEND": ("TOPdesk", "itsm_backend", "topdesk"),
    "TOPDESK_URL": ("https://halt.topdesk.net/", "topdesk_url", "https://halt.topdesk.net"),
    "TOPDESK_USER": ("servicedesk-bot", "topdesk_user", "servicedesk-bot"),
    "TOPDESK_APP_PASSWORD": ("app-wachtwoord", "topdesk_app_password", "app-wachtwoord"),
    "SERVICENOW_URL": ("https://halt.service-now.com", "servicenow_url", "https://halt.service-now.com"),
    "SERVICENOW_USER": ("servicedesk-bot", "servicenow_user", "servicedesk-bot"),
    "SERVICENOW_PASSWORD": ("wachtwoord", "servicenow_password", "wachtwoord"),
    "ITSM_MAPPING_FILE": ("/etc/servicedesk/mapping.toml", "itsm_mapping_file", "/etc/servicedesk/mapping.toml"),
    "ITSM_POLL_SECONDS": ("30", "itsm_poll_seconds", 30),
    "ITSM_ALERT_MINUTES": ("5", "itsm_alert_minutes", 5),
    "ITSM_TIMEOUT_SECONDS": ("7.5", "itsm_timeout_seconds", 7.5),
    "METRICS_TOKEN": ("s3cret", "metrics_token", "s3cret"),
    "PUBLIC_BASE_URL": ("https://bot.example.nl/", "public_base_url", "https://bot.example.nl"),
    "REPORT_LINK_SECRET": ("k" * 32, "report_link_secret", "k" * 32),
    "REPORT_LINK_DAYS": ("14", "report_link_days", 14),
    "METRICS_PORT": ("9464", "metrics_port", 9464),
    "METRICS_HOST": ("0.0.0.0", "metrics_host", "0.0.0.0"),
    "OTEL_EXPORTER_OTLP_ENDPOINT": ("http://127.0.0.1:4318", "otel_endpoint", "http://127.0.0.1:4318"),
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": ("http://127.0.0.1:4318/v1/traces", "otel_endpoint", "http://127.0.0.1:4318/v1/traces"),
}


def test_readme_documents_exactly_the_variables_the_bot_reads():
    assert documented_variables() == set(Settings.environment_names())
    assert set(HONOURED) == documented_variables()


# Settings that are only accepted together with others.
COMPANIONS = {
    "MICROSOFT_APP_ID": {"MICROSOFT_APP_PASSWORD": "geheim"},
    "PUBLIC_BASE_URL": {"REPORT_LINK_SECRET": "k" * 32},
    "REPORT_LINK_SECRET": {"PUBLIC_BASE_URL": "https://bot.example.nl"},
    "ITSM_BACKEND": {"TOPDESK_URL": "https://halt.topdesk.net", "TOPDESK_USER": "bot", "TOPDESK_APP_PASSWORD": "pw"},
}


@pytest.mark.parametrize("name", sorted(HONOURED))
def test_every_documented_variable_is_honoured(name):
    value, attribute, expected = HONOURED[name]
    env = {name: value, **COMPANIONS.get(name, {})}
    default = getattr(Settings.from_env({}), attribute)
    assert default != expected, "pick a value other than the default"
    assert getattr(Settings.from_env(env), attribute) == expected


def test_defaults_are_local_development_on_sqlite_with_the_halt_policy():
    settings = Settings.from_env({})
    assert settings.dev_mode and settings.port == 3978 and settings.sla_policy == "halt" and settings.scheduler_enabled
    assert settings.database_url.startswith("sqlite+aiosqlite:///") and settings.database_url.endswith("servicedesk.sqlite3")
    assert (settings.weekly_summary_day, settings.weekly_summary_time) == ("mon", "08:30")
    assert not settings.metrics_token and settings.metrics_port is None and not settings.otel_endpoint


@pytest.mark.parametrize(("spelling", "enabled"), [
    ("0", False), ("off", False), ("False", False), ("no", False), ("NO", False),
    ("1", True), ("on", True), ("true", True), ("yes", True),
])
def test_booleans_accept_the_usual_spellings(spelling, enabled):
    assert Settings.from_env({"SCHEDULER_ENABLED": spelling}).scheduler_enabled is enabled


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"WEEKLY_SUMMARY_TIME": "02:30"}, "WEEKLY_SUMMARY_TIME"),  # the hour DST skips or repeats
        ({"WEEKLY_SUMMARY_TIME": "half negen"}, "WEEKLY_SUMMARY_TIME"),
        ({"WEEKLY_SUMMARY_TIME": "-1:30"}, "WEEKLY_SUMMARY_TIME"),
        ({"WEEKLY_SUMMARY_DAY": "maandag"}, "WEEKLY_SUMMARY_DAY"),
        ({"MICROSOFT_APP_ID": APP_ID}, "MICROSOFT_APP_PASSWORD"),
        ({"MICROSOFT_APP_TYPE": "Anything"}, "MICROSOFT_APP_TYPE"),
        ({"PORT": "http"}, "PORT"),
        ({"PORT": "-3978"}, "PORT"),
        ({"PORT": "0"}, "PORT"),
        ({"METRICS_PORT": "99999"}, "METRICS_PORT"),
        ({"DEDUP_KEEP_HOURS": "-1"}, "DEDUP_KEEP_HOURS"),
        ({"RETENTION_DAYS": "0"}, "RETENTION_DAYS"),
        ({"OUTBOX_GIVE_UP_HOURS": "0"}, "OUTBOX_GIVE_UP_HOURS"),
        ({"MAX_BODY_BYTES": "12"}, "MAX_BODY_BYTES"),
        ({"AUTH_KEY_FETCH_TIMEOUT": "0"}, "AUTH_KEY_FETCH_TIMEOUT"),
        ({"SCHEDULER_ENABLED": "soms"}, "SCHEDULER_ENABLED"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"OPENID_METADATA_URL": "http://login.example.net/meta"}, "OPENID_METADATA_URL"),
        ({"TZ_NAME": "Amsterdam"}, "TZ_NAME"),
        ({"SECOND_LINE_AGENTS": "dd-4", "THIRD_LINE_AGENTS": "DD-4"}, "SECOND_LINE_AGENTS and THIRD_LINE_AGENTS"),
    ],
)
def test_a_bad_setting_is_refused_in_one_line_with_its_name(env, name):
    with pytest.raises(SettingsError, match=name) as refused:
        Settings.from_env(env)
    assert "\n" not in str(refused.value)


def test_agents_of_the_second_and_third_line_are_agents_of_their_line():
    settings = Settings.from_env({"SERVICEDESK_AGENTS": "aa-1", "SECOND_LINE_AGENTS": "BB-2", "THIRD_LINE_AGENTS": "cc-3"})
    assert [settings.lines.line_of(agent) for agent in ("aa-1", "bb-2", "CC-3")] == ["1", "2", "3"]
    assert settings.is_agent("bb-2") and settings.is_agent("cc-3") and not settings.is_agent("dd-4")
    assert settings.lines.queues == ("1", "2", "3")
    assert Settings.from_env({"SECOND_LINE_AGENTS": "bb-2"}).lines.queues == ("1", "2")


def _servicedesk(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in Settings.environment_names()}
    return subprocess.run(
        [sys.executable, str(ROOT / "app.py"), *args],
        env={**clean, **env}, cwd=cwd, capture_output=True, text=True, timeout=120,
    )


DEADLINES = ["sla", "deadlines", "--priority", "P1", "--opened", "2026-04-28T17:30+02:00"]


def test_sla_deadlines_uses_the_policy_and_time_zone_of_the_running_bot_from_dotenv(tmp_path):
    plain = json.loads(_servicedesk(DEADLINES, {}, tmp_path).stdout)
    assert plain["definitive_resolution_due"] is None and plain["first_response_due"].endswith("+02:00")
    (tmp_path / ".env").write_text("SLA_POLICY=sib\nTZ_NAME=Europe/London\n")
    from_dotenv = json.loads(_servicedesk(DEADLINES, {}, tmp_path).stdout)
    assert from_dotenv["definitive_resolution_due"] is not None  # sib: definitive resolution in 48 h
    assert from_dotenv["first_response_due"] == "2026-04-28T16:45:00+01:00"  # the same instant, in London


def test_the_environment_wins_over_dotenv(tmp_path):
    (tmp_path / ".env").write_text("SLA_POLICY=sib\n")
    result = json.loads(_servicedesk(DEADLINES, {"SLA_POLICY": "halt"}, tmp_path).stdout)
    assert result["definitive_resolution_due"] is None


def test_a_broken_policy_file_stops_the_start_with_file_key_and_problem(tmp_path):
    policy = tmp_path / "eigen-beleid.toml"
    policy.write_text((ROOT / "sla/policies/halt.toml").read_text().replace('first_response = "1h"', 'first_response = "snel"'))
    result = _servicedesk([], {"SLA_POLICY": str(policy), "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}, tmp_path)
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "\n" not in line and "SLA_POLICY" in line and "eigen-beleid.toml" in line and "first_response" in line and "snel" in line
    assert not (tmp_path / "x.sqlite3").exists()


async def test_an_app_with_the_scheduler_off_runs_no_scheduled_jobs(sqlite_database_url):
    import app as app_module
    from tests.support.harness import start_harness, stop_harness

    settings = Settings.from_env({"DATABASE_URL": sqlite_database_url, "SCHEDULER_ENABLED": "off"})
    harness = await start_harness(settings)
    try:
        assert harness.app[app_module.SCHEDULER] is None
    finally:
        await stop_harness(harness)


def test_secrets_never_show_when_settings_are_printed_or_logged():
    settings = Settings.from_env({"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "wachtwoord-1", "METRICS_TOKEN": "token-2"})
    assert "wachtwoord-1" not in repr(settings) and "token-2" not in repr(settings) and "token-2" not in str(settings)
