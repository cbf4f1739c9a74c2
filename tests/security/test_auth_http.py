"""Inbound authentication through HTTP on the real app (``create_app`` with app credentials).

Every kind of bad request gets 401 (403 for a tenant outside the allow-list; 400 for a body that is
no JSON object, whatever the token) with no turn run, no row changed in any table and no outbound
call; a valid token gets 200 and a reply.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any, Callable

import pytest

import app as app_module
from tests.auth.tokens import APP_ID, SigningKey, hs256_token, tampered, unsigned_token
from tests.security.conftest import AuthHarness, auth_settings, count_turns, row_counts
from tests.support import activities as acts
from tests.support.harness import start_harness, stop_harness

# Each case: (name, expected status, build(harness) -> (activity, Authorization header or None)).
Case = tuple[str, int, Callable[[AuthHarness], tuple[dict[str, Any], str | None]]]


def _msg(h: AuthHarness, **changes: Any) -> dict[str, Any]:
    activity = acts.personal_message(h.bot.service_url, "mijn laptop start niet op, help")
    activity.update(changes)
    return activity


def _bearer(token: str) -> str:
    return "Bearer " + token


CASES: list[Case] = [
    ("no Authorization header", 401, lambda h: (_msg(h), None)),
    ("empty Authorization header", 401, lambda h: (_msg(h), "")),
    ("Basic instead of Bearer", 401, lambda h: (_msg(h), "Basic dXNlcjpwYXNz")),
    ("Bearer without a token", 401, lambda h: (_msg(h), "Bearer ")),
    ("garbage token", 401, lambda h: (_msg(h), "Bearer not.a.jwt")),
    # (aiohttp itself answers 400 for any header line over 8190 bytes, before the app sees it)
    ("long garbage token", 401, lambda h: (_msg(h), "Bearer " + "a" * 8000)),
    ("expired", 401, lambda h: (_msg(h), h.authorization(exp_in=timedelta(minutes=-10)))),
    (
        "not yet valid",
        401,
        lambda h: (_msg(h), h.authorization(nbf_in=timedelta(minutes=10), exp_in=timedelta(hours=2))),
    ),
    ("wrong audience", 401, lambda h: (_msg(h), h.authorization(aud="another-bot-app-id"))),
    ("audience as a list", 401, lambda h: (_msg(h), h.authorization(aud=[APP_ID, "x"]))),
    ("wrong issuer", 401, lambda h: (_msg(h), h.authorization(iss="https://evil.example"))),
    ("missing exp", 401, lambda h: (_msg(h), h.authorization(omit=("exp",)))),
    (
        "unknown signing key",
        401,
        lambda h: (_msg(h), _bearer(h.kit.token(key=SigningKey.generate("rogue-key"), serviceurl=h.bot.service_url))),
    ),
    (
        "alg=none",
        401,
        lambda h: (_msg(h), _bearer(unsigned_token(h.kit.claims(serviceurl=h.bot.service_url), kid="key-1"))),
    ),
    (
        "HS256 with the public key as secret",
        401,
        lambda h: (
            _msg(h),
            _bearer(hs256_token(h.kit.claims(serviceurl=h.bot.service_url), h.kit.key.public_pem(), kid="key-1")),
        ),
    ),
    (
        "tampered payload",
        401,
        lambda h: (_msg(h), _bearer(tampered(h.kit.token(serviceurl=h.bot.service_url), aud=APP_ID, extra="x"))),
    ),
    ("no serviceurl claim", 401, lambda h: (_msg(h), h.authorization(omit=("serviceurl",)))),
    (
        "token serviceurl differs from the activity's",
        401,
        lambda h: (_msg(h), h.authorization(serviceurl="https://smba.trafficmanager.net/emea/")),
    ),
    (
        "serviceUrl not an allowed Teams host (token and activity agree)",
        401,
        lambda h: (
            _msg(h, serviceUrl="https://smba.trafficmanager.net.evil.example/"),
            h.authorization(serviceurl="https://smba.trafficmanager.net.evil.example/"),
        ),
    ),
    ("wrong channel", 401, lambda h: (_msg(h, channelId="slack"), h.authorization())),
    # A body that is no JSON object says nothing about its sender: 400, with or without a token.
    ("not a JSON object, no token", 400, lambda h: ("[1, 2, 3]", None)),  # type: ignore[return-value]
    ("not a JSON object, valid token", 400, lambda h: ("[1, 2, 3]", h.authorization())),  # type: ignore[return-value]
    ("invalid JSON, valid token", 400, lambda h: ('{"type": "message",', h.authorization())),  # type: ignore[return-value]
    ("wrong tenant", 403, lambda h: (_msg(h, channelData={"tenant": {"id": "99999999-0000-0000-0000-000000000000"}}), h.authorization())),
    ("no tenant", 403, lambda h: (_msg(h, channelData={}), h.authorization())),
]


async def _post_raw(h: AuthHarness, activity: Any, authorization: str | None):
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    import json

    data = activity if isinstance(activity, str) else json.dumps(activity)
    response = await h.bot.client.post("/api/messages", data=data, headers=headers)
    await response.read()
    await h.bot.settle()
    return response.status


async def test_every_kind_of_bad_request_is_refused_without_effects(auth_harness: AuthHarness):
    h = auth_harness
    # Some state first, so "nothing changed" is measured against a real database.
    assert await h.say("hallo") == 200
    assert h.turns == ["message"]
    h.turns.clear()
    h.bot.connector.clear()
    before = await row_counts(h.bot)
    outcomes = {}
    for name, expected, build in CASES:
        activity, authorization = build(h)
        outcomes[name] = (await _post_raw(h, activity, authorization), expected)
    wrong = {name: got for name, (got, expected) in outcomes.items() if got != expected}
    assert not wrong, f"unexpected statuses: {wrong}"
    assert len(CASES) >= 16
    assert h.turns == []
    assert h.bot.connector.calls == []
    assert await row_counts(h.bot) == before
    # The valid token still works afterwards.
    assert await h.say("hallo") == 200
    assert h.turns == ["message"]
    assert len(h.bot.connector.calls) == 1


async def test_a_key_not_endorsed_for_teams_is_refused(auth_harness: AuthHarness):
    h = auth_harness
    skype_only = SigningKey.generate("key-skype", endorsements=("skype",))
    h.kit.server.add_key(skype_only)
    await h.bot.app[app_module.AUTHENTICATOR].keys.refresh()
    token = h.kit.token(key=skype_only, serviceurl=h.bot.service_url)
    before = await row_counts(h.bot)
    assert await _post_raw(h, _msg(h), _bearer(token)) == 401
    assert h.turns == [] and h.bot.connector.calls == [] and await row_counts(h.bot) == before


async def test_a_valid_token_gets_200_and_a_reply(auth_harness: AuthHarness):
    h = auth_harness
    assert await h.say("hallo") == 200
    assert h.turns == ["message"]
    assert h.bot.replies_to_employee(), "the bot answered through the (stub) connector"


async def test_repeated_failures_raise_one_alert_per_window(auth_harness: AuthHarness, caplog):
    h = auth_harness
    caplog.set_level("INFO", logger="bot.auth.alerts")
    for _ in range(30):
        assert await _post_raw(h, _msg(h), h.authorization(aud="someone-else")) == 401
    alerts = [r for r in caplog.records if "auth_failure_alert" in r.getMessage()]
    assert len(alerts) == 1
    assert "401:wrong_audience" in alerts[0].getMessage()


async def test_readyz_waits_for_the_signing_keys(sqlite_database_url, token_kit, offline_outbound_token):
    token_kit.server.fail_status = 503
    bot = await start_harness(auth_settings(sqlite_database_url, token_kit), clock=token_kit.clock)
    try:
        response = await bot.client.get("/readyz")
        body = await response.json()
        assert response.status == 503 and body["signing_keys"] == "not loaded"
        # Without keys every request is refused at once (401), never a 500, never a wait.
        activity = acts.personal_message(bot.service_url, "hallo")
        status, _ = await bot.post(activity, headers={"Authorization": token_kit.authorization(serviceurl=bot.service_url)})
        assert status == 401
        token_kit.server.fail_status = None
        await bot.app[app_module.AUTHENTICATOR].keys.refresh()
        response = await bot.client.get("/readyz")
        body = await response.json()
        assert response.status == 200 and body["signing_keys"] == "loaded" and body["mode"] == "production"
    finally:
        await stop_harness(bot)


async def test_a_slow_key_endpoint_never_blocks_other_requests(sqlite_database_url, token_kit, offline_outbound_token):
    bot = await start_harness(
        auth_settings(sqlite_database_url, token_kit, auth_key_fetch_timeout=0.5), clock=token_kit.clock
    )
    turns = count_turns(bot)
    try:
        token_kit.server.hang()  # from now on the key endpoint holds every request
        unknown = _bearer(token_kit.token(key=SigningKey.generate("rotated-key"), serviceurl=bot.service_url))
        valid = token_kit.authorization(serviceurl=bot.service_url)
        slow = asyncio.create_task(
            bot.client.post("/api/messages", json=acts.personal_message(bot.service_url, "x y"), headers={"Authorization": unknown})
        )
        await token_kit.server.held()  # the unknown kid's key refresh is now hanging
        # Both answered while the endpoint still holds the refresh: neither waited for it.
        health = await bot.client.get("/healthz")
        ok = await bot.client.post("/api/messages", json=acts.personal_message(bot.service_url, "hallo"), headers={"Authorization": valid})
        assert health.status == 200
        assert ok.status == 200
        refused = await slow  # the endpoint never answers: only the key fetch timeout ends it
        assert refused.status == 401
        assert turns == ["message"]
    finally:
        token_kit.server.answer()
        await stop_harness(bot)


@pytest.mark.parametrize("service_url", ["https://evil.example/", "http://127.0.0.1:9/", "https://smba.trafficmanager.net.evil.example/"])
async def test_outbound_calls_only_go_to_allowed_teams_hosts(sqlite_database_url, service_url):
    """Production wiring (no loopback allowance): a serviceUrl that is not an allowed https Teams
    host never causes an outbound call, whether it comes in with an activity (dev mode: 400
    before any turn) or is asked of the connector directly (e.g. from a tampered stored
    reference)."""
    from bot.connector import Connector, ServiceUrlRefused
    from bot.service_urls import TEAMS_SERVICE_HOSTS, service_url_allowed

    bot = await start_harness(auth_settings(sqlite_database_url, _NoKit(), app_id="", app_password=""))
    turns = count_turns(bot)
    try:
        if not service_url.startswith("http://127.0.0.1"):
            status, _ = await bot.post(acts.personal_message(service_url, "mijn laptop start niet op"))
            assert status == 400 and turns == []
        import aiohttp

        async with aiohttp.ClientSession() as session:
            connector = Connector(
                session=session,
                token_source=_no_token,
                service_url_allowed=lambda url: service_url_allowed(url, TEAMS_SERVICE_HOSTS, allow_loopback=False),
            )
            stub_url = service_url if not service_url.startswith("http://127.0.0.1") else bot.service_url
            with pytest.raises(ServiceUrlRefused):
                await connector.send(stub_url, "a:conversation", {"type": "message", "text": "x"})
        assert bot.connector.calls == []
    finally:
        await stop_harness(bot)


async def _no_token() -> None:
    return None


class _NoKit:
    class server:  # noqa: N801 - mimics TokenKit.server for auth_settings
        metadata_url = "https://login.botframework.com/v1/.well-known/openidconfiguration"


async def test_bodies_over_the_limit_get_413_without_effects(sqlite_auth_harness: AuthHarness):
    h = sqlite_auth_harness
    limit = h.bot.app[app_module.SETTINGS].max_body_bytes
    before = await row_counts(h.bot)
    big = acts.personal_message(h.bot.service_url, "x" * (limit + 10))
    status, _ = await h.post(big)
    assert status == 413

    async def chunks():  # no Content-Length: the limit holds while reading
        yield b'{"type": "message", "text": "'
        for _ in range(limit // 4096 + 2):
            yield b"y" * 4096
        yield b'"}'

    response = await h.bot.client.post(
        "/api/messages", data=chunks(), headers={"Authorization": h.authorization(), "Content-Type": "application/json"}
    )
    assert response.status == 413
    assert h.turns == [] and h.bot.connector.calls == [] and await row_counts(h.bot) == before
