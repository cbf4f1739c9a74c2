"""SLA policies: the contract's numbers as a TOML file, checked once at start-up.

A policy is data, not code, so an organisation can point ``SLA_POLICY`` at its own file and a
contract change is a reviewed diff of numbers. Two policies ship with the product: ``halt`` (the
Programma van Eisen, chapter 10) and ``sib`` (the KPI annex, sections 3 and 6). See
``sla/policies/halt.toml`` for the annotated format.

Everything wrong with a file is reported as ``PolicyError`` naming the file, the key and the
problem, e.g. ``halt-custom.toml: priorities.P2.first_response: expected a duration like '1h' or
'15m', got 'soon'``, so the app refuses to start rather than compute wrong deadlines.

Durations are written ``15m``, ``1h``, ``1h30m``, ``48h``, ``2d`` (clock days of 24 h) or in
working days: ``1 werkdag``, ``5 werkdagen`` (also ``5wd``). A working day is one full service
window (``working_day``, 10 h for 08:00-18:00), so on a working-hours clock "1 werkdag" from
Tuesday 10:17 is Wednesday 10:17.

Reading the file is the only I/O in ``sla``; the holiday dates come from the pinned ``holidays``
package (no network).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from sla.calendar import BusinessCalendar, Calendar, ClockCalendar, Window, to_us
from sla.xla import QUESTIONS, XlaTerms

POLICY_DIR = Path(__file__).parent / "policies"
SHIPPED_POLICIES = ("halt", "sib")
PRIORITIES = ("P1", "P2", "P3", "P4")
CLOCK_24_7 = "24/7"
CLOCK_WORKING_HOURS = "working_hours"
# The clocks a ticket can have (``sla.fold``); warn_before may name any of them.
CLOCK_NAMES = (
    "first_response", "resolution", "definitive_resolution", "containment", "onsite", "device_fallback",
    "data_breach", "rca",
)
# What "wacht op derde" may stop (policy key pause.stops). Never the reporter's updates, never the
# legal 72 hours of a data breach, never the RCA after closure.
PAUSABLE_CLOCKS = CLOCK_NAMES[:6]
# Shares over tickets that are not per priority (policy table [norms]); csat_average is a score.
TICKET_NORMS = (
    "kept_informed", "first_time_fix", "single_owner", "csat_average", "csat_share_7_or_more",
    "data_breach", "rca", "major_incident_updates",
)
# What [sources] may name: every figure of the reports (``sla.kpi``).
SOURCE_KEYS = CLOCK_NAMES + (
    "update", "major_incident_updates", "kept_informed", "first_time_fix", "single_owner", "csat", "backlog",
    "mttr", "mttp", "wait",
)
# What [agenda] may name: the requirements the monthly SLR lists (annex "Legenda KPI-tabellen").
AGENDA_KEYS = SOURCE_KEYS + ("escalations", "security", "improvement_actions", "xla")
AGENDA_ALWAYS = "altijd"  # annex: "Komt standaard terug op de agenda, ongeacht de score"
AGENDA_DEVIATION = "afwijking"  # annex: "Alleen bij afwijking: komt op agenda wanneer score onder norm valt"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Years scanned to learn which holiday names the package knows, to reject typos in a policy.
_NAME_SCAN_YEARS = range(2020, 2041)
# Annex §2.2 (iii): a change of the KPI set "per kwartaalgrens ingaat".
QUARTER_MONTHS = (1, 4, 7, 10)

Cadence = timedelta | Literal["working_day", "agreed_date"]


class PolicyError(ValueError):
    """A policy file that cannot be used; the message names the file, the key and the problem."""


@dataclass(frozen=True)
class DayDeadline:
    """A term the contract states as a day rather than a duration (PvE §10.1.5):
    ``"same_day"`` ("zelfde dag": before midnight of the day the clock started) or
    ``"next_working_day"`` ("volgende werkdag": by the close of the next working day)."""

    rule: Literal["same_day", "next_working_day"]


Term = timedelta | DayDeadline


@dataclass(frozen=True)
class PriorityTerms:
    """One priority's promises.

    Durations are working time on this priority's ``clock``. ``update_cadence`` is a duration,
    ``"working_day"`` (same time next working day) or ``"agreed_date"`` (P4: on the date agreed
    with the reporter), or None when the contract promises no updates. ``norm_percent`` is the
    share of tickets that must meet each clock (PvE §10.1.3 "Normeringen"); ``clock_norms``
    overrides it per clock where a document says otherwise (annex: P1 stabilisation is a minimum
    requirement without a percentage, so 100).
    """

    clock: str
    first_response: timedelta
    resolution: timedelta
    norm_percent: float
    definitive_resolution: timedelta | None = None
    update_cadence: Cadence | None = None
    # P1: a workaround ("noodoplossing") / stabilisation stops the resolution clock.
    workaround_meets_resolution: bool = False
    containment: timedelta | None = None
    # PvE P1: "telefonisch contact verplicht": the first reaction needs a registered call.
    call_required: bool = False
    onsite: Term | None = None
    device_fallback: Term | None = None
    # PvE §10.1.5 P1: "same-day swap; anders nood-werkplek binnen 4 uur": a swap may take this long.
    device_fallback_swap: Term | None = None
    # A wait on a third party longer than this alerts regie (the documents name no maximum).
    max_wait: timedelta | None = None
    # A missed status update is a regie notice, not only a figure.
    notify_missed_update: bool = False
    clock_norms: Mapping[str, Fraction] = field(default_factory=dict)

    def norm(self, clock_name: str) -> Fraction:
        """The exact share (percent) of tickets that must meet ``clock_name``."""
        norm = self.clock_norms.get(clock_name)
        return norm if norm is not None else Fraction(str(self.norm_percent))

    def term(self, clock_name: str) -> Term | None:
        """The term of a per-priority clock, or None where this priority has none."""
        return getattr(self, clock_name, None) if clock_name in _PRIORITY_CLOCKS else None


_PRIORITY_CLOCKS = frozenset(
    ("first_response", "resolution", "definitive_resolution", "containment", "onsite", "device_fallback")
)


@dataclass(frozen=True)
class WarnThreshold:
    """When to warn before a breach: when ``fraction`` of the term remains, or ``before`` it."""

    fraction: float | None = None
    before: timedelta | None = None

    def lead(self, term: timedelta) -> timedelta:
        """How long before the deadline to warn, never more than the whole term."""
        if self.fraction is not None:
            # Whole minutes: a notice "at 17:10:12" helps nobody and makes tests brittle.
            lead = timedelta(minutes=int(term.total_seconds() * self.fraction // 60))
        else:
            lead = self.before or timedelta(0)
        return min(lead, term)


@dataclass(frozen=True)
class MajorIncidentCadence:
    """Annex: a major incident gets its first update within ``first``, then every ``then``."""

    first: timedelta
    then: timedelta
    notify_missed_update: bool = False


@dataclass(frozen=True)
class BacklogLimits:
    """Annex T2 'Backlog ouderdom': open tickets older than ``age_working_days``."""

    age_working_days: int
    max_share_percent: float
    max_count: int


@dataclass(frozen=True)
class AgendaItem:
    """One requirement in the monthly SLR's list (policy table ``[agenda]``).

    ``agenda`` is AGENDA_ALWAYS or AGENDA_DEVIATION; ``minimum`` the priorities for which it is a
    minimum requirement (annex "Min. eis: Ja", pass/fail), all of them for a figure without one."""

    key: str
    agenda: str
    minimum: frozenset[str]
    section: str


@dataclass(frozen=True, eq=False)
class Policy:
    """One version of a loaded, validated policy with its two calendars ready for use.

    A policy file may hold several versions (annex §2.2: a change takes effect at a quarter
    boundary). Every version knows all of them: ``in_force(instant)`` gives the version that
    applied then, so a past period is always computed with the numbers of its own time.
    """

    name: str
    source: str
    tz: ZoneInfo
    priorities: Mapping[str, PriorityTerms]
    pause_stops: frozenset[str]
    warn_before: Mapping[str, WarnThreshold]
    major_incident_cadence: MajorIncidentCadence | None
    backlog: BacklogLimits
    working_day: timedelta
    observed_holidays: tuple[str, ...]
    working_calendar: BusinessCalendar = field(repr=False)
    clock_calendar: ClockCalendar = field(repr=False)
    description: str = ""
    # AVG art. 33: a data breach is reported to the authority within this (clock hours).
    data_breach_within: timedelta | None = None
    # Annex T2 "RCA tijdigheid": after a major incident's closure, in working hours.
    rca_within: timedelta | None = None
    # Exact shares and scores for the figures that are not per priority (TICKET_NORMS).
    norms: Mapping[str, Fraction] = field(default_factory=dict)
    # Where each norm comes from, per figure ("PvE §10.4", "bijlage O3"), shown beside it.
    sources: Mapping[str, str] = field(default_factory=dict)
    # None: the only version, in force always. The first version also covers the time before it.
    effective_from: date | None = None
    # sha256 of this version's text as read, so a version that was in force cannot change unseen.
    digest: str = ""
    # The monthly SLR's list of requirements, in the file's order (``[agenda]``). Not part of the
    # digest: it says what comes on the agenda, it changes no figure.
    agenda: tuple[AgendaItem, ...] = ()
    # Every version of the file, oldest first, with the UTC microsecond it takes effect (set once
    # by the loader; see ``in_force``).
    versions: tuple[tuple[int, "Policy"], ...] = field(default=(), repr=False)
    # The experience surveys' norms (``[xla]``, PvE §10.5); None: the policy asks for none. Not
    # part of the digest: a survey round keeps the norms in force when it started.
    xla: XlaTerms | None = None

    def terms(self, priority: str) -> PriorityTerms:
        try:
            return self.priorities[priority]
        except KeyError:
            known = ", ".join(self.priorities)
            raise ValueError(f"unknown priority {priority!r}; policy {self.name} has {known}") from None

    def calendar(self, priority: str) -> Calendar:
        """The calendar of that priority's clock: 24/7 or working hours."""
        clock = self.terms(priority).clock
        return self.clock_calendar if clock == CLOCK_24_7 else self.working_calendar

    def in_force_us(self, instant: int) -> "Policy":
        """The version in force at ``instant`` (UTC microseconds)."""
        versions = self.versions
        if len(versions) < 2:
            return self
        index = bisect_right(versions, instant, key=lambda version: version[0]) - 1
        return versions[max(index, 0)][1]

    def in_force(self, instant: datetime) -> "Policy":
        """The version in force at ``instant`` (aware)."""
        return self.in_force_us(to_us(instant))

    @property
    def containment(self) -> Mapping[str, timedelta]:
        """Security containment time per priority (only priorities that have one)."""
        return {p: t.containment for p, t in self.priorities.items() if t.containment is not None}

    def warn_lead(self, priority: str, clock_name: str, term: timedelta) -> timedelta | None:
        """How long before a clock's deadline the pre-breach warning is due, if any."""
        threshold = self.warn_before.get(clock_name)
        return threshold.lead(term) if threshold is not None else None

    def observed_holiday_dates(self, year: int) -> frozenset[date]:
        """The dates closed in ``year`` (observed holidays and extra closed dates)."""
        return self.working_calendar.closed_dates(year)


# --- loading ---------------------------------------------------------------------------------


def load_policy(name_or_path: str, *, tz_name: str | None = None) -> Policy:
    """Load ``"halt"``, ``"sib"`` or a TOML file; ``tz_name`` (TZ_NAME) overrides its time zone."""
    if name_or_path in SHIPPED_POLICIES:
        path = POLICY_DIR / f"{name_or_path}.toml"
    elif name_or_path.endswith(".toml") or "/" in name_or_path or "\\" in name_or_path:
        path = Path(name_or_path)
    else:
        raise PolicyError(
            f"{name_or_path}: unknown policy; use {' or '.join(SHIPPED_POLICIES)} "
            "or a path to a .toml file"
        )
    label = path.name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"{path}: policy file not found") from None
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read policy file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise PolicyError(f"{label}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{label}: not valid TOML: {exc}") from None
    return _Reader(label).policy(raw, default_name=path.stem, tz_name=tz_name)


_CLOCK_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")
_WORKING_DAYS = re.compile(r"^(\d+)\s*(?:werkdag|werkdagen|wd)$")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")
_WINDOW = re.compile(r"^(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})$")


@lru_cache(maxsize=8)
def known_holiday_names(country: str) -> frozenset[str]:
    """Every Dutch holiday name the pinned ``holidays`` package knows for ``country``."""
    calendar = holidays.country_holidays(country, years=_NAME_SCAN_YEARS, language="nl")
    return frozenset(name for day in calendar for name in calendar.get_list(day))


def _observed_dates_provider(country: str, names: frozenset[str]):
    """year -> the dates in that year whose holiday name the policy observes."""

    def observed(year: int) -> frozenset[date]:
        calendar = holidays.country_holidays(country, years=year, language="nl")
        return frozenset(day for day in calendar if names & set(calendar.get_list(day)))

    return observed


class _Reader:
    """Turns the raw TOML mapping into a Policy, naming file and key in every complaint."""

    def __init__(self, label: str, prefix: str = "") -> None:
        self.label = label
        self.prefix = prefix  # "earlier[0]." inside an earlier version

    def fail(self, key: str, problem: str) -> PolicyError:
        return PolicyError(f"{self.label}: {self.prefix}{key}: {problem}")

    # generic getters -----------------------------------------------------------------------
    def table(self, raw: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> Mapping:
        value = raw.get(key)
        if value is None:
            if required:
                raise self.fail(path, "missing (expected a table)")
            return {}
        if not isinstance(value, Mapping):
            raise self.fail(path, f"expected a table, got {value!r}")
        return value

    def string(self, raw: Mapping, key: str, path: str, default: str | None = None) -> str:
        value = raw.get(key, default)
        if value is None:
            raise self.fail(path, "missing (expected text)")
        if not isinstance(value, str):
            raise self.fail(path, f"expected text, got {value!r}")
        return value

    def string_list(self, raw: Mapping, key: str, path: str) -> list[str]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(path, f"expected a list of texts, got {value!r}")
        return value

    def duration(self, value: Any, path: str, *, clock: str, working_day: timedelta) -> timedelta:
        if isinstance(value, str):
            text = value.strip().lower()
            days = _WORKING_DAYS.match(text)
            if days:
                if clock != CLOCK_WORKING_HOURS:
                    raise self.fail(path, f"working days need clock = \"working_hours\", got {value!r}")
                return working_day * int(days.group(1))
            parts = _CLOCK_DURATION.match(text.replace(" ", ""))
            if parts and any(parts.groups()):
                d, h, m = (int(g) if g else 0 for g in parts.groups())
                result = timedelta(days=d, hours=h, minutes=m)
                if result > timedelta(0):
                    return result
        raise self.fail(path, f"expected a duration like '1h' or '15m', got {value!r}")

    def date_list(self, raw: Mapping, key: str, path: str) -> list[date]:
        value = raw.get(key, [])
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list of dates, got {value!r}")
        dates = []
        for item in value:
            if isinstance(item, date):
                dates.append(item)
                continue
            try:
                dates.append(date.fromisoformat(str(item)))
            except ValueError:
                raise self.fail(path, f"expected dates like 2026-12-24, got {item!r}") from None
        return dates

    def number(self, raw: Mapping, key: str, path: str, *, low: float, high: float) -> float:
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(path, f"expected a number, got {value!r}")
        if not low <= value <= high:
            raise self.fail(path, f"expected a number from {low:g} to {high:g}, got {value!r}")
        return float(value)

    def fraction(self, raw: Mapping, key: str, path: str, *, high: float = 100) -> Fraction:
        """A norm as an exact fraction: 99.8 is 499/5, so a verdict never depends on float error."""
        self.number(raw, key, path, low=0, high=high)  # a number in range, or a clear complaint
        return Fraction(repr(raw[key]))

    def flag(self, raw: Mapping, key: str, path: str) -> bool:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(path, f"expected true or false, got {value!r}")
        return value

    def term(self, value: Any, path: str, *, clock: str, working_day: timedelta) -> Term:
        """A duration, or a day rule: "zelfde dag" or "volgende werkdag"."""
        if isinstance(value, str):
            text = " ".join(value.strip().lower().split())
            if text == "zelfde dag":
                return DayDeadline("same_day")
            if text == "volgende werkdag":
                return DayDeadline("next_working_day")
        return self.duration(value, path, clock=clock, working_day=working_day)

    # sections -----------------------------------------------------------------------------
    def policy(self, raw: Mapping[str, Any], *, default_name: str, tz_name: str | None) -> Policy:
        """Every version in the file; the newest (the top level) is returned, knowing the others."""
        name = self.string(raw, "name", "name", default_name)
        description = self.string(raw, "description", "description", "")
        zone = tz_name or self.string(raw, "timezone", "timezone", "Europe/Amsterdam")
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail("timezone", f"unknown time zone {zone!r}") from None
        earlier = raw.get("earlier", [])
        if not isinstance(earlier, list) or not all(isinstance(v, Mapping) for v in earlier):
            raise self.fail("earlier", "expected [[earlier]] tables, each a whole earlier version")
        bodies = [(f"earlier[{i}].", body) for i, body in enumerate(earlier)] + [("", raw)]
        versions = [
            self.version(body, prefix=prefix, name=name, description=description, tz=tz, only=len(bodies) == 1)
            for prefix, body in bodies
        ]
        starts: list[int] = []
        for (prefix, _), version in zip(bodies, versions):
            if len(versions) > 1 and version.effective_from is None:
                raise self.fail(f"{prefix}effective_from", "missing: with earlier versions every version needs its date")
            if version.effective_from is None:
                continue
            start = to_us(datetime(version.effective_from.year, version.effective_from.month, 1, tzinfo=tz))
            if starts and start <= starts[-1]:
                raise self.fail(f"{prefix}effective_from", "versions must follow each other in time, oldest first")
            starts.append(start)
        # The oldest version also covers the time before its date: there is nothing else.
        table = tuple(zip([-(2**62)] + starts[1:], versions)) if len(versions) > 1 else ()
        for version in versions:
            object.__setattr__(version, "versions", table)
        return versions[-1]

    def version(self, raw: Mapping[str, Any], *, prefix: str, name: str, description: str, tz: ZoneInfo, only: bool) -> Policy:
        """One version's body (the top level, or one [[earlier]] table)."""
        reader = _Reader(self.label, prefix)
        effective = reader.effective_from(raw)
        week, standard = reader.service_window(raw)
        window_table = reader.table(raw, "service_window", "service_window")
        if "working_day" in window_table:
            working_day = reader.duration(
                window_table["working_day"], "service_window.working_day",
                clock=CLOCK_24_7, working_day=timedelta(0),
            )
        else:
            day_totals = {sum(end - start for start, end in day) for day in week if day}
            if len(day_totals) != 1:
                raise reader.fail(
                    "service_window.working_day",
                    "windows differ per weekday, so say how long a working day is (e.g. '10h')",
                )
            working_day = timedelta(minutes=day_totals.pop())

        observed_names, calendar = reader.holidays(raw, tz, week, standard)
        priorities = reader.priorities(raw, working_day)
        pause_table = reader.table(raw, "pause", "pause", required=False)
        # PvE §10.1.3: "MSP blijft eindverantwoordelijk voor voortgang en oplossing, ook met
        # derden": without a [pause] table no clock stops for a third party.
        stops = reader.string_list(pause_table, "stops", "pause.stops") if pause_table else []
        for clock_name in stops:
            if clock_name not in PAUSABLE_CLOCKS:
                raise reader.fail(
                    "pause.stops", f"cannot pause {clock_name!r}; use {', '.join(PAUSABLE_CLOCKS)}"
                )
        # The numbers of this version, wherever in the file it stands (top level or [[earlier]]).
        body = {key: value for key, value in raw.items() if key not in ("earlier", "name", "description", "timezone", "agenda", "xla")}
        canonical = json.dumps({"name": name, "timezone": tz.key, "version": body}, sort_keys=True, default=str)
        return Policy(
            name=name,
            source=self.label,
            tz=tz,
            priorities=priorities,
            pause_stops=frozenset(stops),
            warn_before=reader.warnings(raw),
            major_incident_cadence=reader.major_incident(raw),
            backlog=reader.backlog(raw),
            working_day=working_day,
            observed_holidays=observed_names,
            working_calendar=calendar,
            clock_calendar=ClockCalendar(),
            description=description,
            data_breach_within=reader.single_term(raw, "data_breach", "report_within", clock=CLOCK_24_7, working_day=working_day),
            rca_within=reader.single_term(raw, "rca", "within", clock=CLOCK_WORKING_HOURS, working_day=working_day),
            norms=reader.ticket_norms(raw),
            sources=reader.sources(raw),
            effective_from=effective,
            digest=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
            agenda=reader.agenda(raw),
            xla=reader.xla(raw),
        )

    def effective_from(self, raw: Mapping) -> date | None:
        value = raw.get("effective_from")
        if value is None:
            return None
        try:
            day = value if isinstance(value, date) and not isinstance(value, datetime) else date.fromisoformat(str(value))
        except ValueError:
            raise self.fail("effective_from", f"expected a date like 2026-04-01, got {value!r}") from None
        if day.day != 1 or day.month not in QUARTER_MONTHS:
            raise self.fail(
                "effective_from",
                f"a version takes effect at a quarter boundary (1 January, April, July or October), got {day.isoformat()}",
            )
        return day

    def single_term(self, raw: Mapping, table_key: str, key: str, *, clock: str, working_day: timedelta) -> timedelta | None:
        table = self.table(raw, table_key, table_key, required=False)
        if not table:
            return None
        return self.duration(table.get(key), f"{table_key}.{key}", clock=clock, working_day=working_day)

    def ticket_norms(self, raw: Mapping) -> dict[str, Fraction]:
        table = self.table(raw, "norms", "norms", required=False)
        result = {}
        for key in table:
            if key not in TICKET_NORMS:
                raise self.fail(f"norms.{key}", f"unknown norm; use {', '.join(TICKET_NORMS)}")
            result[key] = self.fraction(table, key, f"norms.{key}", high=10 if key == "csat_average" else 100)
        return result

    def xla(self, raw: Mapping) -> XlaTerms | None:
        """``[xla]``: ``rounds_per_year`` and ``[xla.norms]`` per question (a mean score 1-10)."""
        table = self.table(raw, "xla", "xla", required=False)
        if not table:
            return None
        known = {question.value: question for question in QUESTIONS}
        for key in table:
            if key not in ("rounds_per_year", "norms", "source"):
                raise self.fail(f"xla.{key}", "unknown key; use rounds_per_year, norms, source")
        per_year = table.get("rounds_per_year", 2)
        if isinstance(per_year, bool) or not isinstance(per_year, int) or not 1 <= per_year <= 12:
            raise self.fail("xla.rounds_per_year", f"expected a whole number from 1 to 12, got {per_year!r}")
        norms_table = self.table(table, "norms", "xla.norms", required=False)
        for key in norms_table:
            if key not in known:
                raise self.fail(f"xla.norms.{key}", f"unknown question; use {', '.join(known)}")
        norms = {
            question: (self.fraction(norms_table, question.value, f"xla.norms.{question.value}", high=10)
                       if question.value in norms_table else None)
            for question in QUESTIONS
        }
        return XlaTerms(norms=norms, rounds_per_year=per_year, source=self.string(table, "source", "xla.source", ""))

    def agenda(self, raw: Mapping) -> tuple[AgendaItem, ...]:
        table = self.table(raw, "agenda", "agenda", required=False)
        items = []
        for key in table:
            path = f"agenda.{key}"
            if key not in AGENDA_KEYS:
                raise self.fail(path, f"unknown requirement; use {', '.join(AGENDA_KEYS)}")
            entry = self.table(table, key, path)
            agenda = self.string(entry, "agenda", f"{path}.agenda")
            if agenda not in (AGENDA_ALWAYS, AGENDA_DEVIATION):
                raise self.fail(f"{path}.agenda", f"expected {AGENDA_ALWAYS!r} or {AGENDA_DEVIATION!r}, got {agenda!r}")
            minimum = entry.get("minimum", False)
            if minimum is True:
                minimum = list(PRIORITIES)
            elif minimum is False:
                minimum = []
            if not isinstance(minimum, list) or not set(minimum) <= set(PRIORITIES):
                raise self.fail(f"{path}.minimum", "expected true, false or a list of priorities such as [\"P1\", \"P2\"]")
            items.append(AgendaItem(key, agenda, frozenset(minimum), self.string(entry, "section", f"{path}.section", "")))
        return tuple(items)

    def sources(self, raw: Mapping) -> dict[str, str]:
        table = self.table(raw, "sources", "sources", required=False)
        for key in table:
            if key not in SOURCE_KEYS:
                raise self.fail(f"sources.{key}", f"unknown figure; use {', '.join(SOURCE_KEYS)}")
        return {key: self.string(table, key, f"sources.{key}") for key in table}

    def service_window(self, raw: Mapping) -> tuple[list[tuple[Window, ...]], tuple[Window, ...]]:
        table = self.table(raw, "service_window", "service_window")
        week: list[tuple[Window, ...]] = []
        for day in WEEKDAYS:
            key = f"service_window.{day}"
            value = table.get(day, [])
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list):
                raise self.fail(key, f"expected windows like [\"08:00-18:00\"], got {value!r}")
            windows = []
            for item in value:
                match = _WINDOW.match(item.strip()) if isinstance(item, str) else None
                if not match:
                    raise self.fail(key, f"expected a window like '08:00-18:00', got {item!r}")
                h1, m1, h2, m2 = (int(g) for g in match.groups())
                start, end = h1 * 60 + m1, h2 * 60 + m2
                if h1 > 23 or m1 > 59 or m2 > 59 or end > 24 * 60 or end <= start:
                    raise self.fail(key, f"window {item!r} must open before it closes, within the day")
                if windows and start < windows[-1][1]:
                    raise self.fail(key, f"window {item!r} overlaps the one before it")
                windows.append((start, end))
            week.append(tuple(windows))
        if not any(week):
            raise self.fail("service_window", "no weekday has a service window")
        standard = next(day for day in week if day)
        return week, standard

    def holidays(self, raw, tz, week, standard) -> tuple[tuple[str, ...], BusinessCalendar]:
        table = self.table(raw, "holidays", "holidays", required=False)
        country = self.string(table, "country", "holidays.country", "NL")
        try:
            known = known_holiday_names(country)
        except NotImplementedError:
            raise self.fail("holidays.country", f"the holidays package has no country {country!r}") from None
        observe = self.string_list(table, "observe", "holidays.observe")
        for holiday_name in observe:
            if holiday_name not in known:
                raise self.fail(
                    "holidays.observe",
                    f"the holidays package (language nl) knows no holiday {holiday_name!r} for {country}",
                )
        extra_closed = self.date_list(table, "extra_closed", "holidays.extra_closed")
        extra_open = self.date_list(table, "extra_open", "holidays.extra_open")
        calendar = BusinessCalendar(
            tz,
            week,
            closed_dates_for_year=_observed_dates_provider(country, frozenset(observe)),
            extra_closed=extra_closed,
            extra_open=extra_open,
            standard_windows=standard,
        )
        return tuple(observe), calendar

    def priorities(self, raw: Mapping, working_day: timedelta) -> dict[str, PriorityTerms]:
        table = self.table(raw, "priorities", "priorities")
        result = {}
        for priority in PRIORITIES:
            path = f"priorities.{priority}"
            entry = self.table(table, priority, path)
            clock = self.string(entry, "clock", f"{path}.clock")
            if clock not in (CLOCK_24_7, CLOCK_WORKING_HOURS):
                raise self.fail(f"{path}.clock", f"expected \"24/7\" or \"working_hours\", got {clock!r}")

            def dur(key: str, *, optional: bool = False) -> timedelta | None:
                if key not in entry:
                    if optional:
                        return None
                    raise self.fail(f"{path}.{key}", "missing (expected a duration like '4h')")
                return self.duration(entry[key], f"{path}.{key}", clock=clock, working_day=working_day)

            cadence: Cadence | None = None
            if "update_every" in entry:
                value = entry["update_every"]
                if value in ("working_day", "agreed_date"):
                    cadence = value
                else:
                    cadence = self.duration(value, f"{path}.update_every", clock=clock, working_day=working_day)
            def term(key: str) -> Term | None:
                if key not in entry:
                    return None
                return self.term(entry[key], f"{path}.{key}", clock=clock, working_day=working_day)

            clock_norms = {}
            norms_table = self.table(entry, "norms", f"{path}.norms", required=False)
            for clock_name in norms_table:
                if clock_name not in _PRIORITY_CLOCKS:
                    raise self.fail(f"{path}.norms.{clock_name}", f"unknown clock; use {', '.join(sorted(_PRIORITY_CLOCKS))}")
                clock_norms[clock_name] = self.fraction(norms_table, clock_name, f"{path}.norms.{clock_name}")
            result[priority] = PriorityTerms(
                clock=clock,
                first_response=dur("first_response"),
                resolution=dur("resolution"),
                norm_percent=self.number(entry, "norm_percent", f"{path}.norm_percent", low=0, high=100),
                definitive_resolution=dur("definitive_resolution", optional=True),
                update_cadence=cadence,
                workaround_meets_resolution=self.flag(entry, "workaround_meets_resolution", f"{path}.workaround_meets_resolution"),
                containment=dur("containment", optional=True),
                call_required=self.flag(entry, "call_required", f"{path}.call_required"),
                onsite=term("onsite"),
                device_fallback=term("device_fallback"),
                device_fallback_swap=term("device_fallback_swap"),
                max_wait=dur("max_wait", optional=True),
                notify_missed_update=self.flag(entry, "notify_missed_update", f"{path}.notify_missed_update"),
                clock_norms=clock_norms,
            )
        extra = set(table) - set(PRIORITIES)
        if extra:
            raise self.fail("priorities", f"unknown priorities {sorted(extra)}; use P1, P2, P3 and P4")
        return result

    def warnings(self, raw: Mapping) -> dict[str, WarnThreshold]:
        table = self.table(raw, "warn_before", "warn_before", required=False)
        result = {}
        for clock_name, value in table.items():
            path = f"warn_before.{clock_name}"
            if clock_name not in CLOCK_NAMES:
                raise self.fail(path, f"unknown clock; use {', '.join(CLOCK_NAMES)}")
            percent = _PERCENT.match(value.strip()) if isinstance(value, str) else None
            if percent:
                fraction = float(percent.group(1)) / 100
                if not 0 < fraction < 1:
                    raise self.fail(path, f"expected a percentage between 0 and 100, got {value!r}")
                result[clock_name] = WarnThreshold(fraction=fraction)
            else:
                before = self.duration(value, path, clock=CLOCK_24_7, working_day=timedelta(0))
                result[clock_name] = WarnThreshold(before=before)
        return result

    def major_incident(self, raw: Mapping) -> MajorIncidentCadence | None:
        table = self.table(raw, "major_incident", "major_incident", required=False)
        if not table:
            return None
        first = self.duration(table.get("first_update"), "major_incident.first_update",
                              clock=CLOCK_24_7, working_day=timedelta(0))
        then = self.duration(table.get("then_every"), "major_incident.then_every",
                             clock=CLOCK_24_7, working_day=timedelta(0))
        notify = self.flag(table, "notify_missed_update", "major_incident.notify_missed_update")
        return MajorIncidentCadence(first=first, then=then, notify_missed_update=notify)

    def backlog(self, raw: Mapping) -> BacklogLimits:
        table = self.table(raw, "backlog", "backlog", required=False)
        if not table:
            return BacklogLimits(age_working_days=10, max_share_percent=5.0, max_count=20)
        age = table.get("age_working_days")
        count = table.get("max_count")
        for key, value in (("age_working_days", age), ("max_count", count)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise self.fail(f"backlog.{key}", f"expected a whole number >= 0, got {value!r}")
        share = self.number(table, "max_share_percent", "backlog.max_share_percent", low=0, high=100)
        return BacklogLimits(age_working_days=age, max_share_percent=share, max_count=count)
