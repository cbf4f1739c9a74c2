"""Which serviceUrls the bot will trust and call.

A Bot Framework activity names the URL the bot must answer on (``serviceUrl``). A forged or
tampered activity could point it anywhere, so both the inbound check and every outbound call ask
:func:`service_url_allowed` first: https only, and the host equal to an allow-listed Teams service
host or a subdomain of one. Anything odd about the URL (credentials, backslashes, whitespace,
non-ASCII, a non-default port) is refused rather than interpreted, because two URL parsers that
disagree about a host are exactly how such checks get bypassed.

Local development (the Agents Playground serves its mock connector on
``http://localhost:56150/_connector``) is allowed only when the caller passes
``allow_loopback=True`` explicitly.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

# Microsoft Teams' Bot Connector endpoints in the commercial cloud (the one Dutch public
# organisations use): https://smba.trafficmanager.net/{emea,amer,apac,...}/
TEAMS_SERVICE_HOSTS: tuple[str, ...] = ("smba.trafficmanager.net",)

# Sovereign clouds are not allowed by default; a tenant there adds its hosts to ALLOWED_SERVICE_HOSTS
# (smba.infra.gcc.teams.microsoft.com, smba.infra.gov.teams.microsoft.us, smba.infra.dod.teams.microsoft.us).

_LOOPBACK_NAMES = frozenset({"localhost"})
_MAX_URL_LENGTH = 2048


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def service_url_host(url: object) -> str | None:
    """The lower-cased host of a well-formed http(s) URL, or None when the URL is suspicious."""
    if not isinstance(url, str) or not url or len(url) > _MAX_URL_LENGTH:
        return None
    if not url.isascii() or any(ch.isspace() or ord(ch) < 0x21 or ch == "\x7f" for ch in url):
        return None
    if "\\" in url:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        return None
    host = (parts.hostname or "").lower()
    if not host or host.endswith("."):
        return None
    del port
    return host


def service_url_allowed(
    url: object,
    allowed_hosts: Iterable[str],
    *,
    allow_loopback: bool = False,
) -> bool:
    """True when the bot may trust and call ``url``.

    - https only, default port (443) only;
    - the host equals an allowed host or ends with ``"." + allowed host``
      (``emea.smba.trafficmanager.net`` passes, ``smba.trafficmanager.net.evil.example`` does not);
    - with ``allow_loopback=True`` (local development mode only) http or https to localhost /
      127.0.0.0/8 / ::1 on any port is allowed as well.
    """
    host = service_url_host(url)
    if host is None:
        return False
    parts = urlsplit(url)  # type: ignore[arg-type]  # service_url_host vetted it
    scheme = parts.scheme.lower()
    if allow_loopback and _is_loopback(host):
        return True
    if scheme != "https" or parts.port not in (None, 443):
        return False
    for allowed in allowed_hosts:
        allowed = allowed.strip().lower().rstrip(".")
        if not allowed:
            continue
        if host == allowed or host.endswith("." + allowed):
            return True
    return False


def same_service_url(a: object, b: object) -> bool:
    """Compare two serviceUrls as Bot Framework does: case-insensitive, trailing slash ignored."""
    if not isinstance(a, str) or not isinstance(b, str) or not a or not b:
        return False
    return a.rstrip("/").lower() == b.rstrip("/").lower()
