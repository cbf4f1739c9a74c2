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

Signing keys come from :mod:`bot.signing_keys` (fetched, cached, refreshed in the background;
``start()`` loads them and ``ready`` says whether any are there). Repeated failures become one
alert line per window (:mod:`bot.auth_alerts`).

Tenants
-------
``allowed_tenants`` is the allow-list of ``channelData.tenant.id`` values (compared
case-insensitively). When it is empty, only ``app_tenant_id`` is allowed if that is set (a
single-tenant bot); when both are empty any tenant is accepted (multi-tenant bot: set an
allow-list in production).

Logging
-------
Never the token, never the Authorization header, never claim values: only reason codes, key ids
and counts. Each failure is logged at DEBUG; ``bot.auth_alerts.AuthFailureMonitor`` turns repeated
failures into one WARNING alert line per window.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType
from typing import Any

import aiohttp
import jwt

from bot.auth_alerts import AuthFailureMonitor

from bot.service_urls import (
    TEAMS_SERVICE_HOSTS,
    same_service_url,
    service_url_allowed,
)
from bot.signing_keys import SigningKeys

__all__ = [
    "AuthError",
    "AuthSettings",
    "Claims",
    "InboundAuthenticator",
    "tenant_allowed",
    "tenant_id_of",
]

logger = logging.getLogger(__name__)

TEAMS_CHANNEL_ID = "msteams"
SERVICE_URL_CLAIM = "serviceurl"
MAX_AUTHORIZATION_LENGTH = 16 * 1024


# PyJWT's verdict as a reason code; the first matching class decides (a bad signature is also a
# DecodeError), and any other PyJWT error is an invalid token.
_JWT_REASONS: tuple[tuple[type[Exception], str], ...] = (
    (jwt.InvalidSignatureError, "bad_signature"),
    (jwt.InvalidAlgorithmError, "bad_algorithm"),
    (jwt.InvalidIssuerError, "wrong_issuer"),
    (jwt.InvalidAudienceError, "wrong_audience"),
    (jwt.MissingRequiredClaimError, "missing_claim"),
    (jwt.DecodeError, "malformed_token"),
    (jwt.PyJWTError, "invalid_token"),
)


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
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        """``poll_interval`` and ``sleep``: see :class:`bot.signing_keys.SigningKeys` (tests step it)."""
        self._settings = settings
        self._clock = clock
        self.monitor = monitor if monitor is not None else AuthFailureMonitor(clock)
        self.keys = SigningKeys(
            openid_metadata_url=settings.openid_metadata_url, fetch_timeout=settings.key_fetch_timeout,
            refresh_interval=settings.key_refresh_interval, clock=clock, session=session, poll_interval=poll_interval,
            sleep=sleep,
        )

    # -- its signing keys (bot.signing_keys) -----------------------------------------------------

    @property
    def ready(self) -> bool:
        """True once signing keys are loaded."""
        return self.keys.ready

    async def start(self) -> None:
        """Load the signing keys and start their refresh (raises KeyFetchError, keeps retrying)."""
        await self.keys.start()

    async def close(self) -> None:
        await self.keys.close()

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

        if not self.keys.ready:
            self.keys.nudge()
            raise AuthError(401, "keys_unavailable")
        key = self.keys.get(kid) or await self.keys.for_unknown_kid(kid)
        if key is None:
            raise AuthError(401, "unknown_key")

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
        except jwt.PyJWTError as error:
            reason = next(reason for kind, reason in _JWT_REASONS if isinstance(error, kind))
            raise AuthError(401, reason) from None

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
