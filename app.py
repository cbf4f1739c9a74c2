"""Composition root and command line of the servicedesk bot.

``python app.py`` serves the bot (POST /api/messages, GET /healthz, GET /readyz). The aiohttp app
owns every lifetime through ``cleanup_ctx``: database engine, HTTP client session, inbound
authenticator, outbound delivery and the scheduler are created on start-up and closed on
shutdown, in that order and its reverse. Nothing lives in module globals.

Other commands: ``servicedesk --help`` (the installed script; ``python app.py`` is the same).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import timedelta
from pathlib import Path
from typing import AsyncIterator, Callable, Sequence

import aiohttp
from aiohttp import web

from bot.adapter import TeamsAdapter
from bot.auth import InboundAuthenticator
from bot.signing_keys import KeyFetchError
from bot.connector import AppTokenSource, Connector
from bot.delivery import Delivery
from bot.devtools import add_dev_routes, dev_clock
from bot.http import MessageEndpoint
from bot.report_links import report_handler
from bot.logging_setup import configure_logging
from bot.jobs import JobOptions, Jobs, build_scheduler, schedule_itsm
from bot.metrics import Metrics, metrics_handler
from bot.tracing import tracing_from
from bot.service_urls import service_url_allowed
from bot.settings import Settings
from bot.teams_bot import ServicedeskBot
from dialogs import texts
from cli.common import EXIT_UNEXPECTED, OperatorParser, explain, fail, load_policy_of, opened_database
import itsm
from itsm.mapping import load_mapping
from itsm.sync import ItsmSync, SyncOptions
from sla.clock import Clock, SystemClock
from sla.policy import Policy, load_policy
from storage.itsm import connect_sessions

log = logging.getLogger("servicedesk")

SETTINGS = web.AppKey("settings", Settings)
CLOCK = web.AppKey("clock", object)
POLICY = web.AppKey("policy", Policy)
DATABASE = web.AppKey("database", object)
HTTP_SESSION = web.AppKey("http_session", aiohttp.ClientSession)
AUTHENTICATOR = web.AppKey("authenticator", object)
DELIVERY = web.AppKey("delivery", Delivery)
JOBS = web.AppKey("jobs", Jobs)
ENDPOINT = web.AppKey("endpoint", MessageEndpoint)
SCHEDULER = web.AppKey("scheduler", object)
ITSM = web.AppKey("itsm", object)  # ItsmSync, or None without a ticket system
METRICS = web.AppKey("metrics", Metrics)
TRACING = web.AppKey("tracing", object)



async def _database_ctx(app: web.Application) -> AsyncIterator[None]:
    from storage.db import open_database
    from storage.migrate import ensure_current

    from storage.single_instance import hold_sqlite_lock

    lock = hold_sqlite_lock(app[SETTINGS].database_url)  # refuses a second instance on one file
    database = open_database(app[SETTINGS].database_url)
    try:
        await ensure_current(database.engine)
    except Exception:
        await database.dispose()
        lock.release()
        raise
    app[DATABASE] = database
    yield
    await database.dispose()
    lock.release()


async def _http_ctx(app: web.Application) -> AsyncIterator[None]:
    tracing = app[TRACING]
    session = aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=30, connect=10),
        trace_configs=[tracing.trace_config] if tracing is not None else None,
    )
    app[HTTP_SESSION] = session
    yield
    await session.close()
    if tracing is not None:
        await asyncio.to_thread(tracing.shutdown)  # sends the spans still waiting, off the event loop


async def _metrics_ctx(app: web.Application) -> AsyncIterator[None]:
    """With metrics on: the database figures read on a timer, and /metrics on METRICS_PORT if set."""
    settings, metrics = app[SETTINGS], app[METRICS]
    if not (settings.metrics_token or settings.metrics_port):
        yield
        return
    refresher = asyncio.create_task(metrics.refresh_every(app[DATABASE]), name="metrics-refresh")
    runner = None
    if settings.metrics_port:
        side = web.Application()
        side.router.add_get("/metrics", metrics_handler(metrics, token=None))
        runner = web.AppRunner(side, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, settings.metrics_host, settings.metrics_port).start()
    yield
    refresher.cancel()
    await asyncio.gather(refresher, return_exceptions=True)
    if runner is not None:
        await runner.cleanup()


async def _auth_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    if settings.dev_mode:
        log.warning(
            "LOCAL DEVELOPMENT MODE: no MICROSOFT_APP_ID, so inbound requests are NOT authenticated. "
            "Never run like this in production."
        )
        app[AUTHENTICATOR] = None
        yield
        return
    authenticator = InboundAuthenticator(
        settings.auth_settings(),
        clock=app[CLOCK],
        session=app[HTTP_SESSION],
    )
    try:
        await authenticator.start()
    except KeyFetchError as error:
        log.error("signing keys not loaded yet (%s); /readyz says not ready until they are", error.reason)
    app[AUTHENTICATOR] = authenticator
    yield
    await authenticator.close()


async def _itsm_ctx(app: web.Application) -> AsyncIterator[None]:
    """The supplier's ticket system, when ITSM_BACKEND names one (docs/topdesk.md).

    From here on every database session writes the intents for it (``storage.itsm``), and the sync
    service sends them and reads the system's changes; without one, nothing of this runs.
    """
    settings = app[SETTINGS]
    if settings.itsm_backend == "none":
        app[ITSM] = None
        yield
        return
    mapping = load_mapping(Path(settings.itsm_mapping_file))
    url, user, password = settings.itsm_account
    system = itsm.connect(
        settings.itsm_backend, session=app[HTTP_SESSION], url=url, user=user, password=password, mapping=mapping,
        timeout=settings.itsm_timeout_seconds,
    )
    connect_sessions(app[DATABASE], system.name)
    sync = ItsmSync(
        database=app[DATABASE], system=system, policy=app[POLICY], clock=app[CLOCK], worker_id=settings.worker_id,
        options=SyncOptions(
            poll_seconds=settings.itsm_poll_seconds, alert_after=timedelta(minutes=settings.itsm_alert_minutes),
            lookback=timedelta(days=mapping.lookback_days),
        ),
        after_commit=lambda: app[DELIVERY].kick(),  # messages the system's changes caused
    )
    app[ITSM] = sync
    yield
    await sync.close()


def _each(*calls: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        for call in calls:
            call()

    return run


async def _bot_ctx(app: web.Application) -> AsyncIterator[None]:
    from botbuilder.core import TurnContext

    from dialogs.conversation import EmployeeConversation
    from dialogs.services import DeskServices
    from storage.bot_state import SqlConversationState, SqlStorage
    from storage.agents import KnownAgents

    settings, clock, policy, database = app[SETTINGS], app[CLOCK], app[POLICY], app[DATABASE]
    metrics = app[METRICS]
    connector = Connector(
        session=app[HTTP_SESSION],
        metrics=metrics,
        token_source=AppTokenSource(
            app_id=settings.app_id, password=settings.app_password, tenant_id=settings.app_tenant_id, clock=clock
        ),
        service_url_allowed=lambda url: service_url_allowed(
            url, settings.allowed_service_hosts, allow_loopback=settings.dev_mode or settings.allow_loopback_service_url
        ),
    )

    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        log.exception("turn failed: %s", type(error).__name__, exc_info=error)
        try:
            await context.send_activity(texts.TURN_FAILED)
        except Exception:  # noqa: BLE001 - the apology is best effort
            log.warning("could not send the apology after a failed turn")

    adapter = TeamsAdapter(connector=connector, on_turn_error=on_turn_error)
    # one read of the agents' names per minute, for every card drawn; their lines from the settings
    agent_names = KnownAgents(lines=settings.lines)
    delivery = Delivery(
        database=database, connector=connector, clock=clock, policy=policy, worker_id=settings.worker_id,
        agent_names=agent_names, metrics=metrics, give_up=timedelta(hours=settings.outbox_give_up_hours),
    )
    itsm_sync = app[ITSM]
    after_commit = delivery.kick if itsm_sync is None else _each(delivery.kick, itsm_sync.kick)
    services = DeskServices(
        database=database, policy=policy, clock=clock, after_commit=after_commit, agent_names=agent_names,
        privacy_officers=settings.privacy_officers, reach=settings.reach,
    )
    conversation_state = SqlConversationState(SqlStorage(database=database, clock=clock))
    conversation = EmployeeConversation(services=services, conversation_state=conversation_state)
    bot = ServicedeskBot(settings=settings, services=services, conversation=conversation)
    jobs = Jobs(
        database=database,
        policy=policy,
        clock=clock,
        delivery=delivery,
        worker_id=settings.worker_id,
        options=JobOptions(
            piket_contact=settings.piket_contact,
            piket_user_id=settings.piket_user_id,
            retention_days=settings.retention_days,
            report_links=settings.report_links,
            reach=settings.reach,
            survey_months=settings.survey_months,
            survey_reminder_days=settings.survey_reminder_days,
            survey_open_days=settings.survey_open_days,
        ),
    )
    app[DELIVERY] = delivery
    app[JOBS] = jobs
    app[ENDPOINT] = MessageEndpoint(
        settings=settings, adapter=adapter, logic=bot.on_turn, authenticator=app[AUTHENTICATOR], database=database, clock=clock,
        metrics=metrics,
    )
    scheduler = None
    if settings.scheduler_enabled:
        scheduler = build_scheduler(
            jobs=jobs, policy=policy, weekly_day=settings.weekly_summary_day, weekly_time=settings.weekly_summary_time,
            metrics=metrics,
        )
        if itsm_sync is not None:
            schedule_itsm(scheduler, itsm_sync, poll_seconds=settings.itsm_poll_seconds, metrics=metrics)
        scheduler.start()
    app[SCHEDULER] = scheduler
    yield
    if scheduler is not None:
        scheduler.shutdown(wait=False)
    await delivery.close()


async def _messages(request: web.Request) -> web.StreamResponse:
    return await request.app[ENDPOINT].handle(request)


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _readyz(request: web.Request) -> web.Response:
    app = request.app
    problem = await app[DATABASE].problem()
    database_ok = problem is None
    authenticator = app[AUTHENTICATOR]
    keys_ok = authenticator is None or authenticator.ready
    body = {
        "database": "ok" if database_ok else problem,
        "signing_keys": "not needed (local development mode)" if authenticator is None else ("loaded" if keys_ok else "not loaded"),
        "mode": "local development: inbound requests are NOT authenticated" if app[SETTINGS].dev_mode else "production",
        # Shown, never a reason to refuse traffic: the bot keeps everything for the ticket system.
        "itsm": app[ITSM].readiness() if app[ITSM] is not None else "none (ITSM_BACKEND=none)",
    }
    if database_ok:
        body["outbox"] = await _given_up(app[DATABASE])
    ready = database_ok and keys_ok
    body["status"] = "ready" if ready else "not ready"
    return web.json_response(body, status=200 if ready else 503)


async def _given_up(database) -> dict[str, int]:
    """Messages the outbox gave up on: the servicedesk channel's own cannot be reported in it, so
    they are counted here (not a reason to be unready: the bot still serves)."""
    from storage import outbox

    async with database.sessions() as session:
        return {
            "failed": await outbox.count_failed(session),
            "failed_to_servicedesk": await outbox.count_failed(session, target=outbox.Target.channel("servicedesk")),
        }


async def _report_pdf(app: web.Application, month: str) -> bytes:
    """The month's SLR as PDF, from the figures as they are now; drawn on a worker thread."""
    from bot.reports.render import pdf
    from bot.reports.slr import monthly_slr_for

    async with app[DATABASE].sessions.begin() as session:
        slr = await monthly_slr_for(session, policy=app[POLICY], month=month, now=app[CLOCK].now())
    return await asyncio.to_thread(pdf, slr)


def create_app(settings: Settings, *, clock: Clock | None = None, policy: Policy | None = None) -> web.Application:
    """The bot as an aiohttp application; tests pass a FixedClock and their own settings."""
    tracing = tracing_from(settings)  # before the Application is built: it instruments the class
    app = web.Application(client_max_size=settings.max_body_bytes + 1024)
    app[SETTINGS] = settings
    app[CLOCK] = clock or SystemClock()
    app[POLICY] = policy or load_policy(settings.sla_policy, tz_name=settings.tz_name)
    app[METRICS] = Metrics(clock=app[CLOCK])
    app[TRACING] = tracing
    app.cleanup_ctx.extend([_database_ctx, _http_ctx, _auth_ctx, _itsm_ctx, _bot_ctx, _metrics_ctx])
    app.router.add_post("/api/messages", _messages)
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/readyz", _readyz)
    if settings.metrics_token:
        app.router.add_get("/metrics", metrics_handler(app[METRICS], token=settings.metrics_token))
    if settings.report_links is not None:  # the monthly report behind the signed link on regie's card
        app.router.add_get(
            "/rapport/{month}.pdf",
            report_handler(settings.report_links, now=app[CLOCK].now, render=lambda month: _report_pdf(app, month)),
        )
    add_dev_routes(app, settings=settings, clock=app[CLOCK], jobs=lambda: app[JOBS])  # only dev mode + SERVICEDESK_DEV_TOOLS=1
    return app


def build_parser() -> argparse.ArgumentParser:
    from cli import audit, db, directory, itsm, manifest, outbox, privacy, report, sla, status, survey

    parser = OperatorParser(
        prog="servicedesk",
        description="Teams servicedesk bot. Without a command it serves the bot on PORT (default 3978). "
        "Exit codes: 0 done, 1 a problem found, 2 a mistake in the command or a setting, "
        "3 the database cannot be used, 70 an unexpected error.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve the bot (the default without a command)")
    serve.set_defaults(func=run_serve)
    status.register(commands)
    db.register(commands)
    sla.register(commands)
    report.register(commands)
    audit.register(commands)
    privacy.register(commands)
    itsm.register(commands)
    manifest.register(commands)
    outbox.register(commands)
    directory.register(commands)
    survey.register(commands)
    return parser


async def freeze_startup_objects(_app: web.Application) -> None:
    """Leave what start-up built (modules, SDK classes, SQLAlchemy metadata, holiday tables) out
    of the cyclic garbage collector's work.

    Every collection of the oldest generation walked all of it again; ``gc.freeze`` moves it to
    the permanent generation. bench/turns.py: about an eighth less CPU per turn and a shorter tail
    (mid-intake p95 110 -> 92 ms). Only the server does this (tests start many apps in one process).
    """
    import gc

    gc.collect()
    gc.freeze()


def use_uvloop() -> bool:
    """Serve on uvloop's event loop when it is installed (a dependency on Linux and macOS).

    The asyncio event loop's own Python code (selector, callbacks, transports) was about a tenth of
    a turn's CPU; uvloop does that work in C (bench/turns.py: about 10 % more create turns per
    second). Without it (Windows) the standard loop serves exactly the same.
    """
    try:
        import uvloop
    except ImportError:
        return False
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    return True


def run_serve(args: argparse.Namespace | None = None) -> int:
    """Serve until stopped. Settings, the policy and the database are checked before the port opens."""
    import faulthandler

    if hasattr(sys.__stderr__, "fileno"):  # a fatal signal in C code (SIGBUS, SIGSEGV) still leaves its traceback
        faulthandler.enable(file=sys.__stderr__)
    settings = Settings.from_env()
    policy = load_policy_of(settings)

    async def preflight() -> None:
        async with opened_database(settings):  # reachable, migrated; no empty SQLite file at a typo
            pass

    asyncio.run(preflight())
    configure_logging(settings.log_level, settings.log_format)
    clock = dev_clock(settings)  # a movable clock only with SERVICEDESK_DEV_TOOLS=1 in local development mode
    app = create_app(settings, clock=clock, policy=policy)
    app.on_startup.append(freeze_startup_objects)  # after the engine, client and bot are built
    mode = "LOCAL DEVELOPMENT MODE (no authentication)" if settings.dev_mode else "production mode"
    log.info("servicedesk bot on port %s, %s, policy %s", settings.port, mode, app[POLICY].name)
    if use_uvloop():
        log.info("event loop: uvloop")
    web.run_app(app, host=settings.host, port=settings.port, access_log=None, print=None)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: every user's mistake is one line and a documented exit code (``cli.common``)."""
    from dotenv import load_dotenv

    load_dotenv(".env", override=False)  # every command sees the same settings as the server
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as done:  # --help, or a mistake argparse already told in one line
        return int(done.code or 0)
    func = getattr(args, "func", run_serve)
    try:
        return func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - one line for the operator; --debug shows the traceback
        if getattr(args, "debug", False):
            raise
        known = explain(error)
        if known is not None:
            return fail(str(known), known.exit_code)
        return fail(
            f"unexpected error ({type(error).__name__}: {str(error)[:200]}); run again with --debug for the traceback",
            EXIT_UNEXPECTED,
        )


if __name__ == "__main__":
    sys.exit(main())
