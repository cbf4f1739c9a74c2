"""Signing keys: timeouts, recovery, rotation, rate limits, and never blocking known kids."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest

from bot.auth import AuthError, InboundAuthenticator
from bot.signing_keys import KeyFetchError, parse_jwks
from tests.auth.tokens import KeyServer, SigningKey


async def _wait_until(predicate, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


def _make(token_kit, session, *, poll_interval: float = 30.0, **settings) -> InboundAuthenticator:
    return InboundAuthenticator(
        token_kit.settings(**settings), clock=token_kit.clock, session=session, poll_interval=poll_interval
    )


async def test_slow_key_endpoint_times_out_then_recovers(token_kit, session):
    token_kit.server.delay = 2.0
    auth = _make(token_kit, session, key_fetch_timeout=0.2, poll_interval=0.05)
    try:
        started = time.monotonic()
        with pytest.raises(KeyFetchError) as caught:
            await auth.start()
        assert time.monotonic() - started < 1.0
        assert caught.value.reason == "timeout"
        assert "within 0.2 s" in str(caught.value)
        assert not auth.ready
        assert "within 0.2 s" in (auth.keys.last_error or "")

        # While no keys are loaded, requests are answered at once, never stuck on the fetch.
        started = time.monotonic()
        with pytest.raises(AuthError) as denied:
            await auth.authenticate(token_kit.authorization(), token_kit.activity())
        assert (denied.value.status, denied.value.reason) == (401, "keys_unavailable")
        assert time.monotonic() - started < 0.1

        token_kit.server.delay = 0.0  # the endpoint recovers; the background task retries
        await _wait_until(lambda: auth.ready)
        await auth.authenticate(token_kit.authorization(), token_kit.activity())
    finally:
        await auth.close()


async def test_start_again_after_outage(token_kit, session):
    token_kit.server.fail_status = 503
    auth = _make(token_kit, session)
    try:
        with pytest.raises(KeyFetchError) as caught:
            await auth.start()
        assert caught.value.reason == "http_status"
        assert not auth.ready
        token_kit.server.fail_status = None
        await auth.start()
        assert auth.ready
        assert auth.keys.last_error is None
    finally:
        await auth.close()


async def test_dead_endpoint_is_a_clear_error(token_kit, session):
    dead = KeyServer()
    await dead.start()
    url = dead.metadata_url
    await dead.close()  # nothing listens there any more
    auth = _make(token_kit, session, openid_metadata_url=url)
    try:
        with pytest.raises(KeyFetchError) as caught:
            await auth.start()
        assert caught.value.reason == "unreachable"
        assert not auth.ready
    finally:
        await auth.close()


async def test_unknown_kid_triggers_one_refresh_and_picks_up_a_rotated_key(auth, token_kit):
    jwks_hits = lambda: token_kit.server.hits[KeyServer.JWKS_PATH]  # noqa: E731
    assert jwks_hits() == 1
    rotated = SigningKey.generate("key-2")
    token_kit.server.add_key(rotated)

    await auth.authenticate(token_kit.authorization(key=rotated), token_kit.activity())
    assert jwks_hits() == 2
    assert "key-2" in auth.keys.ids

    # Another unknown kid within the minute: rejected at once, no new fetch.
    with pytest.raises(AuthError) as caught:
        await auth.authenticate(token_kit.authorization(key=SigningKey.generate("key-x")), token_kit.activity())
    assert caught.value.reason == "unknown_key"
    assert jwks_hits() == 2

    # A minute later (injected clock) one more refresh is allowed.
    token_kit.clock.advance(timedelta(minutes=1))
    with pytest.raises(AuthError):
        await auth.authenticate(token_kit.authorization(key=SigningKey.generate("key-x")), token_kit.activity())
    assert jwks_hits() == 3


async def test_concurrent_unknown_kids_share_one_fetch(auth, token_kit):
    rotated = SigningKey.generate("key-3")
    token_kit.server.add_key(rotated)
    token_kit.server.delay = 0.1
    before = token_kit.server.hits[KeyServer.JWKS_PATH]
    results = await asyncio.gather(
        *(auth.authenticate(token_kit.authorization(key=rotated), token_kit.activity()) for _ in range(20)),
        return_exceptions=True,
    )
    assert all(not isinstance(r, BaseException) for r in results), results
    assert token_kit.server.hits[KeyServer.JWKS_PATH] == before + 1


async def test_slow_refresh_does_not_block_known_kids(auth, token_kit):
    token_kit.server.delay = 1.0
    unknown = asyncio.create_task(
        auth.authenticate(token_kit.authorization(key=SigningKey.generate("key-y")), token_kit.activity())
    )
    await asyncio.sleep(0.05)  # the refresh is now under way and hanging
    started = time.monotonic()
    for _ in range(10):
        await auth.authenticate(token_kit.authorization(), token_kit.activity())
    assert time.monotonic() - started < 0.5
    assert not unknown.done()
    with pytest.raises(AuthError) as caught:
        await unknown
    assert caught.value.reason == "unknown_key"


async def test_unknown_kid_waits_no_longer_than_the_fetch_timeout(token_kit, session):
    auth = _make(token_kit, session, key_fetch_timeout=0.3)
    await auth.start()
    try:
        token_kit.server.delay = 5.0
        started = time.monotonic()
        with pytest.raises(AuthError) as caught:
            await auth.authenticate(token_kit.authorization(key=SigningKey.generate("key-z")), token_kit.activity())
        assert caught.value.reason == "unknown_key"
        assert time.monotonic() - started < 1.0
        assert auth.ready  # the cached keys survive a failed refresh
        await auth.authenticate(token_kit.authorization(), token_kit.activity())
    finally:
        await auth.close()


async def test_scheduled_refresh_follows_the_injected_clock(token_kit, session):
    auth = _make(token_kit, session, poll_interval=0.02)
    await auth.start()
    try:
        loaded = auth.keys.loaded_at
        await asyncio.sleep(0.1)
        assert auth.keys.loaded_at == loaded  # the clock has not moved: no refresh

        new_key = SigningKey.generate("key-next")
        token_kit.server.replace_keys([new_key])
        token_kit.clock.advance(timedelta(hours=24))
        await _wait_until(lambda: auth.keys.ids == {"key-next"})
        await auth.authenticate(token_kit.authorization(key=new_key), token_kit.activity())
    finally:
        await auth.close()


async def test_failed_scheduled_refresh_keeps_cached_keys(token_kit, session):
    auth = _make(token_kit, session, poll_interval=0.02)
    await auth.start()
    try:
        token_kit.server.fail_status = 500
        token_kit.clock.advance(timedelta(hours=25))
        before = token_kit.server.hits[KeyServer.METADATA_PATH]
        await _wait_until(lambda: token_kit.server.hits[KeyServer.METADATA_PATH] > before)
        await _wait_until(lambda: auth.keys.last_error is not None)
        assert auth.ready
        await auth.authenticate(token_kit.authorization(), token_kit.activity())
    finally:
        await auth.close()


async def test_close_stops_the_background_task(token_kit, session):
    auth = _make(token_kit, session, poll_interval=0.01)
    await auth.start()
    await auth.close()
    hits = sum(token_kit.server.hits.values())
    token_kit.clock.advance(timedelta(days=2))
    await asyncio.sleep(0.1)
    assert sum(token_kit.server.hits.values()) == hits
    with pytest.raises(RuntimeError):
        await auth.start()


def test_parse_jwks_skips_unusable_entries():
    good = SigningKey.generate("key-1").jwk()
    keys = parse_jwks(
        {
            "keys": [
                good,
                {**good, "kid": "enc", "use": "enc"},
                {**good, "kid": "ps", "alg": "PS256"},
                {"kty": "EC", "kid": "ec", "crv": "P-256", "x": "a", "y": "b"},
                {"kty": "RSA", "kid": "broken", "n": "!!", "e": "AQAB"},
                {**good, "kid": "odd-endorsements", "endorsements": "msteams"},
                "not a key",
                {**good, "kid": None},
            ]
        }
    )
    assert set(keys) == {"key-1", "odd-endorsements"}
    assert keys["key-1"].endorsements == frozenset({"msteams"})
    assert keys["odd-endorsements"].endorsements == frozenset()  # malformed: endorses nothing


@pytest.mark.parametrize("document", [None, [], {"keys": "x"}, {"nokeys": []}])
def test_parse_jwks_rejects_bad_documents(document):
    with pytest.raises(KeyFetchError):
        parse_jwks(document)


async def test_jwks_uri_must_be_https_outside_loopback(token_kit, session):
    auth = _make(token_kit, session)
    with pytest.raises(KeyFetchError):
        auth.keys._jwks_uri({"jwks_uri": "http://login.botframework.com/v1/keys"})
    with pytest.raises(KeyFetchError):
        auth.keys._jwks_uri({"jwks_uri": None})
    assert auth.keys._jwks_uri({"jwks_uri": "https://login.botframework.com/v1/keys"})
    assert auth.keys._jwks_uri({"jwks_uri": token_kit.server.jwks_url})  # loopback test server
