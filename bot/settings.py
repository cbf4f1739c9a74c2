"""Settings from the environment (and a ``.env`` file), validated once, at start, by pydantic.

Each field's alias is its environment variable (DESIGN.md's outward contract and README's
configuration table); everything else has a safe default. Without ``MICROSOFT_APP_ID`` the bot runs
in local development mode: no inbound authentication, loopback service URLs allowed. That mode is
announced in the log and on ``/readyz``, never silent.

pydantic does the parsing and checking: whole numbers and their ranges, booleans in the usual
spellings (``1/0``, ``true/false``, ``yes/no``, ``on/off``), fixed choices, and one error per bad
value naming the variable. The environment is read by :meth:`Settings.from_env` alone (the
command line calls it once; ``app.main`` has loaded ``.env`` into the environment before, the
environment winning). pydantic-settings' ``BaseSettings`` was not used: it reads the process
environment whenever a ``Settings`` is built, so the many tests that build their own would pick up
whatever the shell that runs them exports; here building one in code reads nothing but its
arguments.
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta
import uuid
from typing import Annotated, Any, Literal, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.auth import AuthSettings
from bot.report_links import ReportLinks
from bot.service_urls import TEAMS_SERVICE_HOSTS
from reach.service import Options as ReachOptions
from storage.agents import Lines
from storage.db import default_database_url


class SettingsError(ValueError):
    """A setting has a value the bot cannot run with; the message names the variable."""


def _ids(value: Any) -> frozenset[str]:
    """Comma-separated ids (Entra object ids, tenant ids), matched case-insensitively."""
    parts = value.split(",") if isinstance(value, str) else (value or ())
    return frozenset(part.strip().lower() for part in parts if part.strip())


def _hosts(value: Any) -> tuple[str, ...]:
    parts = value.split(",") if isinstance(value, str) else (value or ())
    return tuple(part.strip() for part in parts if part.strip()) or TEAMS_SERVICE_HOSTS


def _months(value: Any) -> tuple[int, ...]:
    """"3,10" -> (3, 10); empty: none."""
    parts = [part.strip() for part in value.split(",")] if isinstance(value, str) else list(value or ())
    try:
        months = tuple(sorted({int(part) for part in parts if str(part).strip()}))
    except ValueError:
        raise ValueError("must be month numbers separated by commas, such as 3,10") from None
    if any(not 1 <= month <= 12 for month in months):
        raise ValueError("months run from 1 to 12, such as 3,10")
    return months


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _service_url(value: Any) -> str:
    """An https URL; plain http only on this machine (a local test double), never for a password."""
    raw = str(value).strip().rstrip("/")
    host = raw.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    if raw and not (raw.startswith("https://") or (raw.startswith("http://") and host in ("127.0.0.1", "localhost", "::1"))):
        raise ValueError("must be an https URL")
    return raw


Ids = Annotated[frozenset[str], BeforeValidator(_ids)]
ServiceUrl = Annotated[str, BeforeValidator(_service_url)]
Text = Annotated[str, BeforeValidator(_stripped)]
Port = Annotated[int, Field(ge=1, le=65535)]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The settings each ticket system needs: its URL, user and password, in ``itsm_account``'s order.
ITSM_BACKENDS = {
    "none": (),
    "topdesk": ("TOPDESK_URL", "TOPDESK_USER", "TOPDESK_APP_PASSWORD"),
    "servicenow": ("SERVICENOW_URL", "SERVICENOW_USER", "SERVICENOW_PASSWORD"),
}


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")

    port: Port = Field(3978, alias="PORT")
    host: Text = Field("0.0.0.0", alias="HOST")
    database_url: Text = Field(default_factory=default_database_url, alias="DATABASE_URL")
    app_id: Text = Field("", alias="MICROSOFT_APP_ID")
    app_password: str = Field("", alias="MICROSOFT_APP_PASSWORD", repr=False)
    app_tenant_id: Text = Field("", alias="MICROSOFT_APP_TENANT_ID")
    app_type: Literal["SingleTenant", "MultiTenant", "UserAssignedMSI"] = Field("SingleTenant", alias="MICROSOFT_APP_TYPE")
    sla_policy: Text = Field("halt", alias="SLA_POLICY")
    tz_name: Text = Field("Europe/Amsterdam", alias="TZ_NAME")
    admins: Ids = Field(frozenset(), alias="SERVICEDESK_ADMINS")
    agents: Ids = Field(frozenset(), alias="SERVICEDESK_AGENTS")
    regie: Ids = Field(frozenset(), alias="REGIE_MEMBERS")
    # Empty: the app's own tenant (MICROSOFT_APP_TENANT_ID), see ``_tenant_allow_list``.
    allowed_tenants: Ids = Field(frozenset(), alias="ALLOWED_TENANTS")
    allowed_service_hosts: Annotated[tuple[str, ...], BeforeValidator(_hosts)] = Field(
        TEAMS_SERVICE_HOSTS, alias="ALLOWED_SERVICE_HOSTS"
    )
    weekly_summary_day: str = Field("mon", alias="WEEKLY_SUMMARY_DAY")
    weekly_summary_time: str = Field("08:30", alias="WEEKLY_SUMMARY_TIME")
    max_body_bytes: int = Field(256 * 1024, ge=1024, le=64 * 1024 * 1024, alias="MAX_BODY_BYTES")
    worker_id: str = Field(default_factory=lambda: f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}")
    scheduler_enabled: bool = Field(True, alias="SCHEDULER_ENABLED")
    # Personal data in tickets closed (or resolved, if never closed) longer ago than this is
    # removed by ``privacy purge`` (and the daily job); the SLA figures stay.
    retention_days: int = Field(365, ge=1, le=100 * 365, alias="RETENTION_DAYS")
    # Delivered activity ids are remembered this long so a redelivery changes nothing.
    dedup_keep_hours: int = Field(48, ge=1, le=24 * 365, alias="DEDUP_KEEP_HOURS")
    log_format: Literal["json", "text"] = Field("json", alias="LOG_FORMAT")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", alias="LOG_LEVEL")
    # --- advanced: inbound authentication ---
    openid_metadata_url: Text = Field(
        "https://login.botframework.com/v1/.well-known/openidconfiguration", alias="OPENID_METADATA_URL"
    )
    auth_key_fetch_timeout: float = Field(5.0, gt=0, le=120, alias="AUTH_KEY_FETCH_TIMEOUT")
    # TESTS ONLY, never read from the environment: accept (and call) a loopback serviceUrl while
    # authentication is on, so end-to-end tests with signed tokens can use a local stub connector.
    allow_loopback_service_url: bool = False
    # On-call (piket) contact alerted when a P1 comes in out of hours: free text shown to regie
    # ("Piketdienst ICT, 088 123 4567"), and/or the Entra object id of a person the bot messages.
    piket_contact: Annotated[str, BeforeValidator(lambda v: _stripped(v)[:200])] = Field("", alias="PIKET_CONTACT")
    piket_user_id: Annotated[str, BeforeValidator(lambda v: _stripped(v).lower())] = Field("", alias="PIKET_USER_ID")
    # --- delivery (issue 15) ---
    # A message Teams keeps refusing (a channel's 403/404, 5xx) is tried again with back-off this
    # long, then given up: reported to the servicedesk, listed by `servicedesk outbox list`.
    outbox_give_up_hours: int = Field(24, ge=1, le=24 * 365, alias="OUTBOX_GIVE_UP_HOURS")
    # --- treatment lines and security (issue 16) ---
    # Agents of the second and third treatment line; every other agent is first line, the
    # servicedesk. A hand-over records the line it left and the line it reached, and first-time-fix
    # counts the tickets that never changed line.
    second_line_agents: Ids = Field(frozenset(), alias="SECOND_LINE_AGENTS")
    third_line_agents: Ids = Field(frozenset(), alias="THIRD_LINE_AGENTS")
    # The privacy officer(s): told personally at once of every data breach (beside the notice in
    # the regie channel), and allowed to register "gemeld bij AP".
    privacy_officers: Ids = Field(frozenset(), alias="PRIVACY_OFFICERS")
    # --- the supplier's ticket system (issue 20) ---
    # "none", "topdesk" or "servicenow"; the mapping file names the system's priorities,
    # categories, channels and statuses (docs/itsm-mapping.example.toml).
    itsm_backend: Literal["none", "topdesk", "servicenow"] = Field("none", alias="ITSM_BACKEND")
    topdesk_url: ServiceUrl = Field("", alias="TOPDESK_URL")
    topdesk_user: Text = Field("", alias="TOPDESK_USER")
    topdesk_app_password: str = Field("", alias="TOPDESK_APP_PASSWORD", repr=False)
    servicenow_url: ServiceUrl = Field("", alias="SERVICENOW_URL")
    servicenow_user: Text = Field("", alias="SERVICENOW_USER")
    servicenow_password: str = Field("", alias="SERVICENOW_PASSWORD", repr=False)
    itsm_mapping_file: Text = Field("itsm_mapping.toml", alias="ITSM_MAPPING_FILE")
    itsm_poll_seconds: int = Field(60, ge=10, alias="ITSM_POLL_SECONDS")
    # After this long unreachable, the servicedesk channel is told (once per outage).
    itsm_alert_minutes: int = Field(15, ge=1, alias="ITSM_ALERT_MINUTES")
    itsm_timeout_seconds: float = Field(20.0, gt=0, le=300, alias="ITSM_TIMEOUT_SECONDS")
    # --- reaching many employees (reach, issue 19) ---
    # Send slots of a campaign per second, over all replicas: under Teams' 50 requests per second
    # per app per tenant, leaving room for the bot's conversations and cards.
    reach_per_second: int = Field(30, ge=1, le=50, alias="REACH_PER_SECOND")
    # Non-ticket messages (announcements, survey questions) one employee gets at most per week.
    max_notices_per_week: int = Field(3, ge=1, le=50, alias="MAX_NOTICES_PER_WEEK")
    # --- watching the bot (bot.metrics, bot.tracing) ---
    # /metrics on the main port, for a scraper that sends "Authorization: Bearer <token>".
    metrics_token: str = Field("", alias="METRICS_TOKEN", repr=False)
    # /metrics without a token on a port of its own (never publish it), on METRICS_HOST.
    metrics_port: Port | None = Field(None, alias="METRICS_PORT")
    metrics_host: Text = Field("127.0.0.1", alias="METRICS_HOST")
    # OpenTelemetry traces when an OTLP exporter is configured (the SDK reads the rest of OTEL_*).
    otel_endpoint: Text = Field(
        "", validation_alias=AliasChoices("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
    )
    # --- the monthly report's link on regie's card (bot.report_links, issue 17) ---
    # Where Teams users reach this bot (https://bot.example.nl); with the secret it turns the link on.
    public_base_url: ServiceUrl = Field("", alias="PUBLIC_BASE_URL")
    report_link_secret: str = Field("", alias="REPORT_LINK_SECRET", repr=False)
    report_link_days: int = Field(31, ge=1, le=366, alias="REPORT_LINK_DAYS")
    # The experience surveys (XLA, PvE §10.5: "minimaal twee keer per jaar"): the months in which a
    # round starts (10:00 on the first working day; empty: only on demand), after how many days the
    # one reminder goes, and how long a round stays open.
    survey_months: Annotated[tuple[int, ...], BeforeValidator(_months)] = Field((3, 10), alias="SURVEY_MONTHS")
    survey_reminder_days: int = Field(7, ge=1, le=60, alias="SURVEY_REMINDER_DAYS")
    survey_open_days: int = Field(14, ge=2, le=90, alias="SURVEY_OPEN_DAYS")

    @property
    def reach(self) -> ReachOptions:
        return ReachOptions(per_second=self.reach_per_second, max_per_week=self.max_notices_per_week)

    @field_validator("weekly_summary_day", mode="before")
    @classmethod
    def _weekday(cls, value: Any) -> str:
        day = str(value).strip().lower()[:3]
        if day not in WEEKDAYS:
            raise ValueError("must be a weekday such as mon")
        return day

    @field_validator("weekly_summary_time", mode="before")
    @classmethod
    def _time_of_day(cls, value: Any) -> str:
        try:
            hour, minute = (int(part) for part in str(value).strip().split(":"))
        except ValueError:
            hour = minute = -1
        if not (0 <= hour < 24 and 0 <= minute < 60) or 2 <= hour < 3:
            raise ValueError("must be HH:MM outside 02:00-03:00 (DST changes)")
        return f"{hour:02d}:{minute:02d}"

    @field_validator("log_format", "log_level", "itsm_backend", mode="before")
    @classmethod
    def _any_case(cls, value: Any, info) -> Any:
        if not isinstance(value, str):
            return value
        return value.strip().upper() if info.field_name == "log_level" else value.strip().lower()

    @field_validator("tz_name")
    @classmethod
    def _time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone; use an IANA name such as Europe/Amsterdam") from None
        return value

    @field_validator("openid_metadata_url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not value.startswith("https://"):
            raise ValueError("must be an https URL")
        return value

    @model_validator(mode="after")
    def _together(self) -> "Settings":
        """Settings that only work together: the app's password, the ticket system's account."""
        if self.app_id and not self.app_password:
            raise ValueError("MICROSOFT_APP_PASSWORD is missing: it is required when MICROSOFT_APP_ID is set")
        twice = self.second_line_agents & self.third_line_agents
        if twice:
            raise ValueError(f"SECOND_LINE_AGENTS and THIRD_LINE_AGENTS both name {sorted(twice)[0]}: an agent works in one line")
        missing = [name for name, value in zip(ITSM_BACKENDS[self.itsm_backend], self.itsm_account) if not value]
        if missing:
            raise ValueError(f"{', '.join(missing)} must be set when ITSM_BACKEND={self.itsm_backend}")
        if bool(self.public_base_url) != bool(self.report_link_secret):
            raise ValueError("PUBLIC_BASE_URL and REPORT_LINK_SECRET go together: set both for the report link, or neither")
        if self.report_link_secret and len(self.report_link_secret) < 32:
            raise ValueError("REPORT_LINK_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)")
        if self.survey_reminder_days >= self.survey_open_days:
            raise ValueError("SURVEY_REMINDER_DAYS must be less than SURVEY_OPEN_DAYS: the reminder goes while the survey is open")
        if not self.allowed_tenants and self.app_tenant_id:
            object.__setattr__(self, "allowed_tenants", frozenset({self.app_tenant_id.lower()}))
        return self

    @property
    def itsm_account(self) -> tuple[str, str, str]:
        """(url, user, password) of the selected ticket system."""
        if self.itsm_backend == "servicenow":
            return self.servicenow_url, self.servicenow_user, self.servicenow_password
        return self.topdesk_url, self.topdesk_user, self.topdesk_app_password

    @property
    def report_links(self) -> ReportLinks | None:
        """The signed links to the monthly report, when PUBLIC_BASE_URL and its secret are set."""
        if not self.public_base_url:
            return None
        return ReportLinks(self.public_base_url, self.report_link_secret.encode(), timedelta(days=self.report_link_days))

    @property
    def dev_mode(self) -> bool:
        """No app credentials: local development (the Agents Playground), no inbound auth."""
        return not self.app_id

    def auth_settings(self) -> AuthSettings:
        """What the inbound authenticator needs (production mode only: it needs an app id)."""
        return AuthSettings(
            app_id=self.app_id,
            allowed_tenants=self.allowed_tenants,
            app_tenant_id=self.app_tenant_id or None,
            allowed_service_hosts=self.allowed_service_hosts,
            openid_metadata_url=self.openid_metadata_url,
            key_fetch_timeout=self.auth_key_fetch_timeout,
            allow_loopback_service_url=self.allow_loopback_service_url,
        )

    def is_admin(self, object_id: str | None) -> bool:
        return bool(object_id) and object_id.lower() in self.admins

    def is_agent(self, object_id: str | None) -> bool:
        """Servicedesk agents, admins and the agents of every treatment line."""
        if not object_id:
            return False
        key = object_id.lower()
        return key in self.agents or key in self.admins or key in self.second_line_agents or key in self.third_line_agents

    @property
    def lines(self) -> Lines:
        """Who works in which treatment line beyond the servicedesk."""
        return Lines({line: ids for line, ids in (("2", self.second_line_agents), ("3", self.third_line_agents)) if ids})

    @classmethod
    def environment_names(cls) -> tuple[str, ...]:
        """Every environment variable the bot reads, as README's configuration table names them."""
        names: list[str] = []
        for field in cls.model_fields.values():
            if field.alias:
                names.append(field.alias)
            elif isinstance(field.validation_alias, AliasChoices):
                names.extend(choice for choice in field.validation_alias.choices if choice.isupper())
        return tuple(names)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        """The settings in ``env`` (default: the process environment); an empty value is the default.

        Raises :class:`SettingsError` with one line naming the first bad variable.
        """
        env = os.environ if env is None else env
        given = {name: env[name] for name in cls.environment_names() if env.get(name, "").strip()}
        try:
            return cls.model_validate(given)
        except ValidationError as error:
            raise SettingsError(_one_line(error)) from None


# pydantic's messages for the checks that fail most, in the words of the rest of the command line.
_MESSAGES = {
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "bool_parsing": "must be 1/0, true/false, yes/no or on/off",
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be at most {le}",
    "literal_error": "must be one of {expected}",
}


def _one_line(error: ValidationError) -> str:
    """``PORT must be a whole number, got 'abc'``: the variable, what is wrong, what was given."""
    first = error.errors(include_url=False)[0]
    template = _MESSAGES.get(first["type"])
    message = template.format(**first.get("ctx", {})) if template else first["msg"].removeprefix("Value error, ")
    if not first["loc"]:
        return message
    given = first.get("input")
    return f"{first['loc'][0]} {message}, got {given!r}" if isinstance(given, str) else f"{first['loc'][0]} {message}"
