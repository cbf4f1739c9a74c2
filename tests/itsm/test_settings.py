"""The ticket-system settings: nothing connected by default, and a clear line for what is wrong."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError
from tests.itsm.desk import start_itsm_desk, stop_itsm_desk
from tests.support.harness import harness_settings, start_harness, stop_harness

TOPDESK = {"ITSM_BACKEND": "topdesk", "TOPDESK_URL": "https://halt.topdesk.net/", "TOPDESK_USER": "bot", "TOPDESK_APP_PASSWORD": "pw"}


def settings(**env: str) -> Settings:
    return Settings.from_env(env)


def test_no_ticket_system_unless_one_is_named():
    assert settings().itsm_backend == "none"
    chosen = settings(**TOPDESK, ITSM_POLL_SECONDS="30")
    assert (chosen.itsm_backend, chosen.itsm_account, chosen.itsm_poll_seconds) == ("topdesk", ("https://halt.topdesk.net", "bot", "pw"), 30)
    assert (chosen.itsm_alert_minutes, chosen.itsm_mapping_file) == (15, "itsm_mapping.toml")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ITSM_BACKEND": "jira"}, "ITSM_BACKEND must be one of 'none', 'topdesk' or 'servicenow', got 'jira'"),
        ({**TOPDESK, "TOPDESK_APP_PASSWORD": ""}, "TOPDESK_APP_PASSWORD must be set when ITSM_BACKEND=topdesk"),
        ({**TOPDESK, "TOPDESK_URL": "http://halt.topdesk.net"}, "TOPDESK_URL must be an https URL"),
        ({**TOPDESK, "ITSM_POLL_SECONDS": "5"}, "ITSM_POLL_SECONDS must be at least 10, got '5'"),
        ({**TOPDESK, "ITSM_POLL_SECONDS": "een minuut"}, "ITSM_POLL_SECONDS must be a whole number"),
        ({**TOPDESK, "ITSM_ALERT_MINUTES": "0"}, "ITSM_ALERT_MINUTES must be at least 1, got '0'"),
    ],
)
def test_a_setting_the_bot_cannot_use_is_named(env, message):
    with pytest.raises(SettingsError) as raised:
        settings(**env)
    assert message in str(raised.value)


async def test_readyz_says_whether_a_ticket_system_is_connected(database_url):
    harness = await start_harness(harness_settings(database_url))
    try:
        body = await (await harness.client.get("/readyz")).json()
        assert body["itsm"] == "none (ITSM_BACKEND=none)"
    finally:
        await stop_harness(harness)
    desk = await start_itsm_desk(database_url)
    try:
        assert (await desk.readyz())["itsm"] == "topdesk: not contacted yet"
        await desk.poll()
        assert (await desk.readyz())["itsm"] == "topdesk: ok"
    finally:
        await stop_itsm_desk(desk)
