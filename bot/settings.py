"""Settings from the environment (and a ``.env`` file), read once by the composition root.

Names follow DESIGN.md's outward contract; everything else has a safe default. Without
``MICROSOFT_APP_ID`` the bot runs in local development mode: no inbound authentication, loopback
service URLs allowed. That mode is announced in the log and on ``/readyz``, never silent.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from dotenv import dotenv_values

from bot.service_urls import TEAMS_SERVICE_HOSTS
from storage.db import default_database_url


class SettingsError(ValueError):
    """A setting has a value the bot cannot run with; the message names the variable."""


def _ids(value: str | None) -> frozenset[str]:
    return frozenset(part.strip().lower() for part in (value or "").split(",") if part.strip())


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    port: int = 3978
    host: str = "0.0.0.0"
    database_url: str = field(default_factory=default_database_url)
    app_id: str = ""
    app_password: str = ""
    app_tenant_id: str = ""
    app_type: str = "SingleTenant"
    sla_policy: str = "halt"
    tz_name: str = "Europe/Amsterdam"
    admins: frozenset[str] = frozenset()
    agents: frozenset[str] = frozenset()
    regie: frozenset[str] = frozenset()
    allowed_tenants: frozenset[str] = frozenset()
    allowed_service_hosts: tuple[str, ...] = TEAMS_SERVICE_HOSTS
    weekly_summary_day: str = "mon"
    weekly_summary_time: str = "08:30"
    max_body_bytes: int = 256 * 1024
    worker_id: str = field(default_factory=lambda: f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}")
    scheduler_enabled: bool = True
    # --- privacy, limits, logging (issue 8) ---
    # Personal data in tickets closed (or resolved, if never closed) longer ago than this is
    # removed by ``privacy purge`` (and the daily job); the SLA figures stay.
    retention_days: int = 365
    # Delivered activity ids are remembered this long so a redelivery changes nothing.
    dedup_keep_hours: int = 48
    log_format: str = "json"  # "json" (one object per line) or "text" (key=value)
    log_level: str = "INFO"
    # --- advanced: inbound authentication ---
    openid_metadata_url: str = "https://login.botframework.com/v1/.well-known/openidconfiguration"
    auth_key_fetch_timeout: float = 5.0
    # TESTS ONLY, never read from the environment: accept (and call) a loopback serviceUrl while
    # authentication is on, so end-to-end tests with signed tokens can use a local stub connector.
    allow_loopback_service_url: bool = False
    # --- servicedesk and regie (issue 5) ---
    # On-call (piket) contact alerted when a P1 comes in out of hours: free text shown to regie
    # ("Piketdienst ICT, 088 123 4567"), and/or the Entra object id of a person the bot messages.
    piket_contact: str = ""
    piket_user_id: str = ""
    # --- the supplier's ticket system (issue 20) ---
    # "none", "topdesk" or "servicenow"; the mapping file names the system's priorities,
    # categories, channels and statuses (docs/itsm-mapping.example.toml).
    itsm_backend: str = "none"
    topdesk_url: str = ""
    topdesk_user: str = ""
    topdesk_app_password: str = ""
    servicenow_url: str = ""
    servicenow_user: str = ""
    servicenow_password: str = ""
    itsm_mapping_file: str = "itsm_mapping.toml"
    itsm_poll_seconds: int = 60
    # After this long unreachable, the servicedesk channel is told (once per outage).
    itsm_alert_minutes: int = 15
    itsm_timeout_seconds: float = 20.0

    @property
    def itsm_account(self) -> tuple[str, str, str]:
        """(url, user, password) of the selected ticket system."""
        if self.itsm_backend == "servicenow":
            return self.servicenow_url, self.servicenow_user, self.servicenow_password
        return self.topdesk_url, self.topdesk_user, self.topdesk_app_password

    @property
    def dev_mode(self) -> bool:
        """No app credentials: local development (the Agents Playground), no inbound auth."""
        return not self.app_id

    def is_admin(self, object_id: str | None) -> bool:
        return bool(object_id) and object_id.lower() in self.admins

    def is_agent(self, object_id: str | None) -> bool:
        return bool(object_id) and object_id.lower() in (self.agents | self.admins)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, dotenv: Path | None = Path(".env")) -> "Settings":
        merged: dict[str, str] = {}
        if dotenv is not None and dotenv.exists():
            merged.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        merged.update(os.environ if env is None else env)
        app_id = merged.get("MICROSOFT_APP_ID", "").strip()
        password = merged.get("MICROSOFT_APP_PASSWORD", "")
        if app_id and not password:
            raise SettingsError("MICROSOFT_APP_PASSWORD is missing: it is required when MICROSOFT_APP_ID is set")
        tenant = merged.get("MICROSOFT_APP_TENANT_ID", "").strip()
        app_type = merged.get("MICROSOFT_APP_TYPE", "SingleTenant").strip() or "SingleTenant"
        if app_type not in ("SingleTenant", "MultiTenant", "UserAssignedMSI"):
            raise SettingsError(f"MICROSOFT_APP_TYPE must be SingleTenant, MultiTenant or UserAssignedMSI, got {app_type!r}")
        allowed_tenants = _ids(merged.get("ALLOWED_TENANTS"))
        if not allowed_tenants and tenant:
            allowed_tenants = frozenset({tenant.lower()})
        hosts = tuple(h.strip() for h in merged.get("ALLOWED_SERVICE_HOSTS", "").split(",") if h.strip())
        day = merged.get("WEEKLY_SUMMARY_DAY", "mon").strip().lower()[:3]
        if day not in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
            raise SettingsError(f"WEEKLY_SUMMARY_DAY must be a weekday such as mon, got {day!r}")
        time_text = merged.get("WEEKLY_SUMMARY_TIME", "08:30").strip()
        try:
            hour, minute = (int(p) for p in time_text.split(":"))
            if not (0 <= hour < 24 and 0 <= minute < 60) or 2 <= hour < 3:
                raise ValueError
        except ValueError as exc:
            raise SettingsError(
                f"WEEKLY_SUMMARY_TIME must be HH:MM outside 02:00-03:00 (DST changes), got {time_text!r}"
            ) from exc
        return cls(
            port=_int(merged, "PORT", 3978),
            host=merged.get("HOST", "0.0.0.0"),
            database_url=merged.get("DATABASE_URL") or default_database_url(),
            app_id=app_id,
            app_password=password,
            app_tenant_id=tenant,
            app_type=app_type,
            sla_policy=merged.get("SLA_POLICY", "halt") or "halt",
            tz_name=merged.get("TZ_NAME", "Europe/Amsterdam") or "Europe/Amsterdam",
            admins=_ids(merged.get("SERVICEDESK_ADMINS")),
            agents=_ids(merged.get("SERVICEDESK_AGENTS")),
            regie=_ids(merged.get("REGIE_MEMBERS")),
            allowed_tenants=allowed_tenants,
            allowed_service_hosts=hosts or TEAMS_SERVICE_HOSTS,
            weekly_summary_day=day,
            weekly_summary_time=f"{hour:02d}:{minute:02d}",
            max_body_bytes=_int(merged, "MAX_BODY_BYTES", 256 * 1024),
            scheduler_enabled=merged.get("SCHEDULER_ENABLED", "1") not in ("0", "false", "no"),
            retention_days=_retention_days(merged),
            dedup_keep_hours=_int(merged, "DEDUP_KEEP_HOURS", 48),
            log_format=_choice(merged, "LOG_FORMAT", "json", ("json", "text")),
            log_level=_choice(merged, "LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"), upper=True),
            openid_metadata_url=_https_url(merged, "OPENID_METADATA_URL", Settings.openid_metadata_url),
            auth_key_fetch_timeout=_float(merged, "AUTH_KEY_FETCH_TIMEOUT", 5.0),
            piket_contact=(merged.get("PIKET_CONTACT") or "").strip()[:200],
            piket_user_id=(merged.get("PIKET_USER_ID") or "").strip().lower(),
            **_itsm(merged),
        )


ITSM_BACKENDS = {
    "none": (),
    "topdesk": ("TOPDESK_URL", "TOPDESK_USER", "TOPDESK_APP_PASSWORD"),
    "servicenow": ("SERVICENOW_URL", "SERVICENOW_USER", "SERVICENOW_PASSWORD"),
}


def _itsm(env: Mapping[str, str]) -> dict[str, object]:
    """The ticket-system settings: the backend's URL, account and password are all required."""
    backend = _choice(env, "ITSM_BACKEND", "none", tuple(ITSM_BACKENDS))
    missing = [name for name in ITSM_BACKENDS[backend] if not (env.get(name) or "").strip()]
    if missing:
        raise SettingsError(f"{', '.join(missing)} must be set when ITSM_BACKEND={backend}")
    values: dict[str, object] = {
        "itsm_backend": backend,
        "itsm_mapping_file": (env.get("ITSM_MAPPING_FILE") or "itsm_mapping.toml").strip(),
        "itsm_poll_seconds": _int(env, "ITSM_POLL_SECONDS", 60),
        "itsm_alert_minutes": _int(env, "ITSM_ALERT_MINUTES", 15),
        "itsm_timeout_seconds": _float(env, "ITSM_TIMEOUT_SECONDS", 20.0),
    }
    if values["itsm_poll_seconds"] < 10:
        raise SettingsError(f"ITSM_POLL_SECONDS must be at least 10, got {values['itsm_poll_seconds']}")
    if values["itsm_alert_minutes"] < 1:
        raise SettingsError(f"ITSM_ALERT_MINUTES must be at least 1, got {values['itsm_alert_minutes']}")
    if backend == "topdesk":
        values.update(
            topdesk_url=_service_url(env, "TOPDESK_URL"), topdesk_user=env["TOPDESK_USER"].strip(),
            topdesk_app_password=env["TOPDESK_APP_PASSWORD"],
        )
    if backend == "servicenow":
        values.update(
            servicenow_url=_service_url(env, "SERVICENOW_URL"), servicenow_user=env["SERVICENOW_USER"].strip(),
            servicenow_password=env["SERVICENOW_PASSWORD"],
        )
    return values


def _service_url(env: Mapping[str, str], name: str) -> str:
    """An https URL; plain http only on this machine (a local test double), never for a password."""
    raw = env[name].strip().rstrip("/")
    host = raw.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    if not (raw.startswith("https://") or (raw.startswith("http://") and host in ("127.0.0.1", "localhost", "::1"))):
        raise SettingsError(f"{name} must be an https URL, got {raw!r}")
    return raw


def _retention_days(env: Mapping[str, str]) -> int:
    days = _int(env, "RETENTION_DAYS", 365)
    if days < 1:
        raise SettingsError(f"RETENTION_DAYS must be at least 1, got {days}")
    return days


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from exc
    if not value > 0:
        raise SettingsError(f"{name} must be positive, got {raw!r}")
    return value


def _choice(env: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...], *, upper: bool = False) -> str:
    raw = (env.get(name) or default).strip()
    value = raw.upper() if upper else raw.lower()
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, got {raw!r}")
    return value


def _https_url(env: Mapping[str, str], name: str, default: str) -> str:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.startswith("https://"):
        raise SettingsError(f"{name} must be an https URL, got {raw!r}")
    return raw
