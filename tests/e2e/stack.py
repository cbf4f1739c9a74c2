"""The end-to-end stack: the bot (local development mode), the Agents Playground and Chromium.

``Stack.start()`` starts, each on a free loopback port:

1. the bot, ``python app.py`` with a fresh SQLite database in a temp folder, no app id (local
   development mode, which the Playground needs), ``SERVICEDESK_DEV_TOOLS=1`` and a dev clock that
   starts at a fixed instant (Tuesday 28 April 2026, 09:00 Amsterdam), the scheduler off (the
   tests run the jobs through ``/_dev/jobs``), and the Playground's current user as admin and agent;
2. the Microsoft 365 Agents Playground (pinned in ``e2e/package.json``), offline (``--dt`` and
   ``APPLICATION_INSIGHTS_NO_STATSBEAT=1``), with ``e2e/.m365agentsplayground.yml`` (fixed ids);
3. ``e2e/driver.js``: headless Debian Chromium that uses the Playground's UI on the tests' behalf.

``missing_prerequisites()`` says why the stack cannot run here (no Node, no Chromium, no
``npm ci`` in e2e/), so the tests are skipped with that reason rather than failing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
E2E = ROOT / "e2e"
CONFIG = E2E / ".m365agentsplayground.yml"
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "test-artifacts" / "e2e"))
PLAYGROUND_BIN = E2E / "node_modules" / ".bin" / "agentsplayground"
CLOCK_START = "2026-04-28T09:00:00+02:00"  # a Tuesday, inside working hours


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def missing_prerequisites() -> str | None:
    """Why the end-to-end stack cannot run on this machine, or None when it can."""
    if shutil.which("node") is None:
        return "Node.js is not installed (the Agents Playground and the browser driver need it); run scripts/e2e-setup.sh"
    if chromium_path() is None:
        return "Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH); run scripts/e2e-setup.sh"
    for package in ("@microsoft/m365agentsplayground", "playwright-core", "adaptivecards", "adaptivecards-designer"):
        if not (E2E / "node_modules" / package / "package.json").exists():
            return f"npm package {package} is not installed in e2e/ (run: cd e2e && npm ci, or scripts/e2e-setup.sh)"
    return None


def playground_user() -> dict[str, str]:
    """The Playground's current user (name, aadObjectId) from the config file with fixed ids."""
    text = CONFIG.read_text("utf-8")
    block = text.split("currentUser:", 1)[1].split("\nusers:", 1)[0]
    name = re.search(r"^\s+name:\s*(.+)$", block, re.M).group(1).strip()
    object_id = re.search(r"^\s+aadObjectId:\s*(\S+)", block, re.M).group(1).strip()
    bot = text.split("\nbot:", 1)[1].split("\ncurrentUser:", 1)[0]
    bot_name = re.search(r"^\s+name:\s*(.+)$", bot, re.M).group(1).strip()
    return {"name": name, "aadObjectId": object_id, "bot_name": bot_name}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, timeout: float, ok=lambda status: status < 500) -> None:
    end = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if ok(response.status):
                    return
        except urllib.error.HTTPError as error:
            if ok(error.code):
                return
            last = error
        except OSError as error:
            last = error
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {timeout:.0f}s ({last})")


def _stop(process: subprocess.Popen | None, timeout: float = 10) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


class DriverError(RuntimeError):
    pass


@dataclass
class Driver:
    """The browser, through e2e/driver.js (JSON lines over its stdin/stdout)."""

    process: subprocess.Popen

    def call(self, cmd: str, **args: Any) -> dict[str, Any]:
        if self.process.poll() is not None:
            raise DriverError(f"browser driver exited with {self.process.returncode}")
        self.process.stdin.write(json.dumps({"cmd": cmd, **args}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise DriverError(f"browser driver closed its output during {cmd!r}")
        answer = json.loads(line)
        if not answer.get("ok"):
            raise DriverError(f"{cmd} failed: {answer.get('error')}")
        return answer


@dataclass
class Stack:
    workdir: Path
    bot_port: int
    playground_port: int = 0
    bot: subprocess.Popen | None = None
    playground: subprocess.Popen | None = None
    driver: Driver | None = None
    user: dict[str, str] = field(default_factory=playground_user)
    logs: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def bot_url(self) -> str:
        return f"http://127.0.0.1:{self.bot_port}"

    @property
    def playground_url(self) -> str:
        return f"http://localhost:{self.playground_port}"

    # -- start and stop ------------------------------------------------------------------------
    @classmethod
    def start(cls) -> "Stack":
        began = time.monotonic()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stack = cls(workdir=Path(tempfile.mkdtemp(prefix="servicedesk-e2e-")), bot_port=free_port())
        try:
            stack._start_bot()
            stack._start_playground()
            stack._start_driver()
        except BaseException:
            stack.stop()
            raise
        stack.timings["start"] = time.monotonic() - began
        return stack

    def _log(self, name: str):
        path = ARTIFACTS / f"{name}.log"
        self.logs[name] = path
        return open(path, "w", encoding="utf-8")

    def _start_bot(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MICROSOFT_APP_")}
        env.update(
            PORT=str(self.bot_port),
            HOST="127.0.0.1",
            DATABASE_URL=f"sqlite+aiosqlite:///{self.workdir / 'servicedesk.sqlite3'}",
            SERVICEDESK_DEV_TOOLS="1",
            SERVICEDESK_DEV_CLOCK_START=CLOCK_START,
            SERVICEDESK_ADMINS=self.user["aadObjectId"],
            SERVICEDESK_AGENTS=self.user["aadObjectId"],
            REGIE_MEMBERS=self.user["aadObjectId"],  # also regie: assigns an escalation's level
            SCHEDULER_ENABLED="0",
            SURVEY_MONTHS="4,5",  # the story's months: its survey sweep starts a round
            PYTHONUNBUFFERED="1",
        )
        app_py = str(ROOT / "app.py")
        # the temp folder as working directory: a developer's .env cannot switch on production mode
        subprocess.run([sys.executable, app_py, "db", "upgrade"], cwd=self.workdir, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
        self.bot = subprocess.Popen([sys.executable, app_py], cwd=self.workdir, env=env, stdin=subprocess.DEVNULL,
                                    stdout=self._log("bot"), stderr=subprocess.STDOUT, start_new_session=True)
        _wait_http(f"{self.bot_url}/readyz", 60, ok=lambda status: status == 200)

    def _start_playground(self) -> None:
        env = dict(os.environ, APPLICATION_INSIGHTS_NO_STATSBEAT="1", TEAMSAPPTESTER_BROWSER="none",
                   M365_AGENTS_PLAYGROUND_CONFIG_PATH=str(CONFIG))
        playground_dir = ARTIFACTS / "playground"  # it writes its own devTools/ log in its working directory
        playground_dir.mkdir(parents=True, exist_ok=True)
        for attempt in range(3):
            port = free_port()
            log_path = ARTIFACTS / "playground.log"
            self.logs["playground"] = log_path
            with open(log_path, "w", encoding="utf-8") as log:
                self.playground = subprocess.Popen(
                    ["node", str(PLAYGROUND_BIN), "-e", f"{self.bot_url}/api/messages", "-c", "msteams", "--dt",
                     "-p", str(port)],
                    cwd=playground_dir, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            end = time.monotonic() + 60
            while time.monotonic() < end and self.playground.poll() is None:
                match = re.search(r"Listening on (\d+)", log_path.read_text("utf-8", errors="replace"))
                if match:
                    self.playground_port = int(match.group(1))
                    break
                time.sleep(0.1)
            if self.playground_port:
                # the config call also makes the Playground wait until the bot answers
                _wait_http(f"{self.playground_url}/_internal/v1/config", 60, ok=lambda status: status == 200)
                return
            _stop(self.playground)
        raise RuntimeError(f"the Agents Playground did not start; see {log_path}:\n{log_path.read_text()[-2000:]}")

    def _start_driver(self) -> None:
        process = subprocess.Popen(
            ["node", str(E2E / "driver.js"), self.playground_url],
            cwd=E2E, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log("driver"),
            text=True, encoding="utf-8", bufsize=1, start_new_session=True,
            env=dict(os.environ, CHROMIUM_PATH=chromium_path() or ""),
        )
        self.driver = Driver(process)
        ready = process.stdout.readline()
        if not ready or not json.loads(ready).get("ready"):
            raise DriverError(f"browser driver did not start: {ready!r}; see {self.logs['driver']}")

    def stop(self) -> None:
        if self.driver is not None and self.driver.process.poll() is None:
            try:
                self.driver.call("close")
            except Exception:  # noqa: BLE001 - closing is best effort; the group is killed below
                pass
            _stop(self.driver.process)
        _stop(self.playground)
        _stop(self.bot)
        shutil.rmtree(self.workdir, ignore_errors=True)

    # -- the bot's dev tools -------------------------------------------------------------------
    def _dev(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        request = urllib.request.Request(
            f"{self.bot_url}{path}", data=json.dumps(body or {}).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def advance_clock(self, *, minutes: float) -> str:
        return self._dev("/_dev/clock/advance", {"minutes": minutes})["now"]

    def run_job(self, name: str) -> Any:
        return self._dev(f"/_dev/jobs/{name}")["result"]
