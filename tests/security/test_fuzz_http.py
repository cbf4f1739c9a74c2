"""Fuzz ``/api/messages`` with generated activities and card invokes, in local development mode
and in authentication mode (with valid tokens, so the generated activity reaches the turn).

Besides arbitrary JSON: bodies sent in chunks with pauses between them, lone surrogates in ids and
texts, ticket numbers and card versions no Integer column holds, and malformed mention entities.
Never a 500 (nor 502/503: the documented 503s are for a database fault or a turn that waited too
long, neither of which the fuzzer causes), never a failed turn ("turn failed" is what
``on_turn_error`` logs when the bot's code raised), and never the apology. 501 is allowed: it is
the answer to an invoke the bot does not implement. The number of examples is bounded so the test
runs in well under 30 seconds.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app as app_module
from dialogs.texts import TURN_FAILED
from storage.migrate import upgrade
from tests.auth.tokens import KeyServer, SigningKey, TokenKit
from tests.security.conftest import auth_settings
from tests.support import activities as acts
from tests.support.databases import sqlite_url
from tests.support.harness import harness_settings, start_harness, stop_harness

EXAMPLES = 300

SURROGATES = st.sampled_from(["\ud800", "a\udfffb", "\udbff\udbff", "M-1\ud83d"])
HUGE = st.sampled_from([2**31, 2**63, 10**20, -(10**20), "99999999999999999999", "²", "١٢"])
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**63), st.floats(allow_nan=False),
    st.text(max_size=40), SURROGATES, HUGE,
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
people = st.one_of(
    st.sampled_from([acts.EMPLOYEE, acts.AGENT, acts.ADMIN, acts.STRANGER]),
    st.fixed_dictionaries({"id": st.text(min_size=1, max_size=20)}, optional={"aadObjectId": st.text(max_size=40), "name": st.text(max_size=30)}),
)
words = st.sampled_from(
    ["hallo", "help", "stop", "mijn meldingen", "status M-1", "status M-99999999999", "nieuwe melding", "ja", "nee",
     "koppel dit kanaal als servicedesk", "koppel dit kanaal als regie", "<at>Servicedesk</at> help", "", " ", "M-1",
     "mijn laptop start niet op en ik moet om 10 uur lesgeven", "06 12345678", "\x00", "🙂" * 50,
     "status M-99999999999999999999", "aanvulling M-99999999999999999999: de printer piept", "status ²",
     "aanvulling M-99999999999999999999", "help \ud800", "<at>(</at> koppel dit kanaal als regie"]
)
mention_entities = st.lists(
    st.one_of(
        st.fixed_dictionaries({"type": st.sampled_from(["mention", "Mention", None, 5])}, optional={
            "mentioned": st.one_of(st.none(), st.just({"id": acts.BOT["id"]}), st.just({"id": acts.BOT["id"], "name": "[a-"}), json_values),
            "text": st.sampled_from(["<at>Servicedesk</at>", "<at>(</at>", "<at>", "", "\ud800"]),
        }),
        json_values,
    ),
    max_size=3,
)
texts = st.one_of(words, st.text(max_size=300))
card_values = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"vraag": st.sampled_from(["category", "scope", "work", "uplift_role", "uplift_impact", "uplift_cannot_work", "confirm", "csat", "mttp", "x"]),
         "antwoord": st.one_of(st.sampled_from(["ja", "nee", "laptop", "alleen_ik", "wijzigen", "stoppen", "7"]), json_values)}
    ),
)
verbs = st.one_of(
    st.sampled_from(["oppakken", "prioriteit", "wacht", "hervat", "update", "noodoplossing", "oplossen", "heropen", "overdragen", "csat", "mttp"]),
    st.text(max_size=20),
)
invoke_values = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"action": st.fixed_dictionaries(
            {"type": st.sampled_from(["Action.Execute", "Action.Submit", "x"]), "verb": verbs,
             "data": st.one_of(json_values, st.fixed_dictionaries({"ticket": st.one_of(st.integers(-5, 5), st.text(max_size=5), st.none(), HUGE),
                                                                      "versie": st.one_of(st.integers(-2, 5), st.text(max_size=3), HUGE),
                                                                      "notitie": st.text(max_size=50)}))}
        ), "trigger": st.just("manual")}
    ),
)
conversations = st.sampled_from(["personal", "channel", "groupChat", "weird"])


@st.composite
def activities(draw, service_url: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["message", "message", "message", "invoke", "invoke", "conversationUpdate", "installationUpdate", "event", "messageReaction", "typing", "zzz"]))
    sender = draw(people)
    conversation_type = draw(conversations)
    object_id = sender.get("aadObjectId") if isinstance(sender.get("aadObjectId"), str) else "x"
    conversation = {
        "personal": {"id": f"a:personal-{object_id}", "conversationType": "personal"},
        "channel": {"id": draw(st.sampled_from(["19:servicedesk", "19:regie", "19:overleg", "19:other"])), "conversationType": "channel", "isGroup": True},
        "groupChat": {"id": "19:group@thread.v2", "conversationType": "groupChat", "isGroup": True},
        "weird": {"id": draw(st.text(min_size=1, max_size=30)), "conversationType": draw(st.text(max_size=10))},
    }[conversation_type]
    activity: dict[str, Any] = {
        "type": kind,
        "id": draw(st.one_of(st.text(min_size=1, max_size=30), st.uuids().map(str), SURROGATES)),
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": sender,
        "recipient": acts.BOT,
        "conversation": conversation,
        "channelData": draw(st.one_of(st.just({"tenant": {"id": acts.TENANT}}), st.just({"tenant": {"id": acts.TENANT}, "channel": {"id": "19:servicedesk"}}), json_values)),
        "locale": draw(st.sampled_from(["nl-NL", "en-US", "", "xx"])),
    }
    if kind == "message":
        activity["text"] = draw(texts)
        if draw(st.booleans()):
            activity["value"] = draw(card_values)
        if draw(st.booleans()):
            activity["attachments"] = draw(st.lists(st.one_of(json_values, st.fixed_dictionaries({"contentType": st.sampled_from(["image/png", "application/vnd.microsoft.teams.file.download.info", "text/html"]), "contentUrl": st.text(max_size=40), "name": st.text(max_size=20)})), max_size=3))
    if draw(st.booleans()):
        activity["entities"] = draw(mention_entities)
    if kind == "invoke":
        activity["name"] = draw(st.one_of(st.sampled_from(["adaptiveCard/action", "task/fetch", "composeExtension/query", "signin/verifyState"]), st.text(max_size=20)))
        activity["value"] = draw(invoke_values)
    elif kind == "conversationUpdate":
        activity["membersAdded"] = draw(st.lists(people, max_size=3))
    else:
        activity["value"] = draw(json_values)
    for key in draw(st.lists(st.sampled_from(["replyToId", "timestamp", "entities", "textFormat", "name", "value"]), max_size=2)):
        activity[key] = draw(json_values)
    return activity


def test_fuzz_never_a_500(tmp_path, offline_outbound_token):
    loop = asyncio.new_event_loop()
    run = loop.run_until_complete
    failures: list[str] = []

    class TurnFailures(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR:
                failures.append(f"{record.name}: {record.getMessage()} {record.exc_info[0].__name__ if record.exc_info else ''}")

    watcher = TurnFailures()
    logging.getLogger().addHandler(watcher)
    dev_dir, auth_dir = tmp_path / "dev", tmp_path / "auth"
    dev_dir.mkdir()
    auth_dir.mkdir()
    dev_url, auth_url = sqlite_url(dev_dir), sqlite_url(auth_dir)
    upgrade(dev_url)
    upgrade(auth_url)
    server = run(KeyServer([SigningKey.generate("key-1")]).start())
    kit = TokenKit(server=server, key=server.keys[0])
    dev = run(start_harness(harness_settings(dev_url)))
    auth = run(start_harness(auth_settings(auth_url, kit), clock=kit.clock))
    statuses: list[int] = []
    try:
        run(dev.post(acts.channel_message(dev.service_url, "koppel dit kanaal als servicedesk", channel="19:servicedesk")))

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        @given(
            data=st.data(), authenticated=st.booleans(), pieces=st.integers(1, 6),
            raw=st.one_of(st.none(), st.binary(max_size=64), json_values.map(lambda v: json.dumps(v).encode())),
        )
        def post(data, authenticated: bool, pieces: int, raw: bytes | None) -> None:
            failures.clear()  # what this example caused, so a failure names its own example
            harness = auth if authenticated else dev
            headers = {"Content-Type": "application/json"}
            if raw is not None and data.draw(st.integers(0, 9)) == 0:
                body = raw
            else:
                body = json.dumps(data.draw(activities(harness.service_url))).encode()
            if authenticated:
                headers["Authorization"] = kit.authorization(serviceurl=harness.service_url)

            async def chunks():  # the body in pieces, with pauses between them (chunked encoding)
                step = len(body) // pieces + 1
                for start in range(0, len(body), step):
                    yield body[start : start + step]
                    await asyncio.sleep(0)

            async def go() -> int:
                sent = body if pieces == 1 else chunks()
                response = await harness.client.post("/api/messages", data=sent, headers=headers)
                await response.read()
                await harness.settle()
                return response.status

            status = run(go())
            statuses.append(status)
            assert status not in (500, 502, 503), body[:300]
            assert not failures, (failures, body[:400])
            apologies = [c.text for h in (dev, auth) for c in h.connector.calls if c.text == TURN_FAILED]
            assert not apologies, body[:300]

        post()
    finally:
        logging.getLogger().removeHandler(watcher)
        run(stop_harness(dev))
        run(stop_harness(auth))
        run(server.close())
        loop.close()
    # The generator reaches the turn most of the time, and the refusals too.
    assert statuses.count(200) > EXAMPLES // 3, statuses
    assert {400, 403, 501} <= set(statuses), set(statuses)
