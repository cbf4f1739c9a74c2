"""Hot statements that SQLAlchemy would compile again on every execution.

SQLAlchemy 2.0 does not cache the dialect ``insert(...).on_conflict_do_nothing()`` constructs of
SQLite and PostgreSQL (their ``Insert`` sets ``inherit_cache = False``): each execution compiled
the statement anew, about 0.2 ms, on every turn (the duplicate-delivery claim) and for every queued
message. The same SQL as a ``text()`` construct is compiled once and then cached like any other.
``INSERT ... ON CONFLICT (...) DO NOTHING`` is the same on both databases (SQLite 3.24+).
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Table, bindparam, text
from sqlalchemy.sql.elements import TextClause


@lru_cache(maxsize=None)
def insert_unless_exists(table: Table, columns: tuple[str, ...], conflict: tuple[str, ...]) -> TextClause:
    """``INSERT INTO table (columns) VALUES (:columns) ON CONFLICT (conflict) DO NOTHING``.

    Each bound value goes through its column's type (UTC datetimes, JSON), as with ``insert()``.
    Execute with one dict (or a list of dicts) keyed by column name; ``rowcount`` says how many
    rows were new.
    """
    for name in (*columns, *conflict):
        if name not in table.c:
            raise ValueError(f"{table.name} has no column {name!r}")
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)}) "
        f"ON CONFLICT ({', '.join(conflict)}) DO NOTHING"
    )
    return text(sql).bindparams(*(bindparam(c, type_=table.c[c].type) for c in columns))
