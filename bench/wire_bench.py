"""Micro-benchmark: activity (de)serialisation, msrest against ``bot.wire``.

Run from the repository root (a few seconds, one core):

    .venv/bin/python bench/wire_bench.py

Three shapes, each converted both ways:

- an outgoing servicedesk ticket card (``bot.cards.ticket_card`` from the card gallery) as a reply
  to a channel message, built the way a turn builds it (``MessageFactory`` + ``TurnContext``);
- an outgoing plain text reply in a personal chat;
- an incoming Teams channel message (mention entity, channel data, timestamps with offset).

Prints microseconds per call (best of five repeats) and checks both give the same result.
"""

from __future__ import annotations

import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from botbuilder.core import CardFactory, MessageFactory, TurnContext  # noqa: E402
from botbuilder.schema import Activity, InputHints  # noqa: E402

from bot import wire  # noqa: E402
from tests.cards.gallery import all_cards  # noqa: E402
from tests.support import activities as acts  # noqa: E402

SERVICE_URL = "https://smba.trafficmanager.net/emea/"


def incoming_body() -> dict:
    body = acts.channel_message(SERVICE_URL, "status 214")
    body.update(timestamp="2026-04-28T08:00:00.1234567Z", localTimestamp="2026-04-28T10:00:00.1234567+02:00",
                localTimezone="Europe/Amsterdam", textFormat="plain")
    body["entities"].append({"type": "clientInfo", "locale": "nl-NL", "country": "NL", "platform": "Web",
                             "timezone": "Europe/Amsterdam"})
    return body


def outgoing(incoming: Activity, reply: Activity) -> Activity:
    """What ``TurnContext.send_activities`` hands the adapter."""
    reply = TurnContext.apply_conversation_reference(reply, TurnContext.get_conversation_reference(incoming))
    reply.input_hint = reply.input_hint or "acceptingInput"
    reply.id = None
    return reply


def per_call_us(function, number: int) -> float:
    return min(timeit.repeat(function, number=number, repeat=5)) / number * 1e6


def main() -> int:
    body = incoming_body()
    incoming = wire.DESERIALIZER("Activity", body)
    card = next(e.card for e in all_cards() if e.builder == "bot.cards.ticket_card")
    shapes = {
        "outgoing ticket card": outgoing(incoming, MessageFactory.attachment(CardFactory.adaptive_card(card))),
        "outgoing text reply": outgoing(incoming, Activity(type="message", text="Dank je, ik zoek het uit.",
                                                           input_hint=InputHints.accepting_input)),
    }

    print(f"{'':34} {'msrest µs':>10} {'wire µs':>10} {'speed-up':>9}")
    for name, activity in shapes.items():
        assert wire.serialise(activity) == wire.SERIALIZER._serialize(activity, keep_readonly=False)  # noqa: SLF001
        before = per_call_us(lambda: wire.SERIALIZER._serialize(activity, keep_readonly=False), 500)  # noqa: SLF001
        after = per_call_us(lambda: wire.serialise(activity), 5000)
        print(f"serialise {name:24} {before:10.1f} {after:10.1f} {before / after:8.1f}×")
    assert wire.deserialise(body) == wire.DESERIALIZER("Activity", body)
    before = per_call_us(lambda: wire.DESERIALIZER("Activity", body), 1000)
    after = per_call_us(lambda: wire.deserialise(body), 5000)
    print(f"deserialise {'incoming channel message':22} {before:10.1f} {after:10.1f} {before / after:8.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
