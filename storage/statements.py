"""Hot statements that SQLAlchemy would compile again on every execution.

SQLAlchemy 2.0 does not cache the dialect ``insert(...).on_conflict_do_nothing()`` constructs of
SQLite and PostgreSQL (their ``Insert`` sets ``inherit_cache = False``): each execution compiled
the statement anew, about 0.2 ms, on every turn (the duplicate-delivery claim) and for every queued
message. The same SQL as a ``text()`` construct is compiled once and then cached like any other.
``INSERT ... ON CONFLICT (...) DO NOTHING`` / ``DO UPDATE`` is the same on both databases (SQLite
3.24+).
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Table, bindparam, text
from sqlalchemy.sql.elements import TextClause


def _quoted(name: str) -> str:
    return f'"{name}"'  # the same on SQLite and PostgreSQL; the schema's names are lower case


def _insert(table: Table, columns: tuple[str, ...], conflict: tuple[str, ...], action: str) -> TextClause:
    for name in (*columns, *conflict):
        if name not in table.c:
            raise ValueError(f"{table.name} has no column {name!r}")
    sql = (
        f"INSERT INTO {_quoted(table.name)} ({', '.join(map(_quoted, columns))}) "
        f"VALUES ({', '.join(':' + c for c in columns)}) "
        f"ON CONFLICT ({', '.join(map(_quoted, conflict))}) {action}"
    )
    return text(sql).bindparams(*(bindparam(c, type_=table.c[c].type) for c in columns))


@lru_cache(maxsize=None)
def insert_unless_exists(table: Table, columns: tuple[str, ...], conflict: tuple[str, ...]) -> TextClause:
    """``INSERT INTO table (columns) VALUES (:columns) ON CONFLICT (conflict) DO NOTHING``.

    Each bound value goes through its column's type (UTC datetimes, JSON), as with ``insert()``.
    Execute with one dict (or a list of dicts) keyed by column name; ``rowcount`` says how many
    rows were new.
    """
    return _insert(table, columns, conflict, "DO NOTHING")


@lru_cache(maxsize=None)
def insert_or_update(
    table: Table, columns: tuple[str, ...], conflict: tuple[str, ...], keep: tuple[str, ...] = ()
) -> TextClause:
    """As ``insert_unless_exists``, but an existing row takes the new values of the other columns
    (except those in ``keep``, such as when the row was first made)."""
    updated = ", ".join(f"{_quoted(c)} = excluded.{_quoted(c)}" for c in columns if c not in conflict + keep)
    return _insert(table, columns, conflict, f"DO UPDATE SET {updated}")
