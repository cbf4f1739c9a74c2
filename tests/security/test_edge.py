"""What comes in from outside is checked at the edge, and every valid message arrives.

Bodies are read to their end however they arrive (several TCP segments, chunks with pauses
between them); the size limit holds for chunked bodies too; a body that is no JSON object is a 400
that never feeds the authentication alert; numbers, ids and mention entities that no real ticket,
database or Teams client would have get a clear answer instead of an exception (and never the
apology, which means "our fault, try again").

The requests here are written to the server's socket by hand: aiohttp's client would send a body
in one piece. Between two pieces the test yields to the event loop until the server has read
what arrived (no wall-clock sleep): that is the moment a single ``read()`` used to return a cut-off
body.
"""

from __future__ import annotations

import asyncio
import json

import pytest

import app as app_module
from dialogs import texts
from tests.security.conftest import AuthHarness, row_counts
from tests.support import activities as acts
from tests.support.harness import BotHarness, harness_settings, start_harness, stop_harness

HELP_LINE = texts.HELP.splitlines()[0]


@pytest.fixture
async def harness(sqlite_database_url):
    h = await start_harness(harness_settings(sqlite_database_url))
    yield h
    await stop_harness(h)


def _padded_help(service_url: str, size: int) -> bytes:
    """A "help" message of exactly ``size`` bytes: the padding is channel data Teams would ignore,
    with multi-byte characters, so the pieces below also split a character in two."""
    activity = acts.personal_message(service_url, "help")
    activity["channelData"]["padding"] = ""
    bare = len(json.dumps(activity, ensure_ascii=False).encode())
    filler = ("é" * ((size - bare) // 2)) + ("x" * ((size - bare) % 2))
    activity["channelData"]["padding"] = filler
    body = json.dumps(activity, ensure_ascii=False).encode()
    assert len(body) == size
    return body


def _pieces(body: bytes, count: int) -> list[bytes]:
    step = max(1, len(body) // count + 1)
    return [body[i : i + step] for i in range(0, len(body), step)]


async def _let_the_server_read() -> None:
    """Yield to the event loop (the server runs on it) until it has handled what was written."""
    for _ in range(20):
        await asyncio.sleep(0)


async def _post_in_pieces(
    harness: BotHarness, pieces: list[bytes], *, chunked: bool, headers: dict[str, str] | None = None
) -> int:
    """POST /api/messages over a raw socket, one write per piece (one chunk each when chunked)."""
    server = harness.client.server
    reader, writer = await asyncio.open_connection(server.host, server.port)
    lines = ["POST /api/messages HTTP/1.1", f"Host: {server.host}:{server.port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in {"Content-Type": "application/json", **(headers or {})}.items()]
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {sum(map(len, pieces))}")
    try:
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        for piece in pieces:
            writer.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            await writer.drain()
            await _let_the_server_read()
        if chunked:
            writer.write(b"0\r\n\r\n")
            await writer.drain()
    except ConnectionError:
        pass  # the server answered (413) and closed before the whole body was written
    status_line = await reader.readline()
    writer.close()
    await harness.settle()
    return int(status_line.split()[1])


@pytest.mark.parametrize("chunked", [False, True], ids=["segments", "chunks"])
async def test_a_message_that_arrives_in_pieces_is_read_whole_and_answered(sqlite_auth_harness: AuthHarness, chunked):
    h = sqlite_auth_harness
    limit = h.bot.app[app_module.SETTINGS].max_body_bytes
    headers = {"Authorization": h.authorization()}
    sizes = [1024, 16 * 1024, 100 * 1024, limit - 100]
    for size in sizes:
        body = _padded_help(h.bot.service_url, size)
        assert await _post_in_pieces(h.bot, _pieces(body, 4), chunked=chunked, headers=headers) == 200
    answers = [text for text in h.bot.replies_to_employee() if text.startswith(HELP_LINE)]
    assert len(answers) == len(sizes)  # every one answered
    assert h.turns == ["message"] * len(sizes)
    assert h.bot.app[app_module.AUTHENTICATOR].monitor.window_total == 0


async def test_a_chunked_body_over_the_limit_gets_413_and_changes_nothing(harness):
    limit = harness.app[app_module.SETTINGS].max_body_bytes
    await harness.say("hallo")
    before = await row_counts(harness)
    replies = len(harness.connector.calls)
    body = _padded_help(harness.service_url, limit + 5000)
    assert await _post_in_pieces(harness, _pieces(body, 8), chunked=True) == 413
    assert await row_counts(harness) == before and len(harness.connector.calls) == replies


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
async def test_anything_but_json_gets_415_and_changes_nothing(harness, content_type):
    await harness.say("hallo")
    before = await row_counts(harness)
    body = json.dumps(acts.personal_message(harness.service_url, "help"))
    response = await harness.client.post("/api/messages", data=body, headers={"Content-Type": content_type})
    assert response.status == 415
    await harness.settle()
    assert await row_counts(harness) == before


async def test_json_with_a_charset_is_json(harness):
    body = json.dumps(acts.personal_message(harness.service_url, "help")).encode()
    response = await harness.client.post("/api/messages", data=body, headers={"Content-Type": "application/json; charset=utf-8"})
    assert response.status == 200
    await harness.settle()
    assert harness.replies_to_employee()[-1].startswith(HELP_LINE)


async def test_a_body_that_is_no_json_object_gets_400_with_a_valid_token_and_is_no_authentication_failure(
    sqlite_auth_harness: AuthHarness,
):
    h = sqlite_auth_harness
    monitor = h.bot.app[app_module.AUTHENTICATOR].monitor
    for body in (b'{"type": "message", "text": "cut off', b"[1, 2]", b'"text"', b"\xff\xfe", b""):
        response = await h.bot.client.post(
            "/api/messages", data=body, headers={"Authorization": h.authorization(), "Content-Type": "application/json"}
        )
        assert response.status == 400, body
    assert monitor.window_total == 0
    assert h.turns == []


def _apologies(harness: BotHarness) -> list[str]:
    return [call.text for call in harness.connector.calls if call.text == texts.TURN_FAILED]


@pytest.mark.parametrize("typed", ["status M-99999999999999999999", "status 99999999999999999999999999999"])
async def test_a_ticket_number_no_ticket_can_have_gets_a_dutch_answer(harness, typed):
    assert await harness.say(typed) == 200
    assert harness.replies_to_employee()[-1].startswith("Ik vind geen melding M-")
    assert _apologies(harness) == []


async def test_adding_information_to_a_number_no_ticket_can_have_gets_a_dutch_answer(harness):
    assert await harness.say("aanvulling M-99999999999999999999: de printer piept") == 200
    assert harness.replies_to_employee()[-1] == texts.UNKNOWN_TICKET.format(label="M-999999999…")
    assert await harness.say("aanvulling M-99999999999999999999") == 200  # asks what to add, then the same answer
    assert await harness.say("de printer piept nog steeds") == 200
    assert harness.replies_to_employee()[-1] == texts.UNKNOWN_TICKET.format(label="M-999999999…")
    assert _apologies(harness) == []


@pytest.mark.parametrize("ticket", [99999999999999999999, "99999999999999999999", "²", -(2**40)])
async def test_a_card_click_naming_an_impossible_ticket_changes_nothing(harness, ticket):
    await harness.link_channels()
    status, body = await harness.execute("oppakken", {"ticket": ticket, "versie": 1})
    assert status == 200 and body["type"] == "application/vnd.microsoft.activity.message"
    status, body = await harness.execute("oppakken", {"ticket": 1, "versie": 99999999999999999999})
    assert status == 200


async def test_a_lone_surrogate_is_replaced_and_the_message_arrives_once(harness):
    activity = acts.personal_message(harness.service_url, "help \ud800")
    activity["id"] = "act-\udfff-1"
    body = json.dumps(activity)  # ensure_ascii: the surrogates travel as "\\ud800" escapes
    assert "\\ud800" in body
    for _ in range(2):  # Teams' redelivery of the same activity
        response = await harness.client.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
        assert response.status == 200
        await harness.settle()
    assert [t for t in harness.replies_to_employee() if t.startswith(HELP_LINE)] == [texts.HELP]


@pytest.mark.parametrize(
    "entities",
    [
        [{"type": "mention"}],
        [{"type": None, "text": "<at>Servicedesk</at>"}],
        [{"type": "mention", "mentioned": None, "text": "<at>Servicedesk</at>"}],
        [{"type": "mention", "mentioned": {"id": acts.BOT["id"]}, "text": "<at>(</at>"}],
        [{"type": "mention", "mentioned": {"id": acts.BOT["id"], "name": "[a-"}}],
    ],
)
async def test_malformed_mention_entities_do_not_stop_a_channel_command(harness, entities):
    activity = acts.channel_message(harness.service_url, "koppel dit kanaal als regie", channel="19:regie")
    activity["entities"] = entities
    status, _ = await harness.post(activity)
    assert status == 200
    assert harness.connector.to("19:regie")[-1].text.startswith("Dit kanaal is nu gekoppeld als **regie**")
    assert _apologies(harness) == []
