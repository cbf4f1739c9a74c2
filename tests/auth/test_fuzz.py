"""Fuzz: whatever the header and the activity, authenticate() returns Claims or raises AuthError.

Hypothesis drives a synchronous test; the authenticator, its aiohttp session and the loopback key
server live on an event loop in a helper thread for the whole module.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import threading
from datetime import timedelta

import aiohttp
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.auth import AuthError, Claims, InboundAuthenticator
from tests.auth.tokens import T0, KeyServer, SigningKey, TokenKit, claims_for, teams_activity


class _LoopThread:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro, timeout: float = 20.0):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture(scope="module")
def env():
    runner = _LoopThread()
    state: dict = {}

    async def setup():
        server = await KeyServer([SigningKey.generate("key-1")]).start()
        kit = TokenKit(server=server, key=server.keys[0])
        session = aiohttp.ClientSession()
        auth = InboundAuthenticator(kit.settings(key_fetch_timeout=1.0), clock=kit.clock, session=session)
        await auth.start()
        state.update(server=server, kit=kit, session=session, auth=auth)

    async def teardown():
        await state["auth"].close()
        await state["session"].close()
        await state["server"].close()

    runner.run(setup())
    state["runner"] = runner
    yield state
    runner.run(teardown())
    runner.stop()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)

claim_names = st.sampled_from(["aud", "iss", "exp", "nbf", "iat", "serviceurl", "sub", "jti", "appid", "tid"])
header_names = st.sampled_from(["alg", "kid", "typ", "crit", "b64", "jku", "x5u"])


@st.composite
def signed_tokens(draw):
    """Tokens really signed with the served key, with arbitrary claim and header values."""
    payload = claims_for(
        T0,
        exp_in=timedelta(seconds=draw(st.just(3600) | st.integers(-10**6, 10**6))),
        nbf_in=timedelta(seconds=draw(st.just(-300) | st.integers(-10**6, 10**6))),
    )
    # Mostly valid tokens, so the later checks (channel, serviceUrl, tenant) get fuzzed too.
    payload.update(draw(st.just({}) | st.dictionaries(claim_names, json_values, max_size=3)))
    for name in draw(st.just([]) | st.lists(claim_names, max_size=2)):
        payload.pop(name, None)
    headers = draw(st.dictionaries(st.sampled_from(["typ", "x5t", "cty"]), st.text(max_size=10), max_size=2))
    key = SigningKey.generate("key-1")
    return key.sign(payload, headers)


@st.composite
def forged_tokens(draw):
    """Three base64url segments of arbitrary JSON (or bytes): header games without a real key."""
    header = draw(st.dictionaries(header_names, json_values, max_size=4))
    if draw(st.booleans()):
        header["alg"] = draw(st.sampled_from(["RS256", "none", "HS256", "ES256", "RS512", "PS256", ""]))
    if draw(st.booleans()):
        header["kid"] = draw(st.sampled_from(["key-1", "other"]) | st.text(max_size=8))
    payload = draw(st.dictionaries(claim_names, json_values, max_size=5))
    parts = [
        _b64(json.dumps(header).encode()),
        draw(st.sampled_from([_b64(json.dumps(payload).encode()), ""]) | st.binary(max_size=20).map(_b64)),
        draw(st.binary(max_size=300).map(_b64)),
    ]
    return ".".join(parts[: draw(st.integers(1, 4))])


headers = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.text(max_size=60).map(lambda t: "Bearer " + t),
    signed_tokens().map(lambda t: "Bearer " + t),
    signed_tokens().map(lambda t: "Bearer " + t),
    forged_tokens().map(lambda t: "Bearer " + t),
    st.sampled_from(["Bearer", "Bearer  ", "bearer x.y.z", "Basic dXNlcjpwYXNz", "Bearer a.b.c.d.e"]),
    st.binary(max_size=30),  # not even a string
)

activity_fields = st.sampled_from(["serviceUrl", "channelId", "channelData", "type", "id", "from", "conversation"])

activities = st.one_of(
    st.builds(lambda overrides: teams_activity(**overrides), st.dictionaries(activity_fields, json_values, max_size=3)),
    st.builds(
        lambda url, tenant: teams_activity(service_url=url, tenant_id=tenant),
        st.sampled_from(
            [
                "https://smba.trafficmanager.net/emea/",
                "https://smba.trafficmanager.net/emea",
                "http://smba.trafficmanager.net/emea/",
                "https://evil.example/",
                "https://user@smba.trafficmanager.net/emea/",
            ]
        )
        | st.text(max_size=40),
        st.none() | st.text(max_size=40) | st.sampled_from(["3a9e5c1d-7b2f-4e80-a6d4-1c8b0f2e7d55"]),
    ),
    st.dictionaries(st.text(max_size=12), json_values, max_size=6),
    json_values,
)


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(authorization=headers, activity=activities)
def test_authenticate_never_raises_anything_but_auth_error(env, authorization, activity):
    async def attempt():
        try:
            return await env["auth"].authenticate(authorization, activity)
        except AuthError as error:
            return error

    outcome = env["runner"].run(attempt())
    assert isinstance(outcome, (Claims, AuthError))
    event("accepted" if isinstance(outcome, Claims) else outcome.reason)
    if isinstance(outcome, AuthError):
        assert outcome.status in (401, 403)
        # A fixed code, so it cannot carry the token (a substring test would be fooled by
        # hypothesis sending "Bearer malformed_toke").
        assert re.fullmatch(r"[a-z_]{3,40}", outcome.reason)
