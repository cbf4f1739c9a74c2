"""An operator's mistakes get one line, the documented exit code, and change nothing.

Each case is one the first-hour trial of issue 21 met: an unreachable or mistyped ``DATABASE_URL``,
a database that is not migrated, a SQLite path with a typo, ``export --out`` to a folder that is not
there, a bad ``SLA_POLICY`` or ``PORT``. The commands run through ``app.main``, the function the
``servicedesk`` script calls, in an empty working folder.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

import app
from cli.common import EXIT_DATABASE, EXIT_USAGE

ROOT = Path(__file__).resolve().parents[2]
# A port on loopback where nothing listens: connecting is refused at once.
UNREACHABLE = "postgresql://postgres@127.0.0.1:9/servicedesk"

READ_COMMANDS = [
    ["db", "current"],
    ["status"],
    ["report", "weekly", "--week", "2026-W47"],
    ["report", "monthly", "--month", "2026-11"],
    ["export", "tickets"],
    ["audit", "verify"],
    ["privacy", "export", "--user", "00000000-0000-0000-0000-0000000000aa"],
    ["survey", "status"],
]
DATABASE_COMMANDS = READ_COMMANDS + [
    ["db", "upgrade"],
    ["privacy", "purge"],
    ["privacy", "erase", "--user", "00000000-0000-0000-0000-0000000000aa"],
    ["survey", "start"],
    ["survey", "close"],
    ["serve"],
]


@pytest.fixture
def operator(tmp_path, monkeypatch):
    """An empty working folder and an environment with none of the bot's settings."""
    from bot.settings import Settings

    for name in Settings.environment_names():
        monkeypatch.delenv(name, raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = app.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("argv", DATABASE_COMMANDS, ids=" ".join)
def test_an_unreachable_database_is_one_line_and_exit_3(operator, monkeypatch, capsys, argv):
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE)
    code, out, err = run(argv, capsys)
    assert code == EXIT_DATABASE
    line = one_line(err)
    assert "127.0.0.1:9" in line and "DATABASE_URL" in line
    assert files_in(operator) == set()


@pytest.mark.parametrize("url", ["postgress://postgres@127.0.0.1/x", "mysql://root@127.0.0.1/x", "servicedesk.sqlite3"])
@pytest.mark.parametrize("argv", DATABASE_COMMANDS, ids=" ".join)
def test_a_mistyped_database_url_is_one_line_naming_it_and_exit_2(operator, monkeypatch, capsys, argv, url):
    monkeypatch.setenv("DATABASE_URL", url)
    code, out, err = run(argv, capsys)
    assert code == EXIT_USAGE
    assert "DATABASE_URL" in one_line(err)
    assert files_in(operator) == set()


@pytest.mark.parametrize("argv", READ_COMMANDS + [["serve"], ["privacy", "purge"]], ids=" ".join)
def test_no_command_but_db_upgrade_creates_a_sqlite_file_at_a_mistyped_path(operator, monkeypatch, capsys, argv):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{operator}/servicdesk.sqlite3")
    code, out, err = run(argv, capsys)
    assert code == EXIT_DATABASE
    assert "servicdesk.sqlite3" in one_line(err) and "db upgrade" in err
    assert files_in(operator) == set()


def test_db_upgrade_into_a_folder_that_is_not_there_creates_nothing(operator, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{operator}/data/servicedesk.sqlite3")
    code, out, err = run(["db", "upgrade"], capsys)
    assert code == EXIT_DATABASE
    assert str(operator / "data") in one_line(err)
    assert files_in(operator) == set()


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def contents(path: Path) -> list[tuple]:
    """Every table's definition and rows (the journal mode a connection sets is not content)."""
    with closing(sqlite3.connect(path)) as connection:
        tables = connection.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
        return tables + [tuple(connection.execute(f'SELECT * FROM "{name}"').fetchall()) for name, _ in tables]


@pytest.mark.parametrize(
    "argv", [["audit", "verify"], ["privacy", "purge"], ["report", "weekly", "--week", "2026-W47"], ["export", "tickets"], ["serve"],
             ["db", "backup", "--out", "copy.sqlite3"]],
    ids=" ".join,
)
def test_an_unmigrated_database_is_one_line_naming_the_fix_and_stays_as_it_was(operator, monkeypatch, capsys, argv):
    database = operator / "servicedesk.sqlite3"
    with closing(sqlite3.connect(database)) as connection:  # a database, but not the bot's schema
        connection.execute("CREATE TABLE notes (text TEXT)")
        connection.execute("INSERT INTO notes VALUES ('kept')")
        connection.commit()
    before = contents(database)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    code, out, err = run(argv, capsys)
    assert code == EXIT_DATABASE
    assert "servicedesk db upgrade" in one_line(err)
    assert contents(database) == before
    assert files_in(operator) == {"servicedesk.sqlite3"}


@pytest.fixture
def migrated(operator, monkeypatch):
    from storage.migrate import upgrade

    url = f"sqlite:///{operator / 'servicedesk.sqlite3'}"
    upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    return operator


@pytest.mark.parametrize(("out", "says"), [("missing/tickets.csv", "no folder missing"), (".", "is a folder")])
def test_export_to_a_missing_folder_or_a_folder_is_refused_before_the_query(migrated, capsys, out, says):
    before = files_in(migrated)
    code, stdout, err = run(["export", "tickets", "--out", out], capsys)
    assert code == EXIT_USAGE
    assert says in one_line(err) and stdout == ""
    assert files_in(migrated) == before


def test_a_backup_never_overwrites_and_a_backup_is_a_working_database(migrated, capsys):
    code, out, err = run(["db", "backup", "--out", "copy.sqlite3"], capsys)
    assert code == 0 and "copy.sqlite3" in out
    with closing(sqlite3.connect(migrated / "copy.sqlite3")) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    before = fingerprint(migrated / "copy.sqlite3")
    code, out, err = run(["db", "backup", "--out", "copy.sqlite3"], capsys)
    assert code == EXIT_USAGE and "exists already" in one_line(err)
    assert fingerprint(migrated / "copy.sqlite3") == before
    assert not any(name.endswith(".partial") for name in files_in(migrated))


def test_db_backup_on_postgresql_names_pg_dump(operator, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE)
    code, out, err = run(["db", "backup", "--out", "copy.dump"], capsys)
    assert code == EXIT_USAGE and "pg_dump" in one_line(err)


@pytest.mark.parametrize(
    ("name", "bad"),
    [("SLA_POLICY", "bogus"), ("PORT", "abc"), ("PORT", "-1"), ("PORT", "70000"), ("DEDUP_KEEP_HOURS", "-5"),
     ("RETENTION_DAYS", "0"), ("SCHEDULER_ENABLED", "misschien"), ("TZ_NAME", "Europe/Amsterdm")],
)
@pytest.mark.parametrize("argv", [["serve"], ["status"], ["report", "weekly", "--week", "2026-W47"], ["sla", "deadlines", "--priority", "P2", "--opened", "2026-04-28T17:30+02:00"]], ids=" ".join)
def test_a_bad_setting_is_one_line_naming_it_in_every_command(migrated, monkeypatch, capsys, argv, name, bad):
    monkeypatch.setenv(name, bad)
    before = files_in(migrated)
    code, out, err = run(argv, capsys)
    assert code == EXIT_USAGE
    assert name in one_line(err) and bad in err
    assert files_in(migrated) == before


def test_a_usage_mistake_is_one_line_with_the_command_and_exit_2(operator, capsys):
    code, out, err = run(["report", "weekly"], capsys)
    assert code == EXIT_USAGE
    assert one_line(err).startswith("servicedesk report weekly: error: the following arguments are required: --week")


def test_debug_shows_the_traceback_of_a_mistake(operator, monkeypatch):
    """The one-line answer is for people; --debug is for finding out why."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = UNREACHABLE
    plain = subprocess.run([sys.executable, str(ROOT / "app.py"), "db", "current"], env=env, cwd=operator, capture_output=True, text=True, timeout=120)
    debug = subprocess.run([sys.executable, str(ROOT / "app.py"), "--debug", "db", "current"], env=env, cwd=operator, capture_output=True, text=True, timeout=120)
    assert plain.returncode == EXIT_DATABASE and len(plain.stderr.strip().splitlines()) == 1
    assert debug.returncode == 1 and "Traceback" in debug.stderr and "OperatorError" in debug.stderr


def test_a_port_in_use_is_one_line_naming_the_setting(operator, monkeypatch):
    """The second server on a port: the operator learns which setting to change."""
    import socket

    from storage.migrate import upgrade

    upgrade(f"sqlite:///{operator / 'servicedesk.sqlite3'}")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PORT", "HOST")}
        env.update(PORT=str(taken.getsockname()[1]), HOST="127.0.0.1")
        result = subprocess.run([sys.executable, str(ROOT / "app.py")], env=env, cwd=operator, capture_output=True, text=True, timeout=120)
    assert result.returncode == EXIT_USAGE
    assert "PORT" in result.stderr.strip().splitlines()[-1] and "Traceback" not in result.stderr
