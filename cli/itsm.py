"""`itsm check`: test the connection to the supplier's ticket system, its account and the mapping.

Prints one line per problem (what is wrong, and which setting or mapping key to change) and exits
1, or one line saying all is in order and exits 0. Settings it cannot run with: one line, exit 2
(``cli.common``, as every command).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import aiohttp

import itsm
from bot.settings import Settings
from cli.common import EXIT_OK, EXIT_PROBLEM, OperatorError
from itsm.mapping import MappingError, load_mapping


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "itsm", help="the supplier's ticket system (TOPdesk)", description="The supplier's ticket system (docs/topdesk.md)."
    )
    sub = parser.add_subparsers(dest="itsm_command", metavar="COMMAND")
    sub.required = True
    check = sub.add_parser(
        "check",
        help="test the connection, the account and the mapping file; one line per problem",
        description="Exit 0: all in order. Exit 1: problems, one per line. Exit 2: the settings cannot be used.",
    )
    check.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if settings.itsm_backend == "none":
        raise OperatorError("ITSM_BACKEND is none: there is no ticket system to check (set it to topdesk)")
    url, user, password = settings.itsm_account
    try:
        mapping = load_mapping(Path(settings.itsm_mapping_file))
    except MappingError as error:
        print(error)  # a problem the check found, like the ones below
        return EXIT_PROBLEM

    async def check() -> tuple[str, list[str]]:
        async with aiohttp.ClientSession() as session:
            system = itsm.connect(
                settings.itsm_backend, session=session, url=url, user=user, password=password, mapping=mapping,
                timeout=settings.itsm_timeout_seconds,
            )
            return system.display_name, await system.check()

    name, problems = asyncio.run(check())
    for problem in problems:
        print(problem)
    if problems:
        return EXIT_PROBLEM
    print(f"{name} at {url}: connection, account and mapping ({settings.itsm_mapping_file}) are in order")
    return EXIT_OK
