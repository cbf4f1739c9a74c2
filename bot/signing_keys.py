"""The Bot Framework's signing keys: fetched, cached and refreshed (the inbound check's half that
talks to the network; ``bot.auth`` validates tokens with them).

``start()`` fetches the OpenID metadata and then its ``jwks_uri`` within ``key_fetch_timeout``
(both requests together) and raises :class:`KeyFetchError` if that fails; either way it starts a
background task that refreshes the keys every ``key_refresh_interval`` (measured with the injected
clock) and retries while no keys are loaded. Only one fetch runs at a time; everybody who needs it
shares it. A failed refresh keeps the cached keys.

- A token with a known ``kid`` never waits for the network.
- A token with an unknown ``kid`` triggers one refresh, at most once per
  ``UNKNOWN_KID_REFRESH_GAP`` (1 minute); that request (and any other arriving while the fetch
  runs) waits for that single fetch, which is bounded by ``key_fetch_timeout``. Within the gap an
  unknown ``kid`` is rejected at once, so random kids cannot hammer the key endpoint.
- While no keys are loaded at all, a request is answered at once (it never waits) and nudges a
  background fetch, at most once per ``KEYS_UNAVAILABLE_RETRY_GAP``. ``/readyz`` reports
  ``ready`` so a load balancer sends no traffic until keys are there.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any, Awaitable, Callable
from urllib.parse import urlsplit

import aiohttp
import jwt

logger = logging.getLogger("bot.auth")

UNKNOWN_KID_REFRESH_GAP = timedelta(minutes=1)
KEYS_UNAVAILABLE_RETRY_GAP = timedelta(seconds=10)
MAX_KEY_DOCUMENT_BYTES = 1024 * 1024


class KeyFetchError(Exception):
    """The OpenID metadata or the signing keys could not be fetched."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class SigningKey:
    kid: str
    jwk: jwt.PyJWK
    endorsements: frozenset[str] | None  # None: the key carries no endorsements list


@dataclass
class _KeyCache:
    keys: Mapping[str, SigningKey] = field(default_factory=dict)
    loaded_at: datetime | None = None


def _is_loopback_url(url: str) -> bool:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_jwks(document: object) -> dict[str, SigningKey]:
    """The usable RS256 signing keys of a JWKS document, by ``kid``; unusable entries are skipped."""
    if not isinstance(document, Mapping):
        raise KeyFetchError("bad_jwks", "the JWKS document is not a JSON object")
    entries = document.get("keys")
    if not isinstance(entries, list):
        raise KeyFetchError("bad_jwks", "the JWKS document has no 'keys' list")
    keys: dict[str, SigningKey] = {}
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        kid = entry.get("kid")
        if not isinstance(kid, str) or not kid:
            continue
        if entry.get("kty") != "RSA" or entry.get("use", "sig") != "sig":
            continue
        if entry.get("alg", "RS256") != "RS256":
            continue
        try:
            jwk = jwt.PyJWK(dict(entry), algorithm="RS256")
        except Exception:  # noqa: BLE001 - a broken key entry must not break the others
            logger.warning("signing key %s skipped: not a usable RSA key", kid[:64])
            continue
        raw = entry.get("endorsements")
        endorsements: frozenset[str] | None
        if raw is None:
            endorsements = None
        elif isinstance(raw, list):
            endorsements = frozenset(e for e in raw if isinstance(e, str))
        else:  # present but malformed: endorses nothing (fail closed)
            endorsements = frozenset()
        keys[kid] = SigningKey(kid=kid, jwk=jwk, endorsements=endorsements)
    return keys


class SigningKeys:
    """The cached signing keys by ``kid``, refreshed in the background; see the module documentation."""

    def __init__(
        self,
        *,
        openid_metadata_url: str,
        fetch_timeout: float,
        refresh_interval: timedelta,
        clock: Any,
        session: aiohttp.ClientSession,
        poll_interval: float = 30.0,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        """``poll_interval`` (real seconds) is how often the background task wakes up to compare
        the injected clock with the refresh schedule, and how often it retries while no keys are
        loaded; ``sleep`` is how it waits (tests step it)."""
        self._url = openid_metadata_url
        self._timeout = fetch_timeout
        self._interval = refresh_interval
        self._clock = clock
        self._session = session
        self._poll_interval = poll_interval
        self._sleep = sleep
        self._cache = _KeyCache()
        self._inflight: asyncio.Task[None] | None = None
        self._background: asyncio.Task[None] | None = None
        self._last_unknown_kid_refresh: datetime | None = None
        self._last_nudge: datetime | None = None
        self._last_error: str | None = None
        self._closed = False

    @property
    def ready(self) -> bool:
        """True once signing keys are loaded."""
        return bool(self._cache.keys)

    @property
    def loaded_at(self) -> datetime | None:
        return self._cache.loaded_at

    @property
    def last_error(self) -> str | None:
        """Why the last key fetch failed (no secrets in it), or None after a success."""
        return self._last_error

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self._cache.keys)

    def get(self, kid: str) -> SigningKey | None:
        """The cached key, never waiting for the network."""
        return self._cache.keys.get(kid)

    async def start(self) -> None:
        """Fetch the keys (bounded by ``key_fetch_timeout``) and start the background refresh.

        Raises :class:`KeyFetchError` when the first fetch fails; the background task keeps
        retrying every ``poll_interval`` seconds, so ``ready`` turns True once the endpoint
        recovers. Calling ``start()`` again retries at once.
        """
        if self._closed:
            raise RuntimeError("the signing keys are closed")
        if self._background is None or self._background.done():
            self._background = asyncio.create_task(self._refresh_loop(), name="auth-key-refresh")
        await asyncio.shield(self._refresh("startup"))

    async def refresh(self) -> None:
        """Fetch the keys now (sharing a fetch already under way); raises KeyFetchError."""
        await asyncio.shield(self._refresh("manual"))

    async def close(self) -> None:
        """Stop the background refresh and any fetch under way."""
        self._closed = True
        tasks = [t for t in (self._background, self._inflight) if t is not None and not t.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            try:
                await task
            except (asyncio.CancelledError, KeyFetchError):
                pass
        self._background = None
        self._inflight = None

    def _refresh(self, reason: str) -> asyncio.Task[None]:
        """The single key fetch under way, started if there is none."""
        if self._inflight is None or self._inflight.done():
            task = asyncio.create_task(self._fetch_and_install(reason), name=f"auth-keys-{reason}")
            task.add_done_callback(self._fetch_done)
            self._inflight = task
        return self._inflight

    def _fetch_done(self, task: asyncio.Task[None]) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if error is None:
            return
        if isinstance(error, KeyFetchError):
            self._last_error = str(error)
            logger.warning(
                "signing key fetch failed (%s): %s; %s",
                error.reason,
                error,
                "keeping %d cached keys" % len(self._cache.keys) if self.ready else "no keys loaded",
            )
        else:  # pragma: no cover - _fetch_and_install wraps everything in KeyFetchError
            logger.error("signing key fetch failed unexpectedly (%s)", type(error).__name__)

    async def _refresh_loop(self) -> None:
        interval = self._interval
        while True:
            await self._sleep(self._poll_interval)
            loaded_at = self._cache.loaded_at
            due = (
                not self.ready
                or loaded_at is None
                or self._clock.now() - loaded_at >= interval
            )
            if not due:
                continue
            try:
                await asyncio.shield(self._refresh("scheduled" if self.ready else "retry"))
            except KeyFetchError:
                pass  # logged by _fetch_done; try again next round

    async def _fetch_and_install(self, reason: str) -> None:
        timeout = self._timeout
        url = self._url
        try:
            async with asyncio.timeout(timeout):
                metadata = await self._get_json(url)
                jwks_uri = self._jwks_uri(metadata)
                document = await self._get_json(jwks_uri)
        except TimeoutError:
            raise KeyFetchError(
                "timeout", f"signing keys not fetched from {url} within {timeout:g} s"
            ) from None
        except KeyFetchError:
            raise
        except (aiohttp.ClientError, OSError) as exc:
            raise KeyFetchError(
                "unreachable", f"signing keys not fetched from {url}: {type(exc).__name__}"
            ) from None
        except Exception as exc:  # noqa: BLE001
            raise KeyFetchError(
                "error", f"signing keys not fetched from {url}: {type(exc).__name__}"
            ) from None
        keys = parse_jwks(document)
        if not keys:
            raise KeyFetchError("no_keys", f"the JWKS behind {url} holds no usable RS256 key")
        self._cache = _KeyCache(keys=MappingProxyType(keys), loaded_at=self._clock.now())
        self._last_error = None
        logger.info("signing keys loaded (%s): %d keys", reason, len(keys))

    def _jwks_uri(self, metadata: object) -> str:
        if not isinstance(metadata, Mapping):
            raise KeyFetchError("bad_metadata", "the OpenID metadata is not a JSON object")
        jwks_uri = metadata.get("jwks_uri")
        if not isinstance(jwks_uri, str) or not jwks_uri:
            raise KeyFetchError("bad_metadata", "the OpenID metadata has no jwks_uri")
        try:
            scheme = urlsplit(jwks_uri).scheme.lower()
        except ValueError:
            raise KeyFetchError("bad_metadata", "the OpenID metadata's jwks_uri is malformed") from None
        # https only; plain http only when both metadata and keys are on loopback (tests).
        if scheme != "https" and not (
            scheme == "http"
            and _is_loopback_url(jwks_uri)
            and _is_loopback_url(self._url)
        ):
            raise KeyFetchError("bad_metadata", "the OpenID metadata's jwks_uri is not https")
        return jwks_uri

    async def _get_json(self, url: str) -> object:
        timeout = aiohttp.ClientTimeout(total=self._timeout)
        async with self._session.get(url, timeout=timeout, allow_redirects=False) as response:
            if response.status != 200:
                raise KeyFetchError("http_status", f"{url} answered HTTP {response.status}")
            body = await response.content.read(MAX_KEY_DOCUMENT_BYTES + 1)
            if len(body) > MAX_KEY_DOCUMENT_BYTES:
                raise KeyFetchError("too_large", f"{url} answered more than 1 MiB")
        try:
            return json.loads(body)
        except ValueError:
            raise KeyFetchError("bad_json", f"{url} did not answer JSON") from None

    def nudge(self) -> None:
        """No keys are loaded: start a background fetch (at most once per KEYS_UNAVAILABLE_RETRY_GAP)."""
        if self._closed or (self._inflight is not None and not self._inflight.done()):
            return
        now = self._clock.now()
        if self._last_nudge is not None and now - self._last_nudge < KEYS_UNAVAILABLE_RETRY_GAP:
            return
        self._last_nudge = now
        self._refresh("keys_unavailable")

    async def for_unknown_kid(self, kid: str) -> SigningKey | None:
        """The key after one shared refresh, or None (also within UNKNOWN_KID_REFRESH_GAP of the last)."""
        in_flight = self._inflight is not None and not self._inflight.done()
        if not in_flight:
            now = self._clock.now()
            last = self._last_unknown_kid_refresh
            if self._closed or (last is not None and now - last < UNKNOWN_KID_REFRESH_GAP):
                return None
            self._last_unknown_kid_refresh = now
        try:
            await asyncio.shield(self._refresh("unknown_kid"))
        except KeyFetchError:
            pass
        return self._cache.keys.get(kid)
