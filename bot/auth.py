"""Inbound authentication of Bot Framework requests (issue 8).

The SDK's own ``JwtTokenValidation`` is not used for inbound requests: it surfaces eight kinds of
bad token as HTTP 500, never checks the tenant and fetches signing keys with a blocking call
without timeout (``../shared/realclient/README.md``, fact 5). :class:`InboundAuthenticator` does
the whole check with PyJWT and turns every failure into an :class:`AuthError` with a status (401,
or 403 for a tenant outside the allow-list) and a short reason code.

Checks, in order (the first failing one decides the reason):

==========================  ======  =========================================================
check                       status  reason
==========================  ======  =========================================================
Authorization header        401     ``missing_auth``, ``not_bearer``, ``malformed_token``
activity is a mapping       401     ``bad_activity``
JOSE header, alg == RS256   401     ``malformed_token``, ``bad_algorithm``, ``missing_kid``
signing keys loaded         401     ``keys_unavailable``
key id known (1 refresh)    401     ``unknown_key``
signature                   401     ``bad_signature``
exp, iss, aud present       401     ``missing_claim``
issuer in settings.issuers  401     ``wrong_issuer``
audience == app id          401     ``wrong_audience`` (one string, not a list holding it)
other malformed claims      401     ``invalid_token`` (e.g. a non-string ``sub``)
exp / nbf (injected clock)  401     ``expired``, ``not_yet_valid``, ``bad_time_claim``
key endorses "msteams"      401     ``key_not_endorsed``
activity channelId          401     ``wrong_channel``
token serviceurl claim      401     ``missing_service_url_claim``, ``service_url_mismatch``
activity serviceUrl host    401     ``service_url_not_allowed``
tenant allow-list           403     ``wrong_tenant``
anything unexpected         401     ``internal_error`` (logged with the exception type only)
==========================  ======  =========================================================

The tenant is checked last, so an unauthenticated caller always gets 401 and learns nothing about
the allow-list.

Signing keys
------------
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
- While no keys are loaded at all, ``authenticate`` answers 401 ``keys_unavailable`` at once
  (it never waits) and nudges a background fetch, at most once per ``KEYS_UNAVAILABLE_RETRY_GAP``.
  ``/readyz`` should report ``ready`` so a load balancer sends no traffic until keys are there.

Tenants
-------
``allowed_tenants`` is the allow-list of ``channelData.tenant.id`` values (compared
case-insensitively). When it is empty, only ``app_tenant_id`` is allowed if that is set (a
single-tenant bot); when both are empty any tenant is accepted (multi-tenant bot: set an
allow-list in production).

Logging
-------
Never the token, never the Authorization header, never claim values: only reason codes, key ids
and counts. Each failure is logged at DEBUG; :class:`AuthFailureMonitor` turns repeated failures
into one WARNING alert line per window.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import jwt

from bot.service_urls import (
    TEAMS_SERVICE_HOSTS,
    same_service_url,
    service_url_allowed,
)

__all__ = [
    "AuthError",
    "AuthFailureMonitor",
    "AuthSettings",
    "Claims",
    "InboundAuthenticator",
    "KeyFetchError",
    "service_url_allowed",
    "tenant_allowed",
    "tenant_id_of",
]

logger = logging.getLogger(__name__)

TEAMS_CHANNEL_ID = "msteams"
SERVICE_URL_CLAIM = "serviceurl"
UNKNOWN_KID_REFRESH_GAP = timedelta(minutes=1)
KEYS_UNAVAILABLE_RETRY_GAP = timedelta(seconds=10)
MAX_AUTHORIZATION_LENGTH = 16 * 1024
MAX_KEY_DOCUMENT_BYTES = 1024 * 1024


class AuthError(Exception):
    """An inbound request failed authentication (401) or the tenant check (403).

    ``reason`` is a short machine-readable code; it never contains the token or any claim value.
    """

    def __init__(self, status: int, reason: str) -> None:
        if status not in (401, 403):
            raise ValueError("AuthError status must be 401 or 403")
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason


class KeyFetchError(Exception):
    """The OpenID metadata or the signing keys could not be fetched."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class AuthSettings:
    app_id: str
    allowed_tenants: frozenset[str] = frozenset()
    app_tenant_id: str | None = None
    openid_metadata_url: str = "https://login.botframework.com/v1/.well-known/openidconfiguration"
    issuers: tuple[str, ...] = ("https://api.botframework.com",)
    allowed_service_hosts: tuple[str, ...] = TEAMS_SERVICE_HOSTS
    clock_skew: timedelta = timedelta(minutes=5)
    key_fetch_timeout: float = 5.0
    key_refresh_interval: timedelta = timedelta(hours=24)
    # Tests only: accept an activity serviceUrl on loopback (http or https), e.g. a local stub
    # connector in an end-to-end test that still uses signed tokens. Never set in production.
    allow_loopback_service_url: bool = False

    def __post_init__(self) -> None:
        if not self.app_id:
            raise ValueError("AuthSettings.app_id is required (it is the expected audience)")
        if not self.issuers:
            raise ValueError("AuthSettings.issuers must name at least one issuer")
        if self.clock_skew < timedelta(0):
            raise ValueError("AuthSettings.clock_skew must not be negative")
        if self.key_fetch_timeout <= 0:
            raise ValueError("AuthSettings.key_fetch_timeout must be positive")
        if self.key_refresh_interval <= timedelta(0):
            raise ValueError("AuthSettings.key_refresh_interval must be positive")
        # Accept any iterable of tenant ids (e.g. a list from config) but store a frozenset.
        object.__setattr__(
            self, "allowed_tenants", frozenset(t.strip() for t in self.allowed_tenants if t.strip())
        )


@dataclass(frozen=True)
class Claims:
    """What an authenticated request proved. ``claims`` is the verified JWT payload (read-only)."""

    claims: Mapping[str, Any]
    app_id: str
    issuer: str
    service_url: str
    tenant_id: str | None
    key_id: str

    def as_claims_identity(self) -> Any:
        """The botbuilder ``ClaimsIdentity`` for ``CloudAdapter`` / ``TurnContext`` wiring."""
        from botframework.connector.auth import ClaimsIdentity  # only bot/ may import botbuilder

        return ClaimsIdentity(dict(self.claims), True, "Bearer")


def tenant_id_of(activity: object) -> str | None:
    """``channelData.tenant.id`` of a Teams activity, or None when absent or not a string."""
    if not isinstance(activity, Mapping):
        return None
    channel_data = activity.get("channelData")
    if not isinstance(channel_data, Mapping):
        return None
    tenant = channel_data.get("tenant")
    if not isinstance(tenant, Mapping):
        return None
    tenant_id = tenant.get("id")
    if not isinstance(tenant_id, str) or not tenant_id.strip():
        return None
    return tenant_id.strip()


def tenant_allowed(
    activity: object,
    allowed_tenants: Iterable[str],
    app_tenant_id: str | None = None,
) -> bool:
    """True when the activity's ``channelData.tenant.id`` may use the bot.

    Same rule as :class:`AuthSettings`: a non-empty ``allowed_tenants`` is the allow-list; when it
    is empty, only ``app_tenant_id`` is allowed if given; when both are empty, any tenant (even a
    missing one) is accepted. Tenant ids compare case-insensitively (they are GUIDs).
    """
    allowed = {t.strip().lower() for t in allowed_tenants if t and t.strip()}
    if not allowed and app_tenant_id and app_tenant_id.strip():
        allowed = {app_tenant_id.strip().lower()}
    if not allowed:
        return True
    tenant_id = tenant_id_of(activity)
    return tenant_id is not None and tenant_id.lower() in allowed


_REASON_SAFE = re.compile(r"[^a-z0-9_]")


class AuthFailureMonitor:
    """Counts authentication failures and raises one alert line per window, not one per request.

    The first time the number of failures in the current window reaches ``threshold`` it logs one
    WARNING (``auth_failure_alert``) with the count and the reason codes; later failures in the
    same window are only counted. When a failure arrives after the window has ended (or
    :meth:`flush` is called after it ended), the window closes: if failures were counted after the
    alert, one INFO line gives the window's final total; then a new window starts.
    Time comes from the injected clock.
    """

    def __init__(
        self,
        clock: Any,
        *,
        window: timedelta = timedelta(seconds=60),
        threshold: int = 10,
        log: logging.Logger | None = None,
    ) -> None:
        if window <= timedelta(0):
            raise ValueError("window must be positive")
        if threshold < 1:
            raise ValueError("threshold must be at least 1")
        self._clock = clock
        self._window = window
        self._threshold = threshold
        self._log = log or logging.getLogger(__name__ + ".alerts")
        self._window_start: datetime | None = None
        self._reasons: Counter[str] = Counter()
        self._alerted_at_count: int | None = None

    @property
    def window_total(self) -> int:
        return sum(self._reasons.values())

    def record(self, reason: str, status: int = 401) -> None:
        now = self._clock.now()
        self._roll(now)
        if self._window_start is None:
            self._window_start = now
        code = _REASON_SAFE.sub("_", str(reason).lower())[:40] or "unknown"
        self._reasons[f"{status}:{code}"] += 1
        total = self.window_total
        if self._alerted_at_count is None and total >= self._threshold:
            self._alerted_at_count = total
            self._log.warning(
                "auth_failure_alert: %d inbound authentication failures within %ds "
                "(threshold %d); reasons: %s",
                total,
                int(self._window.total_seconds()),
                self._threshold,
                self._format_reasons(),
            )

    def flush(self) -> None:
        """Close the current window if it has ended (call it from a periodic job if you like)."""
        self._roll(self._clock.now())

    def _roll(self, now: datetime) -> None:
        if self._window_start is None or now < self._window_start + self._window:
            return
        total = self.window_total
        if self._alerted_at_count is not None and total > self._alerted_at_count:
            self._log.info(
                "auth_failure_window_closed: %d inbound authentication failures in the window "
                "that alerted; reasons: %s",
                total,
                self._format_reasons(),
            )
        self._window_start = None
        self._reasons.clear()
        self._alerted_at_count = None

    def _format_reasons(self) -> str:
        return ", ".join(f"{reason}={n}" for reason, n in sorted(self._reasons.items()))


@dataclass(frozen=True)
class _SigningKey:
    kid: str
    jwk: jwt.PyJWK
    endorsements: frozenset[str] | None  # None: the key carries no endorsements list


@dataclass
class _KeyCache:
    keys: Mapping[str, _SigningKey] = field(default_factory=dict)
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


def _bearer_token(authorization: object) -> str:
    if authorization is None:
        raise AuthError(401, "missing_auth")
    if not isinstance(authorization, str) or not authorization.strip():
        raise AuthError(401, "missing_auth")
    if len(authorization) > MAX_AUTHORIZATION_LENGTH:
        raise AuthError(401, "malformed_token")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise AuthError(401, "not_bearer")
    token = token.strip()
    if not token or " " in token or not token.isascii():
        raise AuthError(401, "malformed_token")
    return token


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if value != value or value in (float("inf"), float("-inf")):  # NaN / infinities
        return None
    return float(value)


def parse_jwks(document: object) -> dict[str, _SigningKey]:
    """The usable RS256 signing keys of a JWKS document, by ``kid``; unusable entries are skipped."""
    if not isinstance(document, Mapping):
        raise KeyFetchError("bad_jwks", "the JWKS document is not a JSON object")
    entries = document.get("keys")
    if not isinstance(entries, list):
        raise KeyFetchError("bad_jwks", "the JWKS document has no 'keys' list")
    keys: dict[str, _SigningKey] = {}
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
        keys[kid] = _SigningKey(kid=kid, jwk=jwk, endorsements=endorsements)
    return keys


class InboundAuthenticator:
    """Authenticates inbound Bot Framework requests; see the module documentation."""

    def __init__(
        self,
        settings: AuthSettings,
        *,
        clock: Any,
        session: aiohttp.ClientSession,
        monitor: AuthFailureMonitor | None = None,
        poll_interval: float = 30.0,
    ) -> None:
        """``poll_interval`` (real seconds) is how often the background task wakes up to compare
        the injected clock with the refresh schedule, and how often it retries while no keys are
        loaded; tests shorten it."""
        self._settings = settings
        self._clock = clock
        self._session = session
        self.monitor = monitor if monitor is not None else AuthFailureMonitor(clock)
        self._poll_interval = poll_interval
        self._cache = _KeyCache()
        self._inflight: asyncio.Task[None] | None = None
        self._background: asyncio.Task[None] | None = None
        self._last_unknown_kid_refresh: datetime | None = None
        self._last_nudge: datetime | None = None
        self._last_error: str | None = None
        self._closed = False

    # -- key management ---------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """True once signing keys are loaded."""
        return bool(self._cache.keys)

    @property
    def keys_loaded_at(self) -> datetime | None:
        return self._cache.loaded_at

    @property
    def last_key_error(self) -> str | None:
        """Why the last key fetch failed (no secrets in it), or None after a success."""
        return self._last_error

    @property
    def key_ids(self) -> frozenset[str]:
        return frozenset(self._cache.keys)

    async def start(self) -> None:
        """Fetch the keys (bounded by ``key_fetch_timeout``) and start the background refresh.

        Raises :class:`KeyFetchError` when the first fetch fails; the background task keeps
        retrying every ``poll_interval`` seconds, so ``ready`` turns True once the endpoint
        recovers. Calling ``start()`` again retries at once.
        """
        if self._closed:
            raise RuntimeError("InboundAuthenticator is closed")
        if self._background is None or self._background.done():
            self._background = asyncio.create_task(self._refresh_loop(), name="auth-key-refresh")
        await asyncio.shield(self._refresh("startup"))

    async def refresh_keys(self) -> None:
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
        interval = self._settings.key_refresh_interval
        while True:
            await asyncio.sleep(self._poll_interval)
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
        timeout = self._settings.key_fetch_timeout
        url = self._settings.openid_metadata_url
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
            and _is_loopback_url(self._settings.openid_metadata_url)
        ):
            raise KeyFetchError("bad_metadata", "the OpenID metadata's jwks_uri is not https")
        return jwks_uri

    async def _get_json(self, url: str) -> object:
        timeout = aiohttp.ClientTimeout(total=self._settings.key_fetch_timeout)
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

    def _nudge_when_unavailable(self) -> None:
        if self._closed or (self._inflight is not None and not self._inflight.done()):
            return
        now = self._clock.now()
        if self._last_nudge is not None and now - self._last_nudge < KEYS_UNAVAILABLE_RETRY_GAP:
            return
        self._last_nudge = now
        self._refresh("keys_unavailable")

    async def _key_for_unknown_kid(self, kid: str) -> _SigningKey:
        in_flight = self._inflight is not None and not self._inflight.done()
        if not in_flight:
            now = self._clock.now()
            last = self._last_unknown_kid_refresh
            if self._closed or (last is not None and now - last < UNKNOWN_KID_REFRESH_GAP):
                raise AuthError(401, "unknown_key")
            self._last_unknown_kid_refresh = now
        try:
            await asyncio.shield(self._refresh("unknown_kid"))
        except KeyFetchError:
            pass
        key = self._cache.keys.get(kid)
        if key is None:
            raise AuthError(401, "unknown_key")
        return key

    # -- request authentication ---------------------------------------------------------------

    async def authenticate(self, authorization: str | None, activity: Mapping[str, Any]) -> Claims:
        """Check one inbound request; returns the verified claims or raises :class:`AuthError`."""
        try:
            return await self._authenticate(authorization, activity)
        except AuthError as error:
            self._reject(error)
            raise
        except Exception as exc:  # noqa: BLE001 - a bad request must never become a 500
            logger.error("inbound auth failed unexpectedly (%s)", type(exc).__name__)
            error = AuthError(401, "internal_error")
            self._reject(error)
            raise error from None

    def _reject(self, error: AuthError) -> None:
        logger.debug("inbound request rejected: status=%d reason=%s", error.status, error.reason)
        try:
            self.monitor.record(error.reason, error.status)
        except Exception:  # noqa: BLE001 - monitoring must not change the answer
            logger.error("auth failure monitor failed")

    async def _authenticate(self, authorization: object, activity: object) -> Claims:
        settings = self._settings
        token = _bearer_token(authorization)
        if not isinstance(activity, Mapping):
            raise AuthError(401, "bad_activity")

        try:
            header = jwt.get_unverified_header(token)
        except Exception:  # noqa: BLE001 - PyJWTError, or worse for truly odd input
            raise AuthError(401, "malformed_token") from None
        if header.get("alg") != "RS256":
            raise AuthError(401, "bad_algorithm")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise AuthError(401, "missing_kid")

        if not self.ready:
            self._nudge_when_unavailable()
            raise AuthError(401, "keys_unavailable")
        key = self._cache.keys.get(kid)
        if key is None:
            key = await self._key_for_unknown_kid(kid)

        try:
            payload = jwt.decode(
                token,
                key.jwk,
                algorithms=["RS256"],
                audience=settings.app_id,
                issuer=list(settings.issuers),
                options={
                    # Time is checked below against the injected clock, not PyJWT's wall clock.
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "require": ["exp", "iss", "aud"],
                },
            )
        except jwt.InvalidSignatureError:
            raise AuthError(401, "bad_signature") from None
        except jwt.InvalidAlgorithmError:
            raise AuthError(401, "bad_algorithm") from None
        except jwt.InvalidIssuerError:
            raise AuthError(401, "wrong_issuer") from None
        except jwt.InvalidAudienceError:
            raise AuthError(401, "wrong_audience") from None
        except jwt.MissingRequiredClaimError:
            raise AuthError(401, "missing_claim") from None
        except jwt.DecodeError:
            raise AuthError(401, "malformed_token") from None
        except jwt.PyJWTError:
            raise AuthError(401, "invalid_token") from None

        issuer = payload.get("iss")
        if not isinstance(issuer, str) or issuer not in settings.issuers:
            raise AuthError(401, "wrong_issuer")
        # Strict: one audience, exactly the app id (PyJWT would also accept a list holding it).
        if payload.get("aud") != settings.app_id:
            raise AuthError(401, "wrong_audience")

        now = self._clock.now().timestamp()
        skew = settings.clock_skew.total_seconds()
        exp = _number(payload.get("exp"))
        if exp is None:
            raise AuthError(401, "bad_time_claim")
        if now > exp + skew:
            raise AuthError(401, "expired")
        if "nbf" in payload:
            nbf = _number(payload.get("nbf"))
            if nbf is None:
                raise AuthError(401, "bad_time_claim")
            if now < nbf - skew:
                raise AuthError(401, "not_yet_valid")

        if key.endorsements is not None and TEAMS_CHANNEL_ID not in key.endorsements:
            raise AuthError(401, "key_not_endorsed")
        if activity.get("channelId") != TEAMS_CHANNEL_ID:
            raise AuthError(401, "wrong_channel")

        claimed_url = payload.get(SERVICE_URL_CLAIM)
        if not isinstance(claimed_url, str) or not claimed_url:
            raise AuthError(401, "missing_service_url_claim")
        service_url = activity.get("serviceUrl")
        if not same_service_url(claimed_url, service_url):
            raise AuthError(401, "service_url_mismatch")
        if not service_url_allowed(
            service_url,
            settings.allowed_service_hosts,
            allow_loopback=settings.allow_loopback_service_url,
        ):
            raise AuthError(401, "service_url_not_allowed")

        if not tenant_allowed(activity, settings.allowed_tenants, settings.app_tenant_id):
            raise AuthError(403, "wrong_tenant")

        return Claims(
            claims=MappingProxyType(dict(payload)),
            app_id=settings.app_id,
            issuer=issuer,
            service_url=str(service_url),
            tenant_id=tenant_id_of(activity),
            key_id=kid,
        )
