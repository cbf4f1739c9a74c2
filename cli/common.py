"""One error style for every command: a single line naming what is wrong and what to do.

A user's mistake (a bad argument, a bad setting, a database that is not there) ends in one line on
stderr, ``servicedesk: ...``, and one of the exit codes below, which README documents; it never
prints a traceback and never creates or changes anything on the way (no empty SQLite file at a
mistyped path). ``--debug``, accepted by every command, shows the traceback instead.

Exit codes:

- 0: done;
- 1: the command ran and found a problem (a broken audit chain, a schema behind, a refusal);
- 2: a mistake in the command line or in a setting (a bad value, an unknown policy, a missing
  folder for ``--out``);
- 3: the database cannot be used: unreachable, no database at that path, or a schema that needs
  ``servicedesk db upgrade``, or a SQLite file another process serves;
- 70: an unexpected error (a fault, not a mistake): one line, and ``--debug`` for the traceback.

Commands get their settings, policy and database through this module, so each of them checks the
same things the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import sys
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable, NoReturn, TypeVar

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from bot.settings import Settings, SettingsError
from itsm.mapping import MappingError
from sla.policy import Policy, PolicyError, load_policy
from storage.db import Database, normalise_url, open_database, sqlite_file
from storage.migrate import SchemaNotCurrent, ensure_current
from storage.single_instance import AnotherInstanceRunning

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2
EXIT_DATABASE = 3
EXIT_UNEXPECTED = 70

T = TypeVar("T")


class OperatorError(Exception):
    """A mistake the operator can fix: printed as one line, ending the command with ``exit_code``."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class OperatorParser(argparse.ArgumentParser):
    """argparse with one-line errors and ``--debug`` on every command.

    Subcommand parsers are built with the parser's own class, so every command gets both.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS,
            help="show the full traceback when something goes wrong",
        )

    def error(self, message: str) -> NoReturn:  # type: ignore[override]
        print(f"{self.prog}: error: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def fail(message: str, exit_code: int = EXIT_USAGE) -> int:
    """Print one line for the operator and return the exit code (for ``return fail(...)``)."""
    print(f"servicedesk: {message}", file=sys.stderr)
    return exit_code


def explain(error: BaseException) -> OperatorError | None:
    """The operator's line for a known kind of failure, or None for a fault (a bug)."""
    if isinstance(error, OperatorError):
        return error
    if isinstance(error, (SettingsError, PolicyError, MappingError)):
        return OperatorError(str(error), EXIT_USAGE)
    if isinstance(error, (SchemaNotCurrent, AnotherInstanceRunning)):
        return OperatorError(str(error), EXIT_DATABASE)
    if isinstance(error, OSError) and error.errno == errno.EADDRINUSE:
        return OperatorError(f"the port is in use by another program ({error.strerror}): set PORT (or METRICS_PORT) to a free one")
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError, ConnectionError, TimeoutError)):
        return OperatorError(f"the database failed: {_first_line(error)}; check DATABASE_URL and the database server", EXIT_DATABASE)
    return None


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]


def load_policy_of(settings: Settings) -> Policy:
    """The SLA policy in force (``SLA_POLICY`` in ``TZ_NAME``): the one the running bot uses."""
    try:
        return load_policy(settings.sla_policy, tz_name=settings.tz_name)
    except PolicyError as error:
        raise OperatorError(f"SLA_POLICY: {error}") from None


def safe_url(url: str) -> str:
    """The URL without its password, for printing."""
    try:
        return make_url(normalise_url(url)).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a URL that does not parse is printed as the operator wrote it, minus a password
        return url.split("@")[-1]


def checked_database_url(url: str, *, creates: bool = False) -> str:
    """Refuse, before anything is opened, a URL that cannot name a database or a SQLite file that is
    not there (a read-only command must not leave an empty file at a mistyped path).

    ``creates``: the command may create the SQLite file (``db upgrade``); its folder must exist.
    """
    try:
        parsed = make_url(normalise_url(url))
    except sa_exc.ArgumentError:
        raise OperatorError(
            f"DATABASE_URL is not a database URL (got {url!r}): use sqlite:///PATH or postgresql://USER@HOST/NAME"
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise OperatorError(
            f"DATABASE_URL must be sqlite:///PATH or postgresql://USER@HOST/NAME (got {safe_url(url)!r})"
        )
    path = sqlite_file(url)
    if path is None:
        return url
    if creates and not path.parent.is_dir():
        raise OperatorError(f"no folder {path.parent} for the SQLite file of DATABASE_URL: create it or fix DATABASE_URL", EXIT_DATABASE)
    if not creates and not path.is_file():
        raise OperatorError(
            f"no database at {path}: check DATABASE_URL, or create it with `servicedesk db upgrade`", EXIT_DATABASE
        )
    return url


@asynccontextmanager
async def opened_database(settings: Settings, *, schema_current: bool = True) -> AsyncIterator[Database]:
    """The database of ``DATABASE_URL``, reachable and (by default) at the schema this version needs."""
    database = open_database(checked_database_url(settings.database_url))
    try:
        try:
            async with database.engine.connect():
                pass
        except Exception as error:  # noqa: BLE001 - any failure to connect is the same line for the operator
            raise OperatorError(
                f"cannot reach the database at {safe_url(settings.database_url)}: {_first_line(error)}; "
                "check DATABASE_URL and that the server runs",
                EXIT_DATABASE,
            ) from None
        if schema_current:
            await ensure_current(database.engine)
        yield database
    finally:
        await database.dispose()


def with_database(work: Callable[..., Awaitable[T]], *, schema_current: bool = True) -> T:
    """Run ``work(database, settings)`` on the checked database of the settings, then close it."""
    settings = Settings.from_env()

    async def run() -> T:
        async with opened_database(settings, schema_current=schema_current) as database:
            return await work(database, settings)

    return asyncio.run(run())


def writable_file(text: str) -> Path:
    """An ``--out`` FILE that can be written: checked before any work, so a mistake costs nothing."""
    path = Path(text)
    if path.is_dir():
        raise OperatorError(f"--out {text} is a folder: name a file in it, e.g. {path / 'export.csv'}")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OperatorError(f"--out {text}: there is no folder {folder}; create it first")
    return path


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
