"""Logs: structured, with a correlation id per turn, and never a token, a secret or ticket text
at INFO and above (tokens and secrets at no level at all).

Realistic traffic in authentication mode: channel links, a P1-uplift intake with a motivation and
a phone number, a P3 intake, an agent picking a ticket up with a note, the status sweep, the
weekly summary, and a burst of bad and good tokens. All of it is logged at DEBUG through the
production formatter (``bot.logging_setup``) and through pytest's capture.
"""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta

from sqlalchemy import select

import app as app_module
from bot.logging_setup import JsonFormatter, KeyValueFormatter, configure_logging, install_filters
from storage.models import Ticket
from tests.auth.tokens import unsigned_token
from tests.security.conftest import APP_PASSWORD, OUTBOUND_TOKEN, AuthHarness
from tests.security.intake import buttons
from tests.support import activities as acts

DESCRIPTION = "Het beamer-scherm in lokaal Kwak-3 flikkert bij presentatie Zwanenburg"
DESCRIPTION_2 = "Printer Havikshorst drukt strepen op elk vel"
MOTIVATION = "om 10:00 zitting rechtbank Oostvaarders met cliënt Pietersma"
PHONE = "06 98765432"
NOTE = "Ik bel je direct op je nummer, groet Karim-ondersteuning-Xyz"


async def _uplift_intake(h: AuthHarness) -> None:
    """Answer "ja" to the uplift questions, type the motivation and the phone number."""
    prefix = f"a:personal-{acts.EMPLOYEE['aadObjectId']}"
    assert await h.say(DESCRIPTION) == 200
    for _ in range(25):
        last = h.bot.connector.to(prefix)[-1]
        options = buttons(last.cards)
        text = (last.text + " " + last.card_text()).lower()
        if "is aangemaakt" in text:
            return
        if options:
            vraag = str(options[0].get("vraag", ""))
            wanted = "ja" if vraag.startswith("uplift") or vraag == "confirm" else None
            choice = next((o for o in options if o.get("antwoord") == wanted), None)
            if choice is None and vraag == "work":
                choice = next((o for o in options if o.get("antwoord") == "nee"), None)
            if choice is None and vraag == "scope":
                choice = next((o for o in options if o.get("antwoord") == "alleen_ik"), None)
            assert await h.say(None, value=choice or options[0]) == 200
        elif "telefoon" in text:
            assert await h.say(PHONE) == 200
        else:
            assert await h.say(MOTIVATION) == 200
    raise AssertionError("the uplift intake did not finish")


async def test_no_token_secret_or_ticket_text_in_info_logs(sqlite_auth_harness: AuthHarness, caplog):
    h, bot = sqlite_auth_harness, sqlite_auth_harness.bot
    stream = io.StringIO()
    handler = install_filters(logging.StreamHandler(stream))
    handler.setFormatter(JsonFormatter())
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    tokens: list[str] = []
    try:
        await h.link_channels()
        await _uplift_intake(h)
        from tests.security.intake import complete_intake

        await complete_intake(bot, h.say, DESCRIPTION_2, user=acts.OTHER_AGENT)
        async with bot.app[app_module.DATABASE].sessions() as session:
            ticket = (
                await session.execute(select(Ticket).where(Ticket.reporter_id == acts.EMPLOYEE["aadObjectId"]))
            ).scalar_one()
        assert ticket.uplift and ticket.phone and ticket.uplift_motivation == MOTIVATION
        bot.clock.advance(timedelta(minutes=2))
        pick_up = acts.card_execute(
            bot.service_url, "oppakken", {"ticket": ticket.id, "versie": ticket.version, "notitie": NOTE}, channel="19:servicedesk"
        )
        valid = h.authorization()
        tokens.append(valid.split()[1])
        status, _ = await h.post(pick_up, authorization=valid)
        assert status == 200
        bot.clock.advance(timedelta(minutes=40))
        await bot.app[app_module.JOBS].status_sweep()
        bot.clock.advance(timedelta(days=6))
        await bot.app[app_module.JOBS].weekly_summary()
        # Bad tokens, many of them (the alert fires), and a few more good ones.
        activity = acts.personal_message(bot.service_url, "mijn meldingen")
        for n in range(12):
            bad = [
                h.authorization(aud="someone-else"),
                "Bearer " + unsigned_token(h.kit.claims(serviceurl=bot.service_url)),
                h.authorization(exp_in=timedelta(hours=-3)),
            ][n % 3]
            tokens.append(bad.split()[1])
            status, _ = await h.post(activity, authorization=bad)
            assert status == 401
        good = h.authorization()
        tokens.append(good.split()[1])
        status, _ = await h.post(activity, authorization=good)
        assert status == 200
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)

    lines = [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    assert lines, "nothing was logged"
    # Structured: every line is one JSON object with a level and a correlation id; turn lines
    # carry a real one.
    assert all({"ts", "level", "logger", "msg", "correlation_id"} <= line.keys() for line in lines)
    turn_lines = [line for line in lines if line["msg"].startswith("turn done")]
    assert turn_lines and all(line["correlation_id"] != "-" for line in turn_lines)
    assert len({line["correlation_id"] for line in turn_lines}) == len(turn_lines)
    assert any("auth_failure_alert" in line["msg"] for line in lines)

    never_anywhere = [APP_PASSWORD, OUTBOUND_TOKEN, *tokens]
    never_at_info = [DESCRIPTION, DESCRIPTION_2, MOTIVATION, PHONE, PHONE.replace(" ", ""), NOTE,
                     "Zwanenburg", "Pietersma", "Havikshorst", "Karim-ondersteuning-Xyz"]

    def offending(texts: list[tuple[str, str]], needles: list[str]) -> list[str]:
        return [f"{level}: {needle[:20]}… in {text[:120]!r}" for level, text in texts for needle in needles if needle in text]

    formatted = [(line["level"], json.dumps(line, ensure_ascii=False)) for line in lines]
    info_formatted = [(lvl, text) for lvl, text in formatted if lvl != "DEBUG"]
    captured = []
    for record in caplog.records:
        text = record.getMessage()
        if record.exc_info:
            from bot.logging_setup import format_exception_safely

            text += format_exception_safely(record)
        captured.append((record.levelname, text))
    info_captured = [(lvl, text) for lvl, text in captured if lvl != "DEBUG"]

    assert offending(formatted + captured, never_anywhere) == []
    assert offending(info_formatted + info_captured, never_at_info) == []


def test_formatters_and_redaction():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "got %s", ("Bearer eyJhbGciOi.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",), None)
    from bot.logging_setup import RedactingFilter, CorrelationFilter, correlation_id

    token = correlation_id.set("turn-1")
    try:
        CorrelationFilter().filter(record)
        RedactingFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
        assert line["correlation_id"] == "turn-1" and "eyJ" not in line["msg"] and "[redacted]" in line["msg"]
        assert "correlation_id=turn-1" in KeyValueFormatter().format(record)
    finally:
        correlation_id.reset(token)

    name = "Sanne" + " de Vries"  # built at run time: traceback frames show source lines, not values
    try:
        raise ValueError(f"INSERT ... parameters: ({name!r}, 'mijn laptop is kapot')")
    except ValueError:
        import sys

        failed = logging.LogRecord("x", logging.ERROR, __file__, 1, "turn failed", None, sys.exc_info())
    text = JsonFormatter().format(failed)
    assert "ValueError" in text and "Sanne de Vries" not in text


def test_configure_logging_writes_json_lines():
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    try:
        configure_logging("INFO", "json", stream=stream)
        logging.getLogger("servicedesk.test").info("hello %s", "world")
        logging.getLogger("servicedesk.test").debug("not shown")
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[1]:
            root.addHandler(handler)
        root.setLevel(saved[0])
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["msg"] == "hello world"
