"""Outbound calls to the Bot Connector (Teams), over one shared aiohttp session.

The SDK's own connector client is built anew on every turn and never retries; this one is built
once per process, keeps its connections, and retries what Teams says is temporary: 429, 412, 502,
503 and 504 with exponential back-off and jitter, honouring ``Retry-After``. 403, 404 and 413 are
final. It also refuses to call any host that is not an allowed Teams service host, so a forged
``serviceUrl`` cannot make the bot call elsewhere.

It paces itself to Microsoft's published limits ("Optimize your bot with rate limiting in Teams",
https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit): per bot per
conversation ("thread") 7 operations per second, and "the global limit per app per tenant is 50
Requests Per Second (RPS)". Both are sliding one-second windows in this process; ``reach`` hands
out the send slots of a campaign below the tenant's limit across replicas (``REACH_PER_SECOND``).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import deque
from dataclasses import dataclass
from typing import Any, Awaitable, Callable
from urllib.parse import quote, urlsplit

import aiohttp

from bot.metrics import Metrics

log = logging.getLogger("servicedesk.connector")

RETRYABLE = frozenset({412, 429, 502, 503, 504})
PER_CONVERSATION_PER_SECOND = 7  # Microsoft: per bot per thread, 7 operations per second
TENANT_PER_SECOND = 50  # Microsoft: the global limit per app per tenant, 50 requests per second
TENANT = "tenant"  # the tenant pacer's one key


class ConnectorError(Exception):
    """A call to the Bot Connector that did not succeed (after retries, where retrying made sense)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"connector answered {status}: {reason}")
        self.status = status
        self.reason = reason

    @property
    def unreachable(self) -> bool:
        """The bot was removed or blocked, or the conversation is gone: stop trying this target."""
        return self.status in (403, 404)


class ServiceUrlRefused(ConnectorError):
    def __init__(self, url: str) -> None:
        super().__init__(0, f"service host not allowed: {urlsplit(url).hostname}")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_delay)
        ceiling = min(self.max_delay, self.base_delay * (2**attempt))
        return random.uniform(ceiling / 2, ceiling)  # "equal jitter": spread replicas apart


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class ConversationPacer:
    """Keeps each key under ``per_second`` calls in any second: each conversation under Teams'
    limit (7 per second), and with one key for all calls, the app under the tenant's (50).

    Uses a monotonic clock (the event loop's by default): this is pacing, not business time.
    Tests pass a fake ``monotonic`` and ``sleep`` that move together.
    """

    def __init__(
        self,
        *,
        per_second: int = PER_CONVERSATION_PER_SECOND,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] | None = None,
    ) -> None:
        self._per_second = per_second
        self._sleep = sleep
        self._monotonic = monotonic
        self._recent: dict[str, deque[float]] = {}

    def _now(self) -> float:
        return self._monotonic() if self._monotonic is not None else asyncio.get_running_loop().time()

    async def wait_turn(self, conversation_id: str) -> None:
        """Wait until a call may go out now, and count it (no await in between: nobody cuts in)."""
        await self.wait_free(conversation_id)
        self._recent.setdefault(conversation_id, deque()).append(self._now())

    async def wait_free(self, conversation_id: str) -> bool:
        """Wait until a call to this conversation would go out at once, without taking the slot.

        Returns whether it had to wait (then whatever was prepared for the call may be stale).
        """
        recent = self._recent.get(conversation_id)
        waited = False
        while recent:
            now = self._now()
            while recent and now - recent[0] >= 1.0:
                recent.popleft()
            if len(recent) < self._per_second:
                break
            await self._sleep(1.0 - (now - recent[0]) + 0.001)
            waited = True
        return waited

    def forget_idle(self) -> None:
        """Drop conversations with no recent calls (keeps memory flat over weeks)."""
        now = self._now()
        for key in [k for k, v in self._recent.items() if not v or now - v[-1] >= 1.0]:
            del self._recent[key]


TokenSource = Callable[[], Awaitable[str | None]]
ServiceUrlCheck = Callable[[str], bool]


class Connector:
    def __init__(
        self,
        *,
        session: aiohttp.ClientSession,
        token_source: TokenSource,
        service_url_allowed: ServiceUrlCheck,
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] | None = None,
        metrics: Metrics | None = None,
        tenant_per_second: int = TENANT_PER_SECOND,
    ) -> None:
        self._metrics = metrics or Metrics()
        self._session = session
        self._token = token_source
        self._allowed = service_url_allowed
        self._retry = retry
        self._sleep = sleep
        self._pacer = ConversationPacer(sleep=sleep, monotonic=monotonic)
        self._tenant = ConversationPacer(per_second=tenant_per_second, sleep=sleep, monotonic=monotonic)
        self._calls = 0

    async def until_free(self, conversation_id: str) -> bool:
        """Wait until a call to this conversation would not be paced; True when that took a wait."""
        return await self._pacer.wait_free(quote(conversation_id, safe=""))

    async def send(self, service_url: str, conversation_id: str, activity: dict[str, Any], reply_to: str | None = None) -> str | None:
        path = f"v3/conversations/{quote(conversation_id, safe='')}/activities"
        if reply_to:
            path += f"/{quote(reply_to, safe='')}"
        body = await self._call("POST", service_url, path, activity)
        return (body or {}).get("id")

    async def update(self, service_url: str, conversation_id: str, activity_id: str, activity: dict[str, Any]) -> None:
        path = f"v3/conversations/{quote(conversation_id, safe='')}/activities/{quote(activity_id, safe='')}"
        await self._call("PUT", service_url, path, activity)

    async def delete(self, service_url: str, conversation_id: str, activity_id: str) -> None:
        path = f"v3/conversations/{quote(conversation_id, safe='')}/activities/{quote(activity_id, safe='')}"
        await self._call("DELETE", service_url, path, None)

    async def create_conversation(self, service_url: str, parameters: dict[str, Any]) -> dict[str, Any]:
        return await self._call("POST", service_url, "v3/conversations", parameters) or {}

    async def _call(self, method: str, service_url: str, path: str, body: dict[str, Any] | None) -> dict[str, Any] | None:
        if not self._allowed(service_url):
            log.warning("outbound call refused: service host not allowed (%s)", urlsplit(service_url).hostname)
            raise ServiceUrlRefused(service_url)
        url = service_url.rstrip("/") + "/" + path
        conversation = path.split("/")[2] if path.count("/") >= 2 else ""
        self._calls += 1
        if self._calls % 1000 == 0:
            self._pacer.forget_idle()
        for attempt in range(self._retry.attempts):
            await self._pacer.wait_free(conversation)
            await self._tenant.wait_turn(TENANT)  # every call counts towards the app's limit in the tenant
            await self._pacer.wait_turn(conversation)
            headers = {"Content-Type": "application/json"}
            token = await self._token()
            if token:
                headers["Authorization"] = f"Bearer {token}"
            try:
                async with self._session.request(method, url, json=body, headers=headers) as response:
                    if response.status < 300:
                        if response.content_type == "application/json":
                            return await response.json()
                        await response.read()
                        return None
                    text = (await response.text())[:200]
                    if response.status == 429:
                        self._metrics.throttled()
                    if response.status not in RETRYABLE or attempt == self._retry.attempts - 1:
                        raise ConnectorError(response.status, text)
                    delay = self._retry.delay(attempt, _retry_after_seconds(response.headers.get("Retry-After")))
                    log.info("connector %s %s answered %s; retry %d in %.1fs", method, path.split("/")[1], response.status, attempt + 1, delay)
            except (aiohttp.ClientConnectionError, asyncio.TimeoutError) as exc:
                if attempt == self._retry.attempts - 1:
                    raise ConnectorError(503, f"connection failed: {type(exc).__name__}") from exc
                delay = self._retry.delay(attempt, None)
            await self._sleep(delay)
        raise ConnectorError(503, "retries exhausted")  # pragma: no cover - loop always returns or raises


class AppTokenSource:
    """Bearer tokens for outbound calls, from the SDK's MSAL-based app credentials.

    MSAL is synchronous; it runs on a worker thread only when the cached token is near expiry.
    Without an app id (local development) there is no token.
    """

    def __init__(self, *, app_id: str, password: str, tenant_id: str | None, clock) -> None:
        self._clock = clock
        self._credentials = None
        self._token: str | None = None
        self._valid_until = None
        self._lock = asyncio.Lock()
        if app_id:
            from botframework.connector.auth import MicrosoftAppCredentials

            self._credentials = MicrosoftAppCredentials(app_id, password, channel_auth_tenant=tenant_id or None)

    async def __call__(self) -> str | None:
        if self._credentials is None:
            return None
        from datetime import timedelta

        now = self._clock.now()
        if self._token and self._valid_until and now < self._valid_until:
            return self._token
        async with self._lock:
            if self._token and self._valid_until and now < self._valid_until:
                return self._token
            loop = asyncio.get_running_loop()
            self._token = await loop.run_in_executor(None, self._credentials.get_access_token)
            self._valid_until = now + timedelta(minutes=30)
            return self._token
