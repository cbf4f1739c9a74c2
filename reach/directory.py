"""The directory import: who works where, so an announcement can reach a location or a team.

The organisation exports its directory (Entra ID, AFAS, the HR system) as CSV with a header line:

=============  ==========================================================================
column         meaning
=============  ==========================================================================
``object_id``  the employee's Entra object id (required, a GUID): how Teams names them
``name``       the name the servicedesk reads when someone cannot be reached (required)
``location``   the location ("Utrecht", "Den Haag"); may be empty
``team``       the team or department ("Team Noord"); may be empty
=============  ==========================================================================

Separated by commas or semicolons (as Excel saves it in Dutch), UTF-8 with or without a BOM.
Other columns are ignored (and not stored). An import replaces the whole directory: whoever is
not in the file any more is removed. Nothing is stored when any line is wrong.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import refs
from storage.models import ConversationRef, DirectoryEmployee

COLUMNS = ("object_id", "name", "location", "team")
REQUIRED = ("object_id", "name")
MAX_FIELD = {"name": 200, "location": 100, "team": 100}


class DirectoryError(ValueError):
    """What is wrong with the file, in one line naming the line and the column."""


@dataclass(frozen=True)
class Entry:
    object_id: str
    name: str
    location: str
    team: str


def parse(text: str) -> list[Entry]:
    """The file's employees; ``DirectoryError`` at the first mistake."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise DirectoryError(f"the header line lacks the column(s) {', '.join(missing)} (expected: {','.join(COLUMNS)})")
    reader.fieldnames = header
    entries: dict[str, Entry] = {}
    for row in reader:
        line = reader.line_num
        values = {column: (row.get(column) or "").strip() for column in COLUMNS}
        try:
            object_id = str(uuid.UUID(values["object_id"]))
        except ValueError:
            raise DirectoryError(f"line {line}: object_id {values['object_id'][:60]!r} is not an Entra object id (a GUID)") from None
        if not values["name"]:
            raise DirectoryError(f"line {line}: name is empty")
        for column, limit in MAX_FIELD.items():
            if len(values[column]) > limit:
                raise DirectoryError(f"line {line}: {column} is longer than {limit} characters")
        if object_id in entries:
            raise DirectoryError(f"line {line}: object_id {object_id} appears twice")
        entries[object_id] = Entry(object_id, values["name"], values["location"], values["team"])
    if not entries:
        raise DirectoryError("the file has no employees (only a header line, or nothing)")
    return list(entries.values())


@dataclass(frozen=True)
class Imported:
    employees: int
    removed: int
    unknown: int  # in the file, but never talked to the bot: the app is not installed for them (yet)
    locations: int
    teams: int


async def replace(session: AsyncSession, entries: list[Entry], *, now: datetime) -> Imported:
    """Replace the directory with ``entries`` in the caller's transaction."""
    before = set((await session.execute(select(DirectoryEmployee.object_id))).scalars())
    await session.execute(delete(DirectoryEmployee))
    rows = [dict(object_id=e.object_id, name=e.name, location=e.location, team=e.team, imported_at=now) for e in entries]
    for start in range(0, len(rows), 1000):
        await session.execute(DirectoryEmployee.__table__.insert(), rows[start:start + 1000])
    known = (
        await session.execute(
            select(func.count()).select_from(DirectoryEmployee).join(
                ConversationRef, (ConversationRef.kind == refs.USER) & (ConversationRef.key == DirectoryEmployee.object_id)
            )
        )
    ).scalar_one()
    return Imported(
        employees=len(entries), removed=len(before - {e.object_id for e in entries}), unknown=len(entries) - known, locations=len({e.location for e in entries if e.location}),
        teams=len({e.team for e in entries if e.team}),
    )
