"""Structured logs with a correlation id per turn, and a safety net against leaking secrets.

- ``configure_logging(level, fmt)`` (called by ``run_serve``): one JSON object per line
  (``fmt="json"``, the default) or ``key=value`` pairs (``fmt="text"``), on stderr.
- ``correlation_id`` is a context variable. ``bot.http`` sets it for every request on
  ``/api/messages`` (from the activity id, or a fresh one); :class:`CorrelationFilter` copies it to
  every record as ``correlation_id``, so all lines of one turn (and the outbound sends it causes,
  since tasks inherit the context) can be found together.
- :class:`RedactingFilter` replaces anything that looks like a bearer token or a JWT in a record's
  message by ``[redacted]``. It is a safety net: the code logs reason codes, ids and counts, never
  tokens, secrets or ticket text at INFO and above.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import traceback
import uuid
from datetime import datetime, timezone
from typing import Any

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)

_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
_BEARER = re.compile(r"(?i)bearer\s+[A-Za-z0-9._~+/=-]{8,}")
_SAFE_ID = re.compile(r"[^A-Za-z0-9:._@-]")

_STANDARD_ATTRS = frozenset(
    vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None)).keys()
) | {"message", "asctime", "correlation_id"}


def new_correlation_id(activity_id: object = None) -> str:
    """A short id for one turn: the activity id when usable (Teams shows it too), else random."""
    if isinstance(activity_id, str) and activity_id.strip():
        cleaned = _SAFE_ID.sub("", activity_id.strip())[:64]
        if cleaned:
            return f"{cleaned}~{uuid.uuid4().hex[:6]}"
    return uuid.uuid4().hex[:16]


def redact(text: str) -> str:
    text = _BEARER.sub("Bearer [redacted]", text)
    return _JWT.sub("[redacted]", text)


class CorrelationFilter(logging.Filter):
    """Adds ``record.correlation_id`` (``-`` outside a turn)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = correlation_id.get() or "-"
        return True


class RedactingFilter(logging.Filter):
    """Masks bearer tokens and JWTs in the formatted message (and drops them from args)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not break logging
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "correlation_id": getattr(record, "correlation_id", None) or correlation_id.get() or "-",
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)
        if record.exc_info:
            exc_type = record.exc_info[0]
            entry["exc_type"] = exc_type.__name__ if exc_type else None
            entry["exc"] = format_exception_safely(record)
        return json.dumps(entry, ensure_ascii=False, default=str)


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds")
        cid = getattr(record, "correlation_id", None) or correlation_id.get() or "-"
        line = (
            f"ts={ts} level={record.levelname} logger={record.name} correlation_id={cid} "
            f"msg={json.dumps(record.getMessage(), ensure_ascii=False)}"
        )
        if record.exc_info:
            line += " exc=" + json.dumps(format_exception_safely(record), ensure_ascii=False)
        return line


def format_exception_safely(record: logging.LogRecord) -> str:
    """The traceback of a record's exception. Above DEBUG without the exception *messages*: they
    can hold user input (a database error repeats the statement's parameters, i.e. ticket text).
    The frames (file, line, code) and the exception types are enough to find the bug."""
    exc_type, exc, tb = record.exc_info  # type: ignore[misc]
    if record.levelno <= logging.DEBUG:
        return redact("".join(traceback.format_exception(exc_type, exc, tb)))
    parts: list[str] = []
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        parts.append("".join(traceback.format_tb(exc.__traceback__)) + f"{type(exc).__module__}.{type(exc).__qualname__}")
        exc = exc.__cause__ or exc.__context__
    return "\n-- caused by / during --\n".join(parts)


def install_filters(handler: logging.Handler) -> logging.Handler:
    """Add the correlation and redaction filters to ``handler`` (idempotent)."""
    kinds = {type(f) for f in handler.filters}
    if CorrelationFilter not in kinds:
        handler.addFilter(CorrelationFilter())
    if RedactingFilter not in kinds:
        handler.addFilter(RedactingFilter())
    return handler


def configure_logging(level: str = "INFO", fmt: str = "json", *, stream: Any = None) -> logging.Handler:
    """Replace the root logger's handlers by one structured handler; returns it."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else KeyValueFormatter())
    install_filters(handler)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    # aiohttp's access log would repeat every request line; the endpoint logs what matters.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    return handler
