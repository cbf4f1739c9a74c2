"""Locally signed Bot Framework tokens and a local OpenID metadata + JWKS endpoint, for any test.

Everything is offline: RSA keys are generated here, the key endpoint listens on 127.0.0.1 only.

Use from another test folder (its ``conftest.py``)::

    from tests.auth.tokens import key_server, token_kit  # noqa: F401  (pytest fixtures)

    async def test_something(token_kit):
        settings = token_kit.settings()                 # AuthSettings aimed at the local server
        auth = InboundAuthenticator(settings, clock=token_kit.clock, session=session)
        await auth.start()
        header = token_kit.authorization()              # "Bearer <valid token>"
        activity = token_kit.activity(text="hallo")     # a Teams message that matches the token
        claims = await auth.authenticate(header, activity)

Bad tokens: ``token_kit.token(aud="someone-else")``, ``token_kit.token(exp_in=timedelta(-1))``,
``token_kit.token(omit=("serviceurl",))``, ``unsigned_token(...)``, ``hs256_token(...)``,
``tampered(token, aud="x")``. Key rotation: ``token_kit.server.add_key(SigningKey.generate("k2"))``.
Outages: ``token_kit.server.hang()`` (requests are held until ``answer()``; ``await held()`` waits
for one to arrive) or ``token_kit.server.fail_status = 503``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

import jwt
import pytest_asyncio
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.auth import AuthSettings
from sla.clock import FixedClock

APP_ID = "6f1c2b7e-0d4a-4c61-9b1e-5a7f3c2d9e10"
TENANT_ID = "3a9e5c1d-7b2f-4e80-a6d4-1c8b0f2e7d55"
OTHER_TENANT_ID = "9d0c8b7a-6e5f-4d3c-8b2a-1f0e9d8c7b6a"
ISSUER = "https://api.botframework.com"
SERVICE_URL = "https://smba.trafficmanager.net/emea/"
T0 = datetime(2026, 4, 28, 8, 0, tzinfo=timezone.utc)  # a Tuesday morning


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64json(obj: Any) -> str:
    return _b64(json.dumps(obj, separators=(",", ":")).encode())


@lru_cache(maxsize=None)
def _rsa_private_key(kid: str) -> rsa.RSAPrivateKey:
    # Cached per kid: 2048-bit generation costs ~50 ms, and tests mint many tokens.
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass(frozen=True)
class SigningKey:
    """An RSA key pair with a key id; ``endorsements=None`` leaves the JWK without the field."""

    kid: str
    private_key: rsa.RSAPrivateKey
    endorsements: tuple[str, ...] | None = ("msteams",)

    @classmethod
    def generate(
        cls, kid: str, endorsements: Iterable[str] | None = ("msteams",)
    ) -> "SigningKey":
        return cls(
            kid=kid,
            private_key=_rsa_private_key(kid),
            endorsements=None if endorsements is None else tuple(endorsements),
        )

    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def jwk(self) -> dict[str, Any]:
        data = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))
        data.update({"kid": self.kid, "use": "sig"})
        if self.endorsements is not None:
            data["endorsements"] = list(self.endorsements)
        return data

    def sign(self, payload: Mapping[str, Any], headers: Mapping[str, Any] | None = None) -> str:
        """RS256-sign ``payload``; a header given as None (e.g. ``{"kid": None}``) is left out.

        Signs the JSON bytes through PyJWS, so any claim value can be minted (PyJWT's own
        ``jwt.encode`` refuses e.g. a non-string ``iss``, which a test may need to send).
        """
        merged = {"kid": self.kid, **(headers or {})}
        return jwt.api_jws.PyJWS().encode(
            json.dumps(dict(payload), separators=(",", ":")).encode(),
            self.private_key,
            algorithm="RS256",
            headers={k: v for k, v in merged.items() if v is not None},
        )


def claims_for(
    now: datetime,
    *,
    aud: str = APP_ID,
    iss: str = ISSUER,
    serviceurl: str = SERVICE_URL,
    exp_in: timedelta = timedelta(hours=1),
    nbf_in: timedelta = timedelta(minutes=-5),
    omit: Iterable[str] = (),
    **extra: Any,
) -> dict[str, Any]:
    """The payload the Bot Framework channel puts in its tokens, relative to ``now``."""
    ts = int(now.timestamp())
    payload: dict[str, Any] = {
        "serviceurl": serviceurl,
        "nbf": ts + int(nbf_in.total_seconds()),
        "exp": ts + int(exp_in.total_seconds()),
        "iss": iss,
        "aud": aud,
        **extra,
    }
    for name in omit:
        payload.pop(name, None)
    return payload


def unsigned_token(payload: Mapping[str, Any], kid: str = "key-1") -> str:
    """``alg: none``: header and payload, empty signature."""
    return f"{_b64json({'alg': 'none', 'typ': 'JWT', 'kid': kid})}.{_b64json(dict(payload))}."


def hs256_token(payload: Mapping[str, Any], secret: bytes, kid: str = "key-1") -> str:
    """HS256 signed with ``secret`` (the classic attack: the server's public key text)."""
    signing_input = f"{_b64json({'alg': 'HS256', 'typ': 'JWT', 'kid': kid})}.{_b64json(dict(payload))}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def tampered(token: str, **changes: Any) -> str:
    """The same header and signature with a changed payload."""
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(changes)
    return f"{header}.{_b64json(data)}.{signature}"


def teams_activity(
    *,
    service_url: str = SERVICE_URL,
    tenant_id: str | None = TENANT_ID,
    channel_id: str = "msteams",
    text: str = "Mijn laptop start niet op",
    activity_id: str = "1714291200000",
    **overrides: Any,
) -> dict[str, Any]:
    """A Teams personal-chat message activity as it arrives on /api/messages."""
    activity: dict[str, Any] = {
        "type": "message",
        "id": activity_id,
        "timestamp": "2026-04-28T08:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": channel_id,
        "from": {"id": "29:1abc", "name": "Sanne de Vries", "aadObjectId": "a1b2c3d4-0000-4000-8000-000000000001"},
        "conversation": {"conversationType": "personal", "tenantId": tenant_id, "id": "a:1xyz"},
        "recipient": {"id": f"28:{APP_ID}", "name": "Servicedesk"},
        "text": text,
        "locale": "nl-NL",
        "channelData": {"tenant": {"id": tenant_id}} if tenant_id is not None else {},
    }
    activity.update(overrides)
    return activity


class KeyServer:
    """OpenID metadata + JWKS on 127.0.0.1 (an ephemeral port).

    Mutable at run time: ``keys`` (served JWKS), ``fail_status`` (answer this HTTP status instead),
    ``hang()``/``answer()`` (hold every request until told to answer: an endpoint that hangs, with no
    real time in the test). ``hits`` counts requests per path.
    """

    METADATA_PATH = "/v1/.well-known/openidconfiguration"
    JWKS_PATH = "/v1/.well-known/keys"

    def __init__(self, keys: Iterable[SigningKey] = ()) -> None:
        self.keys: list[SigningKey] = list(keys)
        self._open = asyncio.Event()
        self._open.set()
        self._arrived = asyncio.Event()
        self.holding = 0  # requests held now
        self.fail_status: int | None = None
        self.hits: Counter[str] = Counter()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    @property
    def metadata_url(self) -> str:
        return self.base_url + self.METADATA_PATH

    @property
    def jwks_url(self) -> str:
        return self.base_url + self.JWKS_PATH

    def add_key(self, key: SigningKey) -> None:
        self.keys.append(key)

    def replace_keys(self, keys: Iterable[SigningKey]) -> None:
        self.keys = list(keys)

    async def _answer(self, path: str, body: Mapping[str, Any]) -> web.Response:
        self.hits[path] += 1
        if not self._open.is_set():
            self.holding += 1
            self._arrived.set()
            try:
                await self._open.wait()
            finally:
                self.holding -= 1
        if self.fail_status is not None:
            return web.Response(status=self.fail_status, text="unavailable")
        return web.json_response(body)

    def hang(self) -> None:
        """From now on every request is held (the endpoint hangs) until ``answer()``."""
        self._open.clear()

    def answer(self) -> None:
        """Answer the held requests, and the next ones at once."""
        self._open.set()

    async def held(self, count: int = 1) -> None:
        """Until ``count`` requests are held (after ``hang()``)."""
        while self.holding < count:
            self._arrived.clear()
            await self._arrived.wait()

    async def _metadata(self, request: web.Request) -> web.Response:
        return await self._answer(
            self.METADATA_PATH,
            {
                "issuer": ISSUER,
                "authorization_endpoint": "https://invalid.example/v1/auth",
                "jwks_uri": self.jwks_url,
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            },
        )

    async def _jwks(self, request: web.Request) -> web.Response:
        return await self._answer(self.JWKS_PATH, {"keys": [k.jwk() for k in self.keys]})

    async def start(self) -> "KeyServer":
        app = web.Application()
        app.router.add_get(self.METADATA_PATH, self._metadata)
        app.router.add_get(self.JWKS_PATH, self._jwks)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def close(self) -> None:
        self.answer()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> "KeyServer":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


@dataclass
class TokenKit:
    """One signing key served by a local KeyServer, a FixedClock, and helpers that agree."""

    server: KeyServer
    key: SigningKey
    clock: FixedClock = field(default_factory=lambda: FixedClock(T0))

    def settings(self, **overrides: Any) -> AuthSettings:
        values: dict[str, Any] = {
            "app_id": APP_ID,
            "allowed_tenants": frozenset({TENANT_ID}),
            "openid_metadata_url": self.server.metadata_url,
            "issuers": (ISSUER,),
            "key_fetch_timeout": 2.0,
        }
        values.update(overrides)
        return AuthSettings(**values)

    def claims(self, **overrides: Any) -> dict[str, Any]:
        return claims_for(self.clock.now(), **overrides)

    def token(
        self,
        *,
        key: SigningKey | None = None,
        headers: Mapping[str, Any] | None = None,
        **claim_overrides: Any,
    ) -> str:
        return (key or self.key).sign(self.claims(**claim_overrides), headers)

    def authorization(self, **kwargs: Any) -> str:
        return "Bearer " + self.token(**kwargs)

    def activity(self, **overrides: Any) -> dict[str, Any]:
        return teams_activity(**overrides)


@pytest_asyncio.fixture
async def key_server():
    """A running KeyServer on loopback serving the key ``key-1`` (endorses msteams)."""
    async with KeyServer([SigningKey.generate("key-1")]) as server:
        yield server


@pytest_asyncio.fixture
async def token_kit(key_server):
    """TokenKit around ``key_server``; its clock stands at T0 until the test moves it."""
    return TokenKit(server=key_server, key=key_server.keys[0])
