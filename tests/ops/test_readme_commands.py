"""Every command in README's command table works exactly as printed, after the README's set-up.

A copy of the repository's files gets a fresh ``.venv`` from ``scripts/install.sh`` (what
``scripts/run.sh`` runs first; built once per test session, about a minute with pip's cache) and its
SQLite database from ``servicedesk db upgrade``. Then each command is run as printed, from the
copy's folder, as ``bash -c`` would run it for an operator: it must exit 0 and print no traceback.
The environment holds what the README's rows say a command needs (the ``MANIFEST_*`` variables
for the app package; ``ITSM_BACKEND`` and the TOPdesk settings for ``itsm check``, against the fake
TOPdesk on loopback), a free port for ``serve``, and nothing else of the bot's settings.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from aiohttp import web

from bot.settings import Settings
from sla.clock import FixedClock
from tests.e2e.stack import _stop, _wait_http, free_port
from tests.support.fake_topdesk import APP_PASSWORD, USER, FakeTopdesk
from tests.support.harness import DEFAULT_START

# One fresh virtual environment from PyPI for the module, and time to build it.
pytestmark = [pytest.mark.venv, pytest.mark.timeout(1800)]

ROOT = Path(__file__).resolve().parents[2]
MANIFEST_ENV = {
    "MICROSOFT_APP_ID": "6f1c3c2a-8a52-4c1e-9a8e-2d1f3f0b7a11",
    "MANIFEST_PRIVACY_URL": "https://www.example.nl/privacy",
    "MANIFEST_TERMS_URL": "https://www.example.nl/voorwaarden",
    "MANIFEST_WEBSITE_URL": "https://www.example.nl",
    "MANIFEST_DEVELOPER_NAME": "Voorbeeldorganisatie",
}


def readme_commands() -> list[str]:
    """The commands in the first column of README's command table, as printed."""
    section = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("\n## Commands", 1)[1].split("\n## ", 1)[0]
    return [m.group(1) for line in section.splitlines() if (m := re.match(r"\| `([^`]+)` \|", line))]


def clean_environment(**extra: str) -> dict[str, str]:
    names = set(Settings.environment_names()) | set(MANIFEST_ENV) | {"ITSM_MAPPING_FILE"}
    env = {k: v for k, v in os.environ.items() if k not in names and not k.startswith("VIRTUAL_ENV")}
    return {**env, **extra}


@pytest.fixture(scope="session")
def fresh_checkout(tmp_path_factory) -> Path:
    """The repository's files in a new folder, set up as the README says (without serving)."""
    folder = tmp_path_factory.mktemp("fresh") / "servicedesk"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, (t.decode() for t in tracked)):
        source = ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    env = clean_environment()
    subprocess.run(["bash", "scripts/install.sh"], cwd=folder, env=env, check=True, timeout=900)
    subprocess.run([".venv/bin/servicedesk", "db", "upgrade"], cwd=folder, env=env, check=True, timeout=120)
    asyncio.run(_link_channels(folder / "servicedesk.sqlite3"))
    return folder


async def _link_channels(database: Path) -> None:
    """What an admin does in Teams first, so ``status`` has nothing to complain about."""
    from sla.clock import SystemClock
    from storage import refs
    from storage.db import open_database

    db = open_database(f"sqlite:///{database}")
    try:
        async with db.sessions.begin() as session:
            for role in refs.CHANNEL_ROLES:
                await refs.save_reference(
                    session, kind=refs.CHANNEL, key=role, reference={"conversation": {"id": f"19:{role}"}},
                    now=SystemClock().now(), by="admin",
                )
    finally:
        await db.dispose()


def test_the_readme_lists_every_command_of_the_command_line():
    import app

    printed = {command.split()[1] for command in readme_commands()}
    commands = set(app.build_parser()._subparsers._group_actions[0].choices)  # noqa: SLF001 - argparse has no public list
    assert printed == commands


@pytest.fixture(scope="module")
def topdesk_env():
    """The fake TOPdesk on loopback, in a thread of its own (the command runs in another process)."""
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(FakeTopdesk(clock=FixedClock(DEFAULT_START).now).app())
    port = free_port()
    loop.run_until_complete(runner.setup())
    loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield {
        "ITSM_BACKEND": "topdesk", "TOPDESK_URL": f"http://127.0.0.1:{port}", "TOPDESK_USER": USER,
        "TOPDESK_APP_PASSWORD": APP_PASSWORD, "ITSM_MAPPING_FILE": "docs/itsm-mapping.example.toml",
    }
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=30)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=30)
    loop.close()


@pytest.mark.parametrize("command", [c for c in readme_commands() if not c.endswith(" serve")])
def test_a_readme_command_works_as_printed(fresh_checkout, topdesk_env, command):
    needs = {" manifest ": MANIFEST_ENV, " itsm ": topdesk_env}
    env = clean_environment(**next((values for word, values in needs.items() if word in command), {}))
    result = subprocess.run(["bash", "-c", command], cwd=fresh_checkout, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr


def test_serve_as_printed_answers_its_health_probes(fresh_checkout):
    (command,) = [c for c in readme_commands() if c.endswith(" serve")]
    port = free_port()
    with open(fresh_checkout / "serve.log", "wb") as log:
        process = subprocess.Popen(
            ["bash", "-c", f"exec {command}"], cwd=fresh_checkout, env=clean_environment(PORT=str(port)),
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, which _stop ends (it left serve running)
        )
        try:
            _wait_http(f"http://127.0.0.1:{port}/readyz", timeout=90, ok=lambda status: status == 200)
        finally:
            _stop(process)
    assert "Traceback" not in (fresh_checkout / "serve.log").read_text()


def test_a_second_start_with_nothing_changed_installs_nothing_and_needs_no_network(fresh_checkout):
    env = clean_environment(PIP_NO_INDEX="1", PIP_INDEX_URL="http://127.0.0.1:9/simple")  # pip could reach nothing
    again = subprocess.run(["bash", "scripts/install.sh"], cwd=fresh_checkout, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and again.stderr == "" and again.stdout == ""
