"""serviceUrl allow-list: https only, Teams hosts only, nothing ambiguous."""

from __future__ import annotations

import pytest

from bot.auth import tenant_allowed
from bot.service_urls import TEAMS_SERVICE_HOSTS, same_service_url, service_url_allowed
from tests.auth.tokens import OTHER_TENANT_ID, TENANT_ID, teams_activity

ALLOWED = [
    "https://smba.trafficmanager.net/emea/",
    "https://smba.trafficmanager.net/amer",
    "https://SMBA.TrafficManager.net/emea/",
    "https://smba.trafficmanager.net:443/emea/",
    "https://emea.smba.trafficmanager.net/x/",
]
REFUSED = [
    "http://smba.trafficmanager.net/emea/",
    "https://smba.trafficmanager.net.evil.example/",
    "https://evilsmba.trafficmanager.net/",
    "https://trafficmanager.net/",
    "https://smba.trafficmanager.net:8443/emea/",
    "https://user@smba.trafficmanager.net/",
    "https://evil.example\\@smba.trafficmanager.net/",
    "https://evil.example@smba.trafficmanager.net/",
    "https://smba.trafficmanager.net./emea/",
    "https://smba.trafficmanager.net /emea/",
    "https://smba.trafficmanager.net\t/",
    "https://smba.trafficmanager.net\n.evil.example/",
    "https://smbа.trafficmanager.net/",  # Cyrillic a
    "ftp://smba.trafficmanager.net/",
    "//smba.trafficmanager.net/",
    "smba.trafficmanager.net",
    "https://",
    "https://[::1/",
    "https://smba.trafficmanager.net:99999/",
    "",
    None,
    42,
    "https://" + "a" * 3000 + ".smba.trafficmanager.net/",
    "http://127.0.0.1:56150/_connector",
    "http://localhost:56150/_connector",
]


@pytest.mark.parametrize("url", ALLOWED)
def test_teams_hosts_allowed(url):
    assert service_url_allowed(url, TEAMS_SERVICE_HOSTS)


@pytest.mark.parametrize("url", REFUSED)
def test_everything_else_refused(url):
    assert not service_url_allowed(url, TEAMS_SERVICE_HOSTS)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:56150/_connector", "http://localhost:56150/_connector", "http://[::1]:3978/"]
)
def test_loopback_only_with_the_flag(url):
    assert not service_url_allowed(url, TEAMS_SERVICE_HOSTS)
    assert service_url_allowed(url, TEAMS_SERVICE_HOSTS, allow_loopback=True)
    assert service_url_allowed(url, (), allow_loopback=True)


def test_loopback_flag_does_not_open_other_hosts():
    assert not service_url_allowed("http://smba.trafficmanager.net/", TEAMS_SERVICE_HOSTS, allow_loopback=True)
    assert not service_url_allowed("http://127.0.0.1.evil.example/", TEAMS_SERVICE_HOSTS, allow_loopback=True)


def test_same_service_url():
    assert same_service_url("https://smba.trafficmanager.net/emea/", "https://SMBA.trafficmanager.net/emea")
    assert not same_service_url("https://smba.trafficmanager.net/emea/", "https://smba.trafficmanager.net/amer/")
    assert not same_service_url(None, "https://smba.trafficmanager.net/emea/")
    assert not same_service_url("", "")


def test_tenant_allowed_rules():
    ours = teams_activity(tenant_id=TENANT_ID)
    theirs = teams_activity(tenant_id=OTHER_TENANT_ID)
    none = teams_activity(tenant_id=None)
    assert tenant_allowed(ours, {TENANT_ID})
    assert tenant_allowed(ours, {TENANT_ID.upper()})
    assert not tenant_allowed(theirs, {TENANT_ID})
    assert not tenant_allowed(none, {TENANT_ID})
    # empty allow-list: only the app's own tenant when set ...
    assert tenant_allowed(ours, frozenset(), TENANT_ID)
    assert not tenant_allowed(theirs, frozenset(), TENANT_ID)
    # ... else any tenant
    assert tenant_allowed(theirs, frozenset())
    assert tenant_allowed(none, frozenset())
    # the allow-list wins over the app tenant
    assert tenant_allowed(theirs, {OTHER_TENANT_ID}, TENANT_ID)
    for odd in ({"channelData": "x"}, {"channelData": {"tenant": "x"}}, {"channelData": {"tenant": {"id": 5}}}, []):
        assert not tenant_allowed(odd, {TENANT_ID})
