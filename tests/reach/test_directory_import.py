"""`servicedesk directory import FILE.csv`: who works where; a wrong file is one line and changes nothing."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from cli.common import EXIT_USAGE
from tests.ops.test_operator_mistakes import migrated, one_line, operator, run  # noqa: F401 - fixtures

GOOD = (
    "object_id;name;location;team;e-mail\n"  # Dutch Excel saves with semicolons; other columns are ignored
    "00000000-0000-0000-0000-000000000001;Fatima el Amrani;Utrecht;Team Noord;f@example.nl\n"
    "00000000-0000-0000-0000-000000000002;Joost van Dijk;Den Haag;Team Zuid;j@example.nl\n"
    "00000000-0000-0000-0000-000000000003;Sanne de Vries;Utrecht;;s@example.nl\n"
)


def rows(folder) -> list[tuple]:
    with closing(sqlite3.connect(folder / "servicedesk.sqlite3")) as db:
        return db.execute("SELECT object_id, name, location, team FROM directory_employees ORDER BY object_id").fetchall()


def test_an_import_stores_location_and_team_and_counts_who_cannot_be_reached_yet(migrated, capsys):
    (migrated / "directory.csv").write_text("\ufeff" + GOOD, encoding="utf-8")
    code, out, err = run(["directory", "import", "directory.csv"], capsys)
    assert code == 0 and err == ""
    assert out.strip() == (
        "imported 3 employees (2 locations, 2 teams); 0 removed; "
        "3 not reachable yet (never talked to the bot: install the app for them, see README)"
    )
    assert rows(migrated)[0] == ("00000000-0000-0000-0000-000000000001", "Fatima el Amrani", "Utrecht", "Team Noord")
    assert len(rows(migrated)) == 3

    # The next export replaces it: who left is removed.
    (migrated / "directory.csv").write_text("object_id,name,location,team\n00000000-0000-0000-0000-000000000002,Joost van Dijk,Utrecht,Team Zuid\n")
    code, out, _ = run(["directory", "import", "directory.csv"], capsys)
    assert code == 0 and "imported 1 employee (1 location, 1 team); 2 removed" in out
    assert rows(migrated) == [("00000000-0000-0000-0000-000000000002", "Joost van Dijk", "Utrecht", "Team Zuid")]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("name,location\nJan,Utrecht\n", "the header line lacks the column(s) object_id"),
        ("object_id,name\nnot-a-guid,Jan\n", "line 2: object_id 'not-a-guid' is not an Entra object id"),
        ("object_id,name\n00000000-0000-0000-0000-000000000001,\n", "line 2: name is empty"),
        (
            "object_id,name\n00000000-0000-0000-0000-000000000001,Jan\n00000000-0000-0000-0000-000000000001,Piet\n",
            "line 3: object_id 00000000-0000-0000-0000-000000000001 appears twice",
        ),
        ("object_id,name,location,team\n", "the file has no employees"),
    ],
)
def test_a_wrong_file_is_one_line_naming_the_line_and_changes_nothing(migrated, capsys, content, says):
    (migrated / "directory.csv").write_text(GOOD.replace(";", ","), encoding="utf-8")
    assert run(["directory", "import", "directory.csv"], capsys)[0] == 0
    before = rows(migrated)
    (migrated / "wrong.csv").write_text(content, encoding="utf-8")
    code, out, err = run(["directory", "import", "wrong.csv"], capsys)
    assert code == EXIT_USAGE and out == ""
    assert says in one_line(err)
    assert rows(migrated) == before


def test_a_missing_or_binary_file_is_one_line(migrated, capsys):
    code, _, err = run(["directory", "import", "nergens.csv"], capsys)
    assert code == EXIT_USAGE and "no file nergens.csv" in one_line(err)
    (migrated / "export.xlsx").write_bytes(b"PK\x03\x04\xff\xfe\x00")
    code, _, err = run(["directory", "import", "export.xlsx"], capsys)
    assert code == EXIT_USAGE and "is not UTF-8 text" in one_line(err)
