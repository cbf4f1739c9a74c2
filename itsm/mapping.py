"""The mapping file: the ticket system's own names for the bot's words, per organisation.

A TOML file (``ITSM_MAPPING_FILE``, example in ``docs/itsm-mapping.example.toml``) says which of
the system's priorities, categories, entry types, processing statuses and operator groups stand
for the bot's P1..P4, categories, channels, "waiting on a third party" and treatment lines. It is
read and checked once, when the bot starts or ``itsm check`` runs: a mistake is one line naming
the key, never a surprise at the first incident. Whether the names exist in the connected system
is ``TicketSystem.check``'s work.

Names are compared without regard to case, as the system's own screens show them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping as MappingType

from dialogs.texts import CATEGORY_NAMES
from sla.policy import PRIORITIES

FALLBACK_CATEGORY = "overig"
TEAMS = "teams"
_CHANNEL = re.compile(r"[a-z][a-z0-9-]{0,19}")
# Which field of a person in the system holds the reporter's Entra object id.
CALLER_LOOKUPS = ("networkLoginName", "employeeNumber", "loginName")
_SECTIONS = ("new", "priorities", "categories", "channels", "statuses", "lines", "import")


class MappingError(ValueError):
    """The mapping file cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class PriorityTerms:
    """How the system registers one of the bot's priorities (any of the three may be left out)."""

    priority: str | None = None
    impact: str | None = None
    urgency: str | None = None


@dataclass(frozen=True)
class CategoryTerms:
    category: str
    subcategory: str | None = None


@dataclass(frozen=True)
class Mapping:
    # How a new incident is registered: entry_type (the channel "Teams"), call_type, operator_group,
    # caller_lookup (the person field that holds the reporter's Entra object id), external_prefix
    # (before the ticket number in the external number, when one system serves several
    # organisations with this bot: "HALT-M-12").
    new: MappingType[str, str] = field(default_factory=dict)
    priorities: MappingType[str, PriorityTerms] = field(default_factory=dict)
    categories: MappingType[str, CategoryTerms] = field(default_factory=dict)
    # The system's entry type -> the bot's channel; incidents of these entry types are imported.
    channels: MappingType[str, str] = field(default_factory=dict)
    # The processing status the bot sets on a resume or a reopen, and those that mean "waiting on
    # a third party" (the first is the one the bot sets for "wacht op derde").
    in_progress: str | None = None
    waiting: tuple[str, ...] = ()
    # Operator group -> treatment line ("1", "2", "3"), for hand-overs.
    lines: MappingType[str, str] = field(default_factory=dict)
    lookback_days: int = 7
    import_query: str | None = None  # an extra selection in the system's own query language

    def priority_of(self, system_priority: str | None) -> str | None:
        """The bot's priority for the system's priority name, or None when the mapping lacks it."""
        wanted = _fold(system_priority)
        return next((p for p, terms in self.priorities.items() if wanted and _fold(terms.priority) == wanted), None)

    def category_of(self, category: str | None, subcategory: str | None = None) -> str:
        """The bot's category for the system's category (and subcategory), else "overig"."""
        candidates = [
            ours for ours, terms in self.categories.items()
            if _fold(terms.category) == _fold(category)
            and (terms.subcategory is None or _fold(terms.subcategory) == _fold(subcategory))
        ]
        exact = [c for c in candidates if self.categories[c].subcategory is not None]
        return (exact or candidates or [FALLBACK_CATEGORY])[0]

    def external_number(self, label: str) -> str:
        """The external number the bot gives an incident: the ticket number, after the prefix."""
        return self.new.get("external_prefix", "") + label

    def ticket_label(self, external_number: str | None) -> str | None:
        """The bot's ticket number in an incident's external number, or None when it is not ours."""
        prefix = self.new.get("external_prefix", "")
        if not external_number or not external_number.startswith(prefix):
            return None
        return external_number[len(prefix):]

    def channel_of(self, entry_type: str | None) -> str | None:
        if _fold(entry_type) == _fold(self.new.get("entry_type")):
            return TEAMS
        return next((ch for name, ch in self.channels.items() if _fold(name) == _fold(entry_type)), None)

    def is_waiting(self, status: str | None) -> bool:
        return _fold(status) in {_fold(name) for name in self.waiting}

    def line_of(self, group: str | None) -> str | None:
        return next((line for name, line in self.lines.items() if _fold(name) == _fold(group)), None)


def _fold(name: str | None) -> str:
    return (name or "").strip().casefold()


def load_mapping(path: Path) -> Mapping:
    """Read and check the mapping file; MappingError names what is wrong."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MappingError(f"mapping file {path} not found (ITSM_MAPPING_FILE)") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"mapping file {path} cannot be read: {exc}") from exc
    try:
        return parse_mapping(document)
    except MappingError as exc:
        raise MappingError(f"mapping file {path}: {exc}") from exc


def parse_mapping(document: MappingType[str, Any]) -> Mapping:
    unknown = sorted(set(document) - set(_SECTIONS))
    if unknown:
        raise MappingError(f"unknown section [{unknown[0]}] (known: {', '.join(_SECTIONS)})")
    new = _strings(
        document.get("new", {}), "new", allowed=("entry_type", "call_type", "operator_group", "caller_lookup", "external_prefix")
    )
    if len(new.get("external_prefix", "")) > 20:
        raise MappingError("new.external_prefix can be at most 20 characters")
    if not new.get("entry_type"):
        raise MappingError("new.entry_type is missing: the entry type of incidents the bot registers")
    if new.get("caller_lookup", CALLER_LOOKUPS[0]) not in CALLER_LOOKUPS:
        raise MappingError(f"new.caller_lookup must be one of {', '.join(CALLER_LOOKUPS)}, got {new['caller_lookup']!r}")
    priorities = _priorities(document.get("priorities", {}))
    categories = _categories(document.get("categories", {}))
    channels = _strings(document.get("channels", {}), "channels")
    for name, channel in channels.items():
        if not _CHANNEL.fullmatch(channel) or channel == TEAMS:
            raise MappingError(f"channels.{name!r}: {channel!r} must be a short lower-case word other than teams, such as telefoon")
    statuses = _table(document.get("statuses", {}), "statuses")
    _only(statuses, "statuses", ("in_progress", "waiting"))
    waiting = statuses.get("waiting", [])
    if isinstance(waiting, str):
        waiting = [waiting]
    if not isinstance(waiting, list) or not all(isinstance(w, str) and w.strip() for w in waiting):
        raise MappingError("statuses.waiting must be a list of processing status names")
    in_progress = statuses.get("in_progress")
    if in_progress is not None and (not isinstance(in_progress, str) or not in_progress.strip()):
        raise MappingError("statuses.in_progress must be a processing status name")
    lines = _strings(document.get("lines", {}), "lines")
    imports = _table(document.get("import", {}), "import")
    _only(imports, "import", ("lookback_days", "query"))
    lookback = imports.get("lookback_days", 7)
    if not isinstance(lookback, int) or isinstance(lookback, bool) or not 0 <= lookback <= 366:
        raise MappingError(f"import.lookback_days must be a whole number of days from 0 to 366, got {lookback!r}")
    query = imports.get("query")
    if query is not None and (not isinstance(query, str) or not query.strip()):
        raise MappingError("import.query must be a non-empty selection, or left out")
    return Mapping(
        new=new, priorities=priorities, categories=categories, channels=channels,
        in_progress=in_progress.strip() if in_progress else None, waiting=tuple(w.strip() for w in waiting),
        lines=lines, lookback_days=lookback, import_query=query.strip() if query else None,
    )


def _table(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MappingError(f"[{name}] must be a table")
    return value


def _only(table: MappingType[str, Any], name: str, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise MappingError(f"{name}.{unknown[0]} is not a known key (known: {', '.join(allowed)})")


def _strings(value: Any, name: str, *, allowed: tuple[str, ...] | None = None) -> dict[str, str]:
    table = _table(value, name)
    if allowed is not None:
        _only(table, name, allowed)
    for key, item in table.items():
        if not isinstance(item, str) or not item.strip():
            raise MappingError(f"{name}.{key!r} must be a non-empty name")
    return {key: item.strip() for key, item in table.items()}


def _priorities(value: Any) -> dict[str, PriorityTerms]:
    table = _table(value, "priorities")
    missing = [p for p in PRIORITIES if p not in table]
    if missing:
        raise MappingError(f"priorities.{missing[0]} is missing: every priority P1..P4 needs the system's terms")
    _only(table, "priorities", PRIORITIES)
    result = {}
    for priority in PRIORITIES:
        terms = _strings(table[priority], f"priorities.{priority}", allowed=("priority", "impact", "urgency"))
        if not terms:
            raise MappingError(f"priorities.{priority} needs a priority, or an impact and an urgency")
        result[priority] = PriorityTerms(**terms)
    return result


def _categories(value: Any) -> dict[str, CategoryTerms]:
    table = _table(value, "categories")
    _only(table, "categories", tuple(CATEGORY_NAMES))
    if FALLBACK_CATEGORY not in table:
        raise MappingError(f"categories.{FALLBACK_CATEGORY} is missing: where reports of any other kind go")
    result = {}
    for ours, item in table.items():
        terms = _strings(item, f"categories.{ours}", allowed=("category", "subcategory"))
        if "category" not in terms:
            raise MappingError(f"categories.{ours}.category is missing")
        result[ours] = CategoryTerms(**terms)
    return result
