"""Turns per second and latency of the servicedesk bot, next to a stock botbuilder echo bot.

Run from the repository root:

    .venv/bin/python bench/turns.py [--db sqlite|postgres|both] [--seconds N] [--senders 20]

What it does, per database (SQLite in a temporary file; PostgreSQL in a temporary database on
``--postgres-url`` that is created, migrated and dropped):

* a stub Bot Connector (its own process, on loopback) answers every send like Teams does;
* the bot (``python app.py`` in local development mode, in its own process pinned to one core with
  ``os.sched_setaffinity``) serves ``/api/messages``; the load generator and the stub run on the
  other core(s);
* N concurrent senders post Teams-shaped activities for a fixed time and time every request:

  a. **mid-intake**: each sender speaks for 20 employees in turn (Teams allows 7 operations per
     second per conversation and the bot keeps to that), each with an open intake, who keep
     answering the description question too briefly: every turn reads the dialog state, re-asks
     (two replies), and writes the state back;
  b. **create**: each request is the "ja" on the summary card ("Klopt dit?") of a different
     employee, i.e. the turn that makes the ticket (ticket, events, outbox, deadlines). The
     intakes are prepared first: one is driven to the summary over HTTP and its state row is
     copied for the others; only the creating turns are timed;
  c. **acknowledge**: an ``adaptiveCard/action`` invoke with verb "oppakken" by an agent, each on a
     different fresh ticket (seeded before the bot starts);

* then 1,000 employees each send one message that opens an intake, and the bot's RSS is read.

The same load as (a) (personal messages from 20 employees, one reply each) runs against a minimal
stock echo bot (botbuilder ``CloudAdapter`` + ``ActivityHandler``, built here, not shipped) on the
same core; the ratio of each scenario to that echo bot is printed. The echo bot also runs once
with msrest's ``ClientRetryPolicy.safe_codes`` made a frozenset (the SDK's hotspot fixed), for
reference only.

This is a script, not a test: the figures depend on the machine. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TENANT = "0d0d0d0d-1111-2222-3333-444444444444"
BOT = {"id": "28:servicedesk-bot", "name": "Servicedesk"}
ADMIN_ID = "cccccccc-0000-0000-0000-000000000003"
AGENT_ID = "bbbbbbbb-0000-0000-0000-000000000002"
SERVICEDESK_CHANNEL = "19:servicedesk-bench@thread.tacv2"
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SHORT_ANSWER = "kort"  # under the description question's five letters: asked again, state written


# ------------------------------------------------------------------------------------------------
# child processes: stub connector, servicedesk bot, stock echo bot
# ------------------------------------------------------------------------------------------------

def _pin(cores: set[int]) -> None:
    try:
        os.sched_setaffinity(0, cores)
    except (AttributeError, OSError):  # not Linux: run unpinned
        pass


def _cores() -> tuple[set[int], set[int]]:
    """(the bot's core, the others' cores), from the cores this benchmark was started with."""
    inherited = os.environ.get("BENCH_TURNS_CORES")
    if inherited:
        available = [int(c) for c in inherited.split(",")]
    else:
        available = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else [0]
        os.environ["BENCH_TURNS_CORES"] = ",".join(map(str, available))  # children read it
    bot = {available[0]}
    rest = set(available[1:]) or bot
    return bot, rest


def run_stub(port: int) -> None:
    """A stub Bot Connector: answers sends and updates like Teams, counts them."""
    from aiohttp import web

    _pin(_cores()[1])
    counts = {"send": 0, "update": 0}
    ids = itertools.count(1)

    async def send(request: web.Request) -> web.Response:
        await request.read()
        counts["send"] += 1
        return web.json_response({"id": f"stub-{next(ids)}"})

    async def update(request: web.Request) -> web.Response:
        await request.read()
        counts["update"] += 1
        return web.json_response({"id": request.match_info["aid"]})

    async def read_counts(request: web.Request) -> web.Response:
        return web.json_response(counts)

    app = web.Application()
    app.router.add_post("/v3/conversations/{cid}/activities", send)
    app.router.add_post("/v3/conversations/{cid}/activities/{aid}", send)
    app.router.add_put("/v3/conversations/{cid}/activities/{aid}", update)
    app.router.add_get("/_counts", read_counts)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


def run_bot(port: int) -> None:
    """The servicedesk bot exactly as ``python app.py`` serves it (settings from the environment)."""
    _pin(_cores()[0])
    os.environ["PORT"] = str(port)
    import app

    sys.exit(app.main([]))


def run_echo(port: int, fast_msrest: bool) -> None:
    """A stock botbuilder echo bot: CloudAdapter + ActivityHandler, one reply per message."""
    _pin(_cores()[0])
    import logging

    from aiohttp import web
    from botbuilder.core import ActivityHandler, TurnContext
    from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

    logging.basicConfig(level=logging.WARNING)
    if fast_msrest:
        from msrest.universal_http.requests import ClientRetryPolicy

        ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)

    class Config:
        PORT = port
        APP_ID = ""
        APP_PASSWORD = ""
        APP_TYPE = "MultiTenant"
        APP_TENANTID = ""

    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Config()))

    class EchoBot(ActivityHandler):
        async def on_message_activity(self, turn_context: TurnContext) -> None:
            await turn_context.send_activity(f"Echo: {turn_context.activity.text}")

    bot = EchoBot()

    async def messages(request: web.Request) -> web.Response:
        return await adapter.process(request, bot)

    async def healthz(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Child:
    process: subprocess.Popen
    port: int
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_mb(self) -> float:
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _spawn(role: str, *extra: str, env: dict[str, str] | None = None, log: Path | None = None) -> Child:
    port = _free_port()
    out = open(log, "wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--_role", role, "--_port", str(port), *extra],
        cwd=str(ROOT),
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        stdout=out,
        stderr=out,
    )
    return Child(process=process, port=port, log=log)


async def _wait_up(session, child: Child, path: str = "/healthz", timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            tail = child.log.read_text()[-3000:] if child.log and child.log.exists() else ""
            raise RuntimeError(f"child exited with {child.process.returncode}\n{tail}")
        try:
            async with session.get(child.url + path) as response:
                if response.status == 200:
                    return
        except Exception:  # noqa: BLE001 - not listening yet
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"child on port {child.port} did not come up")


# ------------------------------------------------------------------------------------------------
# Teams-shaped activities
# ------------------------------------------------------------------------------------------------

_activity_ids = itertools.count(1)


def _user(name: str) -> dict[str, Any]:
    object_id = str(uuid.uuid5(uuid.NAMESPACE_URL, name))
    return {"id": f"29:{object_id}", "aadObjectId": object_id, "name": f"Medewerker {name}"}


def personal_message(service_url: str, user: dict[str, Any], text: str = "", value: Any = None) -> dict[str, Any]:
    activity = {
        "type": "message",
        "id": f"bench-{next(_activity_ids)}",
        "timestamp": "2026-04-28T08:00:00.000Z",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": user,
        "recipient": BOT,
        "conversation": {"id": f"a:personal-{user['aadObjectId']}", "conversationType": "personal", "tenantId": TENANT},
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "nl-NL",
        "text": text,
        "textFormat": "plain",
    }
    if value is not None:
        activity["value"] = value
    return activity


def channel_message(service_url: str, user: dict[str, Any], text: str) -> dict[str, Any]:
    mention = f"<at>{BOT['name']}</at>"
    return {
        "type": "message",
        "id": f"bench-{next(_activity_ids)}",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": user,
        "recipient": BOT,
        "conversation": {
            "id": f"{SERVICEDESK_CHANNEL};messageid=1700000000000",
            "conversationType": "channel",
            "isGroup": True,
            "tenantId": TENANT,
        },
        "text": f"{mention} {text}",
        "entities": [{"type": "mention", "text": mention, "mentioned": BOT}],
        "channelData": {"tenant": {"id": TENANT}, "channel": {"id": SERVICEDESK_CHANNEL}, "team": {"id": "19:team@thread.tacv2"}},
    }


def acknowledge_invoke(service_url: str, agent: dict[str, Any], ticket_id: int) -> dict[str, Any]:
    return {
        "type": "invoke",
        "name": "adaptiveCard/action",
        "id": f"bench-{next(_activity_ids)}",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": agent,
        "recipient": BOT,
        "conversation": {"id": SERVICEDESK_CHANNEL, "conversationType": "channel", "isGroup": True, "tenantId": TENANT},
        "channelData": {"tenant": {"id": TENANT}, "channel": {"id": SERVICEDESK_CHANNEL}},
        "value": {
            "action": {"type": "Action.Execute", "verb": "oppakken", "data": {"ticket": ticket_id, "versie": 1}},
            "trigger": "manual",
        },
    }


# ------------------------------------------------------------------------------------------------
# load
# ------------------------------------------------------------------------------------------------

@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    note: str = ""
    cpu_seconds: float = 0.0  # CPU time of the measured bot process (all its threads) in the window

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def quantile(self, q: int) -> float:
        if len(self.latencies) < 3:
            return float("nan")
        return statistics.quantiles(self.latencies, n=100)[q - 1] * 1000

    def line(self, echo_rate: float | None = None) -> str:
        ratio = f"  {self.rate / echo_rate:4.2f}x echo" if echo_rate else ""
        errors = f"  errors {self.errors}" if self.errors else ""
        note = f"  ({self.note})" if self.note else ""
        cpu = ""
        if self.cpu_seconds and self.latencies:
            cpu = f"  cpu {1000 * self.cpu_seconds / len(self.latencies):4.1f} ms/turn, {100 * self.cpu_seconds / self.elapsed:3.0f} % of a core"
        return (
            f"{self.name:<28} {self.rate:7.1f} turns/s  p50 {self.quantile(50):6.1f}  p95 {self.quantile(95):6.1f}  "
            f"p99 {self.quantile(99):6.1f} ms  n={len(self.latencies)}{ratio}{cpu}{errors}{note}"
        )


Request = Callable[[int], Awaitable[Any]]  # sender number -> activity dict, or None when out of work
Check = Callable[[int, bytes], bool]


def _ok(status: int, body: bytes) -> bool:
    return status in (200, 201)  # CloudAdapter answers 201


async def drive(session, url: str, *, senders: int, seconds: float, next_activity, check: Check = _ok, name: str = "") -> Result:
    """``senders`` concurrent loops, each posting its next activity as soon as the last answered."""
    result = Result(name)
    started = time.perf_counter()
    deadline = started + seconds

    async def sender(n: int) -> None:
        while time.perf_counter() < deadline:
            activity = next_activity(n)
            if activity is None:
                result.note = "ran out of prepared work"
                return
            t0 = time.perf_counter()
            try:
                async with session.post(url + "/api/messages", json=activity) as response:
                    body = await response.read()
                    if check(response.status, body):
                        result.latencies.append(time.perf_counter() - t0)
                    else:
                        key = f"{response.status}"
                        result.errors[key] = result.errors.get(key, 0) + 1
            except Exception as error:  # noqa: BLE001 - counted, the run goes on
                key = type(error).__name__
                result.errors[key] = result.errors.get(key, 0) + 1

    profiler = _profile(name, seconds)
    cpu_before = _cpu_seconds(MEASURED.get("pid"))
    await asyncio.gather(*(sender(n) for n in range(senders)))
    cpu_after = _cpu_seconds(MEASURED.get("pid"))
    result.elapsed = time.perf_counter() - started
    if profiler is not None:
        await asyncio.to_thread(profiler.wait)
    if cpu_before is not None and cpu_after is not None:
        result.cpu_seconds = cpu_after - cpu_before
    return result


MEASURED: dict[str, int] = {}  # pid of the bot under load (servicedesk or echo)


def _cpu_seconds(pid: int | None) -> float | None:
    """User plus system CPU time of a process and all its threads (Linux /proc), or None."""
    if not pid:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


PROFILE: dict[str, Any] = {}  # --profile: folder, bot pid, database kind


def _profile(name: str, seconds: float):
    """With --profile, py-spy records the bot during a timed scenario (raw stacks, for flame graphs)."""
    if not name or not PROFILE.get("pid") or not PROFILE.get("dir"):
        return None
    spy = Path(sys.executable).with_name("py-spy")
    target = Path(PROFILE["dir"]) / f"{PROFILE['kind']}-{name.split()[0]}.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [str(spy), "record", "-p", str(PROFILE["pid"]), "-d", str(max(1, int(seconds))), "-r", "200", "-f", "raw",
         "--nonblocking", "-o", str(target)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


async def post_all(session, url: str, activities: list[dict[str, Any]], concurrency: int = 20) -> None:
    """Untimed set-up traffic, ``concurrency`` at a time; every answer must be 200."""
    queue = iter(activities)

    async def worker() -> None:
        for activity in queue:
            async with session.post(url + "/api/messages", json=activity) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"set-up request answered {response.status}")

    await asyncio.gather(*(worker() for _ in range(concurrency)))


# ------------------------------------------------------------------------------------------------
# databases
# ------------------------------------------------------------------------------------------------

@dataclass
class TempDatabase:
    url: str
    drop: Callable[[], Awaitable[None]]


async def temp_database(kind: str, workdir: Path, postgres_url: str) -> TempDatabase:
    if kind == "sqlite":
        path = workdir / "bench-turns.sqlite3"

        async def drop_file() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)

        return TempDatabase(f"sqlite:///{path}", drop_file)
    import asyncpg

    name = f"bench_turns_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(postgres_url, timeout=5)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()

    async def drop_database() -> None:
        connection = await asyncpg.connect(postgres_url, timeout=5)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()

    return TempDatabase(f"{postgres_url.rsplit('/', 1)[0]}/{name}", drop_database)


def migrate(url: str) -> None:
    subprocess.run(
        [sys.executable, "app.py", "db", "upgrade"],
        cwd=str(ROOT),
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        stdout=subprocess.DEVNULL,
    )


async def seed_tickets(url: str, count: int, agent_conversation: str) -> list[int]:
    """Fresh tickets ("nieuw", version 1) as the intake stores them, with their servicedesk card
    already posted (a card ref, outbox sent), so an acknowledge redraws a real card."""
    from datetime import datetime, timezone

    from sqlalchemy import update

    from bot.settings import Settings
    from sla.policy import load_policy
    from sla.priority import PriorityDecision
    from storage import refs, tickets
    from storage.db import open_database
    from storage.models import OutboxMessage

    settings = Settings()
    policy = load_policy(settings.sla_policy, tz_name=settings.tz_name)
    database = open_database(url)
    ids: list[int] = []
    now = datetime.now(timezone.utc)
    try:
        for start in range(0, count, 500):
            async with database.sessions.begin() as session:
                for n in range(start, min(count, start + 500)):
                    user = _user(f"seed-{n}")
                    ticket = await tickets.create_ticket(
                        session,
                        policy=policy,
                        now=now,
                        reporter_id=user["aadObjectId"],
                        reporter_name=user["name"],
                        category="laptop",
                        scope="alleen_ik",
                        description="Mijn laptop start niet op",
                        decision=PriorityDecision("P3", False, ("één medewerker",)),
                    )
                    await refs.save_card_ref(
                        session, ticket_id=ticket.id, role="servicedesk", conversation_id=agent_conversation,
                        activity_id=f"seed-card-{ticket.id}", now=now,
                    )
                    ids.append(ticket.id)
                await session.execute(
                    update(OutboxMessage).where(OutboxMessage.status == "pending").values(status="sent", sent_at=now)
                )
    finally:
        await database.dispose()
    return ids


async def clone_state(url: str, template_key: str, keys: list[str]) -> None:
    """Copy one conversation's dialog state (an intake at its summary card) to ``keys``."""
    from sqlalchemy import insert, select

    from storage.db import open_database
    from storage.models import BotStateRow

    database = open_database(url)
    try:
        async with database.sessions.begin() as session:
            row = (await session.execute(select(BotStateRow).where(BotStateRow.key == template_key))).scalar_one()
            rows = [dict(key=k, etag=1, document=row.document, updated_at=row.updated_at) for k in keys]
            for start in range(0, len(rows), 1000):
                await session.execute(insert(BotStateRow), rows[start : start + 1000])
    finally:
        await database.dispose()


async def state_document(url: str, key: str) -> dict[str, Any] | None:
    from sqlalchemy import select

    from storage.db import open_database
    from storage.models import BotStateRow

    database = open_database(url)
    try:
        async with database.sessions() as session:
            row = (await session.execute(select(BotStateRow).where(BotStateRow.key == key))).scalar_one_or_none()
            return row.document if row else None
    finally:
        await database.dispose()


# ------------------------------------------------------------------------------------------------
# scenarios
# ------------------------------------------------------------------------------------------------

def _ack_ok(status: int, body: bytes) -> bool:
    if status != 200:
        return False
    try:
        return json.loads(body).get("type") == "application/vnd.microsoft.card.adaptive"  # a card: acknowledged
    except ValueError:
        return False


async def mid_intake(session, bot_url: str, service_url: str, args, label: str, *, open_intakes: bool = True) -> Result:
    # Each sender speaks for its own employees in turn: Teams allows 7 operations per second per
    # conversation, and the bot's connector keeps to that (two replies per turn here), so one
    # employee typing as fast as the bot answers would measure the pacing, not the turn.
    per_sender = args.users_per_sender
    users = [[_user(f"{label}-a-{n}-{k}") for k in range(per_sender)] for n in range(args.senders)]
    if open_intakes:
        await post_all(session, bot_url, [personal_message(service_url, u, "nieuwe melding") for group in users for u in group])
    turn = [0] * args.senders

    def next_activity(n: int) -> dict[str, Any]:
        turn[n] += 1
        return personal_message(service_url, users[n][turn[n] % per_sender], SHORT_ANSWER)

    await drive(session, bot_url, senders=args.senders, seconds=args.warmup, next_activity=next_activity)
    return await drive(session, bot_url, senders=args.senders, seconds=args.seconds, next_activity=next_activity,
                       name="mid-intake turn")


async def create_turns(session, bot_url: str, service_url: str, args, label: str, db_url: str) -> Result:
    template = _user(f"{label}-template")
    steps = [
        ("", None, "printer doet het niet meer"),
        ({"vraag": "category", "antwoord": "printer"}, None, ""),
        ({"vraag": "scope", "antwoord": "alleen_ik"}, None, ""),
        ({"vraag": "work", "antwoord": "ja"}, None, ""),
    ]
    for value, _, text in steps:
        await post_all(session, bot_url, [personal_message(service_url, template, text, value or None)], concurrency=1)
    template_key = f"msteams/conversations/a:personal-{template['aadObjectId']}"
    document = await state_document(db_url, template_key)
    if document is None or '"confirm"' not in json.dumps(document):
        raise RuntimeError("the template intake did not reach the summary card")
    pool_size = int((args.seconds + args.warmup) * args.create_pool_rate)
    users = [_user(f"{label}-b-{n}") for n in range(pool_size)]
    await clone_state(db_url, template_key, [f"msteams/conversations/a:personal-{u['aadObjectId']}" for u in users])
    pool = iter(users)
    confirm = {"vraag": "confirm", "antwoord": "ja"}

    def next_activity(n: int) -> dict[str, Any] | None:
        user = next(pool, None)
        return personal_message(service_url, user, "", confirm) if user else None

    await drive(session, bot_url, senders=args.senders, seconds=args.warmup, next_activity=next_activity)
    return await drive(session, bot_url, senders=args.senders, seconds=args.seconds, next_activity=next_activity,
                       name="create turn (ticket)")


async def acknowledge_turns(session, bot_url: str, service_url: str, args, ticket_ids: list[int]) -> Result:
    agent = {"id": f"29:{AGENT_ID}", "aadObjectId": AGENT_ID, "name": "Karim Bouali"}
    pool = iter(ticket_ids)

    def next_activity(n: int) -> dict[str, Any] | None:
        ticket_id = next(pool, None)
        return acknowledge_invoke(service_url, agent, ticket_id) if ticket_id is not None else None

    await drive(session, bot_url, senders=args.senders, seconds=args.warmup, next_activity=next_activity, check=_ack_ok)
    return await drive(session, bot_url, senders=args.senders, seconds=args.seconds, next_activity=next_activity,
                       check=_ack_ok, name="acknowledge invoke")


async def open_intakes(session, bot_url: str, service_url: str, count: int, label: str) -> None:
    users = [_user(f"{label}-m-{n}") for n in range(count)]
    await post_all(session, bot_url, [personal_message(service_url, u, "mijn laptop start niet op") for u in users])


async def run_echo_bot(session, service_url: str, args, fast_msrest: bool, workdir: Path) -> Result:
    extra = ["--_fast-msrest"] if fast_msrest else []
    echo = _spawn("echo", *extra, log=workdir / f"echo{'-fast' if fast_msrest else ''}.log")
    try:
        await _wait_up(session, echo)
        MEASURED["pid"] = echo.process.pid
        result = await mid_intake(session, echo.url, service_url, args, "echo", open_intakes=False)
        result.name = "echo bot (msrest fixed)" if fast_msrest else "stock echo bot"
        return result
    finally:
        echo.stop()


async def run_servicedesk(session, kind: str, service_url: str, args, workdir: Path) -> tuple[list[Result], dict[str, float]]:
    database = await temp_database(kind, workdir, args.postgres_url)
    bot = None
    try:
        await asyncio.to_thread(migrate, database.url)
        ack_pool = int((args.seconds + args.warmup) * args.ack_pool_rate) if "c" in args.scenarios else 0
        ticket_ids = await seed_tickets(database.url, ack_pool, SERVICEDESK_CHANNEL)
        env = {
            "DATABASE_URL": database.url,
            "SERVICEDESK_ADMINS": ADMIN_ID,
            "SERVICEDESK_AGENTS": AGENT_ID,
            "MICROSOFT_APP_ID": "",
            "LOG_LEVEL": args.log_level,
            "HOST": "127.0.0.1",
        }
        bot = _spawn("bot", env=env, log=workdir / f"bot-{kind}.log")
        await _wait_up(session, bot, "/readyz")
        PROFILE.update(pid=bot.process.pid, kind=kind, dir=args.profile)
        MEASURED["pid"] = bot.process.pid
        admin = {"id": f"29:{ADMIN_ID}", "aadObjectId": ADMIN_ID, "name": "Petra Admin"}
        await post_all(session, bot.url, [channel_message(service_url, admin, "koppel dit kanaal als servicedesk")], 1)
        results = []
        if "a" in args.scenarios:
            results.append(await mid_intake(session, bot.url, service_url, args, kind))
        if "b" in args.scenarios:
            results.append(await create_turns(session, bot.url, service_url, args, kind, database.url))
        if "c" in args.scenarios:
            results.append(await acknowledge_turns(session, bot.url, service_url, args, ticket_ids))
        await asyncio.sleep(1)  # let the outbox drain
        memory = {"rss_before_mb": bot.rss_mb()}
        await open_intakes(session, bot.url, service_url, args.open_intakes, kind)
        memory["rss_after_mb"] = bot.rss_mb()
        return results, memory
    finally:
        if bot is not None:
            bot.stop()
        await database.drop()


async def main_async(args) -> int:
    import aiohttp

    _pin(_cores()[1])
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    with tempfile.TemporaryDirectory(prefix="bench-turns-") as tmp:
        workdir = Path(tmp)
        stub = _spawn("stub", log=workdir / "stub.log")
        connector = aiohttp.TCPConnector(limit=args.senders + 5)
        async with aiohttp.ClientSession(connector=connector) as session:
            try:
                await _wait_up(session, stub, "/_counts")
                service_url = stub.url + "/"
                print(f"bench/turns.py: {args.senders} senders, {args.seconds:g} s per scenario (+{args.warmup:g} s warm-up); "
                      f"bot on core {sorted(_cores()[0])}, load and stub connector on {sorted(_cores()[1])}")
                echo = Result("stock echo bot")
                if not args.no_echo:
                    echo = await run_echo_bot(session, service_url, args, False, workdir)
                    print(echo.line())
                    fast = await run_echo_bot(session, service_url, args, True, workdir)
                    print(fast.line(echo.rate))
                failed = False
                for kind in kinds:
                    print(f"-- servicedesk bot on {kind}")
                    results, memory = await run_servicedesk(session, kind, service_url, args, workdir)
                    for result in results:
                        print(result.line(echo.rate))
                        if result.errors:
                            failed = True
                    print(f"{'memory':<28} RSS {memory['rss_before_mb']:.0f} MB before, {memory['rss_after_mb']:.0f} MB after "
                          f"{args.open_intakes} open intakes")
                async with session.get(stub.url + "/_counts") as response:
                    print(f"stub connector received: {await response.json()}")
            finally:
                stub.stop()
                if args.keep_logs:
                    for log in workdir.glob("*.log"):
                        target = Path(args.keep_logs) / log.name
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(log.read_bytes())
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=10.0, help="timed seconds per scenario")
    parser.add_argument("--warmup", type=float, default=2.0, help="untimed seconds before each scenario")
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--users-per-sender", type=int, default=20, help="employees each sender speaks for (mid-intake)")
    parser.add_argument("--open-intakes", type=int, default=1000)
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    parser.add_argument("--log-level", default="INFO", help="the bot's LOG_LEVEL (INFO, as in production)")
    parser.add_argument("--create-pool-rate", type=float, default=500, help="prepared intakes per second of the create scenario")
    parser.add_argument("--ack-pool-rate", type=float, default=700, help="seeded tickets per second of the acknowledge scenario")
    parser.add_argument("--scenarios", default="abc", help="a mid-intake, b create, c acknowledge (default all)")
    parser.add_argument("--no-echo", action="store_true", help="skip the echo bot (quicker iterations; no ratio)")
    parser.add_argument("--profile", default="", help="py-spy records the bot in each scenario into this folder")
    parser.add_argument("--keep-logs", default="", help="copy the child processes' logs to this folder")
    parser.add_argument("--_role", help=argparse.SUPPRESS)
    parser.add_argument("--_port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--_fast-msrest", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._role == "stub":
        run_stub(args._port)
        return 0
    if args._role == "bot":
        run_bot(args._port)
        return 0
    if args._role == "echo":
        run_echo(args._port, args._fast_msrest)
        return 0
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
