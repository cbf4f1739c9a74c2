"""One HTTP call to a ticket system, with its timeout, and its failure put in words.

Both connectors call through ``call_json``: the app's one long-lived ``aiohttp.ClientSession`` (owned
by the app's ``cleanup_ctx``), a timeout on every call, and every failure an ``ItsmError`` whose
fault says what happened (no answer, 401, 403, 429, 5xx, or a request the system rejects), with
the system's ``Retry-After`` when it gave one. Nothing is retried here: the callers (``itsm.sync``)
keep the work in the database and decide when to try again, so a retry survives a restart.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any, Mapping

import aiohttp

from itsm.base import Fault, ItsmError

MAX_DETAIL = 200


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any  # parsed JSON, or None for an empty body
    headers: Mapping[str, str]


async def call_json(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    auth: aiohttp.BasicAuth,
    timeout: float,
    params: Mapping[str, Any] | None = None,
    body: Any = None,
) -> Answer:
    """``method url`` with a JSON body; 2xx answers come back, everything else raises ItsmError."""
    try:
        async with session.request(
            method,
            url,
            params={k: str(v) for k, v in (params or {}).items() if v is not None},
            json=body,
            auth=auth,
            headers={"Accept": "application/json"},
            timeout=aiohttp.ClientTimeout(total=timeout),
            allow_redirects=False,
        ) as response:
            raw = await response.read()
            status, headers = response.status, response.headers
    except asyncio.TimeoutError as exc:
        raise ItsmError(Fault.UNREACHABLE, f"no answer within {timeout:g} s from {_where(url)}") from exc
    except aiohttp.ClientError as exc:
        raise ItsmError(Fault.UNREACHABLE, f"{type(exc).__name__} calling {_where(url)}") from exc
    if 200 <= status < 300:
        return Answer(status, _parse(raw), headers)
    detail = f"HTTP {status} on {method} {_where(url)}: {_message(raw)}"[:MAX_DETAIL]
    retry_after = _retry_after(headers.get("Retry-After"))
    if status == 401:
        raise ItsmError(Fault.CREDENTIALS, detail, status=status)
    if status == 403:
        raise ItsmError(Fault.FORBIDDEN, detail, status=status)
    if status == 429:
        raise ItsmError(Fault.THROTTLED, detail, status=status, retry_after=retry_after)
    if status >= 500 or status == 408:
        raise ItsmError(Fault.SERVER_ERROR, detail, status=status, retry_after=retry_after)
    raise ItsmError(Fault.REJECTED, detail, status=status)


def _where(url: str) -> str:
    """The path of the call, never its query (which may hold a person's e-mail address)."""
    return url.split("?", 1)[0]


def _parse(raw: bytes) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ItsmError(Fault.SERVER_ERROR, "the answer is not JSON") from exc


def _message(raw: bytes) -> str:
    """The system's own error message: TOPdesk answers [{"message": ...}], ServiceNow {"error": {...}}."""
    try:
        document = json.loads(raw)
    except ValueError:
        return raw[:80].decode("utf-8", "replace") or "no message"
    if isinstance(document, list) and document and isinstance(document[0], dict):
        return str(document[0].get("message") or document[0])
    if isinstance(document, dict):
        error = document.get("error")
        if isinstance(error, dict):
            return str(error.get("message") or error.get("detail") or error)
        return str(document.get("message") or document)
    return str(document)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header in its delta-seconds form (RFC 9110 §10.2.3).

    The HTTP-date form would need the wall clock to turn into a wait; it is left to the caller's
    own back-off, which waits at least as long in practice.
    """
    value = (value or "").strip()
    return float(value) if value.isdigit() else None
