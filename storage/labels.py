"""What people see and type of a ticket: its label ("M-1042"), numbers from outside, their own words.

Pure functions, in ``storage/`` because the limits are the database's (an Integer column).
"""

from __future__ import annotations

from typing import Any

# The largest number an Integer column holds on PostgreSQL (SQLite's holds more). A larger number
# from outside cannot name a ticket or a version, and must not reach the database: asyncpg and
# sqlite3 raise OverflowError on it instead of finding nothing.
MAX_NUMBER = 2**31 - 1
LABEL_DIGITS = len(str(MAX_NUMBER))


def ticket_label(ticket_id: int) -> str:
    """The number people see and type: "M-1042" (a number no ticket can have is cut: "M-999999999…")."""
    digits = str(ticket_id)
    return f"M-{digits}" if len(digits) <= LABEL_DIGITS else f"M-{digits[:LABEL_DIGITS - 1]}…"


def number_from(value: Any) -> int | None:
    """A ticket id or version from outside (typed, or a card's data): an int, or a string of ASCII
    digits, within ``MAX_NUMBER``; anything else (a bool, "²", a number past the column) is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if -MAX_NUMBER <= value <= MAX_NUMBER else None
    if isinstance(value, str):
        digits = value.strip()
        if digits.isascii() and digits.isdigit() and len(digits) <= LABEL_DIGITS and int(digits) <= MAX_NUMBER:
            return int(digits)
    return None


def parse_ticket_label(text: str) -> int | None:
    """The ticket id in "M-12", "m12", "#12" or "12"; None when it names no ticket there can be."""
    cleaned = text.strip().upper().removeprefix("M-").removeprefix("M").removeprefix("#").strip()
    return number_from(cleaned)


MAX_TEXT = 2000


def clean_text(value: Any, *, limit: int = MAX_TEXT) -> str | None:
    """People's own words from a card input: stripped, cut to ``limit``, None when empty."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text[:limit] if text else None
