"""Signing keys: timeouts, recovery, rotation, rate limits, and never blocking known kids."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.auth import AuthError, InboundAuthenticator
from bot.signing_keys import KeyFetchError, parse_jwks
from tests.auth.tokens import KeyServer, SigningKey


class Rounds:
    """The background refresh's sleep, stepped by the test instead of by real time:
    ``await rounds.run(n)`` lets the loop wake ``n`` times and returns once it sleeps again."""

    def __init__(self) -> None:
        self._wake = asyncio.Semaphore(0)
        self._asleep = asyncio.Event()

    async def sleep(self, _seconds: float) -> None:
        self._asleep.set()
        await self._wake.acquire()

    async def run(self, count: int = 1) -> None:
        for _ in range(count):
            await self._asleep.wait()
            self._asleep.clear()
            self.offer()
        await self._asleep.wait()

    def offer(self) -> None:
        """One round, for the loop to take when it sleeps (or never, once it is stopped)."""
        self._wake.release()


def _make(token_kit, session, *, rounds: Rounds | None = None, **settings) -> InboundAuthenticator:
    return InboundAuthenticator(
        token_kit.settings(**settings), clock=token_kit.clock, session=session, sleep=(rounds or Rounds()).sleep
    )


async def test_slow_key_endpoint_times_out_then_recovers(token_kit, session):
    token_kit.server.hang()  # it never answers: only the fetch timeout ends the start
    rounds = Rounds()
    auth = _make(token_kit, session, key_fetch_timeout=0.2, rounds=rounds)
    try:
        with pytest.raises(KeyFetchError) as caught:
            await auth.start()
        assert caught.value.reason == "timeout"
        assert "within 0.2 s" in str(caught.value)
        assert not auth.ready
        assert "within 0.2 s" in (auth.keys.last_error or "")

        # While no keys are loaded, requests are answered at once: the endpoint still holds every
        # request, so an answer here was not waiting for a fetch.
        with pytest.raises(AuthError) as denied:
            await auth.authenticate(token_kit.authorization(), token_kit.activity())
        assert (denied.value.status, denied.value.reason) == (401, "keys_unavailable")

        token_kit.server.answer()  # the endpoint recovers; the background task retries
        await rounds.run()
        assert auth.ready
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
    token_kit.server.hang()
    before = token_kit.server.hits[KeyServer.JWKS_PATH]
    together = asyncio.gather(
        *(auth.authenticate(token_kit.authorization(key=rotated), token_kit.activity()) for _ in range(20)),
        return_exceptions=True,
    )
    await token_kit.server.held()  # the one refresh has reached the endpoint; all 20 wait for it
    token_kit.server.answer()
    results = await together
    assert all(not isinstance(r, BaseException) for r in results), results
    assert token_kit.server.hits[KeyServer.JWKS_PATH] == before + 1


async def test_slow_refresh_does_not_block_known_kids(auth, token_kit):
    token_kit.server.hang()
    unknown = asyncio.create_task(
        auth.authenticate(token_kit.authorization(key=SigningKey.generate("key-y")), token_kit.activity())
    )
    await token_kit.server.held()  # the refresh is now under way and hanging
    for _ in range(10):  # answered while the endpoint still holds the refresh
        await auth.authenticate(token_kit.authorization(), token_kit.activity())
    assert not unknown.done()
    token_kit.server.answer()
    with pytest.raises(AuthError) as caught:
        await unknown
    assert caught.value.reason == "unknown_key"


async def test_unknown_kid_waits_no_longer_than_the_fetch_timeout(token_kit, session):
    auth = _make(token_kit, session, key_fetch_timeout=0.3)
    await auth.start()
    try:
        token_kit.server.hang()  # it never answers: only the fetch timeout ends the wait
        with pytest.raises(AuthError) as caught:
            await auth.authenticate(token_kit.authorization(key=SigningKey.generate("key-z")), token_kit.activity())
        assert caught.value.reason == "unknown_key"
        assert auth.ready  # the cached keys survive a failed refresh
        await auth.authenticate(token_kit.authorization(), token_kit.activity())
    finally:
        await auth.close()


async def test_scheduled_refresh_follows_the_injected_clock(token_kit, session):
    rounds = Rounds()
    auth = _make(token_kit, session, rounds=rounds)
    await auth.start()
    try:
        loaded = auth.keys.loaded_at
        await rounds.run(3)
        assert auth.keys.loaded_at == loaded  # the clock has not moved: no refresh

        new_key = SigningKey.generate("key-next")
        token_kit.server.replace_keys([new_key])
        token_kit.clock.advance(timedelta(hours=24))
        await rounds.run()
        assert auth.keys.ids == {"key-next"}
        await auth.authenticate(token_kit.authorization(key=new_key), token_kit.activity())
    finally:
        await auth.close()


async def test_failed_scheduled_refresh_keeps_cached_keys(token_kit, session):
    rounds = Rounds()
    auth = _make(token_kit, session, rounds=rounds)
    await auth.start()
    try:
        token_kit.server.fail_status = 500
        token_kit.clock.advance(timedelta(hours=25))
        before = token_kit.server.hits[KeyServer.METADATA_PATH]
        await rounds.run()
        assert token_kit.server.hits[KeyServer.METADATA_PATH] == before + 1
        assert auth.keys.last_error is not None
        assert auth.ready
        await auth.authenticate(token_kit.authorization(), token_kit.activity())
    finally:
        await auth.close()


async def test_close_stops_the_background_task(token_kit, session):
    rounds = Rounds()
    auth = _make(token_kit, session, rounds=rounds)
    await auth.start()
    await rounds.run()  # the background task is running, asleep until its next round
    await auth.close()
    hits = sum(token_kit.server.hits.values())
    token_kit.clock.advance(timedelta(days=2))
    rounds.offer()  # a round it would have had: nobody is left to take it
    await asyncio.sleep(0)
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
